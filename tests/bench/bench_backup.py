"""`kiosk backup` beside the sqlite3 shell's `.backup` of the same database
(SQLite's online backup API: a page-by-page copy), at the sizes a kiosk's
own file reaches: receipts imported from generated CSVs (1 to 3 lines
each). Per size: the database's size, then each command's best time of
--repeat, its peak RSS, and the ratio kiosk time / shell time. The kiosk
also reads the copy back whole and flushes it; the shell does neither, so
the ratio shows what that check costs.

  KIOSK_BIN=build/kiosk python3 tests/bench/bench_backup.py [--lines 1000000,4000000] [--repeat 3]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from bench_import_cli import timed, write_csv

KIOSK = os.environ.get("KIOSK_BIN", "kiosk")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", default="1000000,4000000")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if not shutil.which("sqlite3"):
        print("SKIPPED: no sqlite3 shell for the peer", file=sys.stderr)
        sys.exit(77)
    env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")
    work = tempfile.mkdtemp(prefix="kiosk-bench-backup-")
    print(f"{'database':>22} {'command':<26} {'best s':>8} {'peak RSS MB':>12} {'kiosk/shell':>12}")
    try:
        for n in (int(x) for x in a.lines.split(",")):
            db = os.path.join(work, f"{n}.db")
            csv = os.path.join(work, f"{n}.csv")
            receipts = write_csv(csv, n)
            timed([KIOSK, "import", csv, "--db", db], env)
            os.unlink(csv)
            size = f"{receipts} receipts, {os.path.getsize(db) / 1e6:.0f} MB"
            kiosk, shell = [], []
            for _ in range(a.repeat):
                for dest, runs, cmd in (
                        (os.path.join(work, "k.db"), kiosk, [KIOSK, "backup", "--db", db]),
                        (os.path.join(work, "s.db"), shell, ["sqlite3", db])):
                    if os.path.exists(dest):
                        os.unlink(dest)
                    full = cmd + [dest] if cmd[0] == KIOSK else cmd + [f".backup '{dest}'"]
                    t, rss, _ = timed(full, env)
                    runs.append((t, rss))
            kt, krss = min(kiosk)[0], max(r for _, r in kiosk)
            st, srss = min(shell)[0], max(r for _, r in shell)
            print(f"{size:>22} {'kiosk backup':<26} {kt:8.2f} {krss:12.1f} {kt / st:12.2f}")
            print(f"{'':>22} {'sqlite3 .backup':<26} {st:8.2f} {srss:12.1f}")
            os.unlink(db)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
