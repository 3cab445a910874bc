#include "ui/toolkit/speak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends to a bounded buffer; a sentence that does not fit whole is left
 * out (never cut in the middle of a word). */
struct say {
	char *buf;
	size_t len, at;
};

static void put(struct say *s, const char *text)
{
	size_t n = strlen(text);
	if (s->at + n + 1 > s->len)
		return;
	memcpy(s->buf + s->at, text, n + 1);
	s->at += n;
}

/* Close the sentence written so far, unless it already ends one ("Vad
 * vill du göra?" is not followed by a second stop). */
static void end_sentence(struct say *s)
{
	if (s->at && !strchr(".!?:", s->buf[s->at - 1]))
		put(s, ".");
}

/* Words of their own as the next sentence (nothing for none). */
static void put_sentence(struct say *s, const char *words)
{
	if (!words[0])
		return;
	if (s->at) {
		end_sentence(s);
		put(s, " ");
	}
	put(s, words);
}

/* A label as one line: line breaks and the middle dot become pauses. */
static void flat(const char *label, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = label; *p && o + 3 < len; p++) {
		if (*p == '\n') {
			out[o++] = '.';
			out[o++] = ' ';
		} else if (!strncmp(p, "·", strlen("·"))) {
			out[o++] = ',';
			p += strlen("·") - 1;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcmp(s + n - m, tail);
}

/* The stepper row a "+" or "−" belongs to (prefix_plus / prefix_minus). */
static const struct ui_widget *stepper_row(const struct ui_tree *t, const struct ui_widget *w,
					   bool *plus)
{
	const char *tail = ends_with(w->id, "_plus") ? "_plus" : ends_with(w->id, "_minus")
							       ? "_minus"
							       : NULL;
	if (!tail)
		return NULL;
	char prefix[UI_ID_MAX];
	snprintf(prefix, sizeof prefix, "%.*s", (int)(strlen(w->id) - strlen(tail)), w->id);
	*plus = !strcmp(tail, "_plus");
	return ui_tree_find(t, prefix);
}

/* A row label that a stepper's buttons read out with themselves. */
static bool is_stepper_label(const struct ui_tree *t, const struct ui_widget *w)
{
	char id[UI_ID_MAX + 8];
	snprintf(id, sizeof id, "%s_plus", w->id);
	return ui_tree_find(t, id) != NULL;
}

static bool is_low_copy(const char *id)
{
	size_t n = strlen(id), low = strlen(UI_ID_LOW);
	return n > low && !strcmp(id + n - low, UI_ID_LOW);
}

static bool is_chrome(const char *id)
{
	return !strcmp(id, UI_ID_LARGE_TEXT) || !strcmp(id, UI_ID_CONTRAST) ||
	       !strcmp(id, UI_ID_SPEECH) || !strcmp(id, UI_ID_LANG_SV) ||
	       !strcmp(id, UI_ID_LANG_EN) || is_low_copy(id);
}

/* with_row: a stepper's button names its row (when touched alone); in the
 * list of a screen's controls it follows its row and does not repeat it. */
static void speak_widget(const struct ui_ctx *ctx, const struct ui_tree *t,
			 const struct ui_widget *w, bool with_row, char *buf, size_t len)
{
	char label[UI_LABEL_MAX], row[UI_LABEL_MAX];
	flat(w->label, label, sizeof label);
	bool on = w->style & UI_ST_ON;
	bool plus = false;
	const struct ui_widget *r = w->role == UI_ROLE_BUTTON ? stepper_row(t, w, &plus) : NULL;
	switch (w->role) {
	case UI_ROLE_BUTTON:
		if (r && !with_row) {
			snprintf(buf, len, "%s, %s%s%s", ui_tr(ctx, plus ? "speech.plus" : "speech.minus"),
				 ui_tr(ctx, "speech.button"), w->enabled ? "" : ", ",
				 w->enabled ? "" : ui_tr(ctx, "speech.unavailable"));
		} else if (r) {
			flat(r->label, row, sizeof row);
			snprintf(buf, len, "%s: %s, %s%s%s", ui_tr(ctx, plus ? "speech.plus"
									      : "speech.minus"),
				 row, ui_tr(ctx, "speech.button"), w->enabled ? "" : ", ",
				 w->enabled ? "" : ui_tr(ctx, "speech.unavailable"));
		} else {
			/* an answer given before (the customer came back): "valt" */
			snprintf(buf, len, "%s, %s%s%s%s%s", label, on ? ui_tr(ctx, "speech.selected") : "",
				 on ? ", " : "", ui_tr(ctx, "speech.button"), w->enabled ? "" : ", ",
				 w->enabled ? "" : ui_tr(ctx, "speech.unavailable"));
		}
		break;
	case UI_ROLE_TOGGLE:
		if (!strcmp(w->id, UI_ID_LANG_SV) || !strcmp(w->id, UI_ID_LANG_EN))
			snprintf(buf, len, "%s, %s", label,
				 ui_tr(ctx, on ? "speech.selected" : "speech.button"));
		else
			snprintf(buf, len, "%s, %s, %s", label,
				 ui_tr(ctx, on ? "speech.toggle_on" : "speech.toggle_off"),
				 ui_tr(ctx, "speech.button"));
		break;
	case UI_ROLE_LIST_ITEM:
		snprintf(buf, len, "%s, %s%s", label, on ? ui_tr(ctx, "speech.selected") : "",
			 on ? "" : ui_tr(ctx, "speech.button"));
		break;
	case UI_ROLE_KEY:
		snprintf(buf, len, "%s, %s", label, ui_tr(ctx, "speech.key"));
		break;
	case UI_ROLE_INPUT:
		if (w->style & UI_ST_MASK || !w->label[0])
			snprintf(buf, len, "%s%s%s", ui_tr(ctx, "speech.field"),
				 w->label[0] ? "" : ", ", w->label[0] ? "" : ui_tr(ctx, "speech.field_empty"));
		else
			snprintf(buf, len, "%s: %s", ui_tr(ctx, "speech.field"), label);
		break;
	case UI_ROLE_IMAGE:
		/* a QR code's label is the code itself: never read out */
		snprintf(buf, len, "%s", w->image == UI_IMG_QR ? "" : label);
		break;
	default:
		snprintf(buf, len, "%s", label);
	}
}

void ui_speak_widget(const struct ui_ctx *ctx, const struct ui_tree *t,
		     const struct ui_widget *w, char *buf, size_t len)
{
	speak_widget(ctx, t, w, true, buf, len);
}

static bool is_control(const struct ui_widget *w)
{
	return w->role == UI_ROLE_BUTTON || w->role == UI_ROLE_TOGGLE ||
	       w->role == UI_ROLE_LIST_ITEM || w->role == UI_ROLE_INPUT;
}

void ui_speak_screen(const struct ui_ctx *ctx, const struct ui_tree *t, char *text,
		     size_t text_len, char *controls, size_t controls_len)
{
	struct say s = {text, text_len, 0};
	char one[UI_LABEL_MAX + 256];
	text[0] = controls[0] = '\0';
	if (t->speak[0]) {
		flat(t->speak, one, sizeof one);
		put(&s, one);
	} else {
		for (int i = 0; i < t->n; i++) {
			const struct ui_widget *w = &t->w[i];
			if ((w->role != UI_ROLE_HEADING && w->role != UI_ROLE_TEXT &&
			     w->role != UI_ROLE_IMAGE) || is_stepper_label(t, w))
				continue;
			ui_speak_widget(ctx, t, w, one, sizeof one);
			put_sentence(&s, one);
		}
	}
	struct say c = {controls, controls_len, 0};
	bool keys = false;
	put(&c, ui_tr(ctx, "speech.controls"));
	/* the screen's own controls first, the language and accessibility bar last */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < t->n; i++) {
			const struct ui_widget *w = &t->w[i];
			if (w->role == UI_ROLE_KEY) {
				keys = true;
				continue;
			}
			/* the toggles low on the screen are read once, at the top */
			if (!(is_control(w) || is_stepper_label(t, w)) ||
			    is_chrome(w->id) != (pass == 1) || is_low_copy(w->id))
				continue;
			speak_widget(ctx, t, w, false, one, sizeof one);
			put(&c, " ");
			put(&c, one);
			end_sentence(&c);
		}
		if (pass == 0 && keys) {
			put(&c, " ");
			put(&c, ui_tr(ctx, "speech.keyboard"));
		}
	}
}

void ui_speak_changes(const struct ui_ctx *ctx, const struct ui_tree *before,
		      const struct ui_tree *now, char *buf, size_t len)
{
	struct say s = {buf, len, 0};
	char one[UI_LABEL_MAX + 256];
	buf[0] = '\0';
	for (int i = 0; i < now->n; i++) {
		const struct ui_widget *w = &now->w[i];
		const struct ui_widget *was = ui_tree_find(before, w->id);
		bool news;
		if (w->role == UI_ROLE_KEY || w->role == UI_ROLE_BUTTON || w->role == UI_ROLE_IMAGE)
			news = false; /* a button's own change is heard when it is touched */
		else if (!was)
			news = w->role == UI_ROLE_TEXT || w->role == UI_ROLE_HEADING;
		else
			news = strcmp(w->label, was->label) ||
			       (w->style & UI_ST_ON) != (was->style & UI_ST_ON);
		if (!news || is_chrome(w->id))
			continue;
		ui_speak_widget(ctx, now, w, one, sizeof one);
		put_sentence(&s, one);
	}
}

bool ui_explore_touch(struct ui_ctx *ctx, const char *id, int x, int y, int64_t now_ms)
{
	if (!ctx->speech_on)
		return true;
	int near = ui_unit(ctx, UI_EXPLORE_NEAR);
	if (!strcmp(ctx->explore_id, id) && now_ms - ctx->explore_ms <= UI_EXPLORE_MS &&
	    abs(x - ctx->explore_x) <= near && abs(y - ctx->explore_y) <= near) {
		ctx->explore_id[0] = '\0';
		return true;
	}
	snprintf(ctx->explore_id, sizeof ctx->explore_id, "%s", id);
	ctx->explore_ms = now_ms;
	ctx->explore_x = x;
	ctx->explore_y = y;
	return false;
}
