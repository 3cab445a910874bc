"""A customer's return whose save's answer is lost on the way (issue 10),
as the customer sees it: the real kiosk under Xvfb on a store's PostgreSQL
database, reached through a relay (tests/common/pgrelay.py) that loses the
answer to one COMMIT on demand. (store_pg_lost_answer checks the same
below the screen, with a journal and with the COMMIT itself lost.)

1. The server saved the case and its answer is lost: the kiosk asks after
   it and the done screen names the case that stands in the chain, once
   (before: "the case system cannot be reached", the case standing in the
   chain all the same).
2. The answer lost and the relay silent from then on, so the kiosk cannot
   ask: the customer is told that the save could not be confirmed and to
   talk to staff, on the start screen, where "register it" is not offered
   again (it could make the case twice); the case stands in the chain.

Display :95 (the counter tests' lock, xvfb_counter)."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ui"))
import kiosktest as kt  # noqa: E402
import pgcluster  # noqa: E402
import pgrelay  # noqa: E402
import uidriver as ud  # noqa: E402
from chainstore import NO_BUS, chain_store, close_all  # noqa: E402
from flows import return_to_decision, return_unopened, texts  # noqa: E402

f = kt.Failures()
UI = texts("sv")
cl, db = chain_store(f)
tmp = kt.tempdir()
relay = pgrelay.Relay(cl.dir)
cfg = os.path.join(tmp, "store.ini")
with open(cfg, "w") as out:
    out.write(f"[privacy]\nkey_file = {tmp}/chain.key\n")


def cases():
    return pgcluster.psql(db, "SELECT count(*) FROM cases")


displays, running = [], []
try:
    displays = [ud.Display(95)]
    k = ud.Kiosk(displays[0], tmp, tag="kiosk", config=cfg, env=NO_BUS,
                 db=f"host={relay.dir} user=kiosk dbname=store connect_timeout=2")
    running.append(k)
    k.wait("start", timeout=20)

    # ---- 1. saved, the answer lost --------------------------------------------
    relay.lose_commit_answer()
    case = return_unopened(k)
    f.eq(relay.lost, 1, "the relay lost the COMMIT's answer")
    f.eq(pgcluster.psql(db, f"SELECT count(*) FROM cases WHERE id = '{case}'"), "1",
         f"the done screen names the case that stands in the chain ({case})")
    f.eq(cases(), "1", "once")
    k.tap("finish", "start")

    # ---- 2. the answer lost, and nobody to ask -----------------------------------
    relay.lose_commit_answer(silent=True)
    return_to_decision(k, "line_2_plus")
    t0 = time.monotonic()
    k.tap("confirm", "start", timeout=30)
    print(f"the kiosk answered {time.monotonic() - t0:.1f} s after 'register it'")
    f.eq(relay.lost, 2, "the relay lost the second COMMIT's answer")
    f.eq(k.label("notice"), UI["ui.notice_save_unsure"],
         "the customer is told the save could not be confirmed, and to talk to staff")
    f.eq(cases(), "2", "while the case stands in the chain")
    relay.heal()
    f.check(k.proc.poll() is None, "the kiosk still runs")
except AssertionError as e:
    f.check(False, str(e))
finally:
    close_all(f, running, displays)
    relay.close()
f.done()
