/* The kiosk's two colour themes: calm (default) and high contrast (yellow
 * and white on black), as data the renderer draws with and a test can
 * measure (tests/ui/test_theme.c: every text against what it is drawn on,
 * by WCAG 2's contrast ratio). No SDL here. */
#ifndef KIOSK_UI_THEME_H
#define KIOSK_UI_THEME_H

#include <stdbool.h>
#include <stdint.h>

struct ui_rgb {
	uint8_t r, g, b;
};

struct ui_theme {
	struct ui_rgb bg, text, muted, panel, panel_border;
	struct ui_rgb btn, btn_text, btn_border;
	struct ui_rgb primary, primary_text;
	struct ui_rgb on, on_text;
	struct ui_rgb quiet, quiet_text;
	struct ui_rgb warn; /* a notice or refusal's text, on bg or a panel */
	/* a control that cannot be used (drawn with a dashed edge as well, so
	 * it differs by shape, not only by colour; WCAG asks no contrast of it) */
	struct ui_rgb disabled, disabled_text;
	int border_px;
};

/* The theme the customer chose; a static table, never freed. */
const struct ui_theme *ui_theme_get(bool high_contrast);

#endif
