"""bench_offline: a kiosk's offline journal against the chain's PostgreSQL
database (issue 14).

    KIOSK_BIN=build/kiosk RACE_TOOL=build/tests/race_tool PYTHONPATH=tests/common \\
      python3 tests/common/with_pg.py python3 tests/bench/bench_offline.py \\
      [--cases 10000] [--window 20000] [--chain 100000,1000000]

1. Cache refresh: the chain holds --window receipts of the kiosk's store
   (0042) bought in the last 14 days ([offline] cache_days) and, beside
   them, receipts of other stores and older ones, first the first --chain
   figure in all, then the next. `kiosk offline sync --once` into an empty
   journal copies the window: time, receipts/s and peak RSS at each chain
   size, and the ratio of the largest chain's time to the smallest's (the
   refresh reads the store's window by an index, so it should stay near
   1.0 while the chain grows).
2. Replay: --cases fault reports taken offline (the kiosk's own use case,
   race_tool kiosk, with the chain unreachable) are sent by `kiosk offline
   sync --once`: time, cases/s, peak RSS, beside the same number of cases
   registered online by the same use case (the peer: what the chain takes
   from a kiosk that never went offline), and the ratio.

Peak RSS is each command's own (wait4). Figures only; nothing here asserts
on time. Exits 77 without a cluster (KIOSK_TEST_PG unset)."""
import argparse
import atexit
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from pgcluster import psql

KIOSK = os.environ.get("KIOSK_BIN", "kiosk")
TOOL = os.environ.get("RACE_TOOL", "race_tool")
NOW = "2026-11-23T10:00:00+01:00"
TODAY = datetime.date(2026, 11, 23)
HEADER = ("receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,"
          "currency,category\n")
RECEIPT = "RS004200320261122001234"  # written first: the one the cases are about


def timed(cmd, env):
    """(seconds, peak RSS in MB, stdout) of one command (its own rusage, by
    wait4; its output through files so nothing waits on a pipe)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.monotonic() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode:
            raise SystemExit(f"{' '.join(cmd[:3])} failed: {err.read().decode()[-500:]}")
        return dt, ru.ru_maxrss / 1024, out.read().decode()


def write_receipts(path, first, n, store_of, day_of):
    """n receipts of 1 to 3 lines, numbered from first."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for k in range(first, first + n):
            store, day = store_of(k), day_of(k)
            rid = f"RS{store}{1 + k // 1000000:03d}{day:%Y%m%d}{k % 1000000:06d}"
            stamp = f"{day:%Y-%m-%d}T{9 + k % 11:02d}:{k % 60:02d}:00+01:00"
            for ln in range(1, 2 + k % 3):
                f.write(f"{rid},{store},{1 + k // 1000000:03d},{stamp},{ln},"
                        f"73500{(k * 3 + ln) % 100000000:08d},Vara {k % 97},1,"
                        f"{10 + (k * 13 + ln) % 5000}.00,SEK,electronics\n")


def import_csv(db, path, env):
    p = subprocess.run([KIOSK, "import", path, "--db", db], capture_output=True, text=True,
                       env=env)
    if p.returncode:
        raise SystemExit("import: " + p.stderr.strip())


def kiosk_ini(tmp, journal):
    path = os.path.join(tmp, "kiosk.ini")
    with open(path, "w") as w:
        w.write(f"[kiosk]\nname = Kiosk 1\n[offline]\njournal = {journal}\nkiosk_number = 1\n")
    return path


def sync(db, ini, env):
    t, rss, out = timed([KIOSK, "offline", "sync", "--once", "--json", "--db", db,
                         "--config", ini], env)
    return t, rss, json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--window", type=int, default=20000)
    ap.add_argument("--chain", default="100000,1000000")
    a = ap.parse_args()
    admin = os.environ.get("KIOSK_TEST_PG")
    if not admin:
        print("SKIPPED: no PostgreSQL cluster (run through with_pg.py)", file=sys.stderr)
        sys.exit(77)
    sizes = sorted(int(s) for s in a.chain.split(","))
    if sizes[0] < a.window:
        raise SystemExit("--chain sizes must hold the window")
    tmp = tempfile.mkdtemp(prefix="kiosk-bench-offline-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    env = dict(os.environ, KIOSK_NOW=NOW, RACE_DELAY_MS="0")
    psql(admin, "DROP DATABASE IF EXISTS bench_offline")
    psql(admin, "CREATE DATABASE bench_offline")
    db = admin.replace("dbname=postgres", "dbname=bench_offline")
    csv = os.path.join(tmp, "receipts.csv")

    # ---- 1. cache refresh --------------------------------------------------
    print(f"bench_offline: cache refresh of store 0042's {a.window} receipts of the last 14 days"
          f" with the chain at {', '.join(f'{s:,}' for s in sizes)} receipts")
    with open(csv, "w", encoding="utf-8") as f:
        f.write(HEADER + f"{RECEIPT},0042,003,2026-11-22T14:05:00+01:00,1,7310865004703,"
                         "Vattenkokare Stål,1,499.00,SEK,electronics\n")
    import_csv(db, csv, env)
    write_receipts(csv, 1, a.window - 1, lambda k: "0042",
                   lambda k: TODAY - datetime.timedelta(days=1 + k % 13))
    import_csv(db, csv, env)
    have, rows = a.window, []
    for size in sizes:
        # the rest of the chain: 200 other stores over a year, and this
        # store's older receipts
        n = size - have
        write_receipts(csv, have + 1, n,
                       lambda k: "0042" if k % 200 == 0 else f"{1000 + k % 199:04d}",
                       lambda k: TODAY - datetime.timedelta(days=15 + k % 350))
        import_csv(db, csv, env)
        have = size
        runs = []
        for r in range(3):
            journal = os.path.join(tmp, f"journal-{size}-{r}.db")
            t, rss, res = sync(db, kiosk_ini(tmp, journal), env)
            runs.append((t, rss, res["receipts_cached"]))
        runs.sort()
        t, rss, cached = runs[1]
        rows.append(t)
        print(f"  chain {size:>10,} receipts: {cached:,} cached in {t:6.2f} s (median of 3),"
              f" {cached / t:9.0f} receipts/s, peak {rss:6.1f} MB"
              f"  {t / rows[0]:5.2f}x the smallest chain's time")

    # ---- 2. replay -----------------------------------------------------------
    journal = os.path.join(tmp, "journal.db")
    ini = kiosk_ini(tmp, journal)
    sync(db, ini, env)  # the receipt cache, as kiosk-sync.service keeps it
    dead = "host=/nonexistent dbname=chain connect_timeout=1"
    t_off, _, out = timed([TOOL, "kiosk", dead, ini, str(a.cases), RECEIPT], env)
    taken = sum(1 for line in out.splitlines() if line.split()[1] == "offline")
    if taken != a.cases:
        raise SystemExit(f"{taken} of {a.cases} cases taken offline")
    t_re, rss_re, res = sync(db, ini, env)
    if res["sent"] != a.cases or res["waiting"] != 0:
        raise SystemExit(f"replay: {res}")
    # the peer: the same cases registered online, by another kiosk
    other = os.path.join(tmp, "kiosk2.ini")
    with open(other, "w") as w:
        w.write("[kiosk]\nname = Kiosk 2\n")
    t_on, rss_on, out = timed([TOOL, "kiosk", db, other, str(a.cases), RECEIPT], env)
    online = sum(1 for line in out.splitlines() if line.split()[1] == "online")
    if online != a.cases:
        raise SystemExit(f"{online} of {a.cases} cases registered online")
    print(f"bench_offline: replay of {a.cases:,} cases taken offline (taking them offline:"
          f" {t_off:.2f} s, {a.cases / t_off:.0f} cases/s)")
    print(f"  replay (kiosk offline sync --once)        {t_re:7.2f} s {a.cases / t_re:8.0f} cases/s"
          f"  peak {rss_re:6.1f} MB")
    print(f"  peer: the same registered online          {t_on:7.2f} s {a.cases / t_on:8.0f} cases/s"
          f"  peak {rss_on:6.1f} MB")
    print(f"  replay / online time: {t_re / t_on:.2f}x")


if __name__ == "__main__":
    main()
