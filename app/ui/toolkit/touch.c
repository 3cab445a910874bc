/* touch.h: a press and its release, as a tap or a long press. */
#include "ui/toolkit/touch.h"

#include <stdio.h>
#include <stdlib.h>

#include "ui/toolkit/speak.h"
#include "ui/toolkit/speech.h"
#include "ui/toolkit/ui_private.h"

static void tap_at(struct ui_ctx *ctx, const struct ui_tree *t, int x, int y,
		   struct ui_touch_result *r)
{
	char text[UI_LABEL_MAX + 256];
	const struct ui_widget *w = NULL;
	if (ctx->speech_on && ctx->speech) {
		/* explore by touch: the first touch reads what is there (or in a
		 * gap, what is beside it), even a text or a control that cannot be
		 * used now; a second touch on the same control in the same place
		 * acts */
		const struct ui_widget *u = ui_tree_near(t, x, y, ui_unit(ctx, 30));
		if (!u)
			return;
		ctx->last_input_ms = ctx->now_ms;
		bool can_act = ui_tree_hit(t, u->x + u->w / 2, u->y + u->h / 2) == u;
		if (!can_act || !ui_explore_touch(ctx, u->id, x, y, ctx->now_ms)) {
			ui_speak_widget(ctx, t, u, text, sizeof text);
			speech_say(ctx->speech, ctx->lang, text);
			return;
		}
		w = u;
	}
	if (!w)
		w = ui_tree_hit(t, x, y);
	if (!w)
		return;
	char id[UI_ID_MAX];
	snprintf(id, sizeof id, "%s", w->id);
	if (ctx->speech_on && ctx->speech) {
		speech_say(ctx->speech, ctx->lang, w->label);
		r->said_label = true;
	}
	ui_dispatch_tap(ctx, id);
}

/* A touch held still for UI_LONG_PRESS_MS anywhere: speech starts (for a
 * person who cannot see the toggle) or, already on, reads the screen again. */
static bool long_press(struct ui_ctx *ctx, struct ui_touch *tc, uint32_t up_ms, int x, int y)
{
	bool was = tc->pressed;
	tc->pressed = false;
	if (!was || up_ms - tc->press_ms < UI_LONG_PRESS_MS || abs(x - tc->press_x) > 40 ||
	    abs(y - tc->press_y) > 40)
		return false;
	ctx->last_input_ms = ctx->now_ms;
	ctx->speech_on = true;
	ctx->dirty = true;
	return true;
}

void ui_touch_press(struct ui_touch *tc, uint32_t ms, int x, int y)
{
	tc->pressed = true;
	tc->press_ms = ms;
	tc->press_x = x;
	tc->press_y = y;
}

struct ui_touch_result ui_touch_release(struct ui_ctx *ctx, struct ui_touch *tc,
					const struct ui_tree *t, uint32_t up_ms, int x, int y)
{
	struct ui_touch_result r = {0};
	if (long_press(ctx, tc, up_ms, x, y))
		r.read_screen = true;
	else
		tap_at(ctx, t, x, y, &r);
	return r;
}
