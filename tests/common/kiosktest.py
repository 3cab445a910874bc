"""Helpers for end-to-end tests that run the real kiosk binary.

Used by the python tests in tests/*/: run the binary with a fresh database
in a temporary folder, read JSON, assert exit codes and exact messages.
Standard library only.
"""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

KIOSK = os.environ.get("KIOSK_BIN", "kiosk")


class Failures:
    """Collects failed checks so a test reports all of them, then exits 1."""

    def __init__(self):
        self.failed = 0
        self.checks = 0
        self.skipped = []

    def check(self, cond, msg):
        global _failed
        self.checks += 1
        if not cond:
            self.failed += 1
            _failed = True
            print("FAIL: " + msg, file=sys.stderr)
        return cond

    def eq(self, got, want, what):
        return self.check(got == want, f"{what}: got {got!r}, want {want!r}")

    def skip(self, what):
        """A part of the test could not run here: the test ends as skipped
        (ctest's SKIP_RETURN_CODE 77) unless something failed. .ci/run fails
        on any skipped test, so in CI a check that cannot run is a failure."""
        self.skipped.append(what)
        print("SKIPPED: " + what, file=sys.stderr)

    def done(self):
        print(f"{self.checks - self.failed} passed, {self.failed} failed")
        if self.failed or not self.checks:
            sys.exit(1)
        sys.exit(SKIP if self.skipped else 0)


SKIP = 77  # ctest's SKIP_RETURN_CODE for every python test


def skip_all(why):
    """The whole test cannot run here (a tool is missing): exit as skipped.
    Locally that stays a skip; .ci/run turns any skip into a failure."""
    print("SKIPPED: " + why, file=sys.stderr)
    sys.exit(SKIP)


def run(args, stdin=None, env=None, db=None, timeout=60):
    """Run kiosk with args; returns CompletedProcess (text)."""
    full_env = dict(os.environ)
    full_env.setdefault("KIOSK_NOW", "2026-11-23T10:00:00+01:00")
    if env:
        full_env.update(env)
    cmd = [KIOSK] + list(args)
    if db:
        cmd += ["--db", db]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                          env=full_env, timeout=timeout)


def run_json(args, **kw):
    """Run and parse stdout as JSON; returns (CompletedProcess, value or None)."""
    p = run(args, **kw)
    try:
        return p, json.loads(p.stdout)
    except ValueError:
        return p, None


def unflushed_acks(cmd, wal, ack_path=None, env=None):
    """A SIGKILL keeps what the kernel holds; a power cut does not. Runs cmd
    under strace and returns (acknowledgements, of which made while a write
    to the WAL file wal was not yet flushed): an acknowledgement is a write
    to ack_path (a printer's file) or, without one, to standard output."""
    fd_out, trace = tempfile.mkstemp(prefix="kiosk-flush-")
    os.close(fd_out)
    subprocess.run(["strace", "-f", "-qq", "-o", trace, "-e",
                    "trace=openat,close,write,pwrite64,fsync,fdatasync"] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, **(env or {})))
    files, dirty, acks, unflushed = {1: "<stdout>"}, False, 0, 0
    with open(trace) as t:
        for line in t:
            call = line.split(None, 1)[-1]  # after the pid (strace pads short ones)
            name, _, rest = call.partition("(")
            if "resumed>" in call or not rest:
                continue
            fd = re.match(r"\d*", rest).group()
            ret = call.rsplit("= ", 1)[-1].split()[0] if "= " in call else ""
            if name == "openat" and ret.isdigit():
                files[int(ret)] = rest.split('"')[1]
            elif name == "close" and fd.isdigit():
                files.pop(int(fd), None)
            elif fd.isdigit():
                path = files.get(int(fd), "")
                if path == wal:
                    dirty = name in ("write", "pwrite64") or (dirty and name not in
                                                              ("fsync", "fdatasync"))
                elif name == "write" and path == (ack_path or "<stdout>"):
                    acks += 1
                    unflushed += dirty
    os.unlink(trace)
    return acks, unflushed


_made = []
_failed = False


def tempdir(prefix="kiosk-test-"):
    """A temp folder for the test. Removed when the test ends, unless it
    failed (a failed check, or an exception) or KIOSK_KEEP_TMP is set: then
    it is kept for a look, and its path is the last line on stderr."""
    d = tempfile.mkdtemp(prefix=prefix)
    _made.append(d)
    return d


def _remove_tempdirs():
    if _failed or os.environ.get("KIOSK_KEEP_TMP"):
        for d in _made:
            print("kept: " + d, file=sys.stderr)
        return
    for d in _made:
        shutil.rmtree(d, ignore_errors=True)


def _note_exception(kind, value, tb, _before=sys.excepthook):
    global _failed
    _failed = True
    _before(kind, value, tb)


atexit.register(_remove_tempdirs)
sys.excepthook = _note_exception


def backend():
    """The database engine the test runs against: "sqlite" (default) or
    "postgresql" (KIOSK_TEST_BACKEND), so one test covers both."""
    return os.environ.get("KIOSK_TEST_BACKEND", "sqlite")


def database(tmp, name="kiosk.db"):
    """A fresh database for the test's backend: a file in tmp for SQLite,
    a new database in a throwaway cluster for PostgreSQL."""
    if backend() != "postgresql":
        return os.path.join(tmp, name)
    import pgcluster
    why = pgcluster.available()
    if why:
        skip_all(why)
    return pgcluster.cluster().database()


def sql_value(db, sql):
    """One value read straight from the database (for checks the kiosk does
    not offer on purpose), as text."""
    if backend() != "postgresql":
        import sqlite3
        con = sqlite3.connect(db)
        try:
            row = con.execute(sql).fetchone()
        finally:
            con.close()
        return "" if row is None or row[0] is None else str(row[0])
    import pgcluster
    return pgcluster.psql(db, sql)


def dump(db):
    """Every row of every table as text, to compare a database before and
    after something that must change nothing: sqlite3 .dump (which reads
    the WAL too), or pg_dump of the data in a stable order."""
    if backend() != "postgresql":
        p = subprocess.run(["sqlite3", db, ".dump"], capture_output=True, text=True)
    else:
        p = subprocess.run(["pg_dump", "-d", db, "--data-only", "--inserts", "--no-owner",
                            "--rows-per-insert=1"], capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError("dump failed: " + p.stderr.strip())
    # pg_dump's \restrict line carries a fresh random key on every run
    return "".join(l for l in p.stdout.splitlines(True)
                   if not l.startswith(("\\restrict ", "\\unrestrict ")))


def sql_text(db, sql):
    """A query's rows as the sqlite3 shell prints them ("a|b", one row per
    line), from either engine."""
    if backend() != "postgresql":
        p = subprocess.run(["sqlite3", db, sql], capture_output=True, text=True)
    else:
        p = subprocess.run(["psql", "-X", "-At", "-F", "|", "-v", "ON_ERROR_STOP=1", "-d", db,
                            "-c", sql], capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"{sql}: {p.stderr.strip()}")
    return p.stdout.strip()


def stored_bytes(db):
    """Everything the database holds, as bytes, to prove something is NOT
    stored: the raw SQLite file with its -wal (free pages included), or
    every row of a PostgreSQL database (pg_dump)."""
    if backend() != "postgresql":
        blob = b""
        for suffix in ("", "-wal"):
            if os.path.exists(db + suffix):
                blob += open(db + suffix, "rb").read()
        return blob
    return dump(db).encode()
