"""Least privilege on PostgreSQL (issue 10, point 7), with the roles file the
README tells a store's IT to run (assets/deploy/postgresql/roles.sql):

- a kiosk's login (kiosk_device) registers cases, asks for staff and
  prints, but cannot read staff PIN hashes, check a PIN, change or delete
  the audit log, or change a case's decision;
- a counter's login (kiosk_counter) logs staff in and reads the audit log,
  and cannot change or delete it either;
- the import's login (kiosk_import) imports receipts and nothing else.
"""
import os
import subprocess

import kiosktest as kt
import pgcluster

why = pgcluster.available()
if why:
    kt.skip_all(why)

f = kt.Failures()
tmp = kt.tempdir()
cl = pgcluster.cluster()
HERE = os.path.dirname(os.path.abspath(__file__))
ROLES = os.path.join(HERE, "..", "..", "assets", "deploy", "postgresql", "roles.sql")
FIXTURES = os.path.join(HERE, "..", "ui", "fixtures")
TOOL = os.environ["RACE_TOOL"]
env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")

owner = cl.database("shop")
# the owner makes the schema and a staff member, then runs the roles file
p = kt.run(["staff", "add", "--name", "Anna Berg", "--role", "staff"], stdin="482915\n",
           db=owner)
f.eq(p.returncode, 0, "owner adds staff: " + p.stderr)
p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", owner, "-f", ROLES],
                   capture_output=True, text=True)
f.eq(p.returncode, 0, "roles.sql runs: " + p.stderr)
p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", owner, "-f", ROLES],
                   capture_output=True, text=True)
f.eq(p.returncode, 0, "and runs again (after an upgrade): " + p.stderr)
for login, group in (("door", "kiosk_device"), ("till", "kiosk_counter"), ("pos", "kiosk_import")):
    pgcluster.psql(owner, f"CREATE ROLE {login} LOGIN IN ROLE {group}")
as_ = {u: owner.replace("user=kiosk", f"user={u}") for u in ("door", "till", "pos")}
card = pgcluster.psql(owner, "SELECT card_code FROM staff")


def denied(dsn, sql, what):
    try:
        pgcluster.psql(dsn, sql)
        f.check(False, f"{what} was allowed")
    except RuntimeError as e:
        f.check("permission denied" in str(e), f"{what} refused: {e}")


# --- the import's login -----------------------------------------------------------
p = kt.run(["import", os.path.join(FIXTURES, "receipts.csv")], db=as_["pos"])
f.eq(p.returncode, 0, "kiosk_import imports receipts: " + p.stderr)
denied(as_["pos"], "SELECT count(*) FROM cases", "kiosk_import reading cases")

# --- the kiosk's login ---------------------------------------------------------------
p = subprocess.run([TOOL, "register", as_["door"], "4"], capture_output=True, text=True,
                   env=env, timeout=120)
acked = [line.split()[0] for line in p.stdout.splitlines()]
f.check(p.returncode == 0 and len(acked) >= 3, f"kiosk_device registers cases: {p.stdout} "
        f"{p.stderr}")
p = kt.run(["print", "--printer", "file:" + os.path.join(tmp, "door.bin"), acked[0]],
           db=as_["door"])
f.eq(p.returncode, 0, "kiosk_device prints a case receipt: " + p.stderr)
p = kt.run(["case", "show", "--json", acked[0]], db=as_["door"])
f.eq(p.returncode, 0, "kiosk_device reads a case: " + p.stderr)
denied(as_["door"], "SELECT pin_hash FROM staff", "kiosk_device reading PIN hashes")
p = subprocess.run([TOOL, "login", as_["door"], card, "482915"], capture_output=True,
                   text=True, env=env, timeout=60)
f.check("permission denied" in p.stdout, f"kiosk_device cannot check a PIN: {p.stdout!r}")
denied(as_["door"], "UPDATE audit_log SET detail = 'x'", "kiosk_device changing the audit log")
denied(as_["door"], "DELETE FROM audit_log", "kiosk_device deleting the audit log")
denied(as_["door"], "SELECT * FROM audit_chain", "kiosk_device reading the audit chain")
denied(as_["door"], "INSERT INTO audit_chain (audit_id, link) VALUES (999999, '\\x00')",
       "kiosk_device forging a link")
denied(as_["door"], "UPDATE cases SET outcome = 'refund'", "kiosk_device changing a decision")
denied(as_["door"], "CREATE TABLE t (x int)", "kiosk_device changing the schema")

# --- the counter's login -------------------------------------------------------------
p = subprocess.run([TOOL, "login", as_["till"], card, "482915"], capture_output=True,
                   text=True, env=env, timeout=60)
f.eq(p.stdout.strip(), "ok", "kiosk_counter logs staff in: " + p.stderr)
f.check(int(pgcluster.psql(as_["till"], "SELECT count(*) FROM audit_log")) > 0,
        "kiosk_counter reads the audit log")
denied(as_["till"], "DELETE FROM audit_log", "kiosk_counter deleting the audit log")
p, v = kt.run_json(["audit", "verify", "--json"], db=as_["till"])
f.eq((p.returncode, v and v["intact"]), (0, True),
     "kiosk_counter verifies the chain that the kiosk's rows went on: " + p.stderr)
denied(as_["till"], "UPDATE staff SET pin_hash = 'x'", "kiosk_counter changing a PIN hash")
f.done()
