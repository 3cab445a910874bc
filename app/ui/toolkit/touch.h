/* A finger (or the mouse) on the kiosk's screen: pressed, then let go. Let
 * go where it was pressed after UI_LONG_PRESS_MS, it turns speech on or
 * reads the screen again; otherwise it is a tap, which with speech on
 * explores by touch (the first touch reads, a second on the same control
 * acts). No SDL here: platform_sdl.c hands over the events' points. */
#ifndef KIOSK_UI_TOUCH_H
#define KIOSK_UI_TOUCH_H

#include <stdbool.h>
#include <stdint.h>

#include "ui/toolkit/ui.h"

struct ui_touch {
	bool pressed; /* down since press_ms, at press_x/y */
	uint32_t press_ms;
	int press_x, press_y;
};

/* What a release asks of the loop. */
struct ui_touch_result {
	bool read_screen; /* a long press: read the whole screen (again) */
	bool said_label;  /* a control's label is being read as it acts */
};

void ui_touch_press(struct ui_touch *tc, uint32_t ms, int x, int y);
/* The release at (x, y) at up_ms on the screen t. */
struct ui_touch_result ui_touch_release(struct ui_ctx *ctx, struct ui_touch *tc,
					const struct ui_tree *t, uint32_t up_ms, int x, int y);

#endif
