/* The two themes' colours (theme.h). The calm theme's ratios are in
 * tests/ui/test_theme.c; the high-contrast one is WCAG AAA (7:1) for
 * every text. */
#include "ui/toolkit/theme.h"

static const struct ui_theme theme_calm = {
	.bg = {246, 244, 239},       .text = {28, 32, 38},          .muted = {80, 86, 94},
	.panel = {255, 255, 255},    .panel_border = {206, 200, 188},
	.btn = {255, 255, 255},      .btn_text = {22, 58, 104},     .btn_border = {22, 58, 104},
	.primary = {22, 78, 140},    .primary_text = {255, 255, 255},
	.on = {22, 78, 140},         .on_text = {255, 255, 255},
	.quiet = {232, 228, 219},    .quiet_text = {28, 32, 38},
	.warn = {150, 30, 22},
	.disabled = {228, 226, 222}, .disabled_text = {120, 120, 120},
	.border_px = 3,
};

static const struct ui_theme theme_contrast = {
	.bg = {0, 0, 0},             .text = {255, 255, 255},       .muted = {255, 255, 255},
	.panel = {0, 0, 0},          .panel_border = {255, 255, 255},
	.btn = {0, 0, 0},            .btn_text = {255, 230, 0},     .btn_border = {255, 230, 0},
	.primary = {255, 230, 0},    .primary_text = {0, 0, 0},
	.on = {255, 230, 0},         .on_text = {0, 0, 0},
	.quiet = {0, 0, 0},          .quiet_text = {255, 255, 255},
	.warn = {255, 140, 120},
	.disabled = {0, 0, 0},       .disabled_text = {170, 170, 170},
	.border_px = 5,
};

const struct ui_theme *ui_theme_get(bool high_contrast)
{
	return high_contrast ? &theme_contrast : &theme_calm;
}
