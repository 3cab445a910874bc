/* The themes' colours against WCAG 2's contrast ratio: every text against
 * what the renderer draws it on (render_sdl.c, draw_widget) at 4.5:1 on
 * the calm theme (1.4.3), 7:1 for a notice or refusal there and for every
 * text on the high-contrast theme (1.4.6); a control's edge, a filled
 * button and a picture's lines against the page at 3:1 (1.4.11). The
 * screenshots in ui_screens measure the same on the real window; this
 * holds the table itself, so a colour changed here is caught at once. */
#include "ktest.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "ui/toolkit/theme.h"

/* WCAG 2 relative luminance of an sRGB colour. */
static double luminance(struct ui_rgb c)
{
	const double v[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
	double lin[3];
	for (int i = 0; i < 3; i++)
		lin[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

static double ratio(struct ui_rgb a, struct ui_rgb b)
{
	double la = luminance(a), lb = luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

#define C(field) offsetof(struct ui_theme, field)

static struct ui_rgb pick(const struct ui_theme *t, size_t off)
{
	return *(const struct ui_rgb *)((const char *)t + off);
}

static void test_contrast(void)
{
	static const struct item {
		bool high_contrast;
		const char *what;
		size_t fg, bg;
		double min;
	} data[] = {
		/* 0*/ {false, "text on the page", C(text), C(bg), 4.5},
		/* 1*/ {false, "text on a panel or in a field", C(text), C(panel), 4.5},
		/* 2*/ {false, "a notice on the page", C(warn), C(bg), 7.0},
		/* 3*/ {false, "a notice on a panel", C(warn), C(panel), 7.0},
		/* 4*/ {false, "a button's text", C(btn_text), C(btn), 4.5},
		/* 5*/ {false, "the main button's text", C(primary_text), C(primary), 4.5},
		/* 6*/ {false, "a chosen toggle's text", C(on_text), C(on), 4.5},
		/* 7*/ {false, "a quiet button's text", C(quiet_text), C(quiet), 4.5},
		/* 8*/ {false, "a button's edge on the page", C(btn_border), C(bg), 3.0},
		/* 9*/ {false, "the main button on the page", C(primary), C(bg), 3.0},
		/*10*/ {false, "a chosen toggle on the page", C(on), C(bg), 3.0},
		/*11*/ {false, "a quiet button's edge", C(quiet_text), C(bg), 3.0},
		/*12*/ {false, "a warning edge on the page", C(warn), C(bg), 3.0},
		/*13*/ {false, "a picture's lines on a panel", C(muted), C(panel), 3.0},
		/*14*/ {false, "a picture's lines on the page", C(muted), C(bg), 3.0},
		/*15*/ {true, "text on the page", C(text), C(bg), 7.0},
		/*16*/ {true, "text on a panel or in a field", C(text), C(panel), 7.0},
		/*17*/ {true, "a notice on the page", C(warn), C(bg), 7.0},
		/*18*/ {true, "a button's text", C(btn_text), C(btn), 7.0},
		/*19*/ {true, "the main button's text", C(primary_text), C(primary), 7.0},
		/*20*/ {true, "a chosen toggle's text", C(on_text), C(on), 7.0},
		/*21*/ {true, "a quiet button's text", C(quiet_text), C(quiet), 7.0},
		/*22*/ {true, "a button's edge on the page", C(btn_border), C(bg), 3.0},
		/*23*/ {true, "the main button on the page", C(primary), C(bg), 3.0},
		/*24*/ {true, "a picture's lines on the page", C(muted), C(bg), 3.0},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		const struct ui_theme *t = ui_theme_get(data[i].high_contrast);
		double r = ratio(pick(t, data[i].fg), pick(t, data[i].bg));
		KT_CHECK(r >= data[i].min, "i:%d %s theme, %s: %.2f:1, below %.1f:1", i,
			 data[i].high_contrast ? "high-contrast" : "calm", data[i].what, r,
			 data[i].min);
	}
}

/* The ratio itself, on WCAG's own ends and the README's figures. */
static void test_ratio(void)
{
	static const struct item {
		struct ui_rgb a, b;
		double want;
	} data[] = {
		/* 0*/ {{0, 0, 0}, {255, 255, 255}, 21.0},
		/* 1*/ {{119, 119, 119}, {255, 255, 255}, 4.48}, /* #777: the usual near miss */
		/* 2*/ {{150, 30, 22}, {255, 255, 255}, 8.4},    /* a notice on a white panel */
		/* 3*/ {{150, 30, 22}, {246, 244, 239}, 7.7},    /* and on the calm page */
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		double r = ratio(data[i].a, data[i].b);
		KT_CHECK(fabs(r - data[i].want) < 0.05, "i:%d %.3f:1, not %.2f:1", i, r,
			 data[i].want);
	}
}

KT_MAIN(KT_FUNC(test_ratio), KT_FUNC(test_contrast))
