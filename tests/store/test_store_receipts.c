/* Receipt import and lookup: all or nothing, idempotent, a conflicting
 * re-import refused with the receipt id and nothing changed; lookup by id
 * with lines in order, UTF-8 intact and returned quantities. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "store/store.h"
#include "store/store_private.h"
#include "store_fixture.h"

/* Foreign-key enforcement of the store's own connection: on SQLite off
 * only while an import runs; PostgreSQL keeps it on (turning it off would
 * need session_replication_role, a superuser's setting). */
static long long fk_on(struct store *s)
{
	struct db_stmt *st = s->be->prepare(
		s->db, fixture_pg() ? "SELECT current_setting('session_replication_role') <> 'replica'"
				    : "PRAGMA foreign_keys");
	long long v = -1;
	if (st && db_step(st) == DB_ROW)
		v = db_col_int(st, 0);
	if (st)
		s->be->finalize(st);
	return v;
}

#define N_BATCH 3

/* How a batch row is built from make_receipt: id, lines, quantity, price
 * delta; a tweak breaks one field after building. */
enum tweak { T_NONE, T_DUP_LINE, T_QTY0, T_NO_ID, T_NO_LINES, T_DESC, T_TIME, T_CURRENCY,
	     T_REVERSED, T_PRICE, T_SKU, T_CATEGORY, T_REGISTER, T_DUP_SAME, T_TAIL,
	     T_TAIL_TIME };

struct rspec {
	const char *id;
	int n_lines;
	enum tweak tweak;
};

static struct receipt build(const struct rspec *sp)
{
	struct receipt r = make_receipt(sp->id, sp->n_lines, 2, 0);
	switch (sp->tweak) {
	case T_NONE: break;
	case T_DUP_LINE: r.lines[1].line = 1; break;
	case T_QTY0: r.lines[0].quantity = 0; break;
	case T_NO_ID: r.receipt_id[0] = 0; break;
	case T_NO_LINES: r.n_lines = 0; break;
	case T_DESC: snprintf(r.lines[0].description, sizeof r.lines[0].description, "Annan"); break;
	case T_TIME: r.purchased_at.unix_s += 60; break;
	case T_CURRENCY: snprintf(r.currency, sizeof r.currency, "EU"); break;
	case T_REVERSED: {
		struct receipt_line tmp = r.lines[0];
		r.lines[0] = r.lines[r.n_lines - 1];
		r.lines[r.n_lines - 1] = tmp;
		break;
	}
	case T_PRICE: r.lines[r.n_lines - 1].unit_price++; break;
	case T_SKU: r.lines[0].sku[0] = 'X'; break;
	case T_CATEGORY: snprintf(r.lines[0].category, sizeof r.lines[0].category, "hygiene"); break;
	case T_REGISTER: snprintf(r.register_id, sizeof r.register_id, "004"); break;
	/* the same line twice, where the stored receipt has lines 1 and 2 */
	case T_DUP_SAME: r.lines[1] = r.lines[0]; break;
	/* the rest of a receipt after its first line: rows far apart in a file */
	case T_TAIL_TIME: r.purchased_at.unix_s += 60; /* fall through */
	case T_TAIL:
		memmove(r.lines, r.lines + 1, (size_t)(r.n_lines - 1) * sizeof *r.lines);
		r.n_lines--;
		break;
	}
	return r;
}

/* Batches imported one after another into the same database. */
static void test_import(void)
{
	static const struct item {
		struct rspec batch[N_BATCH];
		int want_rc;
		int want_new;
		const char *want_why;
		long long want_receipts; /* rows in the database afterwards */
		long long want_lines;
	} data[] = {
		/* 0*/ {{{"RA", 2, T_NONE}, {"RB", 3, T_NONE}}, 0, 2, "", 2, 5},
		/* 1*/ {{{"RA", 2, T_NONE}, {"RB", 3, T_NONE}}, 0, 0, "", 2, 5},
		/* 2*/ {{{"RB", 3, T_NONE}, {"RC", 1, T_NONE}}, 0, 1, "", 3, 6},
		/* 3*/ {{{"RD", 1, T_NONE}, {"RA", 2, T_DESC}}, KIOSK_EINVAL, 0,
			"Receipt RA is already imported with different lines or details.", 3, 6},
		/* 4*/ {{{"RD", 1, T_NONE}, {"RA", 3, T_NONE}}, KIOSK_EINVAL, 0,
			"Receipt RA is already imported with different lines or details.", 3, 6},
		/* 5*/ {{{"RD", 1, T_NONE}, {"RC", 1, T_TIME}}, KIOSK_EINVAL, 0,
			"Receipt RC is already imported with different lines or details.", 3, 6},
		/* 6*/ {{{"RD", 1, T_NONE}, {"RE", 2, T_DUP_LINE}}, KIOSK_EINVAL, 0,
			"Receipt RE has line 1 twice.", 3, 6},
		/* 7*/ {{{"RD", 1, T_NONE}, {"RE", 2, T_QTY0}}, KIOSK_EINVAL, 0,
			"Receipt RE line 1 has quantity 0; it must be at least 1.", 3, 6},
		/* 8*/ {{{"RD", 1, T_NONE}, {"", 1, T_NO_ID}}, KIOSK_EINVAL, 0,
			"A receipt without a receipt id was refused.", 3, 6},
		/* 9*/ {{{"RE", 1, T_NO_LINES}}, KIOSK_EINVAL, 0, "Receipt RE has no lines.", 3, 6},
		/*10*/ {{{"RE", 1, T_CURRENCY}}, KIOSK_EINVAL, 0,
			"Receipt RE has no three-letter currency code.", 3, 6},
		/* a receipt added again in one import is continued (its rows stood far
		 * apart in a file): more lines are added, a repeated line is refused */
		/*11*/ {{{"RE", 1, T_NONE}, {"RE", 2, T_TAIL}}, 0, 1, "", 4, 8},
		/*12*/ {{{"RF", 1, T_NONE}, {"RF", 2, T_NONE}}, KIOSK_EINVAL, 0,
			"Receipt RF has line 1 twice.", 4, 8},
		/*13*/ {{{NULL, 0, T_NONE}}, 0, 0, "", 4, 8},
		/*14*/ {{{"RB", 3, T_REVERSED}}, 0, 0, "", 4, 8},
		/*15*/ {{{"RB", 3, T_PRICE}}, KIOSK_EINVAL, 0,
			"Receipt RB is already imported with different lines or details.", 4, 8},
		/*16*/ {{{"RB", 3, T_SKU}}, KIOSK_EINVAL, 0,
			"Receipt RB is already imported with different lines or details.", 4, 8},
		/*17*/ {{{"RB", 3, T_CATEGORY}}, KIOSK_EINVAL, 0,
			"Receipt RB is already imported with different lines or details.", 4, 8},
		/*18*/ {{{"RB", 3, T_REGISTER}}, KIOSK_EINVAL, 0,
			"Receipt RB is already imported with different lines or details.", 4, 8},
		/*19*/ {{{"RA", 2, T_DUP_SAME}}, KIOSK_EINVAL, 0, "Receipt RA has line 1 twice.", 4, 8},
		/*20*/ {{{"RG", 1, T_NONE}, {"RG", 2, T_TAIL_TIME}}, KIOSK_EINVAL, 0,
			"Receipt RG: its rows in different parts of the file disagree on the store, "
			"register, time or currency.", 4, 8},
		/* pieces of a receipt that was there before: skipped when they make
		 * it up, refused when lines are missing or repeated */
		/*21*/ {{{"RB", 1, T_NONE}, {"RB", 3, T_TAIL}}, 0, 0, "", 4, 8},
		/*22*/ {{{"RB", 1, T_NONE}, {"RB", 2, T_TAIL}}, KIOSK_EINVAL, 0,
			"Receipt RB is already imported with different lines or details.", 4, 8},
		/*23*/ {{{"RB", 1, T_NONE}, {"RB", 1, T_NONE}}, KIOSK_EINVAL, 0,
			"Receipt RB has line 1 twice.", 4, 8},
		/*24*/ {{{"RB", 1, T_NONE}, {"RB", 2, T_TAIL_TIME}}, KIOSK_EINVAL, 0,
			"Receipt RB is already imported with different lines or details.", 4, 8},
		/* a continued receipt counts once */
		/*25*/ {{{"RH", 1, T_NONE}, {"RI", 1, T_NONE}, {"RH", 3, T_TAIL}}, 0, 2, "", 6, 12},
	};
	struct fixture f;
	fixture_open(&f, 1);
	struct raw *db = raw_open(&f);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		/* rows build on each other: run them all, check the selected */
		struct receipt batch[N_BATCH];
		int n = 0;
		for (; n < N_BATCH && data[i].batch[n].id; n++)
			batch[n] = build(&data[i].batch[n]);
		struct kiosk_why why = {{0}};
		int n_new = -1;
		int rc = store_receipts_import(f.s, batch, n, &n_new, &why);
		for (int k = 0; k < n; k++)
			receipt_free(&batch[k]);
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(rc, data[i].want_rc, i);
		KT_INTEQ(n_new, data[i].want_new, i);
		KT_STREQ(why.text, data[i].want_why, i);
		KT_INTEQ(raw_int(db, "SELECT count(*) FROM receipts"), data[i].want_receipts, i);
		KT_INTEQ(raw_int(db, "SELECT count(*) FROM receipt_lines"), data[i].want_lines, i);
	}
	/* the refused rows left no trace, not even the store row of RD */
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM receipts WHERE id = 'RD'"), 0, -1);
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM stores"), 1, -1);
	raw_close(db);
	fixture_close(&f);
}

/* The streamed form: abort after adds leaves nothing; commit counts. */
static void test_import_stream(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	struct receipt a = make_receipt("RS1", 2, 1, 0), b = make_receipt("RS2", 1, 1, 0);
	KT_INTEQ(fk_on(f.s), 1, 0);
	KT_INTEQ(store_import_begin(f.s, &why), 0, 0);
	KT_INTEQ(store_import_begin(f.s, &why), KIOSK_EBUSY, 0);
	KT_STREQ(why.text, "An import is already in progress.", 0);
	KT_INTEQ(fk_on(f.s), fixture_pg() ? 1 : 0, 0);
	KT_INTEQ(store_import_add(f.s, &a, &why), 0, 0);
	store_import_abort(f.s);
	KT_INTEQ(fk_on(f.s), 1, 0);
	struct receipt got;
	KT_INTEQ(store_receipt_get(f.s, "RS1", &got, &why), KIOSK_ENOTFOUND, 1);
	KT_INTEQ(store_import_add(f.s, &a, &why), KIOSK_EINVAL, 1);
	KT_STREQ(why.text, "No import is in progress.", 1);
	int n_new = -1;
	KT_INTEQ(store_import_begin(f.s, &why), 0, 2);
	KT_INTEQ(store_import_add(f.s, &a, &why), 0, 2);
	KT_INTEQ(store_import_add(f.s, &b, &why), 0, 2);
	KT_INTEQ(store_import_commit(f.s, &n_new, &why), 0, 2);
	KT_INTEQ(store_import_joined(f.s), 0, 2);
	KT_INTEQ(n_new, 2, 2);
	KT_INTEQ(fk_on(f.s), 1, 2);
	KT_INTEQ(store_receipt_get(f.s, "RS2", &got, &why), 0, 3);
	receipt_free(&got);
	receipt_free(&a);
	receipt_free(&b);
	fixture_close(&f);
}

/* Text and numbers come back as they went in, whichever way they went
 * (PostgreSQL's COPY for new receipts writes its own text: escapes, and
 * integers formatted by hand, negative ones too). */
static void test_import_text(void)
{
	static const char *const texts[] = {
		"back\\slash", "tab\there", "new\nline", "\\N", "\"quoted\", komma, å ä ö",
		"cr\rhere", "\\\t\n\r",
	};
	/* a credit line, the most a price can be, a purchase west of Greenwich
	 * before 1970 */
	static const int64_t prices[] = {-1995, INT64_MAX, 0, 7, INT64_MIN, 123456789, 10};
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	int n = (int)KT_ARRAY_SIZE(texts);
	struct receipt r = make_receipt("RTEXT", n, 1, 0);
	for (int i = 0; i < n; i++) {
		snprintf(r.lines[i].description, sizeof r.lines[i].description, "%s", texts[i]);
		snprintf(r.lines[i].sku, sizeof r.lines[i].sku, "%.31s", texts[i]);
		r.lines[i].unit_price = prices[i];
	}
	r.purchased_at.unix_s = -86400 * 365 - 17;
	r.purchased_at.offset_min = -300;
	int n_new = 0;
	KT_INTEQ(store_receipts_import(f.s, &r, 1, &n_new, &why), 0, -1);
	KT_INTEQ(n_new, 1, -1);
	struct receipt got;
	KT_INTEQ(store_receipt_get(f.s, "RTEXT", &got, &why), 0, -1);
	KT_INTEQ(got.n_lines, n, -1);
	for (int i = 0; i < n && i < got.n_lines; i++) {
		KT_STREQ(got.lines[i].description, texts[i], i);
		KT_STREQ(got.lines[i].sku, r.lines[i].sku, i);
		KT_INTEQ(got.lines[i].unit_price, prices[i], i);
	}
	KT_INTEQ(got.purchased_at.unix_s, r.purchased_at.unix_s, -1);
	KT_INTEQ(got.purchased_at.offset_min, -300, -1);
	/* and the same receipt again is recognised as already there */
	KT_INTEQ(store_receipts_import(f.s, &r, 1, &n_new, &why), 0, -1);
	KT_INTEQ(n_new, 0, -1);
	receipt_free(&got);
	receipt_free(&r);
	fixture_close(&f);
}

static void test_lookup(void)
{
	static const struct item {
		const char *id;
		int want_rc;
		const char *want_why;
		int want_lines;
	} data[] = {
		/* 0*/ {"RS004200320261122001234", 0, "", 3},
		/* 1*/ {"RS004200320261122001235", KIOSK_ENOTFOUND,
			"Receipt RS004200320261122001235 is not in the database.", 0},
		/* 2*/ {"", KIOSK_EINVAL, "No receipt id was given.", 0},
		/* 3*/ {"rs004200320261122001234", KIOSK_ENOTFOUND,
			"Receipt rs004200320261122001234 is not in the database.", 0},
	};
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	struct receipt r = make_receipt("RS004200320261122001234", 3, 2, 99);
	/* lines given out of order come back by line number */
	struct receipt_line tmp = r.lines[0];
	r.lines[0] = r.lines[2];
	r.lines[2] = tmp;
	snprintf(r.lines[1].description, sizeof r.lines[1].description, "Hörlurar för små öron ÅÄÖ é €");
	int n_new = 0;
	KT_INTEQ(store_receipts_import(f.s, &r, 1, &n_new, &why), 0, -1);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct receipt got;
		memset(&why, 0, sizeof why);
		KT_INTEQ(store_receipt_get(f.s, data[i].id, &got, &why), data[i].want_rc, i);
		KT_STREQ(why.text, data[i].want_why, i);
		KT_INTEQ(got.n_lines, data[i].want_lines, i);
		if (data[i].want_rc == 0 && got.n_lines == 3) {
			KT_STREQ(got.store, "0042", i);
			KT_STREQ(got.register_id, "003", i);
			KT_STREQ(got.currency, "SEK", i);
			KT_INTEQ(got.purchased_at.unix_s, T_NOW - 10 * 86400, i);
			KT_INTEQ(got.purchased_at.offset_min, T_OFF, i);
			for (int k = 0; k < 3; k++) {
				KT_INTEQ(got.lines[k].line, k + 1, i);
				KT_INTEQ(got.lines[k].unit_price, (k + 1) * 10000 + 99, i);
				KT_INTEQ(got.lines[k].quantity, 2, i);
				KT_INTEQ(got.lines[k].returned_quantity, 0, i);
			}
			KT_STREQ(got.lines[1].description, "Hörlurar för små öron ÅÄÖ é €", i);
		}
		receipt_free(&got);
	}
	receipt_free(&r);
	fixture_close(&f);
}

/* A second kiosk process (another handle on the same database) never sees
 * a half-written import: nothing until the commit, everything after it.
 * Its writes wait for the import on SQLite (one writer at a time) and go on
 * beside it on PostgreSQL (imports take turns only with each other). */
static void test_import_isolated(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	struct store *other = NULL;
	struct receipt got;
	fixture_open(&f, 1);
	KT_INTEQ(store_open(&other, f.path, &why), 0, 0);
	struct receipt a = make_receipt("RI1", 2, 1, 0), b = make_receipt("RI2", 3, 1, 0);
	KT_INTEQ(store_import_begin(f.s, &why), 0, 1);
	KT_INTEQ(store_import_add(f.s, &a, &why), 0, 1);
	KT_INTEQ(store_import_add(f.s, &b, &why), 0, 1);
	KT_INTEQ(store_receipt_get(other, "RI1", &got, &why), KIOSK_ENOTFOUND, 1);
	store_set_busy_timeout(other, 50);
	struct case_line l;
	struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l);
	bool beside = store_dialect(f.s) == DB_POSTGRES;
	if (beside) {
		KT_INTEQ(store_case_create(other, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why),
			 0, 1);
		KT_CHECK(c.case_id[0] != 0, "i:1 a case registered during the import has a number");
	} else {
		/* a writer on the other handle waits, then gives up with a
		 * sentence, and its half of the work is not written either */
		KT_INTEQ(store_case_create(other, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why),
			 KIOSK_EBUSY, 1);
		KT_STREQ(why.text, "The database is busy: another kiosk, counter or import is "
				   "writing; try again in a moment.", 1);
		KT_STREQ(c.case_id, "", 1);
	}
	char during[sizeof c.case_id];
	snprintf(during, sizeof during, "%s", c.case_id);
	int n_new = -1;
	KT_INTEQ(store_import_commit(f.s, &n_new, &why), 0, 2);
	KT_INTEQ(n_new, 2, 2);
	KT_INTEQ(store_receipt_get(other, "RI2", &got, &why), 0, 2);
	KT_INTEQ(got.n_lines, 3, 2);
	receipt_free(&got);
	/* once the import is done, the other handle writes (again) */
	KT_INTEQ(store_case_create(other, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, 3);
	KT_CHECK(c.case_id[0] != 0 && strcmp(c.case_id, during), "i:3 a case with a number of its own");
	if (!beside)
		KT_STREQ(c.case_id, "K-000001", 3);
	receipt_free(&a);
	receipt_free(&b);
	store_close(other);
	fixture_close(&f);
}

KT_MAIN(KT_FUNC(test_import), KT_FUNC(test_import_stream), KT_FUNC(test_import_text),
	KT_FUNC(test_lookup),
	KT_FUNC(test_import_isolated))
