"""The audit log chained by hash (issue 13 point 4), on SQLite and on
PostgreSQL: `kiosk audit verify` says an untouched log is intact and gives
its head, which is the SHA-256 chain over the rows as the README defines
it (recomputed here independently); and it names, with exit 1, each thing
a person with the database's keys can do behind the kiosk's back: a guard
trigger dropped or disabled, a row edited, a row deleted, a row added with
the chain's trigger off. A database from before the chain is chained when
upgraded."""
import hashlib

import kiosktest as kt

f = kt.Failures()
tmp = kt.tempdir()
PG = kt.backend() == "postgresql"
n_db = 0


def fresh():
    """A new database with the demo data and a staff action on a case."""
    global n_db
    n_db += 1
    db = kt.database(tmp, f"a{n_db}.db")
    p = kt.run(["demo-data"], db=db)
    assert p.returncode == 0, p.stderr
    p = kt.run(["staff", "add", "--name", "Åsa Berg", "--role", "manager"], stdin="582914\n",
               db=db)
    assert p.returncode == 0, p.stderr
    sid = "S002"  # the demo's manager, PIN 2580
    p = kt.run(["case", "update", "K-000006", "--note", "Kunden ringde; ny del beställd",
                "--staff", sid], stdin="2580\n", db=db)
    assert p.returncode == 0, p.stderr
    return db, sid


def tamper(db, sqlite_sql, pg_sql):
    """Change the database as its owner would, behind the kiosk ({undo_14}
    in pg_sql: undo PostgreSQL's schema 14 first)."""
    if PG:
        import pgcluster
        pgcluster.psql(db, pg_sql.replace("{undo_14}", pgcluster.UNDO_14))
    else:
        import sqlite3
        con = sqlite3.connect(db)
        con.executescript(sqlite_sql)
        con.close()


def rows_of(db):
    sep = "\x1f"
    text = kt.sql_text(db, "SELECT id || '" + sep + "' || at_s || '" + sep + "' || at_off || '"
                       + sep + "' || actor || '" + sep + "' || action || '" + sep
                       + "' || replace(detail, char(10), '\\n') FROM audit_log ORDER BY id"
                       if not PG else
                       "SELECT id || E'\\x1f' || at_s || E'\\x1f' || at_off || E'\\x1f' || actor"
                       " || E'\\x1f' || action || E'\\x1f' || replace(detail, E'\\n', '\\n')"
                       " FROM audit_log ORDER BY id")
    return [l.split(sep) for l in text.splitlines() if l]


def chain_head(rows):
    link = b""
    for _, at_s, at_off, actor, action, detail in rows:
        detail = detail.replace("\\n", "\n")
        link = hashlib.sha256(link + f"{at_s}\0{at_off}\0{actor}\0{action}\0".encode()
                              + detail.encode()).digest()
    return link.hex()


def verify(db):
    p, v = kt.run_json(["audit", "verify", "--json"], db=db)
    return p.returncode, v or {}


# --- an untouched log is intact, its head is the documented chain ----------------
db, sid = fresh()
p = kt.run(["audit", "verify"], db=db)
rows = rows_of(db)
f.eq(p.returncode, 0, "an untouched audit log verifies: " + p.stderr)
f.check(f"The audit log is intact: {len(rows)} rows" in p.stdout, "it says so: " + p.stdout)
f.check(any(r[4] == "case.note" for r in rows), "the staff note is in the log")
rc, v = verify(db)
f.eq((v.get("rows"), v.get("links"), v.get("problems")), (len(rows), len(rows), []),
     "every row is linked once")
f.eq(v.get("head"), chain_head(rows), "the head is SHA-256 over the rows as the README defines")
f.check(v.get("head", "") in p.stdout, "and the plain output gives the head to keep")

# --- an edited row (its guard trigger dropped or disabled first) -----------------
db, sid = fresh()
victim = rows_of(db)[3][0]
tamper(db, "DROP TRIGGER audit_log_no_update;"
           f"UPDATE audit_log SET detail = 'nothing happened' WHERE id = {victim}",
       "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;"
       f"UPDATE audit_log SET detail = 'nothing happened' WHERE id = {victim}")
p = kt.run(["audit", "verify"], db=db)
f.eq(p.returncode, 1, "an edited row fails the check")
f.check(f"Audit row {victim} " in p.stderr and "changed after it was written" in p.stderr,
        "the edited row is named: " + p.stderr)
guard = "audit_log_append_only" if PG else "audit_log_no_update"
f.check(f"trigger {guard} is" in p.stderr, "and the missing guard: " + p.stderr)
f.check("NOT intact" in p.stderr, "the last line says the log is not intact")
f.eq(p.stderr.count(f"Audit row "), 1, "one edit is one problem, not every row after it")

# --- an edited row whose link was forged too: the next row gives it away -------
db, sid = fresh()
rows = rows_of(db)
victim, after = rows[3][0], rows[4][0]
if PG:
    tamper(db, "", "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;"
                   "ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only;"
                   f"UPDATE audit_log SET detail = 'x' WHERE id = {victim};"
                   "UPDATE audit_chain c SET link = kiosk_audit_link((SELECT p.link FROM"
                   " audit_chain p WHERE p.seq < c.seq ORDER BY p.seq DESC LIMIT 1), a.at_s,"
                   " a.at_off, a.actor, a.action, a.detail) FROM audit_log a"
                   f" WHERE a.id = c.audit_id AND a.id = {victim};"
                   "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;"
                   "ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only")
    p = kt.run(["audit", "verify"], db=db)
    f.eq(p.returncode, 1, "a forged link fails the check")
    f.check(f"Audit row {after} " in p.stderr, "the row after the forged one is named: "
            + p.stderr)
    f.check("trigger" not in p.stderr, "the guards were put back, so only the chain shows it")

# --- a deleted row ---------------------------------------------------------------
db, sid = fresh()
victim = rows_of(db)[5][0]
tamper(db, f"DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = {victim}",
       "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;"
       f"DELETE FROM audit_log WHERE id = {victim};"
       "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
p = kt.run(["audit", "verify"], db=db)
f.eq(p.returncode, 1, "a deleted row fails the check")
f.check(f"Audit row {victim} is gone" in p.stderr, "the deleted row is named: " + p.stderr)

# --- a row added with the chain's trigger off ----------------------------------
db, sid = fresh()
tamper(db, "DROP TRIGGER audit_log_chain; INSERT INTO audit_log (at_s, at_off, actor, action,"
           " detail) VALUES (1795000000, 60, 'S001', 'case.override', 'K-000001: approved')",
       "ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain; INSERT INTO audit_log (at_s,"
       " at_off, actor, action, detail) VALUES (1795000000, 60, 'S001', 'case.override',"
       " 'K-000001: approved'); ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain")
added = rows_of(db)[-1][0]
p = kt.run(["audit", "verify"], db=db)
f.eq(p.returncode, 1, "an unchained row fails the check")
f.check(f"1 audit row (ids {added} to {added}) is not in the chain" in p.stderr,
        "the unchained row is named: " + p.stderr)
f.eq("audit_log_chain" in p.stderr, not PG,
     "a dropped chain trigger is named (on PostgreSQL it was switched back on)")

# --- a database from before the chain is chained when it is upgraded -----------
db, sid = fresh()
# (version 10's offline tables go too: the database is as version 8 left it)
# (SQLite's version 13 has dropped receipts_store_purchased already)
V10 = ("DROP TABLE kiosk_journals; DROP TABLE receipt_returns_elsewhere;"
       " DROP INDEX cases_offline_key; DROP INDEX cases_unsent;"
       " ALTER TABLE cases DROP COLUMN offline_key; ALTER TABLE cases DROP COLUMN sent_s;")
tamper(db, V10 + "DROP TRIGGER audit_log_chain; DROP TABLE audit_chain; PRAGMA user_version = 8",
       "{undo_14}" + V10 + "DROP INDEX receipts_store_purchased; ALTER SEQUENCE case_numbers NO MAXVALUE;"
       "DROP TABLE audit_chain; DROP FUNCTION kiosk_audit_chain() CASCADE;"
       " DROP FUNCTION kiosk_audit_link(bytea, bigint, bigint, text, text, text);"
       " UPDATE kiosk_schema SET version = 8")
rows = rows_of(db)
rc, v = verify(db)
f.eq((rc, v.get("rows"), v.get("links"), v.get("head")), (0, len(rows), len(rows), chain_head(rows)),
     f"an upgraded database has every old row chained in order: {v.get('problems')}")
p = kt.run(["case", "update", "K-000006", "--note", "efter uppgraderingen", "--staff", sid],
           stdin="2580\n", db=db)
f.eq(p.returncode, 0, "a staff note after the upgrade: " + p.stderr)
rc, v = verify(db)
f.eq((rc, v.get("problems")), (0, []), "and rows written after it go on the same chain")

# --- bad input: a clear line, nothing done --------------------------------------
p = kt.run(["audit", "check"], db=db)
f.eq(p.returncode, 2, "an unknown audit action is a usage error")
f.check("kiosk audit verify" in p.stderr, "it names the right form: " + p.stderr)
f.done()
