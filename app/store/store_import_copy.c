/* The receipt import where the engine has a bulk stream (PostgreSQL COPY):
 * the receipts of an add that are new (not in the database, not twice in
 * the add) go straight into receipts and receipt_lines by COPY, under rids
 * handed out after the largest one; the others (already there, or more
 * rows of a receipt this import wrote) take store_receipts.c's row path,
 * which knows all the rules for them. A first import is nearly all COPY;
 * a repeated one reads what is stored of an add's receipts in one query
 * and skips those that are the same, so only real conflicts go row by row. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

/* What the database holds of an add's receipts, in byte order of id (as
 * strcmp sorts), each with its lines. Looked up id by id through the
 * indexes, whatever the planner thinks: the LATERAL subqueries (OFFSET 0
 * keeps them whole) can only be run once per row before them. Planned
 * freely, under the statistics an ANALYZE leaves when it runs while an
 * import writes (the tables nearly empty, or a receipt with thousands of
 * lines, until the next one), it read every line of the table for each
 * add: one such query of a second 1 M-line import ran 20 minutes. */
static const char sql_existing[] =
	"SELECT r.id, r.rid, r.store_id, r.register_id, r.purchased_s, r.purchased_off,"
	" r.currency, r.n_lines, l.line, l.sku, l.description, l.quantity, l.unit_price,"
	" l.category FROM unnest(?::text[]) AS u (id)"
	" CROSS JOIN LATERAL (SELECT * FROM receipts WHERE id = u.id OFFSET 0) r"
	" CROSS JOIN LATERAL (SELECT * FROM receipt_lines WHERE rid = r.rid OFFSET 0) l"
	" ORDER BY r.id COLLATE \"C\", l.line";
static const char sql_copy_receipts[] =
	"COPY receipts (rid, id, store_id, register_id, purchased_s, purchased_off, currency,"
	" n_lines) FROM STDIN";
static const char sql_copy_lines[] =
	"COPY receipt_lines (rid, line, sku, description, quantity, unit_price, category)"
	" FROM STDIN";

/* The growing text of one COPY. */
struct text {
	char *p;
	size_t n, cap;
	bool failed;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->n + n > t->cap) {
		size_t cap = t->cap ? t->cap : 1u << 16;
		while (cap < t->n + n)
			cap *= 2;
		char *np = realloc(t->p, cap);
		if (!np) {
			t->failed = true;
			return;
		}
		t->p = np;
		t->cap = cap;
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
}

/* A text column in COPY's text format, then the separator sep. */
static void put_text(struct text *t, const char *s, char sep)
{
	for (;;) {
		size_t run = strcspn(s, "\\\t\n\r");
		put(t, s, run);
		s += run;
		if (!*s)
			break;
		char esc[2] = {'\\', *s == '\\' ? '\\' : *s == '\t' ? 't' : *s == '\n' ? 'n' : 'r'};
		put(t, esc, 2);
		s++;
	}
	put(t, &sep, 1);
}

/* An integer in decimal, then sep (by hand: snprintf was a fifth of the
 * import's time on the client, all of it while the server waited). */
static void put_int(struct text *t, int64_t v, char sep)
{
	char b[24], *e = b + sizeof b, *p = e;
	*--p = sep;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	put(t, p, (size_t)(e - p));
}

/* The ids of r[0..n) as a PostgreSQL array literal. */
static void put_id_array(struct text *t, const struct receipt *r, int n)
{
	put(t, "{", 1);
	for (int i = 0; i < n; i++) {
		if (i)
			put(t, ",", 1);
		put(t, "\"", 1);
		for (const char *c = r[i].receipt_id; *c; c++) {
			if (*c == '"' || *c == '\\')
				put(t, "\\", 1);
			put(t, c, 1);
		}
		put(t, "\"", 1);
	}
	put(t, "}", 2); /* with the terminating NUL */
}

static const struct receipt *g_sort_base;

static int by_id(const void *a, const void *b)
{
	return strcmp(g_sort_base[*(const int *)a].receipt_id,
		      g_sort_base[*(const int *)b].receipt_id);
}

/* The indexes of r[0..n) in receipt-id order (byte order, as strcmp). */
static int *sorted_index(const struct receipt *r, int n)
{
	int *ix = malloc((size_t)(n ? n : 1) * sizeof *ix);
	if (!ix)
		return NULL;
	for (int i = 0; i < n; i++)
		ix[i] = i;
	g_sort_base = r; /* qsort has no context argument; the store is one thread's */
	qsort(ix, (size_t)n, sizeof *ix, by_id);
	return ix;
}

/* The index in r of the receipt with this id, by the sorted ix; -1 none. */
static int find_id(const struct receipt *r, const int *ix, int n, const char *id)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(r[ix[mid]].receipt_id, id);
		if (!c)
			return ix[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static bool col_is(struct db_stmt *st, int col, const char *v)
{
	const char *t = db_col_text(st, col);
	return t && !strcmp(t, v);
}

/* Does the stored line in st's current row (columns from 8 on) equal a
 * line of r? */
static bool line_in(const struct receipt *r, struct db_stmt *st)
{
	int no = db_col_int(st, 8);
	for (int i = 0; i < r->n_lines; i++) {
		const struct receipt_line *l = &r->lines[i];
		if (l->line == no)
			return col_is(st, 9, l->sku) && col_is(st, 10, l->description) &&
			       l->quantity == db_col_int(st, 11) &&
			       l->unit_price == db_col_int64(st, 12) && col_is(st, 13, l->category);
	}
	return false;
}

/* Receipts of r the database has: done[i] when it was there before this
 * import with the same header and lines (nothing to write), else slow[i]
 * (the row path says what is wrong, or continues it). One query for all,
 * compared here in id order. */
static int mark_existing(struct store *s, const struct receipt *r, int n, const int *ix,
			 const bool *repeated, bool *slow, bool *done, struct kiosk_why *why)
{
	struct text t = {0};
	put_id_array(&t, r, n);
	if (t.failed) {
		free(t.p);
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory checking receipts.");
	}
	struct db_stmt *st = store_stmt(s, sql_existing, why);
	if (!st) {
		free(t.p);
		return KIOSK_EIO;
	}
	store_bind_text(st, 1, t.p);
	int rc, k = -1, rows = 0;
	bool same = false;
	char cur[sizeof r->receipt_id] = "";
	while ((rc = db_step(st)) == DB_ROW) {
		const char *id = db_col_text(st, 0);
		if (!id)
			continue;
		if (strcmp(id, cur)) {
			if (k >= 0 && same && rows == r[k].n_lines)
				done[k] = true, slow[k] = false;
			snprintf(cur, sizeof cur, "%s", id);
			k = find_id(r, ix, n, id);
			rows = 0;
			if (k < 0)
				continue;
			slow[k] = true;
			const struct receipt *x = &r[k];
			same = !repeated[k] && db_col_int64(st, 1) < s->import_first_rid &&
			       col_is(st, 2, x->store) && col_is(st, 3, x->register_id) &&
			       db_col_int64(st, 4) == x->purchased_at.unix_s &&
			       db_col_int(st, 5) == x->purchased_at.offset_min &&
			       col_is(st, 6, x->currency) && db_col_int(st, 7) == x->n_lines;
		}
		if (k < 0)
			continue;
		rows++;
		same = same && line_in(&r[k], st);
	}
	if (k >= 0 && same && rows == r[k].n_lines)
		done[k] = true, slow[k] = false;
	db_reset(st);
	free(t.p);
	return rc == DB_DONE ? 0 : store_sql_fail(s, "check the receipts", why);
}

int store_copy_add(struct store *s, const struct receipt *r, int n, bool *slow,
		   struct kiosk_why *why)
{
	int *ix = sorted_index(r, n);
	bool *repeated = calloc((size_t)n, sizeof *repeated);
	bool *done = calloc((size_t)n, sizeof *done);
	int rc = 0;
	if (!ix || !repeated || !done) {
		rc = kiosk_fail(why, KIOSK_ENOMEM, "Out of memory checking receipts.");
		goto out_marks;
	}
	/* a receipt twice in r: the row path joins its pieces */
	for (int i = 1; i < n; i++)
		if (!strcmp(r[ix[i]].receipt_id, r[ix[i - 1]].receipt_id))
			repeated[ix[i]] = repeated[ix[i - 1]] = slow[ix[i]] = slow[ix[i - 1]] = true;
	rc = mark_existing(s, r, n, ix, repeated, slow, done, why);
out_marks:
	free(ix);
	free(repeated);
	if (rc) {
		free(done);
		return rc;
	}
	struct text heads = {0}, lines = {0};
	int64_t rid;
	if ((rc = store_import_next_rid(s, &rid, why)))
		goto out;
	rid--; /* each receipt below takes the next */
	int fast = 0;
	for (int i = 0; i < n; i++) {
		if (slow[i] || done[i])
			continue;
		const struct receipt *x = &r[i];
		if ((rc = store_import_ensure_store(s, x->store, why)))
			goto out;
		rid++;
		fast++;
		put_int(&heads, rid, '\t');
		put_text(&heads, x->receipt_id, '\t');
		put_text(&heads, x->store, '\t');
		put_text(&heads, x->register_id, '\t');
		put_int(&heads, x->purchased_at.unix_s, '\t');
		put_int(&heads, x->purchased_at.offset_min, '\t');
		put_text(&heads, x->currency, '\t');
		put_int(&heads, x->n_lines, '\n');
		for (int k = 0; k < x->n_lines; k++) {
			const struct receipt_line *l = &x->lines[k];
			put_int(&lines, rid, '\t');
			put_int(&lines, l->line, '\t');
			put_text(&lines, l->sku, '\t');
			put_text(&lines, l->description, '\t');
			put_int(&lines, l->quantity, '\t');
			put_int(&lines, l->unit_price, '\t');
			put_text(&lines, l->category, '\n');
		}
	}
	if (heads.failed || lines.failed)
		rc = kiosk_fail(why, KIOSK_ENOMEM, "Out of memory sending receipts.");
	else if (fast && (s->be->copy_in(s->db, sql_copy_receipts, heads.p, heads.n) ||
			  s->be->copy_in(s->db, sql_copy_lines, lines.p, lines.n)))
		rc = store_sql_fail(s, "save receipts", why);
	else
		s->import_new += fast;
out:
	free(heads.p);
	free(lines.p);
	free(done);
	return rc;
}
