"""Run a command (a C test program) against a throwaway PostgreSQL cluster:
start the cluster, pass its admin connection string in KIOSK_TEST_PG, run
the command, stop the cluster, exit with the command's status. Without the
server binaries it exits 77 (skipped; .ci/run fails on any skip)."""
import os
import subprocess
import sys

import pgcluster

why = pgcluster.available()
if why:
    print("SKIPPED: " + why, file=sys.stderr)
    sys.exit(77)
cl = pgcluster.cluster()
env = dict(os.environ, KIOSK_TEST_PG=cl.dsn("postgres"))
sys.exit(subprocess.run(sys.argv[1:], env=env).returncode)
