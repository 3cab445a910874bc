/* Receipts: the all-or-nothing import and the lookup by receipt id.
 *
 * Idempotency: each receipt row carries a BLAKE2b digest of everything
 * that was imported for it (header and lines). Importing it again inserts
 * nothing (ON CONFLICT DO NOTHING) and compares one digest: equal means
 * "already here, skipped", different means the file disagrees with the
 * database and the whole import is refused and rolled back.
 *
 * Returned quantities are not stored on the receipt: they are derived from
 * the return cases that point at each line (see STORE_RETURNED_SQL), so
 * they cannot drift from the cases that explain them. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

#define DIGEST_BYTES 16

static const char sql_store_row[] = "INSERT INTO stores (id) VALUES (?) ON CONFLICT DO NOTHING";
static const char sql_receipt_insert[] =
	"INSERT INTO receipts (id, store_id, register_id, purchased_s, purchased_off, currency,"
	" n_lines, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
static const char sql_receipt_digest[] = "SELECT digest FROM receipts WHERE id = ?";
static const char sql_line_insert[] =
	"INSERT INTO receipt_lines (rid, line, sku, description, quantity, unit_price, category)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

static void digest_str(crypto_generichash_state *h, const char *v)
{
	/* the terminating NUL separates fields, so "ab"+"c" != "a"+"bc" */
	crypto_generichash_update(h, (const unsigned char *)v, strlen(v) + 1);
}

static void digest_int(crypto_generichash_state *h, int64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)v >> (8 * i));
	crypto_generichash_update(h, b, sizeof b);
}

static void receipt_digest(const struct receipt *r, unsigned char out[DIGEST_BYTES])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, DIGEST_BYTES);
	digest_str(&h, r->store);
	digest_str(&h, r->register_id);
	digest_int(&h, r->purchased_at.unix_s);
	digest_int(&h, r->purchased_at.offset_min);
	digest_str(&h, r->currency);
	digest_int(&h, r->n_lines);
	for (int i = 0; i < r->n_lines; i++) {
		const struct receipt_line *l = &r->lines[i];
		digest_int(&h, l->line);
		digest_str(&h, l->sku);
		digest_str(&h, l->description);
		digest_int(&h, l->quantity);
		digest_int(&h, l->unit_price);
		digest_str(&h, l->category);
	}
	crypto_generichash_final(&h, out, DIGEST_BYTES);
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

int store_import_begin(struct store *s, struct kiosk_why *why)
{
	if (s->importing)
		return kiosk_fail(why, KIOSK_EBUSY, "An import is already in progress.");
	int rc = store_tx_begin(s, why);
	if (rc)
		return rc;
	s->importing = true;
	s->import_new = 0;
	s->import_store_buf[0] = 0;
	return 0;
}

/* The store row once per run of receipts from the same store, not once per
 * receipt: a file is nearly always one store. */
static int ensure_store(struct store *s, const char *store_id, struct kiosk_why *why)
{
	if (!strcmp(s->import_store_buf, store_id))
		return 0;
	sqlite3_stmt *st = store_stmt(s, sql_store_row, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, store_id);
	int rc = store_step_done(s, st, "save the store", why);
	if (!rc)
		snprintf(s->import_store_buf, sizeof s->import_store_buf, "%s", store_id);
	return rc;
}

/* Already present: the same digest is a skip, another is a refusal. */
static int compare_existing(struct store *s, const struct receipt *r,
			    const unsigned char *digest, struct kiosk_why *why)
{
	sqlite3_stmt *st = store_stmt(s, sql_receipt_digest, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, r->receipt_id);
	int rc = sqlite3_step(st);
	int same = rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == DIGEST_BYTES &&
		   !memcmp(sqlite3_column_blob(st, 0), digest, DIGEST_BYTES);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_sql_fail(s, "read an existing receipt", why);
	if (!same)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Receipt %s is already imported with different lines or details.",
				  r->receipt_id);
	return 0;
}

static int insert_lines(struct store *s, const struct receipt *r, sqlite3_int64 rid,
			struct kiosk_why *why)
{
	sqlite3_stmt *st = store_stmt(s, sql_line_insert, why);
	if (!st)
		return KIOSK_EIO;
	for (int i = 0; i < r->n_lines; i++) {
		const struct receipt_line *l = &r->lines[i];
		sqlite3_bind_int64(st, 1, rid);
		sqlite3_bind_int(st, 2, l->line);
		store_bind_text(st, 3, l->sku);
		store_bind_text(st, 4, l->description);
		sqlite3_bind_int(st, 5, l->quantity);
		sqlite3_bind_int64(st, 6, l->unit_price);
		store_bind_text(st, 7, l->category);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has line %d twice.",
					  r->receipt_id, l->line);
		if (rc != SQLITE_DONE)
			return store_sql_fail(s, "save a receipt line", why);
	}
	return 0;
}

int store_import_add(struct store *s, const struct receipt *r, struct kiosk_why *why)
{
	if (!s->importing)
		return kiosk_fail(why, KIOSK_EINVAL, "No import is in progress.");
	int rc = receipt_check(r, why);
	if (rc || (rc = ensure_store(s, r->store, why)))
		return rc;
	unsigned char digest[DIGEST_BYTES];
	receipt_digest(r, digest);
	sqlite3_stmt *st = store_stmt(s, sql_receipt_insert, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, r->receipt_id);
	store_bind_text(st, 2, r->store);
	store_bind_text(st, 3, r->register_id);
	sqlite3_bind_int64(st, 4, r->purchased_at.unix_s);
	sqlite3_bind_int(st, 5, r->purchased_at.offset_min);
	store_bind_text(st, 6, r->currency);
	sqlite3_bind_int(st, 7, r->n_lines);
	sqlite3_bind_blob(st, 8, digest, DIGEST_BYTES, SQLITE_STATIC);
	if ((rc = store_step_done(s, st, "save a receipt", why)))
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return compare_existing(s, r, digest, why);
	if ((rc = insert_lines(s, r, sqlite3_last_insert_rowid(s->db), why)))
		return rc;
	s->import_new++;
	return 0;
}

int store_import_commit(struct store *s, int *n_new, struct kiosk_why *why)
{
	if (!s->importing)
		return kiosk_fail(why, KIOSK_EINVAL, "No import is in progress.");
	s->importing = false;
	int rc = store_tx_commit(s, why);
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
}

int store_receipts_import(struct store *s, const struct receipt *r, int n, int *n_new,
			  struct kiosk_why *why)
{
	if (n_new)
		*n_new = 0;
	int rc = store_import_begin(s, why);
	for (int i = 0; !rc && i < n; i++)
		rc = store_import_add(s, &r[i], why);
	if (rc) {
		store_import_abort(s);
		return rc;
	}
	return store_import_commit(s, n_new, why);
}

/* ---- lookup ---------------------------------------------------------------- */

static const char sql_receipt_get[] =
	"SELECT rid, store_id, register_id, purchased_s, purchased_off, currency, n_lines"
	" FROM receipts WHERE id = ?";
static const char sql_lines_get[] =
	"SELECT line, sku, description, quantity, unit_price, category FROM receipt_lines"
	" WHERE rid = ? ORDER BY line";
static const char sql_returned[] =
	"SELECT cl.receipt_line, SUM(cl.quantity) FROM cases c"
	" JOIN case_lines cl ON cl.case_seq = c.seq"
	" WHERE c.receipt_id = ? AND " STORE_RETURNED_SQL " AND cl.receipt_line > 0"
	" GROUP BY cl.receipt_line";

int store_receipt_get(struct store *s, const char *receipt_id, struct receipt *out,
		      struct kiosk_why *why)
{
	memset(out, 0, sizeof *out);
	if (!receipt_id || !*receipt_id)
		return kiosk_fail(why, KIOSK_EINVAL, "No receipt id was given.");
	sqlite3_stmt *st = store_stmt(s, sql_receipt_get, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, receipt_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return kiosk_fail(why, KIOSK_ENOTFOUND, "Receipt %.40s is not in the database.",
					  receipt_id);
		return store_sql_fail(s, "read the receipt", why);
	}
	sqlite3_int64 rid = sqlite3_column_int64(st, 0);
	snprintf(out->receipt_id, sizeof out->receipt_id, "%s", receipt_id);
	store_col_text(st, 1, out->store, sizeof out->store);
	store_col_text(st, 2, out->register_id, sizeof out->register_id);
	out->purchased_at.unix_s = sqlite3_column_int64(st, 3);
	out->purchased_at.offset_min = sqlite3_column_int(st, 4);
	store_col_text(st, 5, out->currency, sizeof out->currency);
	int cap = sqlite3_column_int(st, 6);
	sqlite3_reset(st);
	out->lines = calloc(cap > 0 ? (size_t)cap : 1, sizeof *out->lines);
	if (!out->lines)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading a receipt.");

	if (!(st = store_stmt(s, sql_lines_get, why)))
		goto fail;
	sqlite3_bind_int64(st, 1, rid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n_lines < cap) {
		struct receipt_line *l = &out->lines[out->n_lines++];
		l->line = sqlite3_column_int(st, 0);
		store_col_text(st, 1, l->sku, sizeof l->sku);
		store_col_text(st, 2, l->description, sizeof l->description);
		l->quantity = sqlite3_column_int(st, 3);
		l->unit_price = sqlite3_column_int64(st, 4);
		store_col_text(st, 5, l->category, sizeof l->category);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_sql_fail(s, "read the receipt lines", why);
		goto fail;
	}

	if (!(st = store_stmt(s, sql_returned, why)))
		goto fail;
	store_bind_text(st, 1, receipt_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int line = sqlite3_column_int(st, 0);
		for (int i = 0; i < out->n_lines; i++)
			if (out->lines[i].line == line)
				out->lines[i].returned_quantity = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_sql_fail(s, "read the returned quantities", why);
		goto fail;
	}
	return 0;
fail:
	receipt_free(out);
	return KIOSK_EIO;
}
