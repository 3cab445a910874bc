"""The chain's kiosks register cases while an import runs (PostgreSQL).
Imports take turns with each other, not with registrations: an import
never changes a receipt that was stored before. Before, an import took the
whole database, and every registration of the chain waited for it and was
told "the database is busy" after 5 s (a 4 M-line import takes 35 s).

- An import is held mid-way: a test session holds receipt_lines in SHARE
  mode, so the import waits at its first COPY of lines, inside its
  transaction, after its locks.
- Meanwhile a registration (race_tool: a no-receipt return and the return
  of the fixture's kettle) is acknowledged, and the import is still
  waiting when it is.
- A second import of the same file, started then, waits for the first
  (they take turns), past the five seconds a kiosk waits for a counter,
  and says in one line that it waits: a chain's nightly files of many
  stores arrive together, and each must get its turn.
- A third, with `[import] wait_seconds = 1`, gives up after its wait with
  a one-line reason and changes nothing.
- A staff member is added meanwhile (staff are numbered in turns with each
  other, not with imports: under the whole database the add waited 5 s
  for the import and was refused as busy, with the chain's registrations
  queued behind it).
- Released, the first import stores every receipt of the file and the
  second finds every one there; both cases are stored.
"""
import os
import subprocess
import time

import kiosktest as kt
import pgcluster

why = pgcluster.available()
if why:
    kt.skip_all(why)

f = kt.Failures()
cl = pgcluster.cluster()
TOOL = os.environ["RACE_TOOL"]
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "ui", "fixtures")
RECEIPTS = 3000
ENV = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")


def write_csv(path):
    with open(path, "w", encoding="utf-8") as out:
        out.write("receipt_id,store,register,purchased_at,line,sku,description,quantity,"
                  "unit_price,currency,category\n")
        for k in range(RECEIPTS):
            out.write(f"RS004200920261120{k:06d},0042,009,2026-11-20T11:00:00+01:00,1,"
                      f"7350{k:08d},Vara,1,99.50,SEK,electronics\n")


def main():
    work = kt.tempdir(prefix="kiosk-beside-")
    csv = os.path.join(work, "receipts.csv")
    write_csv(csv)
    dsn = cl.database("beside")
    p = kt.run(["import", os.path.join(FIXTURES, "receipts.csv")], db=dsn)
    f.eq(p.returncode, 0, "the fixture's receipts: " + p.stderr)

    holder = pgcluster.Session(dsn)
    holder.send("BEGIN; LOCK TABLE receipt_lines IN SHARE MODE;")
    holder.wait()
    first = subprocess.Popen([kt.KIOSK, "import", csv, "--db", dsn], env=ENV, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    held = pgcluster.waiting(dsn, "COPY receipt_lines", "relation")
    f.check(held, "the import waits inside its transaction, at its lines")

    reg = subprocess.run([TOOL, "register", dsn, "2"], env=ENV, text=True,
                         capture_output=True, timeout=60)
    f.eq(reg.returncode, 0, f"a registration during the import: {reg.stderr.strip()}")
    cases = [line.split()[0] for line in reg.stdout.splitlines()]
    f.eq(len(cases), 2, f"both cases acknowledged: {reg.stdout!r} {reg.stderr!r}")
    f.check(held and pgcluster.waiting(dsn, "COPY receipt_lines", "relation", 0.5),
            "the import was still waiting when the cases were acknowledged")

    impatient = os.path.join(work, "impatient.ini")
    with open(impatient, "w", encoding="utf-8") as out:
        out.write("[import]\nwait_seconds = 1\n")
    second = subprocess.Popen([kt.KIOSK, "import", csv, "--db", dsn], env=ENV, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    third = subprocess.Popen([kt.KIOSK, "import", csv, "--db", dsn, "--config", impatient],
                             env=ENV, text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    started = time.monotonic()
    f.check(pgcluster.waiting(dsn, "SELECT pg_advisory_xact_lock", "advisory"),
            "a second import waits for the first")
    staff = kt.run(["staff", "add", "--name", "Anna Berg", "--role", "manager"],
                   stdin="2580\n", db=dsn)
    f.eq(staff.returncode, 0, f"a staff member is added during the import: {staff.stderr}")
    f.check(pgcluster.waiting(dsn, "COPY receipt_lines", "relation", 0),
            "the import was still running when the staff member was added")
    out3, err3 = third.communicate(timeout=60)
    f.eq(third.returncode, 1, f"the import with a 1 s wait gives up: {err3!r}")
    f.eq(out3, "", "and prints no summary")
    f.eq(err3.splitlines()[-1:],
         [f"kiosk import: {csv}: another import (or a migration) was still running"
          " after 1 second ([import] wait_seconds); try again when it has finished (nothing was imported)"], "its reason, in one line")
    time.sleep(max(0.0, 7.0 - (time.monotonic() - started)))
    f.eq(second.poll(), None, "after 7 s the second import still waits for its turn")

    holder.send("COMMIT;")
    holder.wait()
    f.eq(holder.close(), "", "the holding session ends")
    out, err = first.communicate(timeout=120)
    f.eq(first.returncode, 0, f"the first import: {err.strip()}")
    f.check(f"{RECEIPTS} new receipts" in out, f"the first import stores every receipt: {out!r}")
    out, err = second.communicate(timeout=120)
    f.eq(second.returncode, 0, f"the second import: {err.strip()}")
    f.eq(err, f"kiosk import: {csv}: waiting for another import to finish (up to 600 seconds)\n",
         "the second import said, in one line, that it waited")
    f.check(f"{RECEIPTS} receipts" in out and " 0 new receipts" in out,
            f"the second import finds every receipt there: {out!r}")
    _, listed = kt.run_json(["case", "list", "--json"], db=dsn)
    f.eq(sorted(c["case_id"] for c in listed or []), sorted(cases), "both cases are stored")
    f.eq(pgcluster.psql(dsn, "SELECT count(*) FROM receipts WHERE id LIKE 'RS0042009%'"),
         str(RECEIPTS), "each receipt of the file stored once")
    os.unlink(csv)
    os.unlink(impatient)
    os.rmdir(work)
    return f.done()


if __name__ == "__main__":
    raise SystemExit(main())
