"""Offline at the kiosk (issue 14), as a customer and staff see it: a kiosk
with a journal, a counter and a second kiosk as three real processes, each
in its own Xvfb display, on a throwaway PostgreSQL cluster.

- The store's receipts are cached in the kiosk's journal (`kiosk offline
  sync --once`, as kiosk-sync.service does); then the server crashes
  (pg_ctl stop -m immediate) with everything running.
- A customer returns the kettle: the receipt's lines come from the cache,
  the done screen says in one sentence that the case is kept in the kiosk
  and sent on by itself, the number is the kiosk's own (K- store 0042,
  kiosk 01, number) and the case receipt prints.
- The same customer scans the case receipt at once on the same kiosk:
  follow-my-case shows it (from the journal).
- A receipt the cache does not hold is not called unknown: the kiosk says
  the system cannot be reached.
- The server is back: the kiosk tells the chain what it holds and the
  counter says one case taken offline is on its way, before it arrives;
  the sync sends it, and the counter lists it marked "taken offline", with
  the timeline saying so; nothing waits any longer.
- The second kiosk (no journal) follows the case by the same printed code.

Displays :95-:97 (this area's range; RESOURCE_LOCK xvfb_counter). Exits 77
(skipped) when Xvfb, xdotool or PostgreSQL is missing."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ui"))
import kiosktest as kt  # noqa: E402
import pgcluster  # noqa: E402
import uidriver as ud  # noqa: E402
from chainstore import NO_BUS, chain_store, close_all, counter_words, staff_log_in  # noqa: E402
from flows import return_unopened, texts  # noqa: E402

f = kt.Failures()
UI = texts("sv")
CTR = counter_words("sv")
ENV = {"KIOSK_NOW": ud.NOW}

cl, db = chain_store(f)
tmp = kt.tempdir()
journal = os.path.join(tmp, "journal.db")
cfg = os.path.join(tmp, "door.ini")
with open(cfg, "w") as out:
    out.write(f"[privacy]\nkey_file = {tmp}/chain.key\n[counter]\nidle_logout_seconds = 600\n"
              f"[kiosk]\nname = kiosk-door\n[offline]\njournal = {journal}\nkiosk_number = 1\n")
cfg2 = os.path.join(tmp, "other.ini")
with open(cfg2, "w") as out:
    out.write(f"[privacy]\nkey_file = {tmp}/chain.key\n[kiosk]\nname = kiosk-till\n")
p = kt.run(["offline", "sync", "--once", "--json", "--config", cfg], db=db,
           env=dict(os.environ, **ENV))
f.eq(p.returncode, 0, "the store's receipts cached in the kiosk's journal: " + p.stderr)

displays, running = [], []


def cases_on_counter(tree):
    return [w["label"] for w in tree["widgets"] if w["id"].startswith("case_")]


def waiting_on_counter(tree):
    return [w["label"] for w in tree["widgets"] if re.fullmatch(r"offline_\d+", w["id"])]


try:
    displays = [ud.Display(95, "1920x1080"), ud.Display(96), ud.Display(97)]
    ctr = ud.Kiosk(displays[0], tmp, tag="counter", mode="counter", window="1920x1080",
                   db=db, config=cfg2, env=NO_BUS)
    running.append(ctr)
    door = ud.Kiosk(displays[1], tmp, tag="door", db=db, config=cfg, env=NO_BUS)
    running.append(door)
    ctr.wait("counter_login", timeout=20)
    staff_log_in(ctr)
    f.eq(cases_on_counter(ctr.tree), [], "no cases yet")
    door.wait("start", timeout=20)

    # ---- the server crashes; a customer returns the kettle -----------------
    cl.stop("immediate")
    case_id = return_unopened(door)
    f.check(re.fullmatch(r"K-004201\d{6}", case_id) is not None,
            f"the kiosk's own number: store 0042, kiosk 01 ({case_id})")
    f.eq(door.label("offline_note"), UI["ui.done_offline"],
         "the done screen says in one sentence that the case is kept here and sent on")
    door.wait("done", pred=lambda tr: any(w["id"] == "print_status" and
                                         w["label"] == UI["ui.done_printed"]
                                         for w in tr["widgets"]))
    printed = ud.printed_receipts(door.printed, tmp)
    codes = [c for _, cs in printed for c in cs if c.startswith("KC1:")]
    f.eq([c.split(":")[1] for c in codes], [case_id], "the case receipt printed with its code")
    code = codes[0] if codes else "KC1:" + case_id + ":0000000000000000"
    door.tap("finish", "start")

    # ---- followed at once on the same kiosk ----------------------------------
    door.scan(code, "follow_show")
    f.check(case_id in door.label("heading"), f"the kiosk shows {case_id}: {door.label('heading')}")
    f.eq(door.label("decision"), UI["ui.follow_outcome_refund"].replace("{amount}", "499 kr"),
         "with its decision")
    door.tap("finish", "start")

    # ---- a receipt the cache does not hold -----------------------------------
    door.scan(ud.OLD_RECEIPT)
    tr = door.wait(pred=lambda tr: any(w["id"] == "notice" for w in tr["widgets"]))
    f.eq(door.label("notice"), UI["ui.notice_db_down"],
         "an uncached receipt: the system cannot be reached, not 'unknown receipt'")
    f.check(door.proc.poll() is None and ctr.proc.poll() is None, "kiosk and counter still run")
    door.tap("follow", "follow_scan")  # the customer moves on: the notice goes
    door.tap("back", "start")

    # ---- the server is back: the counter hears of the case before it comes ---
    cl.start()
    tr = ctr.wait("counter_list", timeout=40, pred=lambda tr: waiting_on_counter(tr))
    f.eq(waiting_on_counter(tr)[0].split(" (")[0],
         CTR["offline_waiting_one"].replace("{kiosk}", "kiosk-door").split(" (")[0],
         "the counter says one case taken offline at kiosk-door is on its way")
    f.eq(cases_on_counter(tr), [], "it is not in the list before it arrives")
    p = kt.run(["offline", "sync", "--once", "--json", "--config", cfg], db=db,
               env=dict(os.environ, **ENV))
    f.eq(p.returncode, 0, "the sync sends it: " + p.stderr)
    f.check('"sent":\t1' in p.stdout, f"one case sent: {p.stdout}")
    tr = ctr.wait("counter_list", timeout=15, pred=lambda tr: cases_on_counter(tr))
    rows = cases_on_counter(tr)
    f.eq(len(rows), 1, f"the case is on the counter: {rows}")
    f.check(rows and rows[0].startswith(case_id) and rows[0].endswith(" · " + CTR["case_offline"]),
            f"marked as taken offline: {rows}")
    f.eq(waiting_on_counter(tr), [], "nothing is waiting any longer")
    ctr.tap("case_0", "counter_case")
    ctr.tap("tab_timeline", "counter_case")
    labels = " ".join(w["label"] for w in ctr.tree["widgets"] if w["id"].startswith("event_"))
    f.check(CTR["event_offline"] in labels, "the counter's timeline says it was taken offline")

    # ---- another kiosk follows it by the same paper --------------------------
    till = ud.Kiosk(displays[2], tmp, tag="till", db=db, config=cfg2, printer="none", env=NO_BUS)
    running.append(till)
    till.wait("start", timeout=20)
    till.scan(code, "follow_show")
    f.check(case_id in till.label("heading"), f"kiosk 2 shows {case_id}: {till.label('heading')}")
    events = [w["label"] for w in till.tree["widgets"] if w["id"].startswith("event_")]
    f.check(any(UI["ui.event_offline"] in e for e in events),
            f"its timeline says it was taken offline, in words: {events}")
    f.eq(pgcluster.psql(db, "SELECT count(*) FROM cases"), "1", "one case in the chain")
    f.check(all(r.proc.poll() is None for r in running), "all three programs still run")
except AssertionError as e:
    f.check(False, str(e))
finally:
    close_all(f, running, displays)
f.done()
