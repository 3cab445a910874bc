/* The receipt import where the engine has a bulk stream (PostgreSQL COPY):
 * the receipts of an add that are new (not in the database, not twice in
 * the add) go straight into receipts and receipt_lines by COPY, under rids
 * handed out after the largest one; the others (already there, or more
 * rows of a receipt this import wrote) take store_receipts.c's row path,
 * which knows all the rules for them. A first import is nearly all COPY;
 * a repeated one asks once per add which receipts are there. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

static const char sql_existing[] =
	"SELECT r.id FROM unnest(?::text[]) AS u (id) JOIN receipts r ON r.id = u.id";
static const char sql_max_rid[] = "SELECT COALESCE(MAX(rid), 0) FROM receipts";
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
	const char *run = s;
	for (; *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n"
				: *s == '\r' ? "\\r" : NULL;
		if (!esc)
			continue;
		put(t, run, (size_t)(s - run));
		put(t, esc, 2);
		run = s + 1;
	}
	put(t, run, (size_t)(s - run));
	put(t, &sep, 1);
}

static void put_int(struct text *t, int64_t v, char sep)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%" PRId64 "%c", v, sep);
	put(t, b, (size_t)n);
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

/* slow[i] = true for every receipt whose id is in r[0..n) more than once. */
static int mark_repeated(const struct receipt *r, int n, bool *slow)
{
	int *ix = malloc((size_t)n * sizeof *ix);
	if (!ix)
		return -1;
	for (int i = 0; i < n; i++)
		ix[i] = i;
	g_sort_base = r; /* qsort has no context argument; the store is one thread's */
	qsort(ix, (size_t)n, sizeof *ix, by_id);
	for (int i = 1; i < n; i++)
		if (!strcmp(r[ix[i]].receipt_id, r[ix[i - 1]].receipt_id))
			slow[ix[i]] = slow[ix[i - 1]] = true;
	free(ix);
	return 0;
}

/* slow[i] = true for every receipt of r[0..n) the database has. */
static int mark_existing(struct store *s, const struct receipt *r, int n, bool *slow,
			 struct kiosk_why *why)
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
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *id = db_col_text(st, 0);
		for (int i = 0; id && i < n; i++)
			if (!strcmp(r[i].receipt_id, id))
				slow[i] = true;
	}
	db_reset(st);
	free(t.p);
	return rc == DB_DONE ? 0 : store_sql_fail(s, "check the receipts", why);
}

int store_copy_add(struct store *s, const struct receipt *r, int n, bool *slow,
		   struct kiosk_why *why)
{
	if (mark_repeated(r, n, slow))
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory checking receipts.");
	int rc = mark_existing(s, r, n, slow, why);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(s, sql_max_rid, why);
	if (!st)
		return KIOSK_EIO;
	rc = db_step(st);
	int64_t rid = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_reset(st);
	if (rc != DB_ROW)
		return store_sql_fail(s, "read the receipt numbers", why);
	rc = 0;
	struct text heads = {0}, lines = {0};
	int fast = 0;
	for (int i = 0; i < n; i++) {
		if (slow[i])
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
	return rc;
}
