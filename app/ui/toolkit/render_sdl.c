/* The renderer: the only file that calls SDL_render and SDL_ttf. It turns
 * a ui_tree into pixels. Text is wrapped here (the same code measures for
 * layout and draws, so they agree) and every line is rendered once into a
 * cached texture keyed by text + size + weight + colour. */
#include "ui/toolkit/ui_private.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/raster.h"
#include "ui/toolkit/theme.h"

#define N_FONTS 24
#define CACHE_SLOTS 2048

struct font_slot {
	int px;
	bool bold;
	TTF_Font *font;
};

struct tex_slot {
	char *text;
	int px;
	bool bold;
	Uint32 rgb;
	SDL_Texture *tex;
	int w, h;
};

struct ui_render {
	SDL_Renderer *r;
	char font_path[1024], bold_path[1024];
	struct font_slot fonts[N_FONTS];
	struct tex_slot cache[CACHE_SLOTS];
	int n_cached;
	/* the last QR code drawn, made once with zint */
	char qr_payload[256];
	SDL_Texture *qr;
	int qr_size;
};

int ui_render_create(struct ui_render **out, SDL_Renderer *r, const char *font_path,
		     const char *bold_path, struct kiosk_why *why)
{
	TTF_Font *probe = TTF_OpenFont(font_path, 20);
	if (!probe)
		return kiosk_fail(why, KIOSK_EIO, "cannot open the font %s (set [kiosk] font): %s",
				  font_path, TTF_GetError());
	TTF_CloseFont(probe);
	struct ui_render *rd = calloc(1, sizeof *rd);
	if (!rd)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	rd->r = r;
	snprintf(rd->font_path, sizeof rd->font_path, "%s", font_path);
	snprintf(rd->bold_path, sizeof rd->bold_path, "%s", bold_path ? bold_path : font_path);
	*out = rd;
	return 0;
}

static void cache_flush(struct ui_render *rd)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (rd->cache[i].text) {
			mem_wipe(rd->cache[i].text, strlen(rd->cache[i].text));
			free(rd->cache[i].text);
			SDL_DestroyTexture(rd->cache[i].tex);
		}
	}
	memset(rd->cache, 0, sizeof rd->cache);
	rd->n_cached = 0;
}

void ui_render_forget(struct ui_render *rd)
{
	cache_flush(rd);
	if (rd->qr) {
		SDL_DestroyTexture(rd->qr);
		rd->qr = NULL;
	}
	mem_wipe(rd->qr_payload, sizeof rd->qr_payload);
}

void ui_render_destroy(struct ui_render *rd)
{
	if (!rd)
		return;
	cache_flush(rd);
	for (int i = 0; i < N_FONTS; i++)
		if (rd->fonts[i].font)
			TTF_CloseFont(rd->fonts[i].font);
	if (rd->qr)
		SDL_DestroyTexture(rd->qr);
	free(rd);
}

static TTF_Font *font_get(struct ui_render *rd, int px, bool bold)
{
	int free_i = -1;
	for (int i = 0; i < N_FONTS; i++) {
		if (rd->fonts[i].font && rd->fonts[i].px == px && rd->fonts[i].bold == bold)
			return rd->fonts[i].font;
		if (!rd->fonts[i].font && free_i < 0)
			free_i = i;
	}
	if (free_i < 0) { /* many sizes seen (window resized often): start over */
		cache_flush(rd);
		for (int i = 0; i < N_FONTS; i++) {
			TTF_CloseFont(rd->fonts[i].font);
			rd->fonts[i].font = NULL;
		}
		free_i = 0;
	}
	TTF_Font *f = TTF_OpenFont(bold ? rd->bold_path : rd->font_path, px);
	if (!f)
		f = TTF_OpenFont(rd->font_path, px);
	rd->fonts[free_i] = (struct font_slot){px, bold, f};
	return f;
}

/* ---- wrapping ----------------------------------------------------------- */

static int text_w(TTF_Font *f, const char *s, size_t n)
{
	char buf[UI_LABEL_MAX];
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	int w = 0, h = 0;
	TTF_SizeUTF8(f, buf, &w, &h);
	return w;
}

/* Split text into lines no wider than width: at spaces, at '\n', and
 * inside a word only when the word alone is too wide. Calls fn per line. */
static int wrap(TTF_Font *f, const char *text, int width,
		void (*fn)(void *arg, const char *s, size_t n, int row), void *arg)
{
	int rows = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t para = nl ? (size_t)(nl - p) : strlen(p);
		size_t start = 0;
		if (para == 0)
			fn(arg, p, 0, rows++);
		while (start < para) {
			size_t best = 0, i = start;
			while (i <= para) {
				if (i == para || p[i] == ' ') {
					if (text_w(f, p + start, i - start) <= width || best == 0)
						best = i - start;
					if (text_w(f, p + start, i - start) > width)
						break;
				}
				i++;
			}
			if (text_w(f, p + start, best) > width) { /* one long word: cut by chars */
				size_t k = 1;
				while (start + k < para) {
					size_t nk = k + 1;
					while (start + nk < para && ((unsigned char)p[start + nk] & 0xC0) == 0x80)
						nk++;
					if (text_w(f, p + start, nk) > width)
						break;
					k = nk;
				}
				best = k;
			}
			fn(arg, p + start, best, rows++);
			start += best;
			while (start < para && p[start] == ' ')
				start++;
		}
		p += para;
		if (*p == '\n')
			p++;
	}
	return rows;
}

static void count_line(void *arg, const char *s, size_t n, int row)
{
	(void)arg, (void)s, (void)n, (void)row;
}

int ui_render_text_height(struct ui_render *rd, int px, bool bold, const char *text, int width)
{
	TTF_Font *f = font_get(rd, px, bold);
	if (!f)
		return px;
	int rows = wrap(f, text, width, count_line, NULL);
	return (rows ? rows : 1) * TTF_FontLineSkip(f);
}

static struct tex_slot *texture_get(struct ui_render *rd, TTF_Font *f, int px, bool bold,
				    const char *s, size_t n, struct ui_rgb c)
{
	char buf[UI_LABEL_MAX];
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	Uint32 rgb = (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
	Uint32 h = 2166136261u; /* FNV-1a over the key */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (Uint8)buf[i]) * 16777619u;
	h = (h ^ (Uint32)px) * 16777619u;
	h = (h ^ (bold ? 1u : 0u)) * 16777619u;
	h = (h ^ rgb) * 16777619u;
	for (Uint32 k = 0; k < CACHE_SLOTS; k++) {
		struct tex_slot *e = &rd->cache[(h + k) % CACHE_SLOTS];
		if (!e->text)
			break;
		if (e->px == px && e->bold == bold && e->rgb == rgb && !strcmp(e->text, buf))
			return e;
	}
	if (rd->n_cached >= CACHE_SLOTS * 3 / 4)
		cache_flush(rd);
	SDL_Surface *sf = TTF_RenderUTF8_Blended(f, buf, (SDL_Color){c.r, c.g, c.b, 255});
	if (!sf)
		return NULL;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(rd->r, sf);
	int w = sf->w, hh = sf->h;
	SDL_FreeSurface(sf);
	if (!tex)
		return NULL;
	for (Uint32 k = 0;; k++) {
		struct tex_slot *e = &rd->cache[(h + k) % CACHE_SLOTS];
		if (!e->text) {
			*e = (struct tex_slot){strdup(buf), px, bold, rgb, tex, w, hh};
			if (!e->text) {
				SDL_DestroyTexture(tex);
				e->tex = NULL;
				return NULL;
			}
			rd->n_cached++;
			return e;
		}
	}
}

/* ---- drawing ------------------------------------------------------------ */

static void color(SDL_Renderer *r, struct ui_rgb c)
{
	SDL_SetRenderDrawColor(r, c.r, c.g, c.b, 255);
}

static void fill_round(SDL_Renderer *r, int x, int y, int w, int h, int rad)
{
	if (rad * 2 > h)
		rad = h / 2;
	if (rad * 2 > w)
		rad = w / 2;
	SDL_Rect mid = {x, y + rad, w, h - 2 * rad};
	SDL_RenderFillRect(r, &mid);
	for (int dy = 0; dy < rad; dy++) {
		/* inset of the corner arc at this row */
		double yy = rad - dy - 0.5;
		int in = rad - (int)(SDL_sqrt((double)rad * rad - yy * yy) + 0.5);
		SDL_RenderDrawLine(r, x + in, y + dy, x + w - 1 - in, y + dy);
		SDL_RenderDrawLine(r, x + in, y + h - 1 - dy, x + w - 1 - in, y + h - 1 - dy);
	}
}

static void box(SDL_Renderer *r, int x, int y, int w, int h, int rad, int border, struct ui_rgb fill,
		struct ui_rgb edge)
{
	if (border > 0) {
		color(r, edge);
		fill_round(r, x, y, w, h, rad);
	}
	color(r, fill);
	fill_round(r, x + border, y + border, w - 2 * border, h - 2 * border,
		   rad > border ? rad - border : 0);
}

/* A control that cannot be used: its fill and a dashed edge, so it differs
 * from a usable one by shape as well as colour (WCAG 1.4.1). */
static void dashed_box(SDL_Renderer *r, int x, int y, int w, int h, int rad, int border,
		       struct ui_rgb fill, struct ui_rgb edge)
{
	box(r, x, y, w, h, rad, 0, fill, fill);
	color(r, edge);
	int dash = 3 * border + 6, gap = 2 * border + 4;
	for (int at = x + rad; at < x + w - rad; at += dash + gap) {
		int n = at + dash <= x + w - rad ? dash : x + w - rad - at;
		SDL_Rect top = {at, y, n, border}, bottom = {at, y + h - border, n, border};
		SDL_RenderFillRect(r, &top);
		SDL_RenderFillRect(r, &bottom);
	}
	for (int at = y + rad; at < y + h - rad; at += dash + gap) {
		int n = at + dash <= y + h - rad ? dash : y + h - rad - at;
		SDL_Rect left = {x, at, border, n}, right = {x + w - border, at, border, n};
		SDL_RenderFillRect(r, &left);
		SDL_RenderFillRect(r, &right);
	}
}

struct draw_lines {
	struct ui_render *rd;
	TTF_Font *f;
	int px;
	bool bold;
	struct ui_rgb c;
	int x, y, w, skip;
	bool center;
};

static void draw_line(void *arg, const char *s, size_t n, int row)
{
	struct draw_lines *d = arg;
	if (!n)
		return;
	struct tex_slot *e = texture_get(d->rd, d->f, d->px, d->bold, s, n, d->c);
	if (!e)
		return;
	SDL_Rect dst = {d->x, d->y + row * d->skip, e->w, e->h};
	if (d->center)
		dst.x = d->x + (d->w - e->w) / 2;
	SDL_RenderCopy(d->rd->r, e->tex, NULL, &dst);
}

/* Draw text wrapped inside the box; vertically centred when vcenter. */
static void draw_text(struct ui_render *rd, const struct ui_ctx *ctx, enum ui_font font,
		      const char *text, int x, int y, int w, int h, struct ui_rgb c, bool center,
		      bool vcenter)
{
	int px = ui_font_px(ctx, font);
	bool bold = ui_font_bold(font);
	TTF_Font *f = font_get(rd, px, bold);
	if (!f || !*text)
		return;
	int skip = TTF_FontLineSkip(f);
	int th = ui_render_text_height(rd, px, bold, text, w);
	struct draw_lines d = {rd, f, px, bold, c, x, vcenter ? y + (h - th) / 2 : y, w, skip, center};
	wrap(f, text, w, draw_line, &d);
}

static void fill_circle(SDL_Renderer *r, int cx, int cy, int rad)
{
	for (int dy = -rad; dy <= rad; dy++) {
		int dx = (int)SDL_sqrt((double)rad * rad - (double)dy * dy);
		SDL_RenderDrawLine(r, cx - dx, cy + dy, cx + dx, cy + dy);
	}
}

static void fill(SDL_Renderer *r, int x, int y, int w, int h)
{
	SDL_Rect q = {x, y, w, h};
	SDL_RenderFillRect(r, &q);
}

/* A QR code as a texture, one texel a module (scaled without smoothing). */
static SDL_Texture *qr_texture(struct ui_render *rd, const char *payload, int *size)
{
	if (rd->qr && !strcmp(rd->qr_payload, payload)) {
		*size = rd->qr_size;
		return rd->qr;
	}
	struct raster ras = {0};
	struct kiosk_why why;
	if (raster_code(&ras, RASTER_QR, payload, 400, &why))
		return NULL;
	SDL_Surface *sf = SDL_CreateRGBSurfaceWithFormat(0, ras.width, ras.height, 32,
							 SDL_PIXELFORMAT_RGBA32);
	if (!sf) {
		raster_free(&ras);
		return NULL;
	}
	for (int y = 0; y < ras.height; y++) {
		Uint32 *row = (Uint32 *)((Uint8 *)sf->pixels + y * sf->pitch);
		for (int x = 0; x < ras.width; x++)
			row[x] = raster_get(&ras, x, y) ? SDL_MapRGBA(sf->format, 0, 0, 0, 255)
							: SDL_MapRGBA(sf->format, 255, 255, 255, 255);
	}
	raster_free(&ras);
	SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "nearest");
	SDL_Texture *tex = SDL_CreateTextureFromSurface(rd->r, sf);
	int w = sf->w;
	SDL_FreeSurface(sf);
	if (!tex)
		return NULL;
	if (rd->qr)
		SDL_DestroyTexture(rd->qr);
	rd->qr = tex;
	rd->qr_size = w;
	/* The cache key; payloads are case codes far shorter than the key. */
	snprintf(rd->qr_payload, sizeof rd->qr_payload, "%.*s", (int)sizeof rd->qr_payload - 1,
		 payload);
	*size = w;
	return tex;
}

static void draw_person(SDL_Renderer *r, int x, int y, int h, struct ui_rgb c)
{
	color(r, c);
	fill_circle(r, x + h / 2, y + h / 4, h / 5);
	fill_round(r, x + h / 6, y + h / 2, h * 2 / 3, h / 2, h / 5);
}

/* Pictures that show how to hold a code to the scanner, from primitives:
 * the paper (receipt / card) held above the scanner's window, an arrow
 * between them. Sized to the widget, so it scales with the screen. */
static void draw_image(struct ui_render *rd, const struct ui_ctx *ctx, const struct ui_theme *th,
		       const struct ui_widget *w)
{
	SDL_Renderer *r = rd->r;
	if (w->image == UI_IMG_NONE)
		return;
	if (w->image == UI_IMG_PERSON) {
		draw_person(r, w->x + (w->w - w->h) / 2, w->y, w->h, th->btn_border);
		return;
	}
	if (w->image == UI_IMG_QR) {
		int n = 0;
		SDL_Texture *tex = qr_texture(rd, w->label, &n);
		if (tex && n > 0) {
			int side = w->h / n * n; /* whole pixels a module: crisp edges */
			if (side < n)
				side = n;
			SDL_Rect dst = {w->x + (w->w - side) / 2, w->y + (w->h - side) / 2, side, side};
			SDL_RenderCopy(r, tex, NULL, &dst);
		}
		return;
	}
	int cx = w->x + w->w / 2, u = w->h / 20;
	if (u < 1)
		u = 1;
	/* scanner: a dark block with a red window line, at the bottom */
	int sw = 10 * u, sh = 3 * u, sy = w->y + w->h - sh;
	color(r, th->muted);
	fill_round(r, cx - sw / 2, sy, sw, sh, u);
	color(r, (struct ui_rgb){220, 40, 40});
	fill(r, cx - sw / 2 + u, sy + u, sw - 2 * u, u / 2 + 1);
	/* arrow down */
	color(r, th->btn_border);
	fill(r, cx - u / 2, sy - 4 * u, u, 2 * u);
	for (int i = 0; i < 2 * u; i++)
		SDL_RenderDrawLine(r, cx - (2 * u - i), sy - 2 * u + i, cx + (2 * u - i), sy - 2 * u + i);
	int py = w->y, ph = w->h - sh - 5 * u;
	if (w->image == UI_IMG_SCAN_ID) {
		int cw = ph * 16 / 10;
		if (cw > w->w)
			cw = w->w;
		int x0 = cx - cw / 2;
		box(r, x0, py, cw, ph, u, th->border_px, th->panel, th->panel_border);
		color(r, th->quiet);
		fill(r, x0 + 2 * u, py + 2 * u, cw / 4, ph / 2); /* photo */
		color(r, th->muted);
		fill_circle(r, x0 + 2 * u + cw / 8, py + 2 * u + ph / 6, ph / 10);
		for (int i = 0; i < 3; i++) /* the machine-readable lines */
			for (int k = 0; k < 30; k++)
				fill(r, x0 + 2 * u + k * (cw - 4 * u) / 30, py + ph - (3 - i) * (ph / 8) - u,
				     (cw - 4 * u) / 45, ph / 14);
	} else if (w->image == UI_IMG_SCAN_RECEIPT || w->image == UI_IMG_SCAN_CASE) {
		int rw = ph * 6 / 10, x0 = cx - rw / 2;
		box(r, x0, py, rw, ph, u / 2, th->border_px, th->panel, th->panel_border);
		color(r, th->muted);
		for (int i = 0; i < 3; i++) /* printed lines of text */
			fill(r, x0 + 2 * u, py + 2 * u + i * (ph / 9), rw - (i % 2 ? 7 : 4) * u, u / 2 + 1);
		color(r, th->text);
		if (w->image == UI_IMG_SCAN_RECEIPT) {
			static const int bars[] = {2, 1, 1, 3, 1, 2, 2, 1, 3, 1, 1, 2, 1, 1, 3, 2, 1, 2, 1, 1};
			int unit = (rw - 4 * u) / 34, x = x0 + 2 * u;
			if (unit < 1)
				unit = 1;
			for (size_t i = 0; i < sizeof bars / sizeof bars[0]; i++) {
				if (!(i % 2))
					fill(r, x, py + ph * 55 / 100, bars[i] * unit, ph * 32 / 100);
				x += bars[i] * unit;
			}
		} else {
			static const char qr[7][8] = {"1110111", "1010100", "1110111", "0001000",
						      "1101011", "0110110", "1011101"};
			int q = (ph / 2) / 7, x = cx - 7 * q / 2, y = py + ph - 7 * q - 2 * u;
			for (int i = 0; i < 7; i++)
				for (int k = 0; k < 7; k++)
					if (qr[i][k] == '1')
						fill(r, x + k * q, y + i * q, q, q);
		}
	}
	(void)ctx;
}

static void draw_widget(struct ui_render *rd, const struct ui_ctx *ctx, const struct ui_theme *th,
			const struct ui_widget *w)
{
	SDL_Renderer *r = rd->r;
	int pad = ui_unit(ctx, 28), rad = ui_unit(ctx, 18), bp = th->border_px;
	enum ui_font font = ui_widget_font(w);
	bool center = (w->style & UI_ST_CENTER) != 0;
	bool on = (w->style & UI_ST_ON) != 0;
	struct ui_rgb fg = th->text;
	switch (w->role) {
	case UI_ROLE_HEADING:
		draw_text(rd, ctx, font, w->label, w->x, w->y, w->w, w->h, th->text, center, false);
		return;
	case UI_ROLE_TEXT:
		if (w->style & UI_ST_PANEL) {
			box(r, w->x, w->y, w->w, w->h, rad, on ? bp * 2 : bp / 2 + 1,
			    th->panel, on ? th->on : th->panel_border);
			draw_text(rd, ctx, font, w->label, w->x + pad, w->y + pad, w->w - 2 * pad,
				  w->h - 2 * pad, (w->style & UI_ST_WARN) ? th->warn : fg, center, true);
			return;
		}
		draw_text(rd, ctx, font, w->label, w->x, w->y, w->w, w->h,
			  (w->style & UI_ST_WARN) ? th->warn : th->text, center, center);
		return;
	case UI_ROLE_IMAGE:
		draw_image(rd, ctx, th, w);
		return;
	case UI_ROLE_INPUT: {
		box(r, w->x, w->y, w->w, w->h, rad / 2, bp + 1, th->panel, th->btn_border);
		char shown[UI_LABEL_MAX + 8];
		if (w->style & UI_ST_MASK) {
			size_t n = strlen(w->label), k = 0;
			for (size_t i = 0; i < n && k + 4 < sizeof shown; i++, k += 3)
				memcpy(shown + k, "\xE2\x97\x8F", 3); /* ● */
			shown[k] = 0;
		} else {
			snprintf(shown, sizeof shown, "%s_", w->label);
		}
		draw_text(rd, ctx, font, shown, w->x + pad, w->y, w->w - 2 * pad, w->h, th->text,
			  center, true);
		return;
	}
	default:
		break;
	}
	/* tappable: button, key, list item, toggle */
	struct ui_rgb bg = th->btn, edge = th->btn_border;
	fg = th->btn_text;
	int border = bp;
	if (!w->enabled) {
		bg = th->disabled, fg = th->disabled_text, edge = th->disabled_text;
	} else if (on) {
		bg = th->on, fg = th->on_text, edge = th->on;
	} else if (w->style & UI_ST_PRIMARY) {
		bg = th->primary, fg = th->primary_text, edge = th->primary;
	} else if (w->style & UI_ST_QUIET) {
		bg = th->quiet, fg = th->quiet_text, edge = th->quiet_text;
		border = bp / 2 + 1;
	}
	if (w->style & UI_ST_WARN)
		edge = th->warn;
	if (w->enabled)
		box(r, w->x, w->y, w->w, w->h, rad, border, bg, edge);
	else
		dashed_box(r, w->x, w->y, w->w, w->h, rad, border, bg, edge);
	int tx = w->x + pad, tw = w->w - 2 * pad;
	if (w->role == UI_ROLE_KEY || (w->style & UI_ST_QUIET))
		tx = w->x + 4, tw = w->w - 8;
	if (w->image == UI_IMG_PERSON) {
		int ih = w->h * 55 / 100;
		draw_person(r, w->x + pad, w->y + (w->h - ih) / 2, ih, fg);
		tx += ih / 2, tw -= ih;
	}
	draw_text(rd, ctx, font, w->label, tx, w->y, tw, w->h, fg, center, true);
}

void ui_render_tree(struct ui_render *rd, const struct ui_ctx *ctx, const struct ui_tree *t)
{
	const struct ui_theme *th = ui_theme_get(ctx->high_contrast);
	color(rd->r, th->bg);
	SDL_RenderClear(rd->r);
	for (int i = 0; i < t->n; i++) {
		const struct ui_widget *w = &t->w[i];
		/* An overlay dims what is under it. */
		if (!strcmp(w->id, "overlay")) {
			SDL_SetRenderDrawBlendMode(rd->r, SDL_BLENDMODE_BLEND);
			SDL_SetRenderDrawColor(rd->r, 0, 0, 0, 150);
			SDL_RenderFillRect(rd->r, NULL);
			SDL_SetRenderDrawBlendMode(rd->r, SDL_BLENDMODE_NONE);
		}
		draw_widget(rd, ctx, th, w);
	}
}
