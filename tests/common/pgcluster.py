"""A throwaway PostgreSQL cluster for tests: Debian's server binaries, a
temporary folder, a Unix socket only (no TCP port to clash with), started
on first use and stopped (and deleted) when the test ends.

Root cannot run the server, so as root the cluster runs as the `postgres`
user (runuser). Tests get a fresh database each with `database(name)`, as
a libpq connection string. `psql(dsn, sql)` reads one value for checks the
kiosk does not offer. Standard library only.
"""
import atexit
import glob
import os
import shutil
import subprocess
import tempfile

_cluster = None


def _bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def available():
    """A reason the server cannot run here, or None."""
    if not _bindir():
        return "PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed"
    if not shutil.which("psql"):
        return "psql is not installed"
    return None


class Cluster:
    def __init__(self):
        self.bindir = _bindir()
        self.dir = tempfile.mkdtemp(prefix="kiosk-pg-")
        self.data = os.path.join(self.dir, "data")
        self.as_root = os.geteuid() == 0
        if self.as_root:
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "postgres")
        self._pg(["initdb", "-D", self.data, "-A", "trust", "-U", "kiosk", "-E", "UTF8",
                  "--locale=C.UTF-8"])
        # fsync off: a test cluster is thrown away, and crash tests use
        # pg_ctl stop -m immediate, which keeps what was committed anyway
        self._pg(["pg_ctl", "-D", self.data, "-w", "-l", os.path.join(self.dir, "log"),
                  "-o", f"-k {self.dir} -c listen_addresses='' -c fsync=off"
                        " -c max_connections=200", "start"])
        self.up = True
        self.n = 0

    def _pg(self, args, check=True):
        cmd = [os.path.join(self.bindir, args[0])] + args[1:]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    def dsn(self, dbname="postgres"):
        return f"host={self.dir} user=kiosk dbname={dbname}"

    def database(self, name=None):
        """A new, empty database; its connection string."""
        self.n += 1
        name = name or f"t{self.n}"
        psql(self.dsn(), f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def stop(self, mode="fast"):
        """pg_ctl stop; mode "immediate" is a crash of the server."""
        self._pg(["pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"], check=False)
        self.up = False

    def start(self):
        self._pg(["pg_ctl", "-D", self.data, "-w", "-l", os.path.join(self.dir, "log"),
                  "-o", f"-k {self.dir} -c listen_addresses='' -c fsync=off"
                        " -c max_connections=200", "start"])
        self.up = True

    def close(self):
        if self.up:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def cluster():
    """The test's cluster, started on first use."""
    global _cluster
    if _cluster is None:
        _cluster = Cluster()
        atexit.register(_cluster.close)
    return _cluster


# Schema 14 undone (the receipt keys back as foreign keys): a test that
# makes an older database out of a new one starts with this.
UNDO_14 = ("DROP FUNCTION kiosk_lines_have_receipts, kiosk_receipts_have_stores,"
           " kiosk_keep_referred, kiosk_keys_stay CASCADE;"
           " ALTER TABLE receipts ADD CONSTRAINT receipts_store_id_fkey"
           "  FOREIGN KEY (store_id) REFERENCES stores(id);"
           " ALTER TABLE receipt_lines ADD CONSTRAINT receipt_lines_rid_fkey"
           "  FOREIGN KEY (rid) REFERENCES receipts(rid);")


def psql(dsn, sql):
    """Run sql; the first column of the first row as text ('' if none)."""
    p = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if p.returncode:
        raise RuntimeError(f"psql: {p.stderr.strip()}")
    return p.stdout.split("\n", 1)[0]
