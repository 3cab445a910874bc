"""A kiosk whose network to the chain's PostgreSQL server goes silent, as
its customer sees it. Not a server that stops (it says goodbye, see
counter_chain_ui) but a cable pulled, a switch gone or a firewall that
drops packets: nothing answers, not even a refusal, and without a limit of
its own the kiosk's connection would wait as long as TCP retries, about a
quarter of an hour, with the screen frozen.

The server runs in a network namespace of its own, reached over a veth
pair on TCP (as a store's kiosk reaches the chain's server); the pair's far
end is taken down and brought back.

- Before: a scan finds the receipt.
- The network goes silent while the kiosk stands idle; a customer scans:
  within 25 s the kiosk says in one sentence that it cannot reach the case
  system (libpq's tcp_user_timeout, 10 s, and the reconnect's connect
  timeout, 5 s), and keeps running.
- The network comes back: the next scan finds the receipt again, with
  nothing done at the kiosk.

Display :87 (its own). Needs root and `ip netns` (iproute2); exits 77
(skipped) without Xvfb, xdotool, PostgreSQL or either of those."""
import os
import subprocess
import time

import kiosktest as kt
import pgcluster
import uidriver as ud
from flows import texts

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
    ip("link", "set", FAR, "down", ns=True)
    time.sleep(1)
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
    ip("link", "set", FAR, "up", ns=True)
    ip("link", "set", NEAR, "up")
    k.scan(ud.RECEIPT, "confirm", timeout=20)
    f.eq(k.label("notice"), None, "when the network is back the same scan finds the receipt")
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
