/* The staff counter mode: the state machine of counter_private.h and the
 * actions, each one call into the store (which writes the timeline event
 * and the audit-log row with the staff member in one transaction). Screens
 * are laid out in counter_screens.c. */
#include "ui/counter.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "domain/scan.h"
#include "services/id_hash.h"
#include "services/receipt_print.h"
#include "ui/counter_private.h"

/* How often the open calls and the case list are read again: a kiosk in
 * another process adds calls and cases. */
#define POLL_MS 2000

static struct counter_state *state(struct ui_ctx *ctx)
{
	return ctx->mode_data;
}

struct kiosk_time counter_now(void)
{
	struct kiosk_time now = {0, 0};
	clock_now(&now, NULL);
	return now;
}

static void say(struct counter_state *k, bool warn, const char *text)
{
	snprintf(k->message, sizeof k->message, "%s", text);
	k->message_warn = warn;
}

static void sayf(struct ui_ctx *ctx, struct counter_state *k, bool warn, const char *key,
		 const char *const *kv)
{
	ui_trf(ctx, k->message, sizeof k->message, key, kv);
	k->message_warn = warn;
}

/* A failure the store explained: the translated lead-in and its sentence. */
static void say_failed(struct ui_ctx *ctx, struct counter_state *k, const struct kiosk_why *why)
{
	const char *kv[] = {"why", why->text, NULL};
	sayf(ctx, k, true, "counter.failed", kv);
}

static void staff_actor(const struct counter_state *k, char *buf, size_t len)
{
	snprintf(buf, len, "staff:%s", k->staff.staff_id);
}

/* ---- reading ------------------------------------------------------------ */

static void free_cases(struct counter_state *k)
{
	for (int i = 0; i < k->n_cases; i++)
		case_record_free(&k->cases[i]);
	free(k->cases);
	k->cases = NULL;
	k->n_cases = 0;
}

static void reload_list(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	struct case_filter f = {
		.by_state = k->f_by_state,
		.state = k->f_state,
		.overdue_only = k->f_overdue,
		.receipt_id = k->f_receipt[0] ? k->f_receipt : NULL,
		.id_hash = k->f_id_hash[0] ? k->f_id_hash : NULL,
		.search = k->f_search[0] ? k->f_search : NULL,
		.today = time_local_days(counter_now()),
	};
	free_cases(k);
	free(k->calls);
	k->calls = NULL;
	k->n_calls = 0;
	if (!ctx->store)
		return;
	if (store_case_list(ctx->store, &f, &k->cases, &k->n_cases, &why) ||
	    store_call_list_open(ctx->store, &k->calls, &k->n_calls, &why))
		say_failed(ctx, k, &why);
	if (k->list_first >= k->n_cases)
		k->list_first = 0;
}

static void close_case(struct counter_state *k)
{
	if (k->have_case)
		case_record_free(&k->cur);
	free(k->events);
	k->events = NULL;
	k->n_events = 0;
	k->have_case = false;
}

/* Open (or re-read after an action) one case with its timeline. */
static int open_case(struct ui_ctx *ctx, struct counter_state *k, const char *case_id)
{
	struct kiosk_why why = {{0}};
	char id[CASE_ID_MAX];
	snprintf(id, sizeof id, "%s", case_id); /* case_id may point into k->cur */
	close_case(k);
	int rc = store_case_get(ctx->store, id, time_local_days(counter_now()), &k->cur, &why);
	if (rc) {
		const char *kv[] = {"case", id, NULL};
		sayf(ctx, k, true, "counter.case_not_found", kv);
		return rc;
	}
	k->have_case = true;
	if (store_case_events(ctx->store, id, &k->events, &k->n_events, &why))
		say_failed(ctx, k, &why);
	/* the newest events matter most: start near the end */
	k->tl_first = k->n_events > COUNTER_TL_START ? k->n_events - COUNTER_TL_START : 0;
	k->screen = CS_DETAIL;
	return 0;
}

static void clear_filter(struct counter_state *k)
{
	k->f_by_state = k->f_overdue = false;
	k->f_receipt[0] = k->f_search[0] = k->f_id_hash[0] = '\0';
	k->list_first = 0;
}

/* ---- login -------------------------------------------------------------- */

static void logout(struct counter_state *k)
{
	close_case(k);
	clear_filter(k);
	k->logged_in = false;
	memset(&k->staff, 0, sizeof k->staff);
	explicit_bzero(k->pin, sizeof k->pin);
	k->card[0] = '\0';
	k->screen = CS_CARD;
}

/* Is this card one that may log in at all? Used only to word a refusal. */
static bool card_active(struct ui_ctx *ctx, const char *card)
{
	struct staff_record *all = NULL;
	int n = 0;
	bool active = false;
	struct kiosk_why why;
	if (store_staff_list(ctx->store, &all, &n, &why) == 0)
		for (int i = 0; i < n; i++)
			if (!strcmp(all[i].card_code, card))
				active = all[i].active;
	free(all);
	return active;
}

static void try_login(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	struct staff_record who;
	int rc = store_staff_login(ctx->store, k->card, k->pin, counter_now(), &who, &why);
	explicit_bzero(k->pin, sizeof k->pin);
	if (rc == 0) {
		k->logged_in = true;
		k->staff = who;
		k->message[0] = '\0';
		k->screen = CS_LIST;
		clear_filter(k);
		reload_list(ctx, k);
		return;
	}
	if (rc == KIOSK_EBUSY) {
		say(k, true, ui_tr(ctx, "counter.login_locked"));
		k->card[0] = '\0';
		k->screen = CS_CARD;
	} else if (rc == KIOSK_EDENIED && !card_active(ctx, k->card)) {
		say(k, true, ui_tr(ctx, "counter.login_refused"));
		k->card[0] = '\0';
		k->screen = CS_CARD;
	} else if (rc == KIOSK_EDENIED) {
		say(k, true, ui_tr(ctx, "counter.login_wrong"));
	} else {
		say_failed(ctx, k, &why);
	}
}

/* ---- actions on the open case ------------------------------------------- */

/* After an action: one line of feedback, the case read again. */
static void acted(struct ui_ctx *ctx, struct counter_state *k, int rc,
		  const struct kiosk_why *why, const char *done_key, const char *const *kv)
{
	char id[CASE_ID_MAX];
	snprintf(id, sizeof id, "%s", k->cur.case_id);
	open_case(ctx, k, id);
	if (rc)
		say_failed(ctx, k, why);
	else
		sayf(ctx, k, false, done_key, kv);
}

static void act_state(struct ui_ctx *ctx, struct counter_state *k, enum case_state s,
		      const char *text)
{
	struct kiosk_why why = {{0}};
	char actor[32];
	staff_actor(k, actor, sizeof actor);
	int rc = store_case_set_state(ctx->store, k->cur.case_id, s, counter_now(), actor, text,
				      &why);
	const char *kv[] = {"state", counter_name(ctx, "state_", case_state_name(s)), NULL};
	acted(ctx, k, rc, &why, "counter.done_state", kv);
}

/* The manager limit: [counter] manager_override_above, in major units. */
static int64_t manager_limit(const struct ui_ctx *ctx)
{
	double v = config_get_double(ctx->cfg, "counter", "manager_override_above", 5000.0);
	return (int64_t)llround(v * 100.0);
}

static void act_override(struct ui_ctx *ctx, struct counter_state *k, const char *reason)
{
	struct kiosk_why why = {{0}};
	char actor[32];
	staff_actor(k, actor, sizeof actor);
	struct decision d = k->cur.decision;
	const struct i18n *tr = !strcmp(k->cur.lang, "en") ? ctx->tr_en : ctx->tr_sv;
	const char *kv[] = {"reason", reason, NULL};
	d.outcome = k->override_outcome;
	snprintf(d.rule, sizeof d.rule, "staff.override");
	/* the customer reads the explanation on a reprint: their language */
	i18n_fill(d.explanation, sizeof d.explanation,
		  i18n_get(tr, "counter.override_explanation"), kv);
	snprintf(d.details, sizeof d.details, "{\"by\":\"%s\"}", k->staff.staff_id);
	if (d.outcome == OUTCOME_REFUND || d.outcome == OUTCOME_STORE_CREDIT)
		d.amount = counter_case_value(&k->cur);
	else if (d.outcome == OUTCOME_REFUSED)
		d.amount = 0;
	int rc = store_case_set_decision(ctx->store, k->cur.case_id, &d, counter_now(), actor,
					 reason, &why);
	const char *done[] = {"outcome",
			      counter_name(ctx, "outcome_", case_outcome_name(d.outcome)), NULL};
	acted(ctx, k, rc, &why, "counter.done_override", done);
}

static void act_reprint(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	int rc = ctx->printer
			 ? receipt_print_case(ctx->store, ctx->printer, ctx->cfg, ctx->assets,
					      k->cur.case_id, NULL, counter_now(), &why)
			 : kiosk_fail(&why, KIOSK_EDEVICE, "%s", ui_tr(ctx, "counter.no_printer"));
	const char *kv[] = {"why", why.text, NULL};
	char id[CASE_ID_MAX];
	snprintf(id, sizeof id, "%s", k->cur.case_id);
	open_case(ctx, k, id);
	sayf(ctx, k, rc != 0, rc ? "counter.print_failed" : "counter.printed", kv);
}

/* The typed text is done: do what it was for. */
static void text_done(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	char actor[32];
	staff_actor(k, actor, sizeof actor);
	bool empty = strspn(k->text, " ") == strlen(k->text);
	if (k->text_for == CT_SEARCH) {
		clear_filter(k);
		/* case and receipt numbers are upper case; the keyboard types lower */
		char q[32];
		snprintf(q, sizeof q, "%.31s", empty ? "" : k->text);
		for (char *p = q; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		/* a receipt number searches the receipt, anything else the case number */
		const char *prefix = ctx->cfg->receipt_code.prefix;
		if (prefix[0] && !strncmp(q, prefix, strlen(prefix)))
			snprintf(k->f_receipt, sizeof k->f_receipt, "%s", q);
		else
			snprintf(k->f_search, sizeof k->f_search, "%s", q);
		k->message[0] = '\0';
		k->screen = CS_LIST;
		reload_list(ctx, k);
		return;
	}
	if (empty) {
		say(k, true, ui_tr(ctx, "counter.need_text"));
		return;
	}
	int rc;
	switch (k->text_for) {
	case CT_REFUSE:
		act_state(ctx, k, CASE_REFUSED, k->text);
		break;
	case CT_OVERRIDE:
		act_override(ctx, k, k->text);
		break;
	case CT_NOTE:
		rc = store_case_add_event(ctx->store, k->cur.case_id, counter_now(), actor, "note",
					  k->text, &why);
		acted(ctx, k, rc, &why, "counter.done_note", NULL);
		break;
	case CT_PROMISE: {
		int64_t day = time_local_days(counter_now()) + k->promise_days;
		rc = store_case_set_promise(ctx->store, k->cur.case_id, k->text, day, counter_now(),
					    actor, &why);
		acted(ctx, k, rc, &why, "counter.done_promise", NULL);
		break;
	}
	case CT_SEARCH:
		break;
	}
	k->text[0] = '\0';
}

static void start_text(struct counter_state *k, enum counter_text_for what, const char *initial)
{
	k->text_for = what;
	snprintf(k->text, sizeof k->text, "%s", initial ? initial : "");
	k->message[0] = '\0';
	k->screen = CS_TEXT;
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

static void tap_list(struct ui_ctx *ctx, struct counter_state *k, const char *id)
{
	long i;
	enum case_state s;
	if ((i = id_number(id, "case_")) >= 0 && i < k->n_cases) {
		k->message[0] = '\0';
		open_case(ctx, k, k->cases[i].case_id);
		k->tab_timeline = false;
	} else if ((i = id_number(id, "call_")) >= 0 && i < k->n_calls) {
		struct kiosk_why why = {{0}};
		struct staff_call call = k->calls[i];
		int rc = store_call_answer(ctx->store, call.call_id, k->staff.staff_id, counter_now(),
					   &why);
		reload_list(ctx, k);
		if (rc) {
			say_failed(ctx, k, &why);
		} else {
			const char *kv[] = {"kiosk", call.kiosk, NULL};
			if (call.case_id[0] && open_case(ctx, k, call.case_id) == 0)
				k->tab_timeline = false;
			sayf(ctx, k, false, "counter.call_taken", kv);
		}
	} else if (!strcmp(id, "filter_all")) {
		clear_filter(k);
		reload_list(ctx, k);
	} else if (!strcmp(id, "filter_overdue")) {
		clear_filter(k);
		k->f_overdue = true;
		reload_list(ctx, k);
	} else if (!strncmp(id, "filter_", 7) && !case_state_parse(id + 7, &s)) {
		clear_filter(k);
		k->f_by_state = true;
		k->f_state = s;
		reload_list(ctx, k);
	} else if (!strcmp(id, "search")) {
		start_text(k, CT_SEARCH, "");
	} else if (!strcmp(id, "page_next")) {
		page_step(&k->list_first, k->list_shown, k->n_cases, +1);
	} else if (!strcmp(id, "page_prev")) {
		page_step(&k->list_first, k->list_shown, k->n_cases, -1);
	}
}

static void tap_detail(struct ui_ctx *ctx, struct counter_state *k, const char *id)
{
	if (!strcmp(id, "back")) {
		close_case(k);
		k->message[0] = '\0';
		k->screen = CS_LIST;
		reload_list(ctx, k);
	} else if (!strcmp(id, "tab_details")) {
		k->tab_timeline = false;
	} else if (!strcmp(id, "tab_timeline")) {
		k->tab_timeline = true;
	} else if (!strcmp(id, "tl_prev")) {
		page_step(&k->tl_first, k->tl_shown, k->n_events, -1);
	} else if (!strcmp(id, "tl_next")) {
		page_step(&k->tl_first, k->tl_shown, k->n_events, +1);
	} else if (!strcmp(id, "act_approve")) {
		act_state(ctx, k, CASE_APPROVED, "");
	} else if (!strcmp(id, "act_refuse")) {
		start_text(k, CT_REFUSE, "");
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
		start_text(k, CT_NOTE, "");
	} else if (!strcmp(id, "act_reprint")) {
		act_reprint(ctx, k);
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
		int64_t value = counter_case_value(&k->cur), limit = manager_limit(ctx);
		if (value > limit && k->staff.role != ROLE_MANAGER) {
			char amount[48];
			counter_format_money(ctx, limit, amount, sizeof amount);
			const char *kv[] = {"amount", amount, NULL};
			sayf(ctx, k, true, "counter.manager_needed", kv);
			return;
		}
		k->override_outcome = o;
		start_text(k, CT_OVERRIDE, "");
	} else if (k->screen == CS_STATE && !strncmp(id, "state_", 6) &&
		   !case_state_parse(id + 6, &s)) {
		act_state(ctx, k, s, "");
	} else if (k->screen == CS_PROMISE) {
		if (!strcmp(id, "days_minus") && k->promise_days > 0)
			k->promise_days--;
		else if (!strcmp(id, "days_plus") && k->promise_days < 365)
			k->promise_days++;
		else if (!strcmp(id, "promise_text"))
			start_text(k, CT_PROMISE, k->cur.decision.next_step);
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
			text_done(ctx, k);
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
		say_failed(ctx, k, &why);
		return;
	}
	/* only the keyed hash is kept: the name and number are not shown */
	clear_filter(k);
	snprintf(k->f_id_hash, sizeof k->f_id_hash, "%s", hash);
	close_case(k);
	k->screen = CS_LIST;
	k->message[0] = '\0';
	reload_list(ctx, k);
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
		say(k, true, ui_tr(ctx, "counter.not_staff_card"));
		return;
	}
	if (!r->valid) {
		say(k, true, ui_tr(ctx, "counter.scan_unknown"));
		return;
	}
	switch (r->kind) {
	case SCAN_RECEIPT:
		clear_filter(k);
		snprintf(k->f_receipt, sizeof k->f_receipt, "%s", r->u.receipt.receipt_id);
		close_case(k);
		k->screen = CS_LIST;
		k->message[0] = '\0';
		reload_list(ctx, k);
		break;
	case SCAN_CASE:
		k->message[0] = '\0';
		if (open_case(ctx, k, r->u.case_code.case_id) == 0)
			k->tab_timeline = false;
		break;
	case SCAN_ID_DOCUMENT:
		scan_id_document(ctx, k, &r->u.id);
		break;
	default:
		say(k, true, ui_tr(ctx, "counter.scan_unknown"));
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
	long idle = config_get_int(ctx->cfg, "counter", "idle_logout_seconds", 300);
	k->idle_ms = (idle < 1 ? 1 : idle) * 1000;
	k->screen = CS_CARD;
	ctx->mode_data = k;
	return 0;
}

static void counter_destroy(struct ui_ctx *ctx)
{
	struct counter_state *k = state(ctx);
	if (!k)
		return;
	close_case(k);
	free_cases(k);
	free(k->calls);
	explicit_bzero(k->pin, sizeof k->pin);
	free(k);
	ctx->mode_data = NULL;
}

static void counter_tick(struct ui_ctx *ctx, int64_t now_ms)
{
	struct counter_state *k = state(ctx);
	if (!k->logged_in) {
		ui_wake_at(ctx, now_ms + POLL_MS);
		return;
	}
	if (now_ms - ctx->last_input_ms >= k->idle_ms) {
		logout(k);
		say(k, false, ui_tr(ctx, "counter.logged_out_idle"));
		ui_invalidate(ctx);
		ui_wake_at(ctx, now_ms + POLL_MS);
		return;
	}
	if (now_ms >= k->next_poll_ms) {
		k->next_poll_ms = now_ms + POLL_MS;
		/* the list (with its calls) is read again; the screen is rebuilt
		 * and, when nothing changed, the framework draws nothing new */
		if (k->screen == CS_LIST) {
			reload_list(ctx, k);
			ui_invalidate(ctx);
		} else {
			struct staff_call *calls = NULL;
			int n = 0;
			struct kiosk_why why;
			if (store_call_list_open(ctx->store, &calls, &n, &why) == 0) {
				free(k->calls);
				k->calls = calls;
				k->n_calls = n;
				ui_invalidate(ctx);
			}
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
