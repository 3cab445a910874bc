"""Screenshots of the main screens against the committed references in
tests/ui/ref/ (1080x1920 portrait, plus one landscape), compared exactly:
not one pixel may differ (ImageMagick `compare -metric AE`, no fuzz). The
kiosk draws with SDL's software renderer, so the same build on the same
fonts gives the same pixels every time, and a one-digit change, a missing
line or a recoloured label fails. The decision, done and follow-my-case
screens have references in both languages and both text sizes. On a
mismatch the shot is kept as ref/NAME_err.png next to the reference.
KIOSK_REGEN=1 rewrites the references instead (look at them before
committing); they depend on the Mesa/SDL and DejaVu versions."""
import os
import shutil
import subprocess

import kiosktest
import uidriver as ud

REF = os.path.join(ud.HERE, "ref")
FX = kiosktest.Failures()
REGEN = os.environ.get("KIOSK_REGEN") == "1"


def compare(k, name):
    shot = os.path.join(k.tmp, name + ".png")
    k.screenshot(shot)
    ref = os.path.join(REF, name + ".png")
    if REGEN or not os.path.exists(ref):
        if not REGEN:
            FX.check(False, f"{name}: no reference {ref}; run with KIOSK_REGEN=1 and look at it")
            return
        shutil.copy(shot, ref)
        print("regenerated", ref)
        return
    p = subprocess.run(["compare", "-metric", "AE", ref, shot, "null:"],
                       capture_output=True, text=True)
    try:
        diff = float(p.stderr.split()[0])
    except (ValueError, IndexError):
        FX.check(False, f"{name}: compare failed: {p.stderr.strip()}")
        return
    if not FX.check(diff == 0, f"{name}: {int(diff)} pixels differ; see {name}_err.png"):
        shutil.copy(shot, os.path.join(REF, name + "_err.png"))


def portrait(display, tmp):
    k = ud.Kiosk(display, tmp, tag="shots")
    try:
        k.wait("start")
        compare(k, "start_sv")
        k.tap("return", "identify")
        compare(k, "identify_sv")
        k.scan(ud.RECEIPT, "confirm")
        compare(k, "confirm_sv")
        k.tap("continue", "return_items")
        k.tap("line_2_plus")
        compare(k, "return_items_sv")
        k.tap("next", "return_reason")
        k.tap("reason_changed_mind", "return_condition")
        k.tap("cond_unopened", "decision")
        k.tap("confirm", "contact_ask")
        k.tap("contact_yes", "contact_entry")
        compare(k, "contact_entry_sv")
        k.tap("back", "contact_ask")
        k.tap("contact_no", "done")
        k.wait("done", pred=printed)
        k.tap("finish", "start")
        k.scan(ud.LONG_RECEIPT, "confirm")
        k.tap("continue", "return_items")
        FX.check(k.widget("page_next") and k.widget("page_next")["enabled"], "long receipt pages")
        k.tap("page_next")
        k.tap("line_10_plus")
        compare(k, "return_items_page2_sv")
        k.tap("back", "confirm")
        k.tap("not_me", "start")
        k.tap("lang_en")
        compare(k, "start_en")
        k.tap("high_contrast")
        k.tap("large_text")
        compare(k, "start_en_contrast_large")
    finally:
        k.close()


def printed(tree):
    return any(w["id"] == "print_status" and "…" not in w["label"] for w in tree["widgets"])


def settle(k, lang, large):
    """On the start screen: the language and text size asked for."""
    tree = k.wait("start")
    if tree["lang"] != lang:
        tree = k.tap("lang_" + lang, "start")
    if bool(tree["large_text"]) != large:
        k.tap("large_text", "start")


def answer_screens(display, tmp):
    """Decision, done and follow my case in each language and text size: what
    the customer reads about their case, pixel for pixel."""
    for lang in ("sv", "en"):
        for large in (False, True):
            suffix = f"_{lang}" + ("_large" if large else "")
            k = ud.Kiosk(display, tmp, tag="ans" + suffix)
            try:
                settle(k, lang, large)
                k.scan(ud.RECEIPT, "confirm")
                k.tap("continue", "return_items")
                k.tap("line_2_plus")
                k.tap("next", "return_reason")
                k.tap("reason_changed_mind", "return_condition")
                k.tap("cond_unopened", "decision")
                compare(k, "decision" + suffix)
                k.tap("confirm", "contact_ask")
                k.tap("contact_no", "done")
                k.wait("done", pred=printed)
                compare(k, "done" + suffix)
                k.tap("finish", "start")
                codes = [c for _, cs in ud.printed_receipts(k.printed, tmp) for c in cs]
                if not FX.check(len(codes) == 1, f"{suffix}: one printed case code: {codes}"):
                    continue
                settle(k, lang, large)
                k.scan(codes[0], "follow_show")
                compare(k, "follow" + suffix)
            finally:
                k.close()


def landscape(display, tmp):
    k = ud.Kiosk(display, tmp, tag="land", window="1920x1080")
    try:
        k.wait("start")
        compare(k, "start_landscape_sv")
    finally:
        k.close()


def main():
    display = ud.Display(int(os.environ.get("KIOSK_UI_DISPLAY", "93")), size="1920x1920")
    try:
        with ud.tempdir() as tmp:
            for fn in (portrait, answer_screens, landscape):
                try:
                    fn(display, tmp)
                except AssertionError as e:
                    FX.check(False, f"{fn.__name__}: {e}")
    finally:
        display.close()
    FX.done()


if __name__ == "__main__":
    main()
