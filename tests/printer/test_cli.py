#!/usr/bin/env python3
"""kiosk print end to end: a case saved through the store API is printed to
a file; the bytes decode (independent decoder) to the case's receipt and the
code scans back with zbarimg to a code the store accepts. A reprint issues
a new code and the old one stops working. A failing printer leaves the case
with receipt_printed false and a print_failed event, exit 1, one line."""
import atexit
import os
import re
import shutil
import subprocess
import sys

import kiosktest as kt
from kiosktest import Failures, run, run_json, tempdir
import escpos_decode

TOOL = os.environ["PRINTER_TOOL"]
F = Failures()
tmp = tempdir()
atexit.register(shutil.rmtree, tmp, True)  # also when a check exits early
db = kt.database(tmp)


def tool(*args):
    return subprocess.run([TOOL] + list(args), capture_output=True, text=True, timeout=60)


def codes_in(path):
    """The QR payloads of every receipt in an ESC/POS file, in order."""
    out = []
    doc = escpos_decode.decode(open(path, "rb").read())
    for ri, rec in enumerate(doc["receipts"]):
        for ii, img in enumerate(rec["images"]):
            pbm = os.path.join(tmp, f"r{ri}-{ii}.pbm")
            with open(pbm, "wb") as f:
                f.write(escpos_decode.image_pbm(img))
            p = subprocess.run(["zbarimg", "-q", "--raw", pbm], capture_output=True,
                               text=True, timeout=60)
            out.append(p.stdout.strip())
    return doc, out


p = tool("make-case", db, "sv")
F.eq(p.returncode, 0, f"make-case ({p.stdout.strip()})")
case_id = p.stdout.strip()
F.check(re.fullmatch(r"K-\d{6}", case_id) is not None, f"case id {case_id!r}")

# 1. print to a file
out = os.path.join(tmp, "printer.bin")
p = run(["print", "--printer", "file:" + out, case_id], db=db)
F.eq(p.returncode, 0, f"print exit (stderr {p.stderr.strip()})")
F.eq(p.stdout.strip(), f"Printed the receipt of case {case_id} (file:{out}).", "print stdout")
doc, codes = codes_in(out)
F.eq(len(doc["receipts"]), 1, "one receipt in the file")
texts = [ln["text"] for ln in doc["receipts"][0]["lines"]] if doc["receipts"] else []
F.check(f"Ärende {case_id}" in texts, f"case number printed: {texts}")
F.check("1 st Hörlurar Brusreducerande Över-öra Svart" in texts, "item printed")
F.check(any("12 € extra" in t for t in texts), "euro sign printed")
# kiosk print cannot know the code made at registration (only its hash is
# kept), so even its first print is a reprint with a new code, and says so
F.check("Ny utskrift 2026-11-23 kl. 10:00. Koden på tidigare kvitton gäller inte längre."
        in " ".join(texts), f"reprint notice: {texts}")
F.eq(len(codes), 1, "one code")
first = codes[0] if codes else ""
m = re.fullmatch(r"KC1:(K-\d{6}):([0-9a-f]{16})", first)
F.check(m is not None and m.group(1) == case_id, f"code {first!r}")
if m:
    F.eq(tool("check-token", db, case_id, m.group(2)).stdout.strip(), "ok", "printed code valid")
    p, scan = run_json(["scan", "--json", first], db=db)
    F.eq((scan or {}).get("case_id"), case_id, "kiosk scan reads the printed code")
# the code made at registration was replaced: a reprint cannot print a hash
F.eq(tool("check-token", db, case_id, "9f3a6b2c1d4e5f60").stdout.strip(),
     f"error: This case code does not match case {case_id}.", "registration code retired")
p, case = run_json(["case", "show", "--json", case_id], db=db)
F.eq((case or {}).get("receipt_printed"), True, "receipt_printed after print")
events = [e["event"] for e in (case or {}).get("timeline", [])]
F.eq(events[-2:], ["printed", "code_renewed"], "timeline after print")

# 2. reprint: a second receipt appended, with a new code; the first one dies
p = run(["print", "--printer", "file:" + out, case_id], db=db)
F.eq(p.returncode, 0, "reprint exit")
doc, codes = codes_in(out)
F.eq(len(codes), 2, "two receipts appended")
if len(codes) == 2 and m:
    F.check(codes[1] != codes[0] and codes[1].startswith(f"KC1:{case_id}:"), "new code")
    F.eq(tool("check-token", db, case_id, codes[1].split(":")[2]).stdout.strip(), "ok",
         "reprinted code valid")
    F.eq(tool("check-token", db, case_id, m.group(2)).stdout.strip(),
         f"error: This case code does not match case {case_id}.", "first print's code retired")

# 3. failing printers: exit 1, one line, the case intact and marked
size_before = os.path.getsize(out)
for i, (spec, why) in enumerate([
        ("none", "No printer is set up (--printer none)."),
        ("file:" + os.path.join(tmp, "no", "such", "dir"),
         f"The printer file {tmp}/no/such/dir could not be opened: No such file or directory."),
]):
    p = run(["print", "--printer", spec, case_id], db=db)
    F.eq(p.returncode, 1, f"i:{i} failing print exit")
    F.eq(p.stderr, f"kiosk print: {why}\n", f"i:{i} one line on stderr")
    p, case = run_json(["case", "show", "--json", case_id], db=db)
    F.eq((case or {}).get("receipt_printed"), False, f"i:{i} receipt_printed false")
    last = ((case or {}).get("timeline") or [{}])[-1]
    F.eq((last.get("event"), last.get("text")), ("print_failed", why), f"i:{i} print_failed event")
    F.eq((case or {}).get("state"), "registered", f"i:{i} case intact")
    F.eq(len((case or {}).get("lines", [])), 1, f"i:{i} case lines intact")
F.eq(os.path.getsize(out), size_before, "nothing printed by the failures")

# 3b. a printer whose reader goes away mid-receipt (a fifo read by a
# reader that leaves before the receipt comes): one sentence and print_failed,
# never a death by SIGPIPE; the printer's file is its owner's only
fifo = os.path.join(tmp, "printer.fifo")
os.mkfifo(fifo)
# the reader opens the fifo (which lets the printer's open return) and
# closes it at once: the receipt is made and written only after that
import threading
reader = threading.Thread(target=lambda: os.close(os.open(fifo, os.O_RDONLY)))
reader.start()
p = run(["print", "--printer", "file:" + fifo, case_id], db=db)
reader.join(timeout=30)
F.eq(p.returncode, 1, f"a reader that left: exit 1, not a signal ({p.returncode})")
F.check(p.stderr.count("\n") == 1 and "Broken pipe" in p.stderr,
        f"a reader that left: one sentence: {p.stderr!r}")
p, case = run_json(["case", "show", "--json", case_id], db=db)
last = ((case or {}).get("timeline") or [{}])[-1]
F.eq(last.get("event"), "print_failed", "a reader that left: print_failed recorded")
made = os.path.join(tmp, "new-printer.bin")
p = run(["print", "--printer", "file:" + made, case_id], db=db)
F.eq(os.stat(made).st_mode & 0o777 if os.path.exists(made) else None, 0o600,
     "printer output holds a live case code: owner only (0600)")

# 3c. a reprint killed while it prints (the printer stalls mid-receipt,
# then the process dies): the code on the paper the customer holds still
# works, and the case is not marked unprinted. Before, the new code was
# committed first and the old paper went void (issue 13).
import fcntl
import signal
import termios
import time
doc, held = codes_in(made)
held = held[-1].split(":")[2] if held and held[-1].count(":") == 2 else ""
F.eq(tool("check-token", db, case_id, held).stdout.strip(), "ok", "the paper's code works")
p, case = run_json(["case", "show", "--json", case_id], db=db)
timeline = [e["event"] for e in (case or {}).get("timeline", [])]
stall = os.path.join(tmp, "stall.fifo")
os.mkfifo(stall)
rfd = os.open(stall, os.O_RDONLY | os.O_NONBLOCK)
fcntl.fcntl(rfd, 1031, 4096)  # F_SETPIPE_SZ: one page; the receipt does not fit
pr = subprocess.Popen([kt.KIOSK, "print", "--printer", "file:" + stall, case_id, "--db", db],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
end = time.monotonic() + 30
waiting = 0
while time.monotonic() < end and not waiting and pr.poll() is None:
    time.sleep(0.02)
    buf = bytearray(4)
    fcntl.ioctl(rfd, termios.FIONREAD, buf)
    waiting = int.from_bytes(buf, "little")
time.sleep(0.2)
F.check(waiting > 0 and pr.poll() is None, f"the reprint is stuck mid-receipt ({waiting} bytes)")
pr.send_signal(signal.SIGKILL)
pr.wait()
os.close(rfd)
F.eq(tool("check-token", db, case_id, held).stdout.strip(), "ok",
     "killed mid-reprint: the customer's paper still works")
p, case = run_json(["case", "show", "--json", case_id], db=db)
F.eq((case or {}).get("receipt_printed"), True, "killed mid-reprint: still marked printed")
F.eq([e["event"] for e in (case or {}).get("timeline", [])], timeline,
     "killed mid-reprint: the timeline is as it was (no code renewed)")
again = os.path.join(tmp, "again.bin")
p = run(["print", "--printer", "file:" + again, case_id], db=db)
doc, fresh = codes_in(again)
fresh = fresh[-1].split(":")[2] if fresh and fresh[-1].count(":") == 2 else ""
F.eq((tool("check-token", db, case_id, fresh).stdout.strip(),
      tool("check-token", db, case_id, held).stdout.strip()),
     ("ok", f"error: This case code does not match case {case_id}."),
     "the next reprint that prints: its code works, the old paper's no longer")

# 4. refusals that are not print failures: nothing recorded
p, before = run_json(["case", "show", "--json", case_id], db=db)
for i, (args, code, err) in enumerate([
        (["print", "--printer", "bogus", case_id], 1,
         'kiosk print: Unknown printer "bogus": use auto, usb, usb:VID:PID, file:PATH, png:DIR or none.\n'),
        (["print", "--printer", "file:" + out, "K-999999"], 1,
         "kiosk print: Case K-999999 does not exist.\n"),
        (["print"], 2, None),
]):
    p = run(args, db=db)
    F.eq(p.returncode, code, f"refusal i:{i} exit")
    if err:
        F.eq(p.stderr, err, f"refusal i:{i} stderr")
    else:
        F.eq(len(p.stderr.strip().splitlines()), 1, f"refusal i:{i} one line")
p, after = run_json(["case", "show", "--json", case_id], db=db)
F.eq(len((after or {}).get("timeline", [])), len((before or {}).get("timeline", [])),
     "refusals leave the timeline alone")
F.eq(os.path.getsize(out), size_before, "refusals print nothing")

shutil.rmtree(tmp, ignore_errors=True)
F.done()
