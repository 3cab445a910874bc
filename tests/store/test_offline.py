"""Offline (issue 14): kiosks keep taking cases while the chain's PostgreSQL
database is down, and every case reaches it exactly once.

On a throwaway PostgreSQL cluster, with two kiosks that each have a journal
(an SQLite file) and run the kiosk's own register use case (race_tool
kiosk, which calls offline_register as `kiosk run` does):

1. The store's receipts are cached in each journal (`kiosk offline sync
   --once`); a refresh once the window has moved on drops the old ones.
2. Both kiosks register cases one after another; the server is crashed
   (pg_ctl stop -m immediate) in the middle and started again later. Cases
   go online, offline, online. Every acknowledged case is in the chain once
   sync has run, with its lines and timeline (registered + offline), its
   offline number (K- store, kiosk, number), and nothing else.
3. A conflict: kiosk 1 is offline and takes a return of a receipt line
   from its cache; meanwhile kiosk 2, online, returns the same line. The
   replayed case ends waiting for staff, with the reason in its timeline.
4. SIGKILL during replay: 600 cases taken offline (500 more each time they
   are all sent), `kiosk offline sync
   --once` killed at random moments until at least 200 kills landed while
   it ran; then it runs to its end: 0 lost, 0 doubled (one row per key,
   one "offline" event per case).
5. The counter's source (kiosk_journals) said what was still waiting, and
   says 0 at the end; `kiosk offline status` agrees.
"""
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import kiosktest as kt
import pgcluster

TOOL = os.environ["RACE_TOOL"]
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "ui", "fixtures")
KILLS = int(os.environ.get("OFFLINE_KILLS", "200"))
RECEIPT = "RS004200320261120000042"   # 12 lines, bought 2026-11-20 in store 0042
KETTLE = "RS004200320261122001234"    # line 2: two headphones

why = pgcluster.available()
if why:
    kt.skip_all(why)
f = kt.Failures()
tmp = kt.tempdir()
cl = pgcluster.cluster()
db = cl.database("chain")
env = dict(os.environ, KIOSK_NOW="2026-11-23T10:00:00+01:00")


def kiosk_ini(n):
    path = os.path.join(tmp, f"kiosk{n}.ini")
    with open(path, "w") as w:
        w.write(f"[kiosk]\nname = Kiosk {n}\n[offline]\njournal = {tmp}/journal{n}.db\n"
                f"kiosk_number = {n}\npoll_ms = 200\n")
    return path


def run(args, clock=env, **kw):
    return kt.run(args, db=db, env=clock, **kw)


def sync(ini, **kw):
    return run(["offline", "sync", "--once", "--json", "--config", ini], **kw)


def chain(sql):
    return pgcluster.psql(db, sql)


def journal(n, sql):
    return kt.sql_value(os.path.join(tmp, f"journal{n}.db"), sql)


ini = {1: kiosk_ini(1), 2: kiosk_ini(2)}
p = run(["import", os.path.join(FIXTURES, "receipts.csv")])
f.eq(p.returncode, 0, "receipts imported into the chain: " + p.stderr)

# --- 1. the receipt cache ----------------------------------------------------
for n in (1, 2):
    p = sync(ini[n])
    f.eq(p.returncode, 0, f"kiosk {n}: first sync: {p.stderr}")
    f.check('"receipts_cached":\t2' in p.stdout,
            f"kiosk {n}: the store's two receipts of the last 14 days cached: {p.stdout}")
f.eq(journal(1, "SELECT count(*) FROM receipts"), "2", "the August receipt is not cached")
# a kiosk without a journal, or with a bad one, is told in one line and
# nothing is made
bare = os.path.join(tmp, "bare.ini")
with open(bare, "w") as w:
    w.write("[kiosk]\nname = Kiosk 9\n")
for args in (["offline", "sync", "--once"], ["offline", "status"]):
    p = run(args + ["--config", bare])
    f.eq((p.returncode, p.stderr.count("\n")), (2, 1), f"{args[1]} without a journal: {p.stderr}")
    f.check("no offline journal" in p.stderr, f"{args[1]} says why: {p.stderr}")
with open(bare, "a") as w:
    w.write(f"[offline]\njournal = {tmp}/bad.db\nkiosk_number = 100\n")
p = run(["offline", "sync", "--once", "--config", bare])
f.eq(p.returncode, 1, "kiosk_number 100 refused")
f.check("kiosk_number must be a whole number from 1 to 99" in p.stderr, f"and why: {p.stderr}")
f.check(not os.path.exists(f"{tmp}/bad.db"), "no journal made for a refused configuration")
with open(bare, "w") as w:
    w.write(f"[offline]\njournal = {tmp}/bad.db\nkiosk_number = 1\nretry_seconds = 30s\n")
p = run(["offline", "sync", "--once", "--config", bare])
f.eq((p.returncode, p.stderr.count("\n")), (1, 1), "retry_seconds 30s refused in one line")
f.check('retry_seconds must be a whole number from 0 to 3600, not "30s"' in p.stderr,
        f"and why: {p.stderr}")
f.check(not os.path.exists(f"{tmp}/bad.db"), "no journal made for it")
# a month later the window has moved on: the copy drops what left it
p = sync(ini[1], clock=dict(env, KIOSK_NOW="2026-12-20T10:00:00+01:00"))
f.eq(p.returncode, 0, "a refresh a month later: " + p.stderr)
f.eq(journal(1, "SELECT (SELECT count(*) FROM receipts) + (SELECT count(*) FROM receipt_lines)"),
     "0", "receipts bought before the window leave the copy, with their lines")
p = sync(ini[1])
f.check('"receipts_cached":\t2' in p.stdout, f"back on 23 November: cached again: {p.stdout}")


# --- 2. registrations across a crash of the server --------------------------
def kiosk(n, count, receipt=RECEIPT, line=None, delay=30):
    args = [TOOL, "kiosk", db, ini[n], str(count), receipt] + ([str(line)] if line else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(env, RACE_DELAY_MS=str(delay)))


procs = [kiosk(1, 60), kiosk(2, 60)]
time.sleep(0.5)
cl.stop("immediate")
time.sleep(0.8)
cl.start()
acked = []
for pr in procs:
    out, err = pr.communicate(timeout=300)
    f.eq(pr.returncode, 0, "a kiosk ran to its end: " + err[-300:])
    # (libpq's own notice of the crash may stand on stderr; a refusal reads "race_tool:")
    f.eq([e for e in err.splitlines() if e.startswith("race_tool")], [],
         "every registration was acknowledged, online or offline")
    acked += [line.split() for line in out.splitlines()]
where = Counter(a[1] for a in acked)
f.eq(len(acked), 120, "120 cases acknowledged")
f.check(where["offline"] > 0 and where["online"] > 0,
        f"some cases were taken online and some offline: {dict(where)}")
# offline numbers carry the store and the kiosk; a case whose save in the
# chain was not confirmed (the crash came with its COMMIT) keeps the number
# the chain gave it (test_pg_lost_answer)
own = [a[0] for a in acked if a[1] == "offline" and re.fullmatch(r"K-0042(01|02)\d{6}", a[0])]
unconfirmed = [a[0] for a in acked if a[1] == "offline" and re.fullmatch(r"K-\d{6}", a[0])]
f.eq(len(own) + len(unconfirmed), where["offline"],
     f"offline numbers carry the store and the kiosk (or are the chain's): {acked}")
f.check(all(re.fullmatch(r"K-\d{6}", a[0]) for a in acked if a[1] == "online"),
        "online numbers are the chain's")
waiting = int(chain("SELECT COALESCE(SUM(pending), 0) FROM kiosk_journals"))
for n in (1, 2):
    p = sync(ini[n])
    f.eq(p.returncode, 0, f"kiosk {n}: replay: {p.stderr}")
ids = chain("SELECT string_agg(id, ' ' ORDER BY id) FROM cases").split()
f.eq(sorted(ids), sorted(a[0] for a in acked), "every acknowledged case is in the chain, once")
f.eq(chain("SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_lines l"
           " WHERE l.case_seq = c.seq)"), "0", "every case has its line")
f.eq(chain("SELECT count(*) FROM cases c WHERE (SELECT count(*) FROM case_events e"
           " WHERE e.case_seq = c.seq AND e.event = 'registered') <> 1"), "0",
     "every case has one 'registered' event")
f.eq(chain("SELECT count(*) FROM cases c WHERE offline_key IS NOT NULL AND (SELECT count(*)"
           " FROM case_events e WHERE e.case_seq = c.seq AND e.event = 'offline') <> 1"), "0",
     "every case taken offline says so once in its timeline")
f.eq(chain("SELECT count(*) FROM cases WHERE offline_key IS NOT NULL AND id LIKE 'K-0042%'"),
     str(len(own)), "the chain knows which cases were taken offline")
online = ",".join(f"'{a[0]}'" for a in acked if a[1] == "online")
f.eq(chain(f"SELECT count(*) FROM cases WHERE offline_key IS NOT NULL AND id IN ({online})"),
     "0", "and that the others were not")
_, shown = kt.run_json(["case", "show", "--json", own[0]], db=db, env=env)
f.check(shown and shown.get("taken_offline") is True and shown["lines"][0]["description"],
        f"a replayed case reads as taken offline, with its line: {shown}")
f.eq(chain("SELECT COALESCE(SUM(pending), 0) FROM kiosk_journals"), "0",
     f"the counter's line says nothing waits any more (said {waiting} before the replay)")
p = kt.run(["offline", "status", "--config", ini[1]], db=db, env=env)
f.eq(p.stdout.strip(), "no case waits to be sent", "kiosk offline status agrees")

# --- 3. a conflict -----------------------------------------------------------
cl.stop("immediate")
# a case taken offline exists only in the kiosk's journal: it is on the
# kiosk's disk before it is acknowledged (a power cut keeps only that)
traced = [TOOL, "kiosk", db, ini[1], "1", RECEIPT]
acks, unflushed = kt.unflushed_acks(traced, f"{tmp}/journal1.db-wal", env=env)
f.check(acks == 1 and unflushed == 0,
        f"a case taken offline is flushed to the journal before it is acknowledged ({acks}, "
        f"{unflushed})")
pr = kiosk(1, 1, KETTLE, line=1)
out, err = pr.communicate(timeout=120)
offline_case = out.split()
f.check(len(offline_case) == 4 and offline_case[1] == "offline" and offline_case[2] == "refund",
        f"offline, the kettle's return is decided from the cache: {out} {err}")
cl.start()
pr = kiosk(2, 1, KETTLE, line=1)
out, err = pr.communicate(timeout=120)
f.check(out.split()[1:2] == ["online"], f"online at kiosk 2, the same kettle returned: {out} {err}")
p = sync(ini[1])
f.check(p.returncode == 0 and '"to_staff":\t1' in p.stdout,
        f"the replay hands the conflicting case to staff: {p.stdout} {p.stderr}")
cid = offline_case[0] if offline_case else "?"
f.eq(chain(f"SELECT state || ' ' || outcome FROM cases WHERE id = '{cid}'"),
     "waiting_for_staff staff", "the conflicting case waits for staff")
f.check("0 left to return" in chain(
    f"SELECT text FROM case_events e JOIN cases c ON c.seq = e.case_seq WHERE c.id = '{cid}'"
    " AND e.event = 'offline_conflict'"), "the reason is in its timeline")

# --- 4. SIGKILL during replay ------------------------------------------------
cl.stop("immediate")
pr = kiosk(2, 600, delay=0)
out, err = pr.communicate(timeout=300)
taken = [line.split()[0] for line in out.splitlines() if line.split()[1] == "offline"]
f.eq(len(taken), 600, "600 cases taken offline at kiosk 2")
cl.start()
rng = random.Random(14)
kills = runs = 0


def unsent():
    return int(journal(2, "SELECT count(*) FROM cases WHERE offline_key IS NOT NULL"
                          " AND sent_s IS NULL"))


# Watching the journal from here (a reader of the WAL file; it never blocks
# the replay's writes): a kill is aimed at a random moment after the replay
# has sent its first case, and counts when it landed while the replay was
# still sending (fewer cases waiting after it than before, some still waiting
# or the process still alive when killed).
watch = sqlite3.connect(f"file:{tmp}/journal2.db?mode=ro", uri=True, timeout=5)


def unsent_now():
    return watch.execute("SELECT count(*) FROM cases WHERE offline_key IS NOT NULL"
                         " AND sent_s IS NULL").fetchone()[0]


while kills < KILLS and runs < KILLS * 4:
    runs += 1
    before = unsent_now()
    pr = subprocess.Popen([kt.KIOSK, "offline", "sync", "--once", "--db", db, "--config", ini[2]],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 10
    while pr.poll() is None and unsent_now() >= before and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.02))
    alive = pr.poll() is None
    if alive:
        pr.kill()
    pr.wait()
    left = unsent_now()
    if alive and left < before:
        kills += 1
    if left == 0:
        # all sent before enough kills: take more offline
        cl.stop("immediate")
        more = kiosk(2, 500, delay=0).communicate(timeout=120)[0]
        taken += [line.split()[0] for line in more.splitlines()]
        cl.start()
watch.close()
f.check(kills >= KILLS, f"{kills} kills landed while a replay ran ({runs} runs)")
p = sync(ini[2])
f.eq(p.returncode, 0, "the replay after the kills runs to its end: " + p.stderr)
f.eq(unsent(), 0, "nothing left to send")
present = chain("SELECT string_agg(id, ' ') FROM cases WHERE offline_key IS NOT NULL"
                " AND id LIKE 'K-004202%'").split()
f.eq(sorted(set(taken) - set(present)), [], "0 lost")
f.eq([i for i, c in Counter(present).items() if c > 1], [], "0 doubled (case numbers)")
f.eq(chain("SELECT count(*) FROM (SELECT offline_key FROM cases WHERE offline_key IS NOT NULL"
           " GROUP BY offline_key HAVING count(*) > 1) d"), "0", "0 doubled (keys)")
f.eq(chain("SELECT count(*) FROM cases c WHERE offline_key IS NOT NULL AND (SELECT count(*)"
           " FROM case_events e WHERE e.case_seq = c.seq AND e.event IN ('offline',"
           " 'offline_conflict')) <> 1"), "0", "one arrival event per case, however often killed")
f.eq(chain("SELECT count(*) FROM outbox o JOIN cases c ON c.seq = o.case_seq"
           " WHERE c.offline_key IS NOT NULL"), "0",
     "no customer message for cases without a contact")
print(f"offline: {dict(where)} at the crash; {kills} kills in {runs} replay runs, "
      f"{len(taken)} cases")
f.done()
