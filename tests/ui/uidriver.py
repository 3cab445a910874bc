"""Drive the real kiosk binary under Xvfb, as a customer would.

Starts Xvfb on one display (each test script has its own, :91-:94), a
fresh database in a temp folder seeded with `kiosk import`, and the kiosk
with --dump-ui, --scanner fifo:PATH and --printer file:PATH. Waits for the
dump to show a screen, taps widgets by id with xdotool at their centre, and
writes scans to the fifo. Standard library only (plus xdotool, Xvfb,
ImageMagick `import` for screenshots).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "common"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "printer"))
import escpos_decode  # noqa: E402
import kiosktest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
KIOSK = os.environ.get("KIOSK_BIN", "kiosk")
NOW = "2026-11-23T10:00:00+01:00"
RECEIPT = "RS004200320261122001234"   # bought yesterday: inside the window
OLD_RECEIPT = "RS004200120260801000077"  # August: outside the 30 days
LONG_RECEIPT = "RS004200320261120000042"  # twelve lines: the list pages


def mrz_check(s):
    """ICAO 9303 check digit."""
    w = (7, 3, 1)
    total = 0
    for i, ch in enumerate(s):
        if ch.isdigit():
            v = int(ch)
        elif ch.isalpha():
            v = ord(ch.upper()) - 55
        else:
            v = 0
        total += v * w[i % 3]
    return str(total % 10)


def td1(surname, given, number="D23145890", issuer="SWE", birth="400812",
        expiry="310101"):
    """A TD1 (ID card) MRZ with correct check digits, lines joined by \\n."""
    l1 = ("I<" + issuer + number + mrz_check(number)).ljust(30, "<")
    l2 = birth + mrz_check(birth) + "F" + expiry + mrz_check(expiry) + issuer
    l2 = l2.ljust(29, "<")
    comp = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += mrz_check(comp)
    name = (surname + "<<" + given.replace(" ", "<")).ljust(30, "<")
    return l1 + "\n" + l2 + "\n" + name


def td3(surname, given, number="X4711K2Q9", issuer="SWE", birth="520318", expiry="330601"):
    """A TD3 (passport) MRZ, two lines of 44, joined by \\n. Its name field
    holds 39 characters, room for long names."""
    name = (surname.replace(" ", "<") + "<<" + given.replace(" ", "<"))
    assert len(name) <= 39, name
    l1 = ("P<" + issuer + name).ljust(44, "<")
    l2 = (number + mrz_check(number) + issuer + birth + mrz_check(birth) + "F" + expiry
          + mrz_check(expiry))
    personal = "<" * 14
    l2 += personal + mrz_check(personal)
    l2 += mrz_check(l2[0:10] + l2[13:20] + l2[21:43])
    return l1 + "\n" + l2


class Display:
    """An Xvfb server on :N for the life of one test script."""

    def __init__(self, num, size="1080x1920", wait=240):
        """Start Xvfb :num. Other build folders run these same tests on the
        same displays (:91-:94 only), so a busy display is waited for."""
        for tool in ("Xvfb", "xdotool", "import"):
            if not shutil.which(tool):
                kiosktest.skip_all(f"{tool} is not installed")
        self.num = num
        self.name = f":{num}"
        sock = f"/tmp/.X11-unix/X{num}"
        end = time.monotonic() + wait
        while True:
            if not self._busy(num):
                self.proc = subprocess.Popen(
                    ["Xvfb", self.name, "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for _ in range(250):
                    if self.proc.poll() is not None:
                        break  # lost a race for the display: wait again
                    if os.path.exists(sock) and self._owner(num) == self.proc.pid:
                        return
                    time.sleep(0.02)
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
            if time.monotonic() > end:
                raise SystemExit(f"display :{num} stayed busy for {wait} s")
            time.sleep(0.25)

    @staticmethod
    def _owner(num):
        try:
            return int(open(f"/tmp/.X{num}-lock").read().strip())
        except (OSError, ValueError):
            return None

    @classmethod
    def _busy(cls, num):
        pid = cls._owner(num)
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False  # a stale lock: Xvfb removes it when it starts
        except PermissionError:
            return True

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def seed_db(tmp, name="kiosk.db"):
    db = os.path.join(tmp, name)
    p = kiosktest.run(["import", os.path.join(HERE, "fixtures", "receipts.csv")], db=db)
    if p.returncode != 0:
        raise SystemExit("seeding the database failed: " + p.stderr)
    return db


# The update channels a test kiosk offers: both by default, as a store that
# set them up ([notify.*]; the tests never run the sender against them).
UPDATES_EMAIL_SMS = ("[notify.email]\nhost = 127.0.0.1\nport = 9\nstarttls = no\n"
                     "from = kundservice@hemelektronik.example\n"
                     "[notify.sms]\nurl = http://127.0.0.1:9/sms\n")
UPDATES_EMAIL = ("[notify.email]\nhost = 127.0.0.1\nport = 9\nstarttls = no\n"
                 "from = kundservice@hemelektronik.example\n")


def with_updates(config, updates, path):
    """config (a path or None) with the updates' sections added, as a new
    file at path; config as it is when updates is None or it has its own."""
    if not updates:
        return config
    text = open(config, encoding="utf-8").read() if config else ""
    if "[notify." in text:
        return config
    with open(path, "w", encoding="utf-8") as out:
        out.write(text + "\n" + updates)
    return path


class Kiosk:
    """One running kiosk."""

    # every screen any kiosk of this test process was seen showing:
    # (screen, [labels]), for checks across all flows
    SEEN = []

    def __init__(self, display, tmp, lang="sv", window="1080x1920", printer="file",
                 config=None, db=None, mode="kiosk", env=None, tag="k", scanner=None,
                 updates=UPDATES_EMAIL_SMS):
        self.display = display
        self.tmp = tmp
        self.dump = os.path.join(tmp, f"{tag}-ui.json")
        self.fifo = os.path.join(tmp, f"{tag}-scan.fifo")
        self.printed = os.path.join(tmp, f"{tag}-printed.bin")
        self.db = db or seed_db(tmp, f"{tag}.db")
        if os.path.exists(self.fifo):
            os.unlink(self.fifo)
        os.mkfifo(self.fifo)
        self.w, self.h = (int(v) for v in window.split("x"))
        printer_spec = {"file": "file:" + self.printed, "none": "none"}.get(printer, printer)
        args = [KIOSK, "run", "--mode", mode, "--window", window, "--dump-ui", self.dump,
                "--scanner", scanner or "fifo:" + self.fifo, "--printer", printer_spec,
                "--db", self.db, "--lang", lang]
        config = with_updates(config, updates, os.path.join(tmp, f"{tag}-store.ini"))
        if config:
            args += ["--config", config]
        e = dict(os.environ)
        e.update({"DISPLAY": display.name, "SDL_AUDIODRIVER": "dummy", "KIOSK_NOW": NOW,
                  "SDL_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR": "0"})
        if env:
            e.update(env)
        self.stderr_path = os.path.join(tmp, f"{tag}-stderr.txt")
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(args, env=e, stdout=subprocess.DEVNULL, stderr=self.stderr)
        self.last = None
        self.tree = None

    # ---- reading the UI tree ----
    def read(self):
        try:
            with open(self.dump) as f:
                text = f.read()
            return text, json.loads(text)
        except (OSError, ValueError):
            return None, None

    def wait(self, screen=None, timeout=10, changed=False, pred=None):
        """Wait for the dump to show screen (and be new when changed)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"kiosk exited with {self.proc.returncode}: "
                                     + open(self.stderr_path).read())
            text, tree = self.read()
            if tree is not None and (not changed or text != self.last) \
                    and (screen is None or tree.get("screen") == screen) \
                    and (pred is None or pred(tree)):
                self.last, self.tree = text, tree
                Kiosk.SEEN.append((tree.get("screen"), tree.get("lang"),
                                   [w.get("label") or "" for w in tree["widgets"]]))
                return tree
            time.sleep(0.01)
        _, tree = self.read()
        raise AssertionError(f"timed out waiting for screen {screen!r}; "
                             f"showing {tree and tree.get('screen')!r}")

    def widget(self, wid, tree=None):
        for w in (tree or self.tree)["widgets"]:
            if w["id"] == wid:
                return w
        return None

    def label(self, wid):
        w = self.widget(wid)
        return w["label"] if w else None

    def ids(self):
        return [w["id"] for w in self.tree["widgets"]]

    # ---- acting ----
    def tap(self, wid, screen=None, timeout=10):
        """Tap widget wid at its centre, then wait for the tree to change."""
        tree = self.wait()
        w = self.widget(wid, tree)
        if w is None:
            raise AssertionError(f"no widget {wid!r} on screen {tree['screen']!r}; "
                                 f"there are {[x['id'] for x in tree['widgets']]}")
        if not w["enabled"]:
            raise AssertionError(f"widget {wid!r} is disabled")
        x, y = w["x"] + w["w"] // 2, w["y"] + w["h"] // 2
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"],
                       env=dict(os.environ, DISPLAY=self.display.name), check=True)
        return self.wait(screen, timeout=timeout, changed=True)

    def type(self, text):
        """Type on the on-screen keyboard, one tap per key."""
        names = {"å": "aring", "ä": "auml", "ö": "ouml", " ": "space", "@": "at",
                 ".": "dot", "-": "dash", "+": "plus"}
        for ch in text:
            self.tap("key_" + names.get(ch, ch))

    def scan(self, payload, screen=None, timeout=10):
        """Write one scan (a line, with \\n and \\r escaped) to the fifo."""
        line = payload.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
        fd = os.open(self.fifo, os.O_WRONLY)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
        return self.wait(screen, timeout=timeout, changed=True)

    def screenshot(self, path):
        subprocess.run(["import", "-window", "root", "-crop", f"{self.w}x{self.h}+0+0",
                        "+repage", path], env=dict(os.environ, DISPLAY=self.display.name),
                       check=True)

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
        err = open(self.stderr_path).read()
        # A clean exit on SIGTERM, and nothing from the sanitizers.
        for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            if bad in err:
                raise AssertionError(f"kiosk reported {bad}: " + err[-3000:])
        if self.proc.returncode != 0:
            raise AssertionError(f"kiosk exited with {self.proc.returncode}: " + err[-500:])
        return self.proc.returncode


def memory_contains(pid, needle):
    """Does the process's writable memory hold needle (bytes)? Reads
    /proc/PID/mem region by region (huge sanitizer shadow maps skipped)."""
    found = False
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            addr, perms = line.split()[:2]
            if not perms.startswith("rw"):
                continue
            lo, hi = (int(x, 16) for x in addr.split("-"))
            if hi - lo > 1 << 30:
                continue
            try:
                mem.seek(lo)
                if needle in mem.read(hi - lo):
                    found = True
                    break
            except (OSError, OverflowError, ValueError):
                continue
    return found


def stored_bytes(db):
    """Everything the database holds, as bytes: `sqlite3 .dump` of the file
    (which reads its WAL too) plus the raw bytes of the file, its -wal and
    its -shm, so a privacy check sees rows that are not yet checkpointed and
    leftovers in free pages alike."""
    p = subprocess.run(["sqlite3", db, ".dump"], capture_output=True, check=True)
    out = p.stdout
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            out += open(db + suffix, "rb").read()
    return out


def printed_receipts(path, tmp):
    """The receipts in the ESC/POS bytes at path, as a printer would print
    them: [(text lines, [QR payloads scanned back with zbarimg])]."""
    doc = escpos_decode.decode(open(path, "rb").read())
    out = []
    for ri, rec in enumerate(doc["receipts"]):
        codes = []
        for ii, img in enumerate(rec["images"]):
            pbm = os.path.join(tmp, f"printed{ri}-{ii}.pbm")
            with open(pbm, "wb") as f:
                f.write(escpos_decode.image_pbm(img, quiet=16))
            z = subprocess.run(["zbarimg", "-q", "--raw", pbm], capture_output=True, text=True)
            codes += z.stdout.split()
        out.append(([ln["text"] for ln in rec["lines"]], codes))
    return out


def newest_case(db):
    """The newest case in the store, by `kiosk case list`."""
    cases = case_list(db)
    return max((c["case_id"] for c in cases), key=lambda c: int(c[2:])) if cases else None


def case_show(db, case_id):
    p, j = kiosktest.run_json(["case", "show", "--json", case_id], db=db)
    return j


def case_list(db):
    p, j = kiosktest.run_json(["case", "list", "--json"], db=db)
    return j or []


def tempdir():
    return tempfile.TemporaryDirectory(prefix="kiosk-ui-")


def run_scenarios(fx, display_num, scenarios, after=()):
    """Each scenario(display, tmp) in turn on one Xvfb display (:display_num
    unless KIOSK_UI_DISPLAY says) and one temp folder, with its time; an
    assertion that stops one is its failure, and the next goes on. Then
    each of after(tmp), and fx.done()."""
    display = Display(int(os.environ.get("KIOSK_UI_DISPLAY", str(display_num))))
    try:
        with tempdir() as tmp:
            for fn in scenarios:
                t0 = time.monotonic()
                try:
                    fn(display, tmp)
                except AssertionError as e:
                    fx.check(False, f"{fn.__name__}: {e}")
                print(f"# {fn.__name__}: {time.monotonic() - t0:.1f} s", flush=True)
            for fn in after:
                fn(tmp)
    finally:
        display.close()
    fx.done()


def close_window(display, pid):
    """Ask the kiosk's window to close the way a window manager does (Alt+F4):
    a WM_DELETE_WINDOW client message to each window of process pid, sent
    through libX11 itself (no window manager runs under Xvfb). Returns how
    many windows were asked."""
    import ctypes
    import ctypes.util
    env = dict(os.environ, DISPLAY=display.name)
    found = subprocess.run(["xdotool", "search", "--pid", str(pid)], env=env,
                           capture_output=True, text=True).stdout.split()
    x = ctypes.CDLL(ctypes.util.find_library("X11"))
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                             ctypes.c_void_p]
    x.XFlush.argtypes = [ctypes.c_void_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]

    class ClientMessage(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                    ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                    ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                    ("format", ctypes.c_int), ("data", ctypes.c_long * 5),
                    ("pad", ctypes.c_long * 12)]  # an XEvent is 24 longs

    dpy = x.XOpenDisplay(display.name.encode())
    if not dpy:
        raise AssertionError(f"cannot open display {display.name}")
    protocols = x.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
    delete = x.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
    for w in found:
        ev = ClientMessage(type=33, window=int(w), message_type=protocols, format=32)  # 33: ClientMessage
        ev.data[0] = delete
        ev.data[1] = 0  # CurrentTime
        x.XSendEvent(dpy, int(w), 0, 0, ctypes.byref(ev))
    x.XFlush(dpy)
    x.XCloseDisplay(dpy)
    return len(found)
