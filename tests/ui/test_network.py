"""A kiosk whose network to the chain's PostgreSQL server goes silent, as
its customer sees it. Not a server that stops (it says goodbye, see
counter_chain_ui) but a cable pulled, a switch gone or a firewall that
drops packets: nothing answers, not even a refusal, and without a limit of
its own the kiosk's connection would wait as long as TCP retries, about a
quarter of an hour, with the screen frozen.

The server runs in a network namespace of its own, reached over a veth
pair on TCP (as a store's kiosk reaches the chain's server); a blackhole
route there drops its answers to the kiosk's side, and goes again.

- Before: a scan finds the receipt.
- The network goes silent while the kiosk stands idle; a customer scans:
  within 25 s the kiosk says in one sentence that it cannot reach the case
  system (libpq's tcp_user_timeout, 10 s, and the reconnect's connect
  timeout, 5 s), and keeps running.
- The network comes back: the next scan finds the receipt again, with
  nothing done at the kiosk.
- A kiosk with an offline journal, the network silent again: the first step
  finds the chain silent (10 s); every later tap of the return is answered
  from the journal at once (for [offline] retry_seconds, 15 here), where two
  had waited out the connect timeout (5 s). Between customers, still
  silent, the kiosk looks for the chain and answers every tap at once
  (before: 5 s at the end of the visit and at each look, every 15 s).
  Back again: the kiosk finds the chain by itself and tells it that one
  case is on its way; the next customer's case is the chain's, and the
  sync sends the one taken offline.
- A kiosk with a journal standing idle when the network falls silent
  finds out by itself between customers (keepalives end the connection;
  its look, every 2 s, fails to connect again): every step of its next
  customer's return, the first too, is answered from the journal at once
  (before: the first waited out the connect timeout, 5 s).
- A kiosk started while the network is silent: it answers every tap at
  once while it looks for its chain (before: 5 s of every 15, the chain
  opened on the screen's thread), takes its customer's case offline, and
  tells the chain by itself when the network is back.

Display :87 (its own). Needs root and `ip netns` (iproute2); exits 77
(skipped) without Xvfb, xdotool, PostgreSQL or either of those."""
import os
import subprocess
import time

import kiosktest as kt
import pgcluster
import uidriver as ud
from flows import return_unopened, texts

why = pgcluster.available()
if why:
    kt.skip_all(why)
if os.geteuid() != 0:
    kt.skip_all("a network namespace needs root")

f = kt.Failures()
UI = texts("sv")
NS = f"kiosk-net-{os.getpid()}"
NEAR, FAR = f"kn{os.getpid() % 100000}a", f"kn{os.getpid() % 100000}b"
NET = f"10.213.{os.getpid() % 250}"


def ip(*args, ns=False):
    cmd = ["ip", "netns", "exec", NS, "ip", *args] if ns else ["ip", *args]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.strip()}")


def network_up():
    ip("netns", "add", NS)
    ip("link", "add", NEAR, "type", "veth", "peer", "name", FAR)
    ip("link", "set", FAR, "netns", NS)
    ip("addr", "add", f"{NET}.1/24", "dev", NEAR)
    ip("link", "set", NEAR, "up")
    ip("link", "set", "lo", "up", ns=True)
    ip("addr", "add", f"{NET}.2/24", "dev", FAR, ns=True)
    ip("link", "set", FAR, "up", ns=True)


def silent(on):
    """The server's answers to the kiosk's side dropped on their way (a
    blackhole route where they leave): the kiosk's packets arrive, nothing
    comes back, not even a refusal, as when a link between them fails."""
    ip("route", "add" if on else "del", "blackhole", f"{NET}.1/32", ns=True)


def idle_taps(k, who):
    """Tap a toggle on the start screen for 20 s (an even number of times):
    every tap must be answered at once while the kiosk looks for its chain."""
    waits, end = [], time.monotonic() + 20
    while time.monotonic() < end or len(waits) % 2:
        t0 = time.monotonic()
        k.tap("large_text", "start", timeout=15)
        waits.append(time.monotonic() - t0)
    slow = [i for i, w in enumerate(waits) if w > 1]
    print(f"{who}: {len(waits)} taps in 20 s, the slowest answered in {max(waits):.1f} s; "
          f"taps that waited over 1 s: {slow}")
    f.check(max(waits) < 2.5, f"{who}: while it looks for the chain the kiosk answers every tap "
            f"at once (slowest {max(waits):.1f} s)")


def kiosk_with_journal(tmp, dsn, name, number):
    """The config of kiosk number of the store, named name, with an offline
    journal (retry_seconds 15) holding the store's receipts: its path."""
    cfg = os.path.join(tmp, f"{name}.ini")
    with open(cfg, "w") as out:
        out.write(f"[privacy]\nkey_file = {tmp}/chain.key\n[kiosk]\nname = {name}\n"
                  f"[offline]\njournal = {tmp}/{name}.db\nkiosk_number = {number}\n"
                  "retry_seconds = 15\n")
    p = kt.run(["offline", "sync", "--once", "--config", cfg], db=dsn,
               env=dict(os.environ, KIOSK_NOW=ud.NOW))
    f.eq(p.returncode, 0, f"{name}'s journal holds the store's receipts: " + p.stderr)
    return cfg


def timed_return(k, receipt):
    """A customer returns line 1 of receipt, unopened, without updates:
    the seconds each step took to be answered, the scan first."""
    t0 = time.monotonic()
    k.scan(receipt, "confirm", timeout=40)
    steps = [time.monotonic() - t0]
    for wid, screen in (("return", "return_items"), ("line_1_plus", None),
                        ("next", "return_reason"), ("reason_changed_mind", "return_condition"),
                        ("cond_unopened", "decision"), ("confirm", "contact_ask"),
                        ("contact_no", "done")):
        t0 = time.monotonic()
        k.tap(wid, screen, timeout=40)
        steps.append(time.monotonic() - t0)
    return steps


def chain_hears(dsn, pending):
    """Wait up to 30 s for the kiosk, left alone, to tell the chain how many
    of its journal's cases are on their way (the counter's line)."""
    back, told = time.monotonic(), ""
    while time.monotonic() - back < 30 and told != pending:
        told = pgcluster.psql(dsn, "SELECT pending FROM kiosk_journals WHERE kiosk = 'kiosk-door'")
        time.sleep(0.2)
    f.eq(told, pending, f"with nothing done at the kiosk, the chain hears that {pending} case(s) "
         "are on their way")
    print(f"the chain heard of it {time.monotonic() - back:.1f} s after the network was back")


try:
    network_up()
except (RuntimeError, OSError) as e:
    subprocess.run(["ip", "netns", "del", NS], capture_output=True)
    kt.skip_all(f"no network namespace here: {e}")

cl = k = display = None
try:
    cl = pgcluster.Cluster(netns=NS, listen=f"{NET}.2")
    local = cl.database("store")  # over the socket, for the setup
    p = kt.run(["import", os.path.join(ud.HERE, "fixtures", "receipts.csv")], db=local)
    f.eq(p.returncode, 0, "receipts imported: " + p.stderr)
    tmp = kt.tempdir()
    display = ud.Display(87)
    k = ud.Kiosk(display, tmp, tag="net", db=f"host={NET}.2 user=kiosk dbname=store",
                 env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
    k.wait("start", timeout=20)
    k.scan(ud.RECEIPT, "confirm")
    f.check(k.label("notice") is None, "over the network the receipt is found")
    k.tap("not_me", "start")

    # ---- the network goes silent while the kiosk stands idle ----------------
    silent(True)
    began = time.monotonic()
    try:
        tr = k.scan(ud.RECEIPT, timeout=25)
        f.eq((tr["screen"], k.label("notice")), ("start", UI["ui.notice_db_down"]),
             "the customer is told in one sentence that the case system cannot be reached")
        print(f"the kiosk answered {time.monotonic() - began:.1f} s after the scan")
    except AssertionError as e:
        f.check(False, f"the kiosk did not answer the scan within 25 s: {e}")
    f.check(k.proc.poll() is None, "the kiosk keeps running")

    # ---- the network comes back ---------------------------------------------
    silent(False)
    k.scan(ud.RECEIPT, "confirm", timeout=20)
    f.eq(k.label("notice"), None, "when the network is back the same scan finds the receipt")
    k.close()
    k = None

    # ---- a kiosk with an offline journal: the customer's case is taken ------
    cfg = kiosk_with_journal(tmp, local, "kiosk-door", 1)
    k = ud.Kiosk(display, tmp, tag="door", db=f"host={NET}.2 user=kiosk dbname=store",
                 config=cfg, env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
    k.wait("start", timeout=20)
    silent(True)
    steps = timed_return(k, ud.RECEIPT)
    print("offline return, seconds per step: " + " ".join(f"{x:.1f}" for x in steps))
    f.check(max(steps[1:]) < 2.5, "after the first step found the chain silent, every tap is "
            f"answered from the journal at once, not after a connect timeout (5 s): {steps}")
    case_id = k.label("case_number").split()[-1]
    f.check(case_id.startswith("K-004201"), f"taken offline under the kiosk's own number: {case_id}")
    f.eq(k.label("offline_note"), UI["ui.done_offline"], "the done screen says so")
    k.tap("finish", "start")

    # ---- between customers, the network still silent: the kiosk looks for --
    # the chain (to tell it what its journal holds) and answers every tap
    idle_taps(k, "idle kiosk")

    # ---- back: the kiosk finds the chain by itself and tells it what its ----
    # journal holds (the counter shows it); the next customer's case is the
    # chain's
    silent(False)
    chain_hears(local, "1")
    online = return_unopened(k, "line_2_plus")
    f.eq(online, "K-000001", "the next customer's case is registered in the chain")
    f.eq(k.label("offline_note"), None, "and not said to be kept on the kiosk")
    k.tap("finish", "start")
    p = kt.run(["offline", "sync", "--once", "--config", cfg], db=local,
               env=dict(os.environ, KIOSK_NOW=ud.NOW))
    f.eq(p.returncode, 0, "the sync sends the case taken offline: " + p.stderr)
    f.eq(pgcluster.psql(local, "SELECT string_agg(id, ' ' ORDER BY id) FROM cases"),
         f"K-000001 {case_id}", "both cases are in the chain, once each")
    k.close()
    k = None

    # ---- a kiosk with a journal, idle when the network falls silent ---------
    # It looks at its connection between customers: the kernel's keepalives
    # end the silent connection (from its connection string here: after 1 s
    # idle, every 1 s, and 3 s without an answer; the defaults take
    # 10-20 s), the look's reconnect gives up after 5 s, and the kiosk knows
    # before its next customer comes.
    idle_cfg = kiosk_with_journal(tmp, local, "kiosk-idle", 2)
    k = ud.Kiosk(display, tmp, tag="idle", config=idle_cfg,
                 db=f"host={NET}.2 user=kiosk dbname=store keepalives_idle=1 "
                    "keepalives_interval=1 keepalives_count=2 tcp_user_timeout=3000",
                 env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
    k.wait("start", timeout=20)
    time.sleep(1)
    silent(True)
    time.sleep(14)  # nobody at the kiosk
    steps = timed_return(k, ud.LONG_RECEIPT)
    print("the network silent before the customer came, seconds per step: "
          + " ".join(f"{x:.1f}" for x in steps))
    f.check(max(steps) < 2.5, "the kiosk found out by itself: every step of its next customer's "
            f"return is answered from the journal at once, the first too: {steps}")
    idle_case = k.label("case_number").split()[-1]
    f.check(idle_case.startswith("K-004202"), f"taken offline under its own number: {idle_case}")
    k.tap("finish", "start")
    silent(False)
    k.close()
    k = None

    # ---- a kiosk that starts while the network is silent -------------------
    silent(True)
    k = ud.Kiosk(display, tmp, tag="late", db=f"host={NET}.2 user=kiosk dbname=store",
                 config=cfg, env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
    k.wait("start", timeout=30)
    idle_taps(k, "a kiosk started without its chain")
    late = return_unopened(k, "line_2_plus")
    f.check(late.startswith("K-004201"), f"it takes its customer's case offline: {late}")
    k.tap("finish", "start")
    f.eq(pgcluster.psql(local, "SELECT pending FROM kiosk_journals WHERE kiosk = 'kiosk-door'"),
         "0", "until the network is back the chain's line says nothing is on its way (the sync "
         "sent the first)")
    silent(False)
    chain_hears(local, "1")
except AssertionError as e:
    f.check(False, str(e))
finally:
    if k:
        k.close()
    if display:
        display.close()
    if cl:
        cl.close()
    subprocess.run(["ip", "netns", "del", NS], capture_output=True)
    subprocess.run(["ip", "link", "del", NEAR], capture_output=True)
f.done()
