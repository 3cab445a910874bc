/* The staff counter mode: the state machine of counter_private.h (login,
 * taps, scans, idle logout, polling for calls). The actions live in
 * counter_actions.c, the screens in counter_screens.c. */
#include "ui/counter/counter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "domain/scan.h"
#include "services/desk.h"
#include "services/id_hash.h"
#include "ui/counter/counter_private.h"

/* How often the counter asks the store whether anything changed (a new
 * case, a call, a move at another counter): a question that reads no data,
 * so a change shows within a second. */
#define POLL_MS 500
/* Waiting times and overdue marks move with the clock: the page is read
 * again every [counter] refresh_seconds even when nothing was saved. */
#define REFRESH_SECONDS_DEFAULT 30

static struct counter_state *state(struct ui_ctx *ctx)
{
	return ctx->mode_data;
}

/* ---- login -------------------------------------------------------------- */

static void logout(struct counter_state *k)
{
	counter_close_case(k);
	counter_clear_filter(k);
	k->logged_in = false;
	memset(&k->staff, 0, sizeof k->staff);
	explicit_bzero(k->pin, sizeof k->pin);
	k->card[0] = '\0';
	k->screen = CS_CARD;
}

static void try_login(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	struct staff_record who;
	int rc = desk_login(ctx->store, k->card, k->pin, counter_now(), &who, &why);
	explicit_bzero(k->pin, sizeof k->pin);
	if (rc == 0) {
		k->logged_in = true;
		k->staff = who;
		k->message[0] = '\0';
		k->screen = CS_LIST;
		counter_clear_filter(k);
		counter_reload_list(ctx, k);
		return;
	}
	if (rc == KIOSK_EBUSY) {
		counter_say(k, true, ui_tr(ctx, "counter.login_locked"));
		k->card[0] = '\0';
		k->screen = CS_CARD;
	} else if (rc == KIOSK_EDENIED && !desk_card_active(ctx->store, k->card)) {
		counter_say(k, true, ui_tr(ctx, "counter.login_refused"));
		k->card[0] = '\0';
		k->screen = CS_CARD;
	} else if (rc == KIOSK_EDENIED) {
		counter_say(k, true, ui_tr(ctx, "counter.login_wrong"));
	} else {
		counter_say_failed(ctx, k, &why);
	}
}


/* ---- taps ---------------------------------------------------------------- */

/* Parse the number after prefix in id ("case_3" -> 3); -1 when not. */
static long id_number(const char *id, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(id, prefix, n) || !id[n])
		return -1;
	char *end;
	long v = strtol(id + n, &end, 10);
	return *end ? -1 : v;
}

/* Page forward or back by what the last screen showed (items differ in
 * height, so a page is what fitted). */
static void page_step(int *first, int shown, int n, int dir)
{
	int step = shown > 0 ? shown : 1;
	if (dir > 0 && *first + step < n)
		*first += step;
	else if (dir < 0)
		*first = *first > step ? *first - step : 0;
}

/* Staff start the customer flow on behalf of a customer (a return at the
 * counter): the same screens, policy and receipt as the kiosk. The case is
 * registered with the staff member as actor (ctx->assisted_by, read by the
 * kiosk mode). Staff are logged out first, so the customer never holds a
 * logged-in counter; when the customer is done the kiosk hands the screen
 * back to the counter's login (why there: kiosk_mode.c, hand_back). The
 * audit log says who handed over. */
static void open_customer_flow(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	if (desk_audit(ctx->store, &k->staff, "counter.customer_flow",
		       "opened the customer flow at the counter", counter_now(), &why)) {
		counter_say_failed(ctx, k, &why);
		return;
	}
	if (ui_switch_mode(ctx, "kiosk")) {
		counter_say(k, true, ui_tr(ctx, "counter.no_customer_flow"));
		return;
	}
	snprintf(ctx->assisted_by, sizeof ctx->assisted_by, "staff:%s", k->staff.staff_id);
	logout(k);
}

static void tap_list(struct ui_ctx *ctx, struct counter_state *k, const char *id)
{
	long i;
	enum case_state s;
	if ((i = id_number(id, "case_")) >= 0 && i < k->n_cases) {
		k->message[0] = '\0';
		counter_open_case(ctx, k, k->cases[i].case_id);
		k->tab_timeline = false;
	} else if ((i = id_number(id, "call_")) >= 0 && i < k->n_calls) {
		struct kiosk_why why = {{0}};
		struct staff_call call = k->calls[i];
		int rc = desk_call_answer(ctx->store, &k->staff, call.call_id, counter_now(), &why);
		counter_reload_list(ctx, k);
		if (rc) {
			counter_say_failed(ctx, k, &why);
		} else {
			const char *kv[] = {"kiosk", call.kiosk, NULL};
			if (call.case_id[0] && counter_open_case(ctx, k, call.case_id) == 0)
				k->tab_timeline = false;
			counter_sayf(ctx, k, false, "counter.call_taken", kv);
		}
	} else if (!strcmp(id, "scope")) {
		k->f_chain = !k->f_chain;
		k->list_first = 0;
		counter_reload_list(ctx, k);
	} else if (!strcmp(id, "filter_all")) {
		counter_clear_filter(k);
		counter_reload_list(ctx, k);
	} else if (!strcmp(id, "filter_overdue")) {
		counter_clear_filter(k);
		k->f_overdue = true;
		counter_reload_list(ctx, k);
	} else if (!strncmp(id, "filter_", 7) && !case_state_parse(id + 7, &s)) {
		counter_clear_filter(k);
		k->f_by_state = true;
		k->f_state = s;
		counter_reload_list(ctx, k);
	} else if (!strcmp(id, "customer_flow")) {
		open_customer_flow(ctx, k);
	} else if (!strcmp(id, "search")) {
		counter_start_text(k, CT_SEARCH, "");
	} else if (!strcmp(id, "page_next") || !strcmp(id, "page_prev")) {
		/* the window starts at the page shown: read the next one */
		int step = k->list_shown > 0 ? k->list_shown : 1;
		k->list_first += !strcmp(id, "page_next") ? step : -step;
		if (k->list_first < 0)
			k->list_first = 0;
		counter_reload_list(ctx, k);
	}
}

static void tap_detail(struct ui_ctx *ctx, struct counter_state *k, const char *id)
{
	if (!strcmp(id, "back")) {
		counter_close_case(k);
		k->message[0] = '\0';
		k->screen = CS_LIST;
		counter_reload_list(ctx, k);
	} else if (!strcmp(id, "tab_details")) {
		k->tab_timeline = false;
	} else if (!strcmp(id, "tab_timeline")) {
		k->tab_timeline = true;
	} else if (!strcmp(id, "tl_prev")) {
		page_step(&k->tl_first, k->tl_shown, k->n_events, -1);
	} else if (!strcmp(id, "tl_next")) {
		page_step(&k->tl_first, k->tl_shown, k->n_events, +1);
	} else if (!strcmp(id, "act_approve")) {
		counter_act_state(ctx, k, CASE_APPROVED, "");
	} else if (!strcmp(id, "act_refuse")) {
		counter_start_text(k, CT_REFUSE, "");
	} else if (!strcmp(id, "act_override")) {
		k->message[0] = '\0';
		k->screen = CS_OUTCOME;
	} else if (!strcmp(id, "act_state")) {
		k->message[0] = '\0';
		k->screen = CS_STATE;
	} else if (!strcmp(id, "act_promise")) {
		k->promise_days = 7;
		k->message[0] = '\0';
		k->screen = CS_PROMISE;
	} else if (!strcmp(id, "act_note")) {
		counter_start_text(k, CT_NOTE, "");
	} else if (!strcmp(id, "act_resend")) {
		counter_act_resend(ctx, k);
	} else if (!strcmp(id, "act_forget_contact")) {
		counter_act_forget_contact(ctx, k);
	} else if (!strcmp(id, "act_reprint")) {
		counter_act_reprint(ctx, k);
	}
}

static void tap_choice(struct ui_ctx *ctx, struct counter_state *k, const char *id)
{
	enum case_outcome o;
	enum case_state s;
	if (!strcmp(id, "cancel")) {
		k->message[0] = '\0';
		k->screen = k->have_case ? CS_DETAIL : CS_LIST;
	} else if (k->screen == CS_OUTCOME && !strncmp(id, "outcome_", 8) &&
		   !case_outcome_parse(id + 8, &o)) {
		int64_t limit = k->manager_limit;
		if (!desk_may_override(&k->staff, case_record_value(&k->cur), limit)) {
			char amount[48];
			ui_format_money(ctx, limit, amount, sizeof amount);
			const char *kv[] = {"amount", amount, NULL};
			counter_sayf(ctx, k, true, "counter.manager_needed", kv);
			return;
		}
		k->override_outcome = o;
		counter_start_text(k, CT_OVERRIDE, "");
	} else if (k->screen == CS_STATE && !strncmp(id, "state_", 6) &&
		   !case_state_parse(id + 6, &s)) {
		counter_act_state(ctx, k, s, "");
	} else if (k->screen == CS_PROMISE) {
		if (!strcmp(id, "days_minus") && k->promise_days > 0)
			k->promise_days--;
		else if (!strcmp(id, "days_plus") && k->promise_days < 365)
			k->promise_days++;
		else if (!strcmp(id, "promise_text"))
			counter_start_text(k, CT_PROMISE, k->cur.decision.next_step);
	}
}

static void counter_tap(struct ui_ctx *ctx, const char *id)
{
	struct counter_state *k = state(ctx);
	if (k->logged_in && !strcmp(id, "logout")) {
		logout(k);
		k->message[0] = '\0';
		return;
	}
	switch (k->screen) {
	case CS_CARD:
		break;
	case CS_PIN:
		if (!strcmp(id, "pin_ok")) {
			try_login(ctx, k);
		} else if (!strcmp(id, "cancel")) {
			logout(k);
			k->message[0] = '\0';
		} else if (!strcmp(id, "key_back") ||
			   (!strncmp(id, "key_", 4) && id[4] >= '0' && id[4] <= '9' && !id[5])) {
			if (strlen(k->pin) + 1 < sizeof k->pin || !strcmp(id, "key_back"))
				ui_key_apply(id, k->pin, sizeof k->pin);
		}
		break;
	case CS_LIST:
		tap_list(ctx, k, id);
		break;
	case CS_DETAIL:
		tap_detail(ctx, k, id);
		break;
	case CS_TEXT:
		if (!strcmp(id, "text_ok"))
			counter_text_done(ctx, k);
		else if (!strcmp(id, "cancel")) {
			k->message[0] = '\0';
			k->screen = k->text_for == CT_SEARCH || !k->have_case ? CS_LIST : CS_DETAIL;
		} else
			ui_key_apply(id, k->text, sizeof k->text);
		break;
	case CS_OUTCOME:
	case CS_STATE:
	case CS_PROMISE:
		tap_choice(ctx, k, id);
		break;
	}
}

/* ---- scans ---------------------------------------------------------------- */

static void scan_id_document(struct ui_ctx *ctx, struct counter_state *k,
			     const struct scan_id_document *doc)
{
	char key_path[4096], hash[ID_HASH_HEX];
	struct id_hasher *h = NULL;
	struct kiosk_why why = {{0}};
	int rc = id_hash_key_path(ctx->cfg, ctx->db_path ? ctx->db_path : "", key_path,
				  sizeof key_path, &why);
	if (!rc)
		rc = id_hash_open(&h, key_path, &why);
	if (!rc)
		rc = id_hash_compute(h, doc->issuer, doc->document_number, hash, &why);
	id_hash_close(h);
	if (rc) {
		counter_say_failed(ctx, k, &why);
		return;
	}
	/* only the keyed hash is kept: the name and number are not shown */
	counter_clear_filter(k);
	snprintf(k->f_id_hash, sizeof k->f_id_hash, "%s", hash);
	counter_close_case(k);
	k->screen = CS_LIST;
	k->message[0] = '\0';
	counter_reload_list(ctx, k);
}

static void counter_scan(struct ui_ctx *ctx, const struct scan_result *r)
{
	struct counter_state *k = state(ctx);
	if (r->kind == SCAN_STAFF && r->valid) {
		/* a staff card starts a login, also to hand over to a colleague */
		if (k->logged_in)
			logout(k);
		scan_format_staff_code(k->card, sizeof k->card, r->u.staff.staff_id);
		k->pin[0] = '\0';
		k->message[0] = '\0';
		k->screen = CS_PIN;
		return;
	}
	if (!k->logged_in) {
		counter_say(k, true, ui_tr(ctx, "counter.not_staff_card"));
		return;
	}
	if (!r->valid) {
		counter_say(k, true, ui_tr(ctx, "counter.scan_unknown"));
		return;
	}
	switch (r->kind) {
	case SCAN_RECEIPT:
		counter_clear_filter(k);
		snprintf(k->f_receipt, sizeof k->f_receipt, "%s", r->u.receipt.receipt_id);
		counter_close_case(k);
		k->screen = CS_LIST;
		k->message[0] = '\0';
		counter_reload_list(ctx, k);
		break;
	case SCAN_CASE:
		k->message[0] = '\0';
		if (counter_open_case(ctx, k, r->u.case_code.case_id) == 0)
			k->tab_timeline = false;
		break;
	case SCAN_ID_DOCUMENT:
		scan_id_document(ctx, k, &r->u.id);
		break;
	default:
		counter_say(k, true, ui_tr(ctx, "counter.scan_unknown"));
		break;
	}
}

/* ---- lifecycle ------------------------------------------------------------ */

static int counter_init(struct ui_ctx *ctx, struct kiosk_why *why)
{
	if (!ctx->store)
		return kiosk_fail(why, KIOSK_EIO, "The counter needs the database.");
	struct counter_state *k = calloc(1, sizeof *k);
	if (!k)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory starting the counter.");
	int rc = policy_load(&k->policy, ctx->cfg, why);
	if (rc) {
		free(k);
		return rc;
	}
	k->rules = (struct desk_rules){&k->policy, ctx->tr_sv, ctx->tr_en};
	long idle, refresh;
	const char *limit = config_get_str(ctx->cfg, "counter", "manager_override_above", "5000.00");
	rc = config_int(ctx->cfg, "counter", "idle_logout_seconds", 300, 1, 86400, &idle, why);
	if (!rc)
		rc = config_int(ctx->cfg, "counter", "refresh_seconds", REFRESH_SECONDS_DEFAULT, 5,
				3600, &refresh, why);
	if (!rc && policy_parse_money(limit, &k->manager_limit) < 0)
		rc = kiosk_fail(why, KIOSK_EINVAL,
				"[counter] manager_override_above must be an amount like 5000.00, "
				"not \"%.32s\"", limit);
	if (rc) {
		free(k);
		return rc;
	}
	k->idle_ms = idle * 1000;
	k->refresh_ms = refresh * 1000;
	k->screen = CS_CARD;
	/* back from a customer served in the customer flow (kiosk_mode.c) */
	if (ctx->assisted_by[0])
		counter_say(k, false, ui_tr(ctx, "counter.customer_done"));
	ctx->assisted_by[0] = '\0';
	ctx->mode_data = k;
	return 0;
}

static void counter_destroy(struct ui_ctx *ctx)
{
	struct counter_state *k = state(ctx);
	if (!k)
		return;
	counter_print_join(k); /* the worker uses k and ctx: let it finish */
	counter_close_case(k);
	counter_free_cases(k);
	free(k->calls);
	free(k->journals);
	explicit_bzero(k->pin, sizeof k->pin);
	free(k);
	ctx->mode_data = NULL;
}

/* The database cannot be reached now: said over the list staff have,
 * which stays. */
static void say_lost(struct ui_ctx *ctx, struct counter_state *k, const struct kiosk_why *why)
{
	char at[32];
	counter_format_time(k->read_at, at, sizeof at);
	const char *kv[] = {"why", why->text, "time", at + 11, NULL};
	counter_sayf(ctx, k, true, "counter.list_not_updated", kv);
	k->store_lost = true;
	ui_invalidate(ctx);
}

/* Read again what a change (or the clock) touched: the page staff are on,
 * or on another screen the open calls. */
static int reread(struct ui_ctx *ctx, struct counter_state *k)
{
	if (k->screen == CS_LIST)
		return counter_reload_list(ctx, k);
	struct kiosk_why why;
	struct staff_call *calls = NULL;
	int n = 0;
	int rc = desk_calls_open(ctx->store, counter_own_store(ctx), &calls, &n, &why);
	if (rc == 0) {
		free(k->calls);
		k->calls = calls;
		k->n_calls = n;
	}
	return rc;
}

static void counter_tick(struct ui_ctx *ctx, int64_t now_ms)
{
	struct counter_state *k = state(ctx);
	counter_print_poll(ctx, k);
	if (!k->logged_in) {
		ui_wake_at(ctx, now_ms + POLL_MS);
		return;
	}
	if (now_ms - ctx->last_input_ms >= k->idle_ms) {
		logout(k);
		counter_say(k, false, ui_tr(ctx, "counter.logged_out_idle"));
		ui_invalidate(ctx);
		ui_wake_at(ctx, now_ms + POLL_MS);
		return;
	}
	if (now_ms >= k->next_poll_ms) {
		k->next_poll_ms = now_ms + POLL_MS;
		struct kiosk_why why = {{0}};
		int changed = store_changed(ctx->store, &why);
		if (changed < 0) {
			say_lost(ctx, k, &why);
		} else if (changed > 0 || now_ms >= k->next_cases_ms) {
			k->next_cases_ms = now_ms + k->refresh_ms;
			/* A database the change watch is connecting to again is not
			 * read by the clock: the read would connect the blocking way
			 * and hold the screen for the connect timeout each time the
			 * network is silent. The list stays as it was, and is read
			 * as soon as the watch has connected (it says changed). */
			int reach = changed > 0 ? 1 : store_reach(ctx->store, &why);
			if (reach < 0)
				say_lost(ctx, k, &why);
			else if (reach == 1 && reread(ctx, k) == 0 && k->store_lost) {
				k->store_lost = false;
				counter_say(k, false, ui_tr(ctx, "counter.list_back"));
			}
			ui_invalidate(ctx);
		}
	}
	int64_t idle_at = ctx->last_input_ms + k->idle_ms;
	ui_wake_at(ctx, idle_at < k->next_poll_ms ? idle_at : k->next_poll_ms);
}

static void counter_build(struct ui_ctx *ctx, struct ui_tree *t)
{
	counter_build_screen(ctx, state(ctx), t);
}

const struct ui_mode_ops counter_mode_ops = {
	.name = "counter",
	.init = counter_init,
	.build = counter_build,
	.on_tap = counter_tap,
	.on_scan = counter_scan,
	.on_tick = counter_tick,
	.destroy = counter_destroy,
};
