/* png:DIR — one PNG per print, rendered from the same ESC/POS bytes a
 * printer would get: this file reads them back like a printer (text in the
 * code page, bold, double size, alignment, feeds, GS v 0 raster) onto a
 * 1-dot-per-pixel canvas as wide as the paper. What you see is what the
 * bytes say, so the preview cannot drift from the printed receipt.
 * Text is drawn with DejaVu Sans Mono through SDL_ttf at the size where a
 * character is 12 dots wide, like a printer's font A. */
#include "drivers/printer_private.h"

#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/codepage.h"

/* Font A geometry of 203 dpi printers: 12 x 24 dot characters, a default
 * line pitch of 30 dots (ESC 2), and a margin above the first line. */
#define CELL_W 12
#define LINE_PITCH 30
#define FONT_PX 20       /* DejaVu Sans Mono: 0.602 em advance -> 12 px */
#define TOP_MARGIN 12

static const char *const font_paths[][2] = {
	/* regular, bold */
	{"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
	 "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"},
};

struct canvas {
	int w, h, cap_h;
	uint8_t *px;   /* 1 black, 0 white; one byte a dot */
};

static int canvas_grow(struct canvas *c, int h)
{
	if (h <= c->cap_h) {
		if (h > c->h)
			c->h = h;
		return 0;
	}
	int cap = c->cap_h ? c->cap_h : 1024;
	while (cap < h)
		cap *= 2;
	uint8_t *p = realloc(c->px, (size_t)cap * (size_t)c->w);
	if (!p)
		return KIOSK_ENOMEM;
	memset(p + (size_t)c->cap_h * (size_t)c->w, 0, (size_t)(cap - c->cap_h) * (size_t)c->w);
	c->px = p;
	c->cap_h = cap;
	c->h = h;
	return 0;
}

static void canvas_dot(struct canvas *c, int x, int y)
{
	if (x >= 0 && x < c->w && y >= 0 && y < c->h)
		c->px[(size_t)y * (size_t)c->w + (size_t)x] = 1;
}

/* One character waiting for the end of its line (alignment needs the
 * line's width). */
struct pending {
	uint32_t cp;
	bool bold;
	int sw, sh;   /* size multipliers */
};

struct render {
	struct canvas c;
	TTF_Font *font[2];
	int y;               /* top of the current line */
	int align;           /* 0 left, 1 centre, 2 right */
	bool bold;
	int sw, sh;
	const struct codepage *cp;
	struct pending line[256];
	int n_line;
};

static void draw_glyph(struct render *r, const struct pending *g, int x0, int y0)
{
	SDL_Color black = {0, 0, 0, 255};
	SDL_Surface *s = TTF_RenderGlyph32_Solid(r->font[g->bold], g->cp, black);
	if (!s)
		return; /* a glyph the font lacks prints as blank, like a printer */
	/* Solid surfaces are 8-bit palettised: index 0 is the background */
	for (int y = 0; y < s->h; y++) {
		const uint8_t *row = (const uint8_t *)s->pixels + y * s->pitch;
		for (int x = 0; x < s->w && x < CELL_W; x++) {
			if (!row[x])
				continue;
			for (int dy = 0; dy < g->sh; dy++)
				for (int dx = 0; dx < g->sw; dx++)
					canvas_dot(&r->c, x0 + x * g->sw + dx, y0 + y * g->sh + dy);
		}
	}
	SDL_FreeSurface(s);
}

/* LF: draw the pending characters aligned, advance by the tallest. */
static int flush_line(struct render *r)
{
	int width = 0, tall = 1;
	for (int i = 0; i < r->n_line; i++) {
		width += CELL_W * r->line[i].sw;
		if (r->line[i].sh > tall)
			tall = r->line[i].sh;
	}
	int pitch = LINE_PITCH * tall;
	if (canvas_grow(&r->c, r->y + pitch))
		return KIOSK_ENOMEM;
	int x = r->align == 1 ? (r->c.w - width) / 2 : r->align == 2 ? r->c.w - width : 0;
	if (x < 0)
		x = 0;
	for (int i = 0; i < r->n_line; i++) {
		/* characters of a line share its baseline: shorter ones sit low */
		int y = r->y + (tall - r->line[i].sh) * (LINE_PITCH - 6);
		draw_glyph(r, &r->line[i], x, y);
		x += CELL_W * r->line[i].sw;
	}
	r->y += pitch;
	r->n_line = 0;
	return 0;
}

static int add_char(struct render *r, uint8_t b)
{
	int used = 0;
	for (int i = 0; i < r->n_line; i++)
		used += CELL_W * r->line[i].sw;
	/* a printer wraps a line that does not fit; so does the preview */
	if (used + CELL_W * r->sw > r->c.w || r->n_line == (int)(sizeof(r->line) / sizeof(r->line[0]))) {
		int rc = flush_line(r);
		if (rc)
			return rc;
	}
	struct pending *g = &r->line[r->n_line++];
	g->cp = codepage_decode_byte(r->cp, b);
	g->bold = r->bold;
	g->sw = r->sw;
	g->sh = r->sh;
	return 0;
}

static int raster(struct render *r, int stride, int rows, const uint8_t *bits)
{
	int w = stride * 8;
	if (canvas_grow(&r->c, r->y + rows))
		return KIOSK_ENOMEM;
	int x0 = r->align == 1 ? (r->c.w - w) / 2 : r->align == 2 ? r->c.w - w : 0;
	if (x0 < 0)
		x0 = 0;
	for (int y = 0; y < rows; y++)
		for (int x = 0; x < w; x++)
			if ((bits[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1)
				canvas_dot(&r->c, x0 + x, r->y + y);
	r->y += rows;
	return 0;
}

static void reset_style(struct render *r)
{
	r->align = 0;
	r->bold = false;
	r->sw = r->sh = 1;
	r->cp = &codepage_cp858;
}

/* Interpret the commands escpos.c emits. Anything else is refused: this is
 * a preview of our own bytes, not a general emulator. */
static int interpret(struct render *r, const uint8_t *b, size_t n, struct kiosk_why *why)
{
	size_t i = 0;
	int rc = 0;
#define NEED(k)                                                                          \
	do {                                                                             \
		if (i + (k) > n)                                                         \
			return kiosk_fail(why, KIOSK_EINVAL, "The receipt bytes end inside a command."); \
	} while (0)
	while (i < n && !rc) {
		uint8_t c = b[i];
		if (c == 0x0A) {
			rc = flush_line(r);
			i++;
		} else if (c == 0x1B) {
			NEED(2);
			uint8_t op = b[i + 1];
			if (op == '@') {
				reset_style(r);
				i += 2;
				continue;
			}
			NEED(3);
			uint8_t a = b[i + 2];
			if (op == 't')
				r->cp = &codepage_cp858; /* the only page escpos.c selects */
			else if (op == 'E')
				r->bold = a & 1;
			else if (op == 'a')
				r->align = a % 3;
			else if (op == 'd') {
				if (r->n_line)
					rc = flush_line(r);
				for (int k = 0; k < a && !rc; k++)
					rc = flush_line(r);
			} else
				return kiosk_fail(why, KIOSK_EINVAL, "Unsupported command ESC %c.", op);
			i += 3;
		} else if (c == 0x1D) {
			NEED(2);
			uint8_t op = b[i + 1];
			if (op == '!') {
				NEED(3);
				r->sw = ((b[i + 2] >> 4) & 7) + 1;
				r->sh = (b[i + 2] & 7) + 1;
				i += 3;
			} else if (op == 'V') {
				NEED(3);
				i += b[i + 2] >= 65 ? 4 : 3;
			} else if (op == 'v') {
				NEED(8);
				int stride = b[i + 4] | b[i + 5] << 8;
				int rows = b[i + 6] | b[i + 7] << 8;
				i += 8;
				NEED((size_t)stride * (size_t)rows);
				rc = raster(r, stride, rows, b + i);
				i += (size_t)stride * (size_t)rows;
			} else {
				return kiosk_fail(why, KIOSK_EINVAL, "Unsupported command GS %c.", op);
			}
		} else {
			rc = add_char(r, c);
			i++;
		}
	}
#undef NEED
	if (!rc && r->n_line)
		rc = flush_line(r);
	if (rc)
		return kiosk_fail(why, rc, "Out of memory while drawing the receipt.");
	return 0;
}

static int write_png(const struct canvas *c, FILE *f, struct kiosk_why *why)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	uint8_t *row = malloc((size_t)c->w);
	if (!png || !info || !row) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory while writing the receipt image.");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return kiosk_fail(why, KIOSK_EIO, "The receipt image could not be written.");
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_GRAY,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* 203 dots per inch = 7992 per metre: the image prints at paper size */
	png_set_pHYs(png, info, 7992, 7992, PNG_RESOLUTION_METER);
	png_write_info(png, info);
	for (int y = 0; y < c->h; y++) {
		for (int x = 0; x < c->w; x++)
			row[x] = c->px[(size_t)y * (size_t)c->w + (size_t)x] ? 0 : 255;
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return 0;
}

static int fonts_open(TTF_Font *font[2], struct kiosk_why *why)
{
	if (TTF_Init())
		return kiosk_fail(why, KIOSK_EDEVICE, "Text for the receipt image cannot be drawn: %s.",
				  TTF_GetError());
	for (size_t i = 0; i < sizeof(font_paths) / sizeof(font_paths[0]); i++) {
		font[0] = TTF_OpenFont(font_paths[i][0], FONT_PX);
		font[1] = TTF_OpenFont(font_paths[i][1], FONT_PX);
		if (font[0] && font[1])
			return 0;
		if (font[0])
			TTF_CloseFont(font[0]);
		if (font[1])
			TTF_CloseFont(font[1]);
	}
	TTF_Quit();
	font[0] = font[1] = NULL;
	return kiosk_fail(why, KIOSK_EDEVICE,
			  "The font for the receipt image is missing (%s; Debian fonts-dejavu-core).",
			  font_paths[0][0]);
}

static void fonts_close(TTF_Font *font[2])
{
	TTF_CloseFont(font[0]);
	TTF_CloseFont(font[1]);
	TTF_Quit();
}

/* Render with fonts already open (the png transport opens them once, on
 * the thread that creates the printer: FreeType's library handle is shared
 * with the UI's text, and opening faces is not safe from two threads). */
static int render_png(TTF_Font *const font[2], const uint8_t *bytes, size_t len, int paper_dots,
		      const char *path, struct kiosk_why *why)
{
	struct render r;
	memset(&r, 0, sizeof(r));
	reset_style(&r);
	r.c.w = paper_dots;
	r.y = TOP_MARGIN;
	r.font[0] = font[0];
	r.font[1] = font[1];
	int rc = interpret(&r, bytes, len, why);
	if (!rc)
		rc = canvas_grow(&r.c, r.y + TOP_MARGIN) ? kiosk_fail(why, KIOSK_ENOMEM, "Out of memory.") : 0;
	if (!rc) {
		/* exclusive create: two prints never share a file */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); /* a live case code */
		FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
		if (!f) {
			rc = kiosk_fail(why, errno == EEXIST ? KIOSK_EEXIST : KIOSK_EIO,
					"The receipt image %s could not be created: %s.", path,
					strerror(errno));
			if (fd >= 0)
				close(fd);
		} else {
			rc = write_png(&r.c, f, why);
			if (fclose(f) && !rc)
				rc = kiosk_fail(why, KIOSK_EIO, "The receipt image %s could not be saved.", path);
			if (rc)
				unlink(path);
		}
	}
	free(r.c.px);
	return rc;
}

/* The fonts the renderer draws with, opened once (printer_private.h). */
struct png_fonts {
	TTF_Font *font[2];
};

int printer_png_fonts_open(struct png_fonts **out, struct kiosk_why *why)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory.");
	int rc = fonts_open((*out)->font, why);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

void printer_png_fonts_close(struct png_fonts *f)
{
	if (f)
		fonts_close(f->font);
	free(f);
}

int printer_png_interpret(const struct png_fonts *f, const uint8_t *bytes, size_t len,
			  int paper_dots, int *height, struct kiosk_why *why)
{
	struct render r;
	memset(&r, 0, sizeof(r));
	reset_style(&r);
	r.c.w = paper_dots;
	r.y = TOP_MARGIN;
	r.font[0] = f->font[0];
	r.font[1] = f->font[1];
	int rc = interpret(&r, bytes, len, why);
	*height = rc ? 0 : r.y + TOP_MARGIN;
	free(r.c.px);
	return rc;
}

int printer_render_png(const uint8_t *bytes, size_t len, int paper_dots, const char *path,
		       struct kiosk_why *why)
{
	TTF_Font *font[2];
	int rc = fonts_open(font, why);
	if (rc)
		return rc;
	rc = render_png(font, bytes, len, paper_dots, path, why);
	fonts_close(font);
	return rc;
}


/* ---- the png:DIR transport -------------------------------------------- */

struct png_priv {
	TTF_Font *font[2];
	char dir[900];
	int next;       /* next number to try for receipt-NNNN.png */
	char last[1024];
};

static int png_open(struct printer *p, const char *arg, struct kiosk_why *why)
{
	if (!arg[0])
		return kiosk_fail(why, KIOSK_EINVAL, "The printer spec png: needs a folder (png:DIR).");
	if (strlen(arg) >= sizeof(((struct png_priv *)0)->dir))
		return kiosk_fail(why, KIOSK_EINVAL, "The folder for receipt images is too long.");
	if (mkdir(arg, 0755) && errno != EEXIST)
		return kiosk_fail(why, KIOSK_EIO, "The folder %s for receipt images could not be made: %s.",
				  arg, strerror(errno));
	struct stat st;
	if (stat(arg, &st) || !S_ISDIR(st.st_mode))
		return kiosk_fail(why, KIOSK_EIO, "%s is not a folder for receipt images.", arg);
	struct png_priv *g = calloc(1, sizeof(*g));
	if (!g)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory opening the printer.");
	int rc = fonts_open(g->font, why);
	if (rc) {
		free(g);
		return rc;
	}
	snprintf(g->dir, sizeof(g->dir), "%s", arg);
	g->next = 1;
	p->priv = g;
	return 0;
}

static void png_close(struct printer *p)
{
	struct png_priv *g = p->priv;
	fonts_close(g->font);
	free(g);
}

static int png_write(struct printer *p, const uint8_t *b, size_t n, struct kiosk_why *why)
{
	struct png_priv *g = p->priv;
	for (; g->next < 100000; g->next++) {
		snprintf(g->last, sizeof(g->last), "%s/receipt-%04d.png", g->dir, g->next);
		int rc = render_png(g->font, b, n, p->paper_dots, g->last, why);
		if (rc != KIOSK_EEXIST) {
			if (!rc)
				g->next++;
			return rc;
		}
	}
	return kiosk_fail(why, KIOSK_EIO, "The folder %s holds too many receipt images.", g->dir);
}

const struct printer_ops printer_png_ops = {
	.name = "png",
	.open = png_open,
	.close = png_close,
	.write = png_write,
};
