"""End-to-end test of `kiosk demo-data`: the demo store is seeded relative
to KIOSK_NOW, running it again (also days later) changes nothing, the
cases cover every state with some overdue, a line is partly returned, and
every code on the printed sheet scans back (zbarimg) to something the
kiosk understands."""
import os
import shutil
import subprocess

import kiosktest as kt

f = kt.Failures()
tmp = kt.tempdir()
db = kt.database(tmp)
# next to an SQLite file; in the current folder for PostgreSQL
sheet = os.path.join(tmp, "demo-sheet.png")
said_sheet = sheet
if kt.backend() == "postgresql":
    os.chdir(tmp)
    said_sheet = "demo-sheet.png"
NOW = "2026-11-23T10:00:00+01:00"
ALL_STATES = {"registered", "waiting_for_staff", "approved", "refused", "at_repair",
              "back_from_repair", "ready_for_pickup", "closed"}


def sql(query):
    return kt.sql_text(db, query)


def dump():
    return kt.dump(db)


def demo(now=NOW, extra=()):
    return kt.run(["demo-data"] + list(extra), db=db, env={"KIOSK_NOW": now})


# --- first run ----------------------------------------------------------------
p = demo()
f.eq(p.returncode, 0, "demo-data exit (stderr: %s)" % p.stderr.strip())
f.eq(p.stdout, "demo store 0042 (relative to 2026-11-23): 618 receipts (618 new), "
     "3 staff added, 13 cases (13 new), 3 calls added\ndemo sheet: %s\n" % said_sheet,
     "first run summary")
first = dump()
f.eq(os.stat(sheet).st_mode & 0o777 if os.path.exists(sheet) else None, 0o600,
     "the sheet holds a live case code and staff cards: its owner only (0600)")

# --- twice, and a week later: nothing added -----------------------------------
for i, now in enumerate([NOW, "2026-11-30T10:00:00+01:00"]):
    p = demo(now)
    f.eq(p.returncode, 0, "i:%d rerun exit" % i)
    f.eq(p.stdout, "demo store 0042 (relative to 2026-11-23): 618 receipts (0 new), "
         "0 staff added, 13 cases (0 new), 0 calls added\ndemo sheet: %s\n" % said_sheet,
         "i:%d rerun summary" % i)
    f.eq(dump(), first, "i:%d database after rerun" % i)

# --- what was seeded ----------------------------------------------------------
env = {"KIOSK_NOW": NOW}
p, cases = kt.run_json(["case", "list", "--json"], db=db, env=env)
if f.check(isinstance(cases, list), "case list --json: " + p.stdout[:200] + p.stderr):
    f.eq(len(cases), 13, "number of cases")
    f.eq({c["state"] for c in cases}, ALL_STATES, "cases in every state")
    f.eq({c["kind"] for c in cases}, {"return", "fault"}, "returns and fault reports")
    overdue = [c["case_id"] for c in cases if c["overdue"]]
    f.check(2 <= len(overdue) <= 6, "some (not all) cases overdue: %r" % overdue)
    f.check(all(c["state"] not in ("closed", "refused") for c in cases if c["overdue"]),
            "no closed or refused case is overdue")
p, od = kt.run_json(["case", "list", "--json", "--overdue"], db=db, env=env)
if f.check(isinstance(od, list), "case list --overdue --json"):
    f.eq(sorted(c["case_id"] for c in od), sorted(overdue), "--overdue lists the overdue ones")

p, staff = kt.run_json(["staff", "list", "--json"], db=db)
if f.check(isinstance(staff, list), "staff list --json: " + p.stdout + p.stderr):
    f.eq([(s["staff_id"], s["name"], s["role"], s["active"]) for s in staff],
         [("S001", "Anna Lindqvist", "staff", True), ("S002", "Erik Johansson", "manager", True),
          ("S003", "Fatima Hassan", "staff", True)], "demo staff")

f.eq(sql("SELECT COUNT(*), SUM(CASE WHEN answered_by IS NOT NULL THEN 1 ELSE 0 END) FROM staff_calls"), "3|1",
     "talk-to-a-person calls, one answered")
# random receipts over the last 400 days, several lines, every configured category
day0 = 1795388400  # 2026-11-23T00:00:00+01:00
# 600 random + 15 hand-written ones within 400 days; 3 older, for fault reports
f.eq(sql("SELECT COUNT(*) FROM receipts WHERE purchased_s >= %d" % (day0 - 400 * 86400)), "615",
     "receipts within the last 400 days")
f.check(int(sql("SELECT COUNT(*) FROM receipts WHERE purchased_s BETWEEN %d AND %d"
                % (day0 - 400 * 86400, day0 - 370 * 86400))) > 20,
        "receipts spread back to 400 days")
f.check(int(sql("SELECT COUNT(*) FROM receipts WHERE purchased_s >= %d" % day0)) == 0,
        "no receipt after the clock's day starts (times are in the past)")
f.check(int(sql("SELECT COUNT(*) FROM receipts WHERE n_lines > 1")) > 200, "multi-line receipts")
f.eq(",".join(sql("SELECT DISTINCT category FROM receipt_lines ORDER BY 1").split("\n")),
     "clothing,electronics,furniture,hygiene", "categories of assets/store.ini")

# --- the sheet: every code scans back and means something to the kiosk ------
f.check(os.path.isfile(sheet), "sheet written next to the database")
p = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable",
                    "-Scode128.enable", sheet], capture_output=True)
codes = p.stdout.decode("utf-8").split("\n")
codes = [c for c in codes if c]
receipts = sorted(c for c in codes if c.startswith("RS"))
f.eq(len(receipts), 6, "receipt barcodes on the sheet: %r" % codes)
for i, rid in enumerate(receipts):
    p, r = kt.run_json(["receipt", "show", "--json", rid], db=db, env=env)
    f.check(r is not None and r["receipt_id"] == rid, "i:%d sheet receipt %s is in the db" % (i, rid))
f.eq(sorted(c for c in codes if c.startswith("KS1:")), ["KS1:S001", "KS1:S002"], "staff cards")
case_codes = [c for c in codes if c.startswith("KC1:")]
if f.eq(len(case_codes), 1, "one case code"):
    p, s = kt.run_json(["scan", "--json", case_codes[0]], env=env)
    f.check(s and s["valid"] and s["kind"] == "case", "case code scans as a case: %r" % s)
    if s:
        p, c = kt.run_json(["case", "show", "--json", s["case_id"]], db=db, env=env)
        f.check(c is not None and c["state"] == "at_repair", "the sheet's case is at repair")
mrz = [c for c in codes if c.startswith("I<UTO")]
if f.eq(len(mrz), 1, "the specimen ID card's MRZ as a QR"):
    p, s = kt.run_json(["scan", "--json", mrz[0].replace("\r", "\\r")], env=env)
    f.check(s and s["valid"] and s["kind"] == "id_document" and not s["expired"],
            "specimen MRZ is a valid, unexpired ID document: %r" % s)
# a receipt with one of three packs returned
partly = [r for r in receipts
          if (kt.run_json(["receipt", "show", "--json", r], db=db, env=env)[1] or {})
          .get("lines", [{}])[0].get("returned_quantity") == 1]
f.eq(len(partly), 1, "one sheet receipt is partly returned")

# --- deterministic: a second fresh database gets exactly the same data -------
db_a = db
db = kt.database(tmp, "again.db")
p = demo(extra=["--sheet", os.path.join(tmp, "again.png")])
f.eq(p.returncode, 0, "second database exit")
same = "SELECT r.id, r.register_id, r.purchased_s, l.line, l.sku, l.quantity, l.unit_price " \
       "FROM receipts r JOIN receipt_lines l ON l.rid = r.rid ORDER BY r.id, l.line"
rows_b = sql(same)
cases_b = kt.run(["case", "list", "--json"], db=db, env=env).stdout
db = db_a
f.eq(sql(same), rows_b, "same receipts and lines in a second fresh database")
f.eq(kt.run(["case", "list", "--json"], db=db, env=env).stdout, cases_b,
     "same cases in a second fresh database")

# --- --sheet PATH -----------------------------------------------------------------
other = os.path.join(tmp, "sub", "sheet.png")
os.makedirs(os.path.dirname(other))
p = demo(extra=["--sheet", other])
f.eq(p.returncode, 0, "--sheet exit")
f.check(os.path.isfile(other), "--sheet PATH written")
p = demo(extra=["--sheet", os.path.join(tmp, "missing", "x.png")])
f.eq(p.returncode, 1, "unwritable sheet exit")
f.eq(p.stderr, "kiosk demo-data: cannot write the demo sheet %s\n" %
     os.path.join(tmp, "missing", "x.png"), "unwritable sheet reason")

shutil.rmtree(tmp)
f.done()
