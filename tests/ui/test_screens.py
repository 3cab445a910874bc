"""Screenshots of the main screens against the committed references in
tests/ui/ref/ (1080x1920 portrait, plus one landscape). A screen may differ
from its reference in at most MAX_DIFF of its pixels, each compared with a
5 % colour fuzz (ImageMagick `compare -metric AE -fuzz 5%`), so font
hinting noise passes and a moved button does not. On a mismatch the shot
is kept as ref/NAME_err.png next to the reference. KIOSK_REGEN=1 rewrites
the references instead (look at them before committing)."""
import os
import shutil
import subprocess

import kiosktest
import uidriver as ud

REF = os.path.join(ud.HERE, "ref")
MAX_DIFF = 0.003  # share of pixels
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
    p = subprocess.run(["compare", "-metric", "AE", "-fuzz", "5%", ref, shot, "null:"],
                       capture_output=True, text=True)
    try:
        diff = float(p.stderr.split()[0])
    except (ValueError, IndexError):
        FX.check(False, f"{name}: compare failed: {p.stderr.strip()}")
        return
    limit = MAX_DIFF * k.w * k.h
    if not FX.check(diff <= limit, f"{name}: {int(diff)} pixels differ (limit {int(limit)}); "
                                   f"see {name}_err.png"):
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
        compare(k, "decision_sv")
        k.tap("confirm", "contact_ask")
        k.tap("contact_yes", "contact_entry")
        compare(k, "contact_entry_sv")
        k.tap("back", "contact_ask")
        k.tap("contact_no", "done")
        k.wait("done", pred=lambda tr: any(w["id"] == "print_status" and "…" not in w["label"]
                                          for w in tr["widgets"]))
        compare(k, "done_sv")
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
            for fn in (portrait, landscape):
                try:
                    fn(display, tmp)
                except AssertionError as e:
                    FX.check(False, f"{fn.__name__}: {e}")
    finally:
        display.close()
    FX.done()


if __name__ == "__main__":
    main()
