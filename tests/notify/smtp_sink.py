"""A real SMTP server for the notify tests: Debian's aiosmtpd (run it with
/usr/bin/python3, whose modules Debian installs), writing each message it
accepts to DIR/NNNN.eml with its envelope in DIR/NNNN.json.

    /usr/bin/python3 smtp_sink.py DIR PORT [--tls CERT KEY] [--auth USER PASS]

With --tls it offers STARTTLS (and requires it before AUTH); with --auth it
requires that login. Prints "ready" once it listens; SIGTERM stops it."""
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

out, port = sys.argv[1], int(sys.argv[2])
args = sys.argv[3:]
tls = auth = None
if "--tls" in args:
    i = args.index("--tls")
    tls = args[i + 1], args[i + 2]
if "--auth" in args:
    i = args.index("--auth")
    auth = args[i + 1], args[i + 2]


class Sink:
    n = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.n += 1
        base = os.path.join(out, f"{Sink.n:04d}")
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "tls": session.ssl is not None,
                       "login": session.authenticated}, f)
        return "250 OK"


def check(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == auth
    return AuthResult(success=ok)


kw = {}
if tls:
    import ssl
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(*tls)
    kw.update(tls_context=ctx, require_starttls=True)
if auth:
    kw.update(authenticator=check, auth_required=True, auth_require_tls=bool(tls))
ctl = Controller(Sink(), hostname="127.0.0.1", port=port, **kw)
ctl.start()
print("ready", flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
done.wait()
ctl.stop()
