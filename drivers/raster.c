/* zint symbol -> whole-dot 1-bit raster. */
#include "drivers/raster.h"

#include <stdlib.h>
#include <string.h>
#include <zint.h>

/* How each code is drawn: quiet zone (modules each side, ISO/IEC 18004 asks
 * 4 for QR, ISO/IEC 15417 asks 10 for Code 128), the largest module in dots
 * (8 dots = 1 mm at 203 dpi: a QR that scans from a crumpled receipt
 * without taking half the paper), and the bar height of 1-D codes. */
static const struct {
	int zint_symbology;
	int quiet;
	int max_module;
	int bar_height;  /* dots; 0 for matrix codes (square modules) */
} kinds[] = {
	[RASTER_QR] = {BARCODE_QRCODE, 4, 8, 0},
	[RASTER_CODE128] = {BARCODE_CODE128, 10, 3, 80},
};

int raster_alloc(struct raster *out, int w, int h)
{
	out->width = w;
	out->height = h;
	out->stride = (w + 7) / 8;
	out->bits = calloc((size_t)out->stride * (size_t)(h > 0 ? h : 1), 1);
	return out->bits ? 0 : KIOSK_ENOMEM;
}

void raster_free(struct raster *r)
{
	if (!r)
		return;
	free(r->bits);
	r->bits = NULL;
}

int raster_code(struct raster *out, enum raster_kind kind, const char *payload, int max_width,
		struct kiosk_why *why)
{
	memset(out, 0, sizeof(*out));
	struct zint_symbol *sym = ZBarcode_Create();
	if (!sym)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory while drawing the code.");
	sym->symbology = kinds[kind].zint_symbology;
	sym->input_mode = DATA_MODE;
	sym->show_hrt = 0;
	sym->scale = 0.5f; /* zint draws 2 pixels a module at scale 1: this is one */
	sym->whitespace_width = 0;
	sym->border_width = 0;
	int rc = ZBarcode_Encode_and_Buffer(sym, (const unsigned char *)payload,
					    (int)strlen(payload), 0);
	if (rc >= ZINT_ERROR) {
		rc = kiosk_fail(why, KIOSK_EINVAL, "The code could not be drawn: %s.", sym->errtxt);
		goto out;
	}
	int modules = sym->bitmap_width;
	int quiet = kinds[kind].quiet;
	int mod = max_width / (modules + 2 * quiet);
	if (mod > kinds[kind].max_module)
		mod = kinds[kind].max_module;
	if (mod < 1) {
		rc = kiosk_fail(why, KIOSK_EINVAL,
				"The code is too wide for the paper (%d modules, %d dots).",
				modules + 2 * quiet, max_width);
		goto out;
	}
	int rows = kinds[kind].bar_height ? 1 : sym->bitmap_height;
	int row_h = kinds[kind].bar_height ? kinds[kind].bar_height : mod;
	int qy = kinds[kind].bar_height ? 0 : quiet * mod;
	int w = (modules + 2 * quiet) * mod;
	int h = rows * row_h + 2 * qy;
	if (raster_alloc(out, w, h)) {
		rc = kiosk_fail(why, KIOSK_ENOMEM, "Out of memory while drawing the code.");
		goto out;
	}
	/* each module row is drawn once in its first dot row, then copied down */
	for (int my = 0; my < rows; my++) {
		int y0 = qy + my * row_h;
		for (int mx = 0; mx < modules; mx++) {
			/* zint's bitmap is RGB; black modules are 0 in every channel */
			if (sym->bitmap[(my * modules + mx) * 3] >= 128)
				continue;
			for (int dx = 0; dx < mod; dx++)
				raster_set(out, (quiet + mx) * mod + dx, y0);
		}
		uint8_t *first = out->bits + (size_t)y0 * (size_t)out->stride;
		for (int dy = 1; dy < row_h; dy++)
			memcpy(first + (size_t)dy * (size_t)out->stride, first, (size_t)out->stride);
	}
	rc = 0;
out:
	ZBarcode_Delete(sym);
	return rc;
}
