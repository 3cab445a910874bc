/* The widget toolkit shared by the kiosk and the counter: sizes that scale
 * with the window, the common screen frame, and the widgets modes stack
 * into a column. Pure layout: it produces tree entries, never pixels. */
#include "ui/toolkit/ui_private.h"

#include <stdio.h>
#include <string.h>

/* Base sizes at a 1080-pixel short side (the design size). */
enum { MARGIN = 48, GAP = 24, TOPBAR_H = 104, TALK_H = 132, TOUCH_MIN = 96, PAD = 28 };
enum { FLOW_PAGES_MAX = 64 };

static const int font_px_1080[UI_FONT_COUNT] = {
	[UI_FONT_BODY] = 42, [UI_FONT_HEADING] = 64, [UI_FONT_SMALL] = 30, [UI_FONT_KEY] = 44,
};

int ui_unit(const struct ui_ctx *ctx, int px)
{
	int s = ctx->win_w < ctx->win_h ? ctx->win_w : ctx->win_h;
	if (s <= 0)
		s = 1080;
	return (int)((long)px * s / 1080);
}

int ui_font_px(const struct ui_ctx *ctx, enum ui_font f)
{
	int px = ui_unit(ctx, font_px_1080[f]);
	/* Large text: a third bigger; headings grow less so they still fit. */
	if (ctx->large_text)
		px = f == UI_FONT_HEADING ? px * 6 / 5 : px * 4 / 3;
	return px < 8 ? 8 : px;
}

bool ui_font_bold(enum ui_font f)
{
	return f == UI_FONT_HEADING || f == UI_FONT_KEY;
}

enum ui_font ui_widget_font(const struct ui_widget *w)
{
	if (w->role == UI_ROLE_HEADING || (w->style & UI_ST_LARGE))
		return UI_FONT_HEADING;
	if (w->role == UI_ROLE_KEY)
		return UI_FONT_KEY;
	if (w->style & UI_ST_SMALL)
		return UI_FONT_SMALL;
	return UI_FONT_BODY;
}

int ui_text_height(const struct ui_ctx *ctx, enum ui_font f, const char *text, int width)
{
	int px = ui_font_px(ctx, f);
	if (ctx->metrics.height)
		return ctx->metrics.height(ctx->metrics.data, px, ui_font_bold(f), text, width);
	/* No fonts loaded (unit tests): DejaVu averages ~0.55 em a glyph. */
	int per_line = width / (px * 55 / 100 + 1);
	int chars = 0, lines = 1;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n') {
			lines++;
			chars = 0;
		} else if ((*p & 0xC0) != 0x80 && ++chars > per_line) {
			lines++;
			chars = 1;
		}
	}
	return lines * px * 5 / 4;
}

int ui_touch_min(const struct ui_ctx *ctx)
{
	return ui_unit(ctx, TOUCH_MIN);
}


void ui_space(struct ui_col *c, int px)
{
	c->y += px;
}

static int take(struct ui_col *c, int h)
{
	int y = c->y;
	c->y += h + c->gap;
	return y;
}

struct ui_col ui_chrome(struct ui_ctx *ctx, struct ui_tree *t, const char *screen, unsigned flags)
{
	int m = ui_unit(ctx, MARGIN), g = ui_unit(ctx, 12);
	int W = ctx->win_w, H = ctx->win_h;
	snprintf(t->screen, sizeof t->screen, "%s", screen);

	/* Top bar: accessibility toggles left, languages right, equal widths so
	 * the bar looks the same in both languages. */
	static const char *const ids[5] = {UI_ID_LARGE_TEXT, UI_ID_CONTRAST, UI_ID_SPEECH,
					   UI_ID_LANG_SV, UI_ID_LANG_EN};
	static const char *const keys[5] = {"ui.large_text", "ui.high_contrast", "ui.speech",
					    "ui.lang_sv", "ui.lang_en"};
	bool on[5] = {ctx->large_text, ctx->high_contrast, ctx->speech_on,
		      !strcmp(ctx->lang, "sv"), !strcmp(ctx->lang, "en")};
	int bar_w = W - 2 * m;
	int extra = ui_unit(ctx, 24); /* a wider gap between toggles and languages */
	int bw = (bar_w - 4 * g - extra) / 5;
	int bh = ui_unit(ctx, TOPBAR_H) - ui_unit(ctx, 8);
	if (bh < ui_touch_min(ctx))
		bh = ui_touch_min(ctx);
	int x = m, y = ui_unit(ctx, 20);
	for (int i = 0; i < 5; i++) {
		if (i == 3)
			x += extra;
		struct ui_widget *w = ui_tree_add(t, ids[i], UI_ROLE_TOGGLE, ui_tr(ctx, keys[i]), x, y,
						  bw, bh, UI_ST_QUIET | UI_ST_SMALL | UI_ST_CENTER |
						  (on[i] ? UI_ST_ON : 0));
		(void)w;
		x += bw + g;
	}
	int top = y + bh + ui_unit(ctx, 36);

	/* Content: a calm column, not wider than is comfortable to read. */
	int cw = W - 2 * m;
	int max_w = ui_unit(ctx, 1300);
	if (cw > max_w && W <= H)
		cw = max_w;
	struct ui_col c = {.x = (W - cw) / 2, .y = top, .w = cw, .gap = ui_unit(ctx, GAP)};
	c.bottom = H - m;
	if (flags & UI_CHROME_LOW) {
		/* large text, contrast and speech again along the bottom edge */
		int lw = (cw - 2 * g) / 3, lh = ui_touch_min(ctx);
		int ly = H - m - lh;
		for (int i = 0; i < 3; i++) {
			char id[UI_ID_MAX];
			snprintf(id, sizeof id, "%s%s", ids[i], UI_ID_LOW);
			ui_tree_add(t, id, UI_ROLE_TOGGLE, ui_tr(ctx, keys[i]), c.x + i * (lw + g), ly,
				    lw, lh, UI_ST_QUIET | UI_ST_SMALL | UI_ST_CENTER |
				    (on[i] ? UI_ST_ON : 0));
		}
		c.bottom = ly - g;
	}
	if (flags & UI_CHROME_TALK) {
		int th = ui_unit(ctx, TALK_H);
		int ty = c.bottom - th;
		struct ui_widget *w = ui_tree_add(t, "talk", UI_ROLE_BUTTON, ui_tr(ctx, "ui.talk"),
						  c.x, ty, cw, th, UI_ST_CENTER);
		w->image = UI_IMG_PERSON;
		c.bottom = ty - ui_unit(ctx, GAP);
	}
	return c;
}

struct ui_widget *ui_heading(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
			     const char *label)
{
	int h = ui_text_height(ctx, UI_FONT_HEADING, label, c->w);
	return ui_tree_add(t, "heading", UI_ROLE_HEADING, label, c->x, take(c, h), c->w, h, 0);
}

struct ui_widget *ui_text(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *id,
			  const char *label, unsigned style)
{
	struct ui_widget probe = {.role = UI_ROLE_TEXT, .style = style};
	int pad = (style & UI_ST_PANEL) ? ui_unit(ctx, PAD) : 0;
	int h = ui_text_height(ctx, ui_widget_font(&probe), label, c->w - 2 * pad) + 2 * pad;
	return ui_tree_add(t, id, UI_ROLE_TEXT, label, c->x, take(c, h), c->w, h, style);
}

static bool tappable(const struct ui_widget *w)
{
	return w->role == UI_ROLE_BUTTON || w->role == UI_ROLE_KEY || w->role == UI_ROLE_TOGGLE ||
	       w->role == UI_ROLE_LIST_ITEM || w->role == UI_ROLE_INPUT;
}

/* Does [y, y + h) in area meet no control? */
static bool free_band(const struct ui_tree *t, const struct ui_col *area, int y, int h)
{
	if (y < area->y || y + h > area->bottom)
		return false;
	for (int i = 0; i < t->n; i++) {
		const struct ui_widget *w = &t->w[i];
		if (tappable(w) && y < w->y + w->h && w->y < y + h && area->x < w->x + w->w &&
		    w->x < area->x + area->w)
			return false;
	}
	return true;
}

static bool in_area(const struct ui_widget *w, const struct ui_col *area)
{
	return area->x < w->x + w->w && w->x < area->x + area->w;
}

void ui_fit(struct ui_tree *t, int from, const struct ui_col *area)
{
	int end = 0;
	for (int i = from; i < t->n; i++)
		if (in_area(&t->w[i], area) && t->w[i].y + t->w[i].h > end)
			end = t->w[i].y + t->w[i].h;
	int over = end - area->bottom;
	for (int i = from; i < t->n && over > 0; i++) {
		struct ui_widget *p = &t->w[i];
		if (p->role != UI_ROLE_IMAGE || !in_area(p, area))
			continue;
		int cut = p->h * 2 / 5 < over ? p->h * 2 / 5 : over; /* still 3/5 of its size */
		p->h -= cut;
		over -= cut;
		for (int j = from; j < t->n; j++)
			if (t->w[j].y > p->y && in_area(&t->w[j], area))
				t->w[j].y -= cut;
	}
}

void ui_sink(struct ui_tree *t, int from, const struct ui_col *area)
{
	int first = -1, end = 0;
	for (int i = from; i < t->n; i++) {
		const struct ui_widget *w = &t->w[i];
		if (!in_area(w, area))
			continue;
		if (first < 0 && tappable(w))
			first = i;
		if (first >= 0 && w->y + w->h > end)
			end = w->y + w->h;
	}
	int shift = area->bottom - end;
	if (first < 0 || shift <= 0)
		return;
	for (int i = first; i < t->n; i++)
		if (in_area(&t->w[i], area))
			t->w[i].y += shift;
}

struct ui_widget *ui_text_bottom(struct ui_ctx *ctx, struct ui_tree *t, const struct ui_col *area,
				 const char *id, const char *label, unsigned style, bool force)
{
	struct ui_widget probe = {.role = UI_ROLE_TEXT, .style = style};
	int pad = (style & UI_ST_PANEL) ? ui_unit(ctx, PAD) : 0;
	int h = ui_text_height(ctx, ui_widget_font(&probe), label, area->w - 2 * pad) + 2 * pad;
	/* As low as the area allows, below everything the screen placed;
	 * where the screen is full, the lowest band that meets no control (it
	 * may cover a text for as long as it shows). */
	int end = area->y;
	for (int i = 0; i < t->n; i++) {
		const struct ui_widget *w = &t->w[i];
		if (w->y >= area->y && w->y < area->bottom && w->y + w->h + area->gap > end &&
		    in_area(w, area))
			end = w->y + w->h + area->gap;
	}
	int y = area->bottom - h > end ? area->bottom - h : end;
	if (!free_band(t, area, y, h)) {
		int best = -1;
		for (int i = 0; i < t->n; i++) { /* just above or below a control */
			const struct ui_widget *w = &t->w[i];
			int above = w->y - area->gap - h, below = w->y + w->h + area->gap;
			if (tappable(w) && above > best && free_band(t, area, above, h))
				best = above;
			if (tappable(w) && below > best && free_band(t, area, below, h))
				best = below;
		}
		if (best < 0 && !force)
			return NULL;
		y = best >= 0 ? best : area->y;
	}
	return ui_tree_add(t, id, UI_ROLE_TEXT, label, area->x, y, area->w, h, style);
}

static int button_height(struct ui_ctx *ctx, const char *label, unsigned style, enum ui_role role,
			 int w)
{
	struct ui_widget probe = {.role = role, .style = style};
	bool compact = style & UI_ST_COMPACT;
	int pad = ui_unit(ctx, compact ? PAD / 2 : PAD);
	int h = ui_text_height(ctx, ui_widget_font(&probe), label, w - 2 * pad) + 2 * pad;
	/* a staff list's row: still 17 mm on a 24" 1080p screen */
	int min = compact ? ui_unit(ctx, 64) : ui_touch_min(ctx) + ui_unit(ctx, 16);
	if (style & UI_ST_LARGE)
		min = ui_unit(ctx, 190);
	return h < min ? min : h;
}

int ui_button_height(struct ui_ctx *ctx, const struct ui_col *c, const char *label,
		     unsigned style)
{
	return button_height(ctx, label, style, UI_ROLE_BUTTON, c->w);
}

static int stepper_label_w(struct ui_ctx *ctx, const struct ui_col *c)
{
	return c->w - 2 * ui_unit(ctx, 120) - 2 * ui_unit(ctx, 16);
}

int ui_stepper_height(struct ui_ctx *ctx, const struct ui_col *c, const char *label)
{
	return button_height(ctx, label, 0, UI_ROLE_TEXT, stepper_label_w(ctx, c));
}

int ui_page_rows(const int *heights, int n, int gap, int room, int *page, int *end,
		 int *n_pages)
{
	int starts[FLOW_PAGES_MAX + 1], pages = 0, used = 0;
	starts[0] = 0;
	for (int i = 0; i < n; i++) {
		if (i > starts[pages] && used + heights[i] > room && pages + 1 < FLOW_PAGES_MAX) {
			starts[++pages] = i;
			used = 0;
		}
		used += heights[i] + gap;
	}
	starts[++pages] = n;
	if (*page >= pages)
		*page = pages - 1;
	if (*page < 0)
		*page = 0;
	*end = starts[*page + 1];
	*n_pages = pages;
	return starts[*page];
}

struct ui_widget *ui_button(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
			    const char *id, const char *label, unsigned style)
{
	int h = button_height(ctx, label, style, UI_ROLE_BUTTON, c->w);
	return ui_tree_add(t, id, UI_ROLE_BUTTON, label, c->x, take(c, h), c->w, h,
			   style | UI_ST_CENTER);
}

void ui_buttons_row(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, int n,
		    const char *const *ids, const char *const *labels, const unsigned *styles)
{
	if (n <= 0)
		return;
	int g = ui_unit(ctx, GAP);
	int bw = (c->w - (n - 1) * g) / n;
	int h = 0;
	for (int i = 0; i < n; i++) {
		int bh = button_height(ctx, labels[i], styles ? styles[i] : 0, UI_ROLE_BUTTON, bw);
		h = bh > h ? bh : h;
	}
	int y = take(c, h);
	for (int i = 0; i < n; i++)
		ui_tree_add(t, ids[i], UI_ROLE_BUTTON, labels[i], c->x + i * (bw + g), y, bw, h,
			    (styles ? styles[i] : 0) | UI_ST_CENTER);
}

struct ui_widget *ui_list_item(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
			       const char *id, const char *label, unsigned style)
{
	int h = button_height(ctx, label, style, UI_ROLE_LIST_ITEM, c->w);
	return ui_tree_add(t, id, UI_ROLE_LIST_ITEM, label, c->x, take(c, h), c->w, h, style);
}

struct ui_widget *ui_image(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
			   const char *id, enum ui_image img, const char *alt, int height)
{
	int h = ui_unit(ctx, height);
	if (ctx->win_w > ctx->win_h)
		h = h * 3 / 5; /* landscape: pictures share the height with text */
	struct ui_widget *w = ui_tree_add(t, id, UI_ROLE_IMAGE, alt, c->x, take(c, h), c->w, h, 0);
	w->image = img;
	return w;
}

void ui_stepper(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *prefix,
		const char *label, bool can_minus, bool can_plus, bool chosen, bool row_taps)
{
	int bw = ui_unit(ctx, 120), g = ui_unit(ctx, 16);
	int lw = stepper_label_w(ctx, c);
	int h = button_height(ctx, label, 0, UI_ROLE_TEXT, lw);
	int y = take(c, h);
	char id[UI_ID_MAX];
	/* a row that can be tapped is chosen (or unchosen) by a tap anywhere on it */
	ui_tree_add(t, prefix, row_taps ? UI_ROLE_LIST_ITEM : UI_ROLE_TEXT, label, c->x, y, lw, h,
		    UI_ST_PANEL | (chosen ? UI_ST_ON : 0));
	snprintf(id, sizeof id, "%s_minus", prefix);
	ui_tree_add(t, id, UI_ROLE_BUTTON, "−", c->x + lw + g, y, bw, h, UI_ST_CENTER | UI_ST_LARGE)
		->enabled = can_minus;
	snprintf(id, sizeof id, "%s_plus", prefix);
	ui_tree_add(t, id, UI_ROLE_BUTTON, "+", c->x + lw + bw + 2 * g, y, bw, h,
		    UI_ST_CENTER | UI_ST_LARGE)->enabled = can_plus;
}

/* ---- keyboard and keypad ------------------------------------------------ */

struct key_def {
	const char *id;
	const char *text;   /* what it types; NULL for back */
	int span;           /* width in key units */
};

/* Alphabetical rows: easier to find letters for people who never learnt a
 * typewriter layout; ten units a row keeps every key about 90 px wide. */
static const struct key_def key_rows[][8 + 2] = {
	{{"key_a", "a", 1}, {"key_b", "b", 1}, {"key_c", "c", 1}, {"key_d", "d", 1},
	 {"key_e", "e", 1}, {"key_f", "f", 1}, {"key_g", "g", 1}, {"key_h", "h", 1},
	 {"key_i", "i", 1}, {"key_j", "j", 1}},
	{{"key_k", "k", 1}, {"key_l", "l", 1}, {"key_m", "m", 1}, {"key_n", "n", 1},
	 {"key_o", "o", 1}, {"key_p", "p", 1}, {"key_q", "q", 1}, {"key_r", "r", 1},
	 {"key_s", "s", 1}, {"key_t", "t", 1}},
	{{"key_u", "u", 1}, {"key_v", "v", 1}, {"key_w", "w", 1}, {"key_x", "x", 1},
	 {"key_y", "y", 1}, {"key_z", "z", 1}, {"key_aring", "å", 1}, {"key_auml", "ä", 1},
	 {"key_ouml", "ö", 1}, {"key_dash", "-", 1}},
	{{"key_1", "1", 1}, {"key_2", "2", 1}, {"key_3", "3", 1}, {"key_4", "4", 1},
	 {"key_5", "5", 1}, {"key_6", "6", 1}, {"key_7", "7", 1}, {"key_8", "8", 1},
	 {"key_9", "9", 1}, {"key_0", "0", 1}},
	{{"key_at", "@", 1}, {"key_dot", ".", 1}, {"key_plus", "+", 1}, {"key_space", " ", 4},
	 {"key_back", NULL, 3}},
};

static const struct key_def pad_rows[][3] = {
	{{"key_1", "1", 1}, {"key_2", "2", 1}, {"key_3", "3", 1}},
	{{"key_4", "4", 1}, {"key_5", "5", 1}, {"key_6", "6", 1}},
	{{"key_7", "7", 1}, {"key_8", "8", 1}, {"key_9", "9", 1}},
	{{"key_back", NULL, 1}, {"key_0", "0", 1}, {NULL, NULL, 0}},
};

static const char *key_label(const struct ui_ctx *ctx, const struct key_def *k)
{
	if (!k->text)
		return ui_tr(ctx, "ui.key_back");
	if (!strcmp(k->id, "key_space"))
		return ui_tr(ctx, "ui.key_space");
	return k->text;
}

static void input_field(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *text,
			unsigned style)
{
	int h = ui_touch_min(ctx) + ui_unit(ctx, 24);
	int th = ui_text_height(ctx, UI_FONT_BODY, text, c->w - 2 * ui_unit(ctx, PAD)) +
		 2 * ui_unit(ctx, PAD);
	if (th > h)
		h = th;
	ui_tree_add(t, "input", UI_ROLE_INPUT, text, c->x, take(c, h), c->w, h, style);
}

bool ui_split(const struct ui_ctx *ctx, const struct ui_col *c, struct ui_col *left,
	      struct ui_col *right)
{
	if (ctx->win_w <= ctx->win_h)
		return false;
	int g = ui_unit(ctx, 48);
	*left = *right = *c;
	left->w = (c->w - g) * 2 / 5;
	right->x = c->x + left->w + g;
	right->w = c->w - left->w - g;
	return true;
}

void ui_keyboard(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *text,
		 const char *placeholder)
{
	ui_keyboard_split(ctx, t, c, c, text, placeholder);
}

void ui_keypad(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *text,
	       bool mask)
{
	ui_keypad_split(ctx, t, c, c, text, mask);
}

void ui_keyboard_split(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *field,
		       struct ui_col *keys, const char *text, const char *placeholder)
{
	struct ui_col *c = keys;
	if (placeholder && *placeholder)
		ui_text(ctx, t, field, "input_hint", placeholder, UI_ST_SMALL);
	input_field(ctx, t, field, text, 0);
	int g = ui_unit(ctx, 8);
	int unit = (c->w - 9 * g) / 10;
	int kh = ui_unit(ctx, 100);
	int gap = c->gap;
	c->gap = g; /* keys close together, as on a real keyboard */
	for (size_t r = 0; r < sizeof key_rows / sizeof key_rows[0]; r++) {
		int x = c->x, y = take(c, kh);
		for (const struct key_def *k = key_rows[r]; k < key_rows[r] + 10 && k->id; k++) {
			int w = unit * k->span + g * (k->span - 1);
			ui_tree_add(t, k->id, UI_ROLE_KEY, key_label(ctx, k), x, y, w, kh, UI_ST_CENTER);
			x += w + g;
		}
	}
	c->y += gap - g;
	c->gap = gap;
}

void ui_keypad_split(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *field,
		     struct ui_col *keys, const char *text, bool mask)
{
	struct ui_col *c = keys;
	struct ui_col f = *c;
	int g = ui_unit(ctx, 16);
	int kw = (c->w - 2 * g) / 3;
	if (kw > ui_unit(ctx, 240))
		kw = ui_unit(ctx, 240);
	int pw = 3 * kw + 2 * g;
	f.x = c->x + (c->w - pw) / 2;
	f.w = pw;
	if (field == keys) {
		input_field(ctx, t, &f, text, (mask ? UI_ST_MASK : 0) | UI_ST_CENTER);
	} else {
		input_field(ctx, t, field, text, (mask ? UI_ST_MASK : 0) | UI_ST_CENTER);
		f.y = c->y;
	}
	int kh = ui_unit(ctx, 120);
	for (size_t r = 0; r < sizeof pad_rows / sizeof pad_rows[0]; r++) {
		int y = take(&f, kh);
		for (int k = 0; k < 3 && pad_rows[r][k].id; k++)
			ui_tree_add(t, pad_rows[r][k].id, UI_ROLE_KEY, key_label(ctx, &pad_rows[r][k]),
				    f.x + k * (kw + g), y, kw, kh, UI_ST_CENTER);
	}
	c->y = f.y;
}

bool ui_key_apply(const char *id, char *text, size_t cap)
{
	const struct key_def *hit = NULL;
	for (size_t r = 0; !hit && r < sizeof key_rows / sizeof key_rows[0]; r++)
		for (const struct key_def *k = key_rows[r]; k < key_rows[r] + 10 && k->id; k++)
			if (!strcmp(k->id, id))
				hit = k;
	if (!hit)
		return false;
	size_t n = strlen(text);
	if (!hit->text) {
		/* Remove one whole UTF-8 character, not one byte. */
		while (n > 0 && ((unsigned char)text[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0)
			n--;
		text[n] = 0;
		return true;
	}
	size_t add = strlen(hit->text);
	if (n + add < cap) {
		memcpy(text + n, hit->text, add + 1);
	}
	return true;
}
