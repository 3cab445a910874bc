"""Disk errors are named as disk errors (issue 13): on a small tmpfs the
tests mount themselves (root, as in CI; 16 MiB holds the demo database of
16 KiB pages with its WAL), a full disk and a read-only disk
are reported in one sentence that says so, never "is not a kiosk
database", and nothing that was saved is lost: once there is room again
the database reads as before."""
import os
import subprocess
import tempfile

import kiosktest as kt

f = kt.Failures()
HERE = os.path.dirname(os.path.abspath(__file__))
RECEIPTS = os.path.join(HERE, "..", "import", "fixtures", "receipts.csv")
mnt = tempfile.mkdtemp(prefix="kiosk-disk-")


def sh(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode:
        raise AssertionError(f"{' '.join(args)}: {p.stderr.strip()}")


sh("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt)
try:
    db = os.path.join(mnt, "kiosk.db")
    p = kt.run(["demo-data"], db=db, env={"KIOSK_NOW": "2026-11-23T10:00:00+01:00"})
    f.eq(p.returncode, 0, "demo data on the small disk: " + p.stderr)
    before = kt.run(["case", "list"], db=db).stdout

    # ---- full: the disk is filled to the last byte --------------------------
    with open(os.path.join(mnt, "fill"), "wb") as fill:
        try:
            while True:
                fill.write(b"\0" * 65536)
        except OSError:
            pass
    p = kt.run(["import", RECEIPTS], db=db)
    f.eq(p.returncode, 1, "import on a full disk: refused")
    f.check(p.stderr.count("\n") == 1 and "the disk is full" in p.stderr
            and "not a kiosk database" not in p.stderr,
            f"one sentence naming the full disk: {p.stderr!r}")
    p = kt.run(["staff", "add", "--name", "Eva Ek", "--role", "staff"], db=db, stdin="1397\n")
    f.check(p.returncode == 1 and "the disk is full" in p.stderr,
            f"staff add on a full disk: {p.stderr!r}")
    os.unlink(os.path.join(mnt, "fill"))
    f.eq(kt.run(["case", "list"], db=db).stdout, before, "room again: every case as it was")

    # ---- read-only: the disk is remounted read-only ---------------------------
    kt.run(["case", "list"], db=db)  # closed cleanly: no -wal or -shm left beside it
    sh("mount", "-o", "remount,ro", mnt)
    p = kt.run(["case", "list"], db=db)
    f.eq(p.returncode, 1, "a read-only disk: refused")
    f.check("read-only" in p.stderr and "not a kiosk database" not in p.stderr,
            f"one sentence naming the read-only disk: {p.stderr!r}")
    p = kt.run(["import", RECEIPTS], db=os.path.join(mnt, "new.db"))
    f.check(p.returncode == 1 and "Read-only file system" in p.stderr,
            f"no new database on a read-only disk: {p.stderr!r}")
    sh("mount", "-o", "remount,rw", mnt)
    f.eq(kt.run(["case", "list"], db=db).stdout, before, "writable again: every case as it was")
finally:
    subprocess.run(["umount", mnt])
    os.rmdir(mnt)
f.done()
