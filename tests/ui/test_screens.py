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
from flows import return_to_decision

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
        k.tap("return", "return_items")
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
                return_to_decision(k, "line_2_plus")
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


def luminance(c):
    def ch(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = c
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def ratio(a, b):
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def colours(png, x, y, w, h):
    """The colours in a rectangle of png, most frequent first: [(count, (r, g, b))]."""
    p = subprocess.run(["convert", png, "-crop", f"{w}x{h}+{x}+{y}", "+repage", "-format", "%c",
                        "histogram:info:-"], capture_output=True, text=True, check=True)
    out = []
    for line in p.stdout.splitlines():
        count, _, rest = line.partition(":")
        rgb = rest.split("(", 1)[1].split(")", 1)[0].split(",")[:3]
        out.append((int(count), tuple(int(float(v)) for v in rgb)))
    return sorted(out, reverse=True)


def text_contrast(png, w):
    """The contrast of a widget's text on its background, from the pixels:
    the background is the rectangle's commonest colour, the text the one of
    its commonest eight (the glyphs' solid cores) that stands out most."""
    hist = colours(png, w["x"], w["y"], w["w"], w["h"])
    bg = hist[0][1]
    return max(ratio(bg, c) for _, c in hist[1:9]) if len(hist) > 1 else 1.0


def contrast(display, tmp):
    """Issue 12 point 12, measured on the screen: a notice in red reaches
    7:1 (AAA), every other text 4.5:1 at least; in high contrast a control
    that cannot be used differs from a usable one by its dashed edge, not
    only by colour."""
    k = ud.Kiosk(display, tmp, tag="contrast")
    shot = os.path.join(tmp, "contrast.png")
    try:
        k.wait("start")
        k.tap("follow", "follow_scan")
        k.scan("KC1:K-999999:0123456789abcdef")
        tree = k.wait(pred=lambda t: any(w["id"] == "notice" for w in t["widgets"]))
        k.screenshot(shot)
        notice = k.widget("notice", tree)
        FX.check(notice.get("warn"), "the notice is a warning")
        got = text_contrast(shot, notice)
        FX.check(got >= 7.0, f"the red notice's text has {got:.2f}:1, at least 7:1")
        low = [(w["id"], round(text_contrast(shot, w), 2)) for w in tree["widgets"]
               if w["role"] in ("text", "heading", "button") and w["label"]
               and text_contrast(shot, w) < 4.5]
        FX.check(not low, f"every text has 4.5:1 at least: {low}")
        k.tap("back", "start")
        k.tap("high_contrast")
        k.scan(ud.RECEIPT, "confirm")
        k.tap("return", "return_items")
        tree = k.wait("return_items")
        k.screenshot(shot)

        def edge_runs(wid):
            """Colour changes along the top edge's middle of a control."""
            w = k.widget(wid, tree)
            p = subprocess.run(["convert", shot, "-crop",
                                f"{w['w'] * 6 // 10}x1+{w['x'] + w['w'] * 2 // 10}+{w['y'] + 1}",
                                "+repage", "txt:-"], capture_output=True, text=True, check=True)
            px = [l.split()[2] for l in p.stdout.splitlines()[1:]]
            return sum(1 for a, b in zip(px, px[1:]) if a != b)

        minus, plus = k.widget("line_1_minus", tree), k.widget("line_1_plus", tree)
        FX.check(not minus["enabled"] and plus["enabled"], "'−' cannot be used, '+' can")
        FX.check(edge_runs("line_1_minus") >= 4 and edge_runs("line_1_plus") == 0,
                 f"in high contrast the unusable '−' has a dashed edge, the usable '+' a solid"
                 f" one ({edge_runs('line_1_minus')} and {edge_runs('line_1_plus')} changes)")
    finally:
        k.close()


def main():
    display = ud.Display(int(os.environ.get("KIOSK_UI_DISPLAY", "93")), size="1920x1920")
    try:
        with ud.tempdir() as tmp:
            for fn in (portrait, answer_screens, landscape, contrast):
                try:
                    fn(display, tmp)
                except AssertionError as e:
                    FX.check(False, f"{fn.__name__}: {e}")
    finally:
        display.close()
    FX.done()


if __name__ == "__main__":
    main()
