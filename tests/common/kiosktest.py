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

    def check(self, cond, msg):
        self.checks += 1
        if not cond:
            self.failed += 1
            print("FAIL: " + msg, file=sys.stderr)
        return cond

    def eq(self, got, want, what):
        return self.check(got == want, f"{what}: got {got!r}, want {want!r}")

    def done(self):
        print(f"{self.checks - self.failed} passed, {self.failed} failed")
        sys.exit(1 if self.failed or not self.checks else 0)


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
