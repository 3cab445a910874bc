/* The customer kiosk mode: the flow (flow.c) wired to the world. The
 * effects read and save through the store, decide with the store policy,
 * register with the case_register service, and print on a worker thread;
 * the idle timer lives here too. */
#include "ui/kiosk/kiosk_mode.h"

#include "ui/kiosk/kiosk.h"
#include "ui/kiosk/kiosk_ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/wipe.h"
#include "drivers/printer.h"
#include "services/case_register.h"
#include "services/chain_open.h"
#include "services/id_hash.h"
#include "services/notify/notify.h"
#include "services/offline.h"
#include "services/print_job.h"
#include "services/visit.h"
#include "store/store_handle.h"

/* How often a waiting call is asked after (and the minutes redrawn). */
#define CALL_POLL_MS 3000

static struct kiosk_state *state(struct ui_ctx *ctx)
{
	return ctx->mode_data;
}

static int now_or_fail(struct kiosk_time *now)
{
	return clock_now(now, NULL);
}

/* Staff opened this flow from the counter for one customer (ui.h,
 * assisted_by): the case is theirs, and the screen goes back when the
 * customer is done. */
static bool assisted(const struct ui_ctx *ctx)
{
	return ctx->came_from && ctx->assisted_by[0];
}

/* The customer is done (finished, cancelled, or gone idle): forget them
 * and give the screen back to the counter. The counter starts at its login
 * screen, not in the staff member's session: the customer stood at this
 * screen, and a counter left logged in would show them every case and
 * every action. Staff scan their card again; that costs seconds, and a
 * customer walking off with a logged-in counter cannot happen. */
static void hand_back(struct ui_ctx *ctx)
{
	ui_forget(ctx);
	ui_switch_mode(ctx, ctx->came_from->name);
}

/* ---- effects ------------------------------------------------------------ */

static int fx_load_receipt(void *arg, const char *receipt_id, struct receipt *out)
{
	struct ui_ctx *ctx = arg;
	struct kiosk_why why;
	bool cached;
	/* without the chain, the journal's copy of the store's receipts */
	return offline_receipt(ctx->store, ctx->offline, receipt_id, out, &cached, &why);
}

static int id_hash_of(struct ui_ctx *ctx, const struct flow *f, char out[ID_HASH_HEX])
{
	char key_path[4096];
	struct id_hasher *h = NULL;
	struct kiosk_why why;
	int rc = id_hash_key_path(ctx->cfg, ctx->db_path ? ctx->db_path : "", key_path,
				  sizeof key_path, &why);
	if (!rc)
		rc = id_hash_open(&h, key_path, &why);
	if (!rc)
		rc = id_hash_compute(h, f->id.issuer, f->id.document_number, out, &why);
	id_hash_close(h);
	return rc;
}

/* The customer's lines: chosen receipt lines, or the one named item. */
static int collect_lines(const struct flow *f, struct case_line *cl)
{
	int n = 0;
	if (f->intent == FI_FAULT) {
		if (!f->have_receipt || f->fault_line < 0)
			return 0;
		cl[0] = (struct case_line){.receipt_line = f->receipt.lines[f->fault_line].line,
					   .quantity = 1, .reason = REASON_FAULTY,
					   .condition = COND_FAULTY};
		return 1;
	}
	if (f->have_receipt) {
		for (int i = 0; i < f->receipt.n_lines && i < FLOW_MAX_LINES; i++) {
			if (!f->qty[i])
				continue;
			enum return_reason r;
			enum item_condition c;
			const char *text;
			flow_line_answer(f, i, &r, &c, &text);
			cl[n++] = (struct case_line){.receipt_line = f->receipt.lines[i].line,
						     .quantity = f->qty[i], .reason = r,
						     .condition = c};
		}
		return n;
	}
	/* Without a receipt the price is the customer's estimate; staff check it. */
	cl[0] = (struct case_line){.quantity = 1, .unit_price = (int64_t)atoi(f->price) * 100,
				   .reason = f->reason, .condition = f->condition};
	snprintf(cl[0].description, sizeof cl[0].description, "%s", f->product);
	return 1;
}

static const char *fault_words(struct ui_ctx *ctx, const struct flow *f)
{
	static const char *const keys[FF_COUNT] = {
		[FF_NO_POWER] = "ui.fault_no_power", [FF_BROKEN] = "ui.fault_broken",
		[FF_BATTERY] = "ui.fault_battery",   [FF_NOISE] = "ui.fault_noise"};
	return f->fault_chosen ? ui_tr(ctx, keys[f->fault_choice]) : f->text;
}

/* The customer's words for a return: "other" in their words, per item
 * named by the item when asked per item. */
static const char *return_words(const struct flow *f, char *buf, size_t len)
{
	if (!f->per_item)
		return f->reason == REASON_OTHER ? f->text : NULL;
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < f->receipt.n_lines && i < FLOW_MAX_LINES; i++) {
		enum return_reason r;
		enum item_condition c;
		const char *text;
		flow_line_answer(f, i, &r, &c, &text);
		if (!f->qty[i] || r != REASON_OTHER || used + 1 >= len)
			continue;
		int w = snprintf(buf + used, len - used, "%s%s: %s", used ? "\n" : "",
				 f->receipt.lines[i].description, text);
		used = w < 0 ? used : used + (size_t)w < len ? used + (size_t)w : len - 1;
	}
	return buf[0] ? buf : NULL;
}

/* One request for both the preview (case_decide) and the save
 * (case_register): what is shown is what is saved. */
static int make_request(struct ui_ctx *ctx, const struct flow *f, struct case_request *req,
			struct case_line *cl, char hash[ID_HASH_HEX], char *words, size_t words_len)
{
	hash[0] = 0;
	if (f->have_id && !f->have_receipt && id_hash_of(ctx, f, hash))
		return KIOSK_EIO;
	*req = (struct case_request){
		.kind = f->intent == FI_FAULT ? CASE_FAULT : CASE_RETURN,
		.store = ctx->cfg->store_id,
		.receipt_id = f->have_receipt ? f->receipt.receipt_id : NULL,
		.id_hash = hash[0] ? hash : NULL,
		.n_lines = collect_lines(f, cl),
		.lines = cl,
		.wants_updates = f->wants_contact,
		.contact = f->wants_contact ? f->contact : NULL,
		.actor = assisted(ctx) ? ctx->assisted_by : NULL,
	};
	if (f->intent == FI_FAULT) {
		req->product = f->product;
		req->customer_text = fault_words(ctx, f);
	} else {
		req->customer_text = return_words(f, words, words_len);
		req->product = f->have_receipt ? NULL : f->product;
	}
	return 0;
}

static int fx_decide(void *arg, struct flow *f)
{
	struct ui_ctx *ctx = arg;
	struct kiosk_state *k = state(ctx);
	struct kiosk_time now;
	struct kiosk_why why = {{0}};
	struct case_request req;
	struct case_line cl[FLOW_MAX_LINES];
	char hash[ID_HASH_HEX], words[FLOW_TEXT_MAX * 2];
	if (!k->have_policy || now_or_fail(&now))
		return KIOSK_EIO;
	int rc = make_request(ctx, f, &req, cl, hash, words, sizeof words);
	if (!rc)
		rc = offline_decide(ctx->store, ctx->offline, &k->policy, ctx->tr, &req, now,
				    &f->decision, &why);
	mem_wipe(words, sizeof words); /* the customer's words live in the flow only */
	if (rc)
		fprintf(stderr, "kiosk run: no decision: %s\n", why.text);
	return rc;
}

static void print_start(struct ui_ctx *ctx, struct kiosk_state *k);

static int fx_register(void *arg, struct flow *f)
{
	struct ui_ctx *ctx = arg;
	struct kiosk_state *k = state(ctx);
	struct kiosk_time now;
	struct kiosk_why why = {{0}};
	if (!k->have_policy || now_or_fail(&now))
		return KIOSK_EIO;
	struct case_request req;
	struct case_line cl[FLOW_MAX_LINES];
	char hash[ID_HASH_HEX], words[FLOW_TEXT_MAX * 2];
	if (make_request(ctx, f, &req, cl, hash, words, sizeof words))
		return KIOSK_EIO;
	struct case_record rec = {0};
	int rc = offline_register(ctx->store, ctx->offline, &k->policy, ctx->tr, &req, now, &rec,
				  f->token, &f->offline, &why);
	mem_wipe(words, sizeof words);
	if (rc) {
		fprintf(stderr, "kiosk run: the case was not saved: %s\n", why.text);
		return rc;
	}
	snprintf(f->case_id, sizeof f->case_id, "%s", rec.case_id);
	f->decision = rec.decision;
	if (f->offline)
		k->report_due = true;
	case_record_free(&rec);
	return 0;
}

static int fx_set_contact(void *arg, struct flow *f)
{
	struct ui_ctx *ctx = arg;
	struct kiosk_time now;
	struct kiosk_why why = {{0}};
	struct store *s = f->offline ? offline_journal(ctx->offline) : ctx->store;
	if (!s || now_or_fail(&now))
		return KIOSK_EIO;
	int rc = case_set_contact(s, f->case_id, f->contact, now, &why);
	if (rc)
		fprintf(stderr, "kiosk run: the contact was not saved: %s\n", why.text);
	return rc;
}

static void fx_print(void *arg)
{
	struct ui_ctx *ctx = arg;
	print_start(ctx, state(ctx));
}

static int fx_call_staff(void *arg, const char *case_id, int64_t *call_id)
{
	struct ui_ctx *ctx = arg;
	struct kiosk_time now;
	struct kiosk_why why;
	if (!ctx->store || now_or_fail(&now))
		return KIOSK_EIO;
	const struct flow *f = &state(ctx)->f;
	char context[96];
	snprintf(context, sizeof context, "%s|%s|%d", flow_screen_name(f->screen),
		 f->have_receipt ? f->receipt.receipt_id : "", flow_items_chosen(f));
	int rc = visit_call_staff(ctx->store, ctx->cfg->store_id, ctx->kiosk_name, case_id, context,
				  now, call_id, &why);
	if (!rc)
		state(ctx)->call_ms = ctx->now_ms;
	return rc;
}

static void fx_withdraw_call(void *arg, int64_t call_id)
{
	struct ui_ctx *ctx = arg;
	struct kiosk_time now;
	struct kiosk_why why;
	if (ctx->store && !now_or_fail(&now) &&
	    visit_call_withdraw(ctx->store, call_id, ctx->kiosk_name, now, &why))
		fprintf(stderr, "kiosk run: the call could not be taken back: %s\n", why.text);
}

static int fx_load_case(void *arg, const char *case_id, const char *token, struct flow *f)
{
	struct ui_ctx *ctx = arg;
	struct kiosk_time now;
	struct kiosk_why why;
	struct store *s;
	if (now_or_fail(&now) || offline_case_home(ctx->store, ctx->offline, case_id, &s, &why))
		return KIOSK_EIO;
	if (!s)
		return KIOSK_EIO;
	/* the token proves the customer holds the case receipt */
	return visit_follow_case(s, case_id, token, now, &f->followed, f->events, FLOW_MAX_EVENTS,
				 &f->n_events, &why);
}

static int fx_load_case_by_receipt(void *arg, const char *number, const char *receipt, bool typed,
				   struct flow *f)
{
	struct ui_ctx *ctx = arg;
	struct kiosk_time now;
	struct kiosk_why why;
	if (now_or_fail(&now))
		return KIOSK_EIO;
	/* "123" is K-000123, and a number taken offline is typed whole (12
	 * digits); a receipt's number is typed without its prefix */
	char case_id[32], receipt_id[48];
	char *end;
	long long n = strtoll(number, &end, 10);
	if (*end || n <= 0 || strlen(number) > 12)
		return KIOSK_EDENIED;
	if (strlen(number) == 12)
		snprintf(case_id, sizeof case_id, "K-%.12s", number);
	else
		snprintf(case_id, sizeof case_id, "K-%06lld", n);
	struct store *s;
	if (offline_case_home(ctx->store, ctx->offline, case_id, &s, &why) || !s)
		return KIOSK_EIO;
	snprintf(receipt_id, sizeof receipt_id, "%s%s", typed ? ctx->cfg->receipt_code.prefix : "",
		 receipt);
	return visit_follow_by_receipt(s, case_id, receipt_id, now, &f->followed,
				       f->events, FLOW_MAX_EVENTS, &f->n_events, &why);
}

/* ---- printing on a worker ---------------------------------------------- */

static void print_start(struct ui_ctx *ctx, struct kiosk_state *k)
{
	struct kiosk_why why;
	if (!ctx->printer || printer_is_none(ctx->printer) || k->print) {
		k->f.print = FP_NO_PRINTER;
		return;
	}
	/* a case taken offline prints from the journal that holds it */
	struct store *s = k->f.offline ? offline_journal(ctx->offline) : ctx->store;
	if (!s || print_job_start(&k->print, s, ctx->printer, ctx->cfg, ctx->assets,
			    k->f.case_id, k->f.token, ui_wake_cb, ctx, &why)) {
		k->f.print = FP_FAILED;
		return;
	}
	k->f.print = FP_PRINTING;
}

static void print_poll(struct ui_ctx *ctx, struct kiosk_state *k)
{
	char case_id[CASE_ID_MAX];
	struct kiosk_why why = {{0}};
	int rc;
	if (!print_job_collect(&k->print, case_id, &rc, &why))
		return;
	if (rc)
		fprintf(stderr, "kiosk run: the receipt for %s did not print: %s\n", case_id,
			why.text);
	if (!strcmp(k->f.case_id, case_id))
		k->f.print = rc ? FP_FAILED : FP_PRINTED;
	ui_invalidate(ctx);
}

/* ---- mode ops ----------------------------------------------------------- */

static struct flow_effects effects(struct ui_ctx *ctx)
{
	return (struct flow_effects){.arg = ctx,
				     .load_receipt = fx_load_receipt,
				     .decide = fx_decide,
				     .register_case = fx_register,
				     .set_contact = fx_set_contact,
				     .print_receipt = fx_print,
				     .call_staff = fx_call_staff,
				     .withdraw_call = fx_withdraw_call,
				     .load_case_by_receipt = fx_load_case_by_receipt,
				     .load_case = fx_load_case,
				     .channels = state(ctx)->channels};
}

static int kiosk_init(struct ui_ctx *ctx, struct kiosk_why *why)
{
	struct kiosk_state *k = calloc(1, sizeof *k);
	if (!k)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	flow_init(&k->f);
	/* Only the counter's hand-over makes a staff actor; a start that fails
	 * hands back at once and must not claim a customer was served. */
	if (!ctx->came_from)
		ctx->assisted_by[0] = '\0';
	if (policy_load(&k->policy, ctx->cfg, why)) {
		ctx->assisted_by[0] = '\0';
		free(k);
		return KIOSK_EINVAL;
	}
	k->have_policy = true;
	k->report_due = ctx->offline != NULL;
	k->channels = (notify_channel_configured(ctx->cfg, CONTACT_EMAIL) ? FLOW_CH_EMAIL : 0u) |
		      (notify_channel_configured(ctx->cfg, CONTACT_SMS) ? FLOW_CH_SMS : 0u);
	long idle, count;
	if (config_int(ctx->cfg, "kiosk", "idle_seconds", 90, 1, 3600, &idle, why) ||
	    config_int(ctx->cfg, "kiosk", "idle_countdown_seconds", 20, 1, 600, &count, why)) {
		ctx->assisted_by[0] = '\0';
		free(k);
		return KIOSK_EINVAL;
	}
	k->idle_ms = idle * 1000;
	k->countdown_ms = count * 1000;
	ctx->mode_data = k;
	ui_wake_at(ctx, 1); /* a first tick at once: the looks between customers begin */
	return 0;
}

static void kiosk_destroy(struct ui_ctx *ctx)
{
	struct kiosk_state *k = state(ctx);
	if (!k)
		return;
	struct kiosk_why ignore;
	print_job_finish(k->print, &ignore);
	struct store *opened = NULL;
	chain_open_finish(k->opening, &opened, &ignore);
	if (opened && !ctx->store)
		ctx->store = opened;
	else
		store_close(opened);
	flow_reset(&k->f);
	free(k);
	ctx->mode_data = NULL;
}

static void kiosk_build_op(struct ui_ctx *ctx, struct ui_tree *t)
{
	kiosk_build(ctx, state(ctx), t);
	/* At the counter the person is already there: the big "talk to a
	 * person" button becomes the way back to the counter, on every screen
	 * (also the first, where nothing else would lead back). */
	for (int i = 0; assisted(ctx) && i < t->n; i++) {
		struct ui_widget *w = &t->w[i];
		if (strcmp(w->id, KID_TALK))
			continue;
		snprintf(w->id, sizeof w->id, "%s", KIOSK_ID_TO_COUNTER);
		snprintf(w->label, sizeof w->label, "%s", ui_tr(ctx, "ui.to_counter"));
	}
}

/* When the flow has just let go of a customer, the framework forgets their
 * screens too. */
static void forget_if_done(struct ui_ctx *ctx, bool had_personal)
{
	if (had_personal && !flow_has_personal(&state(ctx)->f)) {
		if (assisted(ctx))
			hand_back(ctx);
		else
			ui_forget(ctx);
	}
}

static void kiosk_tap(struct ui_ctx *ctx, const char *id)
{
	struct kiosk_state *k = state(ctx);
	if (k->asking) { /* only the prompt's own button is under the finger */
		if (!strcmp(id, KID_STILL_HERE))
			k->asking = false;
		return;
	}
	if (assisted(ctx) && !strcmp(id, KIOSK_ID_TO_COUNTER)) {
		/* staff cancel: nothing is saved that the customer did not confirm */
		flow_reset(&k->f);
		hand_back(ctx);
		return;
	}
	if (!strcmp(id, KID_PAGE_NEXT) || !strcmp(id, KID_PAGE_PREV)) {
		k->page += !strcmp(id, KID_PAGE_NEXT) ? 1 : -1; /* clamped when built */
		return;
	}
	bool had = flow_has_personal(&k->f);
	struct flow_effects fx = effects(ctx);
	flow_tap(&k->f, &fx, id);
	forget_if_done(ctx, had);
}

static void kiosk_scan(struct ui_ctx *ctx, const struct scan_result *r)
{
	struct kiosk_state *k = state(ctx);
	k->asking = false; /* a scan is an answer too */
	bool had = flow_has_personal(&k->f);
	struct flow_effects fx = effects(ctx);
	flow_scan(&k->f, &fx, r);
	forget_if_done(ctx, had);
}

/* Idle: after idle_ms without a touch on a screen holding anything
 * personal, ask; after the countdown, start over and forget everything. */
static void kiosk_tick(struct ui_ctx *ctx, int64_t now)
{
	struct kiosk_state *k = state(ctx);
	print_poll(ctx, k);
	kiosk_chain_tick(ctx, k, now);
	/* A customer waiting for a person is never wiped: the screen says
	 * someone is coming and counts the minutes, until staff answer the call
	 * (then the idle clock starts) or the customer takes it back. */
	if (k->f.called && k->f.call_waiting) {
		bool waiting = true;
		struct kiosk_why why;
		if (ctx->store &&
		    visit_call_waiting(ctx->store, k->f.call_id, &waiting, &why) == 0 && !waiting) {
			k->f.call_waiting = false;
			ctx->last_input_ms = now;
		}
		ui_invalidate(ctx);
		if (k->f.call_waiting) {
			k->asking = false;
			ui_wake_at(ctx, now + CALL_POLL_MS);
			return;
		}
	}
	if (!flow_has_personal(&k->f)) {
		k->asking = false;
		/* Opened for a customer who never started: after the idle time
		 * the counter gets its screen back. */
		if (assisted(ctx)) {
			int64_t back_at = ctx->last_input_ms + k->idle_ms;
			if (now >= back_at)
				hand_back(ctx);
			else
				ui_wake_at(ctx, back_at);
		}
		return;
	}
	if (k->asking) {
		if (now >= k->ask_end_ms) {
			k->asking = false;
			flow_reset(&k->f);
			forget_if_done(ctx, true);
			return;
		}
		ui_invalidate(ctx); /* the seconds count down */
		int64_t next = now + 1000 - (k->ask_end_ms - now) % 1000;
		ui_wake_at(ctx, next < k->ask_end_ms ? next : k->ask_end_ms);
		return;
	}
	int64_t deadline = ctx->last_input_ms + k->idle_ms;
	if (now >= deadline) {
		k->asking = true;
		k->ask_end_ms = now + k->countdown_ms;
		ui_invalidate(ctx);
		ui_wake_at(ctx, now + 1000);
		return;
	}
	ui_wake_at(ctx, deadline);
}

const struct ui_mode_ops kiosk_mode_ops = {
	.name = "kiosk",
	.init = kiosk_init,
	.build = kiosk_build_op,
	.on_tap = kiosk_tap,
	.on_scan = kiosk_scan,
	.on_tick = kiosk_tick,
	.destroy = kiosk_destroy,
};
