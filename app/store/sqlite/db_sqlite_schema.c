/* The database schema as numbered migrations (PRAGMA user_version).
 *
 * Migrations are append-only: a released migration is never edited, a
 * change is a new entry at the end. store_open runs the missing ones in
 * order, each in its own transaction together with its user_version bump,
 * so an old kiosk database upgrades in place and a half-applied migration
 * cannot exist. tests/store/ keeps a frozen copy of a version-1 database
 * to prove it.
 *
 * Conventions: instants are two columns, unix seconds (*_s) and the UTC
 * offset in minutes (*_off) they were expressed in; local days are days
 * since 1970-01-01; money is integer minor units; enums are stored by
 * their stable names from domain/model.h. */
#include <stddef.h>
#include <stdio.h>

#include "store/db.h"
#include "store/sqlite/db_sqlite.h"
#include "store/store_migrations.h"

/* Version 1: receipts, cases with their lines and timeline, staff, and the
 * append-only audit log. */
static const char migration_1[] =
	"CREATE TABLE stores ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL DEFAULT ''"
	");"
	/* rid keeps receipt_lines narrow: a 1 M-line import writes the text id
	 * once per receipt, not once per line. */
	"CREATE TABLE receipts ("
	"  rid INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  store_id TEXT NOT NULL REFERENCES stores(id),"
	"  register_id TEXT NOT NULL,"
	"  purchased_s INTEGER NOT NULL,"
	"  purchased_off INTEGER NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  n_lines INTEGER NOT NULL,"
	/* BLAKE2b of the imported fields (dropped by migration 4) */
	"  digest BLOB NOT NULL"
	");"
	"CREATE TABLE receipt_lines ("
	"  rid INTEGER NOT NULL REFERENCES receipts(rid),"
	"  line INTEGER NOT NULL,"
	"  sku TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  quantity INTEGER NOT NULL,"
	"  unit_price INTEGER NOT NULL,"
	"  category TEXT NOT NULL,"
	"  PRIMARY KEY (rid, line)"
	") WITHOUT ROWID;"
	"CREATE TABLE cases ("
	"  seq INTEGER PRIMARY KEY,"             /* the number in K-000123 */
	"  id TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('return', 'fault')),"
	"  state TEXT NOT NULL,"
	"  store_id TEXT NOT NULL,"
	"  receipt_id TEXT,"                     /* NULL: no receipt */
	"  lang TEXT NOT NULL,"
	"  created_s INTEGER NOT NULL,"
	"  created_off INTEGER NOT NULL,"
	"  updated_s INTEGER NOT NULL,"
	"  updated_off INTEGER NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  rule TEXT NOT NULL,"
	"  explanation TEXT NOT NULL,"
	"  details TEXT NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  next_step TEXT NOT NULL,"
	"  promised_day INTEGER NOT NULL,"       /* 0: nothing promised */
	"  product TEXT NOT NULL,"
	"  customer_text TEXT NOT NULL,"
	"  contact TEXT,"                        /* only with wants_updates; purged */
	"  wants_updates INTEGER NOT NULL,"
	"  id_hash TEXT,"                        /* keyed hash of an ID document */
	"  receipt_printed INTEGER NOT NULL,"
	"  token_hash BLOB NOT NULL"             /* BLAKE2b of the token, never the token */
	");"
	"CREATE INDEX cases_receipt ON cases(receipt_id);"
	"CREATE INDEX cases_id_hash ON cases(id_hash);"
	"CREATE TABLE case_lines ("
	"  case_seq INTEGER NOT NULL REFERENCES cases(seq),"
	"  n INTEGER NOT NULL,"
	"  receipt_line INTEGER NOT NULL,"
	"  sku TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  unit_price INTEGER NOT NULL,"
	"  category TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  condition TEXT NOT NULL,"
	"  PRIMARY KEY (case_seq, n)"
	") WITHOUT ROWID;"
	"CREATE TABLE case_events ("
	"  id INTEGER PRIMARY KEY,"
	"  case_seq INTEGER NOT NULL REFERENCES cases(seq),"
	"  at_s INTEGER NOT NULL,"
	"  at_off INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  event TEXT NOT NULL,"
	"  text TEXT NOT NULL"
	");"
	"CREATE INDEX case_events_case ON case_events(case_seq, id);"
	"CREATE TABLE staff ("
	"  seq INTEGER PRIMARY KEY,"             /* the number in S001 */
	"  id TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK (role IN ('staff', 'manager')),"
	"  pin_hash TEXT NOT NULL,"              /* crypto_pwhash_str (argon2id) */
	"  active INTEGER NOT NULL,"
	"  card_code TEXT NOT NULL UNIQUE,"
	"  created_s INTEGER NOT NULL"
	");"
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at_s INTEGER NOT NULL,"
	"  at_off INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT NOT NULL"
	");"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

/* Version 2: staff card lockout, talk-to-a-person calls, and the close
 * time of a case (the retention clock for contact details), back-filled
 * from the timeline of cases closed under version 1. */
static const char migration_2[] =
	"ALTER TABLE staff ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE staff ADD COLUMN locked_until_s INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN closed_s INTEGER;"
	"UPDATE cases SET closed_s = COALESCE("
	"  (SELECT MAX(e.at_s) FROM case_events e WHERE e.case_seq = cases.seq),"
	"  updated_s) WHERE state = 'closed';"
	"CREATE INDEX cases_closed ON cases(closed_s) WHERE closed_s IS NOT NULL;"
	"CREATE INDEX cases_created ON cases(created_s);"
	"CREATE TABLE staff_calls ("
	"  id INTEGER PRIMARY KEY,"
	"  kiosk TEXT NOT NULL,"
	"  case_id TEXT,"
	"  created_s INTEGER NOT NULL,"
	"  created_off INTEGER NOT NULL,"
	"  answered_s INTEGER,"
	"  answered_off INTEGER,"
	"  answered_by TEXT"
	");"
	"CREATE INDEX staff_calls_open ON staff_calls(id) WHERE answered_s IS NULL;";

/* Version 3: INSERT OR REPLACE could swap an audit row, because REPLACE
 * deletes without firing DELETE triggers (recursive_triggers is off). A
 * BEFORE INSERT trigger runs ahead of the conflict resolution. */
static const char migration_3[] =
	"CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log"
	" WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

/* Version 4: the import compares a re-imported receipt with its stored
 * rows instead of a digest (no hashing on the first import, no chance of
 * a collision), so the digest column goes. */
static const char migration_4[] = "ALTER TABLE receipts DROP COLUMN digest;";

/* Version 5: the counter's case list pages in SQL in its own order
 * (overdue, waiting for staff, the rest; newest first in each), each part
 * from an index: open cases by promised day, cases by state and creation
 * (the rest by cases_created). A page costs about what it shows. The
 * contact purge reads only closed cases that still hold contact details. */
static const char migration_5[] =
	"CREATE INDEX cases_state_created ON cases(state, created_s);"
	"CREATE INDEX cases_open_promised ON cases(promised_day, created_s)"
	" WHERE promised_day > 0 AND state <> 'closed';"
	/* the contact purge at every start: closed cases that still hold
	 * contact details, and only those (a purged case leaves the index) */
	"CREATE INDEX cases_contact_due ON cases(closed_s)"
	" WHERE state = 'closed' AND (contact IS NOT NULL OR wants_updates <> 0);";

/* Version 6: a chain's database. Calls carry the store of the kiosk that
 * made them (earlier calls: '', shown to every counter); a counter lists
 * its own store's cases first, so the list's indexes lead with the store. */
static const char migration_6[] = STORE_MIGRATION_6;

/* Version 7: the outbox. A message to a customer who asked for updates is
 * a row written in the same transaction as the change it tells about, and
 * sent later by a sender that claims it (claimed_until_s), marks it sent
 * with what it sent, or retries it with backoff and gives up a day after
 * its first try (first_try_s; status 'failed', shown at the counter).
 * recipient is the contact when
 * the row was made; the contact purge empties it and drops what is unsent. */
static const char migration_7[] = STORE_MIGRATION_7("INTEGER PRIMARY KEY", "INTEGER");

static const char migration_8[] = STORE_MIGRATION_8("INTEGER", "BLOB");

/* Version 9: the audit log chained by hash. Each audit row gets a link,
 * SHA-256 of the link before it and the row's fields
 * (kiosk_audit_link, registered on every connection by db_sqlite.c), in a
 * table of its own that a trigger appends to, so every way of adding an
 * audit row is chained and the rows themselves are not rewritten. `kiosk
 * audit verify` recomputes the chain: an edited, deleted or unchained row
 * is found. The rows already there are chained in id order. */
static const char migration_9[] =
	"CREATE TABLE audit_chain ("
	"  seq INTEGER PRIMARY KEY,"
	"  audit_id INTEGER NOT NULL UNIQUE,"
	"  link BLOB NOT NULL"
	");"
	"INSERT INTO audit_chain (audit_id, link)"
	" WITH RECURSIVE c(id, link) AS ("
	"  SELECT 0, X''"
	"  UNION ALL"
	"  SELECT a.id, kiosk_audit_link(c.link, a.at_s, a.at_off, a.actor, a.action, a.detail)"
	"  FROM c JOIN audit_log a ON a.id = (SELECT MIN(id) FROM audit_log WHERE id > c.id))"
	" SELECT id, link FROM c WHERE id > 0 ORDER BY id;"
	"CREATE TRIGGER audit_log_chain AFTER INSERT ON audit_log BEGIN"
	" INSERT INTO audit_chain (audit_id, link) VALUES (NEW.id, kiosk_audit_link("
	"  (SELECT link FROM audit_chain ORDER BY seq DESC LIMIT 1),"
	"  NEW.at_s, NEW.at_off, NEW.actor, NEW.action, NEW.detail)); END;"
	"CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_chain_no_replace BEFORE INSERT ON audit_chain"
	" WHEN EXISTS (SELECT 1 FROM audit_chain WHERE seq = NEW.seq OR audit_id = NEW.audit_id)"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

static const char migration_10[] = STORE_MIGRATION_10("INTEGER");

/* Version 11 changes PostgreSQL's receipt ids to byte order
 * (postgres/db_pg_schema.c); SQLite compares text bytewise already. */
static const char migration_11[] = "";
/* Version 12 lets PostgreSQL inline the audit link's SQL function
 * (postgres/db_pg_schema.c); SQLite's is C. */
static const char migration_12[] = "";
/* Version 13: SQLite's receipts lose receipts_store_purchased (version 10).
 * It is there for a kiosk's offline cache refresh, which reads a chain's
 * PostgreSQL database (where it stays); an SQLite file is one machine's,
 * and keeping the index cost a quarter of a 1 M-line import. A refresh from
 * an SQLite file reads its receipts table through. */
static const char migration_13[] = "DROP INDEX IF EXISTS receipts_store_purchased;";
/* Version 14 moves PostgreSQL's receipt keys into statement triggers
 * (postgres/db_pg_schema.c); SQLite checks a foreign key by an index probe in the
 * same call, and keeps them. */
static const char migration_14[] = "";

static const char *const migrations[] = {migration_1, migration_2, migration_3,
					 migration_4, migration_5, migration_6,
					 migration_7, migration_8, migration_9,
					 migration_10, migration_11, migration_12,
					 migration_13, migration_14};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(N_MIGRATIONS == DB_SCHEMA_VERSION, "a migration for every schema version");

static int db_fail(sqlite3 *db, const char *what, struct kiosk_why *why)
{
	int rc = sqlite3_errcode(db);
	return kiosk_fail(why, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? KIOSK_EBUSY : KIOSK_EIO,
			  "The database could not %s: %s.", what, sqlite3_errmsg(db));
}

static int user_version(sqlite3 *db, int *v, struct kiosk_why *why)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "read its schema version", why);
	int rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "read its schema version", why);
}

int db_sqlite_migrate_raw(sqlite3 *db, int target, struct kiosk_why *why)
{
	int v, rc;
	if ((rc = user_version(db, &v, why)))
		return rc;
	if (v > N_MIGRATIONS)
		return kiosk_fail(why, KIOSK_EVERSION,
				  "The database has schema version %d, newer than the version %d this "
				  "program knows; use a newer kiosk program with it.",
				  v, N_MIGRATIONS);
	if (target > N_MIGRATIONS)
		target = N_MIGRATIONS;
	if (v < target && db_sqlite_add_functions(db) != SQLITE_OK)
		return db_fail(db, "add its functions", why);
	while (v < target) {
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(db, "start a schema upgrade", why);
		/* Read again under the write lock: another kiosk process may have
		 * upgraded the file since the first look. */
		if ((rc = user_version(db, &v, why)))
			goto fail;
		if (v < target) {
			char bump[48], what[64];
			snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", v + 1);
			snprintf(what, sizeof what, "upgrade its schema to version %d", v + 1);
			if (sqlite3_exec(db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
			    sqlite3_exec(db, bump, NULL, NULL, NULL) != SQLITE_OK) {
				rc = db_fail(db, what, why);
				goto fail;
			}
			v++;
		}
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			rc = db_fail(db, "finish a schema upgrade", why);
			goto fail;
		}
	}
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
