/* Follow my case (kiosk_screens.h): scan the case receipt, or type the
 * case's number and the purchase receipt's; then the case as it stands,
 * with every event in the customer's words. */
#include "ui/kiosk/kiosk_screens.h"

#include <stdio.h>
#include <string.h>

#include "ui/kiosk/kiosk_ids.h"

void kiosk_scr_follow_scan(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			    struct ui_col *c, struct ui_col *a)
{
	kiosk_scan_prompt(ctx, t, c, "ui.follow_heading", UI_IMG_SCAN_CASE, "ui.picture_case",
			  "ui.follow_hint");
	ui_button(ctx, t, a, KID_LOST_PAPER, ui_tr(ctx, "ui.follow_lost_paper"), 0);
	kiosk_back_button(ctx, t, a);
}

/* The case receipt is lost: the number printed in the customer's own
 * memory or e-mail ("K-000123": the digits), then the purchase receipt. */
static void follow_keypad(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			  struct ui_col *c, struct ui_col *a, const char *heading, const char *hint,
			  const char *text)
{
	ui_heading(ctx, t, c, ui_tr(ctx, heading));
	ui_text(ctx, t, c, "hint", ui_tr(ctx, hint), 0);
	ui_keypad_split(ctx, t, c, a, text, false);
	const char *ids[2] = {KID_BACK, KID_NEXT};
	const char *labels[2] = {ui_tr(ctx, "ui.back"), ui_tr(ctx, "ui.next")};
	const unsigned styles[2] = {0, UI_ST_PRIMARY};
	ui_buttons_row(ctx, t, a, 2, ids, labels, styles);
}

void kiosk_scr_follow_number(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			      struct ui_col *c, struct ui_col *a)
{
	follow_keypad(ctx, k, t, c, a, "ui.follow_number_heading", "ui.follow_number_hint",
		      k->f.follow_number);
}

void kiosk_scr_follow_receipt(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			       struct ui_col *c, struct ui_col *a)
{
	follow_keypad(ctx, k, t, c, a, "ui.follow_receipt_heading", "ui.follow_receipt_hint",
		      k->f.follow_receipt);
}

/* What an event says to the customer: a state move by the state it went
 * to, a decision by staff by the outcome (the event's text starts with
 * either; staff's reason after it is never read), anything else by its
 * kind; an unknown kind as "something happened", never a key. */
static const char *event_words(struct ui_ctx *ctx, const struct case_event *e, char *key,
			       size_t len)
{
	if (!strcmp(e->event, "state") || !strcmp(e->event, "override")) {
		size_t n = strcspn(e->text, ": (");
		snprintf(key, len, "ui.event_%s_%.*s", e->event, (int)n, e->text);
		const char *w = ui_tr(ctx, key);
		if (strcmp(w, key))
			return w;
	}
	snprintf(key, len, "ui.event_%s", e->event);
	const char *w = ui_tr(ctx, key);
	return strcmp(w, key) ? w : ui_tr(ctx, "ui.event_other");
}

void kiosk_scr_follow_show(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			    struct ui_col *c, struct ui_col *a)
{
	const struct case_record *r = &k->f.followed;
	char text[700], key[64];
	const char *kv[] = {"case", r->case_id, NULL};
	ui_trf(ctx, text, sizeof text, "ui.follow_case", kv);
	ui_heading(ctx, t, c, text);
	snprintf(key, sizeof key, "ui.state_%s", case_state_name(r->state));
	ui_text(ctx, t, c, "state", ui_tr(ctx, key), UI_ST_PANEL | UI_ST_LARGE);
	if (r->overdue)
		ui_text(ctx, t, c, "overdue", ui_tr(ctx, "ui.follow_overdue"), UI_ST_PANEL | UI_ST_WARN);
	/* The decision as it stands now (a staff override included); while a
	 * person still decides, the state above already says so. */
	if (r->decision.outcome != OUTCOME_STAFF) {
		char money[48];
		ui_format_money(ctx, r->decision.amount, money, sizeof money);
		const char *kv2[] = {"amount", money, NULL};
		snprintf(key, sizeof key, "ui.follow_outcome_%s",
			 case_outcome_name(r->decision.outcome));
		ui_trf(ctx, text, sizeof text, key, kv2);
		ui_text(ctx, t, c, "decision", text, 0);
	}
	if (r->state != CASE_CLOSED && r->decision.next_step[0]) {
		kiosk_next_step_text(ctx, r->decision.next_step, r->decision.promised_day, text, sizeof text);
		ui_text(ctx, t, c, "next_step", text, 0);
	}
	ui_text(ctx, t, c, "timeline_heading", ui_tr(ctx, "ui.follow_timeline"), UI_ST_SMALL);
	char lines[FLOW_MAX_EVENTS][300];
	int n = k->f.n_events < FLOW_MAX_EVENTS ? k->f.n_events : FLOW_MAX_EVENTS;
	for (int i = 0; i < n; i++) {
		const struct case_event *e = &k->f.events[i];
		char day[64], what[256];
		kiosk_format_day(ctx, time_local_days(e->at), day, sizeof day);
		const char *word = event_words(ctx, e, key, sizeof key);
		snprintf(what, sizeof what, "%s", word);
		const char *kv2[] = {"date", day, "what", what, NULL};
		ui_trf(ctx, lines[i], sizeof lines[i], "ui.follow_event", kv2);
	}
	/* The newest events that fit above the button; older ones are at the counter. */
	int room = c->bottom - c->y -
		   (a == c ? ui_button_height(ctx, a, ui_tr(ctx, "ui.finish"), UI_ST_PRIMARY) +
				     2 * c->gap : 0);
	int first = n;
	while (first > 0) {
		int h = ui_text_height(ctx, UI_FONT_BODY, lines[first - 1], c->w) + c->gap;
		if (h > room)
			break;
		room -= h;
		first--;
	}
	for (int i = first; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "event_%d", i + 1);
		ui_text(ctx, t, c, id, lines[i], 0);
	}
	ui_button(ctx, t, a, KID_FINISH, ui_tr(ctx, "ui.finish"), UI_ST_PRIMARY);
}
