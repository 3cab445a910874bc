/* What speech says (EN 301 549 5.1.3), worked out from the widget tree so
 * that speech, the screen and tests agree: every control with its role and
 * state ("Ja, fortsätt, knapp"; "Lägg till en: Strumpor, Valt: 2,
 * knapp"), a screen read whole (its heading and texts, then every
 * control), what changed within a screen ("Valt: 2"), and explore by
 * touch: while speech is on, the first touch on a control reads it and a
 * second touch on the same control, in the same place, acts (a finger
 * sliding along a wide button only reads it). Pure (no SDL, no espeak):
 * platform_sdl.c hands the sentences to speech.c. */
#ifndef KIOSK_UI_SPEAK_H
#define KIOSK_UI_SPEAK_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/toolkit/ui.h"

/* A second touch on the same control acts within this long (ms) ... */
#define UI_EXPLORE_MS 10000
/* ... and this near the first (px at 1080: about 17 mm on a 24" screen). */
#define UI_EXPLORE_NEAR 60
/* A touch held still this long reads the screen again (or starts speech). */
#define UI_LONG_PRESS_MS 2000

/* w as speech says it: label, role and state, in ctx's language. */
void ui_speak_widget(const struct ui_ctx *ctx, const struct ui_tree *t,
		     const struct ui_widget *w, char *buf, size_t len);
/* The screen read whole: t->speak (or its heading and texts) into text,
 * then every control in order into controls ("" when none). */
void ui_speak_screen(const struct ui_ctx *ctx, const struct ui_tree *t, char *text,
		     size_t text_len, char *controls, size_t controls_len);
/* What changed from before to now on the same screen, to announce (a
 * notice, a count, a state); "" when nothing a person needs to hear. */
void ui_speak_changes(const struct ui_ctx *ctx, const struct ui_tree *before,
		      const struct ui_tree *now, char *buf, size_t len);
/* Explore by touch: a touch on id at (x, y) at now_ms with speech on.
 * true: act on it (the second touch on the same control in the same
 * place); false: only read it. */
bool ui_explore_touch(struct ui_ctx *ctx, const char *id, int x, int y, int64_t now_ms);

#endif
