"""Updates that reach the customer (issue 11), end to end: the real kiosk
under Xvfb takes a fault report with an e-mail address and a return without
any contact; `kiosk notify run --once` sends to a real SMTP server (Debian's
aiosmtpd, tests/notify/smtp_sink.py) started by this test.

- The server is down: nothing is lost, the message waits and is sent once
  after the retry, over STARTTLS with a login, exactly once, to the
  address the customer typed, in Swedish, with the case number and the
  next step, its Message-ID the outbox's id.
- The customer without a contact gets nothing.
- The staff override at the counter sends the customer's sentence and
  never the staff's reason; starttls = required refuses a server without
  TLS (the message waits), starttls = no sends.
- The contact purge leaves no address in the outbox.

Display :98 (the counter area's range, RESOURCE_LOCK xvfb_counter). Runs
on SQLite and, as notify_e2e_pg, on PostgreSQL."""
import configparser
import email
import email.header
import email.policy
import glob
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ui"))
import kiosktest as kt  # noqa: E402
import uidriver as ud  # noqa: E402
from flows import return_unopened, texts  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_PY = "/usr/bin/python3"  # Debian's aiosmtpd lives there
if not os.path.exists(SYSTEM_PY) or subprocess.run(
        [SYSTEM_PY, "-c", "import aiosmtpd"], capture_output=True).returncode:
    kt.skip_all("Debian's python3-aiosmtpd is not installed")
if not shutil.which("openssl"):
    kt.skip_all("openssl is not installed")

f = kt.Failures()
tmp = kt.tempdir()
UI = texts("sv")
ADDRESS = "anna.berg@exempel.se"
db = kt.database(tmp)
p = kt.run(["import", os.path.join(ud.HERE, "fixtures", "receipts.csv")], db=db)
f.eq(p.returncode, 0, "receipts imported: " + p.stderr)
p = kt.run(["staff", "add", "--name", "Anna Lind", "--role", "manager"], stdin="2580\n", db=db)
f.eq(p.returncode, 0, "a manager added: " + p.stderr)

# a certificate for the SMTP server's STARTTLS, and the login's password
cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                "-out", cert, "-subj", "/CN=localhost", "-days", "2", "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
pw = os.path.join(tmp, "smtp-password")
with open(pw, "w") as out:
    out.write("hemligt\n")


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()


def config(starttls, login):
    path = os.path.join(tmp, f"store-{starttls}-{login}.ini")
    with open(path, "w") as out:
        out.write(f"[privacy]\nkey_file = {tmp}/kiosk.key\n[notify]\npoll_ms = 200\n"
                  f"[notify.email]\nhost = 127.0.0.1\nport = {PORT}\nstarttls = {starttls}\n"
                  f"from = kundservice@hemelektronik.example\nca_file = {cert}\n")
        if login:
            out.write(f"user = kundservice\npassword_file = {pw}\n")
    return path


class Sink:
    """The SMTP server, until stop()."""

    def __init__(self, tls=False, login=False):
        self.dir = os.path.join(tmp, f"mail-{time.monotonic_ns()}")
        os.mkdir(self.dir)
        args = [SYSTEM_PY, os.path.join(HERE, "smtp_sink.py"), self.dir, str(PORT)]
        if tls:
            args += ["--tls", cert, key]
        if login:
            args += ["--auth", "kundservice", "hemligt"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        f.eq(self.proc.stdout.readline().strip(), "ready", "the SMTP server listens")

    def mails(self):
        out = []
        for eml in sorted(glob.glob(os.path.join(self.dir, "*.eml"))):
            msg = email.message_from_bytes(open(eml, "rb").read(), policy=email.policy.default)
            env = json.load(open(eml[:-4] + ".json"))
            out.append((msg, env))
        return out

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def notify(cfg, at):
    p = kt.run(["notify", "run", "--once", "--config", cfg], db=db, env={"KIOSK_NOW": at})
    return p.returncode, p.stdout.strip(), p.stderr.strip()


def outbox(case_id):
    p, c = kt.run_json(["case", "show", "--json", case_id], db=db)
    return (c or {}).get("messages", [])


display = ud.Display(98)
try:
    # ---- the kiosk: a fault with an e-mail, a return without a contact -------
    k = ud.Kiosk(display, tmp, tag="notify", db=db, config=config("no", False),
                 env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
    try:
        k.wait("start", timeout=20)
        k.tap("fault", "identify")
        k.scan(ud.RECEIPT, "confirm")
        k.tap("continue", "fault_product")
        k.tap("item_2", "fault_what")
        k.tap("fault_broken", "decision")
        next_step = k.label("next_step")
        k.tap("confirm", "contact_ask")
        k.tap("contact_yes", "contact_entry")
        k.type(ADDRESS)
        k.tap("save", "done")
        fault = k.label("case_number").split()[-1]
        k.tap("finish", "start")
        quiet = return_unopened(k)
        k.tap("finish", "start")
    finally:
        k.close()
    # the paper promises e-mail to the customer who gave an address, only
    import configparser
    rw = configparser.ConfigParser(interpolation=None)
    rw.read(os.path.join(os.environ["KIOSK_ASSETS"], "lang", "sv", "receipt.ini"),
            encoding="utf-8")
    promise = rw["receipt"]["updates_email"].split()[:4]
    papers = [" ".join(lines) for lines, _ in ud.printed_receipts(k.printed, tmp)]
    f.eq([" ".join(promise) in p for p in papers], [True, False],
         "the receipt promises e-mail only where an address was given")
    f.eq([m["kind"] for m in outbox(fault)], ["registered"], "the fault has one message waiting")
    f.eq(outbox(quiet), [], "the customer without a contact has none")

    # ---- the server is down: the message waits, nothing is lost -------------
    tls_login = config("required", True)
    rc, out, err = notify(tls_login, "2026-11-23T10:01:00+01:00")
    f.eq((rc, out), (0, "sent 0, to try again later 1, failed 0, late cases given a new date 0"),
         f"server down: tried once, waits ({err})")
    m = outbox(fault)
    f.check(m and m[0]["status"] == "pending" and m[0]["attempts"] == 1 and m[0]["last_error"],
            f"the outbox says why: {m}")

    # ---- back, with STARTTLS and a login: sent once after the backoff --------
    sink = Sink(tls=True, login=True)
    rc, out, err = notify(tls_login, "2026-11-23T10:01:30+01:00")
    f.eq(out, "sent 0, to try again later 0, failed 0, late cases given a new date 0",
         "not before the backoff has passed")
    rc, out, err = notify(tls_login, "2026-11-23T10:02:30+01:00")
    f.eq((rc, out), (0, "sent 1, to try again later 0, failed 0, late cases given a new date 0"),
         f"sent after the retry ({err})")
    rc, out, err = notify(tls_login, "2026-11-23T10:03:00+01:00")
    f.eq(out, "sent 0, to try again later 0, failed 0, late cases given a new date 0",
         "and only once")
    mails = sink.mails()
    sink.stop()
    f.eq(len(mails), 1, "exactly one e-mail")
    if mails:
        msg, env = mails[0]
        f.eq(env["to"], [ADDRESS], "to the address the customer typed")
        f.eq((env["tls"], env["login"]), (True, True), "over STARTTLS, logged in as kundservice")
        f.check(fault in str(msg["subject"]), f"the subject names the case: {msg['subject']}")
        body = msg.get_content()
        print(f"--- the e-mail as received ---\nSubject: {msg['subject']}\n\n{body}---")
        f.check(UI["ui.follow_case"].replace("{case}", "") in body or fault in body,
                "the body names the case")
        f.check(next_step.split(",")[0] in body, f"the next step, in Swedish: {body!r}")
        m = outbox(fault)
        f.check(m and f"<{m[0]['msg_id']}@hemelektronik.example>" == msg["message-id"],
                f"Message-ID is the outbox's id: {msg['message-id']} {m}")
        f.eq(m and m[0]["status"], "sent", "marked sent")

    # ---- the counter overrides: the customer's sentence, not the reason -----
    # (the counter's own process sends what its changes write)
    sink = Sink()
    ctr = ud.Kiosk(display, tmp, tag="ctr", db=db, mode="counter", window="1080x1920",
                   config=config("no", False),
                   env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
    try:
        ctr.wait("counter_login", timeout=20)
        ctr.scan("KS1:S001", "counter_pin")
        for ch in "2580":
            ctr.tap("key_" + ch)
        ctr.tap("pin_ok", "counter_list")
        ctr.tap("search", "counter_text")
        for ch in fault.lower():
            ctr.tap({"-": "key_dash"}.get(ch, "key_" + ch))
        ctr.tap("text_ok", "counter_list")
        ctr.tap("case_0", "counter_case")
        cw = configparser.ConfigParser(interpolation=None)
        cw.read(os.path.join(os.environ["KIOSK_ASSETS"], "lang", "sv", "counter.ini"),
                encoding="utf-8")
        cw = cw["counter"]
        f.eq(ctr.label("updates"), cw["updates_email"].replace("{to}", "a\u2022\u2022\u2022@exempel.se"),
             "the counter shows the channel and a masked address")
        f.check(cw["msg_status_sent"].replace("{channel}", cw["msg_email"]) in
                (ctr.label("msg_0") or ""), f"and the message sent: {ctr.label('msg_0')}")
        f.check(ctr.widget("act_forget_contact") is not None, "staff can remove the contact")
        f.check(ctr.widget("act_resend") is None, "nothing to send again")
        ctr.tap("act_override", "counter_outcome")
        ctr.tap("outcome_replace", "counter_text")
        for ch in "intern xyz":
            ctr.tap({" ": "key_space"}.get(ch, "key_" + ch))
        ctr.tap("text_ok", "counter_case")
        ctr.tap("act_state", "counter_state")
        ctr.tap("state_closed", "counter_case")
        end = time.monotonic() + 20
        while len(sink.mails()) < 2 and time.monotonic() < end:
            time.sleep(0.1)
    finally:
        ctr.close()
    f.eq([(m["kind"], m["state"], m["status"]) for m in outbox(fault)],
         [("registered", None, "sent"), ("decision", None, "sent"), ("state", "closed", "sent")],
         "the override and the closing were sent by the counter's own process")
    mails = sink.mails()
    f.eq(len(mails), 2, "one e-mail about the new decision, one about the closing")
    bodies = [m.get_content() for m, _ in mails]
    if len(bodies) == 2:
        f.check(UI["ui.follow_outcome_replace"] in bodies[0],
                f"the customer's sentence for the decision: {bodies[0]!r}")
        f.check(UI["ui.state_closed"] in bodies[1], f"the case is closed: {bodies[1]!r}")
    f.check(all("xyz" not in b and "intern" not in b for b in bodies),
            "never the staff's reason")

    # ---- a script moves the case on; starttls = required keeps it off a
    # server without TLS, starttls = no sends it --------------------------------
    p = kt.run(["case", "update", fault, "--state", "ready_for_pickup", "--next-step",
                "Hämta den nya varan i kassan.", "--staff", "S001"], stdin="2580\n", db=db,
               env={"KIOSK_NOW": "2026-11-23T10:09:00+01:00"})
    f.eq(p.returncode, 0, "kiosk case update: " + p.stderr)
    rc, out, err = notify(config("required", False), "2026-11-23T10:10:00+01:00")
    f.eq(out, "sent 0, to try again later 1, failed 0, late cases given a new date 0",
         "starttls = required does not send in the clear")
    f.eq(len(sink.mails()), 2, "nothing more reached the server without TLS")
    rc, out, err = notify(config("no", False), "2026-11-23T10:12:00+01:00")
    f.eq(out, "sent 1, to try again later 0, failed 0, late cases given a new date 0",
         f"starttls = no sends ({err})")
    mails = sink.mails()
    sink.stop()
    f.check(len(mails) == 3 and "Hämta den nya varan i kassan." in mails[2][0].get_content(),
            "the move and its new next step reached the customer, in one e-mail")
    # a port that is not a plain number is refused, not read as far as it goes
    typo = config("no", False)
    with open(typo, "a") as out:
        out.write(f"port = {PORT}x\n")
    rc, out, err = notify(typo, "2026-11-23T10:13:00+01:00")
    f.eq((rc, err), (1, f'kiosk notify: [notify.email] port must be a whole number from 1 to '
                        f'65535, not "{PORT}x"'), "a mistyped port: one line, nothing sent")

    # ---- the contact purge leaves no address behind -------------------------
    p = kt.run(["case", "update", fault, "--state", "closed", "--staff", "S001"], stdin="2580\n",
               db=db, env={"KIOSK_NOW": "2026-11-23T10:20:00+01:00"})
    f.eq(p.returncode, 0, "closed again: " + p.stderr)
    p = kt.run(["purge"], db=db, env={"KIOSK_NOW": "2027-03-01T10:00:00+01:00"})
    f.eq(p.returncode, 0, "purge runs: " + p.stderr)
    f.eq([m["recipient"] for m in outbox(fault)], [""] * 4,
         "no address left in the outbox")
    stored = kt.stored_bytes(db) if kt.backend() == "postgresql" else b""
    f.check(ADDRESS.encode() not in stored, "nor anywhere in the database")
except AssertionError as e:
    f.check(False, str(e))
finally:
    display.close()
f.done()
