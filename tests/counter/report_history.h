/* A hand-made case history with known report figures (issue 7), built
 * through the real store API so the report reads exactly what the kiosk
 * and the counter write. Shared by test_report.c (checks the figures in
 * C) and, through COUNTER_REPORT_DB, by test_report_cli.py (checks the
 * same figures in `kiosk report --json/--html`).
 *
 * now = 2026-11-23T10:00:00+01:00; h() is hours relative to now.
 *
 * case  kind    made by    outcome (final)  state now          resolved after  by kiosk
 * K-1   return  kiosk      refund           registered         0 s             yes
 * K-2   return  kiosk      store_credit     registered         0 s             yes
 * K-3   return  kiosk      staff->refund    approved (staff)   3 h = 10800     no
 * K-4   return  kiosk      staff            refused (staff)    24 h = 86400    no
 * K-5   fault   kiosk      repair           at_repair          -               -
 * K-6   fault   kiosk      replace          closed             2 h = 7200      no
 * K-7   fault   kiosk      repair->replace  ready_for_pickup   25 h = 90000    no
 * K-8   return  kiosk      exchange         registered         0 s             yes
 * K-9   return  staff:S001 refund           approved           0 s             no (staff)
 *
 * resolution times sorted: 0 0 0 0 7200 10800 86400 90000 -> median
 * (rank 4) 0, p90 (rank ceil(7.2) = 8) 90000. Resolved 8 of 9, at the
 * kiosk 3 of 9.
 * promises: K-2 day+1 resolved at once (met), K-5 today-3 open (missed),
 * K-6 today+5 resolved (met), K-7 today-1 resolved today (missed):
 * 2 of 4. Overdue now: K-5 (3 days, at_repair), K-7 (1 day,
 * ready_for_pickup).
 * overrides on K-3, K-6, K-7: 3 of 9; reasons "Regular customer, fault
 * obvious" x2, "Repair shop <confirmed> fault & cost" x1.
 * calls: waits 120, 600, 60 answered, one open since 15 min (900):
 * median (rank 2) 120, worst 900.
 * viewed: K-1 x2, K-3 x1, K-7 x1: 4 views, 3 cases, 0.44 per case. */
#ifndef COUNTER_REPORT_HISTORY_H
#define COUNTER_REPORT_HISTORY_H

#include <stdio.h>
#include <string.h>

#include "store/store.h"

#define HIST_NOW_UNIX 1795424400 /* 2026-11-23T10:00:00+01:00 */

static inline struct kiosk_time hist_h(double hours)
{
	struct kiosk_time t = {HIST_NOW_UNIX + (int64_t)(hours * 3600), 60};
	return t;
}

static inline struct kiosk_time hist_s(int64_t secs)
{
	struct kiosk_time t = {HIST_NOW_UNIX + secs, 60};
	return t;
}

static inline int64_t hist_today(void)
{
	return time_local_days(hist_h(0));
}

static inline int hist_case(struct store *s, enum case_kind kind, enum case_state state,
			    enum case_outcome outcome, int64_t promised_day, double hours,
			    const char *actor, struct kiosk_why *why)
{
	struct case_line line = {0, "SKU1", "Vattenkokare", 1, 29900, "kitchen",
				 REASON_CHANGED_MIND, COND_UNOPENED};
	struct case_record c;
	memset(&c, 0, sizeof c);
	c.kind = kind;
	c.state = state;
	snprintf(c.store, sizeof c.store, "0042");
	snprintf(c.lang, sizeof c.lang, "sv");
	c.decision.outcome = outcome;
	snprintf(c.decision.rule, sizeof c.decision.rule, "test.rule");
	c.decision.promised_day = promised_day;
	if (kind == CASE_RETURN) {
		c.n_lines = 1;
		c.lines = &line;
	} else {
		snprintf(c.product, sizeof c.product, "Kaffebryggare");
		snprintf(c.customer_text, sizeof c.customer_text, "Den läcker vatten.");
	}
	return store_case_create(s, &c, "00112233445566ff", hist_h(hours), actor, why);
}

static inline int hist_override(struct store *s, const char *id, enum case_outcome o,
				double hours, const char *actor, const char *reason,
				int64_t promised_day, struct kiosk_why *why)
{
	struct decision d;
	memset(&d, 0, sizeof d);
	d.outcome = o;
	snprintf(d.rule, sizeof d.rule, "staff.override");
	d.promised_day = promised_day;
	return store_case_set_decision(s, id, &d, hist_h(hours), actor, reason, why);
}

/* Build the history into s. 0, or the first failure (why filled). */
static inline int hist_build(struct store *s, struct kiosk_why *why)
{
	const int64_t today = hist_today();
	const char *reg = "Regular customer, fault obvious";
	int64_t call;
	int rc = 0;
#define STEP(x) \
	if (!rc) \
		rc = (x)
	STEP(hist_case(s, CASE_RETURN, CASE_REGISTERED, OUTCOME_REFUND, 0, -100, "kiosk", why));
	STEP(hist_case(s, CASE_RETURN, CASE_REGISTERED, OUTCOME_STORE_CREDIT, today + 1, -90,
		       "kiosk", why));
	STEP(hist_case(s, CASE_RETURN, CASE_WAITING_STAFF, OUTCOME_STAFF, 0, -80, "kiosk", why));
	STEP(hist_case(s, CASE_RETURN, CASE_WAITING_STAFF, OUTCOME_STAFF, 0, -60, "kiosk", why));
	STEP(hist_case(s, CASE_FAULT, CASE_REGISTERED, OUTCOME_REPAIR, today - 3, -200, "kiosk",
		       why));
	STEP(hist_case(s, CASE_FAULT, CASE_REGISTERED, OUTCOME_REPAIR, today + 5, -50, "kiosk",
		       why));
	STEP(hist_case(s, CASE_FAULT, CASE_REGISTERED, OUTCOME_REPAIR, today - 1, -30, "kiosk",
		       why));
	STEP(hist_case(s, CASE_RETURN, CASE_REGISTERED, OUTCOME_EXCHANGE, 0, -2, "kiosk", why));
	STEP(hist_case(s, CASE_RETURN, CASE_APPROVED, OUTCOME_REFUND, 0, -20, "staff:S001", why));

	/* K-1: followed twice at the kiosk */
	STEP(store_case_add_event(s, "K-000001", hist_h(-99), "kiosk", "viewed", "", why));
	STEP(store_case_add_event(s, "K-000001", hist_h(-50), "kiosk", "viewed", "", why));
	/* K-3: override to refund, then approved */
	STEP(hist_override(s, "K-000003", OUTCOME_REFUND, -78, "staff:S001", reg, 0, why));
	STEP(store_case_set_state(s, "K-000003", CASE_APPROVED, hist_h(-77), "staff:S001",
				  "refund given", why));
	STEP(store_case_add_event(s, "K-000003", hist_h(-70), "kiosk", "viewed", "", why));
	/* K-4: refused by staff a day later */
	STEP(store_case_add_event(s, "K-000004", hist_h(-40), "staff:S002", "note",
				  "Asked the customer for the box", why));
	STEP(store_case_set_state(s, "K-000004", CASE_REFUSED, hist_h(-36), "staff:S002",
				  "outside the return window", why));
	/* K-5: accepted for repair (not an answer yet), at the repair shop */
	STEP(store_case_set_state(s, "K-000005", CASE_APPROVED, hist_h(-199), "staff:S001", "",
				  why));
	STEP(store_case_set_state(s, "K-000005", CASE_AT_REPAIR, hist_h(-190), "staff:S001", "",
				  why));
	/* K-6: replaced at once, then closed */
	STEP(hist_override(s, "K-000006", OUTCOME_REPLACE, -49, "staff:S002", reg, today + 5,
			   why));
	STEP(store_case_set_state(s, "K-000006", CASE_READY_FOR_PICKUP, hist_h(-48),
				  "staff:S002", "", why));
	STEP(store_case_set_state(s, "K-000006", CASE_CLOSED, hist_h(-10), "staff:S002", "",
				  why));
	/* K-7: replace instead of repair, ready today: a day after the promise */
	STEP(hist_override(s, "K-000007", OUTCOME_REPLACE, -29, "staff:S001",
			   "Repair shop <confirmed> fault & cost", today - 1, why));
	STEP(store_case_set_state(s, "K-000007", CASE_READY_FOR_PICKUP, hist_h(-5),
				  "staff:S001", "", why));
	STEP(store_case_add_event(s, "K-000007", hist_h(-4), "kiosk", "viewed", "", why));
	/* K-8: a staff note after the kiosk resolved it does not change "by kiosk" */
	STEP(store_case_add_event(s, "K-000008", hist_h(-1), "staff:S001", "note", "ok", why));

	/* calls: three answered (120 s, 600 s, 60 s), one still open (900 s) */
	STEP(store_staff_add(s, "Anna Berg", ROLE_MANAGER, "2580", hist_h(-300),
			     &(struct staff_record){0}, why));
	STEP(store_call_create(s, "0042", "kiosk-1", "", hist_h(-3), &call, why));
	STEP(store_call_answer(s, call, "S001", hist_s(-3 * 3600 + 120), why));
	STEP(store_call_create(s, "0042", "kiosk-1", "K-000008", hist_h(-2), &call, why));
	STEP(store_call_answer(s, call, "S001", hist_s(-2 * 3600 + 600), why));
	STEP(store_call_create(s, "0042", "kiosk-2", "", hist_h(-1), &call, why));
	STEP(store_call_answer(s, call, "S001", hist_s(-3600 + 60), why));
	STEP(store_call_create(s, "0042", "kiosk-2", "", hist_s(-900), &call, why));
#undef STEP
	return rc;
}

#endif
