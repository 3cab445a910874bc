"""`kiosk backup FILE`: a kiosk's own database copied while it runs
(KIOSK_TEST_BACKEND=postgresql: refused, as the server backs that up).

- Four processes register cases while three backups are taken over one
  another: each copy is a consistent moment (the audit chain verifies, no
  case without its timeline, only cases that the database holds too),
  readable by its owner only, and the folder holds nothing but the backup.
- Taken after the writers stop, the copy lists what the database lists,
  and a kiosk opened on it (a restore) shows a case as the database does.
- Refused, with one line and nothing written: the database itself, a file
  that is not a backup, a folder, a folder that is not there; no FILE is a
  usage error. A damaged database fails its backup, and none is left.
"""
import os
import sqlite3
import stat
import subprocess
import time

import kiosktest as kt

TOOL = os.environ["RACE_TOOL"]
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "ui", "fixtures")
f = kt.Failures()
tmp = kt.tempdir()
db = kt.database(tmp, "kiosk.db")
env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")
backups = os.path.join(tmp, "backups")
os.mkdir(backups)
dest = os.path.join(backups, "kiosk-backup.db")

p = kt.run(["import", os.path.join(FIXTURES, "receipts.csv")], db=db)
f.eq(p.returncode, 0, "fixture receipts imported: " + p.stderr)

if kt.backend() == "postgresql":
    p = kt.run(["backup", dest], db=db)
    f.eq((p.returncode, p.stdout, p.stderr),
         (1, "", "kiosk backup: A PostgreSQL database is backed up on its server (pg_dump, or "
                 "pg_basebackup with its WAL archived), not by a kiosk.\n"),
         "a chain's database is refused in one line")
    f.eq(os.listdir(backups), [], "nothing was written")
    f.done()


def copy_facts(path):
    """What a copy holds: (integrity verdict, case ids, cases without a timeline)."""
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = c.execute("PRAGMA integrity_check").fetchone()[0]
        ids = sorted(r[0] for r in c.execute("SELECT id FROM cases"))
        bare = c.execute("SELECT COUNT(*) FROM cases WHERE seq NOT IN "
                         "(SELECT case_seq FROM case_events)").fetchone()[0]
    finally:
        c.close()
    return verdict, ids, bare


def looked_at(path):
    """A backup checked by the kiosk itself, on a copy of it (opening a file
    makes it WAL): the audit chain's verdict and the case list."""
    probe = os.path.join(tmp, "probe.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(probe + suffix):
            os.remove(probe + suffix)
    with open(path, "rb") as src, open(probe, "wb") as out:
        out.write(src.read())
    audit = kt.run(["audit", "verify"], db=probe)
    _, listed = kt.run_json(["case", "list", "--json"], db=probe)
    return audit, sorted(c["case_id"] for c in listed or [])


# --- backups while four kiosks register ---------------------------------------
writers = [subprocess.Popen([TOOL, "register", db, "400"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)]


def registered():
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return c.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    finally:
        c.close()


taken, during = [], 0
for i in range(3):
    # each backup after some more cases were registered
    floor = 40 * (i + 1)
    while registered() < floor and any(w.poll() is None for w in writers):
        time.sleep(0.02)
    running = all(w.poll() is None for w in writers)
    p = kt.run(["backup", dest], db=db, timeout=120)
    during += running and all(w.poll() is None for w in writers)
    ok = f.eq(p.returncode, 0, f"backup {i} taken while cases are registered: " + p.stderr)
    f.check(p.stdout.startswith(f"Backed up the database to {dest} (") and
            p.stdout.endswith(" MB).\n"), f"backup {i} says where: {p.stdout!r}")
    if ok:
        verdict, ids, bare = copy_facts(dest)
        f.eq(verdict, "ok", f"backup {i} reads whole")
        f.eq(bare, 0, f"backup {i} has no case without its timeline")
        audit, listed = looked_at(dest)
        f.eq(audit.returncode, 0, f"backup {i}'s audit chain verifies: {audit.stdout}{audit.stderr}")
        f.eq(listed, ids, f"backup {i} lists its cases")
        f.eq(stat.S_IMODE(os.stat(dest).st_mode), 0o600, f"backup {i} is its owner's only")
        taken.append(ids)
    f.eq(os.listdir(backups), ["kiosk-backup.db"], f"backup {i} left nothing else beside it")
acked = []
for w in writers:
    out, err = w.communicate(timeout=600)
    f.eq(w.returncode, 0, "a registering process ran to its end: " + err[-300:])
    acked += [line.split()[0] for line in out.splitlines()]
f.eq(during, 3, "every backup began and ended while all four were registering")
_, live = kt.run_json(["case", "list", "--json"], db=db)
live_ids = sorted(c["case_id"] for c in live or [])
for i, ids in enumerate(taken):
    f.eq(sorted(set(ids) - set(live_ids)), [], f"backup {i} holds only cases the database holds")
f.check(all(len(a) <= len(b) for a, b in zip(taken, taken[1:])),
        f"each backup holds at least what the one before held: {[len(t) for t in taken]}")

# --- after the writers: the copy is the database --------------------------------
_, out = kt.run_json(["backup", "--json", dest], db=db)
f.eq(out and (out["backup"], out["bytes"] == os.path.getsize(dest)), (dest, True),
     "--json names the backup and its size")
audit, listed = looked_at(dest)
f.eq(listed, live_ids, "the backup lists every case the database lists")
case = live_ids[-1]
_, want = kt.run_json(["case", "show", "--json", case], db=db)
restored = os.path.join(tmp, "restored.db")
with open(dest, "rb") as src, open(restored, "wb") as out_f:
    out_f.write(src.read())
_, got = kt.run_json(["case", "show", "--json", case], db=restored)
f.check(want is not None and got == want, f"a kiosk opened on the backup shows {case} as it was")


# --- refusals: one line, nothing written ----------------------------------------
def refused(target, line, what):
    before = {n: open(os.path.join(backups, n), "rb").read() for n in os.listdir(backups)
              if os.path.isfile(os.path.join(backups, n))}
    db_bytes = open(db, "rb").read()
    p = kt.run(["backup", target], db=db)
    f.eq((p.returncode, p.stdout, p.stderr), (1, "", f"kiosk backup: {line}\n"), what)
    after = {n: open(os.path.join(backups, n), "rb").read() for n in os.listdir(backups)
             if os.path.isfile(os.path.join(backups, n))}
    f.check(after == before, what + ": the backups' folder is as it was")
    f.check(open(db, "rb").read() == db_bytes, what + ": the database is as it was")


refused(db, f"{db} is the database itself; give the backup another name.",
        "the database itself")
notes = os.path.join(backups, "notes.txt")
with open(notes, "w") as n:
    n.write("the store's own notes\n")
refused(notes, f"{notes} is there already and is not a database backup; the backup does not "
        "write over it.", "a file that is not a backup")
os.mkdir(os.path.join(backups, "old"))
refused(os.path.join(backups, "old"),
        f"{os.path.join(backups, 'old')} is not a file; give the backup a file name.", "a folder")
missing = os.path.join(tmp, "no-such-folder", "kiosk.db")
refused(missing, f"The backup cannot be written beside {missing}: No such file or directory.",
        "a folder that is not there")
p = kt.run(["backup"], db=db)
f.eq(p.returncode, 2, "no FILE is a usage error: " + p.stderr)

# --- a damaged database is not kept as a good backup -----------------------------
damaged = os.path.join(tmp, "damaged.db")
with open(db, "rb") as src:
    data = bytearray(src.read())
page = int.from_bytes(data[16:18], "big") or 65536
middle = (len(data) // page // 2) * page
data[middle:middle + 64] = b"\xff" * 64  # a b-tree page's header and cell pointers
with open(damaged, "wb") as out_f:
    out_f.write(data)
night = os.path.join(backups, "damaged-backup.db")
p = kt.run(["backup", night], db=damaged)
f.check(p.returncode == 1 and p.stderr.startswith(f"kiosk backup: The copy {night}.") and
        " is damaged: " in p.stderr and p.stderr.count("\n") == 1,
        f"a damaged database fails its backup in one line: {p.returncode} {p.stderr!r}")
f.check(not os.path.exists(night), "and no backup is left")
f.done()
