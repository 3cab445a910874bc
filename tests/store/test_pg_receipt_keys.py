"""A receipt's lines need their receipt, and a receipt its store, on
PostgreSQL (schema 14: checked per statement by triggers, not per row by
foreign keys), in a new database and in one upgraded from version 13:

- a line whose receipt is not there, and a receipt whose store is not
  there, are refused, and so is the import of a file whose rows would
  make one; nothing of the statement stays;
- a receipt that still has lines, and a store that still has receipts,
  cannot be deleted or truncated away; both tables emptied together can;
- the columns they join on cannot change, and a receipt without a rid
  (the import hands them out) is refused;
- with two sessions at once: a line added to a stored receipt holds off a
  delete of that receipt until it commits, and the delete is then
  refused; a line added while the receipt is being deleted is refused
  once the delete commits. No line is ever left without its receipt.
"""
import os
import time

import kiosktest as kt
import pgcluster

why = pgcluster.available()
if why:
    kt.skip_all(why)

f = kt.Failures()
cl = pgcluster.cluster()
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "ui", "fixtures")
ORPHANS = ("SELECT count(*) FROM receipt_lines l"
           " WHERE NOT EXISTS (SELECT FROM receipts r WHERE r.rid = l.rid)")


def refused(dsn, sql, reason, what):
    try:
        pgcluster.psql(dsn, sql)
        f.check(False, f"{what}: allowed")
    except RuntimeError as e:
        f.check(reason in str(e), f"{what}: refused with {reason!r}, got {e}")


def imported(name):
    dsn = cl.database(name)
    p = kt.run(["import", os.path.join(FIXTURES, "receipts.csv")], db=dsn)
    f.eq(p.returncode, 0, f"{name}: receipts imported: " + p.stderr)
    return dsn


def waiting_on_lock(dsn, seconds=20):
    """Is some session of this database waiting for a row lock?"""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pgcluster.psql(dsn, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type"
                               " = 'Lock' AND datname = current_database()") != "0":
            return True
        time.sleep(0.05)
    return False


def check(dsn, name):
    rid = pgcluster.psql(dsn, "SELECT min(rid) FROM receipts")
    lines = pgcluster.psql(dsn, "SELECT count(*) FROM receipt_lines")
    refused(dsn, "INSERT INTO receipt_lines VALUES (999999, 1, 'x', 'x', 1, 1, 'x')",
            "a receipt line without its receipt", f"{name}: a line without a receipt")
    refused(dsn, f"INSERT INTO receipt_lines SELECT rid, 90 + rid, 'x', 'x', 1, 1, 'x'"
                 f" FROM receipts UNION ALL VALUES (999999, 1, 'x', 'x', 1, 1, 'x')",
            "a receipt line without its receipt", f"{name}: many lines, one without a receipt")
    f.eq(pgcluster.psql(dsn, "SELECT count(*) FROM receipt_lines"), lines,
         f"{name}: nothing of a refused statement stays")
    refused(dsn, "INSERT INTO receipts VALUES (999999, 'RX1', 'nowhere', '1', 0, 0, 'SEK', 1)",
            "a receipt of a store the database does not have", f"{name}: a receipt without a store")
    # the import hands rids out itself; a row without one is refused, not given rid 1
    refused(dsn, "INSERT INTO receipts (id, store_id, register_id, purchased_s, purchased_off,"
                 " currency, n_lines) VALUES ('RX2', '0042', '1', 0, 0, 'SEK', 1)",
            'null value in column "rid"', f"{name}: a receipt without a rid")
    refused(dsn, f"DELETE FROM receipts WHERE rid = {rid}",
            "receipts still has rows of receipt_lines", f"{name}: deleting a receipt with lines")
    refused(dsn, "TRUNCATE receipts", "receipts still has rows of receipt_lines",
            f"{name}: truncating receipts alone")
    refused(dsn, "DELETE FROM stores", "stores still has rows of receipts",
            f"{name}: deleting a store with receipts")
    refused(dsn, f"UPDATE receipt_lines SET rid = 999999 WHERE rid = {rid}",
            "receipt_lines keeps the columns other rows refer by", f"{name}: moving a line")
    refused(dsn, "UPDATE receipts SET store_id = 'nowhere'",
            "receipts keeps the columns other rows refer by", f"{name}: moving a receipt")
    refused(dsn, "BEGIN ISOLATION LEVEL REPEATABLE READ;"
                 f" DELETE FROM receipt_lines WHERE rid = {rid};"
                 f" DELETE FROM receipts WHERE rid = {rid}; COMMIT",
            "delete from receipts under READ COMMITTED or SERIALIZABLE",
            f"{name}: a delete that could not see a line committed meanwhile")
    try:
        pgcluster.psql(dsn, "BEGIN; UPDATE receipts SET n_lines = n_lines;"
                            f" DELETE FROM receipt_lines WHERE rid = {rid};"
                            f" DELETE FROM receipts WHERE rid = {rid};"
                            " TRUNCATE receipt_lines, receipts; DELETE FROM stores; ROLLBACK")
        f.check(True, "")
    except RuntimeError as e:
        f.check(False, f"{name}: a receipt with its lines, and both tables, go together: {e}")
    f.eq(pgcluster.psql(dsn, ORPHANS), "0", f"{name}: no line without its receipt")

    # a line added to a stored receipt, then a delete of that receipt
    a, b = pgcluster.Session(dsn), pgcluster.Session(dsn)
    a.send(f"BEGIN; INSERT INTO receipt_lines VALUES ({rid}, 98, 'x', 'x', 1, 1, 'x');")
    a.wait()
    b.send(f"BEGIN; DELETE FROM receipt_lines WHERE rid = {rid};"
           f" DELETE FROM receipts WHERE rid = {rid}; COMMIT;")
    f.check(waiting_on_lock(dsn), f"{name}: the delete waits for the line's transaction")
    a.send("COMMIT;")
    a.wait()
    b.wait()
    a_err, b_err = a.close(), b.close()
    f.eq(a_err, "", f"{name}: the line is added")
    f.check("receipts still has rows of receipt_lines" in b_err,
            f"{name}: then the delete is refused: {b_err!r}")
    f.eq(pgcluster.psql(dsn, f"SELECT count(*) FROM receipts WHERE rid = {rid}"), "1",
         f"{name}: the receipt is still there")

    # a receipt being deleted, then a line added to it
    other = pgcluster.psql(dsn, "SELECT max(rid) FROM receipts")
    a, b = pgcluster.Session(dsn), pgcluster.Session(dsn)
    b.send(f"BEGIN; DELETE FROM receipt_lines WHERE rid = {other};"
           f" DELETE FROM receipts WHERE rid = {other};")
    b.wait()
    a.send(f"INSERT INTO receipt_lines VALUES ({other}, 98, 'x', 'x', 1, 1, 'x');")
    f.check(waiting_on_lock(dsn), f"{name}: the line waits for the delete's transaction")
    b.send("COMMIT;")
    b.wait()
    a.wait()
    a_err, b_err = a.close(), b.close()
    f.eq(b_err, "", f"{name}: the receipt is deleted")
    f.check("a receipt line without its receipt" in a_err,
            f"{name}: then the line is refused: {a_err!r}")
    f.eq(pgcluster.psql(dsn, ORPHANS), "0", f"{name}: still no line without its receipt")


check(imported("new"), "new database")

# --- a version 13 database, with its foreign keys, is brought to 14 -----------------
old = imported("v13")
pgcluster.psql(old, pgcluster.UNDO_14 + " UPDATE kiosk_schema SET version = 13")
p = kt.run(["case", "list"], db=old)
f.eq(p.returncode, 0, "a version 13 database opens: " + p.stderr)
f.eq(pgcluster.psql(old, "SELECT version FROM kiosk_schema"), "14", "upgraded to version 14")
f.eq(pgcluster.psql(old, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                         " AND conrelid IN ('receipts'::regclass, 'receipt_lines'::regclass)"),
     "0", "its receipt keys are the triggers now")
check(old, "upgraded database")

# --- an import whose rows would leave a line without its receipt --------------------
# (a receipt of a stored id whose lines differ is refused by the import's
# own checks before any row is sent; here the triggers' refusal reaches
# the person running the import as one sentence, and nothing is stored)
dsn = imported("import")
pgcluster.psql(dsn, "CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS"
                    " $$BEGIN DELETE FROM receipts WHERE rid = NEW.rid; RETURN NULL; END$$;"
                    " CREATE TRIGGER sabotage AFTER INSERT ON receipts FOR EACH ROW"
                    " WHEN (NEW.id = 'RS004200120261123000001') EXECUTE FUNCTION sabotage()")
before = pgcluster.psql(dsn, "SELECT count(*) || '/' || (SELECT count(*) FROM receipt_lines)"
                             " FROM receipts")
csv = os.path.join(kt.tempdir(), "two.csv")
with open(csv, "w") as out:
    out.write("receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,"
              "currency,category\n"
              "RS004200120261123000001,0042,001,2026-11-23T09:00:00+01:00,1,7350000000001,"
              "Kaffe,1,49.00,SEK,electronics\n"
              "RS004200120261123000002,0042,001,2026-11-23T09:05:00+01:00,1,7350000000002,"
              "Te,1,39.00,SEK,electronics\n")
p = kt.run(["import", csv], db=dsn)
f.eq(p.returncode, 1, "the import fails")
REFUSED = (f"kiosk import: {csv}: The database could not save receipts: a receipt line without"
           " its receipt. (nothing was imported)")
f.eq(p.stderr.strip(), REFUSED, "in one sentence that says why")
f.eq(pgcluster.psql(dsn, "SELECT count(*) || '/' || (SELECT count(*) FROM receipt_lines)"
                         " FROM receipts"), before, "and nothing of the file is stored")

# A file of several 8 MiB blocks (the next block is parsed while one is
# written): a refusal in the first still stops the import, says why, and
# stores nothing.
with open(csv, "a") as out:
    for k in range(3, 150000):
        out.write(f"RS004200120261123{k:06d},0042,001,2026-11-23T09:05:00+01:00,1,"
                  f"7350000{k:06d},Te med en lite l\u00e4ngre beskrivning {k},1,39.00,SEK,"
                  "electronics\n")
f.check(os.path.getsize(csv) > 2 * (8 << 20), "the file is more than two blocks")
p = kt.run(["import", csv], db=dsn, timeout=300)
f.eq((p.returncode, p.stderr.strip()), (1, REFUSED), "a large file: the same refusal")
f.eq(pgcluster.psql(dsn, "SELECT count(*) || '/' || (SELECT count(*) FROM receipt_lines)"
                         " FROM receipts"), before, "and nothing of it is stored")
pgcluster.psql(dsn, "DROP TRIGGER sabotage ON receipts")
p = kt.run(["import", csv], db=dsn, timeout=300)
f.eq(p.returncode, 0, "without the sabotage the same file imports: " + p.stderr)
f.eq(pgcluster.psql(dsn, "SELECT count(*) FROM receipts WHERE id LIKE 'RS004200120261123%'"),
     "149999", "every receipt of it")
f.done()
