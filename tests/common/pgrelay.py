"""A database host that fails, for tests: a relay on a Unix socket in a
folder of its own (a libpq host), carrying connections to a throwaway
cluster's socket. Listed first in a connection string with the cluster
itself second (host=RELAY,CLUSTER), it is a primary with its standby.

fail() ends the connections it carries, as when the host went away, and
from then on takes each new connection and never answers it, as a host
whose network has gone silent: libpq waits its connect_timeout for the
server's first words.

Two losses of one COMMIT, each armed for the next COMMIT any connection
carries (the Unix socket carries the protocol in the clear):
lose_commit_answer() lets the COMMIT through and ends the connection in
place of the server's answer (the server has committed, the client never
hears it); swallow_commit() ends the client's side instead of passing the
COMMIT on, and leaves the server's side open, as a server that has not yet
noticed its client is gone: the transaction stays open there, with its
locks. end_at_next_query() ends a connection as the client sends on it
again (its next statement after the start), in place of passing it on: a
server that ended an idle connection just as the client sent. With
silent=True the relay fails (as fail() without ending what it
carries) at that moment, so the client cannot ask again; heal() ends that,
and closes what it held: the server then sees its lost client go. Standard
library only."""
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
        self.armed = None  # "answer" or "commit": the next COMMIT's loss
        self.silent_after = False
        self.ended = 0     # connections ended at a query so far
        self.lost = 0      # COMMITs lost so far
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
            for a, b, up in ((c, u, True), (u, c, False)):
                threading.Thread(target=self._pump, args=(a, b, up), daemon=True).start()

    # a COMMIT as the client sends it (simple or extended query), and the
    # server's CommandComplete for it
    SENT = b"COMMIT\x00"
    ANSWER = b"C\x00\x00\x00\x0bCOMMIT\x00"

    def _loss(self, up, data):
        """Where this chunk's armed loss begins, or None."""
        with self.lock:
            kind = self.armed
            at = -1
            if kind == "commit" and up:
                at = data.find(self.SENT)
            elif kind == "answer" and not up:
                at = data.find(self.ANSWER)
            if at < 0:
                return None
            self.armed = None
            self.lost += 1
            if self.silent_after:
                self.failed = True
            return 0 if kind == "commit" else at

    def _end_query(self, up, chunks):
        """Is this chunk, of a connection past its start, to end it?"""
        with self.lock:
            if not up or chunks == 0 or self.armed != "query":
                return False
            self.armed = None
            self.ended += 1
            return True

    def _pump(self, a, b, up):
        keep = None  # the server's side, left open
        chunks = 0
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                if self._end_query(up, chunks):
                    break
                chunks += 1
                at = self._loss(up, data)
                if at is None:
                    b.sendall(data)
                    continue
                b.sendall(data[:at])
                if up:
                    keep = b
                    with self.lock:
                        self.held.append(b)
                break
        except OSError:
            pass
        for s in (a, b):
            if s is keep:
                continue
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def lose_commit_answer(self, silent=False):
        with self.lock:
            self.armed, self.silent_after = "answer", silent

    def swallow_commit(self, silent=False):
        with self.lock:
            self.armed, self.silent_after = "commit", silent

    def end_at_next_query(self):
        with self.lock:
            self.armed = "query"

    def heal(self):
        with self.lock:
            self.failed = False
            for s in self.held:
                try:  # (a close alone would wait for the pump blocked in recv)
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.held = []

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
