"""The chain's database on PostgreSQL (issue 10), what only it has, against a
throwaway cluster this test starts itself:

- kiosks starting together on a new database make its schema once, and a
  version 5 database is upgraded;
- case numbers come from one sequence: cases written by many processes at
  once get distinct, consecutive numbers;
- a registration whose write fails inside its transaction (its writes go to
  the server together with the commit) leaves nothing of itself: no case,
  line, event, audit row or message, and the next one goes through;
- a database from a newer program is refused, untouched;
- the audit log is append-only (UPDATE, DELETE and TRUNCATE refused);
- the ID-document key must be set in the config, never beside a
  connection string;
- with the server stopped (pg_ctl stop -m immediate), a command says so in
  one sentence; started again, the next command works, nothing committed
  before is lost.
"""
import os
import re
import subprocess

import kiosktest as kt
import pgcluster

why = pgcluster.available()
if why:
    kt.skip_all(why)

f = kt.Failures()
tmp = kt.tempdir()
cl = pgcluster.cluster()
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "ui", "fixtures")
TOOL = os.environ["RACE_TOOL"]
env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")

# --- twelve kiosks start at once on a new database -------------------------------
db = cl.database("chain")
procs = [subprocess.Popen([kt.KIOSK, "case", "list", "--json", "--db", db], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
         for _ in range(12)]
outs = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
f.eq([o[2] for o in outs], [0] * 12, "twelve kiosks opened a new database at once: "
     + "; ".join(o[1].strip() for o in outs if o[2]))
f.eq([o[0].strip() for o in outs], ["[]"] * 12, "and each saw an empty case list")
f.eq(pgcluster.psql(db, "SELECT version FROM kiosk_schema"), "14", "schema made once, version 14")
f.eq(pgcluster.psql(db, "SELECT count(*) FROM kiosk_schema"), "1", "one schema row")

# --- a version 5 database (the first PostgreSQL schema) is brought up to date ------
v5 = cl.database("v5")
kt.run(["case", "list"], db=v5)
pgcluster.psql(v5, pgcluster.UNDO_14 + "DROP INDEX staff_calls_store_open, cases_store_state_created,"
                   " receipts_store_purchased,"
                   " cases_store_created;"
                   " ALTER TABLE cases DROP COLUMN due_day, DROP COLUMN token_next_hash,"
                   " DROP COLUMN offline_key, DROP COLUMN sent_s; DROP TABLE kiosk_journals,"
                   " receipt_returns_elsewhere;"
                   " ALTER SEQUENCE case_numbers NO MAXVALUE;"
                   " CREATE INDEX cases_open_promised ON cases(promised_day, created_s)"
                   " WHERE promised_day > 0 AND state <> 'closed';"
                   " ALTER TABLE staff_calls DROP COLUMN store_id, DROP COLUMN context;"
                   " DROP TABLE outbox;"
                   " DROP TABLE audit_chain; DROP FUNCTION kiosk_audit_chain() CASCADE;"
                   " DROP FUNCTION kiosk_audit_link(bytea, bigint, bigint, text, text, text);"
                   " ALTER TABLE receipts ALTER COLUMN id TYPE TEXT COLLATE \"default\";"
                   " ALTER TABLE cases ALTER COLUMN receipt_id TYPE TEXT COLLATE \"default\";"
                   " UPDATE kiosk_schema SET version = 5")
p = kt.run(["case", "list"], db=v5)
f.eq(p.returncode, 0, "a version 5 database opens: " + p.stderr)
f.eq(pgcluster.psql(v5, "SELECT version FROM kiosk_schema"), "14", "upgraded to version 14")
collations = ("SELECT string_agg(coalesce(collation_name, '-'), ',' ORDER BY table_name)"
              " FROM information_schema.columns WHERE (table_name, column_name) IN"
              " (('receipts', 'id'), ('cases', 'receipt_id'))")
f.eq(pgcluster.psql(v5, collations), "C,C", "receipt ids compare byte by byte (version 11)")
f.eq(pgcluster.psql(db, collations), "C,C", "in a new database too")
volatility = "SELECT provolatile FROM pg_proc WHERE proname = 'kiosk_audit_link'"
f.eq((pgcluster.psql(v5, volatility), pgcluster.psql(db, volatility)), ("s", "s"),
     "the audit link's function is STABLE, so the trigger's plan inlines it (version 12)")
f.eq((pgcluster.psql(v5, "SELECT count(*) FROM pg_indexes WHERE indexname = 'receipts_store_purchased'"),
      pgcluster.psql(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'receipts_store_purchased'")),
     ("1", "1"), "the offline cache refresh's index stays on PostgreSQL (version 13 is SQLite's)")
f.eq(pgcluster.psql(v5, "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'cases_store_%'"),
     "3", "with the store-first list indexes")
f.eq(pgcluster.psql(v5, "SELECT count(*) FROM information_schema.columns WHERE"
                        " table_name = 'staff_calls' AND column_name = 'store_id'"),
     "1", "and calls that belong to a store")
f.eq(pgcluster.psql(v5, "SELECT count(*) FROM outbox"), "0", "and an empty outbox")

# --- case numbers from one sequence ---------------------------------------------
p = kt.run(["import", os.path.join(FIXTURES, "receipts.csv")], db=db)
f.eq(p.returncode, 0, "receipts imported: " + p.stderr)
EACH, PROCS = 25, 6
procs = [subprocess.Popen([TOOL, "register", db, str(EACH)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env) for _ in range(PROCS)]
acked = []
for pr in procs:
    out, err = pr.communicate(timeout=300)
    f.eq(pr.returncode, 0, "a registering process ran to its end: " + err[-300:])
    acked += [line.split()[0] for line in out.splitlines()]
nums = sorted(int(a[2:]) for a in acked)
f.eq(len(set(nums)), len(nums), "no case number twice")
f.eq(nums, list(range(1, len(nums) + 1)), "numbers are consecutive from K-000001")
f.eq(pgcluster.psql(db, "SELECT last_value FROM case_numbers"), str(len(nums)),
     "the sequence gave every number")

# --- a write that fails inside a registration leaves nothing of it ----------------
# The case, its lines, the outbox row, the timeline and audit row and COMMIT
# reach the server in one round trip (once a connection has prepared them,
# at its first registration). Numbers counting down make the first case of
# this process take a free number, and the next ones numbers taken already:
# their INSERT fails at the server after the client has sent the rest.
L = len(nums)
COUNTS = ("SELECT concat_ws(',', (SELECT count(*) FROM cases), (SELECT count(*) FROM case_lines),"
          " (SELECT count(*) FROM case_events), (SELECT count(*) FROM audit_log),"
          " (SELECT count(*) FROM outbox))")
counts = [int(n) for n in pgcluster.psql(db, COUNTS).split(",")]
pgcluster.psql(db, f"ALTER SEQUENCE case_numbers INCREMENT BY -1; SELECT setval('case_numbers', {L + 2})")
p = subprocess.run([TOOL, "register", db, "3"], capture_output=True, text=True, env=env)
f.eq([line.split()[0] for line in p.stdout.splitlines()], [f"K-{L + 1:06d}"],
     "the first case (a free number) acknowledged, none of those whose number was taken")
errs = p.stderr.strip().splitlines()
f.check(len(errs) >= 1 and all(re.fullmatch(
    r"race_tool: \w+ not registered: The database could not save the changes: duplicate key "
    r"value violates unique constraint \"\w+\"\.", e) or "already" in e for e in errs)
    and any("duplicate key" in e for e in errs), f"one sentence why, each: {errs!r}")
after = [int(n) for n in pgcluster.psql(db, COUNTS).split(",")]
of_new = [int(n) for n in pgcluster.psql(db, "SELECT concat_ws(',', 1,"
          f" (SELECT count(*) FROM case_lines WHERE case_seq = {L + 1}),"
          f" (SELECT count(*) FROM case_events WHERE case_seq = {L + 1}),"
          f" (SELECT count(*) FROM audit_log WHERE detail LIKE 'K-{L + 1:06d}:%'),"
          f" (SELECT count(*) FROM outbox WHERE case_seq = {L + 1}))").split(",")]
f.eq(after, [c + n for c, n in zip(counts, of_new)], "nothing saved of the failed ones "
     "(cases, lines, events, audit rows, messages: only the acknowledged case's)")
pgcluster.psql(db, f"ALTER SEQUENCE case_numbers INCREMENT BY 1; SELECT setval('case_numbers', {L + 1})")
p = subprocess.run([TOOL, "register", db, "3"], capture_output=True, text=True, env=env)
f.check([line.split()[0] for line in p.stdout.splitlines()][:1] == [f"K-{L + 2:06d}"],
        "the numbers counting up again, the next registrations go through: " + p.stdout
        + p.stderr)
f.eq(pgcluster.psql(db, "SELECT count(*) FROM audit_log a JOIN audit_chain c"
                        " ON c.audit_id = a.id"), pgcluster.psql(db, "SELECT count(*) FROM audit_log"),
     "every audit row has its link in the chain")

# --- the URI form names the same database ---------------------------------------
uri = "postgresql:///chain?host=" + cl.dir.replace("/", "%2F") + "&user=kiosk"
p1 = kt.run(["case", "list", "--json"], db=db)
p2 = kt.run(["case", "list", "--json"], db=uri)
f.eq((p2.returncode, p2.stdout), (0, p1.stdout), "a postgresql:// URI reads the same cases")

# --- a newer schema is refused, untouched -----------------------------------------
newer = cl.database("newer")
p = kt.run(["case", "list"], db=newer)
f.eq(p.returncode, 0, "a new database is made: " + p.stderr)
pgcluster.psql(newer, "UPDATE kiosk_schema SET version = 99")
for args in (["case", "list"], ["receipt", "show", "RS004200320261122001234"], ["purge"]):
    p = kt.run(args, db=newer)
    f.eq(p.returncode, 1, f"{args} on a newer database exit")
    f.check(re.fullmatch(r"kiosk \w+: The database has schema version 99, newer than the "
                         r"version \d+ this program knows; use a newer kiosk program with it\.",
                         p.stderr.strip()), f"{args} newer database reason: {p.stderr!r}")
f.eq(pgcluster.psql(newer, "SELECT version FROM kiosk_schema"), "99", "left as it was")

# --- the audit log is append-only -------------------------------------------------
n_audit = pgcluster.psql(db, "SELECT count(*) FROM audit_log")
f.check(int(n_audit) > 0, "registrations wrote the audit log")
for sql in ("UPDATE audit_log SET detail = 'nothing happened'", "DELETE FROM audit_log",
            "TRUNCATE audit_log"):
    try:
        pgcluster.psql(db, sql)
        f.check(False, f"{sql} was allowed")
    except RuntimeError as e:
        f.check("the audit log is append-only" in str(e), f"{sql} refused: {e}")
f.eq(pgcluster.psql(db, "SELECT count(*) FROM audit_log"), n_audit, "audit log unchanged")

# --- the ID key is never "next to" a connection string ------------------------------
cfg = os.path.join(tmp, "nokey.ini")
with open(cfg, "w") as out:
    out.write("[privacy]\nkey_file =\n")
p = subprocess.run([TOOL, "idhash", db, cfg], capture_output=True, text=True, env=env)
f.eq(p.returncode, 0, "idhash ran: " + p.stderr)
f.eq(p.stdout.strip(), "with a PostgreSQL database, set [privacy] key_file: every kiosk of "
     "the chain needs the same ID key, and it must not be in the database",
     "no key file beside a connection string")

# --- the server goes away and comes back -------------------------------------------
before = kt.run(["case", "list", "--json"], db=db).stdout
held = subprocess.Popen([TOOL, "session", db], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True, env=env)


def held_read():
    held.stdin.write("read\n")
    held.stdin.flush()
    return held.stdout.readline().strip()


f.eq(held_read(), "ok", "a kiosk's handle reads")
cl.stop("immediate")
p = kt.run(["case", "list"], db=db)
f.eq(p.returncode, 1, "case list without a server exit")
f.check(re.fullmatch(r"kiosk case: The PostgreSQL database could not be reached: .+\.",
                     p.stderr.strip()) is not None and p.stderr.count("\n") == 1,
        f"one sentence naming the database: {p.stderr!r}")
f.eq(held_read(), "EIO", "the held handle reports the database unreachable")
f.eq(held_read(), "EIO", "and again, without crashing")
cl.start()
f.eq(held_read(), "ok", "the held handle recovers by itself when the server is back")
held.stdin.close()
f.eq(held.wait(timeout=60), 0, "the held handle closes cleanly: " + held.stderr.read())
p = kt.run(["case", "list", "--json"], db=db)
f.eq((p.returncode, p.stdout), (0, before), "back: every committed case is there")
f.done()
