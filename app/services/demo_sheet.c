/* The demo sheet: one printable PNG (A4 at 150 dpi) with every demo code as
 * a real barcode made by zint, each with a caption saying what to try.
 * Codes are drawn from zint's own bitmaps at whole-pixel module sizes, so
 * a phone camera, a USB scanner or zbarimg reads them back; text is drawn
 * with DejaVu through SDL_ttf (as the receipt preview does) and the file is
 * written with libpng. */
#include "services/demo.h"

#include <SDL_ttf.h>
#include <png.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

/* A4 at 150 dpi: 210 x 297 mm. */
#define SHEET_W 1240
#define SHEET_H 1754
#define MARGIN 70
#define CODE_COL_W 480   /* codes left, captions right */
#define GAP 30

static const char *const font_files[] = {
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", /* MRZ, OCR-B-like */
};
enum { FONT_TEXT, FONT_TITLE, FONT_MONO, N_FONTS };
static const int font_px[N_FONTS] = {20, 34, 24};

struct sheet {
	uint8_t *px;       /* 8-bit gray, 255 white */
	TTF_Font *font[N_FONTS];
};

/* Draw text (black, anti-aliased) wrapped at w; returns its height. */
static int draw_text(struct sheet *sh, int font, const char *text, int x, int y, int w)
{
	SDL_Color black = {0, 0, 0, 255};
	SDL_Surface *s = TTF_RenderUTF8_Blended_Wrapped(sh->font[font], text, black, (Uint32)w);
	if (!s)
		return 0;
	SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(s);
	if (!c)
		return 0;
	SDL_LockSurface(c);
	for (int j = 0; j < c->h && y + j < SHEET_H; j++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)c->pixels + j * c->pitch);
		for (int i = 0; i < c->w && x + i < SHEET_W; i++) {
			unsigned a = row[i] >> 24;
			uint8_t *d = &sh->px[(size_t)(y + j) * SHEET_W + (size_t)(x + i)];
			*d = (uint8_t)(*d * (255 - a) / 255);
		}
	}
	int h = c->h;
	SDL_UnlockSurface(c);
	SDL_FreeSurface(c);
	return h;
}

/* A barcode from zint's bitmap at (x, y); returns its height, or a
 * negative kiosk_err with why. */
static int draw_code(struct sheet *sh, int symbology, float scale, const char *payload, int x,
		     int y, struct kiosk_why *why)
{
	struct zint_symbol *z = ZBarcode_Create();
	if (!z)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	z->symbology = symbology;
	z->input_mode = DATA_MODE;
	z->scale = scale;
	if (symbology == BARCODE_CODE128) {
		z->height = 40;
		z->show_hrt = 1;
	}
	int err = ZBarcode_Encode_and_Buffer(z, (unsigned char *)payload, (int)strlen(payload), 0);
	if (err >= ZINT_ERROR) {
		int rc = kiosk_fail(why, KIOSK_EINVAL, "zint could not draw '%.40s': %s", payload,
				    z->errtxt);
		ZBarcode_Delete(z);
		return rc;
	}
	int h = z->bitmap_height;
	for (int j = 0; j < h && y + j < SHEET_H; j++)
		for (int i = 0; i < z->bitmap_width && x + i < SHEET_W; i++)
			sh->px[(size_t)(y + j) * SHEET_W + (size_t)(x + i)] =
				z->bitmap[((size_t)j * (size_t)z->bitmap_width + (size_t)i) * 3];
	ZBarcode_Delete(z);
	return h;
}

static int write_png(const struct sheet *sh, const char *path, struct kiosk_why *why)
{
	/* the sheet holds a live case code and staff cards: its owner only */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 && !fchmod(fd, 0600) ? fdopen(fd, "wb") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return kiosk_fail(why, KIOSK_EIO, "cannot write the demo sheet %s", path);
	}
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		return kiosk_fail(why, KIOSK_EIO, "cannot write the demo sheet %s", path);
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, SHEET_W, SHEET_H, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_pHYs(png, info, 5906, 5906, PNG_RESOLUTION_METER); /* 150 dpi: prints as A4 */
	png_write_info(png, info);
	for (int y = 0; y < SHEET_H; y++)
		png_write_row(png, sh->px + (size_t)y * SHEET_W);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	if (fclose(f))
		return kiosk_fail(why, KIOSK_EIO, "cannot write the demo sheet %s", path);
	return 0;
}

static int fonts_open(struct sheet *sh, struct kiosk_why *why)
{
	if (TTF_Init())
		return kiosk_fail(why, KIOSK_EIO, "cannot start the font renderer: %s",
				  TTF_GetError());
	for (int i = 0; i < N_FONTS; i++) {
		sh->font[i] = TTF_OpenFont(font_files[i], font_px[i]);
		if (!sh->font[i])
			return kiosk_fail(why, KIOSK_EIO,
					  "the font %s is missing (Debian fonts-dejavu-core)",
					  font_files[i]);
	}
	return 0;
}

static void fonts_close(struct sheet *sh)
{
	for (int i = 0; i < N_FONTS; i++)
		if (sh->font[i])
			TTF_CloseFont(sh->font[i]);
	TTF_Quit();
}

/* One row: the code on the left, its caption on the right. */
static int draw_row(struct sheet *sh, const struct demo_code *code, int y, struct kiosk_why *why)
{
	int text_x = MARGIN + CODE_COL_W + GAP;
	int text_w = SHEET_W - MARGIN - text_x;
	int h;
	switch (code->kind) {
	case DEMO_CODE_RECEIPT:
	case DEMO_CODE_STAFF:
		h = draw_code(sh, BARCODE_CODE128, 1.0f, code->payload, MARGIN, y, why);
		break;
	case DEMO_CODE_CASE:
		h = draw_code(sh, BARCODE_QRCODE, 2.5f, code->payload, MARGIN, y, why);
		break;
	default:
		/* the MRZ as a QR too, for scanners without OCR; the text lines
		 * are what a document reader sees */
		h = draw_code(sh, BARCODE_QRCODE, 2.0f, code->payload, MARGIN, y, why);
		break;
	}
	if (h < 0)
		return h;
	int th = draw_text(sh, FONT_TEXT, code->caption, text_x, y, text_w);
	if (code->kind == DEMO_CODE_MRZ) {
		char lines[128];
		snprintf(lines, sizeof lines, "%s", code->payload);
		for (char *p = lines; *p; p++)
			if (*p == '\r')
				*p = '\n';
		th += 12 + draw_text(sh, FONT_MONO, lines, text_x, y + th + 12, text_w);
	}
	return h > th ? h : th;
}

int demo_sheet_write(const struct demo_result *r, const struct kiosk_config *cfg,
		     const struct i18n *t, const char *path, struct kiosk_why *why)
{
	struct sheet sh = {0};
	sh.px = malloc((size_t)SHEET_W * SHEET_H);
	if (!sh.px)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	memset(sh.px, 255, (size_t)SHEET_W * SHEET_H);
	int rc = fonts_open(&sh, why);
	if (rc)
		goto out;
	char title[256];
	const char *kv[] = {"store", cfg->store_id, "name", cfg->store_name, NULL};
	i18n_fill(title, sizeof title, i18n_get(t, "demo.sheet_title"), kv);
	int y = MARGIN;
	y += draw_text(&sh, FONT_TITLE, title, MARGIN, y, SHEET_W - 2 * MARGIN) + 10;
	y += draw_text(&sh, FONT_TEXT, i18n_get(t, "demo.sheet_intro"), MARGIN, y,
		       SHEET_W - 2 * MARGIN) + GAP;
	for (int i = 0; i < r->n_codes; i++) {
		int h = draw_row(&sh, &r->codes[i], y, why);
		if (h < 0) {
			rc = h;
			goto out;
		}
		y += h + GAP;
		if (y >= SHEET_H - MARGIN) {
			rc = kiosk_fail(why, KIOSK_EINVAL, "the demo codes do not fit on one sheet");
			goto out;
		}
	}
	rc = write_png(&sh, path, why);
out:
	fonts_close(&sh);
	free(sh.px);
	return rc;
}
