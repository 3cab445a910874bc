"""Installing a kiosk (issue 13): the deployment files in assets/deploy/.

- `systemd-analyze verify` passes on the units, with not a word of
  warning, and the units keep the kiosk locked down: restarted always,
  watched (Type=notify, WatchdogSec), as the user "kiosk", under cage
  without VT switching, tty1 taken from the login prompt.
- install.sh into a staging root (DESTDIR) puts the program, the words,
  the config (0640, kept when present), the unit, the udev rules,
  Ctrl-Alt-Del masked and logind's VT settings in place.
- The nightly backup: its unit's own command line, run twice as the unit
  would run it, copies the database where the kiosk's unit keeps it and
  leaves one backup.
- The watchdog: the real kiosk under Xvfb with NOTIFY_SOCKET and
  WATCHDOG_USEC says READY=1 once its first screen is up, WATCHDOG=1 from
  its loop while idle, and STOPPING=1 when its service stops it.
- Under cage (as an unprivileged user, like the service): the kiosk comes
  up as cage's client with its start screen, its READY=1 reaches the
  service's socket through cage, a `grim` screenshot of cage's output is
  pixel for pixel the start screen the kiosk draws on a plain X server of
  the same size, a fifo scan moves it on (and the next screenshot shows
  another screen), and stopping cage stops it. There is no GPU or DRM
  device here, so cage runs on wlroots' X11 backend inside an Xvfb (:88)
  with the pixman renderer; its headless backend cannot commit an output
  without one (its screenshots are black), and a kiosk PC has DRM."""
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time

import kiosktest as kt

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DEPLOY = os.path.join(ROOT, "assets", "deploy")
UNITS = ("kiosk.service", "kiosk-counter.service", "kiosk-notify.service",
         "kiosk-sync.service", "kiosk-backup.service", "kiosk-backup.timer")
NOW = "2026-11-23T10:00:00+01:00"
f = kt.Failures()
tmp = tempfile.mkdtemp(prefix="kiosk-deploy-")
os.chmod(tmp, 0o755)


def unit_text(name):
    with open(os.path.join(DEPLOY, "systemd", name)) as u:
        return u.read()


def settings(name):
    out = {}
    for line in unit_text(name).splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";")):
            k, v = line.split("=", 1)
            out.setdefault(k.strip(), []).append(v.strip())
    return out


# ---- the units ---------------------------------------------------------------
staged = os.path.join(tmp, "units")
os.mkdir(staged)
for name in UNITS:
    with open(os.path.join(staged, name), "w") as out:
        out.write(unit_text(name).replace("/usr/local/bin/kiosk", kt.KIOSK))
p = subprocess.run(["systemd-analyze", "verify"] + list(UNITS), cwd=staged,
                   capture_output=True, text=True)
f.eq((p.returncode, p.stdout + p.stderr), (0, ""), "systemd-analyze verify: clean")
for name in ("kiosk.service", "kiosk-counter.service"):
    s = settings(name)
    f.eq((s.get("Restart"), s.get("Type"), s.get("NotifyAccess"), s.get("User")),
         (["always"], ["notify"], ["all"], ["kiosk"]), f"{name}: restarted, notifies, as kiosk")
    f.check(s.get("WatchdogSec") and int(s["WatchdogSec"][0]) > 0, f"{name}: a watchdog")
    start = s.get("ExecStart", [""])[0].split()
    f.check(start[:1] == ["/usr/bin/cage"] and "-s" not in start[:start.index("--")],
            f"{name}: under cage, no VT switching: {start}")
    f.eq((s.get("TTYPath"), s.get("Conflicts")), (["/dev/tty1"], ["getty@tty1.service"]),
         f"{name}: tty1, no login prompt there")
    f.check("KIOSK_ALLOW_QUIT=1" not in unit_text(name), f"{name}: cannot be quit")

# ---- install.sh into a staging root -------------------------------------------
dest = os.path.join(tmp, "root")
p = subprocess.run([os.path.join(DEPLOY, "install.sh"), "kiosk", kt.KIOSK],
                   env=dict(os.environ, DESTDIR=dest), capture_output=True, text=True)
f.eq(p.returncode, 0, "install.sh kiosk: " + p.stderr)


def mode(path):
    try:
        return stat.S_IMODE(os.lstat(os.path.join(dest, path.lstrip("/"))).st_mode)
    except OSError:
        return None


f.eq(mode("/usr/local/bin/kiosk"), 0o755, "the program")
f.eq(mode("/etc/kiosk/store.ini"), 0o640, "the store's config, not for everyone to read")
f.eq(mode("/etc/systemd/system/kiosk.service"), 0o644, "the unit")
f.eq(mode("/etc/systemd/system/kiosk-sync.service"), 0o644,
     "beside it, the offline journal's way to the chain")
f.eq((mode("/etc/systemd/system/kiosk-backup.service"), mode("/etc/systemd/system/kiosk-backup.timer")),
     (0o644, 0o644), "the nightly backup and its timer")
f.eq(mode("/etc/udev/rules.d/70-kiosk.rules"), 0o644, "the udev rules")
f.check(os.path.isfile(os.path.join(dest, "usr/local/share/kiosk/assets/lang/sv/ui.ini")),
        "the words")
cad = os.path.join(dest, "etc/systemd/system/ctrl-alt-del.target")
f.eq(os.path.islink(cad) and os.readlink(cad), "/dev/null", "Ctrl-Alt-Del masked")
with open(os.path.join(dest, "etc/systemd/logind.conf.d/kiosk.conf")) as c:
    f.check("NAutoVTs=0" in c.read(), "no login prompts on other VTs")
with open(os.path.join(dest, "etc/kiosk/store.ini"), "a") as c:
    c.write("; the store's own edit\n")
p = subprocess.run([os.path.join(DEPLOY, "install.sh"), "kiosk", kt.KIOSK],
                   env=dict(os.environ, DESTDIR=dest), capture_output=True, text=True)
with open(os.path.join(dest, "etc/kiosk/store.ini")) as c:
    f.check("the store's own edit" in c.read(), "installing again keeps the store's config")

# The nightly unit's own command line, run as the unit would (its folders
# moved under tmp), copies the database the kiosk's unit uses, twice.
backup = settings("kiosk-backup.service")
f.eq((backup.get("Type"), backup.get("User"), settings("kiosk-backup.timer").get("Persistent")),
     (["oneshot"], ["kiosk"], ["true"]), "the backup: one shot, as kiosk, caught up after a night off")
f.eq([e for e in backup.get("Environment", []) if e.startswith("XDG_DATA_HOME")],
     [e for e in settings("kiosk.service").get("Environment", []) if e.startswith("XDG_DATA_HOME")],
     "the backup finds the database where the kiosk keeps it")
var_lib = os.path.join(tmp, "var-lib")
os.makedirs(os.path.join(var_lib, "kiosk-backup"))
night = dict(os.environ, XDG_DATA_HOME=var_lib, KIOSK_NOW=NOW)
p = subprocess.run([kt.KIOSK, "demo-data"], env=night, capture_output=True, text=True, cwd=tmp)
f.eq(p.returncode, 0, "a kiosk's database made where the unit looks: " + p.stderr)
argv = backup["ExecStart"][0].replace("/usr/local/bin/kiosk", kt.KIOSK).replace(
    "/etc/kiosk/store.ini", os.path.join(dest, "etc/kiosk/store.ini")).replace(
    "/var/lib", var_lib).split()
for night_no in (1, 2):
    p = subprocess.run(argv, env=night, capture_output=True, text=True)
    f.check(p.returncode == 0 and p.stdout.startswith("Backed up the database to "),
            f"night {night_no}: the unit's command copies the database: {p.stdout}{p.stderr}")
f.eq(os.listdir(os.path.join(var_lib, "kiosk-backup")), ["kiosk.db"], "one backup, last night's")
p = subprocess.run([os.path.join(DEPLOY, "install.sh"), "tills"], capture_output=True, text=True,
                   env=dict(os.environ, DESTDIR=dest))
f.eq(p.returncode, 2, "an unknown role is a usage error")
with open(os.path.join(DEPLOY, "udev", "70-kiosk.rules")) as r:
    rules = r.read()
for vidpid in ("05e0", "0c2e", "04b8", "0416", "0fe6"):
    f.check(f'ATTR{{idVendor}}=="{vidpid}"' in rules, f"udev: vendor {vidpid} for group kiosk")
f.check("MODE=\"0666\"" not in rules and "GROUP=\"kiosk\"" in rules, "udev: the group only")


# ---- the watchdog, under Xvfb -------------------------------------------------
def notify_socket(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o777)
    s.settimeout(0.2)
    return s


def messages(sock, seconds, until=None):
    got = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            msg = sock.recv(4096).decode()
        except socket.timeout:
            continue
        got.append((time.monotonic(), msg))
        if until and until in msg:
            break
    return got


def read_tree(path):
    try:
        with open(path) as d:
            return json.load(d)
    except (OSError, ValueError):
        return {}


def seed(db, user=None):
    p = kt.run(["demo-data"], db=db, env={"KIOSK_NOW": NOW})
    f.eq(p.returncode, 0, "demo data: " + p.stderr)
    if user:
        for name in os.listdir(os.path.dirname(db)):
            shutil.chown(os.path.join(os.path.dirname(db), name), user)


xvfb = None
if shutil.which("Xvfb"):
    xvfb = subprocess.Popen(["Xvfb", ":89", "-screen", "0", "720x1280x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    sock_path = os.path.join(tmp, "notify.sock")
    sock = notify_socket(sock_path)
    db = os.path.join(tmp, "wd.db")
    seed(db)
    dump = os.path.join(tmp, "wd-ui.json")
    k = subprocess.Popen([kt.KIOSK, "run", "--window", "720x1280", "--db", db, "--printer", "none",
                          "--scanner", "fifo:" + os.path.join(tmp, "wd.fifo"), "--dump-ui", dump],
                         env=dict(os.environ, DISPLAY=":89", KIOSK_NOW=NOW, SDL_AUDIODRIVER="dummy",
                                  NOTIFY_SOCKET=sock_path, WATCHDOG_USEC="1000000"),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = messages(sock, 20, until="READY=1")
    f.check(first and "READY=1" in first[-1][1] and os.path.exists(dump),
            f"READY=1 once the first screen is up: {first}")
    idle = [m for _, m in messages(sock, 3.0)]
    pings = sum("WATCHDOG=1" in m for m in idle)
    f.check(pings >= 4, f"WATCHDOG=1 every half period while idle (1 s): {pings} in 3 s")
    k.send_signal(signal.SIGTERM)
    stop = [m for _, m in messages(sock, 5, until="STOPPING=1")]
    f.check(any("STOPPING=1" in m for m in stop), f"STOPPING=1 when stopped: {stop}")
    try:
        f.eq(k.wait(10), 0, "SIGTERM: a clean stop")
    except subprocess.TimeoutExpired:
        k.kill()
        f.check(False, "the kiosk did not stop on SIGTERM")
    sock.close()
    xvfb.terminate()
    xvfb.wait()

# ---- under cage, as the service runs it ------------------------------------------
if shutil.which("cage") and shutil.which("Xwayland"):
    user = "nobody"
    uid = pwd.getpwnam(user).pw_uid
    run_dir = os.path.join(tmp, "run")
    os.mkdir(run_dir, 0o700)
    os.chown(run_dir, uid, -1)
    data = os.path.join(tmp, "cage")
    os.mkdir(data)
    os.chown(data, uid, -1)
    db = os.path.join(data, "kiosk.db")
    seed(db, user)
    fifo = os.path.join(data, "scan.fifo")
    os.mkfifo(fifo)
    os.chown(fifo, uid, -1)
    dump = os.path.join(data, "ui.json")
    sock_path = os.path.join(tmp, "cage-notify.sock")
    sock = notify_socket(sock_path)
    # the reference: the kiosk drawn straight on an X server of cage's output size
    host = subprocess.Popen(["Xvfb", ":88", "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    ref_db = os.path.join(tmp, "ref.db")
    shutil.copy(db, ref_db)
    ref_png = os.path.join(tmp, "reference.png")
    direct = subprocess.Popen([kt.KIOSK, "run", "--fullscreen", "--db", ref_db, "--printer",
                               "none", "--scanner", "fifo:" + fifo],
                              env=dict(os.environ, DISPLAY=":88", KIOSK_NOW=NOW,
                                       SDL_AUDIODRIVER="dummy", KIOSK_ALLOW_QUIT="1"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)
    subprocess.run(["import", "-display", ":88", "-window", "root", ref_png], check=False)
    direct.terminate()
    direct.wait(10)
    env = dict(os.environ, XDG_RUNTIME_DIR=run_dir, WLR_BACKENDS="x11", DISPLAY=":88",
               WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman", SDL_VIDEODRIVER="x11",
               KIOSK_NOW=NOW, SDL_AUDIODRIVER="dummy", NOTIFY_SOCKET=sock_path,
               WATCHDOG_USEC="2000000")
    env.pop("WAYLAND_DISPLAY", None)
    cage = subprocess.Popen(["runuser", "-u", user, "--", "cage", "-d", "--", kt.KIOSK, "run",
                             "--fullscreen", "--db", db, "--printer", "none", "--scanner",
                             "fifo:" + fifo, "--dump-ui", dump],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


    def grim(name):
        """A screenshot of cage's output through its screencopy protocol."""
        path = os.path.join(data, name)
        subprocess.run(["runuser", "-u", user, "--", "env", "XDG_RUNTIME_DIR=" + run_dir,
                        "WAYLAND_DISPLAY=wayland-0", "grim", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return path


    def differing_pixels(a, b):
        p = subprocess.run(["compare", "-metric", "AE", a, b, "null:"], capture_output=True,
                           text=True)
        try:
            return int(float(p.stderr.split()[0]))
        except (ValueError, IndexError):
            return -1


    got = messages(sock, 30, until="READY=1")
    f.check(got and "READY=1" in got[-1][1], f"under cage: READY=1 through cage: {got}")
    tree = read_tree(dump)
    f.eq(tree.get("screen"), "start", "under cage: the start screen")
    f.eq((tree.get("window_w"), tree.get("window_h")), (1024, 768),
         "under cage: fullscreen on cage's output")
    time.sleep(1)
    shot = grim("start.png")
    f.eq(differing_pixels(shot, ref_png), 0,
         "under cage: grim's screenshot is the start screen, pixel for pixel as drawn on X")
    with open(fifo, "w") as w:
        w.write("RS004200120261119000010\n")
    end = time.monotonic() + 10
    while time.monotonic() < end and tree.get("screen") == "start":
        time.sleep(0.1)
        tree = read_tree(dump)
    f.check(tree.get("screen") not in (None, "start"),
            f"under cage: a scan moves the kiosk on (now {tree.get('screen')})")
    time.sleep(1)
    f.check(differing_pixels(grim("after_scan.png"), ref_png) > 10000,
            "under cage: and the screenshot shows the new screen")
    os.killpg(cage.pid, signal.SIGTERM)
    try:
        cage.wait(15)
        f.check(True, "cage and the kiosk stopped")
    except subprocess.TimeoutExpired:
        os.killpg(cage.pid, signal.SIGKILL)
        f.check(False, "cage did not stop on SIGTERM")
    err = cage.stderr.read()
    f.check("AddressSanitizer" not in err and "runtime error:" not in err, "no sanitizer reports")
    sock.close()
    host.terminate()
    host.wait(10)
else:
    f.check(False, "cage and Xwayland are needed (assets/debian-packages.txt)")

shutil.rmtree(tmp, ignore_errors=True)
f.done()
