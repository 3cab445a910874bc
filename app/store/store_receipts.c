/* Receipts: the all-or-nothing import (the lookup is store_receipt_get.c).
 * An import is one write transaction: begin, adds, commit or abort. Each
 * add is checked here receipt by receipt, then written by COPY where the
 * engine has it (store_import_copy.c: the receipts that are new) and row
 * by row otherwise (store_import_rows.c: the rest, and everything on
 * SQLite). The commit's last check is that receipts stored before and
 * continued by this file add up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

static const char sql_store_row[] = "INSERT INTO stores (id) VALUES (?) ON CONFLICT DO NOTHING";
/* Not MAX(rid): under the statistics an ANALYZE leaves when it runs while
 * an import writes (the table "empty" until the next one), PostgreSQL read
 * MAX through the whole index, 0.1–0.2 s a call at 500 k receipts and four
 * calls an add: 48 of the 55 s of a second import of 1 M lines. This reads
 * the last entry of the index whatever the statistics say. */
static const char sql_last_rid[] = "SELECT rid FROM receipts ORDER BY rid DESC LIMIT 1";

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

/* A line number twice: found here, in memory, so that the batched line
 * INSERT can never hit its primary key and the reason names the line. */
static int line_twice(const struct receipt *r)
{
	if (r->n_lines <= 16) {
		for (int i = 1; i < r->n_lines; i++)
			for (int j = 0; j < i; j++)
				if (r->lines[i].line == r->lines[j].line)
					return r->lines[i].line;
		return 0;
	}
	int *no = malloc((size_t)r->n_lines * sizeof *no);
	if (!no)
		return -1;
	for (int i = 0; i < r->n_lines; i++)
		no[i] = r->lines[i].line;
	qsort(no, (size_t)r->n_lines, sizeof *no, cmp_int);
	int twice = 0;
	for (int i = 1; !twice && i < r->n_lines; i++)
		if (no[i] == no[i - 1])
			twice = no[i];
	free(no);
	return twice;
}

static int receipt_check(const struct receipt *r, struct kiosk_why *why);

/* What each add must be on its own, before anything of it is written:
 * r[0..n) checked in order, the first problem returned. */
static int add_checks(const struct receipt *r, int n, struct kiosk_why *why)
{
	for (int i = 0; i < n; i++) {
		int rc = receipt_check(&r[i], why);
		if (rc)
			return rc;
		int twice = line_twice(&r[i]);
		if (twice < 0)
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory checking a receipt.");
		if (twice)
			return kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has line %d twice.",
					  r[i].receipt_id, twice);
	}
	return 0;
}

static int receipt_check(const struct receipt *r, struct kiosk_why *why)
{
	if (!r->receipt_id[0])
		return kiosk_fail(why, KIOSK_EINVAL, "A receipt without a receipt id was refused.");
	if (!r->store[0])
		return kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has no store.", r->receipt_id);
	if (strlen(r->currency) != 3)
		return kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has no three-letter currency code.",
				  r->receipt_id);
	if (r->n_lines < 1 || !r->lines)
		return kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has no lines.", r->receipt_id);
	for (int i = 0; i < r->n_lines; i++) {
		const struct receipt_line *l = &r->lines[i];
		if (l->line < 1)
			return kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has a line numbered %d.",
					  r->receipt_id, l->line);
		if (l->quantity < 1)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "Receipt %s line %d has quantity %d; it must be at least 1.",
					  r->receipt_id, l->line, l->quantity);
	}
	return 0;
}

/* The engine's settings of an import back, committed or not. */
static void import_end(struct store *s)
{
	s->be->bulk_import(s->db, false);
	if (s->import_waits) {
		s->be->set_busy_timeout(s->db, s->busy_ms);
		s->import_waits = false;
	}
}

static void import_wait(struct store *s, int ms)
{
	if (ms != s->busy_ms || s->import_waits) {
		s->be->set_busy_timeout(s->db, ms);
		s->import_waits = true;
	}
}

/* Begin, waiting up to turn_ms for the turn, and up to hold_ms for any
 * lock after it. */
static int import_open(struct store *s, int turn_ms, int hold_ms, struct kiosk_why *why)
{
	if (s->importing)
		return kiosk_fail(why, KIOSK_EBUSY, "An import is already in progress.");
	int rc = store_connected(s, why);
	if (rc)
		return rc;
	/* During an import this code is the only writer of stores, receipts
	 * and receipt_lines, and it writes each line under the rid of the
	 * receipt it has just inserted and each receipt after its store row.
	 * bulk_import sets the engine up for that outside the transaction, and
	 * commit and abort set it back: on SQLite foreign-key checks off (they
	 * could never fail and cost a lookup per row), a larger page cache, the
	 * files written behind; on PostgreSQL nothing (postgres/db_pg.c). */
	s->be->bulk_import(s->db, true);
	import_wait(s, turn_ms);
	/* Imports take turns with each other (the key) and with migrations
	 * and purges (which take the whole database), not with the chain's
	 * kiosks and counters: an import never changes a receipt that was
	 * stored before (it adds receipts, skips those it has and refuses
	 * those that differ), so no rule of theirs reads what it writes. Under
	 * the whole-database lock every registration of the chain waited for
	 * the import to finish, and was told "busy" after 5 s. SQLite has one
	 * writer at a time whatever the keys. */
	static const char *const keys[] = {"import"};
	if ((rc = store_tx_begin_for(s, keys, 1, why))) {
		import_end(s);
		return rc;
	}
	/* the first read: on PostgreSQL whether the turn came shows here */
	if ((rc = store_import_next_rid(s, &s->import_first_rid, why))) {
		store_tx_rollback(s);
		import_end(s);
		return rc;
	}
	/* in the transaction; import_end sets it back after the commit or
	 * the rollback (which alone would undo a SET made inside it) */
	import_wait(s, hold_ms);
	s->importing = true;
	s->import_new = 0;
	s->import_joined = 0;
	s->import_pieces = false;
	s->import_store_buf[0] = 0;
	return 0;
}

int store_import_begin(struct store *s, struct kiosk_why *why)
{
	return import_open(s, s->busy_ms, s->busy_ms, why);
}

int store_import_begin_wait(struct store *s, int wait_ms, void (*waiting)(void *arg),
			    void *arg, struct kiosk_why *why)
{
	int first = wait_ms < s->busy_ms ? wait_ms : s->busy_ms;
	int rc = import_open(s, first, wait_ms, why);
	if (rc != KIOSK_EBUSY || wait_ms <= first || s->importing)
		return rc;
	if (waiting)
		waiting(arg);
	return import_open(s, wait_ms - first, wait_ms, why);
}

int store_import_next_rid(struct store *s, int64_t *next, struct kiosk_why *why)
{
	struct db_stmt *st = store_stmt(s, sql_last_rid, why);
	if (!st)
		return KIOSK_EIO;
	int rc = db_step(st);
	*next = (rc == DB_ROW ? db_col_int64(st, 0) : 0) + 1;
	db_reset(st);
	return rc == DB_ERROR ? store_sql_fail(s, "read the receipt numbers", why) : 0;
}

int store_import_joined(const struct store *s)
{
	return s->import_joined;
}

/* The store row once per run of receipts from the same store, not once per
 * receipt: a file is nearly always one store. */
int store_import_ensure_store(struct store *s, const char *store_id, struct kiosk_why *why)
{
	if (!strcmp(s->import_store_buf, store_id))
		return 0;
	struct db_stmt *st = store_stmt(s, sql_store_row, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, store_id);
	int rc = store_step_done(s, st, "save the store", why);
	if (!rc)
		snprintf(s->import_store_buf, sizeof s->import_store_buf, "%s", store_id);
	return rc;
}

int store_import_add_many(struct store *s, const struct receipt *r, int n,
			  struct kiosk_why *why)
{
	if (!s->importing)
		return kiosk_fail(why, KIOSK_EINVAL, "No import is in progress.");
	int rc = add_checks(r, n, why);
	if (rc || n <= 0)
		return rc;
	if (!s->be->copy_in)
		return store_import_rows(s, r, n, NULL, why);
	bool *slow = calloc((size_t)n, sizeof *slow);
	if (!slow)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory saving receipts.");
	rc = store_copy_add(s, r, n, slow, why);
	if (!rc)
		rc = store_import_rows(s, r, n, slow, why);
	free(slow);
	return rc;
}

int store_import_add(struct store *s, const struct receipt *r, struct kiosk_why *why)
{
	return store_import_add_many(s, r, 1, why);
}

int store_import_commit(struct store *s, int *n_new, struct kiosk_why *why)
{
	if (!s->importing)
		return kiosk_fail(why, KIOSK_EINVAL, "No import is in progress.");
	int rc = store_import_pieces_check(s, why);
	if (rc) {
		store_import_abort(s);
		return rc;
	}
	s->importing = false;
	rc = store_tx_commit(s, why);
	import_end(s);
	if (n_new)
		*n_new = rc ? 0 : s->import_new;
	return rc;
}

void store_import_abort(struct store *s)
{
	if (!s || !s->importing)
		return;
	s->importing = false;
	store_tx_rollback(s);
	import_end(s);
}

int store_receipts_import(struct store *s, const struct receipt *r, int n, int *n_new,
			  struct kiosk_why *why)
{
	if (n_new)
		*n_new = 0;
	int rc = store_import_begin(s, why);
	if (!rc)
		rc = store_import_add_many(s, r, n, why);
	if (rc) {
		store_import_abort(s);
		return rc;
	}
	return store_import_commit(s, n_new, why);
}
