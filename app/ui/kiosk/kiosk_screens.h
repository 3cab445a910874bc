/* The kiosk's screens, shared between their files: kiosk_screens.c (the
 * frame, start to identify, faults, the decision and after, the call),
 * kiosk_screens_return.c (a return's questions) and kiosk_screens_follow.c
 * (follow my case). Layout only: words from assets/lang, data from the
 * flow. Each screen gets c, what the customer reads (heading, texts,
 * pictures), and a, what they tap: in portrait the same column, in
 * landscape side by side, so every screen fits without scrolling. */
#ifndef KIOSK_UI_KIOSK_SCREENS_H
#define KIOSK_UI_KIOSK_SCREENS_H

#include <stddef.h>
#include <stdint.h>

#include "ui/kiosk/kiosk.h"

typedef void (*screen_fn)(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			  struct ui_col *c, struct ui_col *a);

/* "Tillbaka" in column c. */
void kiosk_back_button(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c);
/* What to scan, in c: the heading, the picture of it and the hint (text
 * keys of the translations). */
void kiosk_scan_prompt(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *heading,
		       enum ui_image img, const char *picture, const char *hint);
/* A list of n rows of the given heights in a, with `buttons` buttons below
 * it: the first row shown (the page in k->page, clamped), *end past the
 * last; kiosk_pager() then draws the page row when there is more than one. */
int kiosk_pages_of(struct ui_ctx *ctx, struct kiosk_state *k, const struct ui_col *c,
		   const struct ui_col *a, const int *heights, int n, int buttons, int *end);
void kiosk_pager(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t, struct ui_col *a);
/* The keyboard for text (field in c, keys in a) with "back" and next_id. */
void kiosk_keyboard_body(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			 struct ui_col *c, struct ui_col *a, const char *text, const char *next_id,
			 const char *next_key);
/* The same under a heading and an optional hint (ui.ini keys). */
void kiosk_keyboard_screen(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			   struct ui_col *c, struct ui_col *a, const char *heading, const char *hint,
			   const char *text, const char *next_id, const char *next_key);
/* The next step with its dates in words. */
void kiosk_next_step_text(struct ui_ctx *ctx, const char *step, int64_t day, char *buf,
			  size_t len);

/* kiosk_screens_return.c */
void kiosk_scr_items(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		     struct ui_col *c, struct ui_col *a);
void kiosk_scr_nr_item(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		       struct ui_col *c, struct ui_col *a);
void kiosk_scr_nr_price(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			struct ui_col *c, struct ui_col *a);
void kiosk_scr_reason(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		      struct ui_col *c, struct ui_col *a);
void kiosk_scr_other_text(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			  struct ui_col *c, struct ui_col *a);
void kiosk_scr_condition(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			 struct ui_col *c, struct ui_col *a);

/* kiosk_screens_follow.c */
void kiosk_scr_follow_scan(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			   struct ui_col *c, struct ui_col *a);
void kiosk_scr_follow_number(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			     struct ui_col *c, struct ui_col *a);
void kiosk_scr_follow_receipt(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			      struct ui_col *c, struct ui_col *a);
void kiosk_scr_follow_show(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			   struct ui_col *c, struct ui_col *a);

#endif
