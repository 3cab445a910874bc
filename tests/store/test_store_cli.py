"""kiosk receipt show, case list/show and purge end to end (issue 4,
interfaces.md §2 and §3b), against the real binary and a real database.

The database is created by the program itself (its schema, its
migrations: an import of a file with no receipts); the rows are then
written with python's sqlite3 the way the import and the kiosk would have
left them."""
import json
import os
import re
import shutil
import sqlite3
from datetime import date, datetime

from kiosktest import Failures, run, run_json, tempdir

t = Failures()
d = tempdir()
db = os.path.join(d, "kiosk.db")
NOW = "2026-11-23T10:00:00+01:00"


def ts(iso):
    return int(datetime.fromisoformat(iso).timestamp())


def day(iso):
    return (date.fromisoformat(iso) - date(1970, 1, 1)).days


def one_line(p, what):
    t.eq(len(p.stderr.strip().splitlines()), 1, f"{what}: one line on stderr")


# No database yet: a reading command refuses and makes none; the first
# import makes it, with no cases.
p = run(["case", "list"], db=db)
t.eq((p.returncode, os.path.exists(db)), (1, False),
     f"no database: refused, none made ({p.stderr.strip()})")
header = os.path.join(d, "header.csv")
with open(header, "w") as h:
    h.write("receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,"
            "currency,category\n")
p = run(["import", header], db=db)
t.eq(p.returncode, 0, f"an import of no receipts makes the database ({p.stderr.strip()})")
p = run(["case", "list"], db=db)
t.eq(p.returncode, 0, f"empty list exit ({p.stderr.strip()})")
t.eq(p.stdout, "No cases.\n", "empty list text")
p, js = run_json(["case", "list", "--json"], db=db)
t.eq(js, [], "empty list --json")

# A usage error never creates a database file.
fresh = os.path.join(d, "never.db")
p = run(["case", "frobnicate"], db=fresh)
t.eq(p.returncode, 2, "case frobnicate exit")
t.eq(p.stderr.strip(), "kiosk case: say 'list', 'show' or 'update' (see kiosk case --help)", "frobnicate")
p = run(["case", "list", "--state", "lost"], db=fresh)
t.eq(p.returncode, 2, "bad state exit")
t.eq(p.stderr.strip(), "kiosk case: unknown state 'lost' (registered, waiting_for_staff, "
     "approved, refused, at_repair, back_from_repair, ready_for_pickup, closed)", "bad state")
t.check(not os.path.exists(fresh), "usage errors create no database")

# ---- seed -----------------------------------------------------------------
RID = "RS004200320261122001234"
con = sqlite3.connect(db)
con.execute("INSERT INTO stores (id, name) VALUES ('0042', 'Hemelektronik Centrum')")
con.execute("INSERT INTO receipts (rid, id, store_id, register_id, purchased_s, purchased_off,"
            " currency, n_lines) VALUES (1, ?, '0042', '003', ?, 60, 'SEK', 2)",
            (RID, ts("2026-11-22T14:03:00+01:00")))
con.executemany("INSERT INTO receipt_lines VALUES (1, ?, ?, ?, ?, ?, ?)", [
    (1, "7350001", "Hörlurar Åke", 2, 129900, "electronics"),
    (2, "7350002", "Kabel, 2 m", 1, 9950, "accessories"),
])
CASES = [
    # seq, kind, state, receipt, created, promised, outcome, amount, contact, closed
    (1, "return", "registered", RID, "2026-11-22T12:00:00+01:00", 0, "refund", 129900,
     "anna@example.se", None),
    (2, "fault", "at_repair", RID, "2026-11-01T10:00:00+01:00", day("2026-11-20"), "repair", 0,
     None, None),
    (3, "return", "waiting_for_staff", None, "2026-11-23T09:00:00+01:00", 0, "staff", 0, None,
     None),
    (4, "return", "closed", RID, "2026-09-20T10:00:00+02:00", 0, "refund", 9950,
     "bo@example.se", "2026-10-01T10:00:00+02:00"),
    (5, "return", "refused", RID, "2026-11-21T10:00:00+01:00", 0, "refused", 0, None, None),
]
for seq, kind, state, rec, created, promised, outcome, amount, contact, closed in CASES:
    cid = f"K-{seq:06d}"
    off = int(created[-6:-3]) * 60
    con.execute(
        "INSERT INTO cases (seq, id, kind, state, store_id, receipt_id, lang, created_s,"
        " created_off, updated_s, updated_off, outcome, rule, explanation, details, amount,"
        " next_step, promised_day, product, customer_text, contact, wants_updates, id_hash,"
        " receipt_printed, token_hash, closed_s, due_day) VALUES (?, ?, ?, ?, '0042', ?, 'sv', ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, NULL, 1, ?, ?, ?)",
        (seq, cid, kind, state, rec, ts(created), off, ts(created), off, outcome,
         "return.within_window", "Du köpte varan för 1 dag sedan.", '{"days":1,"window":30}',
         amount, "Pengarna betalas tillbaka inom 5 dagar.", promised, contact,
         1 if contact else 0, bytes(32), ts(closed) if closed else None, promised))
    con.execute("INSERT INTO case_events (case_seq, at_s, at_off, actor, event, text)"
                " VALUES (?, ?, ?, 'kiosk', 'registered', 'registered')",
                (seq, ts(created), off))
    if kind == "return":
        con.execute("INSERT INTO case_lines VALUES (?, 1, 1, '7350001', 'Hörlurar Åke', 1,"
                    " 129900, 'electronics', 'changed_mind', 'unopened')", (seq,))
con.commit()
con.close()

# ---- receipt show ------------------------------------------------------------
p, js = run_json(["receipt", "show", "--json", RID], db=db)
t.eq(p.returncode, 0, f"receipt show exit ({p.stderr.strip()})")
t.eq(js, {
    "receipt_id": RID, "store": "0042", "register": "003",
    "purchased_at": "2026-11-22T14:03:00+01:00", "currency": "SEK",
    "lines": [
        # line 1: K-000001 (registered), K-000004 (closed) count; K-000005
        # was refused and K-000003 has no receipt
        {"line": 1, "sku": "7350001", "description": "Hörlurar Åke", "quantity": 2,
         "unit_price": 1299.0, "category": "electronics", "returned_quantity": 2},
        {"line": 2, "sku": "7350002", "description": "Kabel, 2 m", "quantity": 1,
         "unit_price": 99.5, "category": "accessories", "returned_quantity": 0},
    ],
    "total": 2697.5,
}, "receipt show --json")
t.check(re.search(r'"unit_price":\s*1299\.00', p.stdout), "unit_price printed as 1299.00")
t.check(re.search(r'"unit_price":\s*99\.50', p.stdout), "unit_price printed as 99.50")

p = run(["receipt", "show", RID], db=db)
t.eq(p.returncode, 0, "receipt show text exit")
t.check(f"Receipt {RID}" in p.stdout and "Hörlurar Åke" in p.stdout and "1299.00" in p.stdout,
        f"receipt show text: {p.stdout!r}")

rows = [
    (["receipt", "show", "RS999"], 1, "kiosk receipt: Receipt RS999 is not in the database."),
    (["receipt", "show"], 2, "kiosk receipt: which receipt? kiosk receipt show [--json] RECEIPT_ID"),
    (["receipt", RID], 2, "kiosk receipt: say 'show': kiosk receipt show [--json] RECEIPT_ID"),
    (["receipt", "show", RID, "x"], 2,
     "kiosk receipt: unexpected argument 'x' (see kiosk receipt --help)"),
]
for i, (args, code, msg) in enumerate(rows):
    p = run(args, db=db)
    t.eq(p.returncode, code, f"i:{i} {args} exit")
    t.eq(p.stderr.strip(), msg, f"i:{i} {args} stderr")
    one_line(p, f"i:{i}")
    t.eq(p.stdout, "", f"i:{i} nothing on stdout")

# ---- case list -----------------------------------------------------------------
rows = [
    # args, KIOSK_NOW, case ids in order
    ([], NOW, ["K-000002", "K-000003", "K-000001", "K-000005", "K-000004"]),
    (["--overdue"], NOW, ["K-000002"]),
    (["--state", "closed"], NOW, ["K-000004"]),
    (["--state=at_repair", "--overdue"], NOW, ["K-000002"]),
    (["--state", "approved"], NOW, []),
    # three days earlier the repair was not late yet
    ([], "2026-11-19T10:00:00+01:00", ["K-000003", "K-000001", "K-000005", "K-000002", "K-000004"]),
    (["--overdue"], "2026-11-20T23:59:00+01:00", []),
    (["--overdue"], "2026-11-21T00:00:00+01:00", ["K-000002"]),
]
for i, (args, now, want) in enumerate(rows):
    p, js = run_json(["case", "list", "--json"] + args, db=db, env={"KIOSK_NOW": now})
    t.eq(p.returncode, 0, f"i:{i} list exit ({p.stderr.strip()})")
    t.eq([c["case_id"] for c in js or []], want, f"i:{i} list {args} at {now}")
    for c in js or []:
        for key in ("case_id", "kind", "state", "created_at", "promised_at", "overdue"):
            t.check(key in c, f"i:{i} {c.get('case_id')} has {key}")
        t.check("contact" not in c, f"i:{i} list never shows contact details")
        t.eq(c["overdue"], c["case_id"] == "K-000002" and now >= "2026-11-21", f"i:{i} overdue")

p, js = run_json(["case", "list", "--json"], db=db)
k2 = [c for c in js if c["case_id"] == "K-000002"][0]
t.eq({k: k2[k] for k in ("kind", "state", "created_at", "promised_at", "overdue", "receipt_id")},
     {"kind": "fault", "state": "at_repair", "created_at": "2026-11-01T10:00:00+01:00",
      "promised_at": "2026-11-20", "overdue": True, "receipt_id": RID}, "K-000002 fields")
k3 = [c for c in js if c["case_id"] == "K-000003"][0]
t.eq((k3["promised_at"], k3["receipt_id"]), (None, None), "K-000003 no promise, no receipt")

p = run(["case", "list"], db=db)
t.eq(p.returncode, 0, "list text exit")
lines = p.stdout.splitlines()
t.eq(len(lines), 6, f"list text: header and five cases: {p.stdout!r}")
t.check(lines[1].startswith("K-000002") and lines[1].rstrip().endswith("OVERDUE"),
        f"list text: overdue first, marked: {lines[1:2]!r}")

# ---- case show -------------------------------------------------------------------
p, js = run_json(["case", "show", "--json", "K-000001"], db=db)
t.eq(p.returncode, 0, f"show exit ({p.stderr.strip()})")
js = js or {}
t.eq({k: js.get(k) for k in ("case_id", "kind", "state", "created_at", "promised_at",
                             "overdue", "next_step", "contact", "wants_updates")},
     {"case_id": "K-000001", "kind": "return", "state": "registered",
      "created_at": "2026-11-22T12:00:00+01:00", "promised_at": None, "overdue": False,
      "next_step": "Pengarna betalas tillbaka inom 5 dagar.", "contact": "anna@example.se",
      "wants_updates": True}, "show fields")
t.eq(js.get("decision"), {"outcome": "refund", "rule": "return.within_window",
                          "explanation": "Du köpte varan för 1 dag sedan.",
                          "details": {"days": 1, "window": 30}, "amount": 1299.0},
     "show decision")
t.eq(js.get("lines"), [{"line": 1, "receipt_line": 1, "sku": "7350001",
                        "description": "Hörlurar Åke", "quantity": 1, "unit_price": 1299.0,
                        "category": "electronics", "reason": "changed_mind",
                        "condition": "unopened"}], "show lines")
t.eq(js.get("timeline"), [{"at": "2026-11-22T12:00:00+01:00", "actor": "kiosk",
                           "event": "registered", "text": "registered"}], "show timeline")
t.check("token" not in p.stdout and "id_hash" not in p.stdout, "no token, no ID hash shown")

p = run(["case", "show", "K-000002"], db=db)
t.eq(p.returncode, 0, "show text exit")
t.check(p.stdout.startswith("Case K-000002 (fault), at_repair, OVERDUE\n"),
        f"show text head: {p.stdout[:60]!r}")
t.check("Timeline:\n  2026-11-01T10:00:00+01:00  kiosk" in p.stdout, "show text timeline")

rows = [
    (["case", "show", "K-000099"], 1, "kiosk case: Case K-000099 does not exist."),
    (["case", "show", "--json", "K-000099"], 1, "kiosk case: Case K-000099 does not exist."),
    (["case", "show"], 2, "kiosk case: which case? kiosk case show [--json] CASE_ID"),
    (["case", "show", "K-000001", "--bogus"], 2,
     "kiosk case: unknown option '--bogus' (see kiosk case --help)"),
]
for i, (args, code, msg) in enumerate(rows):
    p = run(args, db=db)
    t.eq(p.returncode, code, f"i:{i} {args} exit")
    t.eq(p.stderr.strip(), msg, f"i:{i} {args} stderr")
    one_line(p, f"i:{i}")

# ---- purge --------------------------------------------------------------------------
p = run(["purge"], db=db)
t.eq(p.returncode, 0, f"purge exit ({p.stderr.strip()})")
t.eq(p.stdout, "Removed contact details from 1 case closed before "
     "2026-10-24T10:00:00+01:00 (retention 30 days).\n", "purge output")
p, js = run_json(["case", "show", "--json", "K-000004"], db=db)
t.eq((js or {}).get("contact"), None, "purged contact is gone")
t.eq((js or {}).get("wants_updates"), False, "purged consent is gone")
t.eq([(e["event"], e["actor"], e["at"]) for e in (js or {}).get("timeline", [])][-1],
     ("purge", "system", NOW), "purge is on the timeline")
p, js = run_json(["case", "show", "--json", "K-000001"], db=db)
t.eq((js or {}).get("contact"), "anna@example.se", "open case keeps its contact")
p, js = run_json(["purge", "--json"], db=db)
t.eq(js, {"purged": 0, "retention_days": 30, "closed_before": "2026-10-24T10:00:00+01:00"},
     "second purge: nothing left")

cfg = os.path.join(d, "store.ini")
for i, (value, code, msg) in enumerate([
        ("-1", 1, 'kiosk purge: [privacy] contact_retention_days must be a whole number from 0 '
                  'to 3650, not "-1"'),
        ("90 days", 1, 'kiosk purge: [privacy] contact_retention_days must be a whole number '
                       'from 0 to 3650, not "90 days"'),
        ("0", 0, "")]):
    with open(cfg, "w") as f:
        f.write(f"[privacy]\ncontact_retention_days = {value}\n")
    p = run(["purge", "--config", cfg], db=db)
    t.eq(p.returncode, code, f"i:{i} purge retention {value} exit")
    t.eq(p.stderr.strip(), msg, f"i:{i} purge retention {value} stderr")

# ---- a database from a newer program is refused, untouched ------------------------
newer = os.path.join(d, "newer.db")
shutil.copy(db, newer)
con = sqlite3.connect(newer)
con.execute("PRAGMA user_version = 99")
con.commit()
con.close()
for args in (["case", "list"], ["receipt", "show", RID], ["purge"]):
    p = run(args, db=newer)
    t.eq(p.returncode, 1, f"{args} on newer database exit")
    t.check(re.fullmatch(r"kiosk \w+: The database has schema version 99, newer than the "
                         r"version \d+ this program knows; use a newer kiosk program with it\.",
                         p.stderr.strip()), f"{args} newer database reason: {p.stderr!r}")
con = sqlite3.connect(newer)
t.eq(con.execute("PRAGMA user_version").fetchone()[0], 99, "newer database left as it was")
con.close()

# A newer database in rollback-journal mode is refused without one byte
# written: not even switched to WAL first.
older_mode = os.path.join(d, "newer-journal.db")
con = sqlite3.connect(older_mode)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("CREATE TABLE x (a)")
con.execute("PRAGMA user_version = 99")
con.commit()
con.close()
before = open(older_mode, "rb").read()
p = run(["case", "list"], db=older_mode)
t.eq(p.returncode, 1, "newer journal-mode database refused")
t.eq(open(older_mode, "rb").read(), before, "not a byte of it changed")
t.check(not os.path.exists(older_mode + "-wal"), "and no WAL file made for it")

shutil.rmtree(d)
t.done()
