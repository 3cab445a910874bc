/* The counter's reading and acting: what the screens show comes from the
 * desk service (services/desk.h) through here, and every action is one
 * call to it (one transaction with the timeline event and the audit-log
 * row, the staff member as actor). Failure reasons are the service's
 * sentences, never built here. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/wipe.h"
#include "drivers/printer.h"
#include "services/desk.h"
#include "services/print_job.h"
#include "ui/counter/counter_private.h"

struct kiosk_time counter_now(void)
{
	struct kiosk_time now = {0, 0};
	clock_now(&now, NULL);
	return now;
}

void counter_say(struct counter_state *k, bool warn, const char *text)
{
	snprintf(k->message, sizeof k->message, "%s", text);
	k->message_warn = warn;
}

void counter_sayf(struct ui_ctx *ctx, struct counter_state *k, bool warn, const char *key,
		 const char *const *kv)
{
	ui_trf(ctx, k->message, sizeof k->message, key, kv);
	k->message_warn = warn;
}

/* A failure the store explained: the translated lead-in and its sentence. */
void counter_say_failed(struct ui_ctx *ctx, struct counter_state *k, const struct kiosk_why *why)
{
	const char *kv[] = {"why", why->text, NULL};
	counter_sayf(ctx, k, true, "counter.failed", kv);
}

/* ---- reading ------------------------------------------------------------ */

void counter_free_cases(struct counter_state *k)
{
	for (int i = 0; i < k->n_cases; i++)
		case_record_free(&k->cases[i]);
	free(k->cases);
	k->cases = NULL;
	k->n_cases = 0;
}

int counter_reload_list(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	struct case_filter f = {
		.by_state = k->f_by_state,
		.state = k->f_state,
		.overdue_only = k->f_overdue,
		.receipt_id = k->f_receipt[0] ? k->f_receipt : NULL,
		.id_hash = k->f_id_hash[0] ? k->f_id_hash : NULL,
		.search = k->f_search[0] ? k->f_search : NULL,
		.store_id = counter_list_store(ctx, k),
		.today = time_local_days(counter_now()),
		/* one window from where staff are: what fits a screen, and one
		 * more row to know whether Next has anything to show */
		.limit = COUNTER_LIST_WINDOW + 1,
		.offset = k->list_first,
	};
	counter_free_cases(k);
	free(k->calls);
	k->calls = NULL;
	k->n_calls = 0;
	free(k->journals);
	k->journals = NULL;
	k->n_journals = 0;
	if (!ctx->store)
		return KIOSK_EIO;
	int rc = desk_case_list(ctx->store, &f, &k->cases, &k->n_cases, &why);
	if (!rc)
		rc = desk_calls_open(ctx->store, counter_own_store(ctx), &k->calls, &k->n_calls,
				     &why);
	if (!rc)
		rc = desk_offline_waiting(ctx->store, counter_own_store(ctx), &k->journals,
					  &k->n_journals, &why);
	if (rc) {
		counter_say_failed(ctx, k, &why);
		return rc;
	}
	k->read_at = counter_now();
	k->more_cases = k->n_cases > COUNTER_LIST_WINDOW;
	if (k->more_cases)
		case_record_free(&k->cases[--k->n_cases]);
	if (!k->n_cases && k->list_first > 0) {
		k->list_first = 0; /* the list shrank under the page: start over */
		return counter_reload_list(ctx, k);
	}
	return 0;
}

void counter_close_case(struct counter_state *k)
{
	if (k->have_case)
		case_record_free(&k->cur);
	free(k->events);
	k->events = NULL;
	k->n_events = 0;
	mem_wipe(k->msgs, sizeof *k->msgs * (size_t)k->n_msgs); /* the customer's address */
	free(k->msgs);
	k->msgs = NULL;
	k->n_msgs = 0;
	k->have_case = false;
}

/* Open (or re-read after an action) one case with its timeline. */
int counter_open_case(struct ui_ctx *ctx, struct counter_state *k, const char *case_id)
{
	struct kiosk_why why = {{0}};
	char id[CASE_ID_MAX];
	snprintf(id, sizeof id, "%s", case_id); /* case_id may point into k->cur */
	counter_close_case(k);
	struct desk_case d;
	int rc = desk_case_open(ctx->store, id, time_local_days(counter_now()), &d, &why);
	if (rc && !d.c.case_id[0]) {
		const char *kv[] = {"case", id, NULL};
		if (rc == KIOSK_ENOTFOUND)
			counter_sayf(ctx, k, true, "counter.case_not_found", kv);
		else
			counter_say_failed(ctx, k, &why);
		return rc;
	}
	/* the case is the counter's now: counter_close_case frees it */
	k->cur = d.c;
	k->have_case = true;
	k->events = d.events;
	k->n_events = d.n_events;
	k->msgs = d.msgs;
	k->n_msgs = d.n_msgs;
	if (rc)
		counter_say_failed(ctx, k, &why);
	/* the newest events matter most: start near the end */
	k->tl_first = k->n_events > COUNTER_TL_START ? k->n_events - COUNTER_TL_START : 0;
	k->screen = CS_DETAIL;
	return 0;
}

const char *counter_own_store(const struct ui_ctx *ctx)
{
	return ctx->cfg->store_id[0] ? ctx->cfg->store_id : NULL;
}

const char *counter_list_store(const struct ui_ctx *ctx, const struct counter_state *k)
{
	if (k->f_chain || k->f_receipt[0] || k->f_id_hash[0] || k->f_search[0])
		return NULL;
	return counter_own_store(ctx);
}

void counter_clear_filter(struct counter_state *k)
{
	k->f_by_state = k->f_overdue = false;
	k->f_receipt[0] = k->f_search[0] = k->f_id_hash[0] = '\0';
	k->list_first = 0;
}


/* ---- actions on the open case ------------------------------------------- */

/* After an action: one line of feedback, the case read again. */
static void acted(struct ui_ctx *ctx, struct counter_state *k, int rc,
		  const struct kiosk_why *why, const char *done_key, const char *const *kv)
{
	char id[CASE_ID_MAX];
	snprintf(id, sizeof id, "%s", k->cur.case_id);
	counter_open_case(ctx, k, id);
	if (rc)
		counter_say_failed(ctx, k, why);
	else
		counter_sayf(ctx, k, false, done_key, kv);
}

void counter_act_state(struct ui_ctx *ctx, struct counter_state *k, enum case_state s,
		      const char *text)
{
	struct kiosk_why why = {{0}};
	int rc = desk_set_state(ctx->store, &k->rules, &k->staff, k->cur.case_id, s, text, NULL,
				NULL, counter_now(), &why);
	const char *kv[] = {"state", counter_name(ctx, "state_", case_state_name(s)), NULL};
	acted(ctx, k, rc, &why, "counter.done_state", kv);
}

void counter_act_resend(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	int n = 0;
	int rc = desk_resend(ctx->store, k->cur.case_id, counter_now(), &n, &why);
	char count[16];
	snprintf(count, sizeof count, "%d", n);
	const char *kv[] = {"n", count, NULL};
	acted(ctx, k, rc, &why, "counter.done_resend", kv);
}

void counter_act_forget_contact(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	int rc = desk_forget_contact(ctx->store, &k->staff, k->cur.case_id, counter_now(), &why);
	acted(ctx, k, rc, &why, "counter.done_forget_contact", NULL);
}

static void act_override(struct ui_ctx *ctx, struct counter_state *k, const char *reason)
{
	struct kiosk_why why = {{0}};
	const struct i18n *tr = !strcmp(k->cur.lang, "en") ? ctx->tr_en : ctx->tr_sv;
	enum case_outcome o = k->override_outcome;
	int rc = desk_override(ctx->store, &k->staff, k->cur.case_id, o, reason, tr,
			       k->manager_limit, counter_now(), &why);
	const char *done[] = {"outcome", counter_name(ctx, "outcome_", case_outcome_name(o)), NULL};
	acted(ctx, k, rc, &why, "counter.done_override", done);
}

/* ---- reprint on a worker ------------------------------------------------ */

void counter_act_reprint(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	if (k->print) {
		counter_say(k, true, ui_tr(ctx, "counter.print_busy"));
		return;
	}
	if (!ctx->printer || printer_is_none(ctx->printer) || !ctx->db_path) {
		kiosk_fail(&why, KIOSK_EDEVICE, "%s", ui_tr(ctx, "counter.no_printer"));
		const char *kv[] = {"why", why.text, NULL};
		counter_sayf(ctx, k, true, "counter.print_failed", kv);
		return;
	}
	if (print_job_start(&k->print, ctx->store, ctx->printer, ctx->cfg, ctx->assets,
			    k->cur.case_id, NULL, ui_wake_cb, ctx, &why)) {
		const char *kv[] = {"why", why.text, NULL};
		counter_sayf(ctx, k, true, "counter.print_failed", kv);
		return;
	}
	snprintf(k->print_staff, sizeof k->print_staff, "%s", k->staff.staff_id);
	counter_say(k, false, ui_tr(ctx, "counter.printing"));
}

void counter_print_join(struct counter_state *k)
{
	struct kiosk_why ignore;
	print_job_finish(k->print, &ignore);
	k->print = NULL;
}

void counter_print_poll(struct ui_ctx *ctx, struct counter_state *k)
{
	char case_id[CASE_ID_MAX];
	struct kiosk_why why = {{0}};
	int rc;
	if (!print_job_collect(&k->print, case_id, &rc, &why))
		return;
	const char *kv[] = {"why", why.text, NULL};
	/* Logged out meanwhile: the next person at the counter is not told
	 * (the case's timeline says whether it printed). */
	if (!k->logged_in || strcmp(k->staff.staff_id, k->print_staff)) {
		ui_invalidate(ctx);
		return;
	}
	/* Still on that case: read it again (the timeline has the print). */
	if (k->have_case && !strcmp(k->cur.case_id, case_id))
		counter_open_case(ctx, k, case_id);
	counter_sayf(ctx, k, rc != 0, rc ? "counter.print_failed" : "counter.printed", kv);
	ui_invalidate(ctx);
}

/* The typed text is done: do what it was for. */
void counter_text_done(struct ui_ctx *ctx, struct counter_state *k)
{
	struct kiosk_why why = {{0}};
	bool empty = strspn(k->text, " ") == strlen(k->text);
	if (k->text_for == CT_SEARCH) {
		counter_clear_filter(k);
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
		counter_reload_list(ctx, k);
		return;
	}
	if (empty) {
		counter_say(k, true, ui_tr(ctx, "counter.need_text"));
		return;
	}
	int rc;
	switch (k->text_for) {
	case CT_REFUSE:
		counter_act_state(ctx, k, CASE_REFUSED, k->text);
		break;
	case CT_OVERRIDE:
		act_override(ctx, k, k->text);
		break;
	case CT_NOTE:
		rc = desk_add_note(ctx->store, &k->staff, k->cur.case_id, k->text, counter_now(),
				   &why);
		acted(ctx, k, rc, &why, "counter.done_note", NULL);
		break;
	case CT_PROMISE: {
		int64_t day = time_local_days(counter_now()) + k->promise_days;
		rc = desk_set_promise(ctx->store, &k->staff, k->cur.case_id, k->text, day,
				      counter_now(), &why);
		acted(ctx, k, rc, &why, "counter.done_promise", NULL);
		break;
	}
	case CT_SEARCH:
		break;
	}
	k->text[0] = '\0';
}

void counter_start_text(struct counter_state *k, enum counter_text_for what, const char *initial)
{
	k->text_for = what;
	snprintf(k->text, sizeof k->text, "%s", initial ? initial : "");
	k->message[0] = '\0';
	k->screen = CS_TEXT;
}
