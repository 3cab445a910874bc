/* The schema upgrades after version 5 that SQLite and PostgreSQL share
 * word for word (the column types by macro): one text, two engines.
 * Included by the engines' schemas only (sqlite/db_sqlite_schema.c,
 * postgres/db_pg_schema.c). */
#ifndef KIOSK_STORE_MIGRATIONS_H
#define KIOSK_STORE_MIGRATIONS_H

/* Version 6: calls belong to a store, and the case list's indexes lead with
 * the store. */
#define STORE_MIGRATION_6 \
	"ALTER TABLE staff_calls ADD COLUMN store_id TEXT NOT NULL DEFAULT '';" \
	"CREATE INDEX staff_calls_store_open ON staff_calls(store_id, id)" \
	" WHERE answered_s IS NULL;" \
	"CREATE INDEX cases_store_state_created ON cases(store_id, state, created_s);" \
	"CREATE INDEX cases_store_created ON cases(store_id, created_s);" \
	"CREATE INDEX cases_store_open_promised ON cases(store_id, promised_day, created_s)" \
	" WHERE promised_day > 0 AND state <> 'closed';"

/* Version 7: the outbox; ID is the key column, INT the integer type. */
#define STORE_MIGRATION_7(ID, INT) \
	"CREATE TABLE outbox (" \
	"  id " ID "," \
	"  case_seq " INT " NOT NULL REFERENCES cases(seq)," \
	"  kind TEXT NOT NULL," \
	"  state_to TEXT NOT NULL DEFAULT ''," \
	"  channel TEXT NOT NULL," \
	"  recipient TEXT NOT NULL," \
	"  lang TEXT NOT NULL," \
	"  msg_id TEXT NOT NULL UNIQUE," \
	"  promised_day " INT " NOT NULL DEFAULT 0," \
	"  created_s " INT " NOT NULL," \
	"  created_off " INT " NOT NULL," \
	"  status TEXT NOT NULL DEFAULT 'pending'," \
	"  due_s " INT " NOT NULL," \
	"  attempts " INT " NOT NULL DEFAULT 0," \
	"  first_try_s " INT " NOT NULL DEFAULT 0," \
	"  claimed_until_s " INT " NOT NULL DEFAULT 0," \
	"  sent_s " INT "," \
	"  subject TEXT," \
	"  body TEXT," \
	"  last_error TEXT" \
	");" \
	"CREATE INDEX outbox_due ON outbox(due_s, id) WHERE status = 'pending';" \
	"CREATE INDEX outbox_case ON outbox(case_seq, id);"

/* Version 8: a promise that was not kept. The sender's morning round gives
 * a late case a new promised day; due_day keeps the promise that was broken
 * (until staff set another), so the counter's "late" list and the report's
 * kept-promise figure still see it. The open-case indexes move to it.
 * And a reprint's new code: token_next_hash holds it, valid beside the old
 * one, until the new receipt has printed (then it replaces the old one) or
 * failed (then it goes): a reprint cut short never voids the paper the
 * customer holds. And a call's context: where the customer was when they
 * asked for a person (screen, receipt, items chosen), for the counter. */
#define STORE_MIGRATION_8(INT, BLOB) \
	"ALTER TABLE cases ADD COLUMN token_next_hash " BLOB ";" \
	"ALTER TABLE staff_calls ADD COLUMN context TEXT NOT NULL DEFAULT '';" \
	"ALTER TABLE cases ADD COLUMN due_day " INT " NOT NULL DEFAULT 0;" \
	"UPDATE cases SET due_day = promised_day;" \
	"DROP INDEX cases_open_promised;" \
	"DROP INDEX cases_store_open_promised;" \
	"CREATE INDEX cases_open_due ON cases(due_day, created_s)" \
	" WHERE due_day > 0 AND state <> 'closed';" \
	"CREATE INDEX cases_store_open_due ON cases(store_id, due_day, created_s)" \
	" WHERE due_day > 0 AND state <> 'closed';"

/* Version 10: cases taken offline. A kiosk that cannot reach the chain's
 * database saves cases in its own journal (an embedded store) under
 * numbers of its own, each with an idempotency key made at the kiosk;
 * replayed into the chain, the key makes a second replay of the same case
 * a no-op (the unique index), and sent_s marks in the journal what has
 * reached the chain. kiosk_journals is each kiosk's last word on what it
 * still holds, for the counter. receipt_returns_elsewhere is, in a
 * journal, what the chain had returned of a cached receipt's lines by
 * cases not in this journal (empty in the chain itself).
 * receipts_store_purchased lets a kiosk's cache refresh read its own
 * store's recent receipts without reading the chain's millions. */
#define STORE_MIGRATION_10(INT) \
	"ALTER TABLE cases ADD COLUMN offline_key TEXT;" \
	"ALTER TABLE cases ADD COLUMN sent_s " INT ";" \
	"CREATE UNIQUE INDEX cases_offline_key ON cases(offline_key)" \
	" WHERE offline_key IS NOT NULL;" \
	"CREATE INDEX cases_unsent ON cases(seq)" \
	" WHERE offline_key IS NOT NULL AND sent_s IS NULL;" \
	"CREATE INDEX receipts_store_purchased ON receipts(store_id, purchased_s);" \
	"CREATE TABLE kiosk_journals (" \
	"  store_id TEXT NOT NULL," \
	"  kiosk TEXT NOT NULL," \
	"  pending " INT " NOT NULL," \
	"  oldest_s " INT " NOT NULL," \
	"  oldest_off " INT " NOT NULL," \
	"  seen_s " INT " NOT NULL," \
	"  seen_off " INT " NOT NULL," \
	"  PRIMARY KEY (store_id, kiosk)" \
	");" \
	"CREATE TABLE receipt_returns_elsewhere (" \
	"  rid " INT " NOT NULL," \
	"  line " INT " NOT NULL," \
	"  returned " INT " NOT NULL," \
	"  waiting " INT " NOT NULL," \
	"  PRIMARY KEY (rid, line)" \
	");"

#endif
