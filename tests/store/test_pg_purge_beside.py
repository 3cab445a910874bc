"""The chain's kiosks register cases while the contact purge runs
(PostgreSQL). The purge goes a few cases at a time, each batch committed on
its own under its cases' keys. Before, it was one transaction over the
whole database: with 20 000 cases due (measured: 5.3 s), every registration
of the chain waited for all of it, and was told "busy" after 5 s.

- 40 closed cases are due. A counter's transaction holds the ninth (the
  first of the second batch) while the purge runs: the purge waits there.
- Meanwhile the first batch is purged and visible to everyone, and a
  registration (race_tool: a no-receipt return and the return of the
  fixture's kettle) is acknowledged while the purge is still waiting.
- The counter holds on past the 5 s: the purge gives up with one line that
  says how many it purged before, and keeps them.
- Run again, it purges the rest: each case once, each with one "purge" on
  its timeline; the held case too, and the registered cases are there.
- The server drops the purge's connection while it waits in its second
  batch: it connects again, reads what is still due and purges it all, each
  case once on its timeline.
- With 20 000 cases that are not due beside 2 000 that are, and the
  server's statistics saying `cases` is empty (as an ANALYZE leaves them
  that ran while a long transaction wrote, store_pg_import_stats), the
  purge reads each case once, not the closed cases again for each batch
  (the server's own counters of rows and index entries read). Paged by
  key, the planner took the index of every closed case for each page:
  8 000 due cases cost 10 million rows.
"""
import os
import shutil
import subprocess
import tempfile

import kiosktest as kt
import pgcluster

why = pgcluster.available()
if why:
    kt.skip_all(why)

f = kt.Failures()
cl = pgcluster.cluster()
TOOL = os.environ["RACE_TOOL"]
ENV = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")
DUE = 40
CLOSED = 1790000000  # 2026-09-21, past the 30 days of retention on 2026-11-23
NOW_S = 1795424400  # 2026-11-23T10:00:00+01:00


def purged(prefix="X"):
    return int(pgcluster.psql(dsn, f"SELECT count(*) FROM cases WHERE id LIKE '{prefix}-%'"
                                   " AND contact IS NULL AND wants_updates = 0"))


def copies(prefix, first, n, state, closed, contact):
    """n copies of the demo's first case, numbered prefix-1..n from seq
    first; state, closed (SQL for closed_s, i counting from 1) and contact
    (SQL, NULL for none) as given."""
    pgcluster.psql(dsn, f"""INSERT INTO cases (seq, id, kind, state, store_id, receipt_id,
     lang, created_s, created_off, updated_s, updated_off, outcome, rule, explanation, details,
     amount, next_step, promised_day, product, customer_text, contact, wants_updates, id_hash,
     receipt_printed, token_hash, closed_s, due_day)
     SELECT {first} + i, '{prefix}-' || i, kind, '{state}', store_id, NULL, lang,
     {CLOSED} - 86400, created_off, {CLOSED} + i, updated_off, outcome, rule, explanation,
     details, amount, next_step, promised_day, product, customer_text, {contact},
     CASE WHEN {contact} IS NULL THEN 0 ELSE 1 END, id_hash, receipt_printed, token_hash,
     {closed}, due_day
     FROM generate_series(1, {n}) i, (SELECT * FROM cases ORDER BY seq LIMIT 1) one""")


dsn = cl.database("purge_beside")
work = tempfile.mkdtemp(prefix="kiosk-purge-")
p = kt.run(["demo-data", "--sheet", os.path.join(work, "sheet.png")], db=dsn)
f.eq(p.returncode, 0, "the demo store: " + p.stderr)
p = kt.run(["import", os.path.join(os.path.dirname(__file__), "..", "ui", "fixtures",
                                   "receipts.csv")], db=dsn)
f.eq(p.returncode, 0, "the kettle's receipt: " + p.stderr)
# closed in order, ... with a contact and consent to updates
copies("X", 1000, DUE, "closed", f"{CLOSED} + i", "'kund' || i || '@example.se'")



def purge_held_at(case_id):
    """`kiosk purge` started while a counter's transaction holds case_id:
    (the purge's process, the counter's session, whether the purge waits)."""
    counter = pgcluster.Session(dsn)
    counter.send(f"BEGIN; UPDATE cases SET updated_s = updated_s + 1 WHERE id = '{case_id}';")
    counter.wait()
    purge = subprocess.Popen([kt.KIOSK, "purge", "--db", dsn], env=ENV, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    held = pgcluster.waiting(dsn, "UPDATE cases SET contact = NULL", "transactionid")
    f.check(held, f"the purge waits for the counter's {case_id}")
    return purge, counter, held


purge, counter, held = purge_held_at("X-9")
f.eq(purged(), 8, "the first batch is purged and visible while the purge waits")

reg = subprocess.run([TOOL, "register", dsn, "2"], env=ENV, text=True, capture_output=True,
                     timeout=60)
f.eq(reg.returncode, 0, f"a registration during the purge: {reg.stderr.strip()}")
cases = [line.split()[0] for line in reg.stdout.splitlines()]
f.eq(len(cases), 2, f"both cases acknowledged: {reg.stdout!r}")
f.check(held and pgcluster.waiting(dsn, "UPDATE cases SET contact = NULL", "transactionid", 0),
        "the purge was still waiting when they were")

out, err = purge.communicate(timeout=60)
f.eq(purge.returncode, 1, "the purge gives up when the counter holds on past 5 s")
f.eq(err, "kiosk purge: The database is busy: another kiosk, counter or import is writing; "
          "try again in a moment. (8 cases were purged before that; run it again for the "
          "rest)\n", "in one line, with what it did")
f.eq(out, "", "and no summary")
f.eq(purged(), 8, "what it purged stays purged")

counter.send("ROLLBACK;")
counter.wait()
f.eq(counter.close(), "", "the counter's session ends")
p = kt.run(["purge"], db=dsn)
f.eq((p.returncode, p.stdout), (0, f"Removed contact details from {DUE - 8} cases closed before"
                                   " 2026-10-24T10:00:00+01:00 (retention 30 days).\n"),
     "run again, it purges the rest: " + p.stderr)
f.eq(purged(), DUE, "every due case purged")
f.eq(pgcluster.psql(dsn, "SELECT count(*), count(DISTINCT case_seq) FROM case_events"
                         " WHERE event = 'purge'"), f"{DUE}|{DUE}",
     "each once on its timeline")
_, listed = kt.run_json(["case", "list", "--json"], db=dsn)
f.check(set(cases) <= {c["case_id"] for c in listed or []}, "the registered cases are stored")
# ---- the purge's connection lost mid-run: it connects again and goes on ----
# (a failover to the standby, a server or pooler restarted); before, it
# stopped with the server's reason and the rest waited for the next run
copies("Y", 5000, DUE, "closed", f"{CLOSED} + {DUE} + i", "'kund' || i || '@example.se'")
purge, counter, _ = purge_held_at("Y-9")
f.eq(pgcluster.psql(dsn, "SELECT count(pg_terminate_backend(a.pid)) FROM pg_stat_activity a"
                         " JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted"
                         " WHERE a.query LIKE 'UPDATE cases SET contact = NULL%'"), "1",
     "the server drops the purge's connection")
counter.send("ROLLBACK;")
counter.wait()
f.eq(counter.close(), "", "the counter's session ends")
out, err = purge.communicate(timeout=60)
f.eq((purge.returncode, out, err),
     (0, f"Removed contact details from {DUE} cases closed before 2026-10-24T10:00:00+01:00"
         " (retention 30 days).\n", ""),
     "the purge connects again and purges every due case")
f.eq(purged("Y"), DUE, "each of them")
f.eq(pgcluster.psql(dsn, "SELECT count(*), count(DISTINCT case_seq) FROM case_events e"
                         " JOIN cases c ON c.seq = e.case_seq WHERE e.event = 'purge'"
                         " AND c.id LIKE 'Y-%'"), f"{DUE}|{DUE}",
     "each once on its timeline (the batch cut off was rolled back whole)")

# ---- what is due, not the table, whatever the statistics say -------------
OTHERS = 20000
copies("O", 10000, OTHERS // 2, "registered", "NULL", "'kund@example.se'")  # open
copies("C", 20000, OTHERS // 4, "closed", f"{NOW_S} - i", "'kund@example.se'")  # recent
copies("P", 30000, OTHERS // 4, "closed", f"{CLOSED} - i", "NULL")  # purged before
MANY = 2000
copies("Z", 40000, MANY, "closed", f"{CLOSED} + i / 3", "'kund' || i || '@example.se'")
pgcluster.psql(dsn, "ALTER TABLE cases SET (autovacuum_enabled = off)")
pgcluster.psql(dsn, "ANALYZE cases")
pgcluster.psql(dsn, "UPDATE pg_class SET reltuples = 0,"
                    " relpages = pg_relation_size(oid) / current_setting('block_size')::int"
                    " WHERE relname = 'cases' OR oid IN (SELECT indexrelid FROM pg_index"
                    " WHERE indrelid = 'cases'::regclass)")
f.eq(pgcluster.psql(dsn, "SELECT reltuples = 0 AND relpages > 100 FROM pg_class"
                         " WHERE relname = 'cases'"), "t",
     "the statistics say cases is empty, on pages that are there")
before = pgcluster.rows_read(dsn, "cases")
p, js = kt.run_json(["purge", "--json"], db=dsn)
f.eq((p.returncode, (js or {}).get("purged")), (0, MANY),
     "the due cases among the others purged: " + p.stderr)
read = pgcluster.rows_read(dsn, "cases") - before
f.check(read <= 10 * MANY + OTHERS, f"the purge read {read} rows and index entries of cases"
        f" for {MANY} due among {OTHERS} (at most {10 * MANY + OTHERS})")
f.eq(purged("Z"), MANY, "each of them")
f.eq(int(pgcluster.psql(dsn, "SELECT count(*) FROM cases WHERE (id LIKE 'O-%' OR id LIKE 'C-%')"
                             " AND contact IS NOT NULL")), OTHERS * 3 // 4,
     "the open and the recently closed keep their contact")

shutil.rmtree(work)
raise SystemExit(f.done())
