/* libFuzzer target for the printed receipt: the customer's own words (and
 * the product as they named it) are outside input that ends up on paper.
 * Any bytes go through the case receipt layout and the ESC/POS encoder at
 * both paper widths. Besides the sanitizers it checks what the printer
 * relies on: every line fits its columns (characters, not bytes), and the
 * encoded text carries no control byte that a printer would take as a
 * command (only the encoder's own commands and LF). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/case_receipt.h"
#include "drivers/codepage.h"
#include "drivers/escpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond)
{
	if (!cond)
		abort();
}

static struct kiosk_config cfg;
static struct i18n *words;

static void setup(void)
{
	struct kiosk_why why;
	if (words)
		return;
	must(config_load(&cfg, paths_assets_dir(), NULL, &why) == 0);
	must(i18n_create(&words, paths_assets_dir(), "sv", &why) == 0);
}

/* Walk the bytes as a printer would: a command's arguments are skipped, a
 * text byte must be printable. Returns the number of text lines. */
static void check_bytes(const uint8_t *b, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = b[i];
		if (c == 0x1B) {
			must(i + 1 < n);
			i += b[i + 1] == '@' ? 2 : 3;
		} else if (c == 0x1D) {
			must(i + 2 < n);
			if (b[i + 1] == 'v') {
				must(i + 8 <= n);
				size_t len = (size_t)(b[i + 4] | b[i + 5] << 8) * (size_t)(b[i + 6] | b[i + 7] << 8);
				i += 8 + len;
			} else {
				i += b[i + 1] == 'V' ? 4 : 3;
			}
		} else {
			must(c == 0x0A || (c >= 0x20 && c != 0x7F));
			i++;
		}
	}
	must(i == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	struct case_record c;
	memset(&c, 0, sizeof(c));
	snprintf(c.case_id, sizeof(c.case_id), "K-000001");
	c.kind = size && (data[0] & 1) ? CASE_FAULT : CASE_RETURN;
	snprintf(c.lang, sizeof(c.lang), "sv");
	/* first half: the product, second half: the customer's words */
	size_t half = size / 2;
	size_t np = half < sizeof(c.product) - 1 ? half : sizeof(c.product) - 1;
	memcpy(c.product, data, np);
	size_t nt = size - half < sizeof(c.customer_text) - 1 ? size - half
							       : sizeof(c.customer_text) - 1;
	memcpy(c.customer_text, data + half, nt);
	struct case_line line = {0};
	memcpy(line.description, c.product, sizeof(line.description) - 1);
	line.quantity = 1;
	if (c.kind == CASE_RETURN) {
		c.lines = &line;
		c.n_lines = 1;
	}
	memcpy(c.decision.explanation, c.customer_text, sizeof(c.decision.explanation) - 1);
	for (int w = 0; w < 2; w++) {
		int dots = w ? 384 : 576;
		struct receipt_doc d;
		struct kiosk_why why;
		must(case_receipt_build(&c, &cfg, words, dots, "KC1:K-000001:0123456789abcdef",
					w ? &c.created_at : NULL, &d, &why) == 0);
		for (int i = 0; i < d.n; i++) {
			const struct doc_item *it = &d.items[i];
			if (it->kind != DOC_TEXT)
				continue;
			must(strnlen(it->text, sizeof(it->text)) < sizeof(it->text));
			must((int)utf8_width(it->text) <= (it->dbl ? d.columns / 2 : d.columns));
		}
		struct escpos e;
		must(escpos_encode_doc(&d, &e, &why) == 0);
		check_bytes(e.data, e.len);
		escpos_free(&e);
		receipt_doc_free(&d);
	}
	return 0;
}
