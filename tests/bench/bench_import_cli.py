"""bench_import_cli: `kiosk import` as a store runs it, beside the engines'
own bulk loaders, on the same generated file (issue 10: time, rate and peak
RSS at 1 M and 4 M lines; import >= 1.0x the peer's rate on one core; RSS
<= 60 MB at any size).

    python3 tests/common/with_pg.py python3 tests/bench/bench_import_cli.py \\
        [--lines 1000000,4000000] [--repeat 3] [--dir DIR]

For each size, best of --repeat rounds, each command into a fresh database:

  kiosk import FILE --db FILE.db         (parse, validate, one transaction)
  sqlite3 DB ".import --csv FILE lines"  (a plain table, no checks)
  kiosk import FILE --db postgresql       (COPY of new receipts, one transaction)
  psql \\copy lines FROM FILE (csv)       (a plain table, no checks)
  psql \\copy into the kiosk's own tables  (the same rows as TSV, indexes and
                                          foreign key as the kiosk has them)

Client programs are pinned to one core (the server is not: it is the
peer's server too). Peak RSS is each command's own (wait4). Without a
PostgreSQL cluster (KIOSK_TEST_PG unset) only the SQLite rows are run.
Figures only: nothing here asserts on time."""
import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

KIOSK = os.environ.get("KIOSK_BIN", "kiosk")
GOAL_RSS_MB = 60
HEADER = ("receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,"
          "currency,category\n")
DESCS = ['"Trådlösa hörlurar, svarta"', "Äggklocka", '"Ullmössa, grå"', "USB-C-laddare 65 W",
         '"Bärbar högtalare ""Mini"", blå"', "Skrivbordsstol"]
CATS = ["electronics", "clothing", "furniture", "hygiene"]


def write_csv(path, n_lines):
    """Receipts of 1 to 3 lines, ids of the default layout (RS, store 0042)."""
    base = datetime.date(2026, 11, 22)
    lines = k = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        while lines < n_lines:
            day = base - datetime.timedelta(days=(k * 7919) % 400)
            reg = 1 + k // 1000000
            rid = f"RS0042{reg:03d}{day:%Y%m%d}{k % 1000000:06d}"
            stamp = f"{day:%Y-%m-%d}T{9 + k % 11:02d}:{k % 60:02d}:00+01:00"
            for ln in range(1, 2 + k % 3):
                if lines >= n_lines:
                    break
                f.write(f"{rid},0042,{reg:03d},{stamp},{ln},73500{(k * 3 + ln) % 100000000:08d},"
                        f"{DESCS[(k + ln) % 6]},{1 + (k + ln) % 3 // 2},"
                        f"{10 + (k * 13 + ln) % 5000}.{(k + ln) % 100:02d},SEK,{CATS[(k + ln) % 4]}\n")
                lines += 1
            k += 1
    return k


def one_core():
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def timed(cmd, env=None):
    """(seconds, peak RSS in MB, stdout) of one command on one core."""
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         preexec_fn=one_core)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.monotonic() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:3]} failed: {err.decode()[-500:]}")
    return dt, ru.ru_maxrss / 1024, out.decode()


def psql(dsn, sql):
    p = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql],
                       capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"psql: {p.stderr.strip()}")
    return p.stdout.strip()


class Pg:
    """Fresh databases in the cluster with_pg.py started."""

    def __init__(self, admin):
        self.admin = admin
        self.n = 0

    def fresh(self):
        self.n += 1
        name = f"bench{self.n}"
        psql(self.admin, f'DROP DATABASE IF EXISTS "{name}"')
        psql(self.admin, f'CREATE DATABASE "{name}"')
        return self.admin.replace("dbname=postgres", f"dbname={name}")


def best(rounds):
    return min(rounds, key=lambda r: r[0])


def row(name, lines, t, rss, peer=None):
    ratio = f"{peer / t:5.2f}x" if peer else "     "
    flag = "" if rss <= GOAL_RSS_MB else f"  (over {GOAL_RSS_MB} MB)"
    print(f"  {name:<44} {t:7.2f} s {lines / t:10.0f} lines/s  {ratio}  peak {rss:6.1f} MB{flag}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", default="1000000,4000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir")
    a = ap.parse_args()
    work = a.dir or tempfile.mkdtemp(prefix="kiosk-bench-import-cli-")
    os.makedirs(work, exist_ok=True)
    admin = os.environ.get("KIOSK_TEST_PG")
    pg = Pg(admin) if admin else None
    env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")
    have_sqlite3 = shutil.which("sqlite3") is not None
    print(f"bench_import_cli: kiosk import beside sqlite3 .import and psql \\copy; best of "
          f"{a.repeat}; clients on one core; {os.cpu_count()} CPUs")
    for n in (int(x) for x in a.lines.split(",")):
        csv = os.path.join(work, f"{n}.csv")
        receipts = write_csv(csv, n)
        size_mb = os.path.getsize(csv) / 1e6
        print(f"\n{n} lines in {receipts} receipts ({size_mb:.0f} MB)")
        db = os.path.join(work, "kiosk.db")
        plain = os.path.join(work, "plain.db")
        ks, ss, kp, pp, tp = [], [], [], [], []
        for _ in range(a.repeat):
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
            if os.path.exists(plain):
                os.unlink(plain)
            t, rss, out = timed([KIOSK, "import", csv, "--db", db], env)
            if f"{receipts} new receipts" not in out:
                raise SystemExit(f"kiosk import did not add every receipt: {out}")
            ks.append((t, rss))
            if have_sqlite3:
                ss.append(timed(["sqlite3", plain, f".import --csv '{csv}' lines"])[:2])
            if pg:
                dsn = pg.fresh()
                t, rss, out = timed([KIOSK, "import", csv, "--db", dsn], env)
                if f"{receipts} new receipts" not in out:
                    raise SystemExit(f"kiosk import (PostgreSQL) did not add every receipt: {out}")
                kp.append((t, rss))
                # the same rows into the kiosk's own tables, as psql would load them
                heads, rows = os.path.join(work, "heads.tsv"), os.path.join(work, "rows.tsv")
                psql(dsn, f"\\copy receipts TO '{heads}'")
                psql(dsn, f"\\copy receipt_lines TO '{rows}'")
                psql(dsn, "TRUNCATE receipt_lines, receipts")
                t1, r1, _ = timed(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c",
                                   f"\\copy receipts FROM '{heads}'"])
                t2, r2, _ = timed(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c",
                                   f"\\copy receipt_lines FROM '{rows}'"])
                tp.append((t1 + t2, max(r1, r2)))
                dsn2 = pg.fresh()
                psql(dsn2, "CREATE TABLE lines (receipt_id text, store text, register text,"
                           " purchased_at text, line text, sku text, description text,"
                           " quantity text, unit_price text, currency text, category text)")
                pp.append(timed(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn2, "-c",
                                 f"\\copy lines FROM '{csv}' WITH (FORMAT csv, HEADER true)"])[:2])
        k, s = best(ks), best(ss) if ss else None
        print(" SQLite (ratio: the peer's time / kiosk's time; goal >= 1.0x)")
        row("kiosk import", n, *k, peer=s[0] if s else None)
        if s:
            row("sqlite3 .import --csv (plain table)", n, *s)
        if pg:
            k, p, t = best(kp), best(pp), best(tp)
            print(" PostgreSQL (kiosk against each peer)")
            row("kiosk import", n, *k, peer=p[0])
            row("psql \\copy (plain table)", n, *p)
            label = "kiosk / psql \\copy into the kiosk's tables"
            print(f"  {label:<44} {t[0] / k[0]:5.2f}x")
            row("psql \\copy into the kiosk's tables", n, *t)
        os.unlink(csv)
    if not a.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
