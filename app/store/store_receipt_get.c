/* A receipt by its id, with its lines and what is already returned of each.
 *
 * Returned quantities are not stored on the receipt: they are derived from
 * the return cases that point at each line (see STORE_RETURNED_SQL), so
 * they cannot drift from the cases that explain them. In a kiosk's
 * offline journal (store_journal.c) a cached receipt adds what the chain
 * had returned by other cases when the cache was refreshed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

/* A receipt, its lines and what is already returned of each, in one
 * query (one round trip to a chain's database): the header repeats on
 * every line, and a receipt always has lines. On PostgreSQL the receipt
 * is found by its id and then its lines by its number whatever the
 * planner thinks (the LATERAL subqueries, which OFFSET 0 keeps whole, run
 * once per row before them): under the statistics an ANALYZE leaves when
 * it runs while an import writes (receipts and lines "empty"), the join
 * was planned as every line against every receipt, and one receipt read
 * had not finished after 10 minutes with 60 000 receipts stored
 * (store_pg_import_stats). SQLite has no LATERAL, and no ANALYZE it did
 * not ask for. */
#define RECEIPT_COLS                                                                          \
	"SELECT r.store_id, r.register_id, r.purchased_s, r.purchased_off, r.currency, r.n_lines," \
	" l.line, l.sku, l.description, l.quantity, l.unit_price, l.category, "                  \
	STORE_LINE_RETURNED_SQL " + COALESCE(e.returned, 0), "                                   \
	STORE_LINE_WAITING_SQL " + COALESCE(e.waiting, 0)"
#define RECEIPT_ELSEWHERE \
	" LEFT JOIN receipt_returns_elsewhere e ON e.rid = l.rid AND e.line = l.line"
static const char *const sql_receipt_whole[] = {
	[DB_SQLITE] = RECEIPT_COLS " FROM receipts r JOIN receipt_lines l ON l.rid = r.rid"
		      RECEIPT_ELSEWHERE " WHERE r.id = ? ORDER BY l.line",
	[DB_POSTGRES] = RECEIPT_COLS " FROM (SELECT ?::text AS id) AS u"
			" CROSS JOIN LATERAL (SELECT * FROM receipts WHERE id = u.id OFFSET 0) r"
			STORE_LINES_OF_R_PG RECEIPT_ELSEWHERE " ORDER BY l.line"};
#undef RECEIPT_COLS
#undef RECEIPT_ELSEWHERE

int store_receipt_get(struct store *s, const char *receipt_id, struct receipt *out,
		      struct kiosk_why *why)
{
	memset(out, 0, sizeof *out);
	if (!receipt_id || !*receipt_id)
		return kiosk_fail(why, KIOSK_EINVAL, "No receipt id was given.");
	struct db_stmt *st = store_stmt(s, sql_receipt_whole[store_dialect(s)], why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, receipt_id);
	int rc, cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!out->lines) {
			snprintf(out->receipt_id, sizeof out->receipt_id, "%s", receipt_id);
			store_col_text(st, 0, out->store, sizeof out->store);
			store_col_text(st, 1, out->register_id, sizeof out->register_id);
			out->purchased_at.unix_s = db_col_int64(st, 2);
			out->purchased_at.offset_min = db_col_int(st, 3);
			store_col_text(st, 4, out->currency, sizeof out->currency);
			cap = db_col_int(st, 5);
			out->lines = calloc(cap > 0 ? (size_t)cap : 1, sizeof *out->lines);
			if (!out->lines) {
				db_reset(st);
				return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading a receipt.");
			}
		}
		if (out->n_lines >= cap)
			continue;
		struct receipt_line *l = &out->lines[out->n_lines++];
		l->line = db_col_int(st, 6);
		store_col_text(st, 7, l->sku, sizeof l->sku);
		store_col_text(st, 8, l->description, sizeof l->description);
		l->quantity = db_col_int(st, 9);
		l->unit_price = db_col_int64(st, 10);
		store_col_text(st, 11, l->category, sizeof l->category);
		l->returned_quantity = db_col_int(st, 12);
		l->pending_quantity = db_col_int(st, 13);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		receipt_free(out);
		return store_sql_fail(s, "read the receipt", why);
	}
	if (!out->lines)
		return kiosk_fail(why, KIOSK_ENOTFOUND, "Receipt %.40s is not in the database.",
				  receipt_id);
	return 0;
}
