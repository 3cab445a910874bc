/* The batched import path (store_import_add_many): receipts go 32 to an
 * INSERT and lines 64, so a batch that straddles those sizes, mixes new
 * and already-present receipts, repeats a receipt or holds a conflicting
 * one must give exactly what one receipt at a time gives: the right new
 * count, refusals with the same sentence, and nothing changed on refusal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "store/store.h"
#include "store_fixture.h"

/* Receipt k: id RB0000k, 1 + k % 3 lines. */
static int lines_of(int k)
{
	return 1 + k % 3;
}

static struct receipt receipt_k(int k)
{
	char id[16];
	snprintf(id, sizeof id, "RB%05d", k);
	return make_receipt(id, lines_of(k), 1, k);
}

static long long lines_upto(int from, int to)
{
	long long n = 0;
	for (int k = from; k < to; k++)
		n += lines_of(k);
	return n;
}

enum tweak { T_NONE, T_CHANGED, T_DUP_LINE, T_TWICE, T_SPLIT };

static void test_batches(void)
{
	static const struct item {
		int from, to;          /* receipts k in [from, to), in order */
		enum tweak tweak;
		int at;                /* the receipt k the tweak applies to */
		int want_rc, want_new;
		const char *want_why;
		int have_to;           /* afterwards the database holds k in [0, have_to) */
	} data[] = {
		/* 0*/ {0, 70, T_NONE, 0, 0, 70, "", 70},     /* two chunks of 32 and 6 single */
		/* 1*/ {0, 70, T_NONE, 0, 0, 0, "", 70},      /* the same again: nothing new */
		/* 2*/ {40, 110, T_NONE, 0, 0, 40, "", 110},  /* 30 present, 40 new, mixed chunks */
		/* 3*/ {100, 140, T_CHANGED, 105, KIOSK_EINVAL, 0,
			"Receipt RB00105 is already imported with different lines or details.", 110},
		/* 4*/ {110, 150, T_DUP_LINE, 146, KIOSK_EINVAL, 0, "Receipt RB00146 has line 1 twice.",
			110},                                  /* in the single tail */
		/* 5*/ {110, 150, T_DUP_LINE, 115, KIOSK_EINVAL, 0, "Receipt RB00115 has line 1 twice.",
			110},                                  /* in an all-new chunk of 32 */
		/* 6*/ {110, 150, T_TWICE, 120, KIOSK_EINVAL, 0, /* the same receipt twice */
			"Receipt RB00120 has line 1 twice.", 110},
		/* 7*/ {110, 150, T_SPLIT, 122, 0, 40, "", 150}, /* one receipt in two adds */
		/* 8*/ {0, 150, T_CHANGED, 20, KIOSK_EINVAL, 0,   /* in a chunk all present */
			"Receipt RB00020 is already imported with different lines or details.", 150},
		/* 9*/ {0, 150, T_NONE, 0, 0, 0, "", 150},
	};
	struct fixture f;
	KT_CHECK(fixture_open(&f, 1) == 0, "open");
	struct raw *db = raw_open(&f);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		/* rows build on each other: run them all, check the selected */
		const struct item *d = &data[i];
		int n = d->to - d->from + (d->tweak == T_TWICE || d->tweak == T_SPLIT);
		struct receipt *batch = calloc((size_t)n, sizeof *batch);
		int m = 0;
		for (int k = d->from; k < d->to; k++) {
			batch[m++] = receipt_k(k);
			if (k != d->at)
				continue;
			if (d->tweak == T_CHANGED)
				batch[m - 1].lines[0].quantity++;
			else if (d->tweak == T_DUP_LINE)
				batch[m - 1].lines[1].line = 1;
			else if (d->tweak == T_TWICE)
				batch[m++] = receipt_k(k);
			else if (d->tweak == T_SPLIT) {
				/* its first line, then the rest as a later add */
				struct receipt *head = &batch[m - 1], *tail = &batch[m++];
				*tail = receipt_k(k);
				head->n_lines = 1;
				memmove(tail->lines, tail->lines + 1,
					(size_t)(tail->n_lines - 1) * sizeof *tail->lines);
				tail->n_lines--;
			}
		}
		struct kiosk_why why = {{0}};
		int n_new = -1;
		int rc = store_receipts_import(f.s, batch, m, &n_new, &why);
		for (int k = 0; k < m; k++)
			receipt_free(&batch[k]);
		free(batch);
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(rc, d->want_rc, i);
		KT_INTEQ(n_new, d->want_new, i);
		KT_STREQ(why.text, d->want_why, i);
		KT_INTEQ(raw_int(db, "SELECT count(*) FROM receipts"), d->have_to, i);
		KT_INTEQ(raw_int(db, "SELECT count(*) FROM receipt_lines"), lines_upto(0, d->have_to), i);
		/* every line under the rid of its own receipt */
		KT_INTEQ(raw_int(db, "SELECT count(*) FROM receipt_lines l JOIN receipts r"
				     " ON r.rid = l.rid WHERE r.n_lines <> (SELECT count(*) FROM"
				     " receipt_lines x WHERE x.rid = r.rid)"),
			 0, i);
	}
	/* each receipt reads back whole: its lines, in order, with its prices */
	for (int k = 0; k < 150; k++) {
		struct receipt want = receipt_k(k), got;
		struct kiosk_why why = {{0}};
		KT_INTEQ(store_receipt_get(f.s, want.receipt_id, &got, &why), 0, k);
		KT_INTEQ(got.n_lines, want.n_lines, k);
		for (int l = 0; l < got.n_lines && l < want.n_lines; l++) {
			KT_INTEQ(got.lines[l].line, l + 1, k);
			KT_INTEQ(got.lines[l].unit_price, want.lines[l].unit_price, k);
		}
		receipt_free(&want);
		receipt_free(&got);
	}
	raw_close(db);
	fixture_close(&f);
}

KT_MAIN(KT_FUNC(test_batches))
