/* ESC/POS byte building. */
#include "drivers/escpos.h"

#include <stdlib.h>
#include <string.h>

/* Command bytes (Epson ESC/POS Application Programming Guide). */
#define ESC 0x1B
#define GS 0x1D
#define LF 0x0A
static const uint8_t cmd_init[] = {ESC, '@'};
static const uint8_t cmd_codepage[] = {ESC, 't'};   /* + n */
static const uint8_t cmd_bold[] = {ESC, 'E'};       /* + 0/1 */
static const uint8_t cmd_size[] = {GS, '!'};        /* + (w-1)<<4 | (h-1) */
static const uint8_t cmd_align[] = {ESC, 'a'};      /* + 0 left, 1 centre, 2 right */
static const uint8_t cmd_feed[] = {ESC, 'd'};       /* + lines */
static const uint8_t cmd_cut[] = {GS, 'V', 66, 0};  /* function B: feed to cutter, partial cut */
static const uint8_t cmd_raster[] = {GS, 'v', '0', 0}; /* + xL xH yL yH data, m=0 normal */

/* Lines fed before the cut so the last text clears the cutter on printers
 * whose GS V 66 feeds only the minimum. */
#define ESCPOS_FEED_BEFORE_CUT 3

void escpos_begin(struct escpos *e)
{
	memset(e, 0, sizeof(*e));
	e->cp = &codepage_cp858;
}

void escpos_free(struct escpos *e)
{
	free(e->data);
	memset(e, 0, sizeof(*e));
}

int escpos_finish(const struct escpos *e, struct kiosk_why *why)
{
	if (e->failed)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory while preparing the receipt.");
	return 0;
}

void escpos_bytes(struct escpos *e, const void *b, size_t n)
{
	if (e->failed)
		return;
	if (e->len + n > e->cap) {
		size_t cap = e->cap ? e->cap : 1024;
		while (cap < e->len + n)
			cap *= 2;
		uint8_t *p = realloc(e->data, cap);
		if (!p) {
			e->failed = true;
			return;
		}
		e->data = p;
		e->cap = cap;
	}
	memcpy(e->data + e->len, b, n);
	e->len += n;
}

static void cmd1(struct escpos *e, const uint8_t *cmd, size_t n, uint8_t arg)
{
	escpos_bytes(e, cmd, n);
	escpos_bytes(e, &arg, 1);
}

void escpos_init(struct escpos *e)
{
	escpos_bytes(e, cmd_init, sizeof(cmd_init));
}

void escpos_codepage(struct escpos *e, const struct codepage *cp)
{
	e->cp = cp;
	cmd1(e, cmd_codepage, sizeof(cmd_codepage), cp->escpos_n);
}

void escpos_text(struct escpos *e, const char *utf8)
{
	size_t len = strlen(utf8);
	for (size_t i = 0; i < len;) {
		uint32_t u;
		i += utf8_decode(utf8 + i, len - i, &u);
		uint8_t out[CODEPAGE_MAX_SUBST];
		size_t n = codepage_encode_char(e->cp, u, out);
		escpos_bytes(e, out, n);
	}
}

void escpos_newline(struct escpos *e)
{
	static const uint8_t lf = LF;
	escpos_bytes(e, &lf, 1);
}

void escpos_bold(struct escpos *e, bool on)
{
	cmd1(e, cmd_bold, sizeof(cmd_bold), on ? 1 : 0);
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void escpos_size(struct escpos *e, int w, int h)
{
	w = clamp(w, 1, 8);
	h = clamp(h, 1, 8);
	cmd1(e, cmd_size, sizeof(cmd_size), (uint8_t)(((w - 1) << 4) | (h - 1)));
}

void escpos_align(struct escpos *e, enum doc_align a)
{
	cmd1(e, cmd_align, sizeof(cmd_align), (uint8_t)a);
}

void escpos_feed(struct escpos *e, int lines)
{
	cmd1(e, cmd_feed, sizeof(cmd_feed), (uint8_t)clamp(lines, 0, 255));
}

void escpos_cut(struct escpos *e)
{
	escpos_bytes(e, cmd_cut, sizeof(cmd_cut));
}

void escpos_raster(struct escpos *e, const struct raster *r)
{
	for (int y0 = 0; y0 < r->height; y0 += ESCPOS_RASTER_BAND) {
		int rows = r->height - y0 < ESCPOS_RASTER_BAND ? r->height - y0 : ESCPOS_RASTER_BAND;
		uint8_t hdr[] = {(uint8_t)(r->stride & 0xFF), (uint8_t)(r->stride >> 8),
				 (uint8_t)(rows & 0xFF), (uint8_t)(rows >> 8)};
		escpos_bytes(e, cmd_raster, sizeof(cmd_raster));
		escpos_bytes(e, hdr, sizeof(hdr));
		escpos_bytes(e, r->bits + (size_t)y0 * (size_t)r->stride,
			     (size_t)rows * (size_t)r->stride);
	}
}

/* The style the printer is in, so a command is sent only on a change. */
struct style {
	enum doc_align align;
	bool bold;
	bool dbl;
};

static void set_style(struct escpos *e, struct style *cur, enum doc_align align, bool bold,
		      bool dbl)
{
	if (cur->align != align)
		escpos_align(e, align);
	if (cur->bold != bold)
		escpos_bold(e, bold);
	if (cur->dbl != dbl)
		escpos_size(e, dbl ? 2 : 1, dbl ? 2 : 1);
	cur->align = align;
	cur->bold = bold;
	cur->dbl = dbl;
}

int escpos_encode_doc(const struct receipt_doc *d, struct escpos *out, struct kiosk_why *why)
{
	escpos_begin(out);
	escpos_init(out);
	escpos_codepage(out, &codepage_cp858);
	struct style cur = {DOC_ALIGN_LEFT, false, false}; /* what ESC @ leaves */
	for (int i = 0; i < d->n; i++) {
		const struct doc_item *it = &d->items[i];
		switch (it->kind) {
		case DOC_TEXT:
			set_style(out, &cur, it->align, it->bold, it->dbl);
			escpos_text(out, it->text);
			escpos_newline(out);
			break;
		case DOC_FEED:
			escpos_feed(out, it->feed);
			break;
		case DOC_QR:
		case DOC_CODE128: {
			struct raster r;
			int rc = raster_code(&r, it->kind == DOC_QR ? RASTER_QR : RASTER_CODE128,
					     it->text, d->paper_dots, why);
			if (rc) {
				escpos_free(out);
				return rc;
			}
			set_style(out, &cur, DOC_ALIGN_CENTER, cur.bold, cur.dbl);
			escpos_raster(out, &r);
			raster_free(&r);
			break;
		}
		}
	}
	escpos_feed(out, ESCPOS_FEED_BEFORE_CUT);
	escpos_cut(out);
	int rc = escpos_finish(out, why);
	if (rc)
		escpos_free(out);
	return rc;
}
