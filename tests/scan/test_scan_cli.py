"""End-to-end tests of `kiosk scan` (interfaces.md §3): the JSON on stdout,
exit codes, the \\r \\n \\x1d \\\\ escapes, refusals that never echo raw
bytes, the case token never printed, KIOSK_NOW and --config honoured."""
import json
import os

from kiosktest import Failures, run, run_json, tempdir

t = Failures()

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<SWEAB123456718112289874<<<<<", "8112288M3001019SWE<<<<<<<<<<<6",
       "SVENSSON<<LARS<ERIK<<<<<<<<<<<")
NOR = ("P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
       "1234567897NOR8001014M2611239<<<<<<<<<<<<<<<2")  # expires 2026-11-23


def escape(data):
    """What a person types for raw bytes: \\r \\n \\xHH and \\\\."""
    out = []
    for ch in data:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def aamva(body, version=8):
    head = 21
    length = 2 + len(body) + 1
    return ("@\n\x1e\rANSI 636014%02d0001DL%04d%04dDL%s\r"
            % (version, head + 10, length, body))


ANNA = {"kind": "id_document", "valid": True, "format": "TD3", "document_type": "P",
        "issuer": "UTO", "document_number": "L898902C3", "birth_date": "1974-08-12",
        "expiry_date": "2012-04-15", "surname": "ERIKSSON", "given_names": "ANNA MARIA",
        "expired": True}
LARS = {"kind": "id_document", "valid": True, "format": "TD1", "document_type": "I",
        "issuer": "SWE", "document_number": "AB1234567", "birth_date": "1981-12-28",
        "expiry_date": "2030-01-01", "surname": "SVENSSON", "given_names": "LARS ERIK",
        "expired": False, "personal_number": "811228-9874"}
UNKNOWN = "This is not a receipt, ID document, case, staff card or product code."

# (DATA argument, exit status, the whole JSON object)
rows = [
    # 0 receipt in the demo store's layout
    ("RS004200320261122001234", 0,
     {"kind": "receipt", "valid": True, "receipt_id": "RS004200320261122001234",
      "store": "0042", "register": "003", "date": "2026-11-22", "seq": "001234"}),
    # 1 the scanner's CR LF suffix
    ("RS004200320261122001234\\r\\n", 0,
     {"kind": "receipt", "valid": True, "receipt_id": "RS004200320261122001234",
      "store": "0042", "register": "003", "date": "2026-11-22", "seq": "001234"}),
    # 2
    ("RS004200320261322001234", 1,
     {"kind": "receipt", "valid": False,
      "error": "The date in the receipt code (2026-13-22) is not a real date."}),
    # 3 ICAO TD3 specimen, LF between the lines
    (TD3[0] + "\\n" + TD3[1], 0, ANNA),
    # 4 CR LF between the lines
    (TD3[0] + "\\r\\n" + TD3[1], 0, ANNA),
    # 5 nothing between the lines
    (TD3[0] + TD3[1], 0, ANNA),
    # 6 Swedish ID card with a personal number
    ("\\r".join(TD1) + "\\r", 0, LARS),
    # 7 one wrong check digit, named
    (TD3[0] + "\\n" + TD3[1][:19] + "3" + TD3[1][20:], 1,
     {"kind": "id_document", "valid": False,
      "error": "The check digit of the birth date does not match."}),
    # 8 expires today: not expired yet
    (NOR[0] + "\\n" + NOR[1], 0,
     {"kind": "id_document", "valid": True, "format": "TD3", "document_type": "P",
      "issuer": "NOR", "document_number": "123456789", "birth_date": "1980-01-01",
      "expiry_date": "2026-11-23", "surname": "HANSEN", "given_names": "OLA",
      "expired": False}),
    # 9 AAMVA licence, its separators given as escapes (\x1e)
    (escape(aamva("DAQD1234562\nDCSPUBLIC\nDACJOHN\nDBB01231970\nDBA08232030\nDCGUSA")), 0,
     {"kind": "id_document", "valid": True, "format": "AAMVA", "document_type": "DL",
      "issuer": "USA", "document_number": "D1234562", "birth_date": "1970-01-23",
      "expiry_date": "2030-08-23", "surname": "PUBLIC", "given_names": "JOHN",
      "expired": False}),
    # 10 case code: the token is never echoed
    ("KC1:K-000123:9f3a6b2c1d4e5f60", 0, {"kind": "case", "valid": True, "case_id": "K-000123"}),
    # 11
    ("KC1:K-000123:9f3a6b2c1d4e5f6", 1,
     {"kind": "case", "valid": False,
      "error": "The case code does not end with its 16-character check code."}),
    # 12
    ("KS1:S001", 0, {"kind": "staff", "valid": True, "staff_id": "S001"}),
    # 13
    ("4006381333931", 0, {"kind": "product", "valid": True, "gtin": "4006381333931"}),
    # 14
    ("036000291453", 1, {"kind": "product", "valid": False,
                         "error": "The check digit of the product code does not match."}),
    # 15
    ("hello", 1, {"kind": "unknown", "valid": False, "error": UNKNOWN}),
    # 16 a GS (\x1d) where no format allows one
    ("KS1:S001\\x1d", 1, {"kind": "unknown", "valid": False,
                          "error": "The scan contains control characters."}),
    # 17 a terminal escape sequence is refused, never echoed
    ("\\x1b[31mRED", 1, {"kind": "unknown", "valid": False,
                          "error": "The scan contains control characters."}),
    # 18
    ("RS0042\\x0003", 1, {"kind": "unknown", "valid": False,
                          "error": "The scan contains a NUL byte."}),
    # 19
    ("\\xff\\xfe", 1, {"kind": "unknown", "valid": False,
                       "error": "The scan is not valid UTF-8 text."}),
    # 20 a backslash is data once escaped
    ("KS1:S001\\\\", 1, {"kind": "staff", "valid": False,
                        "error": "The staff card does not hold a staff number like S001."}),
]
for i, (arg, status, want) in enumerate(rows):
    p, got = run_json(["scan", "--json", arg])
    t.eq(p.returncode, status, f"i:{i} exit")
    t.eq(got, want, f"i:{i} json")
    t.check("\x1b" not in p.stdout + p.stderr, f"i:{i} no raw ESC echoed")
    t.check("9f3a6b2c1d4e5f6" not in p.stdout + p.stderr, f"i:{i} token never printed")

# The short summary without --json; refusals are one line on stderr.
summary = [
    ("RS004200320261122001234", 0,
     "receipt RS004200320261122001234: store 0042, register 003, 2026-11-22, number 001234\n",
     ""),
    ("KC1:K-000123:9f3a6b2c1d4e5f60", 0, "case K-000123\n", ""),
    ("KS1:S001", 0, "staff card S001\n", ""),
    ("\\r".join(TD1), 0,
     "TD1 I AB1234567 from SWE: SVENSSON, LARS ERIK; born 1981-12-28; valid until "
     "2030-01-01; personal number 811228-9874\n", ""),
    ("\\x1b]0;owned\\x07", 1, "", "kiosk scan: The scan contains control characters.\n"),
]
for i, (arg, status, out, err) in enumerate(summary):
    p = run(["scan", arg])
    t.eq(p.returncode, status, f"summary i:{i} exit")
    t.eq(p.stdout, out, f"summary i:{i} stdout")
    t.eq(p.stderr, err, f"summary i:{i} stderr")

# KIOSK_NOW moves "today": the document that expires 2026-11-23 is expired
# the day after, but not late on the 23rd in New York (already the 24th UTC).
p, got = run_json(["scan", "--json", NOR[0] + NOR[1]],
                  env={"KIOSK_NOW": "2026-11-24T00:30:00+01:00"})
t.eq((p.returncode, got and got.get("expired")), (0, True), "expired after KIOSK_NOW")
p, got = run_json(["scan", "--json", NOR[0] + NOR[1]],
                  env={"KIOSK_NOW": "2026-11-23T23:30:00-05:00"})
t.eq(got and got.get("expired"), False, "today is KIOSK_NOW's local day, not the UTC one")
p = run(["scan", "--json", "KS1:S001"], env={"KIOSK_NOW": "yesterday"})
t.eq(p.returncode, 1, "malformed KIOSK_NOW refused")
t.eq(len(p.stderr.strip().splitlines()), 1, "malformed KIOSK_NOW: one line")

# Usage errors: exit 2, one line.
usage = [
    (["scan"], "kiosk scan: needs the scanned DATA (see kiosk scan --help)"),
    (["scan", "--json", "a\\q"], "kiosk scan: DATA has a malformed escape (use \\r, \\n, \\xHH or \\\\)"),
    (["scan", "--json", "\\x4"], "kiosk scan: DATA has a malformed escape (use \\r, \\n, \\xHH or \\\\)"),
    (["scan", "a", "b"], "kiosk scan: unexpected argument 'b' (see kiosk scan --help)"),
]
for i, (args, want) in enumerate(usage):
    p = run(args)
    t.eq(p.returncode, 2, f"usage i:{i} exit")
    t.eq(p.stderr.strip(), want, f"usage i:{i} stderr")
    t.eq(p.stdout, "", f"usage i:{i} nothing on stdout")

# "-" reads raw bytes from stdin: an MRZ as a scanner sends it, and a
# payload of megabytes that no command line could carry.
p, got = run_json(["scan", "--json", "-"], stdin="\r\n".join(TD3) + "\r\n")
t.eq((p.returncode, got), (0, ANNA), "stdin MRZ")
p, got = run_json(["scan", "--json", "-"], stdin="A" * (3 << 20))
t.eq(p.returncode, 1, "megabytes exit")
t.eq(got, {"kind": "unknown", "valid": False,
           "error": "The scan is too long (more than 4096 bytes)."}, "megabytes json")

# --config: another store's receipt layout (interfaces.md §6).
d = tempdir(prefix="kiosk-scan-")
ini = os.path.join(d, "store.ini")
with open(ini, "w") as f:
    f.write("[receipt_barcode]\nprefix = K9\nstore_digits = 2\nregister_digits = 2\n"
            "seq_digits = 4\n")
p, got = run_json(["--config", ini, "scan", "--json", "K91203202611220007"])
t.eq((p.returncode, got), (0, {"kind": "receipt", "valid": True,
                               "receipt_id": "K91203202611220007", "store": "12",
                               "register": "03", "date": "2026-11-22", "seq": "0007"}),
     "configured layout")
p, got = run_json(["--config", ini, "scan", "--json", "RS004200320261122001234"])
t.eq((p.returncode, got and got["kind"]), (1, "unknown"), "demo layout no longer applies")

# The JSON is one object on one line (machines read it line by line).
p = run(["scan", "--json", "KS1:S001"])
t.eq(p.stdout.count("\n"), 1, "one line of JSON")
json.loads(p.stdout)

t.done()
