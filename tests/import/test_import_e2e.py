"""End-to-end tests of `kiosk import` with the real binary and a real
database (an SQLite file, or PostgreSQL with KIOSK_TEST_BACKEND=postgresql):
CSV and POSLog fixtures, refusals that leave the database exactly as it was
(compared as a full dump), re-import adding nothing, and å ä ö surviving
the round trip."""
import os
import shutil
import subprocess
import time
import sys

import kiosktest as kt

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
f = kt.Failures()
tmp = kt.tempdir()
db = kt.database(tmp)
big_db = kt.database(tmp, "big.db")
tty_db = kt.database(tmp, "tty.db")


def fixture(name):
    return os.path.join(FIX, name)


def dump_of(path):
    """Every row of every table."""
    return kt.dump(path)


def dump():
    return dump_of(db)


def imp(name):
    return kt.run(["import", fixture(name)], db=db)


# --- a good CSV -----------------------------------------------------------
p = imp("receipts.csv")
f.eq(p.returncode, 0, "import receipts.csv exit (stderr: %s)" % p.stderr.strip())
f.eq(p.stdout, fixture("receipts.csv") +
     ": CSV, 3 receipts with 5 lines, 3 new receipts\n", "import receipts.csv summary")

p, r = kt.run_json(["receipt", "show", "--json", "RS004200320261122001234"], db=db)
f.eq(p.returncode, 0, "receipt show exit")
if f.check(r is not None, "receipt show printed JSON: " + p.stdout + p.stderr):
    f.eq(r["store"], "0042", "store")
    f.eq(r["register"], "003", "register")
    f.eq(r["purchased_at"], "2026-11-22T14:05:00+01:00", "purchased_at")
    f.eq(r["currency"], "SEK", "currency")
    f.eq([l["description"] for l in r["lines"]],
         ['Hörlurar "Bass", svarta', "Äggklocka"], "descriptions with å ä ö, quote, comma")
    f.eq([l["quantity"] for l in r["lines"]], [1, 2], "quantities")
    f.eq([str(l["unit_price"]) for l in r["lines"]], ["499.0", "89.9"], "unit prices")
    f.eq([l["category"] for l in r["lines"]], ["electronics", "kitchen"], "categories")
p, r = kt.run_json(["receipt", "show", "--json", "RS004200120261101000042"], db=db)
if f.check(r is not None, "second receipt shows"):
    f.eq(r["lines"][1]["description"], "Örhängen i silver", "Ö survives")
    f.eq(str(r["lines"][1]["unit_price"]), "1299.5", "1299.5 kept exactly")

# --- importing again changes nothing --------------------------------------
before = dump()
p = imp("receipts.csv")
f.eq(p.returncode, 0, "re-import exit")
f.eq(p.stdout, fixture("receipts.csv") +
     ": CSV, 3 receipts with 5 lines, 0 new receipts\n", "re-import summary")
f.eq(dump(), before, "database after re-import")

# --- refusals: exact reason, database exactly as before -------------------
REFUSALS = [
    # file, stderr
    ("bad_price.csv", "line 6: unit_price '39,00' is not a price like 12.50"),
    ("bad_currency.csv",
     "line 3: unknown currency 'EURO' (an ISO 4217 code such as SEK or EUR)"),
    ("broken_poslog.xml", "line 14: broken XML: mismatched tag"),
    ("zero_quantity.csv", "line 3: quantity '0' is not a whole number from 1 to 100000"),
    ("negative_quantity.csv", "line 4: quantity '-2' is not a whole number from 1 to 100000"),
    ("conflict.csv",
     "Receipt RS004200220260615000101 is already imported with different lines or details."),
]
for i, (name, reason) in enumerate(REFUSALS):
    before = dump()
    p = imp(name)
    f.eq(p.returncode, 1, "i:%d %s exit" % (i, name))
    f.eq(p.stdout, "", "i:%d %s stdout" % (i, name))
    f.eq(p.stderr, "kiosk import: %s: %s (nothing was imported)\n" % (fixture(name), reason),
         "i:%d %s stderr" % (i, name))
    f.eq(dump(), before, "i:%d database after refusing %s" % (i, name))
# the good first rows of the refused files were not saved either
for rid in ("RS004200320261120000500", "RS004200320261120000501", "RS004200320261120000502"):
    p = kt.run(["receipt", "show", rid], db=db)
    f.eq(p.returncode, 1, f"a good row of a refused file is not in the database ({rid})")

# --- POSLog -----------------------------------------------------------------
p = imp("receipts_poslog.xml")
f.eq(p.returncode, 0, "POSLog exit (stderr: %s)" % p.stderr.strip())
f.eq(p.stdout, fixture("receipts_poslog.xml") +
     ": POSLog, 1 receipt with 2 lines, 1 new receipt\n", "POSLog summary")
p, r = kt.run_json(["receipt", "show", "--json", "RS004200420261121000777"], db=db)
if f.check(r is not None, "POSLog receipt under the id its barcode carries: " + p.stderr):
    f.eq(r["register"], "004", "POSLog register padded")
    f.eq(r["purchased_at"], "2026-11-21T17:02:44+01:00", "POSLog EndDateTime")
    f.eq([(l["line"], l["sku"], l["description"], l["quantity"], str(l["unit_price"]))
          for l in r["lines"]],
         [(1, "7310865004703", "Bärbar högtalare, blå", 1, "699.0"),
          (3, "7310865002233", "Skärbräda & kniv", 2, "129.9")],
         "POSLog lines: actual price, void skipped, ExtendedAmount / quantity")
before = dump()
p = imp("receipts_poslog.xml")
f.eq(p.stdout, fixture("receipts_poslog.xml") +
     ": POSLog, 1 receipt with 2 lines, 0 new receipts\n", "POSLog re-import")
f.eq(dump(), before, "database after POSLog re-import")

# --- usage and missing files -------------------------------------------------
p = kt.run(["import"], db=db)
f.eq(p.returncode, 2, "no file is a usage error")
missing = os.path.join(tmp, "nope.csv")
p = kt.run(["import", missing], db=db)
f.eq(p.returncode, 1, "missing file exit")
f.eq(p.stderr, "kiosk import: %s: cannot open %s: No such file or directory "
     "(nothing was imported)\n" % (missing, missing), "missing file reason")

# --- progress: a non-terminal stderr of a small file stays quiet ------------
p = imp("receipts.csv")
f.eq(p.stderr, "", "no progress for a small file on a pipe")

# --- progress: a large file shows it even on a pipe, as one updating line ----
big = os.path.join(tmp, "big.csv")
with open(big, "w", encoding="utf-8") as out:
    out.write(open(fixture("receipts.csv"), encoding="utf-8").readline())
    k = 0
    while out.tell() < 17 * 1024 * 1024:  # the CLI's threshold is 16 MiB
        for line in (1, 2):
            out.write("RS0042001202611%02d%06d,0042,001,2026-11-%02dT12:00:00+01:00,%d,"
                      "7310865%06d,\"Långkalsonger, ull, storlek %d\",1,%d.95,SEK,clothing\n"
                      % (1 + k % 20, k, 1 + k % 20, line, k % 999999, line, 100 + k % 900))
        k += 1
    # the first receipt again at the very end: its rows are in both halves
    out.write("RS004200120261101000000,0042,001,2026-11-01T12:00:00+01:00,3,7310865000000,"
              "Sista raden,1,1.00,SEK,clothing\n")
# bytes, not text: text mode would turn the \r into newlines
p = subprocess.run([kt.KIOSK, "import", big, "--db", big_db],
                   capture_output=True, env=dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00"))
err = p.stderr.decode()
f.eq(p.returncode, 0, "large import exit (stderr: %s)" % err[-200:])
f.eq(p.stdout.decode(), "%s: CSV, %d receipts with %d lines, %d new receipts\n"
     % (big, k, 2 * k + 1, k), "large import summary")
p, r = kt.run_json(["receipt", "show", "--json", "RS004200120261101000000"],
                   db=big_db)
f.eq([l["line"] for l in (r or {}).get("lines", [])], [1, 2, 3],
     "a receipt with rows at both ends of a large file is whole")
f.eq(err, "", "no progress lines when stderr is not a terminal (a log or a pipe)")
# the same file again: the receipt whose rows stand at both ends (in
# different blocks of the streamed read) is recognised as already there
p = kt.run(["import", big], db=big_db, timeout=300)
f.eq((p.returncode, p.stdout), (0, "%s: CSV, %d receipts with %d lines, 0 new receipts\n"
                                % (big, k, 2 * k + 1)), "large import again: nothing new")

# a file cut short while it is being imported (a POS export rewritten in
# place): an answer in one sentence and nothing half saved, never a crash
for delay in (0.02, 0.1, 0.3):
    cut = os.path.join(tmp, "big_cut.csv")
    shutil.copy(big, cut)
    cut_db = os.path.join(tmp, "cut.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(cut_db + suffix):
            os.unlink(cut_db + suffix)
    pr = subprocess.Popen([kt.KIOSK, "import", cut, "--db", cut_db], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          env=dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00"))
    time.sleep(delay)
    os.truncate(cut, os.path.getsize(cut) // 3)
    out, err = pr.communicate(timeout=120)
    f.check(pr.returncode in (0, 1), f"cut after {delay} s: exit {pr.returncode} "
                                     f"(not a signal): {err[-200:]!r}")
    if pr.returncode == 1:
        f.check(err.count("\n") == 1 and err.endswith("(nothing was imported)\n"),
                f"cut after {delay} s: one sentence: {err!r}")
        p = kt.run(["receipt", "show", "RS004200120261101000000"], db=cut_db)
        f.eq(p.returncode, 1, f"cut after {delay} s: nothing was saved")

# a large file with a problem on its last line: the same exact reason
bad = os.path.join(tmp, "big_bad.csv")
with open(bad, "w", encoding="utf-8") as out:
    out.write(open(big, encoding="utf-8").read())
    out.write("RS004200120261101000001,0042,001,2026-11-01T12:00:00+01:00,9,1,x,1,1.00,SEK,c,d\n")
before = dump_of(big_db)
p = kt.run(["import", bad], db=big_db, timeout=300)
f.eq(p.returncode, 1, "large bad file exit")
f.eq(p.stderr.split("\n")[-2] if p.stderr.count("\n") else p.stderr,
     "kiosk import: %s: line %d: expected 11 fields, found more (nothing was imported)"
     % (bad, 2 * k + 3), "large bad file reason")
f.eq(dump_of(big_db), before, "large bad file changes nothing")

# --- imports take turns: one waits for another past a kiosk's 5 s ---------
# (SQLite here: another writer holds the file's write lock; on PostgreSQL
# store_pg_import_beside holds a real import.) A chain's nightly files
# arrive together, and each must get its turn, or give up after [import]
# wait_seconds with one line that says so and nothing changed.
if kt.backend() == "sqlite":
    import sqlite3
    turn_db = kt.database(tmp, "turns.db")
    p = kt.run(["import", fixture("receipts.csv")], db=turn_db)
    f.eq(p.returncode, 0, "turns: the first file")
    impatient = os.path.join(tmp, "impatient.ini")
    with open(impatient, "w", encoding="utf-8") as out:
        out.write("[import]\nwait_seconds = 1\n")
    before = dump_of(turn_db)
    holder = sqlite3.connect(turn_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")
    patient = subprocess.Popen([kt.KIOSK, "import", fixture("receipts_poslog.xml"), "--db",
                                turn_db], env=env, text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    p = kt.run(["import", fixture("receipts_poslog.xml"), "--config", impatient],
               db=turn_db)
    f.eq(p.returncode, 1, "turns: the import with a 1 s wait gives up")
    f.eq(p.stderr, "kiosk import: %s: another import (or a migration) was still "
         "running after 1 second ([import] wait_seconds); try again when it has finished "
         "(nothing was imported)\n" % fixture("receipts_poslog.xml"), "turns: its reason")
    f.eq(dump_of(turn_db), before, "turns: giving up changes nothing")
    time.sleep(7)
    f.eq(patient.poll(), None, "turns: after 7 s the other import still waits")
    holder.execute("ROLLBACK")
    holder.close()
    out, err = patient.communicate(timeout=60)
    f.eq(patient.returncode, 0, "turns: the waiting import has its turn: " + err)
    f.eq(err, "kiosk import: %s: waiting for another import to finish (up to 600 seconds)\n"
         % fixture("receipts_poslog.xml"), "turns: it said so in one line")
    f.check(out.endswith("1 new receipt\n"), "turns: and stored its receipt: %r" % out)

# --- progress: on a terminal, one line that updates (\r), then a newline ---
import pty
master, slave = pty.openpty()
env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")
proc = subprocess.Popen([kt.KIOSK, "import", fixture("receipts_poslog.xml"), "--db",
                         tty_db], stdout=subprocess.PIPE,
                        stderr=slave, env=env)
os.close(slave)
out = proc.stdout.read().decode()
proc.wait()
tty = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:  # EIO: the other side is closed
        break
    if not chunk:
        break
    tty += chunk
os.close(master)
tty = tty.decode().replace("\r\n", "\n")  # the terminal's own newline translation
f.eq(proc.returncode, 0, "import with a terminal on stderr")
f.check(tty.startswith("\rimporting ") and tty.endswith("\n") and tty.count("\n") == 1,
        "progress is one updating line: %r" % tty)
f.check("saving receipts: 1 of 1 (100%)" in tty, "progress reaches the save: %r" % tty)
f.check(out.endswith("1 new receipt\n"), "summary still on stdout: %r" % out)

shutil.rmtree(tmp)
f.done()
