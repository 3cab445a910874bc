"""What the counter's tests on a shared PostgreSQL database begin with: a
throwaway cluster holding the fixture receipts and a manager, the counter's
own words, and staff logging in at a counter."""
import configparser
import os

import kiosktest as kt
import pgcluster
import uidriver as ud

# A kiosk session has no D-Bus session bus; without this libdbus would try
# to autolaunch one on the X display for SDL (and leave its buffers behind).
NO_BUS = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}

MANAGER_CARD, MANAGER_PIN = "KS1:S001", "2580"


def counter_words(lang="sv"):
    """The [counter] section of the counter's words file."""
    words = configparser.ConfigParser(interpolation=None)
    words.read(os.path.join(os.environ["KIOSK_ASSETS"], "lang", lang, "counter.ini"),
               encoding="utf-8")
    return words["counter"]


def chain_store(f):
    """Skips the test (exit 77) without PostgreSQL. Else a new cluster and a
    database with the fixture receipts imported and one manager, Anna Berg
    (MANAGER_CARD, MANAGER_PIN): (cluster, connection string)."""
    why = pgcluster.available()
    if why:
        kt.skip_all(why)
    cl = pgcluster.cluster()
    db = cl.database("store")
    p = kt.run(["import", os.path.join(ud.HERE, "fixtures", "receipts.csv")], db=db)
    f.eq(p.returncode, 0, "receipts imported: " + p.stderr)
    p = kt.run(["staff", "add", "--name", "Anna Berg", "--role", "manager"],
               stdin=MANAGER_PIN + "\n", db=db)
    f.eq(p.returncode, 0, "a manager added: " + p.stderr)
    return cl, db


def staff_log_in(ctr):
    """The manager's card scanned at the counter and the PIN typed on its
    keypad: the counter's list, as the tree it shows."""
    ctr.scan(MANAGER_CARD, "counter_pin")
    for ch in MANAGER_PIN:
        ctr.tap("key_" + ch)
    return ctr.tap("pin_ok", "counter_list")


def close_all(f, running, displays):
    """The programs stopped, the newest first (each must end cleanly), and
    their displays."""
    for r in reversed(running):
        try:
            r.close()
        except AssertionError as e:
            f.check(False, str(e))
    for d in displays:
        d.close()
