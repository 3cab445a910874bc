"""Helpers for end-to-end tests that run the real kiosk binary.

Used by the python tests in tests/*/: run the binary with a fresh database
in a temporary folder, read JSON, assert exit codes and exact messages.
Standard library only.
"""
import json
import os
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
        self.checks += 1
        if not cond:
            self.failed += 1
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


def tempdir():
    return tempfile.mkdtemp(prefix="kiosk-test-")
