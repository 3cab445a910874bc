#!/usr/bin/env python3
"""The USB printer transport, through the real libusb, under umockdev.

printer.umockdev describes an Epson TM-T20II (04b8:0e28, USB printer class,
bulk OUT 0x01, bulk IN 0x82). Each scenario is a usbdevfs script in
tests/printer/usb/NAME.ioctl: DLE EOT status requests and their replies,
and the receipt's bytes in the 4096-byte bulk transfers the driver makes.
umockdev fails a transfer whose bytes differ, so a scenario that prints
checks the bytes byte for byte (usb_testbed_test.c prints through the same
scripts, unplugging and replugging the printer between them, and answers the
ioctls itself for a printer that never answers its status). The scripts are golden files made from the
encoder's sample receipt: run with -g to regenerate them after a deliberate
change to the receipt; otherwise a stale script fails the test.

Exit 77 (skipped) when umockdev-run is not installed.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

from kiosktest import Failures

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.environ["PRINTER_TOOL"]
DEV = "/dev/bus/usb/001/003"
CHUNK = 4096          # USB_CHUNK in drivers/printer_usb.c
EP_OUT, EP_IN = 1, 130
OK = ("12", "12", "12")            # online, no offline cause, paper present
NEAR_END = ("12", "12", "1E")
PAPER_OUT = ("1E", "32", "72")     # offline; stopped by paper end; paper end sensor
COVER_OPEN = ("1E", "16", "12")
OFFLINE = ("1E", "12", "12")


def status_lines(replies):
    out = []
    for n, reply in zip((1, 2, 4), replies):
        out.append(f"USBDEVFS_REAPURBNDELAY 0 3 {EP_OUT} 0 0 3 3 0 10040{n}")
        out.append(f" USBDEVFS_REAPURBNDELAY 0 3 {EP_IN} 0 0 64 1 0 {reply}")
    return out


def data_lines(data, fail_at=None, fail_status=0):
    out = []
    for k, i in enumerate(range(0, len(data), CHUNK)):
        chunk = data[i:i + CHUNK]
        if k == fail_at:
            out.append(f"USBDEVFS_REAPURBNDELAY 0 3 {EP_OUT} {fail_status} 0 {len(chunk)} 0 0 "
                       + chunk.hex().upper())
            break
        out.append(f"USBDEVFS_REAPURBNDELAY 0 3 {EP_OUT} 0 0 {len(chunk)} {len(chunk)} 0 "
                   + chunk.hex().upper())
    return out


def scenarios(data):
    """name -> (script lines, printer_tool args, expected stdout)"""
    n = len(data)
    return {
        "accept": (status_lines(OK) + data_lines(data) + status_lines(OK),
                   ["print", "auto", "@sample"], f"printed {n} bytes on usb"),
        "accept_vidpid": (status_lines(NEAR_END) + data_lines(data) + status_lines(NEAR_END),
                          ["print", "usb:04b8:0e28", "@sample"],
                          f"printed {n} bytes on usb (paper near end)"),
        "paper_out": (status_lines(PAPER_OUT), ["print", "usb", "@sample"],
                      "error: The printer is out of paper."),
        "cover_open": (status_lines(COVER_OPEN), ["print", "usb", "@sample"],
                       "error: The printer's cover is open."),
        "offline": (status_lines(OFFLINE), ["print", "usb", "@sample"],
                    "error: The printer is offline."),
        # took the bytes, then reported an empty roll: the receipt is not whole
        "paper_out_during": (status_lines(OK) + data_lines(data) + status_lines(PAPER_OUT),
                             ["print", "usb", "@sample"],
                             "error: The receipt may be incomplete: The printer is out of paper."),
        "near_end": (status_lines(NEAR_END), ["status", "usb"],
                     "usb known=1 online=1 paper_out=0 near_end=1 cover_open=0: ready"),
        # -19 is -ENODEV: the device went away during the second transfer
        "unplugged": (status_lines(OK) + data_lines(data, fail_at=1, fail_status=-19),
                      ["print", "usb", "@sample"], "error: The printer was disconnected."),
        # -32 is -EPIPE: the printer stalled the endpoint
        "stall": (status_lines(OK) + data_lines(data, fail_at=0, fail_status=-32),
                  ["print", "usb", "@sample"],
                  "error: The printer refused the data while printing."),
    }


def main():
    generate = "-g" in sys.argv
    if not shutil.which("umockdev-run"):
        print("umockdev-run not installed: skipped")
        return 77
    F = Failures()
    tmp = tempfile.mkdtemp(prefix="kiosk-printer-usb-")
    atexit.register(shutil.rmtree, tmp, True)  # also when a check exits early
    sample = os.path.join(tmp, "sample.bin")
    p = subprocess.run([TOOL, "sample", sample, "sv", "80"], capture_output=True, text=True)
    if not F.eq(p.returncode, 0, "printer_tool sample"):
        F.done()
    data = open(sample, "rb").read()
    os.makedirs(os.path.join(HERE, "usb"), exist_ok=True)
    for name, (lines, args, want) in scenarios(data).items():
        script = "\n".join([f"@DEV {DEV} (usbdevfs)"] + lines) + "\n"
        path = os.path.join(HERE, "usb", name + ".ioctl")
        if generate:
            with open(path, "w") as f:
                f.write(script)
        stored = open(path).read() if os.path.exists(path) else ""
        if not F.check(stored == script,
                       f"{name}: {path} does not match the encoder's bytes; run "
                       "test_usb.py -g after a deliberate change"):
            continue
        args = [sample if a == "@sample" else a for a in args]
        p = subprocess.run(["umockdev-run", "-d", os.path.join(HERE, "printer.umockdev"),
                            "-i", f"{DEV}={path}", "--", TOOL] + args,
                           capture_output=True, text=True, timeout=60)
        F.eq(p.stdout.strip(), want, f"{name} (stderr: {p.stderr.strip()[-300:]})")
        # exit status too: a sanitizer report changes it even when stdout is right
        F.eq(p.returncode, 1 if want.startswith("error:") else 0, f"{name} exit status")
    # Unplugged mid-receipt and plugged in again (one handle throughout),
    # and a printer that never answers its status: usb_testbed_test.c, in
    # umockdev testbeds it drives itself.
    cmd = os.environ.get("PRINTER_TESTBED", "").split()
    if F.check(cmd, "PRINTER_TESTBED is not set: libumockdev-dev or umockdev-wrapper missing"):
        p = subprocess.run(cmd + [HERE, sample], capture_output=True, text=True, timeout=60)
        F.eq((p.returncode, p.stderr.strip()), (0, ""), f"testbed: {p.stdout.strip()}")
    # Nothing attached: auto falls back to none, usb says so in one sentence.
    for args, want in ((["status", "auto"],
                        "none known=0 online=0 paper_out=0 near_end=0 cover_open=0: ready"),
                       (["print", "usb", sample], "error: No USB receipt printer is connected."),
                       (["print", "usb:04b8:0e28", sample],
                        "error: The USB printer 04b8:0e28 is not connected.")):
        p = subprocess.run(["umockdev-run", "--", TOOL] + args, capture_output=True, text=True,
                           timeout=60)
        F.eq(p.stdout.strip(), want, f"empty bus {args[:2]}")
        F.eq(p.returncode, 1 if want.startswith("error:") else 0, f"empty bus {args[:2]} exit")
    shutil.rmtree(tmp, ignore_errors=True)
    F.done()


if __name__ == "__main__":
    sys.exit(main())
