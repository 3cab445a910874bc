/* The import's row path (store_receipts.c has the import around it):
 * every receipt on SQLite, and on PostgreSQL those COPY leaves to it
 * (already stored, or more rows of one this import wrote).
 *
 * Idempotency: receipts are inserted 32 to a statement, under rids handed
 * out here, with ON CONFLICT DO NOTHING. When the change count says some
 * were already there, each of those 32 is looked up once: its own rid means
 * new; another rid means it was there before, and the stored header and
 * lines are compared field by field with the file's: equal means "already here,
 * skipped", different means the file disagrees with the database and the
 * whole import is refused and rolled back. (Schema 1 to 3 kept a digest
 * instead; comparing the real rows costs nothing on a first import, which
 * is the one that must be fast, and cannot collide.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

static const char sql_receipt_get[] =
	"SELECT rid, store_id, register_id, purchased_s, purchased_off, currency, n_lines"
	" FROM receipts WHERE id = ?";
static const char sql_line_exists[] = "SELECT 1 FROM receipt_lines WHERE rid = ? AND line = ?";
static const char sql_receipt_more_lines[] =
	"UPDATE receipts SET n_lines = n_lines + ? WHERE rid = ?";
/* Pieces of receipts that were there before the import, by line, until
 * the commit checks that they add up (see record_piece). Dropped before
 * the commit; inside the import's transaction, so a rollback drops it too. */
static const char *const sql_pieces_create[] = {
	[DB_SQLITE] = "CREATE TEMP TABLE IF NOT EXISTS import_pieces"
		      " (rid INTEGER NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (rid, line))",
	[DB_POSTGRES] = "CREATE TEMP TABLE IF NOT EXISTS import_pieces"
			" (rid BIGINT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (rid, line))"
			" ON COMMIT DROP"};
static const char sql_piece_add[] =
	"INSERT INTO import_pieces (rid, line) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char sql_piece_seen[] = "SELECT 1 FROM import_pieces WHERE rid = ? LIMIT 1";
/* Receipt by receipt through its key (a subquery runs once per row): as a
 * join, under stale statistics PostgreSQL read every receipt for it. */
static const char sql_pieces_short[] =
	"SELECT (SELECT id FROM receipts WHERE rid = p.rid) FROM"
	" (SELECT rid, COUNT(*) AS n FROM import_pieces GROUP BY rid) AS p"
	" WHERE p.n <> (SELECT n_lines FROM receipts WHERE rid = p.rid) LIMIT 1";
static const char sql_pieces_drop[] = "DROP TABLE import_pieces";
static const char sql_lines_get[] =
	"SELECT line, sku, description, quantity, unit_price, category FROM receipt_lines"
	" WHERE rid = ? ORDER BY line";

/* Many rows per INSERT: a statement's fixed cost (step, cursors, halt) was
 * most of a 1 M-line import when it ran once per row. The counts are
 * compile-time so the SQL stays a literal for the statement cache. */
#define X1(s) s
#define X2(s) s s
#define X4(s) X2(s) X2(s)
#define X8(s) X4(s) X4(s)
#define X16(s) X8(s) X8(s)
#define X32(s) X16(s) X16(s)
#define RECEIPT_ROW "(?,?,?,?,?,?,?,?)"
#define RECEIPT_COLS 8
#define RECEIPT_ROWS 32
#define LINE_ROW "(?,?,?,?,?,?,?)"
#define LINE_COLS 7
#define LINE_ROWS 64

/* By dialect (db.h): SQLite's OR FAIL needs no statement journal (nothing
 * in one statement needs undoing on its own, because any failure aborts
 * the whole import); PostgreSQL has no such clause and needs none. ON
 * CONFLICT (id) DO NOTHING: a receipt already there is left as it is and
 * checked after. */
#define RECEIPT_INTO                                                                         \
	" INTO receipts (rid, id, store_id, register_id, purchased_s,"                        \
	" purchased_off, currency, n_lines) VALUES "
#define RECEIPT_MANY                                                                         \
	X16(RECEIPT_ROW ",") X8(RECEIPT_ROW ",") X4(RECEIPT_ROW ",") X2(RECEIPT_ROW ",")      \
	X1(RECEIPT_ROW ",") RECEIPT_ROW " ON CONFLICT (id) DO NOTHING"
static const char *const sql_receipt_insert[] = {
	[DB_SQLITE] = "INSERT OR FAIL" RECEIPT_INTO RECEIPT_ROW " ON CONFLICT (id) DO NOTHING",
	[DB_POSTGRES] = "INSERT" RECEIPT_INTO RECEIPT_ROW " ON CONFLICT (id) DO NOTHING"};
static const char *const sql_receipt_insert_many[] = {
	[DB_SQLITE] = "INSERT OR FAIL" RECEIPT_INTO RECEIPT_MANY,
	[DB_POSTGRES] = "INSERT" RECEIPT_INTO RECEIPT_MANY};
#define LINE_INTO                                                                            \
	" INTO receipt_lines (rid, line, sku, description, quantity, unit_price, category)"   \
	" VALUES "
#define LINE_MANY                                                                            \
	X32(LINE_ROW ",") X16(LINE_ROW ",") X8(LINE_ROW ",") X4(LINE_ROW ",") X2(LINE_ROW ",") \
	X1(LINE_ROW ",") LINE_ROW
static const char *const sql_line_insert[] = {
	[DB_SQLITE] = "INSERT OR FAIL" LINE_INTO LINE_ROW,
	[DB_POSTGRES] = "INSERT" LINE_INTO LINE_ROW};
static const char *const sql_line_insert_many[] = {
	[DB_SQLITE] = "INSERT OR FAIL" LINE_INTO LINE_MANY,
	[DB_POSTGRES] = "INSERT" LINE_INTO LINE_MANY};

static bool col_eq(struct db_stmt *st, int col, const char *v)
{
	const char *t = db_col_text(st, col);
	return t && !strcmp((const char *)t, v);
}

static bool line_equal(const struct receipt_line *a, struct db_stmt *st)
{
	return a->line == db_col_int(st, 0) &&
	       col_eq(st, 1, a->sku) &&
	       col_eq(st, 2, a->description) &&
	       a->quantity == db_col_int(st, 3) &&
	       a->unit_price == db_col_int64(st, 4) &&
	       col_eq(st, 5, a->category);
}

/* Lines of new receipts waiting for the next batched INSERT. The receipts
 * they point into belong to the caller and outlive one add_many call. */
struct pending {
	int n;
	int64_t rid[LINE_ROWS];
	const struct receipt_line *line[LINE_ROWS];
};

static void bind_line(struct db_stmt *st, int base, int64_t rid, const struct receipt_line *l)
{
	db_bind_int64(st, base + 1, rid);
	db_bind_int(st, base + 2, l->line);
	store_bind_text(st, base + 3, l->sku);
	store_bind_text(st, base + 4, l->description);
	db_bind_int(st, base + 5, l->quantity);
	db_bind_int64(st, base + 6, l->unit_price);
	store_bind_text(st, base + 7, l->category);
}

/* Write the pending lines: one statement when the buffer is full, else one
 * per line (the tail of an add_many call). */
static int flush_lines(struct store *s, struct pending *p, struct kiosk_why *why)
{
	int n = p->n, rc = 0;
	p->n = 0;
	if (n == LINE_ROWS) {
		struct db_stmt *st = store_stmt_rebound(s, sql_line_insert_many[store_dialect(s)], why);
		if (!st)
			return KIOSK_EIO;
		if (db_param_count(st) != n * LINE_COLS)
			return kiosk_fail(why, KIOSK_EIO, "The line INSERT has the wrong row count.");
		for (int i = 0; i < n; i++)
			bind_line(st, i * LINE_COLS, p->rid[i], p->line[i]);
		return store_step_done(s, st, "save receipt lines", why);
	}
	for (int i = 0; !rc && i < n; i++) {
		struct db_stmt *st = store_stmt_rebound(s, sql_line_insert[store_dialect(s)], why);
		if (!st)
			return KIOSK_EIO;
		bind_line(st, 0, p->rid[i], p->line[i]);
		rc = store_step_done(s, st, "save a receipt line", why);
	}
	return rc;
}

/* A new receipt's lines (add_checks has made sure no line number repeats). */
static int queue_lines(struct store *s, struct pending *p, const struct receipt *r,
		       int64_t rid, struct kiosk_why *why)
{
	for (int i = 0; i < r->n_lines; i++) {
		int rc;
		if (p->n == LINE_ROWS && (rc = flush_lines(s, p, why)))
			return rc;
		p->rid[p->n] = rid;
		p->line[p->n++] = &r->lines[i];
	}
	return 0;
}

/* Every line of r equals a stored line of receipt `had` (stored line
 * numbers are unique, so with as many lines on both sides the sets are
 * equal). */
static int lines_stored(struct store *s, const struct receipt *r, int64_t had, bool *all,
			struct kiosk_why *why)
{
	struct db_stmt *st = store_stmt(s, sql_lines_get, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, had);
	int found = 0, rc;
	while ((rc = db_step(st)) == DB_ROW)
		for (int i = 0; i < r->n_lines; i++)
			if (line_equal(&r->lines[i], st)) {
				found++;
				break;
			}
	db_reset(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, "read an existing receipt", why);
	*all = found == r->n_lines;
	return 0;
}

/* More rows of a receipt this import wrote earlier: the header must agree,
 * no line number may repeat, and the lines are added to it. */
static int join_piece(struct store *s, const struct receipt *r, int64_t had, bool head_same,
		      struct pending *p, struct kiosk_why *why)
{
	int rc;
	if (!head_same)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Receipt %s: its rows in different parts of the file disagree on the "
				  "store, register, time or currency.",
				  r->receipt_id);
	if (p->n && (rc = flush_lines(s, p, why)))
		return rc;
	for (int i = 0; i < r->n_lines; i++) {
		struct db_stmt *st = store_stmt(s, sql_line_exists, why);
		if (!st)
			return KIOSK_EIO;
		db_bind_int64(st, 1, had);
		db_bind_int(st, 2, r->lines[i].line);
		rc = db_step(st);
		db_reset(st);
		if (rc == DB_ROW)
			return kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has line %d twice.",
					  r->receipt_id, r->lines[i].line);
		if (rc != DB_DONE)
			return store_sql_fail(s, "read an existing receipt", why);
	}
	if ((rc = queue_lines(s, p, r, had, why)))
		return rc;
	struct db_stmt *st = store_stmt(s, sql_receipt_more_lines, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int(st, 1, r->n_lines);
	db_bind_int64(st, 2, had);
	if ((rc = store_step_done(s, st, "save a receipt", why)))
		return rc;
	s->import_joined++;
	return 0;
}

/* A piece of a receipt that was there before the import (fewer lines than
 * stored): each of its lines must be stored as it is; the lines are noted,
 * and the commit checks that the pieces make up the whole receipt. */
static int record_piece(struct store *s, const struct receipt *r, int64_t had,
			struct kiosk_why *why)
{
	bool all = false;
	int rc = lines_stored(s, r, had, &all, why);
	if (rc)
		return rc;
	if (!all)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Receipt %s is already imported with different lines or details.",
				  r->receipt_id);
	if (!s->import_pieces) {
		if (db_exec(s->db, sql_pieces_create[store_dialect(s)]))
			return store_sql_fail(s, "note a receipt's rows", why);
		s->import_pieces = true;
	}
	/* the first piece of a receipt is the receipt; later ones continue it */
	struct db_stmt *seen = store_stmt(s, sql_piece_seen, why);
	if (!seen)
		return KIOSK_EIO;
	db_bind_int64(seen, 1, had);
	rc = db_step(seen);
	db_reset(seen);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_sql_fail(s, "note a receipt's rows", why);
	if (rc == DB_ROW)
		s->import_joined++;
	for (int i = 0; i < r->n_lines; i++) {
		struct db_stmt *st = store_stmt(s, sql_piece_add, why);
		if (!st)
			return KIOSK_EIO;
		db_bind_int64(st, 1, had);
		db_bind_int(st, 2, r->lines[i].line);
		if ((rc = store_step_done(s, st, "note a receipt's rows", why)))
			return rc;
		if (db_changes(s->db) != 1)
			return kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has line %d twice.",
					  r->receipt_id, r->lines[i].line);
	}
	return 0;
}

/* After an INSERT that skipped some rows: was r written under `rid` just
 * now (new), earlier in this import (more of its rows), or before the
 * import? Before, the same header and lines are a skip, a piece of it is
 * noted, and anything else a refusal; the file's lines may come in any
 * order. */
static int check_existing(struct store *s, const struct receipt *r, int64_t rid,
			  struct pending *p, bool *is_new, struct kiosk_why *why)
{
	*is_new = false;
	struct db_stmt *st = store_stmt(s, sql_receipt_get, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, r->receipt_id);
	int rc = db_step(st);
	int64_t had = 0;
	int stored_lines = 0;
	bool head_same = rc == DB_ROW &&
			 col_eq(st, 1, r->store) &&
			 col_eq(st, 2, r->register_id) &&
			 r->purchased_at.unix_s == db_col_int64(st, 3) &&
			 r->purchased_at.offset_min == db_col_int(st, 4) &&
			 col_eq(st, 5, r->currency);
	if (rc == DB_ROW) {
		had = db_col_int64(st, 0);
		stored_lines = db_col_int(st, 6);
	}
	db_reset(st);
	if (rc != DB_ROW)
		return store_sql_fail(s, "read an existing receipt", why);
	if (had == rid) {
		*is_new = true;
		return 0;
	}
	if (had >= s->import_first_rid)
		return join_piece(s, r, had, head_same, p, why);
	if (head_same && r->n_lines < stored_lines)
		return record_piece(s, r, had, why);
	bool same = head_same && r->n_lines == stored_lines;
	if (same && (rc = lines_stored(s, r, had, &same, why)))
		return rc;
	if (!same)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Receipt %s is already imported with different lines or details.",
				  r->receipt_id);
	return 0;
}

static void bind_receipt(struct db_stmt *st, int base, int64_t rid, const struct receipt *r)
{
	db_bind_int64(st, base + 1, rid);
	store_bind_text(st, base + 2, r->receipt_id);
	store_bind_text(st, base + 3, r->store);
	store_bind_text(st, base + 4, r->register_id);
	db_bind_int64(st, base + 5, r->purchased_at.unix_s);
	db_bind_int(st, base + 6, r->purchased_at.offset_min);
	store_bind_text(st, base + 7, r->currency);
	db_bind_int(st, base + 8, r->n_lines);
}

/* r[0..n), n is 1 or RECEIPT_ROWS, written under rids first.. in order.
 * When every row went in (a first import), their lines follow; otherwise
 * each receipt is looked up to tell the new from the already present. */
static int add_chunk(struct store *s, const struct receipt *r, int n, int64_t first,
		     struct pending *p, struct kiosk_why *why)
{
	int rc;
	for (int i = 0; i < n; i++)
		if ((rc = store_import_ensure_store(s, r[i].store, why)))
			return rc;
	/* every parameter is bound below */
	struct db_stmt *st = store_stmt_rebound(
		s, (n == 1 ? sql_receipt_insert : sql_receipt_insert_many)[store_dialect(s)], why);
	if (!st)
		return KIOSK_EIO;
	if (db_param_count(st) != n * RECEIPT_COLS) /* the macros above */
		return kiosk_fail(why, KIOSK_EIO, "The receipt INSERT has the wrong row count.");
	for (int i = 0; i < n; i++)
		bind_receipt(st, i * RECEIPT_COLS, first + i, &r[i]);
	if ((rc = store_step_done(s, st, n == 1 ? "save a receipt" : "save receipts", why)))
		return rc;
	bool all_new = db_changes(s->db) == n;
	for (int i = 0; i < n; i++) {
		bool is_new = all_new;
		if (!all_new && (rc = check_existing(s, &r[i], first + i, p, &is_new, why)))
			return rc;
		if (is_new) {
			if ((rc = queue_lines(s, p, &r[i], first + i, why)))
				return rc;
			s->import_new++;
		}
	}
	return 0;
}

int store_import_rows(struct store *s, const struct receipt *r, int n, const bool *only,
		      struct kiosk_why *why)
{
	/* rids are handed out here, not by the engine, so that a batched INSERT
	 * says by its change count alone which receipts were new; imports take
	 * turns (store_import_begin), so nobody else hands any out meanwhile */
	int64_t next;
	int rc = store_import_next_rid(s, &next, why);
	if (rc)
		return rc;
	struct pending p = {0};
	for (int i = 0; !rc && i < n;) {
		if (only && !only[i]) {
			i++;
			continue;
		}
		int k = !only && n - i >= RECEIPT_ROWS ? RECEIPT_ROWS : 1;
		rc = add_chunk(s, &r[i], k, next, &p, why);
		i += k;
		next += k;
	}
	if (!rc)
		rc = flush_lines(s, &p, why);
	return rc;
}

int store_import_pieces_check(struct store *s, struct kiosk_why *why)
{
	if (!s->import_pieces)
		return 0;
	struct db_stmt *st = store_stmt(s, sql_pieces_short, why);
	if (!st)
		return KIOSK_EIO;
	int rc = db_step(st);
	char id[sizeof ((struct receipt *)0)->receipt_id] = "";
	if (rc == DB_ROW)
		store_col_text(st, 0, id, sizeof id);
	db_reset(st);
	if (rc == DB_ROW)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Receipt %s is already imported with different lines or details.",
				  id);
	if (rc != DB_DONE || db_exec(s->db, sql_pieces_drop))
		return store_sql_fail(s, "check a receipt's rows", why);
	s->import_pieces = false;
	return 0;
}
