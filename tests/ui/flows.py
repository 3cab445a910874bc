"""The customer flows of issue 6, end to end, in one language.

test_flows_sv.py and test_flows_en.py run these with their language; every
expected text is read from assets/lang/LANG/ui.ini, so a flow checks what
the customer really sees.
"""
import os
import re
import sqlite3

import kiosktest
import uidriver as ud

ASSETS = os.environ.get("KIOSK_ASSETS", os.path.join(ud.HERE, "..", "..", "assets"))


def texts(lang, name="ui.ini"):
    """A words file as a dict of section.key -> text (inih semantics: key = value)."""
    out = {}
    section = ""
    for line in open(os.path.join(ASSETS, "lang", lang, name), encoding="utf-8"):
        line = line.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        k, _, v = line.partition("=")
        out[section + "." + k.strip()] = v.strip()
    return out


def db_count(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def return_to_decision(k, plus="line_1_plus"):
    """The fixture receipt scanned at the start, one item (plus), "changed
    my mind" and unopened: the decision, not yet registered."""
    k.scan(ud.RECEIPT, "confirm")
    k.tap("return", "return_items")
    k.tap(plus)
    k.tap("next", "return_reason")
    k.tap("reason_changed_mind", "return_condition")
    k.tap("cond_unopened", "decision")


def return_to_contact_question(k, plus="line_1_plus"):
    """return_to_decision, then "register it": the case is saved, and the
    customer is asked about updates."""
    return_to_decision(k, plus)
    k.tap("confirm", "contact_ask")


def return_unopened(k, plus="line_1_plus"):
    """return_to_contact_question, then no updates: the case number."""
    return_to_contact_question(k, plus)
    k.tap("contact_no", "done")
    return k.label("case_number").split()[-1]


def fault_to_decision(k):
    """From the start screen, a fault on the fixture receipt's first item
    ("it is broken"), up to the decision."""
    k.wait("start")
    k.tap("fault", "identify")
    k.scan(ud.RECEIPT, "confirm")
    k.tap("continue", "fault_product")
    k.tap("item_1", "fault_what")
    k.tap("fault_broken", "decision")


def start(fx, display, tmp, lang, tag, **kw):
    k = ud.Kiosk(display, tmp, lang=lang, tag=tag, **kw)
    fx.eq(k.wait("start")["lang"], lang, f"{tag}: start language")
    return k


# What the customer reads, word for word, for the fixture receipt bought on
# 22 November 2026 and KIOSK_NOW 23 November: money and dates in each
# language's own form. A one-digit change anywhere fails a flow.
SAYS = {
    "sv": {
        "line_1": "Vattenkokare Stål\nValt: 0 av 1 · 499 kr styck",
        "line_2": "Hörlurar Bas\nValt: 0 av 2 · 199 kr styck",
        "line_1_returned": "Vattenkokare Stål\nRedan tillbakalämnad",
        "decision": "Du köpte varan 22 november 2026, och oöppnade varor kan lämnas tillbaka "
                    "till och med 22 december 2026, så du får pengarna tillbaka.",
        "amount": "Belopp: 499 kr",
        "next_step": "Lämna varan och kvittot från kiosken i kassan, så är 499 kr "
                     "tillbaka på ditt ursprungliga betalsätt senast 28 november 2026.",
        "case_header": "Ärende {case}",
        "promised": "Senast {date}",
        "credit_amount": "Belopp: 200 kr",
    },
    "en": {
        "line_1": "Vattenkokare Stål\nChosen: 0 of 1 · SEK 499 each",
        "line_2": "Hörlurar Bas\nChosen: 0 of 2 · SEK 199 each",
        "line_1_returned": "Vattenkokare Stål\nAlready returned",
        "decision": "You bought this on 22 November 2026, and unopened items can be returned "
                    "until 22 December 2026, so you get your money back.",
        "amount": "Amount: SEK 499",
        "next_step": "Leave the item and the kiosk's receipt at the counter, and SEK 499 is back "
                     "on your original payment by 28 November 2026.",
        "case_header": "Case {case}",
        "promised": "By {date}",
        "credit_amount": "Amount: SEK 200",
    },
}


def flow_return_printed(fx, display, tmp, lang, t):
    """Receipt scanned at the start → one item → refund → printed; the paper
    says what the store holds; the same item cannot be returned twice."""
    says = SAYS[lang]
    k = start(fx, display, tmp, lang, "ret")
    try:
        fx.eq(k.label("return"), t["ui.start_return"], "start: return button label")
        k.scan(ud.RECEIPT, "confirm")
        fx.check(t["ui.month_11"] in k.label("what_was_read"), "confirm shows the date in words")
        # scanned at the start: the kiosk asks what it is for, lists what the
        # receipt holds, and "not mine" speaks of the receipt
        fx.check(k.widget("continue") is None and k.label("return") == t["ui.start_return"]
                 and k.label("fault") == t["ui.start_fault"],
                 "a receipt scanned at the start asks: return or fault report")
        fx.check("Vattenkokare Stål" in k.label("what_was_read")
                 and "2 × Hörlurar Bas" in k.label("what_was_read"),
                 "the confirm screen lists the receipt's items: " + k.label("what_was_read"))
        fx.eq(k.label("not_me"), t["ui.not_my_receipt"], "'that's not my receipt' on a receipt")
        k.tap("return", "return_items")
        fx.eq(k.label("line_1"), says["line_1"], "first item as the customer reads it")
        fx.eq(k.label("line_2"), says["line_2"], "second item as the customer reads it")
        # a tap on the row chooses it, with a check mark and its count; again, unchooses
        k.tap("line_2")
        fx.check(k.label("line_2").startswith("✓ ") and k.widget("line_2")["on"],
                 "a tapped row is chosen, with a check mark: " + k.label("line_2"))
        k.tap("line_2")
        fx.eq(k.label("line_2"), says["line_2"], "tapped again, it is not chosen")
        k.tap("line_1_plus")
        fx.check(k.widget("line_1_plus")["enabled"] is False, "only one kettle was bought")
        fx.check(says["line_1"].replace("0 ", "1 ", 1).split("\n")[1] in k.label("line_1"),
                 "the row says why '+' cannot be used: all there is has been chosen: "
                 + k.label("line_1"))
        k.tap("next", "return_reason")
        k.tap("reason_changed_mind", "return_condition")
        k.tap("cond_unopened", "decision")
        fx.eq(k.label("decision"), says["decision"], "the decision, word for word")
        fx.eq(k.label("amount"), says["amount"], "the amount in the language's money form")
        fx.eq(k.label("next_step"), says["next_step"], "the next step and its date")
        k.tap("confirm", "contact_ask")
        k.tap("contact_no", "done")
        k.wait("done", pred=lambda tr: any(w["id"] == "print_status" and
                                          w["label"] == t["ui.done_printed"]
                                          for w in tr["widgets"]))
        # the paper, decoded as a printer would print it, against the store
        newest = ud.newest_case(k.db)
        fx.eq(k.label("case_number"), t["ui.done_case"].replace("{case}", newest),
              "the done screen names the case the store holds")
        receipts = ud.printed_receipts(k.printed, tmp)
        fx.eq(len(receipts), 1, "one receipt printed")
        lines, codes = receipts[0] if receipts else ([], [])
        fx.check(says["case_header"].format(case=newest) in lines,
                 f"the printed header names the newest case {newest}: {lines[:6]}")
        fx.eq([c.split(":")[1] for c in codes if c.startswith("KC1:")], [newest],
              "the printed QR scans back to the newest case")
        c = ud.case_show(k.db, newest)
        fx.check(c is not None, "case saved")
        if c:
            fx.eq(c["kind"], "return", "case kind")
            fx.eq(c["decision"]["outcome"] if isinstance(c["decision"], dict) else None,
                  "refund", "decision outcome")
            fx.eq(c["lines"][0]["quantity"], 1, "returned quantity")
            fx.check(says["promised"].format(date=c["promised_at"]) in lines,
                     f"the printed promise is the stored one, {c['promised_at']}")
        k.tap("finish", "start")
        # the kettle is returned: the next customer with this receipt cannot
        # return it again
        k.scan(ud.RECEIPT, "confirm")
        k.tap("return", "return_items")
        fx.eq(k.label("line_1"), says["line_1_returned"], "the kettle says it is returned")
        fx.check(k.widget("line_1_plus")["enabled"] is False, "the kettle cannot be chosen again")
        fx.eq(k.label("line_2"), says["line_2"], "the headphones are still returnable")
        k.tap("back", "confirm")
        k.tap("not_me", "start")
        fx.eq(len(ud.case_list(k.db)), 1, "no second case")
    finally:
        k.close()


def flow_not_me(fx, display, tmp, lang, t):
    """"That's not me": back to start, nothing saved, nothing shown."""
    k = start(fx, display, tmp, lang, "notme")
    try:
        k.scan(ud.td1("ERIKSSON", "ANNA MARIA"), "confirm")
        fx.check("Anna" in k.label("what_was_read"), "first name shown: "
                 + k.label("what_was_read"))
        fx.check("Maria" not in k.label("what_was_read") and "ERIKSSON" not in k.last,
                 "only the first name is shown")
        fx.eq(k.label("not_me"), t["ui.not_me"], "not-me label")
        k.tap("not_me", "start")
        fx.check("Anna" not in k.last, "the name is gone from the screen")
        fx.eq(ud.case_list(k.db), [], "no case saved")
    finally:
        k.close()
    stored = ud.stored_bytes(k.db)
    for needle in ("D23145890", "ERIKSSON", "ANNA", "Anna", "400812", "1940-08-12"):
        fx.check(needle.encode() not in stored, f"{needle!r} (from the ID) is not stored")


def flow_refused_to_staff(fx, display, tmp, lang, t):
    """A receipt from August: outside the 30 days, handed to staff."""
    k = start(fx, display, tmp, lang, "old")
    try:
        k.tap("return", "identify")
        k.scan(ud.OLD_RECEIPT, "confirm")
        k.tap("continue", "return_items")
        k.tap("line_1_plus")
        k.tap("next", "return_reason")
        k.tap("reason_changed_mind", "return_condition")
        k.tap("cond_used", "decision")
        k.tap("confirm", "contact_ask")
        k.tap("contact_no", "done")
        case_id = k.label("case_number").split()[-1]
        c = ud.case_show(k.db, case_id)
        fx.eq(c and c["decision"]["outcome"], "staff", "outside the window: staff decide")
        fx.eq(c and c["state"], "waiting_for_staff", "waiting for staff")
    finally:
        k.close()


def flow_no_receipt_credit(fx, display, tmp, lang, t):
    """No receipt: ID card, name the item, its price → store credit."""
    k = start(fx, display, tmp, lang, "nr")
    try:
        k.tap("return", "identify")
        k.tap("no_receipt", "id_scan")
        k.scan(ud.td1("LINDQVIST", "KARIN"), "confirm")
        k.tap("continue", "return_item_name")
        k.type("lampa")
        fx.eq(k.label("input"), "lampa", "typed on the on-screen keyboard")
        k.tap("next", "return_item_price")
        k.type("200")
        k.tap("next", "return_reason")
        k.tap("reason_changed_mind", "return_condition")
        k.tap("cond_unopened", "decision")
        fx.eq(k.label("amount"), SAYS[lang]["credit_amount"], "the credit amount is shown")
        k.tap("confirm", "contact_ask")
        k.tap("contact_no", "done")
        case_id = k.label("case_number").split()[-1]
        c = ud.case_show(k.db, case_id)
        fx.eq(c and c["decision"]["outcome"], "store_credit", "no receipt: store credit")
        k.tap("finish", "start")
    finally:
        k.close()
    # the whole database, WAL included, after the kiosk has closed it
    stored = ud.stored_bytes(k.db)
    for needle in ("D23145890", "LINDQVIST", "KARIN", "Karin", "400812", "1940-08-12"):
        fx.check(needle.encode() not in stored, f"{needle!r} (from the ID) is not stored")


def flow_fault_with_contact(fx, display, tmp, lang, t):
    """A fault in the customer's words (å ä ö) and an e-mail for updates."""
    k = start(fx, display, tmp, lang, "fault")
    try:
        k.tap("fault", "identify")
        k.scan(ud.RECEIPT, "confirm")
        k.tap("continue", "fault_product")
        k.tap("item_2", "fault_what")
        k.tap("fault_other", "fault_text")
        k.type("skärm")
        k.tap("next", "decision")
        fx.check(len(k.label("next_step")) > 5, "the next step is promised")
        k.tap("confirm", "contact_ask")
        k.tap("contact_yes", "contact_entry")
        fx.eq(k.label("hint"), t["ui.contact_privacy"], "says it is for this case only")
        k.type("a@b")
        k.tap("save")
        fx.eq(k.label("notice"), t["ui.notice_contact_invalid"], "a half address is refused")
        k.type(".se")
        k.tap("save", "done")
        case_id = k.label("case_number").split()[-1]
        c = ud.case_show(k.db, case_id)
        fx.eq(c and c["kind"], "fault", "fault case")
        n = db_count(k.db, "SELECT count(*) FROM cases WHERE wants_updates = 1 "
                           "AND contact = 'a@b.se' AND customer_text = 'skärm'")
        fx.eq(n, 1, "contact and the customer's words saved")
    finally:
        k.close()


def flow_id_first_fault(fx, display, tmp, lang, t):
    """An ID card scanned at the start asks what the customer wants; a
    fault on something bought without a receipt, named on the keyboard."""
    k = start(fx, display, tmp, lang, "idfirst")
    try:
        k.scan(ud.td1("NILSSON", "ERIK"), "confirm")
        k.tap("continue", "choose")
        fx.eq(k.label("heading"), t["ui.choose_heading"].replace("{name}", "Erik"),
              "greets by first name and asks")
        k.tap("fault", "fault_product_name")
        k.type("tv")
        k.tap("next", "fault_what")
        k.tap("fault_no_power", "decision")
        k.tap("confirm", "contact_ask")
        k.tap("contact_no", "done")
        case_id = k.label("case_number").split()[-1]
        c = ud.case_show(k.db, case_id)
        fx.eq(c and (c["kind"], c.get("receipt_id") or ""), ("fault", ""), "fault without receipt")
        n = db_count(k.db, "SELECT count(*) FROM cases WHERE product = 'tv'")
        fx.eq(n, 1, "the product in the customer's words")
    finally:
        k.close()


def flow_talk(fx, display, tmp, lang, t):
    """Talk to a person from the middle of a flow, then carry on."""
    k = start(fx, display, tmp, lang, "talk")
    try:
        k.tap("return", "identify")
        k.tap("talk", "called")
        fx.eq(k.label("called_text"), t["ui.called_text"], "someone is on the way")
        fx.eq(db_count(k.db, "SELECT count(*) FROM staff_calls"), 1,
              "one call registered for staff")
        k.tap("back", "identify")
    finally:
        k.close()


ALL = [flow_return_printed, flow_not_me, flow_refused_to_staff, flow_no_receipt_credit,
       flow_fault_with_contact, flow_id_first_fault, flow_talk]


def swedish_fragments():
    """Every sentence (or fixed part of a template) the kiosk says in
    Swedish that reads differently in English: sv/*.ini against en/*.ini."""
    out = set()
    for name in os.listdir(os.path.join(ASSETS, "lang", "sv")):
        sv, en = texts("sv", name), texts("en", name)
        for key, v in sv.items():
            if en.get(key) == v:
                continue
            v = v.replace("\\n", "\n")
            for part in re.split(r"\{[a-z_]+\}", v):
                for piece in part.split("\n"):
                    piece = piece.strip(" .,:·")
                    if len(piece) >= 12:
                        out.add(piece)
    return out


def no_swedish_on_english_screens(fx):
    """Issue 12 point 4: no screen of the English flows shows a Swedish
    sentence (every label against every Swedish text the kiosk has)."""
    swedish = swedish_fragments()
    leaks = set()
    for screen, lang, labels in ud.Kiosk.SEEN:
        if lang != "en":
            continue
        for label in labels:
            for piece in swedish:
                if piece in label:
                    leaks.add((screen, piece))
    fx.check(len(swedish) > 100, f"the Swedish texts were read ({len(swedish)})")
    fx.check(not leaks, f"Swedish on English screens: {sorted(leaks)[:10]}")


def main(lang):
    fx = kiosktest.Failures()
    t = texts(lang)
    display = ud.Display(int(os.environ.get("KIOSK_UI_DISPLAY", "91")))
    try:
        with ud.tempdir() as tmp:
            for fn in ALL:
                try:
                    fn(fx, display, tmp, lang, t)
                except AssertionError as e:
                    fx.check(False, f"{fn.__name__} ({lang}): {e}")
    finally:
        display.close()
    if lang == "en":
        no_swedish_on_english_screens(fx)
    fx.done()
