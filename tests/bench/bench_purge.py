"""bench_purge: the contact purge beside the chain's registrations (issue 10).

    KIOSK_BIN=build/kiosk RACE_TOOL=build/tests/race_tool KIOSK_ASSETS=$PWD/assets \\
      PYTHONPATH=tests/common python3 tests/common/with_pg.py \\
      python3 tests/bench/bench_purge.py [--cases 200000] [--due 2000,20000] [--stale]

For each engine (an SQLite file; PostgreSQL when run through with_pg.py)
and each --due figure, a fresh database holds --cases cases over two years,
a third of them closed, and of those the --due oldest still have contact
details past the 30 days of retention. `kiosk purge` runs (wall time, cases
a second, peak RSS by wait4) while registrations follow each other, each
its own process (race_tool register DB 1: one kiosk customer, from start to
acknowledgement). Printed: the registrations' p50 and max with nothing else
running (the peer) and during the purge, their ratio, and the max against
the 5 s after which a writer is told "the database is busy". The purge goes
in short batches; one transaction over all of it held every registration.
--stale leaves PostgreSQL's statistics saying `cases` is empty (as an
ANALYZE leaves them that ran while a long transaction wrote), with
autovacuum off for it: the purge's read of what is due, paged by key, read
every closed case for each page of 8 there (store_pg_purge_beside).
Figures only; nothing here asserts on time."""
import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

KIOSK = os.environ.get("KIOSK_BIN", "kiosk")
TOOL = os.environ.get("RACE_TOOL", "race_tool")
NOW_S = 1795424400  # 2026-11-23T10:00:00+01:00
ENV = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")
BUSY_S = 5.0
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ui", "fixtures",
                       "receipts.csv")


def seed_sql(n, due, series):
    """Copies of the demo's first case: case i (1..n) created over two
    years; every third closed when created; the first `due` closed ones
    (the oldest) keep a contact and consent to updates."""
    span = 63072000 // n
    at = f"{NOW_S - 40 * 86400} - ({n} - i) * {span}"
    return (
        "INSERT INTO cases (seq, id, kind, state, store_id, receipt_id, lang, created_s,"
        " created_off, updated_s, updated_off, outcome, rule, explanation, details, amount,"
        " next_step, promised_day, product, customer_text, contact, wants_updates, id_hash,"
        " receipt_printed, token_hash, closed_s, due_day)"
        f" SELECT 1000 + i, 'X-' || i, kind,"
        " CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'registered' END, store_id, NULL, lang,"
        f" {at}, created_off, {at}, updated_off, outcome, rule, explanation, details, amount,"
        " next_step, promised_day, product, customer_text,"
        f" CASE WHEN i % 3 <> 0 OR i <= {3 * due} THEN 'kund@example.se' END,"
        f" CASE WHEN i % 3 <> 0 OR i <= {3 * due} THEN 1 ELSE 0 END,"
        " id_hash, receipt_printed, token_hash,"
        f" CASE WHEN i % 3 = 0 THEN {at} END, due_day"
        f" FROM {series}, (SELECT * FROM cases ORDER BY seq LIMIT 1) AS one")


def prepare(db, tmp):
    for args in (["demo-data", "--sheet", os.path.join(tmp, "sheet.png")], ["import", FIXTURE]):
        p = subprocess.run([KIOSK] + args + ["--db", db], env=ENV, capture_output=True,
                           text=True)
        if p.returncode:
            raise SystemExit(f"kiosk {args[0]}: {p.stderr.strip()}")


def seed_sqlite(path, n, due, tmp):
    prepare(path, tmp)
    con = sqlite3.connect(path)
    con.execute(seed_sql(n, due, f"(WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1"
                                 f" FROM k WHERE i < {n}) SELECT i FROM k)"))
    con.commit()
    con.execute("ANALYZE")
    con.close()


def seed_pg(admin, name, n, due, tmp, stale):
    from pgcluster import psql
    psql(admin, f"DROP DATABASE IF EXISTS {name}")
    psql(admin, f"CREATE DATABASE {name}")
    db = admin.replace("dbname=postgres", f"dbname={name}")
    prepare(db, tmp)
    psql(db, seed_sql(n, due, f"generate_series(1, {n}) AS k(i)"))
    # the chain's case numbers go on after the seeded ones, as they would
    # have (a long purge beside registrations reached them)
    psql(db, "SELECT setval('case_numbers', (SELECT max(seq) FROM cases))")
    psql(db, "VACUUM ANALYZE")
    if stale:
        psql(db, "ALTER TABLE cases SET (autovacuum_enabled = off)")
        psql(db, "UPDATE pg_class SET reltuples = 0, relpages ="
                 " pg_relation_size(oid) / current_setting('block_size')::int"
                 " WHERE relname = 'cases' OR oid IN (SELECT indexrelid FROM pg_index"
                 " WHERE indrelid = 'cases'::regclass)")
    return db


def register(db):
    """(start, end, acknowledged) of one registration, on the monotonic
    clock; not acknowledged is a refusal (busy), anything else stops."""
    t = time.monotonic()
    p = subprocess.run([TOOL, "register", db, "1"], env=ENV, capture_output=True, text=True)
    ok = p.returncode == 0 and p.stdout.strip() != ""
    if not ok and "busy" not in p.stderr:
        raise SystemExit(f"race_tool register: {p.stderr.strip()}")
    return t, time.monotonic(), ok


def purge(db):
    """(start, end, peak RSS in MB, cases purged) of `kiosk purge`."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.monotonic()
        p = subprocess.Popen([KIOSK, "purge", "--json", "--db", db], stdout=out, stderr=err,
                             env=ENV)
        _, status, ru = os.wait4(p.pid, 0)
        end = time.monotonic()
        if os.waitstatus_to_exitcode(status):
            err.seek(0)
            raise SystemExit(f"kiosk purge: {err.read().decode().strip()}")
        out.seek(0)
        return t, end, ru.ru_maxrss / 1024, json.loads(out.read())["purged"]


def measure(engine, db, due, idle_runs):
    idle = sorted(e - s for s, e, _ in (register(db) for _ in range(idle_runs)))
    runs, stop, going, failed = [], threading.Event(), threading.Event(), []

    def keep_registering():
        try:
            while not stop.is_set():
                going.set()
                runs.append(register(db))
        except SystemExit as e:
            failed.append(str(e))
            going.set()

    th = threading.Thread(target=keep_registering)
    th.start()
    going.wait()
    start, end, rss, n = purge(db)
    stop.set()
    th.join()
    if failed:
        raise SystemExit(failed[0])
    if n != due:
        raise SystemExit(f"{engine}: the purge purged {n} cases, not {due}")
    # the registrations whose time overlapped the purge's
    during = sorted(e - s for s, e, _ in runs if e > start and s < end)
    busy = sum(1 for s, e, ok in runs if e > start and s < end and not ok)
    dt = end - start
    p50_i, p50_d = statistics.median(idle), statistics.median(during)
    print(f"{engine:18} {due:>8,} due: purge {dt:6.2f} s ({n / dt:6.0f} cases/s, {rss:3.0f} MB);"
          f" registrations idle p50 {p50_i * 1e3:4.0f} ms max {idle[-1] * 1e3:4.0f} ms,"
          f" during the purge ({len(during)}) p50 {p50_d * 1e3:4.0f} ms max"
          f" {during[-1] * 1e3:5.0f} ms: p50 {p50_d / p50_i:4.2f}x idle,"
          f" max {during[-1] / BUSY_S:4.2f}x the 5 s busy limit; {busy} refused as busy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200000)
    ap.add_argument("--due", default="2000,20000")
    ap.add_argument("--idle", type=int, default=20, help="registrations with nothing else")
    ap.add_argument("--stale", action="store_true",
                    help="PostgreSQL's statistics say cases is empty")
    a = ap.parse_args()
    dues = [int(d) for d in a.due.split(",")]
    if 3 * max(dues) > a.cases:
        raise SystemExit("--cases must hold three times the largest --due")
    admin = os.environ.get("KIOSK_TEST_PG")
    print(f"bench_purge: {a.cases:,} cases, a third closed; the oldest closed have contact"
          " details past the retention; registrations one after another meanwhile")
    tmp = tempfile.mkdtemp(prefix="kiosk-bench-purge-")
    for due in dues:
        path = os.path.join(tmp, f"purge-{due}.db")
        seed_sqlite(path, a.cases, due, tmp)
        measure("SQLite", path, due, a.idle)
        if admin:
            db = seed_pg(admin, f"bench_purge_{due}", a.cases, due, tmp, a.stale)
            measure("PostgreSQL" + (" (stale)" if a.stale else ""), db, due, a.idle)
    if not admin:
        print("(PostgreSQL: not run; run through tests/common/with_pg.py)")
    shutil.rmtree(tmp)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"bench_purge: own peak RSS {rss / 1024:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
