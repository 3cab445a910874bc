/* A return's screens (kiosk_screens.h): which items and how many, a
 * product without a receipt and its price, then why and in what state, for
 * the whole return or for each item in turn. */
#include "ui/kiosk/kiosk_screens.h"

#include <stdio.h>
#include <string.h>

#include "ui/kiosk/kiosk_ids.h"

void kiosk_scr_items(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		      struct ui_col *c, struct ui_col *a)
{
	const struct flow *f = &k->f;
	char labels[FLOW_MAX_LINES][512];
	int heights[FLOW_MAX_LINES], lefts[FLOW_MAX_LINES];
	int n = f->receipt.n_lines < FLOW_MAX_LINES ? f->receipt.n_lines : FLOW_MAX_LINES;
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.items_heading"));
	for (int i = 0; i < n; i++) {
		const struct receipt_line *l = &f->receipt.lines[i];
		char price[48], chosen[8], left[8];
		lefts[i] = l->quantity - l->returned_quantity;
		ui_format_money(ctx, l->unit_price, price, sizeof price);
		snprintf(chosen, sizeof chosen, "%d", f->qty[i]);
		snprintf(left, sizeof left, "%d", lefts[i]);
		const char *kv[] = {"item", l->description, "chosen", chosen, "left", left,
				    "price", price, NULL};
		/* what can be chosen and how many are; a line that cannot says why */
		const char *key = lefts[i] > 0 ? (f->qty[i] > 0 ? "ui.items_line_chosen"
								 : "ui.items_line")
				  : l->pending_quantity > 0 ? "ui.items_line_waiting"
							    : "ui.items_line_returned";
		ui_trf(ctx, labels[i], sizeof labels[i], key, kv);
		heights[i] = ui_stepper_height(ctx, a, labels[i]);
	}
	int end;
	int first = kiosk_pages_of(ctx, k, c, a, heights, n, 2, &end);
	for (int i = first; i < end; i++) {
		char prefix[24];
		snprintf(prefix, sizeof prefix, KID_LINE_FMT, i + 1);
		ui_stepper(ctx, t, a, prefix, labels[i], f->qty[i] > 0, f->qty[i] < lefts[i],
			   f->qty[i] > 0, lefts[i] > 0);
	}
	kiosk_pager(ctx, k, t, a);
	ui_button(ctx, t, a, KID_NEXT, ui_tr(ctx, "ui.next"), UI_ST_PRIMARY);
	kiosk_back_button(ctx, t, a);
}

void kiosk_scr_nr_item(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			struct ui_col *c, struct ui_col *a)
{
	kiosk_keyboard_screen(ctx, k, t, c, a, "ui.nr_item_heading", "ui.nr_item_hint", k->f.product, KID_NEXT,
			"ui.next");
}

void kiosk_scr_nr_price(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			 struct ui_col *c, struct ui_col *a)
{
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.nr_price_heading"));
	ui_text(ctx, t, c, "hint", ui_tr(ctx, "ui.nr_price_hint"), 0);
	ui_keypad_split(ctx, t, c, a, k->f.price, false);
	const char *ids[2] = {KID_BACK, KID_NEXT};
	const char *labels[2] = {ui_tr(ctx, "ui.back"), ui_tr(ctx, "ui.next")};
	const unsigned styles[2] = {0, UI_ST_PRIMARY};
	ui_buttons_row(ctx, t, a, 2, ids, labels, styles);
}

/* A question about the return: about all of it, or (different items)
 * about one, named, with where it is in the row ("Vara 1 av 2"). */
static void question_heading(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			     struct ui_col *c, const char *all_key, const char *item_key)
{
	int n, total;
	if (!flow_asking_item(&k->f, &n, &total)) {
		ui_heading(ctx, t, c, ui_tr(ctx, all_key));
		return;
	}
	char heading[UI_LABEL_MAX], of[64], ns[8], ts[8];
	snprintf(ns, sizeof ns, "%d", n);
	snprintf(ts, sizeof ts, "%d", total);
	const char *kv[] = {"item", k->f.receipt.lines[k->f.asking].description, "n", ns,
			    "total", ts, NULL};
	ui_trf(ctx, heading, sizeof heading, item_key, kv);
	ui_trf(ctx, of, sizeof of, "ui.item_of", kv);
	ui_heading(ctx, t, c, heading);
	ui_text(ctx, t, c, "item_of", of, UI_ST_SMALL);
}

void kiosk_scr_reason(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		       struct ui_col *c, struct ui_col *a)
{
	static const enum return_reason reasons[] = {REASON_CHANGED_MIND, REASON_FAULTY,
						     REASON_WRONG_ITEM, REASON_OTHER};
	question_heading(ctx, k, t, c, "ui.reason_heading", "ui.reason_heading_item");
	/* back here: the answer given is shown chosen */
	enum return_reason given;
	bool was = flow_reason_given(&k->f, &given);
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		char key[40];
		const char *id = flow_reason_id(reasons[i]);
		snprintf(key, sizeof key, "ui.%s", id);
		ui_button(ctx, t, a, id, ui_tr(ctx, key), was && given == reasons[i] ? UI_ST_ON : 0);
	}
	kiosk_back_button(ctx, t, a);
}

void kiosk_scr_other_text(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			   struct ui_col *c, struct ui_col *a)
{
	int n, total;
	if (!flow_asking_item(&k->f, &n, &total)) {
		kiosk_keyboard_screen(ctx, k, t, c, a, "ui.other_heading", NULL, k->f.text, KID_NEXT,
				"ui.next");
		return;
	}
	question_heading(ctx, k, t, c, "ui.other_heading", "ui.other_heading_item");
	kiosk_keyboard_body(ctx, k, t, c, a, k->f.line_text[k->f.asking], KID_NEXT, "ui.next");
}

void kiosk_scr_condition(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			  struct ui_col *c, struct ui_col *a)
{
	question_heading(ctx, k, t, c, "ui.condition_heading", "ui.condition_heading_item");
	enum item_condition given;
	bool was = flow_condition_given(&k->f, &given);
	ui_button(ctx, t, a, KID_COND_UNOPENED, ui_tr(ctx, "ui.cond_unopened"),
		  was && given == COND_UNOPENED ? UI_ST_ON : 0);
	ui_button(ctx, t, a, KID_COND_USED, ui_tr(ctx, "ui.cond_used"),
		  was && given == COND_USED ? UI_ST_ON : 0);
	kiosk_back_button(ctx, t, a);
}
