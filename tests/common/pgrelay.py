"""A database host that fails, for tests: a relay on a Unix socket in a
folder of its own (a libpq host), carrying connections to a throwaway
cluster's socket. Listed first in a connection string with the cluster
itself second (host=RELAY,CLUSTER), it is a primary with its standby.

fail() ends the connections it carries, as when the host went away, and
from then on takes each new connection and never answers it, as a host
whose network has gone silent: libpq waits its connect_timeout for the
server's first words. Standard library only."""
import os
import shutil
import socket
import tempfile
import threading


class Relay:
    def __init__(self, cluster_dir, port=5432):
        self.dir = tempfile.mkdtemp(prefix="kiosk-relay-")
        self.target = os.path.join(cluster_dir, f".s.PGSQL.{port}")
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(os.path.join(self.dir, f".s.PGSQL.{port}"))
        self.srv.listen(64)
        self.lock = threading.Lock()
        self.failed = False
        self.open = []   # sockets of the connections carried
        self.held = []   # connections taken while failed, never answered
        self.carried = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            with self.lock:
                if self.failed:
                    self.held.append(c)
                    continue
                u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    u.connect(self.target)
                except OSError:
                    c.close()
                    continue
                self.open += [c, u]
                self.carried += 1
            for a, b in ((c, u), (u, c)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def connections(self):
        """How many connections it has carried so far."""
        with self.lock:
            return self.carried

    def fail(self):
        with self.lock:
            self.failed = True
            for s in self.open:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.open = []

    def close(self):
        self.srv.close()
        with self.lock:
            for s in self.held:
                s.close()
        shutil.rmtree(self.dir, ignore_errors=True)
