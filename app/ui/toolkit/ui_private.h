/* Framework internals shared by tree.c, toolkit.c, platform_sdl.c and
 * render_sdl.c. Modes include ui.h only. */
#ifndef KIOSK_UI_PRIVATE_H
#define KIOSK_UI_PRIVATE_H

#include "core/wipe.h"
#include "ui/toolkit/ui.h"

/* Heading and key fonts are bold. */
bool ui_font_bold(enum ui_font f);

/* ---- render_sdl.c: the only file that draws ------------------------------ */
struct SDL_Renderer;
struct ui_render;

int ui_render_create(struct ui_render **out, struct SDL_Renderer *r, const char *font_path,
		     const char *bold_path, struct kiosk_why *why);
void ui_render_destroy(struct ui_render *rd);
int ui_render_text_height(struct ui_render *rd, int px, bool bold, const char *text, int width);
/* Draw the whole tree (the caller presents). */
void ui_render_tree(struct ui_render *rd, const struct ui_ctx *ctx, const struct ui_tree *t);
/* Drop every cached texture and wipe the texts they were keyed by. */
void ui_render_forget(struct ui_render *rd);

#endif
