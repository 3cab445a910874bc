#!/usr/bin/env python3
"""Record a USB scanner's reports (scanner_record) under umockdev, then
replay the recording through replay:FILE and check that the same scans come
out. The umockdev script repeats from the top, so where the recording
starts and ends depends on timing; the driver starts it at a scan boundary,
so the replay must give a run of whole scans from the script's cycle
(receipt, MRZ, receipt, ...), possibly ending with one cut-off scan.

  test_usb_record.py PROBE SCANNER_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

RECEIPT = "RS004200320261122001234"
MRZ = ("I<UTOD231458907<<<<<<<<<<<<<<<\\x0d7408122F1204159UTO<<<<<<<<<<<6"
       "\\x0dERIKSSON<<ANNA<MARIA<<<<<<<<<<")
CYCLE = [RECEIPT, MRZ]


def main():
    probe, here = sys.argv[1], sys.argv[2]
    if not shutil.which("umockdev-run"):
        print("umockdev-run not installed: skipped")
        return 77
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "verify_asan_link_order=0")
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "rec.replay")
        p = subprocess.run(
            ["umockdev-run", "-d", os.path.join(here, "kbd_scanner.umockdev"),
             "-i", "/dev/bus/usb/001/002=" + os.path.join(here, "kbd_scans.ioctl"),
             "--", probe, "--record", rec, "usb", "3", "5000"],
            capture_output=True, text=True, env=env, timeout=60)
        if p.returncode != 0:
            failed.append(f"recording run exited {p.returncode}: {p.stdout}{p.stderr}")
        with open(rec) as f:
            head = f.read().splitlines()[:2]
        if head != ["# recorded from USB scanner 0c2e:0b61", "mode keyboard"]:
            failed.append(f"recording header: {head!r}")
        p = subprocess.run([probe, "replay:" + rec, "1000", "500"], capture_output=True,
                           text=True, timeout=60)
        lines = p.stdout.splitlines()
        if not lines or lines[0] != "connected: " + rec:
            failed.append(f"replay did not start with connected: {lines[:1]!r}")
        scans = [l[len("scan [] "):] for l in lines if l.startswith("scan [] ")]
        others = [l for l in lines[1:] if not l.startswith("scan [] ")
                  and not l.startswith("timeout: ")]
        if len(scans) < 2:
            failed.append(f"only {len(scans)} scans replayed")
        if scans and scans[0] in CYCLE:
            start = CYCLE.index(scans[0])
            want = [CYCLE[(start + i) % 2] for i in range(len(scans))]
            if scans != want:
                failed.append(f"replayed scans out of cycle: {scans!r}")
        elif scans:
            failed.append(f"first replayed scan is not from the script: {scans[0]!r}")
        if len(others) > 1 or (others and not others[0].startswith("error: scan ")):
            failed.append(f"unexpected events: {others!r}")
    # recording is for USB only, refused with a reason elsewhere
    p = subprocess.run([probe, "--record", "/nonexistent/x", "keyboard", "1"],
                       capture_output=True, text=True, timeout=60)
    want = "refused: only a USB scanner can record its reports (this one is keyboard)\n"
    if p.stdout != want:
        failed.append(f"keyboard record refusal: {p.stdout!r}")
    for f in failed:
        print("FAIL: " + f, file=sys.stderr)
    print(f"{len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
