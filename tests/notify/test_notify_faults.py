"""Delivery that survives everything (issue 11, point 3), against a local
SMS gateway (tests/notify/sms_gateway.py) and the demo store's cases, on
both engines:

- a 5xx from the gateway: the message waits and is tried again later;
- a message whose channel the store has not set up fails at once, with
  that reason (the counter shows it);
- a gateway that accepts and then the sender is SIGKILLed before it marks
  the message sent: the claim runs out, the message is sent again with the
  same Idempotency-Key, and is then marked sent;
- two senders at once: every message is sent once;
- a gateway that refuses for a day: the message is marked failed;
- the SMS goes to the number in E.164, in the case's language, with a login."""
import json
import os
import signal
import subprocess
import sys
import time

import kiosktest as kt

HERE = os.path.dirname(os.path.abspath(__file__))
f = kt.Failures()
tmp = kt.tempdir()
db = kt.database(tmp)
env0 = {"KIOSK_NOW": "2026-11-23T10:00:00+01:00"}
p = kt.run(["demo-data", "--sheet", os.path.join(tmp, "sheet.png")], db=db, env=env0)
f.eq(p.returncode, 0, "demo data: " + p.stderr)

gw_dir = os.path.join(tmp, "gw")
os.mkdir(gw_dir)
gw = subprocess.Popen([sys.executable, os.path.join(HERE, "sms_gateway.py"), gw_dir],
                      stdout=subprocess.PIPE, text=True)
port = int(gw.stdout.readline())
pw = os.path.join(tmp, "sms-password")
with open(pw, "w") as out:
    out.write("hemligt\n")
cfg = os.path.join(tmp, "store.ini")
with open(cfg, "w") as out:
    out.write(f"[privacy]\nkey_file = {tmp}/kiosk.key\n"
              f"[notify.sms]\nurl = http://127.0.0.1:{port}/sms\nuser = kiosk\n"
              f"password_file = {pw}\nfrom = Hemelektr\n")


def gateway(status=None, delay=None):
    for name, v in (("status", status), ("delay", delay)):
        if v is not None:
            with open(os.path.join(gw_dir, name), "w") as out:
                out.write(str(v))


def requests():
    try:
        return [json.loads(line) for line in open(os.path.join(gw_dir, "log"))]
    except OSError:
        return []


def at(minutes):
    t = 10 * 60 + minutes
    return f"2026-11-23T{t // 60:02d}:{t % 60:02d}:00+01:00"


def notify(minutes, once=True):
    return kt.run(["notify", "run"] + (["--once"] if once else []) + ["--config", cfg], db=db,
                  env={"KIOSK_NOW": at(minutes)})


def messages():
    """Every case's messages: [(case, kind, channel, status, msg_id, last_error)]."""
    p, cases = kt.run_json(["case", "list", "--json"], db=db, env=env0)
    out = []
    for c in cases or []:
        p, full = kt.run_json(["case", "show", "--json", c["case_id"]], db=db, env=env0)
        out += [(c["case_id"], m["kind"], m["channel"], m["status"], m["msg_id"],
                 m["last_error"]) for m in (full or {}).get("messages", [])]
    return out


try:
    sms = [m for m in messages() if m[2] == "sms"]
    mail = [m for m in messages() if m[2] == "email"]
    f.check(sms and mail, f"the demo has messages both ways: {messages()}")
    p, late = kt.run_json(["case", "list", "--json", "--overdue"], db=db, env=env0)
    f.check(late, f"the demo has cases past their promise: {p.stderr}")

    # ---- the gateway answers 503: the SMS wait; e-mail is not set up -----
    gateway(status=503)
    p = notify(1)
    f.eq(p.stdout, f"sent 0, to try again later {len(sms)}, failed {len(mail)}, late cases "
                   f"given a new date {len(late or [])}\n", f"503 and no e-mail channel ({p.stderr})")
    # the morning's round gave every late case a new date, three days on;
    # staff still see them among the late ones (the promise was broken)
    p, still = kt.run_json(["case", "list", "--json", "--overdue"], db=db, env=env0)
    f.eq(sorted(c["case_id"] for c in still or []), sorted(c["case_id"] for c in late or []),
         "the same cases are still late for staff")
    for c in late or []:
        p, full = kt.run_json(["case", "show", "--json", c["case_id"]], db=db, env=env0)
        f.eq((full or {}).get("promised_at"), "2026-11-26", f"{c['case_id']}'s new date")
        f.eq([e["event"] for e in (full or {}).get("timeline", [])][-1:], ["late"],
             f"{c['case_id']}'s timeline says it was late")
    now = messages()
    f.check(all(m[3] == "pending" and "503" in m[5] for m in now if m[2] == "sms"),
            f"the SMS wait with the gateway's answer: {now}")
    f.check(all(m[3] == "failed" and "e-mail" in m[5] for m in now if m[2] == "email"),
            f"the e-mails failed: no e-mail channel: {now}")
    sent_ids = [r["id"] for r in requests()]
    f.eq(sorted(sent_ids), sorted(m[4] for m in sms), "each SMS was offered once, by its id")

    # ---- accepted, then the sender dies before it marks them sent ---------
    gateway(status=200, delay=5)
    before = len(requests())
    pr = subprocess.Popen([kt.KIOSK, "notify", "run", "--config", cfg, "--db", db],
                          env=dict(os.environ, KIOSK_NOW=at(3)), stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    end = time.monotonic() + 20
    while len(requests()) == before and time.monotonic() < end:
        time.sleep(0.05)
    time.sleep(0.3)
    pr.send_signal(signal.SIGKILL)
    pr.wait()
    taken = [r["id"] for r in requests()[before:]]
    f.check(taken, "the gateway got a message before the kill")
    f.check(all(m[3] == "pending" for m in messages() if m[2] == "sms"),
            "nothing was marked sent by the killed sender")
    gateway(delay=0)
    p = notify(4)
    f.eq(p.stdout, "sent 0, to try again later 0, failed 0, late cases given a new date 0\n",
         "the killed sender's claim holds for its lease")
    p = notify(6)
    f.eq(p.stdout, f"sent {len(sms)}, to try again later 0, failed 0, late cases given a new date "
                   "0\n", f"after the lease every SMS is sent ({p.stderr})")
    again = [r["id"] for r in requests()[before + len(taken):]]
    f.check(set(taken) <= set(again), "the one the gateway had is sent again with the same id")
    f.check(all(m[3] == "sent" for m in messages() if m[2] == "sms"), "and all are marked sent")
    last = requests()[-1]
    f.check(last["login"] and last["path"] == "/sms", "with the gateway login")
    f.check(all(r["form"]["to"][0].startswith("+46") for r in requests()),
            f"to numbers in E.164: {[r['form']['to'] for r in requests()]}")
    f.check(all(r["form"]["from"] == ["Hemelektr"] for r in requests()), "from the store's name")
    f.check(all("K-0000" in r["form"]["message"][0] for r in requests()),
            "each SMS names its case")

    # ---- two senders at once: each message once -------------------------------
    for state in ("at_repair", "back_from_repair", "ready_for_pickup", "at_repair",
                  "back_from_repair", "ready_for_pickup"):
        p = kt.run(["case", "update", "K-000008", "--state", state, "--staff", "S002"],
                   stdin="2580\n", db=db, env={"KIOSK_NOW": at(7)})
        f.eq(p.returncode, 0, f"state {state}: {p.stderr}")
    new = [m[4] for m in messages() if m[3] == "pending"]
    f.eq(len(new), 6, "six new messages")
    gateway(delay=0.2)
    start = len(requests())
    procs = [subprocess.Popen([kt.KIOSK, "notify", "run", "--once", "--config", cfg, "--db", db],
                              env=dict(os.environ, KIOSK_NOW=at(8)), stdout=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [pr.communicate(timeout=120)[0] for pr in procs]
    got = [r["id"] for r in requests()[start:]]
    f.eq(sorted(got), sorted(new), f"each of the six sent once by two senders: {outs}")
    f.check(all(m[3] == "sent" for m in messages() if m[4] in new), "all marked sent")

    # ---- a gateway that refuses for a day: the message has failed ---------
    p = kt.run(["case", "update", "K-000008", "--state", "closed", "--staff", "S002"],
               stdin="2580\n", db=db, env={"KIOSK_NOW": at(9)})
    gateway(status=500)
    p = notify(10)
    f.eq(p.stdout, "sent 0, to try again later 1, failed 0, late cases given a new date 0\n",
         "the first refusal: tried again later")
    p = kt.run(["notify", "run", "--once", "--config", cfg], db=db,
               env={"KIOSK_NOW": "2026-11-24T10:11:00+01:00"})
    f.eq(p.stdout, "sent 0, to try again later 0, failed 1, late cases given a new date 0\n",
         "a day after its first try it has failed, for the counter to see")

    # ---- a promise that was not kept: the morning after, one apology that
    # names the promise and the new date ---------------------------------------
    import configparser
    import datetime
    sv = configparser.ConfigParser(interpolation=None)
    sv.read(os.path.join(os.environ["KIOSK_ASSETS"], "lang", "sv", "ui.ini"), encoding="utf-8")

    def words(iso):
        d = datetime.date.fromisoformat(iso)
        return (sv["ui"]["date"].replace("{d}", str(d.day)).replace("{y}", str(d.year))
                .replace("{month}", sv["ui"][f"month_{d.month}"]))

    # K-000008 (SMS) opens again with a promise for the 27th
    gateway(status=200, delay=0)
    case, promised = "K-000008", "2026-11-27"
    p = kt.run(["case", "update", case, "--state", "at_repair", "--next-step",
                "Vi lagar den.", "--promised", promised, "--staff", "S002"],
               stdin="2580\n", db=db, env={"KIOSK_NOW": "2026-11-24T10:12:00+01:00"})
    f.eq(p.returncode, 0, "opened again with a promise: " + p.stderr)
    after = datetime.date.fromisoformat(promised) + datetime.timedelta(days=1)
    p = kt.run(["notify", "run", "--once", "--config", cfg], db=db,
               env={"KIOSK_NOW": f"{after}T07:59:00+01:00"})
    f.eq(p.stdout, "sent 1, to try again later 0, failed 0, late cases given a new date 0\n",
         "the move with its new step is sent; not late before 08:00")
    before = len(requests())
    p = kt.run(["notify", "run", "--once", "--config", cfg], db=db,
               env={"KIOSK_NOW": f"{after}T08:30:00+01:00"})
    f.eq(p.returncode, 0, "the morning round: " + p.stderr)
    new_day = str(after + datetime.timedelta(days=3))
    p, full = kt.run_json(["case", "show", "--json", case], db=db, env=env0)
    f.eq((full or {}).get("promised_at"), new_day, "the case has its new date")
    got = [r["form"]["message"][0] for r in requests()[before:]
           if case in r["form"]["message"][0]]
    f.eq(len(got), 1, f"one SMS to the customer of {case}: {got}")
    f.check(got and words(promised) in got[0] and words(new_day) in got[0]
            and "Förlåt" in got[0], f"it names the promise and the new date: {got}")
    p = kt.run(["notify", "run", "--once", "--config", cfg], db=db,
               env={"KIOSK_NOW": f"{after}T12:00:00+01:00"})
    f.eq(len([r for r in requests()[before:] if case in r["form"]["message"][0]]), 1,
         "and only once")
except AssertionError as e:
    f.check(False, str(e))
finally:
    gw.terminate()
f.done()
