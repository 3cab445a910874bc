"""Answers lost on the way (issue 10: nothing acknowledged is lost, nothing
saved is taken twice, a chain that answers is not said to be away).

First a case whose COMMIT's answer never reaches the kiosk.

The kiosk sends a registration's COMMIT and the connection ends before the
answer comes: a network that went silent, a server restarted, a backend
ended. The case may stand in the chain or not, and before this the kiosk
said "not saved" either way: the customer was turned away while their case
stood in the chain (a second try refused as already returned), or a kiosk
with a journal took the case again offline, to reach the chain twice.

The kiosk's login here is a least-privilege one (assets/deploy/postgresql/
roles.sql, kiosk_device), through a relay (tests/common/pgrelay.py) that
loses one COMMIT on demand; the kiosk's own register use case runs in
race_tool kiosk.

1. The server commits, its answer is lost: the kiosk asks the server on a
   new connection by the transaction's number, and the customer gets the
   case that stands in the chain; the chain has it once.
2. A kiosk with an offline journal, the answer lost: the case is the
   chain's, and the journal holds nothing to send again (before: taken
   again offline).
3. The COMMIT never reaches the server, which keeps the transaction open
   (it has not noticed its client is gone) with its locks: the kiosk ends
   that transaction (its own, by process and number) and says the case was
   not saved; nothing of it is in the chain, and the next customer's
   return of the same receipt is registered at once (before: it waited for
   the orphan's lock and was refused as busy).
4. A kiosk with a journal, the answer lost and the chain not to be asked
   (the relay silent from then on): the case is taken offline under the
   number the chain gave it, with its key and code; at the replay it is
   found in the chain and nothing is sent (before: taken offline under a
   number of the kiosk's own, and sent to stand in the chain twice).
5. The same with the COMMIT lost: the replay sends it, under the number
   and with the code the customer holds.
In 4 and 5 the customer follows the case at the kiosk with the code on the
case receipt: from the journal until the replay (the chain silent, then
back without the case), from the chain after it.
6. A read sent just as the server ends the kiosk's idle connection (a
   restart, a failover, an idle timeout; the end not yet on the socket
   when the kiosk looked): asked again on a new connection, the receipt is
   found (before: "EIO", the customer told the case system cannot be
   reached).
7. A kiosk without a journal whose save's answer is lost and that cannot
   ask after it: told that the save is not known, not that it failed
   (the kiosk's screen then sends the customer to staff rather than offer
   "register it" again, which could make the case twice; ui_units).
"""
import os
import subprocess
import time

import kiosktest as kt
import pgcluster
import pgrelay

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
KETTLE = "RS004200320261122001234"  # line 2: two headphones
env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")

owner = cl.database("shop")
p = kt.run(["import", os.path.join(FIXTURES, "receipts.csv")], db=owner, env=env)
f.eq(p.returncode, 0, "receipts imported: " + p.stderr)
p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", owner, "-f", ROLES],
                   capture_output=True, text=True)
f.eq(p.returncode, 0, "roles.sql runs: " + p.stderr)
pgcluster.psql(owner, "CREATE ROLE door LOGIN IN ROLE kiosk_device")
relay = pgrelay.Relay(cl.dir)
door = f"host={relay.dir} user=door dbname=shop"


def ini(name, journal=False):
    path = os.path.join(tmp, name + ".ini")
    with open(path, "w") as w:
        w.write(f"[kiosk]\nname = {name}\n")
        if journal:
            w.write(f"[offline]\njournal = {tmp}/{name}.db\nkiosk_number = 3\n")
    return path


def register(config, return_line=None, dsn=door):
    """One case through the kiosk's use case: (its acknowledgement's words,
    stderr)."""
    args = [TOOL, "kiosk", dsn, config, "1", KETTLE] + ([str(return_line)] if return_line
                                                         else [])
    p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    return p.stdout.split("\n")[0].split(), p.stderr.strip()


def chain(sql):
    return pgcluster.psql(owner, sql)


def kettle_cases():
    return chain(f"SELECT count(*) FROM cases WHERE receipt_id = '{KETTLE}'")


plain = ini("door-1")

# --- 1. committed, the answer lost -------------------------------------------
relay.lose_commit_answer()
got, err = register(plain, return_line=2)
f.eq(relay.lost, 1, "the relay lost the COMMIT's answer")
f.check(len(got) == 4 and got[1] == "online",
        f"the customer gets the case that stands in the chain: {got} {err!r}")
f.eq(kettle_cases(), "1", "the chain holds the case once")
if got:
    f.eq(chain(f"SELECT count(*) FROM cases WHERE id = '{got[0]}'"), "1",
         "the case the customer was given is the chain's")

# --- 2. a kiosk with a journal, the answer lost ------------------------------
journaled = ini("door-2", journal=True)
p = kt.run(["offline", "sync", "--once", "--config", journaled], db=door, env=env)
f.eq(p.returncode, 0, "the journal holds the store's receipts: " + p.stderr)
relay.lose_commit_answer()
got, err = register(journaled)
f.eq(relay.lost, 2, "the relay lost the COMMIT's answer")
f.check(len(got) == 4 and got[1] == "online",
        f"the fault report is the chain's, not taken again offline: {got} {err!r}")
f.eq(kt.sql_value(os.path.join(tmp, "door-2.db"), "SELECT count(*) FROM cases"), "0",
     "the journal holds nothing to send again")
f.eq(kettle_cases(), "2", "the chain holds it once")

# --- 3. the COMMIT never arrives; the server holds the transaction open ------
relay.swallow_commit()
got, err = register(plain, return_line=2)
f.eq(relay.lost, 3, "the relay kept the COMMIT from the server")
f.eq(got, [], "nothing acknowledged")
f.check(err.startswith("race_tool: not registered: The database could not save the changes:")
        and "\n" not in err, f"the kiosk says in one line that it was not saved: {err!r}")
f.eq(kettle_cases(), "2", "nothing of it is in the chain")
f.eq(chain("SELECT count(*) FROM pg_stat_activity WHERE usename = 'door'"
           " AND state LIKE 'idle in transaction%'"), "0",
     "the transaction the server held open for the lost client is ended")
got, err = register(plain, return_line=2)
f.check(len(got) == 4 and got[1] == "online",
        f"the next return of the same receipt is registered (no lock left behind): {got} {err!r}")
f.eq(kettle_cases(), "3", "and stands in the chain")


# --- 4. the answer lost and the chain not to be asked: kept as the chain's case
def sync(config):
    p = kt.run(["offline", "sync", "--once", "--json", "--config", config], db=door, env=env)
    f.eq(p.returncode, 0, "the journal's sync: " + p.stderr)
    return p.stdout


def tokens(case_id):
    """The hash of the case's code in the journal and in the chain."""
    return (journal(f"SELECT lower(hex(token_hash)) FROM cases WHERE id = '{case_id}'"),
            chain(f"SELECT encode(token_hash, 'hex') FROM cases WHERE id = '{case_id}'"))


def journal(sql):
    return kt.sql_value(os.path.join(tmp, "door-2.db"), sql)


def follow(case, code):
    """The customer follows the case at the kiosk with the case receipt's
    code: where the kiosk found it, and its state."""
    p = subprocess.run([TOOL, "follow", quick, journaled, case, code], capture_output=True,
                       text=True, env=env, timeout=60)
    return p.stdout.strip() or p.stderr.strip()


def kept_offline():
    """A fault report the kiosk with the journal takes while the relay
    loses what it was armed to: (its number, its code)."""
    got, err = register(journaled, dsn=quick)
    f.check(len(got) == 4 and got[1] == "offline" and len(got[0]) == 8,
            f"taken offline under the chain's number (K- and six digits): {got} {err!r}")
    return (got[0], got[3]) if len(got) == 4 else ("?", "?")


quick = door + " connect_timeout=2"
relay.lose_commit_answer(silent=True)
case, code = kept_offline()
f.eq(chain(f"SELECT count(*) FROM cases WHERE id = '{case}'"), "1",
     "where the save the kiosk could not confirm stands")
f.eq(journal(f"SELECT count(*) FROM cases WHERE id = '{case}' AND sent_s IS NULL"), "1",
     "the journal keeps it to send")
f.eq(follow(case, code), "journal registered",
     "the customer follows it at the kiosk meanwhile, with the receipt's code")
relay.heal()
out = sync(journaled)
f.check('"sent":\t0' in out and '"already_there":\t1' in out,
        f"the replay finds it in the chain and sends nothing: {out}")
f.eq(kettle_cases(), "4", "the chain holds it once")
f.eq(journal(f"SELECT count(*) FROM cases WHERE sent_s IS NULL"), "0", "nothing left to send")
j, c = tokens(case)
f.check(j == c and len(c) > 0, f"the code on the customer's receipt is the chain case's: {j} {c}")
f.eq(follow(case, code), "chain registered", "and follows it in the chain after the replay")

# --- 5. the COMMIT lost and the chain not to be asked: sent at the replay ----
relay.swallow_commit(silent=True)
case, code = kept_offline()
f.eq(chain(f"SELECT count(*) FROM cases WHERE id = '{case}'"), "0", "not in the chain")
relay.heal()  # the server sees its lost client go, and ends its transaction
for _ in range(100):
    orphans = chain("SELECT count(*) FROM pg_stat_activity WHERE usename = 'door'"
                    " AND state LIKE 'idle in transaction%'")
    if orphans == "0":
        break
    time.sleep(0.05)
f.eq(orphans, "0", "the server ended the lost client's transaction")
f.eq(follow(case, code), "journal registered",
     "the chain back but without the case yet, the customer follows it from the journal")
out = sync(journaled)
f.check('"sent":\t1' in out and '"already_there":\t0' in out, f"the replay sends it: {out}")
f.eq(chain(f"SELECT count(*) FROM cases WHERE id = '{case}'"), "1",
     "the chain holds it under the number the customer was given")
j, c = tokens(case)
f.check(j == c and len(c) > 0, f"with the customer's code: {j} {c}")
f.eq(follow(case, code), "chain registered", "and follows it there")
f.eq(kettle_cases(), "5", "once")

# --- 6. a read as the server ends the connection ------------------------------
held = subprocess.Popen([TOOL, "session", door], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        text=True, env=env)


def read():
    held.stdin.write("read\n")
    held.stdin.flush()
    return held.stdout.readline().strip()


f.eq(read(), "ok", "a kiosk reads a receipt")
relay.end_at_next_query()
f.eq(read(), "ok", "the read the server's end met is asked again on a new connection")
f.eq(relay.ended, 1, "the relay ended the connection at the read")
f.eq(read(), "ok", "and the next read too")
held.stdin.close()
held.wait(timeout=30)

# --- 7. a kiosk without a journal that cannot ask after its save ---------------
relay.lose_commit_answer(silent=True)
got, err = register(plain, dsn=quick)
f.eq(got, [], "nothing acknowledged")
f.check(err.startswith("race_tool: not registered: The database may or may not have saved"
                       " the changes:") and "\n" not in err,
        f"the kiosk says in one line that the save is not known (the kiosk then sends the"
        f" customer to staff, ui_units), not that it failed: {err!r}")
f.eq(kettle_cases(), "6", "while it stands in the chain")
relay.heal()

relay.close()
f.done()
