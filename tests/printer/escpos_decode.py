#!/usr/bin/env python3
"""An independent ESC/POS decoder for the tests (not built from the C code).

Reads the bytes a kiosk sends to a receipt printer and says what a printer
would do with them: text lines (code page -> Unicode) with their style,
raster images (GS v 0, stitched across bands) written as PBM, feeds and
cuts. Anything it does not know is an error, so a stray byte fails a test.

    escpos_decode.py FILE [--pbm-dir DIR]      prints JSON
"""
import json
import sys

# ESC t n -> Python codec; the pages a kiosk might select.
CODEPAGES = {0: "cp437", 2: "cp850", 19: "cp858", 16: "cp1252"}


class DecodeError(Exception):
    pass


def decode(data):
    """Return {"receipts": [...]}; a receipt starts at ESC @ and ends at a cut."""
    receipts = []
    cur = None
    style = {}
    line = bytearray()
    line_style = None
    raster = None  # (width_bytes, rows list) being stitched across bands
    i = 0
    n = len(data)

    def need(k):
        if i + k > n:
            raise DecodeError(f"command at offset {i} runs past the end")

    def reset():
        style.clear()
        style.update(bold=False, width=1, height=1, align="left", codepage=0)

    def start():
        nonlocal cur
        cur = {"lines": [], "images": [], "feeds": 0, "cut": False, "items": []}
        receipts.append(cur)

    def close_raster():
        nonlocal raster
        if raster is not None:
            stride, rows, align = raster
            img = {"width": stride * 8, "height": len(rows), "rows": rows, "align": align}
            cur["images"].append(img)
            cur["items"].append(("image", len(cur["images"]) - 1))
            raster = None

    def flush_line():
        nonlocal line, line_style
        codec = CODEPAGES.get(style["codepage"])
        if codec is None:
            raise DecodeError(f"unknown code page {style['codepage']}")
        st = line_style or dict(style)
        entry = {"text": bytes(line).decode(codec), "bold": st["bold"],
                 "width": st["width"], "height": st["height"], "align": st["align"]}
        cur["lines"].append(entry)
        cur["items"].append(("line", len(cur["lines"]) - 1))
        line = bytearray()
        line_style = None

    reset()
    while i < n:
        b = data[i]
        if cur is None and b != 0x1B:
            raise DecodeError(f"byte {b:#04x} at offset {i} before ESC @")
        if b == 0x0A:
            close_raster()
            flush_line()
            i += 1
        elif b == 0x1B:
            need(2)
            op = data[i + 1]
            if op == ord("@"):
                close_raster()
                if line:
                    flush_line()
                reset()
                start()
                i += 2
                continue
            need(3)
            arg = data[i + 2]
            if op == ord("t"):
                style["codepage"] = arg
            elif op == ord("E"):
                style["bold"] = bool(arg & 1)
            elif op == ord("a"):
                style["align"] = ["left", "center", "right"][arg % 3 if arg < 48 else (arg - 48) % 3]
            elif op == ord("d"):
                close_raster()
                if line:
                    flush_line()
                cur["feeds"] += arg
                cur["items"].append(("feed", arg))
            else:
                raise DecodeError(f"unknown command ESC {op:#04x} at offset {i}")
            i += 3
        elif b == 0x1D:
            need(2)
            op = data[i + 1]
            if op == ord("!"):
                need(3)
                style["width"] = ((data[i + 2] >> 4) & 7) + 1
                style["height"] = (data[i + 2] & 7) + 1
                i += 3
            elif op == ord("V"):
                need(3)
                m = data[i + 2]
                close_raster()
                if line:
                    flush_line()
                cur["cut"] = True
                i += 4 if m in (65, 66) else 3
            elif op == ord("v"):
                need(8)
                if data[i + 2] != 0x30:
                    raise DecodeError(f"GS v {data[i+2]:#04x} is not GS v 0")
                stride = data[i + 4] | data[i + 5] << 8
                rows = data[i + 6] | data[i + 7] << 8
                i += 8
                need(stride * rows)
                if stride == 0 or rows == 0:
                    raise DecodeError("empty raster")
                if line:
                    raise DecodeError("raster in the middle of a text line")
                if raster is not None and raster[0] != stride:
                    close_raster()
                if raster is None:
                    raster = (stride, [], style["align"])
                for r in range(rows):
                    raster[1].append(bytes(data[i + r * stride:i + (r + 1) * stride]))
                i += stride * rows
            else:
                raise DecodeError(f"unknown command GS {op:#04x} at offset {i}")
        elif b < 0x20 or b == 0x7F:
            raise DecodeError(f"control byte {b:#04x} at offset {i}")
        else:
            close_raster()
            if not line:
                line_style = dict(style)
            line.append(b)
            i += 1
    if cur is not None:
        close_raster()
        if line:
            flush_line()
    return {"receipts": receipts}


def image_pbm(img, quiet=0):
    """The image as binary PBM (P4), with an optional white border."""
    w = img["width"] + 2 * quiet
    stride = (w + 7) // 8
    out = bytearray(f"P4\n{w} {img['height'] + 2 * quiet}\n".encode())
    blank = bytes(stride)
    for _ in range(quiet):
        out += blank
    for row in img["rows"]:
        bits = int.from_bytes(row, "big") << (stride * 8 - img["width"] - quiet)
        out += bits.to_bytes(stride, "big")
    for _ in range(quiet):
        out += blank
    return bytes(out)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        data = f.read()
    pbm_dir = argv[argv.index("--pbm-dir") + 1] if "--pbm-dir" in argv else None
    try:
        doc = decode(data)
    except DecodeError as e:
        print(f"escpos_decode: {e}", file=sys.stderr)
        return 1
    for ri, rec in enumerate(doc["receipts"]):
        for ii, img in enumerate(rec["images"]):
            if pbm_dir:
                path = f"{pbm_dir}/receipt{ri}-image{ii}.pbm"
                with open(path, "wb") as f:
                    f.write(image_pbm(img))
                img["pbm"] = path
            del img["rows"]
    print(json.dumps(doc, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
