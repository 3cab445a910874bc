#!/usr/bin/env python3
"""Run usb_scan_probe under umockdev-run with a device description and a
usbdevfs script (as libfprint tests its drivers) and compare what it prints
with an expected file.

  run_umockdev.py PROBE DEVICE.umockdev IOCTL|- SPEC N EXPECTED [LAYOUT]

Exit 77 (ctest SKIP) when umockdev-run is not installed.
"""
import difflib
import os
import shutil
import subprocess
import sys


def main():
    if len(sys.argv) not in (7, 8):
        print(__doc__, file=sys.stderr)
        return 2
    probe, device, ioctl, spec, n, expected = sys.argv[1:7]
    layout = sys.argv[7:8]
    if not shutil.which("umockdev-run"):
        print("umockdev-run not installed: skipped")
        return 77
    cmd = ["umockdev-run", "-d", device]
    if ioctl != "-":
        cmd += ["-i", "/dev/bus/usb/001/002=" + ioctl]
    cmd += ["--", probe, spec, n, "5000"] + layout
    env = dict(os.environ)
    # The preload library comes before the ASan runtime in a sanitizer build.
    env.setdefault("ASAN_OPTIONS", "verify_asan_link_order=0")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    with open(expected) as f:
        want = f.read()
    ok = p.returncode == 0 and p.stdout == want
    if not ok:
        print(f"FAIL: {' '.join(cmd)} exited {p.returncode}", file=sys.stderr)
        sys.stderr.writelines(difflib.unified_diff(
            want.splitlines(True), p.stdout.splitlines(True), "expected", "got"))
        sys.stderr.write(p.stderr[-3000:])
        return 1
    print(f"ok: {spec} printed {len(want.splitlines())} expected lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
