"""USBGuard policy for the kiosk (issue 13 point 1): `kiosk devices
--usbguard` prints rules that allow exactly the kiosk's scanner and printer
and the hub between them and the computer, on a bus emulated by umockdev
(kiosk_usb.umockdev: a root hub, a hub, a Honeywell scanner, an Epson
printer, a USB stick, USB headphones (sound only) and a USB headset with
buttons (sound and HID)). Checked against USBGuard itself:
- each rule is the line `usbguard generate-policy -p` writes for that
  device (the same hash, parent hash, port, interfaces);
- usbguard-daemon, given the rules and ImplicitPolicyTarget=block,
  authorizes the hub, the scanner, the printer and the headphones (a
  customer's own start speech) and blocks the stick and the headset with
  buttons; with no rules it blocks the scanner and the headphones too
  (the check can fail).
Also: the plain listing says what the kiosk takes each device as, and a
bus with neither scanner nor printer gets one sentence and exit 1."""
import os
import shutil
import subprocess
import time

import kiosktest as kt

f = kt.Failures()
for tool in ("umockdev-run", "usbguard", "usbguard-daemon"):
    if not shutil.which(tool):
        kt.skip_all(f"{tool} is not installed (Debian: umockdev, usbguard)")
HERE = os.path.dirname(os.path.abspath(__file__))
BUS = os.path.join(HERE, "kiosk_usb.umockdev")
tmp = kt.tempdir()


def on_bus(cmd, bus=BUS):
    return subprocess.run(["umockdev-run", "-d", bus, "--"] + cmd, capture_output=True,
                          text=True, timeout=60)


def rules_by_port(text):
    out = {}
    for line in text.splitlines():
        if line.startswith("allow ") and ' via-port "' in line:
            port = line.split(' via-port "')[1].split('"')[0]
            out[port] = line
    return out


# --- the listing -------------------------------------------------------------------
p = on_bus([kt.KIOSK, "devices"])
f.eq(p.returncode, 0, "kiosk devices lists the bus: " + p.stderr)
rows = {l.split()[0]: l for l in p.stdout.splitlines()[1:]}
f.check(rows.get("1-1.1", "").endswith("scanner"), "the Honeywell is the scanner: " + p.stdout)
f.check(rows.get("1-1.2", "").endswith("printer"), "the Epson is the printer")
f.check(rows.get("1-2", "").endswith("not the kiosk's"), "the stick is not the kiosk's")
f.check("on the way to the scanner or printer" in rows.get("1-1", ""), "the hub is on the way")

# --- the rules, line by line as USBGuard writes them -------------------------------
p = on_bus([kt.KIOSK, "devices", "--usbguard"])
f.eq(p.returncode, 0, "kiosk devices --usbguard: " + p.stderr)
ours = rules_by_port(p.stdout)
f.eq(sorted(ours), ["1-1", "1-1.1", "1-1.2"], "rules for the hub, the scanner and the printer only")
g = on_bus(["usbguard", "generate-policy", "-p"])
theirs = rules_by_port(g.stdout)
for port in ("1-1", "1-1.1", "1-1.2"):
    f.eq(ours.get(port), theirs.get(port), f"the rule for {port} is USBGuard's own")
rules = os.path.join(tmp, "rules.conf")
with open(rules, "w") as out:
    out.write(p.stdout)
os.chmod(rules, 0o600)
f.eq([l for l in p.stdout.splitlines() if l.startswith("allow ") and "via-port" not in l],
     ["allow with-interface match-all { 01:*:* }"], "and one rule for sound-only devices")
parsed = subprocess.run(["usbguard-rule-parser", "-f", rules], capture_output=True, text=True)
f.eq(parsed.returncode, 0, "usbguard-rule-parser reads the file: " + parsed.stderr[-300:])


# --- usbguard-daemon with the rules ---------------------------------------------
def authorized_under(rules_text):
    path = os.path.join(tmp, "policy.conf")
    with open(path, "w") as out:
        out.write(rules_text)
    os.chmod(path, 0o600)
    conf = os.path.join(tmp, "usbguard-daemon.conf")
    with open(conf, "w") as out:
        out.write(f"RuleFile={path}\nImplicitPolicyTarget=block\n"
                  "PresentDevicePolicy=apply-policy\nPresentControllerPolicy=keep\n"
                  "InsertedDevicePolicy=apply-policy\nRestoreControllerDeviceState=false\n"
                  "DeviceManagerBackend=uevent\nIPCAllowedUsers=root\n"
                  f"AuditBackend=FileAudit\nAuditFilePath={tmp}/audit.log\n")
    os.chmod(conf, 0o600)
    script = (f"usbguard-daemon -c {conf} -k >{tmp}/daemon.log 2>&1 & d=$!;"
              " for i in $(seq 50); do sleep 0.1;"
              "  grep -q 'Entering main loop' " + f"{tmp}/daemon.log" + " && break; done; sleep 0.5;"
              " for p in 1-1 1-1.1 1-1.2 1-2 1-3 1-4; do echo $p $(cat /sys/bus/usb/devices/$p/authorized);"
              " done; kill $d; wait $d")
    r = on_bus(["sh", "-c", script])
    return dict(l.split() for l in r.stdout.splitlines() if len(l.split()) == 2)


got = authorized_under(p.stdout)
f.eq(got, {"1-1": "1", "1-1.1": "1", "1-1.2": "1", "1-2": "0", "1-3": "1", "1-4": "0"},
     "usbguard-daemon with the kiosk's rules: hub, scanner, printer and headphones allowed; the "
     "stick and the headset with buttons blocked")
got = authorized_under("")
f.eq((got.get("1-1.1"), got.get("1-3")), ("0", "0"),
     "without the rules the scanner and the headphones are blocked (the check can fail)")

# --- a bus without the kiosk's devices -------------------------------------------
stick_only = os.path.join(tmp, "stick.umockdev")
with open(BUS) as src:
    blocks = src.read().split("\n\n")
with open(stick_only, "w") as out:
    out.write("\n\n".join(b for b in blocks if "/1-1" not in b))
p = on_bus([kt.KIOSK, "devices", "--usbguard"], bus=stick_only)
f.eq(p.returncode, 1, "no scanner or printer: refused")
f.check(p.stderr.startswith("kiosk devices: No scanner or printer is plugged in")
        and p.stderr.count("\n") == 1, "in one sentence: " + p.stderr)
f.eq(p.stdout, "", "and no rules that would lock them out")
p = on_bus([kt.KIOSK, "devices", "--usbguard", "--scanner", "usb:0781:5567"], bus=stick_only)
f.check('via-port "1-2"' in p.stdout, "a device named by --scanner usb:VID:PID gets its rule")
f.done()
