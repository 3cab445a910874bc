/* The invariants both receipt-import fuzz targets check. Beyond "does not
 * crash", every accepted receipt must be one the store can take (an id of
 * the layout, at least one line, sane quantities and prices, valid text)
 * and every refusal must say why and leave nothing behind. */
#ifndef KIOSK_FUZZ_IMPORT_CHECK_H
#define KIOSK_FUZZ_IMPORT_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/import_common.h"

typedef int (*import_parse_fn)(const char *data, size_t len, const struct import_opts *o,
			       struct import_batch *out, import_progress_fn progress, void *arg,
			       struct kiosk_why *why);

static const struct receipt_code_layout fuzz_layout = {"RS", 4, 3, 6};

static inline int fuzz_import_check(const uint8_t *data, size_t size, import_parse_fn parse)
{
	struct import_opts o = {&fuzz_layout, "SEK", NULL};
	struct import_batch b;
	struct kiosk_why why = {{0}};
	int rc = parse((const char *)data, size, &o, &b, NULL, NULL, &why);
	if (rc) {
		if (!why.text[0] || b.n || b.receipts)
			abort();
		return 0;
	}
	long lines = 0;
	for (int i = 0; i < b.n; i++) {
		const struct receipt *r = &b.receipts[i];
		char st[16], rg[16];
		int64_t day;
		long seq;
		if (r->n_lines < 1 ||
		    import_receipt_code_split(&fuzz_layout, r->receipt_id, st, sizeof st, rg, sizeof rg,
					      &day, &seq) ||
		    strcmp(st, r->store) || import_currency_exponent(r->currency) < 0)
			abort();
		for (int k = 0; k < r->n_lines; k++) {
			const struct receipt_line *l = &r->lines[k];
			if (l->quantity < 1 || l->unit_price < 0 || l->line < 1 || !l->sku[0] ||
			    !import_text_ok(l->description, strlen(l->description)))
				abort();
		}
		lines += r->n_lines;
	}
	if (lines != b.n_lines)
		abort();
	import_batch_free(&b);
	return 0;
}

#endif
