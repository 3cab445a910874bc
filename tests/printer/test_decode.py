#!/usr/bin/env python3
"""The printed case receipt, checked from the outside: printer_tool encodes
the sample case, the independent decoder (escpos_decode.py) reads the bytes
back as a printer would, the text must say the right things in the right
letters, and the raster code and the PNG rendering must scan back with
zbarimg to exactly the case code."""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

from kiosktest import Failures
import escpos_decode

TOOL = os.environ["PRINTER_TOOL"]
F = Failures()


def tool(*args):
    return subprocess.run([TOOL] + list(args), capture_output=True, text=True, timeout=60)


def zbar(path):
    p = subprocess.run(["zbarimg", "-q", "--raw", path], capture_output=True, text=True,
                       timeout=60)
    return p.stdout.strip()


tmp = tempfile.mkdtemp(prefix="kiosk-printer-")
atexit.register(shutil.rmtree, tmp, True)  # also when a check exits early

# (lang, paper mm, columns, lines that must be printed, exactly as a whole line)
CASES = [
    ("sv", 80, 48, ["Ärende K-000123", "Registrerat 2026-11-23 kl. 10:07",
                    "1 st Hörlurar Brusreducerande Över-öra Svart",
                    "Belopp: 499 kr", "Senast 2026-11-30", "K-000123"]),
    ("en", 80, 48, ["Case K-000123", "Registered 2026-11-23 at 10:07",
                    "1 x Hörlurar Brusreducerande Över-öra Svart",
                    "Amount: SEK 499", "By 2026-11-30", "K-000123"]),
    ("sv", 58, 32, ["Ärende K-000123", "Belopp: 499 kr", "Senast 2026-11-30"]),
    ("en", 58, 32, ["Fault report", "Case K-000124", "Product: Kaffebryggare",
                    "Moccamaster KB741", "Repair", "By 2026-12-14"]),
]

for i, (lang, mm, cols, want_lines) in enumerate(CASES):
    fault = "Fault report" in want_lines
    out = os.path.join(tmp, f"sample-{lang}-{mm}{'-fault' if fault else ''}.bin")
    p = tool("sample", out, lang, str(mm), *(["fault"] if fault else []))
    if not F.eq(p.returncode, 0, f"i:{i} printer_tool sample ({p.stdout.strip()})"):
        continue
    code = p.stdout.strip()
    case_id = "K-000124" if fault else "K-000123"
    F.eq(code, f"KC1:{case_id}:9f3a6b2c1d4e5f60", f"i:{i} code")
    data = open(out, "rb").read()
    try:
        doc = escpos_decode.decode(data)
    except escpos_decode.DecodeError as e:
        F.check(False, f"i:{i} decoder refused the bytes: {e}")
        continue
    F.eq(len(doc["receipts"]), 1, f"i:{i} receipts in one print")
    rec = doc["receipts"][0]
    F.check(rec["cut"], f"i:{i} the receipt is cut")
    texts = [ln["text"] for ln in rec["lines"]]
    for want in want_lines:
        F.check(want in texts, f"i:{i} line {want!r} not printed; got {texts}")
    joined = " ".join(texts)
    # the customer's words: Swedish letters and € through CP858, typographic
    # quotes, dashes and the ellipsis as their plain forms
    if fault:
        F.check('"Den slutade värma efter två veckor' in joined, f"i:{i} fault words: {joined}")
    else:
        F.check('Fel färg - jag ville ha "blå". Kostade 12 € extra. ÅÄÖ åäö é...' in joined,
                f"i:{i} customer's words wrong: {joined}")
    F.check("?" not in joined, f"i:{i} a character fell back to '?': {joined}")
    for ln in rec["lines"]:
        limit = cols // ln["width"]
        F.check(len(ln["text"]) <= limit,
                f"i:{i} line over {limit} columns: {ln['text']!r}")
    case_line = [ln for ln in rec["lines"] if ln["text"].endswith(case_id)][0]
    F.check(case_line["bold"] and case_line["width"] == 2 and case_line["align"] == "center",
            f"i:{i} case number style {case_line}")
    F.eq(len(rec["images"]), 1, f"i:{i} images")
    if rec["images"]:
        img = rec["images"][0]
        F.check(img["width"] <= mm * 576 // 80 + 8, f"i:{i} image wider than paper")
        F.eq(img["align"], "center", f"i:{i} code alignment")
        pbm = os.path.join(tmp, f"code-{i}.pbm")
        with open(pbm, "wb") as f:
            f.write(escpos_decode.image_pbm(img))
        F.eq(zbar(pbm), code, f"i:{i} raster code scanned back")
    # the PNG preview of the same bytes scans back too
    png = os.path.join(tmp, f"preview-{i}.png")
    p = tool("render", out, png, str(576 if mm == 80 else 384))
    if F.eq(p.returncode, 0, f"i:{i} render ({p.stdout.strip()})"):
        F.eq(zbar(png), code, f"i:{i} PNG code scanned back")

# Code 128 (where a 1-D code is wanted) and QR alone, both paper widths:
# raster and PNG scan back to the payload
for i, (kind, payload, dots) in enumerate([("code128", "K-000123", 576),
                                            ("code128", "RS004200320261122001234", 384),
                                            ("qr", "KC1:K-999999:0123456789abcdef", 384)]):
    out = os.path.join(tmp, f"code-{i}.bin")
    p = tool("code", out, kind, payload, str(dots))
    if not F.eq(p.returncode, 0, f"code i:{i} ({p.stdout.strip()})"):
        continue
    rec = escpos_decode.decode(open(out, "rb").read())["receipts"][0]
    img = rec["images"][0]
    F.check(img["width"] <= dots, f"code i:{i} {img['width']} dots wide on {dots}")
    pbm = os.path.join(tmp, f"code-{i}.pbm")
    with open(pbm, "wb") as f:
        f.write(escpos_decode.image_pbm(img))
    F.eq(zbar(pbm), payload, f"code i:{i} raster scanned back")
    png = os.path.join(tmp, f"code-{i}.png")
    tool("render", out, png, str(dots))
    F.eq(zbar(png), payload, f"code i:{i} PNG scanned back")

# png:DIR makes one numbered file per print
out = os.path.join(tmp, "sample-sv-80.bin")
pngdir = os.path.join(tmp, "pngs")
for k in (1, 2):
    p = tool("print", "png:" + pngdir, out)
    F.eq((p.returncode, p.stdout.strip()), (0, f"printed {os.path.getsize(out)} bytes on png"),
         f"png print {k}")
F.eq(sorted(os.listdir(pngdir)) if os.path.isdir(pngdir) else [],
     ["receipt-0001.png", "receipt-0002.png"], "png files")
F.eq(sorted(os.stat(os.path.join(pngdir, n)).st_mode & 0o777 for n in os.listdir(pngdir))
     if os.path.isdir(pngdir) else [], [0o600, 0o600], "png receipts hold live codes: 0600")
if os.path.exists(os.path.join(pngdir, "receipt-0002.png")):
    F.eq(zbar(os.path.join(pngdir, "receipt-0002.png")), "KC1:K-000123:9f3a6b2c1d4e5f60",
         "png: receipt scanned back")

# The decoder is a real check: it refuses a cut-off raster and stray control bytes.
data = open(out, "rb").read()
for j, bad in enumerate([data[: data.index(b"\x1dv0") + 20], data[:4] + b"\x07" + data[4:]]):
    try:
        escpos_decode.decode(bad)
        F.check(False, f"bad:{j} decoder accepted broken bytes")
    except escpos_decode.DecodeError:
        F.check(True, "")

shutil.rmtree(tmp, ignore_errors=True)
F.done()
