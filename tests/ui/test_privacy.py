"""What the kiosk keeps of a customer who leaves: the idle question and
reset, a customer who walks away typing, "That's not me" and "Klar". Each
checks the screen, the kiosk's own memory (nothing personal left, not even
what free() leaves of it) and the database (only what a case keeps)."""
import os
import re
import time

import kiosktest
import uidriver as ud
from flows import texts

FX = kiosktest.Failures()


def idle_reset(display, tmp):
    """Idle: the gentle question, then back to start with nothing left."""
    t = texts("sv")
    k = ud.Kiosk(display, tmp, tag="idle",
                 config=os.path.join(ud.HERE, "fixtures", "idle.ini"))
    try:
        k.wait("start")
        k.scan(ud.td1("ERIKSSON", "ANNA"), "confirm")
        greeting = k.label("what_was_read").encode()
        FX.check(ud.memory_contains(k.proc.pid, greeting),
                 "the memory probe sees the greeting while it is on screen")
        # "Yes I am here" keeps everything
        k.wait("idle_prompt", timeout=6)
        FX.eq(k.label("idle_heading"), t["ui.idle_heading"], "idle question")
        FX.eq(k.label("idle_kept"), t["ui.idle_kept_nothing"], "and that nothing here is kept")
        FX.check(re.search(r"\d", k.label("idle_countdown")), "countdown in seconds")
        k.tap("still_here", "confirm")
        FX.check("Anna" in k.label("what_was_read"), "still here: nothing lost")
        # no answer: start over, every personal detail gone
        k.wait("idle_prompt", timeout=6)
        k.wait("start", timeout=8)
        FX.check("Anna" not in k.last and "ANNA" not in k.last, "name cleared from the screen")
        FX.check(not ud.memory_contains(k.proc.pid, greeting),
                 f"{greeting!r} is wiped from the kiosk's memory after the reset")
        FX.eq(ud.case_list(k.db), [], "nothing half-registered is saved")
        # on the start screen with nothing personal the kiosk just waits
        time.sleep(1.5)
        FX.eq(k.read()[1]["screen"], "start", "no idle question on an empty start screen")
    finally:
        k.close()


# Personal details, each longer than 16 bytes: free() overwrites the first
# 16 bytes of a freed block, so a shorter needle could pass although the
# rest of it is still on the heap.
SURNAME, GIVEN = "LINDQVIST BERGSON", "ANNA KARIN ELISABET"
ID_CARD = ud.td3(SURNAME, GIVEN, number="X4711K2Q9")
TYPED = "skärmen blir svart när jag startar datorn"  # 41 characters, å ä
CONTACT = "karin.lindqvist.bergstrom@exempel.se"


def personal_needles(typed=True, contact=True):
    """(what, bytes) the kiosk must not keep once the customer has gone."""
    lines = ID_CARD.split("\n")
    out = [("the passport's name line", lines[0].encode()),
           ("the passport's second line (document number, birth date)", lines[1].encode()),
           ("the surname", SURNAME.encode()),
           ("the given names", GIVEN.encode()),
           ("the document number with its check digit and issuer", lines[1][:13].encode() + b"5203")]
    if typed:
        out.append(("the typed fault text", TYPED.encode()))
    if contact:
        out.append(("the contact", CONTACT.encode()))
    return out


def probe_memory(k, when, needles):
    """Neither the detail nor, for a long one, what free() leaves of it (all
    but its first 16 bytes) is anywhere in the kiosk's writable memory."""
    for what, needle in needles:
        for part in (needle, needle[16:]) if len(needle) >= 32 else (needle,):
            FX.check(not ud.memory_contains(k.proc.pid, part),
                     f"{when}: {what} ({part[:24]!r}…, {len(part)} bytes) is wiped "
                     "from the kiosk's memory")


def probe_database(db, when, needles):
    stored = ud.stored_bytes(db)
    for what, needle in needles:
        FX.check(needle not in stored, f"{when}: {what} never reached the database")


def fault_in_own_words(k):
    """From the start screen: the passport, then a fault typed in the
    customer's own words (left on the typing screen)."""
    k.wait("start")
    k.scan(ID_CARD, "confirm")
    k.tap("continue", "choose")
    k.tap("fault", "fault_product_name")
    k.type("dator")
    k.tap("next", "fault_what")
    k.tap("fault_other", "fault_text")
    k.type(TYPED)


def walked_away_typing(display, tmp):
    """A passport and a fault typed in the customer's words, then the
    customer walks away: nothing of it is left in memory or on disk."""
    k = ud.Kiosk(display, tmp, tag="away",
                 config=os.path.join(ud.HERE, "fixtures", "idle_slow.ini"))
    try:
        fault_in_own_words(k)
        FX.check(ud.memory_contains(k.proc.pid, TYPED.encode()),
                 "the memory probe sees the typed text while it is on screen")
        k.wait("start", timeout=15)
        probe_memory(k, "after the idle reset", personal_needles(contact=False))
    finally:
        k.close()
    probe_database(k.db, "walked away", personal_needles())
    FX.eq(ud.case_list(k.db), [], "nothing half-registered is saved")


def not_me_wipes(display, tmp):
    k = ud.Kiosk(display, tmp, tag="notme")
    try:
        k.wait("start")
        k.scan(ID_CARD, "confirm")
        k.tap("not_me", "start")
        probe_memory(k, "after \"That's not me\"", personal_needles(typed=False, contact=False))
    finally:
        k.close()
    probe_database(k.db, "not me", personal_needles())


def finished_wipes(display, tmp):
    """A whole fault with updates by e-mail, then "Klar": the case keeps the
    contact, the kiosk's memory keeps nothing."""
    k = ud.Kiosk(display, tmp, tag="klar")
    try:
        fault_in_own_words(k)
        k.tap("next", "decision")
        k.tap("confirm", "contact_ask")
        k.tap("contact_yes", "contact_entry")
        k.type(CONTACT)
        k.tap("save", "done")
        k.tap("finish", "start")
        probe_memory(k, "after \"Klar\"", personal_needles())
    finally:
        k.close()
    case = ud.case_show(k.db, ud.newest_case(k.db))
    FX.eq(case and (case["contact"], case["customer_text"]), (CONTACT, TYPED),
          "the case keeps the contact and the customer's words")
    probe_database(k.db, "a finished case", personal_needles(typed=False, contact=False))


def main():
    ud.run_scenarios(FX, 90, (idle_reset, walked_away_typing, not_me_wipes,
                              finished_wipes))


if __name__ == "__main__":
    main()
