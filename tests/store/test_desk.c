/* The desk service (services/desk.h), what the counter and `kiosk case
 * update` do through it: the manager limit on an override holds for every
 * caller (a staff member is refused and nothing changes; a manager is
 * not); the customer's explanation is in the customer's language and never
 * carries staff's reason, which the timeline keeps; a case opens with its
 * timeline and messages; notes need words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/i18n.h"
#include "ktest.h"
#include "services/desk.h"
#include "store/store.h"
#include "store_fixture.h"

static void test_override_limit(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	struct i18n *en = NULL;
	KT_INTEQ(i18n_create(&en, getenv("KIOSK_ASSETS"), "en", &why), 0, -1);
	struct staff_record clerk, boss;
	KT_INTEQ(desk_staff_add(f.s, "Bo Ek", ROLE_STAFF, "1397", at(T_NOW), &clerk, &why), 0, -1);
	KT_INTEQ(desk_staff_add(f.s, "Anna Berg", ROLE_MANAGER, "2580", at(T_NOW), &boss, &why), 0,
		 -1);
	struct case_line l;
	struct case_record c = make_case(CASE_RETURN, NULL, 0, 3, OUTCOME_STAFF, &l); /* 300.00 */
	snprintf(c.lang, sizeof c.lang, "en");
	c.wants_updates = true;
	snprintf(c.contact, sizeof c.contact, "anna@example.se");
	KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, -1);

	/* staff above the limit: refused, with the limit named, nothing written */
	KT_INTEQ(desk_may_override(&clerk, 30000, 10000), false, 0);
	KT_INTEQ(desk_override(f.s, &clerk, c.case_id, OUTCOME_REFUND, "kvitto hittat", en, 10000,
			       at(T_NOW + 60), &why), KIOSK_EDENIED, 0);
	KT_CHECK(strstr(why.text, "manager") && strstr(why.text, "100.00"), "says why: %s",
		 why.text);
	struct desk_case d;
	KT_INTEQ(desk_case_open(f.s, c.case_id, T_DAY(T_NOW), &d, &why), 0, 0);
	KT_INTEQ(d.c.decision.outcome, OUTCOME_STAFF, 0);
	KT_INTEQ(d.n_events, 1, 0); /* registered only */
	KT_INTEQ(d.n_msgs, 1, 0);   /* the registration's message */
	desk_case_free(&d);

	/* the same staff member under the limit, and a manager above it */
	KT_INTEQ(desk_may_override(&clerk, 30000, 50000), true, 1);
	KT_INTEQ(desk_override(f.s, &boss, c.case_id, OUTCOME_REFUND, "kvitto hittat", en, 10000,
			       at(T_NOW + 120), &why), 0, 1);
	KT_INTEQ(desk_case_open(f.s, c.case_id, T_DAY(T_NOW), &d, &why), 0, 1);
	KT_INTEQ(d.c.decision.outcome, OUTCOME_REFUND, 1);
	KT_INTEQ(d.c.decision.amount, 30000, 1);
	KT_STREQ(d.c.decision.rule, "staff.override", 1);
	KT_CHECK(!strstr(d.c.decision.explanation, "kvitto"),
		 "the customer's explanation has no staff reason: %s", d.c.decision.explanation);
	KT_STREQ(d.c.decision.explanation, i18n_get(en, "counter.override_explanation"), 1);
	KT_STREQ(d.n_events ? d.events[d.n_events - 1].event : "", "override", 1);
	KT_STREQ(d.n_events ? d.events[d.n_events - 1].actor : "", "staff:S002", 1);
	KT_CHECK(d.n_events && strstr(d.events[d.n_events - 1].text, ": kvitto hittat"),
		 "the timeline keeps the reason: %s", d.n_events ? d.events[d.n_events - 1].text : "");
	KT_INTEQ(d.n_msgs, 2, 1); /* and the customer is told */
	desk_case_free(&d);

	/* an override needs a reason, a note needs words */
	KT_INTEQ(desk_override(f.s, &boss, c.case_id, OUTCOME_REFUSED, "  ", en, 10000,
			       at(T_NOW + 180), &why), KIOSK_EINVAL, 2);
	KT_INTEQ(desk_add_note(f.s, &boss, c.case_id, "", at(T_NOW + 180), &why), KIOSK_EINVAL, 2);
	KT_INTEQ(desk_case_open(f.s, "K-999999", T_DAY(T_NOW), &d, &why), KIOSK_ENOTFOUND, 3);
	desk_case_free(&d);
	i18n_destroy(en);
	fixture_close(&f);
}

/* A state move brings its next step, in the customer's language, with its
 * day; closing clears it; an approved case keeps the decision's step. */
static void test_state_moves_the_step(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	struct i18n *sv = NULL, *en = NULL;
	struct kiosk_config cfg;
	struct policy pol;
	KT_INTEQ(config_load(&cfg, getenv("KIOSK_ASSETS"), NULL, &why), 0, -1);
	KT_INTEQ(policy_load(&pol, &cfg, &why), 0, -1);
	KT_INTEQ(i18n_create(&sv, getenv("KIOSK_ASSETS"), "sv", &why), 0, -1);
	KT_INTEQ(i18n_create(&en, getenv("KIOSK_ASSETS"), "en", &why), 0, -1);
	struct desk_rules rules = {&pol, sv, en};
	struct staff_record boss;
	KT_INTEQ(desk_staff_add(f.s, "Anna Berg", ROLE_MANAGER, "2580", at(T_NOW), &boss, &why), 0,
		 -1);
	struct case_line l;
	struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l);
	snprintf(c.lang, sizeof c.lang, "en");
	snprintf(c.decision.next_step, sizeof c.decision.next_step, "Leave it at the till.");
	c.decision.promised_day = T_DAY(T_NOW) + 14;
	KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, -1);
	static const struct row {
		enum case_state state;
		const char *key;  /* the step's words, NULL: the decision's step stays */
		int days;         /* from today; -1: no day */
	} rows[] = {
		/* 0*/ {CASE_APPROVED, NULL, 14},
		/* 1*/ {CASE_AT_REPAIR, "policy_state.at_repair", 30},
		/* 2*/ {CASE_READY_FOR_PICKUP, "policy_state.ready_for_pickup", -1},
		/* 3*/ {CASE_CLOSED, "", -1},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(rows); i++) {
		KT_INTEQ(desk_set_state(f.s, &rules, &boss, c.case_id, rows[i].state, "", NULL, NULL,
					at(T_NOW), &why), 0, i);
		struct desk_case d;
		KT_INTEQ(desk_case_open(f.s, c.case_id, T_DAY(T_NOW), &d, &why), 0, i);
		char want[400], date[16] = "";
		if (rows[i].days >= 0)
			date_format(T_DAY(T_NOW) + rows[i].days, date, sizeof date);
		const char *kv[] = {"date", date, NULL};
		if (!rows[i].key)
			snprintf(want, sizeof want, "Leave it at the till.");
		else if (!*rows[i].key)
			want[0] = '\0';
		else
			i18n_fill(want, sizeof want, i18n_get(en, rows[i].key), kv);
		KT_STREQ(d.c.decision.next_step, want, i);
		KT_INTEQ(d.c.decision.promised_day, rows[i].days < 0 ? 0 : T_DAY(T_NOW) + rows[i].days,
			 i);
		desk_case_free(&d);
	}
	i18n_destroy(sv);
	i18n_destroy(en);
	config_destroy(&cfg);
	fixture_close(&f);
}

KT_MAIN(KT_FUNC(test_override_limit), KT_FUNC(test_state_moves_the_step))
