/* The counter's screens as widget trees. A counter screen is landscape
 * (e.g. 1920x1080): a wide left column for what staff read (cases, the
 * case, the keyboard) and a right column for who is logged in and what
 * they can do. Pure layout from the state: no store calls here. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/contact.h"
#include "ui/counter/counter_private.h"

/* ---- layout --------------------------------------------------------------- */

struct cols {
	struct ui_col left, right;
};

static struct cols frame(struct ui_ctx *ctx, struct ui_tree *t, const char *screen)
{
	struct ui_col c = ui_chrome(ctx, t, screen, 0);
	int m = ui_unit(ctx, 48), g = ui_unit(ctx, 40);
	int W = ctx->win_w > 0 ? ctx->win_w : 1920;
	int lw = (W - 2 * m - g) * 62 / 100;
	struct cols k;
	k.left = (struct ui_col){.x = m, .y = c.y, .w = lw, .bottom = c.bottom,
				 .gap = ui_unit(ctx, 12)};
	k.right = k.left;
	k.right.x = m + lw + g;
	k.right.w = W - m - k.right.x;
	return k;
}

static void message(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
		    const struct counter_state *k)
{
	if (k->message[0])
		ui_text(ctx, t, c, "message", k->message,
			UI_ST_PANEL | UI_ST_SMALL | (k->message_warn ? UI_ST_WARN : 0));
}

/* Who is logged in, and the way out. */
static void who(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
		const struct counter_state *k)
{
	char line[200];
	const char *kv[] = {"name", k->staff.name, "id", k->staff.staff_id, "role",
			    counter_name(ctx, "role_", staff_role_name(k->staff.role)), NULL};
	ui_trf(ctx, line, sizeof line, "counter.logged_in_as", kv);
	ui_text(ctx, t, c, "who", line, UI_ST_SMALL);
	ui_button(ctx, t, c, "logout", ui_tr(ctx, "counter.logout"), UI_ST_QUIET | UI_ST_SMALL);
}

/* Buttons two to a row. */
static void button_pairs(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, int n,
			 const char *const *ids, const char *const *labels, const unsigned *st)
{
	for (int i = 0; i < n; i += 2)
		ui_buttons_row(ctx, t, c, n - i >= 2 ? 2 : 1, ids + i, labels + i, st ? st + i : NULL);
}

/* Adds item i of a list. */
typedef void (*item_fn)(struct ui_ctx *ctx, const struct counter_state *k, int i,
			struct ui_tree *t, struct ui_col *c);

static bool fill(struct ui_ctx *ctx, const struct counter_state *k, struct ui_tree *t,
		 struct ui_col *c, int first, int n, item_fn fn, int limit, int *shown)
{
	*shown = 0;
	for (int i = first; i < n; i++) {
		int before = t->n;
		struct ui_col saved = *c;
		fn(ctx, k, i, t, c);
		const struct ui_widget *w = &t->w[t->n - 1];
		if (t->n > before && w->y + w->h > limit && *shown > 0) {
			t->n = before;
			*c = saved;
			return false;
		}
		++*shown;
	}
	return true;
}

/* Items first.. of n that fit in the column, with Previous/Next buttons
 * when they do not all fit, or when there are items before the first
 * (earlier) or after the n-th (later) that are not loaded. Returns how many
 * were shown. */
static int paged(struct ui_ctx *ctx, const struct counter_state *k, struct ui_tree *t,
		 struct ui_col *c, int first, int n, bool earlier, bool later, item_fn fn,
		 const char *prev_id, const char *next_id)
{
	int start_n = t->n, shown;
	struct ui_col start = *c;
	if (fill(ctx, k, t, c, first, n, fn, c->bottom, &shown) && first == 0 && !earlier &&
	    !later)
		return shown;
	t->n = start_n;
	*c = start;
	int pager = ui_unit(ctx, 64) + c->gap;
	fill(ctx, k, t, c, first, n, fn, c->bottom - pager, &shown);
	const char *ids[] = {prev_id, next_id};
	const char *labels[] = {ui_tr(ctx, "counter.page_prev"), ui_tr(ctx, "counter.page_next")};
	const unsigned st[] = {UI_ST_QUIET | UI_ST_SMALL | UI_ST_COMPACT,
			       UI_ST_QUIET | UI_ST_SMALL | UI_ST_COMPACT};
	int before = t->n;
	ui_buttons_row(ctx, t, c, 2, ids, labels, st);
	if (t->n == before + 2) {
		t->w[before].enabled = first > 0 || earlier;
		t->w[before + 1].enabled = first + shown < n || later;
	}
	return shown;
}

/* ---- login ----------------------------------------------------------------- */

static void build_card(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	struct cols s = frame(ctx, t, "counter_login");
	ui_heading(ctx, t, &s.left, ui_tr(ctx, "counter.login_title"));
	ui_text(ctx, t, &s.left, "login_hint", ui_tr(ctx, "counter.login_scan"), 0);
	message(ctx, t, &s.left, k);
}

static void build_pin(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	/* The framework reads a tapped key's label aloud when speech is on:
	 * a PIN must never be spoken, so speech stays off on this screen
	 * (build runs after every change, also after the speech toggle). */
	ctx->speech_on = false;
	struct cols s = frame(ctx, t, "counter_pin");
	/* the field shows one dot a digit, never the digit */
	ui_keypad(ctx, t, &s.left, k->pin, true);
	ui_heading(ctx, t, &s.right, ui_tr(ctx, "counter.pin_title"));
	ui_text(ctx, t, &s.right, "pin_hint", ui_tr(ctx, "counter.pin_hint"), UI_ST_SMALL);
	message(ctx, t, &s.right, k);
	ui_button(ctx, t, &s.right, "pin_ok", ui_tr(ctx, "counter.pin_ok"), UI_ST_PRIMARY)
		->enabled = strlen(k->pin) >= 4;
	ui_button(ctx, t, &s.right, "cancel", ui_tr(ctx, "counter.cancel"), UI_ST_QUIET);
}

/* ---- the list ------------------------------------------------------------- */

static void case_label(struct ui_ctx *ctx, const struct case_record *c, char *buf, size_t len)
{
	char created[24], promised[16] = "";
	counter_format_time(c->created_at, created, sizeof created);
	/* a late case names the promise that was broken */
	int64_t day = c->overdue ? c->due_day : c->decision.promised_day;
	if (day > 0)
		date_format(day, promised, sizeof promised);
	const char *kv[] = {"case", c->case_id,
			    "kind", counter_name(ctx, "kind_", case_kind_name(c->kind)),
			    "state", counter_name(ctx, "state_", case_state_name(c->state)),
			    "created", created,
			    "promised", promised, NULL};
	size_t n = ui_trf(ctx, buf, len,
			  c->overdue ? "counter.case_item_overdue" : "counter.case_item", kv);
	if (c->taken_offline && n + 4 < len)
		snprintf(buf + n, len - n, " · %s", ui_tr(ctx, "counter.case_offline"));
}

static void case_item(struct ui_ctx *ctx, const struct counter_state *k, int i,
		      struct ui_tree *t, struct ui_col *c)
{
	char label[UI_LABEL_MAX], id[UI_ID_MAX];
	case_label(ctx, &k->cases[i], label, sizeof label);
	snprintf(id, sizeof id, "case_%d", i);
	unsigned st = UI_ST_SMALL | UI_ST_COMPACT;
	if (k->cases[i].overdue)
		st |= UI_ST_WARN;
	else if (k->cases[i].state == CASE_WAITING_STAFF)
		st |= UI_ST_ON;
	ui_list_item(ctx, t, c, id, label, st);
}

static void call_label(struct ui_ctx *ctx, const struct staff_call *call, char *buf, size_t len)
{
	char wait[48];
	counter_format_wait(ctx, counter_now().unix_s - call->created_at.unix_s, wait, sizeof wait);
	const char *kv[] = {"kiosk", call->kiosk, "wait", wait, "case", call->case_id, NULL};
	size_t n = ui_trf(ctx, buf, len,
			  call->case_id[0] ? "counter.call_item_case" : "counter.call_item", kv);
	/* where the customer is: "screen|receipt|items" from the kiosk */
	char screen[32] = "", receipt[40] = "", key[64];
	const char *bar1 = strchr(call->context, '|');
	const char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
	if (n >= len || !bar2)
		return;
	snprintf(screen, sizeof screen, "%.*s", (int)(bar1 - call->context), call->context);
	snprintf(receipt, sizeof receipt, "%.*s", (int)(bar2 - bar1 - 1), bar1 + 1);
	snprintf(key, sizeof key, "counter.call_screen_%s", screen);
	const char *where = ui_tr(ctx, key);
	const char *kv2[] = {"screen", strcmp(where, key) ? where : screen, "receipt", receipt,
			     "items", bar2 + 1, NULL};
	if (n + 2 >= len)
		return;
	buf[n++] = ' ';
	ui_trf(ctx, buf + n, len - n,
	       receipt[0] ? "counter.call_context_receipt" : "counter.call_context", kv2);
}

static void filter_text(struct ui_ctx *ctx, const struct counter_state *k, char *buf, size_t len)
{
	const char *kv[] = {"receipt", k->f_receipt, "text", k->f_search,
			    "state", k->f_by_state
					     ? counter_name(ctx, "state_", case_state_name(k->f_state))
					     : "",
			    NULL};
	const char *key = k->f_receipt[0]   ? "counter.filter_receipt"
			  : k->f_id_hash[0] ? "counter.filter_person"
			  : k->f_search[0]  ? "counter.filter_search"
			  : k->f_by_state   ? "counter.filter_state"
			  : k->f_overdue    ? "counter.filter_overdue_on"
					    : "counter.filter_none";
	ui_trf(ctx, buf, len, key, kv);
}

/* Calls listed above the cases (all are counted). */
#define COUNTER_CALLS_LISTED 4

static void build_list(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	struct cols s = frame(ctx, t, "counter_list");
	char label[UI_LABEL_MAX], id[UI_ID_MAX];

	/* talk-to-a-person calls first: a customer is standing at a kiosk.
	 * All of them are counted; the oldest are listed (answered first). */
	if (k->n_calls) {
		char n[16], more[16];
		snprintf(n, sizeof n, "%d", k->n_calls);
		snprintf(more, sizeof more, "%d", k->n_calls - COUNTER_CALLS_LISTED);
		const char *kv[] = {"n", n, "more", more, NULL};
		ui_trf(ctx, label, sizeof label,
		       k->n_calls > COUNTER_CALLS_LISTED ? "counter.calls_count_more"
							 : "counter.calls_count",
		       kv);
		ui_text(ctx, t, &s.left, "calls_count", label, UI_ST_WARN | UI_ST_SMALL);
	}
	for (int i = 0; i < k->n_calls && i < COUNTER_CALLS_LISTED; i++) {
		call_label(ctx, &k->calls[i], label, sizeof label);
		snprintf(id, sizeof id, "call_%d", i);
		ui_list_item(ctx, t, &s.left, id, label, UI_ST_WARN | UI_ST_SMALL | UI_ST_COMPACT);
	}
	/* cases a kiosk took while it could not reach the database, and that
	 * have not arrived yet: staff know they exist before they see them */
	for (int i = 0; i < k->n_journals && i < 3; i++) {
		char n[24], since[24];
		snprintf(n, sizeof n, "%lld", (long long)k->journals[i].pending);
		counter_format_time(k->journals[i].oldest, since, sizeof since);
		const char *kv[] = {"kiosk", k->journals[i].kiosk, "n", n, "since", since, NULL};
		ui_trf(ctx, label, sizeof label,
		       k->journals[i].pending == 1 ? "counter.offline_waiting_one"
						   : "counter.offline_waiting",
		       kv);
		snprintf(id, sizeof id, "offline_%d", i);
		ui_text(ctx, t, &s.left, id, label, UI_ST_SMALL);
	}
	if (!k->n_cases)
		ui_text(ctx, t, &s.left, "no_cases", ui_tr(ctx, "counter.no_cases"), UI_ST_SMALL);
	/* k->cases is the page from k->list_first on (counter_reload_list) */
	k->list_shown = paged(ctx, k, t, &s.left, 0, k->n_cases, k->list_first > 0, k->more_cases,
			      case_item, "page_prev", "page_next");

	who(ctx, t, &s.right, k);
	/* whose cases are listed, and which: beside the list, so the list
	 * has the whole height (at least 8 rows at 1920x1080) */
	const char *store = counter_list_store(ctx, k);
	const char *skv[] = {"store", store ? store : "", NULL};
	ui_trf(ctx, label, sizeof label, store ? "counter.scope_is_store" : "counter.scope_is_chain",
	       skv);
	ui_text(ctx, t, &s.right, "scope_now", label, UI_ST_SMALL);
	filter_text(ctx, k, label, sizeof label);
	ui_text(ctx, t, &s.right, "filter", label, UI_ST_SMALL);
	message(ctx, t, &s.right, k);
	ui_button(ctx, t, &s.right, "search", ui_tr(ctx, "counter.search"), UI_ST_SMALL);
	ui_button(ctx, t, &s.right, "customer_flow", ui_tr(ctx, "counter.customer_flow"),
		  UI_ST_SMALL);
	if (counter_own_store(ctx)) {
		const char *okv[] = {"store", counter_own_store(ctx), NULL};
		ui_trf(ctx, label, sizeof label, k->f_chain ? "counter.scope_store" : "counter.scope_chain",
		       okv);
		ui_button(ctx, t, &s.right, "scope", label, UI_ST_SMALL);
	}
	static const char *const fids[] = {"filter_all", "filter_overdue",
					   "filter_waiting_for_staff", "filter_approved",
					   "filter_at_repair", "filter_ready_for_pickup"};
	const char *flabels[] = {ui_tr(ctx, "counter.filter_all"),
				 ui_tr(ctx, "counter.filter_overdue"),
				 counter_name(ctx, "state_", "waiting_for_staff"),
				 counter_name(ctx, "state_", "approved"),
				 counter_name(ctx, "state_", "at_repair"),
				 counter_name(ctx, "state_", "ready_for_pickup")};
	unsigned fst[6];
	for (int i = 0; i < 6; i++)
		fst[i] = UI_ST_QUIET | UI_ST_SMALL;
	button_pairs(ctx, t, &s.right, 6, fids, flabels, fst);
}

/* ---- one case -------------------------------------------------------------- */

/* How the customer hears from us: the contact, masked (the screen faces the
 * counter, not the shop, but a full address is never needed to help), and
 * the newest messages with how they went. */
#define COUNTER_MSGS_SHOWN 4

static void build_updates(struct ui_ctx *ctx, const struct counter_state *k, struct ui_tree *t,
			  struct ui_col *c)
{
	const struct case_record *r = &k->cur;
	char buf[UI_LABEL_MAX], masked[160], at[24], id[UI_ID_MAX], key[48];
	if (r->wants_updates && r->contact[0]) {
		contact_mask(r->contact, masked, sizeof masked);
		const char *kv[] = {"to", masked, NULL};
		ui_trf(ctx, buf, sizeof buf,
		       strchr(r->contact, '@') ? "counter.updates_email" : "counter.updates_sms", kv);
		ui_text(ctx, t, c, "updates", buf, UI_ST_SMALL);
	} else {
		ui_text(ctx, t, c, "updates", ui_tr(ctx, "counter.updates_none"), UI_ST_SMALL);
	}
	int first = k->n_msgs > COUNTER_MSGS_SHOWN ? k->n_msgs - COUNTER_MSGS_SHOWN : 0;
	for (int i = first; i < k->n_msgs; i++) {
		const struct outbox_msg *m = &k->msgs[i];
		counter_format_time(m->created_at, at, sizeof at);
		snprintf(key, sizeof key, "counter.msg_%s", m->kind);
		char what[160];
		snprintf(what, sizeof what, "%s", ui_tr(ctx, key));
		snprintf(key, sizeof key, "counter.msg_status_%s", m->status);
		const char *kv[] = {"at", at, "what", what, "channel",
				    ui_tr(ctx, !strcmp(m->channel, "sms") ? "counter.msg_sms"
									  : "counter.msg_email"),
				    "error", m->last_error, NULL};
		char status[UI_LABEL_MAX / 2];
		ui_trf(ctx, status, sizeof status, key, kv);
		const char *kv2[] = {"at", at, "what", what, "status", status, NULL};
		ui_trf(ctx, buf, sizeof buf, "counter.msg_line", kv2);
		snprintf(id, sizeof id, "msg_%d", i);
		ui_text(ctx, t, c, id, buf,
			UI_ST_SMALL | (!strcmp(m->status, "failed") ? UI_ST_WARN : 0));
	}
}

static void build_details(struct ui_ctx *ctx, const struct counter_state *k, struct ui_tree *t,
			  struct ui_col *c)
{
	const struct case_record *r = &k->cur;
	char buf[UI_LABEL_MAX], created[24], amount[48], day[16], id[UI_ID_MAX];
	counter_format_time(r->created_at, created, sizeof created);
	const char *kv[] = {"created", created, "receipt", r->receipt_id, "lang", r->lang, NULL};
	ui_trf(ctx, buf, sizeof buf, r->receipt_id[0] ? "counter.registered_receipt"
						       : "counter.registered_no_receipt", kv);
	ui_text(ctx, t, c, "registered", buf, UI_ST_SMALL | UI_ST_PANEL);
	for (int i = 0; i < r->n_lines; i++) {
		const struct case_line *l = &r->lines[i];
		char qty[16];
		snprintf(qty, sizeof qty, "%d", l->quantity);
		ui_format_money(ctx, l->unit_price, amount, sizeof amount);
		const char *lkv[] = {"qty", qty, "item", l->description, "price", amount,
				     "reason", counter_name(ctx, "reason_", return_reason_name(l->reason)),
				     "condition",
				     counter_name(ctx, "condition_", item_condition_name(l->condition)),
				     NULL};
		ui_trf(ctx, buf, sizeof buf, "counter.line", lkv);
		snprintf(id, sizeof id, "line_%d", i);
		ui_text(ctx, t, c, id, buf, UI_ST_SMALL);
	}
	if (r->product[0]) {
		const char *pkv[] = {"product", r->product, NULL};
		ui_trf(ctx, buf, sizeof buf, "counter.product", pkv);
		ui_text(ctx, t, c, "product", buf, UI_ST_SMALL);
	}
	if (r->customer_text[0]) {
		const char *wkv[] = {"text", r->customer_text, NULL};
		ui_trf(ctx, buf, sizeof buf, "counter.customer_words", wkv);
		ui_text(ctx, t, c, "customer_words", buf, UI_ST_SMALL | UI_ST_PANEL);
	}
	ui_format_money(ctx, r->decision.amount, amount, sizeof amount);
	snprintf(day, sizeof day, "%s", ui_tr(ctx, "counter.no_date"));
	if (r->decision.promised_day > 0)
		date_format(r->decision.promised_day, day, sizeof day);
	const char *dkv[] = {"outcome",
			     counter_name(ctx, "outcome_", case_outcome_name(r->decision.outcome)),
			     "rule", r->decision.rule, "why", r->decision.explanation,
			     "amount", amount,
			     "next", r->decision.next_step[0] ? r->decision.next_step
							      : ui_tr(ctx, "counter.no_next_step"),
			     "date", day, NULL};
	char more[UI_LABEL_MAX / 2];
	size_t n = ui_trf(ctx, buf, sizeof buf / 2, "counter.decision", dkv);
	ui_trf(ctx, more, sizeof more, "counter.decision_more", dkv);
	snprintf(buf + n, sizeof buf - n, "\n%s", more);
	ui_text(ctx, t, c, "decision", buf, UI_ST_SMALL | UI_ST_PANEL |
		(r->overdue ? UI_ST_WARN : 0));
	build_updates(ctx, k, t, c);
}

static void event_item(struct ui_ctx *ctx, const struct counter_state *k, int i,
		       struct ui_tree *t, struct ui_col *c)
{
	char buf[UI_LABEL_MAX], at[24], id[UI_ID_MAX], what[UI_LABEL_MAX - 100];
	const struct case_event *e = &k->events[i];
	counter_format_time(e->at, at, sizeof at);
	counter_event_words(ctx, e->event, e->text, what, sizeof what);
	snprintf(buf, sizeof buf, "%s · %s · %s", at, counter_actor_words(ctx, e->actor), what);
	snprintf(id, sizeof id, "event_%d", i);
	ui_text(ctx, t, c, id, buf, UI_ST_SMALL | UI_ST_PANEL);
}

static void build_timeline(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t,
			   struct ui_col *c)
{
	k->tl_shown = paged(ctx, k, t, c, k->tl_first, k->n_events, false, false, event_item, "tl_prev",
			    "tl_next");
}

static void build_case(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	struct cols s = frame(ctx, t, "counter_case");
	const struct case_record *r = &k->cur;
	char title[200];
	const char *kv[] = {"case", r->case_id,
			    "kind", counter_name(ctx, "kind_", case_kind_name(r->kind)),
			    "state", counter_name(ctx, "state_", case_state_name(r->state)), NULL};
	ui_trf(ctx, title, sizeof title, "counter.case_title", kv);
	ui_text(ctx, t, &s.left, "case_title", title, UI_ST_LARGE);
	const char *tids[] = {"tab_details", "tab_timeline"};
	const char *tlabels[] = {ui_tr(ctx, "counter.tab_details"),
				 ui_tr(ctx, "counter.tab_timeline")};
	const unsigned tst[] = {UI_ST_SMALL | (k->tab_timeline ? 0 : UI_ST_ON),
				UI_ST_SMALL | (k->tab_timeline ? UI_ST_ON : 0)};
	ui_buttons_row(ctx, t, &s.left, 2, tids, tlabels, tst);
	if (k->tab_timeline)
		build_timeline(ctx, k, t, &s.left);
	else
		build_details(ctx, k, t, &s.left);

	who(ctx, t, &s.right, k);
	message(ctx, t, &s.right, k);
	const char *ids[10] = {"act_approve", "act_refuse", "act_override", "act_state",
			       "act_promise", "act_note", "act_reprint"};
	int n = 7;
	bool failed = false;
	for (int i = 0; i < k->n_msgs; i++)
		failed |= !strcmp(k->msgs[i].status, "failed");
	/* a message that failed can go again; a contact can go at the customer's word */
	if (failed && k->cur.wants_updates && k->cur.contact[0])
		ids[n++] = "act_resend";
	if (k->cur.wants_updates && k->cur.contact[0])
		ids[n++] = "act_forget_contact";
	ids[n++] = "back";
	const char *labels[10];
	unsigned st[10];
	for (int i = 0; i < n; i++) {
		char key[48];
		snprintf(key, sizeof key, "counter.%s", ids[i]);
		labels[i] = ui_tr(ctx, key);
		st[i] = UI_ST_SMALL | (i == n - 1 ? UI_ST_QUIET : 0);
	}
	button_pairs(ctx, t, &s.right, n, ids, labels, st);
}

/* ---- typing and choosing ------------------------------------------------- */

static void build_text(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	static const char *const titles[] = {
		[CT_REFUSE] = "counter.refuse_title", [CT_OVERRIDE] = "counter.override_reason",
		[CT_NOTE] = "counter.note_title",     [CT_PROMISE] = "counter.promise_step",
		[CT_SEARCH] = "counter.search_title",
	};
	struct cols s = frame(ctx, t, "counter_text");
	ui_keyboard(ctx, t, &s.left, k->text, NULL);
	ui_heading(ctx, t, &s.right, ui_tr(ctx, titles[k->text_for]));
	if (k->have_case && k->text_for != CT_SEARCH)
		ui_text(ctx, t, &s.right, "case_id", k->cur.case_id, UI_ST_SMALL);
	message(ctx, t, &s.right, k);
	ui_button(ctx, t, &s.right, "text_ok", ui_tr(ctx, "counter.ok"), UI_ST_PRIMARY);
	ui_button(ctx, t, &s.right, "cancel", ui_tr(ctx, "counter.cancel"), UI_ST_QUIET);
}

static void build_outcome(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	struct cols s = frame(ctx, t, "counter_outcome");
	static const enum case_outcome outs[] = {OUTCOME_REFUND, OUTCOME_STORE_CREDIT,
						 OUTCOME_EXCHANGE, OUTCOME_REPAIR,
						 OUTCOME_REPLACE, OUTCOME_REFUSED};
	char ids[6][UI_ID_MAX];
	const char *idp[6], *labels[6];
	for (int i = 0; i < 6; i++) {
		snprintf(ids[i], sizeof ids[i], "outcome_%s", case_outcome_name(outs[i]));
		idp[i] = ids[i];
		labels[i] = counter_name(ctx, "outcome_", case_outcome_name(outs[i]));
	}
	ui_heading(ctx, t, &s.left, ui_tr(ctx, "counter.override_title"));
	button_pairs(ctx, t, &s.left, 6, idp, labels, NULL);
	char value[48], buf[300];
	ui_format_money(ctx, case_record_value(&k->cur), value, sizeof value);
	const char *kv[] = {"case", k->cur.case_id, "value", value, NULL};
	ui_trf(ctx, buf, sizeof buf, "counter.override_value", kv);
	ui_text(ctx, t, &s.right, "override_value", buf, UI_ST_SMALL);
	message(ctx, t, &s.right, k);
	ui_button(ctx, t, &s.right, "cancel", ui_tr(ctx, "counter.cancel"), UI_ST_QUIET);
}

static void build_state(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	struct cols s = frame(ctx, t, "counter_state");
	static const enum case_state states[] = {CASE_APPROVED, CASE_AT_REPAIR,
						 CASE_BACK_FROM_REPAIR, CASE_READY_FOR_PICKUP,
						 CASE_CLOSED};
	char ids[5][UI_ID_MAX];
	const char *idp[5], *labels[5];
	for (int i = 0; i < 5; i++) {
		snprintf(ids[i], sizeof ids[i], "state_%s", case_state_name(states[i]));
		idp[i] = ids[i];
		labels[i] = counter_name(ctx, "state_", case_state_name(states[i]));
	}
	ui_heading(ctx, t, &s.left, ui_tr(ctx, "counter.state_title"));
	button_pairs(ctx, t, &s.left, 5, idp, labels, NULL);
	ui_text(ctx, t, &s.right, "case_id", k->cur.case_id, UI_ST_SMALL);
	message(ctx, t, &s.right, k);
	ui_button(ctx, t, &s.right, "cancel", ui_tr(ctx, "counter.cancel"), UI_ST_QUIET);
}

static void build_promise(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	struct cols s = frame(ctx, t, "counter_promise");
	char day[16], days[16], buf[200];
	date_format(time_local_days(counter_now()) + k->promise_days, day, sizeof day);
	snprintf(days, sizeof days, "%d", k->promise_days);
	const char *kv[] = {"days", days, "date", day, NULL};
	ui_trf(ctx, buf, sizeof buf, "counter.promise_days", kv);
	ui_heading(ctx, t, &s.left, ui_tr(ctx, "counter.promise_title"));
	ui_stepper(ctx, t, &s.left, "days", buf, k->promise_days > 0, k->promise_days < 365, true,
		   false);
	ui_button(ctx, t, &s.left, "promise_text", ui_tr(ctx, "counter.promise_next"),
		  UI_ST_PRIMARY);
	ui_text(ctx, t, &s.right, "case_id", k->cur.case_id, UI_ST_SMALL);
	message(ctx, t, &s.right, k);
	ui_button(ctx, t, &s.right, "cancel", ui_tr(ctx, "counter.cancel"), UI_ST_QUIET);
}

void counter_build_screen(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t)
{
	switch (k->screen) {
	case CS_CARD: build_card(ctx, k, t); break;
	case CS_PIN: build_pin(ctx, k, t); break;
	case CS_LIST: build_list(ctx, k, t); break;
	case CS_DETAIL: build_case(ctx, k, t); break;
	case CS_TEXT: build_text(ctx, k, t); break;
	case CS_OUTCOME: build_outcome(ctx, k, t); break;
	case CS_STATE: build_state(ctx, k, t); break;
	case CS_PROMISE: build_promise(ctx, k, t); break;
	}
}
