"""A store's database as a primary and its standby (README, "Primary and
standby": host=PRIMARY,STANDBY), the primary failing while staff work at the
counter. The primary is a relay to a throwaway cluster (tests/common/
pgrelay.py); the standby is that cluster itself. The counter reads its list
again every 5 s here ([counter] refresh_seconds).

- The primary goes away and from then on takes connections and never
  answers (a host whose network has gone silent); a script moves a case on
  meanwhile. Staff type on the counter's keyboard for 8 s: every key is
  answered at once (before, the timed read connected the blocking way and
  waited out the silent primary, 5 s, each time). Back on the list, it
  shows the move at once: the counter's change watch moved on to the
  standby by itself (before, it waited on the primary, gave up after 5 s
  and began again there, and the first read by staff waited 5 s).
- A kiosk of the store on the same pair, standing idle when the primary
  went away: it connects to the standby by itself between customers (it
  looks at its connection every 2 s, never waiting), so its next
  customer's scan is answered at once (before: that customer waited out
  the silent primary, 5 s); and so are the end of that visit (the kiosk
  connects anew there, to wipe what the connection held) and the next
  scan, since a new connection begins at the host that answered last
  (before: 5 s at the end of every visit).
- The standby stops too (nothing answers): the counter says in one line
  that its list could not be updated and since when it is, keeps the list,
  and every key is still answered at once.
- The standby is back: with nothing done at the counter it says so, and
  the list shows what moved meanwhile at once; the kiosk reads the
  receipt again.

Displays :95 and :96 (this area's range; RESOURCE_LOCK xvfb_counter). Exits 77
(skipped) when Xvfb, xdotool or PostgreSQL is missing."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ui"))
import kiosktest as kt  # noqa: E402
import pgrelay  # noqa: E402
import uidriver as ud  # noqa: E402
from chainstore import NO_BUS, chain_store, close_all, counter_words, staff_log_in  # noqa: E402

f = kt.Failures()
CTR = counter_words("sv")
MOVED = "K-000005"  # at repair in the demo store, on the first page

cl, db = chain_store(f)
tmp = kt.tempdir()
p = kt.run(["demo-data", "--sheet", os.path.join(tmp, "sheet.png")], db=db)
f.eq(p.returncode, 0, "the demo store's cases: " + p.stderr)
relay = pgrelay.Relay(cl.dir)
cfg = os.path.join(tmp, "store.ini")
with open(cfg, "w") as out:
    out.write(f"[privacy]\nkey_file = {tmp}/chain.key\n"
              "[counter]\nidle_logout_seconds = 600\nrefresh_seconds = 5\n")


def move(state):
    """Staff move the case on from a script, on the standby (the cluster)."""
    p = kt.run(["case", "update", MOVED, "--state", state, "--staff", "S001"],
               stdin="2580\n", db=db)
    f.eq(p.returncode, 0, f"{MOVED} moved to {state} by a script: " + p.stderr)


def listed_as(state):
    return lambda tr: any(w["id"].startswith("case_") and w["label"].startswith(MOVED + " ")
                          and CTR["state_" + state] in w["label"] for w in tr["widgets"])


def type_for(ctr, seconds, who):
    """Staff type on the search keyboard (a letter, then it rubbed out) for
    seconds: every key must be answered at once."""
    waits, end = [], time.monotonic() + seconds
    while time.monotonic() < end or len(waits) % 2:
        t0 = time.monotonic()
        try:
            ctr.tap("key_a" if len(waits) % 2 == 0 else "key_back", "counter_text", timeout=15)
        except AssertionError:  # not answered within 15 s
            waits.append(time.monotonic() - t0)
            break
        waits.append(time.monotonic() - t0)
    print(f"{who}: {len(waits)} keys in {seconds} s, the slowest answered in {max(waits):.1f} s")
    f.check(max(waits) < 1.5, f"{who}: every key is answered at once "
            f"(slowest {max(waits):.1f} s; the primary's connect timeout is 5 s)")


def search_for_case(ctr):
    """Staff start a search and type the case's number."""
    ctr.tap("search", "counter_text")
    for ch in MOVED.lower():
        ctr.tap({"-": "key_dash"}.get(ch, "key_" + ch), "counter_text")


def back_to_list(ctr, pred, what):
    """OK: the list of what was searched for, read. Answered at once."""
    t0 = time.monotonic()
    ctr.tap("text_ok", "counter_list", timeout=15)
    took = time.monotonic() - t0
    f.check(took < 1.5, f"{what}: back on the list at once ({took:.1f} s)")
    f.check(pred(ctr.tree), f"{what}: " + str([w["label"] for w in ctr.tree["widgets"]
                                                if w["id"].startswith("case_")]))


def timed(step):
    t0 = time.monotonic()
    step()
    return time.monotonic() - t0


displays, running = [], []
try:
    pair = f"host={relay.dir},{cl.dir} user=kiosk dbname=store"
    displays = [ud.Display(95, "1920x1080"), ud.Display(96)]
    ctr = ud.Kiosk(displays[0], tmp, tag="counter", mode="counter", window="1920x1080",
                   db=pair, config=cfg, env=NO_BUS)
    running.append(ctr)
    kiosk = ud.Kiosk(displays[1], tmp, tag="kiosk", db=pair, config=cfg, printer="none",
                     env=NO_BUS)
    running.append(kiosk)
    kiosk.wait("start", timeout=20)
    ctr.wait("counter_login", timeout=20)
    staff_log_in(ctr)
    f.check(listed_as("at_repair")(ctr.tree), f"{MOVED} is on the counter's list, at repair")
    f.check(relay.connections() >= 1, "the counter is connected through the primary")

    # ---- the primary goes away and falls silent; a case moves meanwhile ------
    search_for_case(ctr)
    relay.fail()
    failed = time.monotonic()
    move("back_from_repair")
    type_for(ctr, 8, "the primary silent")
    back_to_list(ctr, listed_as("back_from_repair"),
                 "the list shows the move, read from the standby")

    # ---- a kiosk on the same pair, idle meanwhile ------------------------------
    # (its steps: 2 s to look, 5 s on the silent primary, then the standby)
    time.sleep(max(0.0, failed + 10 - time.monotonic()))
    first = timed(lambda: kiosk.scan(ud.RECEIPT, "confirm", timeout=20))
    ended = timed(lambda: kiosk.tap("not_me", "start"))
    second = timed(lambda: kiosk.scan(ud.RECEIPT, "confirm"))
    kiosk.tap("not_me", "start")
    print(f"the kiosk: first scan {first:.1f} s, end of that visit {ended:.1f} s, "
          f"next scan {second:.1f} s")
    f.check(max(first, ended, second) < 1.5, "the kiosk's next customer, the end of that visit "
            f"and the next scan are answered at once ({first:.1f}, {ended:.1f}, {second:.1f} s)")

    # ---- the standby stops too: nothing answers ------------------------------
    cl.stop("immediate")
    lost = CTR["list_not_updated"].split("{time}")[0]
    tr = ctr.wait("counter_list", timeout=15, pred=lambda tr: any(
        w["id"] == "message" and w["label"].startswith(lost) for w in tr["widgets"]))
    print("the counter says: " + ctr.label("message"))
    f.check(listed_as("back_from_repair")(tr), "the list staff had (the case searched for) "
            "is kept")
    search_for_case(ctr)
    type_for(ctr, 8, "nothing answers")

    # ---- the standby is back: the counter finds it by itself -----------------
    cl.start()
    move("ready_for_pickup")
    back = time.monotonic()
    ctr.wait("counter_text", timeout=20, pred=lambda tr: any(
        w["id"] == "message" and w["label"] == CTR["list_back"] for w in tr["widgets"]))
    print(f"the counter said the database answers again {time.monotonic() - back:.1f} s "
          "after it was back")
    back_to_list(ctr, listed_as("ready_for_pickup"), "the list shows what moved meanwhile")
    kiosk.scan(ud.RECEIPT, "confirm", timeout=20)
    f.eq(kiosk.label("notice"), None, "the kiosk reads the receipt again")
    f.check(all(r.proc.poll() is None for r in running), "the counter and the kiosk still run")
except AssertionError as e:
    f.check(False, str(e))
finally:
    close_all(f, running, displays)
    relay.close()
f.done()
