/* The demo cases: thirteen returns and fault reports covering every state,
 * some overdue, some with a "talk to a person" call, one partly returning
 * a receipt line. Each is decided by the real policy (assets/store.ini) in
 * the store's language, then walked through its states with timeline
 * events dated in the past, so the counter view and the report have a
 * believable history to show. */
#include "services/demo_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/contact.h"
#include "domain/policy.h"
#include "domain/scan.h"
#include "store/store.h"

#define MAX_PATH 4
#define MAX_CASE_LINES 2

struct demo_case_spec {
	enum case_kind kind;
	int days_ago;            /* created, before the anchor day */
	int minute;              /* of that day */
	struct demo_receipt_spec receipt;
	struct {
		int line;
		int quantity;
		enum item_condition cond;
		enum return_reason reason;
	} lines[MAX_CASE_LINES];
	const char *customer_text; /* fault: the customer's own words (case data) */
	int n_path;              /* states after the first, one every step_days */
	enum case_state path[MAX_PATH];
	int step_days;
	int pickup_days;         /* > 0: on the last step, promise pickup within this */
				 /* (a refusal always ends the promise: nothing more is owed) */
	bool call, call_answered;
	const char *contact;     /* the customer asked for updates */
	const char *sheet_receipt; /* caption key: its receipt goes on the sheet */
	bool sheet_case;         /* its case code goes on the sheet */
};

#define L(n, q, c, r) {n, q, c, r}
/* Receipt sequence numbers 10.. keep these apart from the sheet's 1..5. */
static const struct demo_case_spec specs[] = {
	/* 0 registered: unopened headphones, a refund */
	{CASE_RETURN, 0, 9 * 60 + 20, {4, 15 * 60, 10, {{"7350001000011", 1}}},
	 {L(1, 1, COND_UNOPENED, REASON_CHANGED_MIND)}, NULL, 0, {0}, 0, 0, false, false,
	 NULL, NULL, false},
	/* 1 waiting for staff, overdue: a speaker used and past its window; open call */
	{CASE_RETURN, 3, 13 * 60 + 5, {50, 12 * 60, 11, {{"7350001000028", 1}}},
	 {L(1, 1, COND_USED, REASON_CHANGED_MIND)}, NULL, 0, {0}, 0, 0, true, false, NULL,
	 NULL, false},
	/* 2 approved: a used jacket for store credit */
	{CASE_RETURN, 1, 11 * 60 + 45, {12, 10 * 60, 12, {{"7350002000010", 1}}},
	 {L(1, 1, COND_USED, REASON_WRONG_ITEM)}, NULL, 1, {CASE_APPROVED}, 1, 0, false, false,
	 NULL, NULL, false},
	/* 3 refused: a used shaver (hygiene) */
	{CASE_RETURN, 8, 16 * 60 + 30, {9, 18 * 60, 13, {{"7350004000025", 1}}},
	 {L(1, 1, COND_USED, REASON_CHANGED_MIND)}, NULL, 1, {CASE_REFUSED}, 1, 0, false, false,
	 NULL, NULL, false},
	/* 4 at repair, overdue: a hair dryer */
	{CASE_FAULT, 20, 10 * 60 + 10, {400, 14 * 60, 14, {{"7350001000080", 1}}},
	 {L(1, 1, COND_FAULTY, REASON_FAULTY)},
	 "Den blir väldigt varm och luktar bränt efter några minuter.", 1, {CASE_AT_REPAIR}, 2,
	 0, false, false, NULL, NULL, false},
	/* 5 at repair: a coffee maker; its case code is on the sheet */
	{CASE_FAULT, 4, 12 * 60 + 15, {100, 9 * 60 + 30, 15, {{"7350001000066", 1}}},
	 {L(1, 1, COND_FAULTY, REASON_FAULTY)}, "Det läcker vatten under bryggningen.", 1,
	 {CASE_AT_REPAIR}, 1, 0, false, false, "anna.kund@example.com", NULL, true},
	/* 6 back from repair: a TV */
	{CASE_FAULT, 25, 15 * 60, {300, 19 * 60, 16, {{"7350001000042", 1}}},
	 {L(1, 1, COND_FAULTY, REASON_FAULTY)}, "Bilden försvinner efter en stund.", 2,
	 {CASE_AT_REPAIR, CASE_BACK_FROM_REPAIR}, 10, 14, false, false, NULL, NULL, false},
	/* 7 ready for pickup: an electric whisk; the call was answered */
	{CASE_FAULT, 30, 11 * 60, {200, 13 * 60, 17, {{"7350001000059", 1}}},
	 {L(1, 1, COND_FAULTY, REASON_FAULTY)}, "Vispen stannar när jag väljer högsta hastigheten.",
	 3, {CASE_AT_REPAIR, CASE_BACK_FROM_REPAIR, CASE_READY_FOR_PICKUP}, 9, 14, true, true,
	 "070-123 45 67", NULL, false},
	/* 8 closed: one of three sock packs returned (a line partly returned) */
	{CASE_RETURN, 40, 14 * 60 + 40, {6, 16 * 60, 18, {{"7350002000027", 3}, {"7350002000034", 1}}},
	 {L(1, 1, COND_UNOPENED, REASON_CHANGED_MIND)}, NULL, 2, {CASE_APPROVED, CASE_CLOSED}, 1,
	 0, false, false, NULL, "receipt_partly", false},
	/* 9 closed: a floor lamp repaired */
	{CASE_FAULT, 120, 10 * 60 + 50, {500, 12 * 60, 19, {{"7350003000026", 1}}},
	 {L(1, 1, COND_FAULTY, REASON_FAULTY)}, "Lampan blinkar och slocknar.", 4,
	 {CASE_AT_REPAIR, CASE_BACK_FROM_REPAIR, CASE_READY_FOR_PICKUP, CASE_CLOSED}, 7, 14,
	 false, false, NULL, NULL, false},
	/* 10 waiting for staff: an opened toothbrush; the customer is calling */
	{CASE_RETURN, 0, 8 * 60 + 55, {1, 17 * 60, 20, {{"7350004000018", 1}}},
	 {L(1, 1, COND_USED, REASON_OTHER)}, NULL, 0, {0}, 0, 0, true, false, NULL, NULL,
	 false},
	/* 11 approved, overdue: a refund not yet paid back */
	{CASE_RETURN, 12, 15 * 60 + 25, {7, 11 * 60, 21, {{"7350001000035", 2}}},
	 {L(1, 2, COND_UNOPENED, REASON_CHANGED_MIND)}, NULL, 1, {CASE_APPROVED}, 1, 0, false,
	 false, NULL, NULL, false},
	/* 12 registered: a fault report from yesterday */
	{CASE_FAULT, 1, 17 * 60 + 35, {150, 15 * 60, 22, {{"7350001000073", 1}}},
	 {L(1, 1, COND_FAULTY, REASON_FAULTY)}, "Lampan går inte att ansluta till appen längre.",
	 0, {0}, 0, 0, false, false, NULL, NULL, false},
};
#define N_SPECS ((int)(sizeof specs / sizeof specs[0]))

int demo_cases_receipts(const struct demo_ctx *c, struct import_batch *b, struct kiosk_why *why)
{
	for (int i = 0; i < N_SPECS; i++) {
		struct demo_receipt_spec r = specs[i].receipt;
		r.days_ago += specs[i].days_ago; /* bought before the case was made */
		int rc = demo_receipt_add(c, &r, b, why);
		if (rc)
			return rc;
	}
	return 0;
}

/* A time on the anchor's timeline, never later than now. */
static struct kiosk_time at_or_before_now(const struct demo_ctx *c, int64_t day, int minute,
					  int minutes_before_now)
{
	struct kiosk_time t = demo_time_at(c, day, minute);
	int64_t latest = c->now.unix_s - (int64_t)minutes_before_now * 60;
	if (t.unix_s > latest)
		t.unix_s = latest;
	return t;
}

/* The demo's case tokens are derived from the seed, so the sheet can print
 * a case code on every run (the store keeps only the hash). Demo only: a
 * real case gets its token from randombytes_buf. */
static void demo_token(int i, char out[CASE_TOKEN_HEX + 1])
{
	struct demo_rng rng = {0x6b696f736b434331ull + (uint64_t)i};
	snprintf(out, CASE_TOKEN_HEX + 1, "%016llx", (unsigned long long)demo_rng_next(&rng));
}

static int decide(struct demo_ctx *c, const struct policy *pol, const struct demo_case_spec *sp,
		  const struct receipt *r, int64_t created_day, struct case_record *cr,
		  struct kiosk_why *why)
{
	int64_t purchase_day = time_local_days(r->purchased_at);
	if (sp->kind == CASE_FAULT) {
		struct fault_request fr = {true, purchase_day, created_day};
		return policy_decide_fault(pol, &fr, c->t, &cr->decision, why);
	}
	struct policy_line pl[MAX_CASE_LINES];
	for (int k = 0; k < cr->n_lines; k++) {
		const struct receipt_line *rl = &r->lines[sp->lines[k].line - 1];
		pl[k] = (struct policy_line){
			.line = rl->line,
			.unit_price = rl->unit_price,
			.quantity = sp->lines[k].quantity,
			.quantity_left = rl->quantity - rl->returned_quantity,
			.condition = sp->lines[k].cond,
			.reason = sp->lines[k].reason,
		};
		snprintf(pl[k].category, sizeof pl[k].category, "%s", rl->category);
	}
	struct return_request rq = {
		.has_receipt = true,
		.purchase_day = purchase_day,
		.today = created_day,
		.n_lines = cr->n_lines,
		.lines = pl,
	};
	return policy_decide_return(pol, &rq, c->t, &cr->decision, why);
}

/* Walk the case through its states, with the calls and promises. */
static int history(struct demo_ctx *c, const struct demo_case_spec *sp, const char *case_id,
		   int64_t created_day, struct kiosk_time created, struct kiosk_why *why)
{
	int rc = 0;
	const char *staff = sp->kind == CASE_FAULT ? c->staff_id[0] : c->staff_id[1];
	char actor[32];
	snprintf(actor, sizeof actor, "staff:%s", staff);
	if (sp->call) {
		int64_t call_id;
		struct kiosk_time t = created;
		t.unix_s += 120;
		if ((rc = store_call_create(c->s, c->cfg->store_id, "kiosk-1", case_id, t, &call_id, why)))
			return rc;
		c->res->n_new_calls++;
		t.unix_s += 240;
		if (sp->call_answered && (rc = store_call_answer(c->s, call_id, staff, t, why)))
			return rc;
	}
	for (int k = 0; k < sp->n_path; k++) {
		int64_t day = created_day + (int64_t)(k + 1) * sp->step_days;
		struct kiosk_time t = at_or_before_now(c, day, 10 * 60 + 5 * k, sp->n_path - k);
		char key[48];
		snprintf(key, sizeof key, "demo.event_%s", case_state_name(sp->path[k]));
		if ((rc = store_case_set_state(c->s, case_id, sp->path[k], t, actor,
					       i18n_get(c->t, key), why)))
			return rc;
		if (k == sp->n_path - 1 && sp->pickup_days > 0 && sp->path[k] != CASE_CLOSED &&
		    (rc = store_case_set_promise(c->s, case_id, i18n_get(c->t, "demo.next_pickup"),
						 day + sp->pickup_days, t, actor, why)))
			return rc;
		if (sp->path[k] == CASE_REFUSED &&
		    (rc = store_case_set_promise(c->s, case_id, i18n_get(c->t, "policy_next.refused"),
						 0, t, actor, why)))
			return rc;
	}
	return 0;
}

static int seed_one(struct demo_ctx *c, const struct policy *pol, int i, struct kiosk_why *why)
{
	const struct demo_case_spec *sp = &specs[i];
	char rid[32], token[CASE_TOKEN_HEX + 1], case_id[CASE_ID_MAX] = "";
	int rc = demo_receipt_id(c, sp->receipt.days_ago + sp->days_ago, 1, sp->receipt.seq, rid,
				 sizeof rid, why);
	if (rc)
		return rc;
	demo_token(i, token);
	struct case_filter f = {.receipt_id = rid, .today = c->today};
	struct case_record *found = NULL;
	int n_found = 0;
	if ((rc = store_case_list(c->s, &f, &found, &n_found, why)))
		return rc;
	if (n_found > 0)
		snprintf(case_id, sizeof case_id, "%s", found[0].case_id);
	for (int k = 0; k < n_found; k++)
		case_record_free(&found[k]);
	free(found);

	if (!case_id[0]) {
		struct receipt r;
		if ((rc = store_receipt_get(c->s, rid, &r, why)))
			return rc;
		struct case_line lines[MAX_CASE_LINES];
		struct case_record cr = {.kind = sp->kind, .lines = lines};
		for (int k = 0; k < MAX_CASE_LINES && sp->lines[k].line; k++) {
			const struct receipt_line *rl = &r.lines[sp->lines[k].line - 1];
			lines[k] = (struct case_line){
				.receipt_line = rl->line,
				.quantity = sp->lines[k].quantity,
				.unit_price = rl->unit_price,
				.reason = sp->lines[k].reason,
				.condition = sp->lines[k].cond,
			};
			snprintf(lines[k].sku, sizeof lines[k].sku, "%s", rl->sku);
			snprintf(lines[k].description, sizeof lines[k].description, "%s",
				 rl->description);
			snprintf(lines[k].category, sizeof lines[k].category, "%s", rl->category);
			cr.n_lines = k + 1;
		}
		int64_t created_day = c->anchor_day - sp->days_ago;
		struct kiosk_time created = at_or_before_now(c, created_day, sp->minute, 30);
		rc = decide(c, pol, sp, &r, created_day, &cr, why);
		if (!rc) {
			cr.state = cr.decision.outcome == OUTCOME_STAFF ? CASE_WAITING_STAFF
									: CASE_REGISTERED;
			snprintf(cr.store, sizeof cr.store, "%s", r.store);
			snprintf(cr.receipt_id, sizeof cr.receipt_id, "%s", rid);
			snprintf(cr.lang, sizeof cr.lang, "%.3s", i18n_lang(c->t));
			if (sp->kind == CASE_FAULT) {
				snprintf(cr.product, sizeof cr.product, "%s", r.lines[0].description);
				snprintf(cr.customer_text, sizeof cr.customer_text, "%s",
					 sp->customer_text);
			}
			/* saved as the kiosk saves a contact: in its one form */
			if (sp->contact)
				cr.wants_updates = contact_normalise(sp->contact, cr.contact,
								     sizeof cr.contact) != CONTACT_NONE;
			rc = store_case_create(c->s, &cr, token, created, "kiosk", why);
		}
		receipt_free(&r);
		if (rc)
			return rc;
		snprintf(case_id, sizeof case_id, "%s", cr.case_id);
		c->res->n_new_cases++;
		if ((rc = history(c, sp, case_id, created_day, created, why)))
			return rc;
	}
	c->res->n_cases++;
	if (sp->sheet_case && c->res->n_codes < DEMO_MAX_CODES) {
		struct demo_code *code = &c->res->codes[c->res->n_codes++];
		code->kind = DEMO_CODE_CASE;
		scan_format_case_code(code->payload, sizeof code->payload, case_id, token);
		const char *kv[] = {"case", case_id, NULL};
		demo_caption(c, code, "case", kv);
	}
	if (sp->sheet_receipt && c->res->n_codes < DEMO_MAX_CODES) {
		struct demo_code *code = &c->res->codes[c->res->n_codes++];
		code->kind = DEMO_CODE_RECEIPT;
		snprintf(code->payload, sizeof code->payload, "%s", rid);
		const struct demo_product *p = demo_product_by_sku(sp->receipt.items[0].sku);
		const char *kv[] = {"item", p ? p->description : "", "case", case_id, NULL};
		demo_caption(c, code, sp->sheet_receipt, kv);
	}
	return 0;
}

int demo_cases_seed(struct demo_ctx *c, struct kiosk_why *why)
{
	struct policy pol;
	int rc = policy_load(&pol, c->cfg, why);
	for (int i = 0; !rc && i < N_SPECS; i++)
		rc = seed_one(c, &pol, i, why);
	return rc;
}
