"""bench_import_locale: `kiosk import` into PostgreSQL databases made with
the C.UTF-8 locale and with a language's (sv_SE.UTF-8, as a Swedish chain's
server may be set up). Since schema 11 receipt ids compare byte by byte in
both, so the import should take the same time in either (issue 10's import
goal; before schema 11 the Swedish database took ~1.35x as long).

    localedef -i sv_SE -f UTF-8 sv_SE.UTF-8     # once, as root, if missing
    KIOSK_BIN=build/kiosk PYTHONPATH=tests/common python3 tests/bench/bench_import_locale.py \\
        [--lines 1000000] [--repeat 2]

Each round imports the same generated file into a fresh database, the kiosk
pinned to one core; best of --repeat, with peak RSS."""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgcluster  # noqa: E402
from bench_import_cli import KIOSK, timed, write_csv  # noqa: E402

LOCALES = ("C.UTF-8", "sv_SE.UTF-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1000000)
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    if "sv_SE.utf8" not in subprocess.run(["locale", "-a"], capture_output=True,
                                          text=True).stdout:
        raise SystemExit("bench_import_locale: the sv_SE.UTF-8 locale is missing "
                         "(localedef -i sv_SE -f UTF-8 sv_SE.UTF-8)")
    why = pgcluster.available()
    if why:
        raise SystemExit("bench_import_locale: " + why)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as work:
        csv = os.path.join(work, "lines.csv")
        receipts = write_csv(csv, a.lines)
        cl = pgcluster.cluster()
        try:
            best = {}
            for loc in LOCALES:
                runs = []
                for i in range(a.repeat):
                    db = f"imp_{loc.split('.')[0].lower()}_{i}"
                    pgcluster.psql(cl.dsn("postgres"), f"CREATE DATABASE {db} TEMPLATE template0"
                                                        f" LOCALE '{loc}'")
                    t, rss, out = timed([KIOSK, "import", csv, "--db", cl.dsn(db)], env)
                    if f"{receipts} new receipts" not in out:
                        raise SystemExit(f"kiosk import did not add every receipt: {out}")
                    runs.append((t, rss))
                best[loc] = min(runs)
        finally:
            cl.close()
    print(f"bench_import_locale: kiosk import of {a.lines} lines ({receipts} receipts) into "
          f"PostgreSQL, one core, best of {a.repeat}")
    print(f"{'database locale':18s} {'time s':>8s} {'lines/s':>10s} {'RSS MB':>7s}")
    for loc in LOCALES:
        t, rss = best[loc]
        print(f"{loc:18s} {t:8.2f} {a.lines / t:10.0f} {rss:7.1f}")
    ratio = best["sv_SE.UTF-8"][0] / best["C.UTF-8"][0]
    print(f"sv_SE.UTF-8 / C.UTF-8 time: {ratio:.2f}x (byte-order ids: about 1.0x)")


if __name__ == "__main__":
    main()
