"""kiosk staff add|list|disable end to end (issue 7): the PIN comes from
stdin and never argv, the database holds an argon2id hash and not the PIN,
bad input is refused with one line and changes nothing."""
import json
import os

import kiosktest as kt
from kiosktest import Failures, run, run_json, tempdir

t = Failures()
d = tempdir()
db = kt.database(d)

# A PIN distinctive enough that finding it in the file would mean it was stored.
PIN = "739164"

p = run(["staff", "add", "--name", "Anna Berg", "--role", "manager"], stdin=PIN + "\n", db=db)
t.eq(p.returncode, 0, f"add manager exit ({p.stderr.strip()})")
t.eq(p.stdout, "staff id: S001\ncard code: KS1:S001\n", "add manager output")

p, js = run_json(["staff", "add", "--json", "--name", "Björn Ek", "--role", "staff"],
                 stdin="4821", db=db)  # no newline at the end: still one line
t.eq(p.returncode, 0, f"add staff exit ({p.stderr.strip()})")
t.eq(js, {"staff_id": "S002", "name": "Björn Ek", "role": "staff", "card_code": "KS1:S002"},
     "add --json")

# Only a hash is stored: the PIN's digits do not appear anywhere in the
# database file (or its WAL), an argon2id hash does.
blob = kt.stored_bytes(db)
t.check(PIN.encode() not in blob, "the PIN is not in the database file")
t.check(b"$argon2id$" in blob, "an argon2id hash is in the database file")

# Refusals: exit status, exactly one line, and nobody was added.
MSG_PIN = "kiosk staff: The PIN must be 4 to 12 digits."
rows = [
    # args, stdin, exit, stderr
    (["--name", "C", "--role", "staff"], "123\n", 1, MSG_PIN),                     # 0
    (["--name", "C", "--role", "staff"], "12a4\n", 1, MSG_PIN),                    # 1
    (["--name", "C", "--role", "staff"], "1234567890123\n", 1, MSG_PIN),           # 2
    (["--name", "C", "--role", "staff"], " 1234\n", 1, MSG_PIN),                   # 3
    (["--name", "C", "--role", "staff"], "1111\n", 1,
     "kiosk staff: The PIN must not be one digit repeated or a run such as 1234 or 9876."),  # 3b
    (["--name", "C", "--role", "staff"], "",
     1, "kiosk staff: No PIN given: write the PIN (4 to 12 digits) on standard input."),  # 4
    (["--name", "   ", "--role", "staff"], "1234\n", 1,
     "kiosk staff: The name must not be empty."),                                  # 5
    (["--name", "C\tD", "--role", "staff"], "1234\n", 1,
     "kiosk staff: The name must not contain control characters."),                # 6
    (["--name", "C", "--role", "boss"], "1234\n", 2,
     "kiosk staff: --role must be staff or manager, not 'boss'"),                  # 7
    (["--name", "C"], "1234\n", 2,
     "kiosk staff: staff add needs --name NAME and --role staff|manager"),         # 8
    # the PIN is never taken from the command line
    (["--name", "C", "--role", "staff", "--pin", "1234"], "", 2,
     "kiosk staff: unknown option '--pin' (see kiosk staff --help)"),              # 9
]
for i, (args, stdin, code, msg) in enumerate(rows):
    p = run(["staff", "add"] + args, stdin=stdin, db=db)
    t.eq(p.returncode, code, f"i:{i} exit")
    t.eq(p.stderr.strip(), msg, f"i:{i} stderr")
    t.eq(p.stdout, "", f"i:{i} nothing on stdout")

p, js = run_json(["staff", "list", "--json"], db=db)
t.eq(p.returncode, 0, "list --json exit")
t.eq(js, [
    {"staff_id": "S001", "name": "Anna Berg", "role": "manager", "active": True,
     "card_code": "KS1:S001"},
    {"staff_id": "S002", "name": "Björn Ek", "role": "staff", "active": True,
     "card_code": "KS1:S002"},
], "list --json after refusals: only the two added")

p = run(["staff", "disable", "S002"], db=db)
t.eq(p.returncode, 0, "disable exit")
t.eq(p.stdout, "S002 disabled\n", "disable output")
p = run(["staff", "disable", "S009"], db=db)
t.eq(p.returncode, 1, "disable unknown exit")
t.eq(p.stderr.strip(), "kiosk staff: Staff member S009 does not exist.", "disable unknown reason")
p = run(["staff", "disable"], db=db)
t.eq(p.returncode, 2, "disable without id exit")

p = run(["staff", "list"], db=db)
t.eq(p.returncode, 0, "list exit")
t.eq(p.stdout.splitlines(), [
    "ID       ROLE     STATUS    NAME",
    "S001     manager  active    Anna Berg",
    "S002     staff    disabled  Björn Ek",
], "list table")

p = run(["staff"], db=db)
t.eq(p.returncode, 2, "no verb exit")
p = run(["staff", "fire", "S001"], db=db)
t.eq(p.returncode, 2, "unknown verb exit")
t.eq(p.stderr.strip(), "kiosk staff: unknown action 'fire': use add, list or disable",
     "unknown verb reason")

t.done()
