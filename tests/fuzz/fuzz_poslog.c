/* libFuzzer target: the ARTS POSLog receipt parser (expat underneath). Beyond "does not
 * crash", every accepted receipt must be one the store can take (an id of
 * the layout, at least one line, sane quantities and prices) and every
 * refusal must say where and why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/import_poslog.h"

/* The parser's sources are compiled into this target so libFuzzer's
 * coverage instrumentation sees them (the static libraries are built
 * without -fsanitize=fuzzer-no-link); the archive's copies are then never
 * pulled in. */
#include "../../app/domain/import_common.c"
#include "../../app/domain/import_poslog.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct receipt_code_layout layout = {"RS", 4, 3, 6};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts o = {&layout, "SEK", NULL};
	struct import_batch b;
	struct kiosk_why why = {{0}};
	int rc = import_poslog_parse((const char *)data, size, &o, &b, NULL, NULL, &why);
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
		    import_receipt_code_split(&layout, r->receipt_id, st, sizeof st, rg, sizeof rg,
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
