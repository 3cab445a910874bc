"""The command-line contract of interfaces.md §2: help, version, exit codes,
global options anywhere, unknown options as usage errors with one line."""
from kiosktest import Failures, run, tempdir

t = Failures()

p = run(["--version"])
t.eq(p.returncode, 0, "--version exit")
t.check(p.stdout.startswith("kiosk "), f"--version prints 'kiosk X': {p.stdout!r}")

p = run(["--help"])
t.eq(p.returncode, 0, "--help exit")
for word in ["scan", "import", "demo-data", "receipt show", "case list", "print",
             "staff add", "report", "--db PATH", "PostgreSQL connection string", "--config PATH",
             "--lang sv|en"]:
    t.check(word in p.stdout, f"--help mentions {word!r}")

p = run(["case", "--help"])
t.eq(p.returncode, 0, "subcommand --help exit")
t.check("kiosk case list" in p.stdout, "case --help shows its usage")

# Unknown command / option: exit 2 with exactly one line on stderr.
rows = [
    (["frobnicate"], "kiosk: unknown command 'frobnicate' (see kiosk --help)"),
    (["scan", "--bogus", "x"], "kiosk scan: unknown option '--bogus' (see kiosk scan --help)"),
    (["--lang", "de", "scan", "x"], "kiosk scan: --lang must be sv or en, not 'de'"),
    (["case", "list", "--db"], "kiosk: option --db needs a value"),
]
for i, (args, want) in enumerate(rows):
    p = run(args)
    t.eq(p.returncode, 2, f"i:{i} {args} exit")
    t.eq(p.stderr.strip(), want, f"i:{i} {args} stderr")
    t.eq(len(p.stderr.strip().splitlines()), 1, f"i:{i} one line")

# A broken --config is a refusal naming the file and line.
import os
d = tempdir()
bad = os.path.join(d, "bad.ini")
with open(bad, "w") as f:
    f.write("[store]\nid = 0042\nthis line has no equals sign\n")
p = run(["--config", bad, "scan", "x"])
t.eq(p.returncode, 1, "broken config exit")
t.eq(p.stderr.strip(), f"kiosk scan: configuration {bad}: error on line 3", "broken config reason")

# Only a regular file of a sane size is read: /dev/zero would never end and
# a folder is no configuration (each was accepted or hung before).
huge = os.path.join(d, "huge.ini")
with open(huge, "w") as f:
    f.write("[store]\n" + "; " + "x" * (2 << 20) + "\n")
for i, (path, why) in enumerate([("/dev/zero", "is not a regular file"),
                                 (d, "is not a regular file"),
                                 (huge, "is larger than 1024 KiB")]):
    p = run(["--config", path, "scan", "x"], timeout=10)
    t.eq(p.returncode, 1, f"i:{i} --config {path} exit")
    t.eq(p.stderr.strip(), f"kiosk scan: configuration {path} {why}", f"i:{i} reason")

# A command that reads or changes what is saved, given a database file that
# is not there (a typo, a wrong --db): one line, exit 1, and no database made
# there. It had made an empty one and answered "No cases." (or backed it up).
empty = tempdir()
missing = os.path.join(empty, "kiosk-typo.db")
rows = [
    (["case", "list"], "case"),
    (["case", "show", "K-000001"], "case"),
    (["receipt", "show", "RS004200320261122001234"], "receipt"),
    (["report"], "report"),
    (["audit", "verify"], "audit"),
    (["purge"], "purge"),
    (["print", "--printer", "none", "K-000001"], "print"),
    (["backup", os.path.join(empty, "backup.db")], "backup"),
    (["staff", "list"], "staff"),
    (["staff", "disable", "S001"], "staff"),
]
for i, (args, cmd) in enumerate(rows):
    p = run(args + ["--db", missing])
    t.eq((p.returncode, p.stdout, p.stderr),
         (1, "", f"kiosk {cmd}: There is no database at {missing} (give --db the kiosk's "
                 "database, or set [store] database in the configuration).\n"),
         f"i:{i} {args[:2]} refuses a database that is not there")
    t.eq(os.listdir(empty), [], f"i:{i} {args[:2]} made nothing")

t.done()
