/* The audit log: append-only rows, chained by hash.
 *
 * Every audit row has a link in audit_chain, appended by a trigger in the
 * same transaction: link = SHA-256(previous link || at_s "\0" at_off "\0"
 * actor "\0" action "\0" detail), numbers in decimal, the first link's
 * previous one empty. SQLite computes it with kiosk_audit_link (audit_link.c,
 * registered on each connection), PostgreSQL with its own sha256() over
 * the same bytes. The triggers refuse changes to
 * either table; store_audit_verify finds what got past them: a trigger
 * dropped or disabled, a row edited or deleted, a row added unchained. */
#include <inttypes.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/audit_link.h"
#include "store/store.h"
#include "store/store_private.h"

_Static_assert(AUDIT_LINK_BYTES == STORE_AUDIT_LINK_BYTES, "one link size");

int store_audit_row(struct store *s, struct kiosk_time at, const char *actor,
		    const char *action, const char *detail, struct kiosk_why *why)
{
	static const char sql[] =
		"INSERT INTO audit_log (at_s, at_off, actor, action, detail) VALUES (?, ?, ?, ?, ?)";
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, at.unix_s);
	db_bind_int(st, 2, at.offset_min);
	store_bind_text(st, 3, actor);
	store_bind_text(st, 4, action);
	store_bind_text(st, 5, detail);
	/* nothing reads it back in the transaction: on PostgreSQL it goes
	 * with what follows (the commit, most often) */
	return store_step_later(s, st, "write the audit log", why);
}

int store_audit_append(struct store *s, struct kiosk_time at, const char *actor,
		       const char *action, const char *detail, struct kiosk_why *why)
{
	if (!action || !*action)
		return kiosk_fail(why, KIOSK_EINVAL, "An audit-log entry needs an action.");
	return store_audit_row(s, at, actor && *actor ? actor : "system", action, detail, why);
}

/* ---- verify ---------------------------------------------------------------- */

/* The triggers that keep the log append-only and chained, per engine. */
static const char *const guards_sqlite[] = {
	"audit_log_no_update",	 "audit_log_no_delete",	  "audit_log_no_replace", "audit_log_chain",
	"audit_chain_no_update", "audit_chain_no_delete", "audit_chain_no_replace"};
static const char *const guards_pg[] = {"audit_log_append_only", "audit_log_no_truncate",
					"audit_log_chain", "audit_chain_append_only",
					"audit_chain_no_truncate"};

static void tell(struct audit_check *out, void (*fn)(void *, const char *), void *arg,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void tell(struct audit_check *out, void (*fn)(void *, const char *), void *arg,
		 const char *fmt, ...)
{
	char line[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	out->problems++;
	if (fn)
		fn(arg, line);
}

static int check_guards(struct store *s, struct audit_check *out,
			void (*fn)(void *, const char *), void *arg, struct kiosk_why *why)
{
	static const char sql_sqlite[] =
		"SELECT name FROM sqlite_master WHERE type = 'trigger'"
		" AND tbl_name IN ('audit_log', 'audit_chain')";
	static const char sql_pg[] =
		"SELECT t.tgname FROM pg_catalog.pg_trigger t"
		" JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
		" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
		" WHERE c.relname IN ('audit_log', 'audit_chain') AND n.nspname = current_schema()"
		" AND NOT t.tgisinternal AND t.tgenabled <> 'D'";
	bool pg = store_dialect(s) == DB_POSTGRES;
	const char *const *want = pg ? guards_pg : guards_sqlite;
	int n_want = pg ? (int)(sizeof guards_pg / sizeof *guards_pg)
			: (int)(sizeof guards_sqlite / sizeof *guards_sqlite);
	bool have[8] = {false};
	struct db_stmt *st = store_stmt(s, pg ? sql_pg : sql_sqlite, why);
	if (!st)
		return KIOSK_EIO;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		for (int i = 0; i < n_want; i++)
			if (name && strcmp(name, want[i]) == 0)
				have[i] = true;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, "read the audit log's triggers", why);
	for (int i = 0; i < n_want; i++)
		if (!have[i])
			tell(out, fn, arg,
			     "The audit log's trigger %s is %s: rows can be changed, removed or "
			     "added unchained without a trace.",
			     want[i], pg ? "missing or disabled" : "missing");
	return 0;
}

static int check_chain(struct store *s, struct audit_check *out,
		       void (*fn)(void *, const char *), void *arg, struct kiosk_why *why)
{
	static const char sql[] =
		"SELECT c.seq, c.audit_id, c.link, CASE WHEN a.id IS NULL THEN 0 ELSE 1 END,"
		" a.at_s, a.at_off, a.actor, a.action, a.detail"
		" FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.audit_id ORDER BY c.seq";
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	db_stream(st);
	unsigned char prev[STORE_AUDIT_LINK_BYTES], want[STORE_AUDIT_LINK_BYTES];
	size_t prev_n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 1);
		int n = 0;
		const unsigned char *link = db_col_blob(st, 2, &n);
		out->links++;
		out->head_seq = db_col_int64(st, 0);
		if (!db_col_int(st, 3)) {
			tell(out, fn, arg, "Audit row %" PRId64 " is gone: it was deleted after it was written.", id);
		} else {
			const char *action = db_col_text(st, 7);
			audit_link(prev, prev_n, db_col_int64(st, 4), db_col_int64(st, 5),
					 db_col_text(st, 6), action, db_col_text(st, 8), want);
			if (n != STORE_AUDIT_LINK_BYTES || !link ||
			    sodium_memcmp(want, link, STORE_AUDIT_LINK_BYTES) != 0) {
				tell(out, fn, arg,
				     "Audit row %" PRId64 " (%.40s) does not match its link: it, or the row "
				     "before it in the chain, was changed after it was written.",
				     id, action ? action : "");
			}
		}
		prev_n = n == STORE_AUDIT_LINK_BYTES && link ? (size_t)n : 0;
		if (prev_n)
			memcpy(prev, link, prev_n);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, "read the audit chain", why);
	memcpy(out->head, prev, prev_n);
	return 0;
}

static int check_unchained(struct store *s, struct audit_check *out,
			   void (*fn)(void *, const char *), void *arg, struct kiosk_why *why)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM audit_log), count(*), COALESCE(MIN(a.id), 0),"
		" COALESCE(MAX(a.id), 0) FROM audit_log a"
		" WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)";
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->rows = db_col_int64(st, 0);
		int64_t n = db_col_int64(st, 1), lo = db_col_int64(st, 2), hi = db_col_int64(st, 3);
		if (n)
			tell(out, fn, arg,
			     "%" PRId64 " audit row%s (ids %" PRId64 " to %" PRId64 ") %s not in the "
			     "chain: added while the chain's trigger was off.",
			     n, n == 1 ? "" : "s", lo, hi, n == 1 ? "is" : "are");
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : store_sql_fail(s, "count the audit log", why);
}

int store_audit_verify(struct store *s, void (*problem)(void *arg, const char *sentence),
		       void *arg, struct audit_check *out, struct kiosk_why *why)
{
	memset(out, 0, sizeof *out);
	int rc = store_connected(s, why);
	if (!rc)
		rc = check_guards(s, out, problem, arg, why);
	if (!rc)
		rc = check_chain(s, out, problem, arg, why);
	if (!rc)
		rc = check_unchained(s, out, problem, arg, why);
	return rc;
}
