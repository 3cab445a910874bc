"""kiosk case update (issue 11, point 5): a repair workshop's system or a
script moves a case on as a staff member (PIN on stdin), through the same
store calls as the counter: timeline, audit log and the customer's
messages. Bad input is one sentence and changes nothing. Both engines."""
import os

import kiosktest as kt

f = kt.Failures()
tmp = kt.tempdir()
db = kt.database(tmp)
env = {"KIOSK_NOW": "2026-11-23T10:00:00+01:00"}
p = kt.run(["demo-data", "--sheet", os.path.join(tmp, "sheet.png")], db=db, env=env)
f.eq(p.returncode, 0, "demo data: " + p.stderr)
# K-000006 is at repair; its customer asked for updates by e-mail. S002 is
# the demo's manager (PIN 2580).
CASE = "K-000006"


def show():
    p, c = kt.run_json(["case", "show", "--json", CASE], db=db, env=env)
    return c or {}


before = show()
f.eq(before.get("state"), "at_repair", "the demo case is at repair")
n_msgs = len(before.get("messages", []))

args = ["case", "update", CASE, "--state", "back_from_repair", "--next-step",
        "Hämta datorn i kassan.", "--promised", "2026-11-30", "--note", "Ny skärm monterad",
        "--staff", "S002"]
refusals = [
    (["--staff", "S002"], "2580\n", 1, "Say what to change: --state, --next-step, --promised or --note."),
    (["--state", "fixed", "--staff", "S002"], "2580\n", 2, "unknown state 'fixed'"),
    (["--promised", "30/11", "--staff", "S002"], "2580\n", 2, "--promised wants a date"),
    (["--note", "x"], "2580\n", 2, "--staff STAFF_ID"),
    (["--note", "x", "--staff", "S002"], "9999\n", 1, "PIN"),
    (["--note", "x", "--staff", "S002"], "", 1, "No PIN given"),
    (["--note", "x", "--staff", "S404"], "2580\n", 1, ""),
]
dump = kt.dump(db)
for i, (extra, pin, code, text) in enumerate(refusals):
    p = kt.run(["case", "update", CASE] + extra, stdin=pin, db=db, env=env)
    f.eq(p.returncode, code, f"i:{i} exit of {extra}")
    f.check(text in p.stderr and p.stderr.count("\n") == 1,
            f"i:{i} one sentence for {extra}: {p.stderr!r}")
    if i < 4:  # (a wrong PIN is counted toward the lockout and audited)
        f.eq(kt.dump(db), dump, f"i:{i} nothing changed")
after_refusals = show()
f.eq((after_refusals.get("state"), len(after_refusals.get("timeline", []))),
     (before.get("state"), len(before.get("timeline", []))), "the case is as it was")

p = kt.run(args, stdin="2580\n", db=db, env=env)
f.eq((p.returncode, p.stdout, p.stderr), (0, f"{CASE} updated\n", ""), "case update")
c = show()
f.eq(c.get("state"), "back_from_repair", "the state moved")
f.eq(c.get("next_step"), "Hämta datorn i kassan.", "the next step")
f.eq(c.get("promised_at"), "2026-11-30", "the promised date")
tail = [(e["actor"], e["event"]) for e in c.get("timeline", [])[-2:]]
f.eq(tail, [("staff:S002", "state"), ("staff:S002", "note")],
     "the move with its next step, and the note, by the staff member")
f.eq(c.get("timeline", [])[-1]["text"], "Ny skärm monterad", "the note's text")
new = [(m["kind"], m["state"]) for m in c.get("messages", [])[n_msgs:]]
f.eq(new, [("state", "back_from_repair")],
     "the customer hears once of the move and its new step, not of the note")
f.eq(kt.sql_value(db, "SELECT count(*) FROM audit_log WHERE actor = 'staff:S002' AND"
                      " detail LIKE 'K-000006:%'"), "2", "two audit rows")
f.done()
