/* The widget tree: building, hit-testing, comparing, and the --dump-ui JSON
 * (interfaces.md §4). Also the small context helpers every mode uses. */
#include "ui/toolkit/ui_private.h"

#include "domain/money.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[UI_ROLE_COUNT] = {
	[UI_ROLE_BUTTON] = "button",   [UI_ROLE_TEXT] = "text",
	[UI_ROLE_HEADING] = "heading", [UI_ROLE_INPUT] = "input",
	[UI_ROLE_KEY] = "key",         [UI_ROLE_IMAGE] = "image",
	[UI_ROLE_LIST_ITEM] = "list_item", [UI_ROLE_TOGGLE] = "toggle",
};

const char *ui_role_name(enum ui_role r)
{
	return (unsigned)r < UI_ROLE_COUNT ? role_names[r] : "unknown";
}

void ui_tree_clear(struct ui_tree *t)
{
	t->screen[0] = 0;
	t->speak[0] = 0;
	t->n = 0;
	t->overflow = false;
}

struct ui_widget *ui_tree_add(struct ui_tree *t, const char *id, enum ui_role role,
			      const char *label, int x, int y, int w, int h, unsigned style)
{
	static struct ui_widget scratch;
	struct ui_widget *wd = &scratch;
	if (t->n < UI_TREE_MAX)
		wd = &t->w[t->n++];
	else
		t->overflow = true;
	memset(wd, 0, sizeof *wd);
	snprintf(wd->id, sizeof wd->id, "%s", id ? id : "");
	snprintf(wd->label, sizeof wd->label, "%s", label ? label : "");
	wd->role = role;
	wd->x = x;
	wd->y = y;
	wd->w = w;
	wd->h = h;
	wd->enabled = true;
	wd->style = style;
	return wd;
}

static bool tappable(const struct ui_widget *w)
{
	return w->enabled && (w->role == UI_ROLE_BUTTON || w->role == UI_ROLE_KEY ||
			      w->role == UI_ROLE_LIST_ITEM || w->role == UI_ROLE_TOGGLE);
}

const struct ui_widget *ui_tree_hit(const struct ui_tree *t, int x, int y)
{
	for (int i = t->n - 1; i >= 0; i--) {
		const struct ui_widget *w = &t->w[i];
		if (x >= w->x && x < w->x + w->w && y >= w->y && y < w->y + w->h) {
			/* An overlay panel (text on top) swallows taps below it. */
			if (tappable(w))
				return w;
			if (w->style & UI_ST_PANEL)
				return NULL;
		}
	}
	return NULL;
}

/* The topmost panel without words under (x, y) (an overlay such as the idle
 * prompt's): what lies below it cannot be touched; -1 when none. */
static int floor_at(const struct ui_tree *t, int x, int y)
{
	for (int i = t->n - 1; i >= 0; i--) {
		const struct ui_widget *w = &t->w[i];
		if ((w->style & UI_ST_PANEL) && !w->label[0] && x >= w->x && x < w->x + w->w &&
		    y >= w->y && y < w->y + w->h)
			return i;
	}
	return -1;
}

const struct ui_widget *ui_tree_under(const struct ui_tree *t, int x, int y)
{
	int floor = floor_at(t, x, y);
	for (int i = t->n - 1; i > floor; i--) {
		const struct ui_widget *w = &t->w[i];
		if (x >= w->x && x < w->x + w->w && y >= w->y && y < w->y + w->h && w->label[0])
			return w;
	}
	return NULL;
}

static int dist_1d(int v, int lo, int len)
{
	return v < lo ? lo - v : v >= lo + len ? v - (lo + len - 1) : 0;
}

const struct ui_widget *ui_tree_near(const struct ui_tree *t, int x, int y, int r)
{
	const struct ui_widget *best = ui_tree_under(t, x, y);
	if (best)
		return best;
	int best_d = r + 1, floor = floor_at(t, x, y);
	for (int i = t->n - 1; i > floor; i--) {
		const struct ui_widget *w = &t->w[i];
		int dx = dist_1d(x, w->x, w->w), dy = dist_1d(y, w->y, w->h);
		int d = dx > dy ? dx : dy;
		if (w->label[0] && d < best_d) {
			best = w;
			best_d = d;
		}
	}
	return best;
}

const struct ui_widget *ui_tree_find(const struct ui_tree *t, const char *id)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->w[i].id, id))
			return &t->w[i];
	return NULL;
}

bool ui_tree_equal(const struct ui_tree *a, const struct ui_tree *b)
{
	if (a->n != b->n || strcmp(a->screen, b->screen))
		return false;
	for (int i = 0; i < a->n; i++) {
		const struct ui_widget *x = &a->w[i], *y = &b->w[i];
		if (strcmp(x->id, y->id) || strcmp(x->label, y->label) || x->role != y->role ||
		    x->x != y->x || x->y != y->y || x->w != y->w || x->h != y->h ||
		    x->enabled != y->enabled || x->style != y->style || x->image != y->image)
			return false;
	}
	return true;
}

/* The dump holds what the customer saw (a first name): cJSON's memory is
 * wiped before it is freed, so a forgotten customer stays forgotten. */

char *ui_dump_json(const struct ui_ctx *ctx, const struct ui_tree *t)
{
	static bool hooked;
	if (!hooked) {
		cJSON_Hooks h = {.malloc_fn = malloc, .free_fn = mem_wipe_free};
		cJSON_InitHooks(&h);
		hooked = true;
	}
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return NULL;
	cJSON_AddStringToObject(root, "screen", t->screen);
	cJSON_AddStringToObject(root, "lang", ctx->lang);
	cJSON_AddStringToObject(root, "mode", ctx->mode ? ctx->mode->name : "");
	cJSON_AddStringToObject(root, "scanner",
				!ctx->scanner ? "none"
				: ctx->scanner_connected ? "connected" : "disconnected");
	cJSON_AddBoolToObject(root, "large_text", ctx->large_text);
	cJSON_AddBoolToObject(root, "high_contrast", ctx->high_contrast);
	cJSON_AddBoolToObject(root, "speech", ctx->speech_on);
	cJSON_AddNumberToObject(root, "window_w", ctx->win_w);
	cJSON_AddNumberToObject(root, "window_h", ctx->win_h);
	cJSON *arr = cJSON_AddArrayToObject(root, "widgets");
	for (int i = 0; arr && i < t->n; i++) {
		const struct ui_widget *w = &t->w[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		cJSON_AddStringToObject(o, "id", w->id);
		cJSON_AddStringToObject(o, "role", ui_role_name(w->role));
		/* A masked field (PIN) never shows its digits, not even here. */
		if (w->style & UI_ST_MASK) {
			char dots[64];
			size_t k = strlen(w->label);
			k = k < sizeof dots - 1 ? k : sizeof dots - 1;
			memset(dots, '*', k);
			dots[k] = 0;
			cJSON_AddStringToObject(o, "label", dots);
		} else {
			cJSON_AddStringToObject(o, "label", w->label);
		}
		cJSON_AddNumberToObject(o, "x", w->x);
		cJSON_AddNumberToObject(o, "y", w->y);
		cJSON_AddNumberToObject(o, "w", w->w);
		cJSON_AddNumberToObject(o, "h", w->h);
		cJSON_AddBoolToObject(o, "enabled", w->enabled);
		if (w->style & UI_ST_WARN)
			cJSON_AddBoolToObject(o, "warn", true);
		if (w->role == UI_ROLE_TOGGLE || (w->style & UI_ST_ON))
			cJSON_AddBoolToObject(o, "on", (w->style & UI_ST_ON) != 0);
		cJSON_AddItemToArray(arr, o);
	}
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

int ui_dump_write(const struct ui_ctx *ctx, const struct ui_tree *t, const char *path,
		  struct kiosk_why *why)
{
	char tmp[4200];
	char *s = ui_dump_json(ctx, t);
	if (!s)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory while writing the UI tree");
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	/* write(2), not stdio: no library buffer keeps a copy of the text */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		mem_wipe_free(s);
		return kiosk_fail(why, KIOSK_EIO, "cannot write %s: %s", tmp, strerror(errno));
	}
	size_t len = strlen(s);
	s[len] = '\n'; /* replaces the NUL: the buffer has room for it */
	bool ok = true;
	for (size_t off = 0; ok && off <= len;) {
		ssize_t w = write(fd, s + off, len + 1 - off);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		off += ok ? (size_t)w : 0;
	}
	ok = (close(fd) == 0) && ok;
	mem_wipe_free(s);
	/* rename() replaces PATH in one step: a reader sees the old or the new tree. */
	if (!ok || rename(tmp, path)) {
		remove(tmp);
		return kiosk_fail(why, KIOSK_EIO, "cannot write %s", path);
	}
	return 0;
}

/* ---- context helpers ---------------------------------------------------- */

const char *ui_tr(const struct ui_ctx *ctx, const char *key)
{
	return ctx->tr ? i18n_get(ctx->tr, key) : key;
}

void ui_format_money(const struct ui_ctx *ctx, int64_t minor, char *buf, size_t len)
{
	if (!ctx->tr) {
		snprintf(buf, len, "%lld", (long long)minor); /* no words loaded: tests only */
		return;
	}
	money_format(ctx->tr, minor, ctx->cfg->currency[0] ? ctx->cfg->currency : "SEK", buf, len);
}

size_t ui_trf(const struct ui_ctx *ctx, char *out, size_t len, const char *key,
	      const char *const *kv)
{
	size_t n = i18n_fill(out, len, ui_tr(ctx, key), kv);
	/* INI values cannot hold a line break: "\n" in the text stands for one. */
	size_t w = 0;
	for (size_t r = 0; r < n; r++) {
		if (out[r] == '\\' && out[r + 1] == 'n') {
			out[w++] = '\n';
			r++;
		} else {
			out[w++] = out[r];
		}
	}
	out[w] = 0;
	return w;
}

void ui_set_lang(struct ui_ctx *ctx, const char *lang)
{
	struct i18n *t = !strcmp(lang, "en") ? ctx->tr_en : ctx->tr_sv;
	if (!t)
		return;
	ctx->tr = t;
	snprintf(ctx->lang, sizeof ctx->lang, "%s", !strcmp(lang, "en") ? "en" : "sv");
	if (ctx->mode && ctx->mode->on_lang)
		ctx->mode->on_lang(ctx);
	ctx->dirty = true;
}

void ui_invalidate(struct ui_ctx *ctx)
{
	ctx->dirty = true;
}

void ui_wake_at(struct ui_ctx *ctx, int64_t ms)
{
	if (!ctx->wake_at_ms || ms < ctx->wake_at_ms)
		ctx->wake_at_ms = ms;
}

void ui_dispatch_tap(struct ui_ctx *ctx, const char *id)
{
	/* a toggle low on the screen is the one at the top */
	char top[UI_ID_MAX];
	size_t n = strlen(id), low = strlen(UI_ID_LOW);
	if (n > low && n < sizeof top && !strcmp(id + n - low, UI_ID_LOW)) {
		snprintf(top, sizeof top, "%.*s", (int)(n - low), id);
		if (!strcmp(top, UI_ID_LARGE_TEXT) || !strcmp(top, UI_ID_CONTRAST) ||
		    !strcmp(top, UI_ID_SPEECH))
			id = top;
	}
	ctx->last_input_ms = ctx->now_ms;
	ctx->dirty = true;
	if (!strcmp(id, UI_ID_LANG_SV))
		ui_set_lang(ctx, "sv");
	else if (!strcmp(id, UI_ID_LANG_EN))
		ui_set_lang(ctx, "en");
	else if (!strcmp(id, UI_ID_LARGE_TEXT))
		ctx->large_text = !ctx->large_text;
	else if (!strcmp(id, UI_ID_CONTRAST))
		ctx->high_contrast = !ctx->high_contrast;
	else if (!strcmp(id, UI_ID_SPEECH))
		ctx->speech_on = !ctx->speech_on;
	else if (ctx->mode && ctx->mode->on_tap)
		ctx->mode->on_tap(ctx, id);
	if (ctx->mode && ctx->mode->on_tick)
		ctx->mode->on_tick(ctx, ctx->now_ms);
}

const struct ui_mode_ops *ui_mode_named(const struct ui_mode_ops *const *modes, const char *name)
{
	for (int i = 0; modes && modes[i]; i++)
		if (!strcmp(modes[i]->name, name))
			return modes[i];
	return NULL;
}

int ui_switch_mode(struct ui_ctx *ctx, const char *name)
{
	const struct ui_mode_ops *m = ui_mode_named(ctx->modes, name);
	if (!m)
		return KIOSK_ENOTFOUND;
	ctx->switch_to = m;
	ctx->dirty = true;
	return 0;
}

void ui_forget(struct ui_ctx *ctx)
{
	ctx->forget = true;
	ctx->dirty = true;
}
