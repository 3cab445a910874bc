"""The kiosk around the flows: follow my case, language, accessibility
toggles, speech, landscape, a keyboard-wedge scanner, and refusals of
`kiosk run`. What the kiosk forgets when a customer leaves is
test_privacy.py; the commit point, updates and waiting for a person are
test_decisions.py."""
import os
import re
import subprocess
import time

import kiosktest
import uidriver as ud
from flows import fault_to_decision, texts

FX = kiosktest.Failures()


def follow_case(display, tmp):
    """Register a fault without a printer (the code is shown), then follow it."""
    t = texts("sv")
    k = ud.Kiosk(display, tmp, tag="follow", printer="none")
    try:
        fault_to_decision(k)
        k.tap("confirm", "contact_ask")
        k.tap("contact_no", "done")
        FX.eq(k.label("print_status"), t["ui.done_no_printer"], "no printer: says staff can print")
        m = re.search(r"KC1:K-\d+:[0-9a-f]{16}", k.label("case_code") or "")
        FX.check(m, "the case code is shown when nothing prints")
        case_id = k.label("case_number").split()[-1]
        if m:  # the code on the screen scans back to the same payload
            shot = os.path.join(tmp, "done.png")
            k.screenshot(shot)
            z = subprocess.run(["zbarimg", "-q", "--raw", shot], capture_output=True, text=True)
            FX.eq(z.stdout.strip(), m.group(0), "the on-screen QR scans back to the case code")
        k.tap("finish", "start")
        if not m:
            return
        code = m.group(0)
        # a wrong token is not enough to read a case
        k.tap("follow", "follow_scan")
        k.scan(code[:-4] + "0000", "follow_scan")
        FX.eq(k.label("notice"), t["ui.notice_case_unknown"], "wrong token refused")
        k.scan(code, "follow_show")
        FX.check(case_id in k.label("heading"), "the case is shown")
        FX.eq(k.label("state"), t["ui.state_registered"], "state in plain words")
        outcome = (ud.case_show(k.db, case_id) or {}).get("decision", {}).get("outcome")
        FX.eq(k.label("decision"), t.get(f"ui.follow_outcome_{outcome}"),
              f"the decision as it stands ({outcome}) in plain words")
        FX.check(k.widget("event_1") is not None and
                 t["ui.event_registered"] in k.label("event_1"), "timeline in plain words")
        FX.check(k.widget("next_step") is not None, "the next step and its date")
        FX.check(k.widget("overdue") is None, "not overdue on the day it was made")
        k.tap("finish", "start")
        # a case code scanned on the start screen opens the case directly
        k.scan(code, "follow_show")
        k.tap("finish", "start")
        # the case receipt is lost: the case number and the purchase receipt
        digits = str(int(case_id.split("-")[1]))
        k.tap("follow", "follow_scan")
        k.tap("lost_paper", "follow_number")
        for d in digits:
            k.tap("key_" + d)
        k.tap("next", "follow_receipt")
        k.scan("RS004200320261122009999", "follow_receipt")  # another purchase
        FX.eq(k.label("notice"), t["ui.notice_follow_no_match"],
              "another receipt does not open the case, and says only that they do not match")
        k.scan(ud.RECEIPT, "follow_show")
        FX.check(case_id in k.label("heading"), "the purchase receipt opens the case")
    finally:
        k.close()
    # a month later the promised date has passed: the kiosk says so, and sorry
    k = ud.Kiosk(display, tmp, tag="late", printer="none", db=k.db,
                 env={"KIOSK_NOW": "2026-12-23T10:00:00+01:00"})
    try:
        k.wait("start")
        k.scan(code, "follow_show")
        FX.eq(k.label("overdue"), t["ui.follow_overdue"], "overdue said plainly")
        # every visit with the case receipt is a "viewed" event for the
        # service report's repeat visits, and none is news to the customer
        FX.check(all(not (w.get("label") or "").startswith(t["ui.event_other"][:12])
                     for w in k.read()[1]["widgets"]), "earlier visits are not listed")
    finally:
        k.close()
    viewed = [e for e in ud.case_show(k.db, case_id)["timeline"] if e["event"] == "viewed"]
    FX.eq(len(viewed), 4, "four visits recorded (the wrong token and the wrong receipt are not)")
    FX.check(all(e["actor"] == "kiosk" for e in viewed), "visits are by the kiosk")


def language_and_toggles(display, tmp):
    sv, en = texts("sv"), texts("en")
    k = ud.Kiosk(display, tmp, tag="toggles", env={"KIOSK_SPEECH_LOG":
                                                os.path.join(tmp, "speech.log")})
    try:
        k.wait("start")
        h0 = k.widget("heading")["h"]
        k.tap("lang_en")
        FX.eq((k.tree["lang"], k.label("return")), ("en", en["ui.start_return"]), "switched to English")
        k.tap("lang_sv")
        FX.eq(k.label("return"), sv["ui.start_return"], "back to Swedish")
        k.tap("large_text")
        FX.check(k.tree["large_text"] and k.widget("heading")["h"] > h0, "larger text")
        k.tap("high_contrast")
        FX.check(k.tree["high_contrast"] and k.widget("high_contrast")["on"], "high contrast on")
        k.tap("large_text")
        k.tap("high_contrast")
        # the same toggles low on the screen, within reach from a wheelchair
        top = k.widget("large_text")
        low = k.widget("large_text_low")
        FX.check(low["y"] > k.h * 3 // 4 > top["y"] and low["label"] == top["label"],
                 f"large text is also at the bottom edge: {low['y']} of {k.h}")
        k.tap("high_contrast_low")
        FX.check(k.tree["high_contrast"] and k.widget("high_contrast")["on"] and
                 k.widget("high_contrast_low")["on"], "the low toggle switches contrast, shown on both")
        k.tap("high_contrast_low")
        FX.check(not k.tree["high_contrast"], "and off again")
        k.tap("speech")
        FX.check(k.tree["speech"], "speech on")
        touch(k, "return", -0.4)  # explore by touch: the first touch reads it
        touch(k, "return", 0.4)  # a finger moved along the wide button reads it again
        touch(k, "return")
        time.sleep(0.3)
        FX.eq(k.read()[1]["screen"], "start",
              "with speech on, touches in different places on a button only read it")
        k.tap("return", "identify")  # the second touch in the same place acts
        log = os.path.join(tmp, "speech.log")
        end = time.monotonic() + 15
        said = ""
        while time.monotonic() < end:
            said = open(log, encoding="utf-8").read() if os.path.exists(log) else ""
            if sv["ui.identify_heading"] in said:
                break
            time.sleep(0.05)
        if "espeak" in open(k.stderr_path).read() and not said:
            FX.skip("speech output (espeak-ng did not start here)")
        else:
            FX.check(sv["ui.start_return"] + ", " + sv["speech.button"] in said,
                     "the touched button was read aloud with its role")
            FX.check(sv["ui.identify_heading"] in said, "the new screen was read aloud")
            rows = [line.split("\t") for line in said.splitlines()]
            FX.check(rows and all(int(r[1]) > 0 for r in rows if r[2] == "done"),
                     "espeak produced sound for each finished text")
            FX.check(any(r[3].startswith(sv["ui.identify_heading"] + ". ") for r in rows),
                     "the whole new screen was read: " + repr(rows[-1:]))
    finally:
        k.close()


def touch(k, wid, along=0.0):
    """One touch on widget wid (at its centre, or `along` its width from
    there), without waiting for anything to change."""
    w = k.widget(wid, k.wait())
    x = w["x"] + w["w"] // 2 + int(along * w["w"])
    subprocess.run(["xdotool", "mousemove", str(x), str(w["y"] + w["h"] // 2),
                    "click", "1"], env=dict(os.environ, DISPLAY=k.display.name), check=True)


class Ear:
    """What a person hears: the speech log, read line by line."""

    def __init__(self, path):
        self.path, self.seen = path, 0

    def lines(self):
        try:
            rows = open(self.path, encoding="utf-8").read().splitlines()
        except OSError:
            return []
        return [r.split("\t", 3)[3] for r in rows if r.count("\t") >= 3]

    def new(self):
        rows = self.lines()
        out, self.seen = rows[self.seen:], len(rows)
        return out

    def wait_for(self, pred, timeout=15):
        """New lines until one satisfies pred; all of them, or None on timeout."""
        got, end = [], time.monotonic() + timeout
        while time.monotonic() < end:
            got += self.new()
            if any(pred(line) for line in got):
                return got
            time.sleep(0.03)
        return None


def explore_return(display, tmp):
    """Speech for a person who cannot see the screen (issue 12 point 3): a
    long press anywhere starts it; every screen of a return is read with
    every one of its buttons; the return is then done by touch alone, the
    way a blind customer does it: touching places on a grid until the
    speech names the wanted control, then touching it again in the same
    place (touching a wide button twice in different places only reads
    it). Where to go is decided from the speech log only (the UI dump is
    used to check what was heard, never to find a control). A count that changes is heard;
    the next customer starts without speech."""
    sv = texts("sv")
    log = os.path.join(tmp, "explore-speech.log")
    k = ud.Kiosk(display, tmp, tag="explore", env={"KIOSK_SPEECH_LOG": log})
    ear = Ear(log)
    env = dict(os.environ, DISPLAY=display.name)
    controls = sv["speech.controls"]
    try:
        k.wait("start")
        subprocess.run(["xdotool", "mousemove", "540", "1500", "mousedown", "1", "sleep", "2.4",
                        "mouseup", "1"], env=env, check=True)
        heard = ear.wait_for(lambda l: l.startswith(controls))
        if heard is None and "espeak" in open(k.stderr_path).read():
            FX.skip("speech output (espeak-ng did not start here)")
            return
        FX.check(heard and any(sv["speech.explore"] in l for l in heard),
                 f"a long press starts speech and says how to explore: {heard}")
        FX.check(k.read()[1]["speech"], "speech is on")

        def heard_every_button(lines, screen):
            tree = k.wait()
            said = " ".join(lines or [])
            # a stepper's "+" and "−" are read as what they do to their row
            spoken = {"+": sv["speech.plus"], "−": sv["speech.minus"]}
            missing = [w["label"] for w in tree["widgets"]
                       if w["role"] in ("button", "toggle")
                       and spoken.get(w["label"], w["label"].split("\n")[0]) not in said]
            FX.check(not missing, f"{screen}: every button was read: missing {missing}")

        heard_every_button(heard, "start")

        def find_and_choose(prefix, what):
            """Touch the grid until speech names a control starting with
            prefix, then touch it again there: from the bottom up, where
            the answers are (as the hint says)."""
            for y in reversed(range(60, 1900, 110)):
                for x in (135, 405, 675, 945):
                    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"],
                               env=env, check=True)
                    got = ear.wait_for(lambda l: not l.startswith(controls), timeout=0.8) or []
                    if any(l.startswith(prefix) for l in got):
                        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"],
                                   env=env, check=True)
                        return True
            FX.check(False, f"{what}: no control on the screen was read as {prefix!r}")
            return False

        steps = [(sv["ui.start_return"], "return")]
        for prefix, what in steps:
            find_and_choose(prefix, what)
        heard = ear.wait_for(lambda l: l.startswith(controls))
        heard_every_button(heard, "identify")
        k.scan(ud.RECEIPT)  # the receipt held to the scanner: no sight needed
        # (what speech must name, the step, whether it is on a new screen)
        for prefix, what, new_screen in [
                (sv["ui.confirm_yes"], "confirm", True), (sv["speech.plus"] + ":", "items", True),
                (sv["ui.next"], "next", False), (sv["ui.reason_changed_mind"], "reason", True),
                (sv["ui.cond_unopened"], "condition", True),
                (sv["ui.decision_confirm"], "decision", True),
                (sv["ui.contact_no"], "contact", True)]:
            if new_screen:
                heard = ear.wait_for(lambda l: l.startswith(controls))
                heard_every_button(heard, what)
            if not find_and_choose(prefix, what):
                return
            if what == "items":
                got = ear.wait_for(lambda l: "Valt: 1" in l and not l.startswith(controls))
                FX.check(got is not None, "the new count is heard: Valt: 1")
        heard = ear.wait_for(lambda l: l.startswith(controls))
        FX.eq(k.wait("done")["screen"], "done", "the return was completed by touch and speech")
        heard_every_button(heard, "done")
        cid = ud.newest_case(k.db)
        case = ud.case_show(k.db, cid) if cid else None
        FX.check(case and case["kind"] == "return", f"the case is registered: {cid}")
        find_and_choose(sv["ui.finish"], "finish")
        tree = k.wait("start", timeout=15)
        FX.check(not tree["speech"] and not tree["large_text"] and not tree["high_contrast"],
                 "the next customer starts without speech, large text or contrast")
    finally:
        k.close()


class SoundServer:
    """A private PulseAudio in a temp folder with one output, "speaker"."""

    def __init__(self, tmp):
        self.dir = os.path.join(tmp, "pulse")
        os.makedirs(self.dir, exist_ok=True)
        self.sock = os.path.join(self.dir, "sock")
        self.env = dict(os.environ, HOME=self.dir, XDG_RUNTIME_DIR=self.dir,
                        PULSE_RUNTIME_PATH=self.dir, PULSE_SERVER="unix:" + self.sock)
        self.log = open(os.path.join(self.dir, "log"), "w")
        self.proc = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "-L", f"module-native-protocol-unix socket={self.sock} auth-anonymous=1",
             "-L", "module-null-sink sink_name=speaker"],
            env=self.env, stdout=self.log, stderr=self.log)
        end = time.monotonic() + 15
        while time.monotonic() < end and not self.sinks():
            time.sleep(0.1)

    def pactl(self, *args):
        return subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True,
                              timeout=10)

    def sinks(self):
        """{index: name} of the outputs."""
        p = self.pactl("list", "short", "sinks")
        return {r.split("\t")[0]: r.split("\t")[1] for r in p.stdout.splitlines()
                if p.returncode == 0 and r.count("\t") >= 1}

    def playing_on(self):
        """The outputs the sound streams play on, by name."""
        p = self.pactl("list", "short", "sink-inputs")
        sinks = self.sinks()
        return sorted(sinks.get(r.split("\t")[1], "?") for r in p.stdout.splitlines()
                      if r.count("\t") >= 1)

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


def headphones(display, tmp):
    """Headphones plugged in start speech for a person who cannot see the
    screen (issue 12 point 3), in the headphones: a new output reported by
    the sound server (here a private PulseAudio; pactl loads a second
    output as plugging a USB headset does)."""
    sv = texts("sv")
    snd = SoundServer(tmp)
    log = os.path.join(tmp, "phones-speech.log")
    ear = Ear(log)
    k = None
    try:
        FX.check(list(snd.sinks().values()) == ["speaker"],
                 f"a private sound server with one output: {snd.sinks()}")
        k = ud.Kiosk(display, tmp, tag="phones",
                     env={"SDL_AUDIODRIVER": "pulseaudio", "PULSE_SERVER": "unix:" + snd.sock,
                          "KIOSK_SPEECH_LOG": log})
        tree = k.wait("start")
        FX.check(not tree["speech"], "speech is off at the start")
        time.sleep(0.5)
        FX.check(not k.read()[1]["speech"], "the speaker there at the start starts nothing")
        plug = snd.pactl("load-module", "module-null-sink", "sink_name=headphones")
        FX.eq(plug.returncode, 0, f"headphones plugged in: {plug.stderr}")
        end = time.monotonic() + 10
        while time.monotonic() < end and not k.read()[1]["speech"]:
            time.sleep(0.05)
        FX.check(k.read()[1]["speech"], "plugging in headphones switched speech on")
        heard = ear.wait_for(lambda l: l.startswith(sv["speech.controls"]))
        FX.check(heard and any(sv["speech.explore"] in l for l in heard) and
                 any(l.startswith(sv["ui.start_heading"]) for l in heard),
                 f"the hint and the screen were read: {heard}")
        end = time.monotonic() + 5
        while time.monotonic() < end and snd.playing_on() != ["headphones"]:
            time.sleep(0.05)
        FX.eq(snd.playing_on(), ["headphones"], "speech plays in the headphones, not the speaker")
        snd.pactl("unload-module", plug.stdout.strip())
        time.sleep(0.5)
        FX.check(k.read()[1]["speech"], "unplugged: speech stays on for this customer")
        subprocess.run(["xdotool", "mousemove", "540", "400", "mousedown", "1", "sleep", "2.4",
                        "mouseup", "1"], env=dict(os.environ, DISPLAY=display.name), check=True)
        FX.check(ear.wait_for(lambda l: l.startswith(sv["speech.controls"])) is not None,
                 "the screen is read again on a long press")
        end = time.monotonic() + 5
        while time.monotonic() < end and snd.playing_on() != ["speaker"]:
            time.sleep(0.05)
        FX.eq(snd.playing_on(), ["speaker"], "and heard from the speaker again")
    finally:
        if k:
            k.close()
        snd.close()


def landscape(display, tmp):
    k = ud.Kiosk(display, tmp, tag="land", window="1920x1080")
    try:
        tree = k.wait("start")
        FX.eq((tree["window_w"], tree["window_h"]), (1920, 1080), "landscape window")
        inside = all(w["x"] >= 0 and w["y"] >= 0 and w["x"] + w["w"] <= 1920
                     and w["y"] + w["h"] <= 1080 for w in tree["widgets"])
        FX.check(inside, "every widget inside the landscape window")
        k.tap("return", "identify")
        k.tap("back", "start")
    finally:
        k.close()


def keyboard_wedge(display, tmp):
    """A scanner that types (--scanner keyboard): keys into the window."""
    k = ud.Kiosk(display, tmp, tag="wedge", scanner="keyboard")
    try:
        k.wait("start")
        env = dict(os.environ, DISPLAY=display.name)
        subprocess.run(["xdotool", "type", "--delay", "5", ud.RECEIPT], env=env, check=True)
        subprocess.run(["xdotool", "key", "Return"], env=env, check=True)
        k.wait("confirm")
        FX.check(texts("sv")["ui.month_11"] in k.label("what_was_read"),
                 "the typed receipt was understood")
    finally:
        k.close()

def refusals(tmp):
    db = os.path.join(tmp, "r.db")

    def setting(text):
        path = os.path.join(tmp, f"setting{len(os.listdir(tmp))}.ini")
        with open(path, "w") as out:
            out.write(text)
        return path

    rows = [
        (["run", "--window", "10x10"], 2, "--window wants WIDTHxHEIGHT"),
        (["run", "--mode", "shop"], 2, "--mode must be kiosk or counter"),
        (["run", "--window", "1080x1920", "--fullscreen"], 2, "not both"),
        (["run", "--bogus"], 2, "unknown option '--bogus'"),
        (["run", "--dump-ui", "/nonexistent-dir/ui.json"], 2, "cannot write the UI tree"),
        (["run", "--scanner", "telepathy"], 2, "telepathy"),
        (["run", "--printer", "pigeon"], 2, "pigeon"),
        # the store's settings the program reads later, checked first
        (["run", "--config", setting("[printer]\npaper_mm = 80mm\n")], 1,
         "[printer] paper_mm = 80mm is not supported: use 80 or 58."),
        (["run", "--config", setting("[notify]\npoll_ms = 2s\n")], 1,
         '[notify] poll_ms must be a whole number from 100 to 600000, not "2s"'),
    ]
    for i, (args, code, text) in enumerate(rows):
        p = kiosktest.run(args, db=db, env={"DISPLAY": ":1999"})
        FX.eq(p.returncode, code, f"i:{i} exit code of {args}")
        FX.check(text in p.stderr and p.stderr.count("\n") == 1,
                 f"i:{i} one-line reason for {args}: {p.stderr!r}")
        FX.check(not os.path.exists(db), f"i:{i} a refused run leaves no database behind")

def no_display(tmp):
    """With no X11 or Wayland display and no console screen the kiosk says
    so in one sentence and exits 1, instead of running where nobody can see
    it (SDL's off-screen fallback)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env["KIOSK_NOW"] = ud.NOW
    p = subprocess.run([ud.KIOSK, "run", "--db", os.path.join(tmp, "nd.db"), "--window",
                        "720x1280", "--printer", "none", "--scanner",
                        "fifo:" + os.path.join(tmp, "nd.fifo")],
                       env=env, capture_output=True, text=True, timeout=30)
    FX.eq(p.returncode, 1, "no display: exit 1")
    FX.check(p.stderr.count("\n") == 1 and "no screen to show the kiosk on" in p.stderr and
             "DISPLAY" in p.stderr, f"no display: one sentence naming what it tried: {p.stderr!r}")


def main():
    ud.run_scenarios(FX, 94, (follow_case, language_and_toggles, explore_return, headphones,
                              landscape, keyboard_wedge), after=(refusals, no_display))


if __name__ == "__main__":
    main()
