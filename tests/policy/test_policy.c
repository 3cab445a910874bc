/* Unit tests of app/domain/policy: every rule boundary against the demo
 * store's real configuration (assets/store.ini), the sentences in both
 * languages from assets/lang, and refusals with their exact reasons. */
#include "ktest.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/policy.h"

static struct kiosk_config cfg;
static struct policy demo;
static struct i18n *sv, *en;

static void teardown(void)
{
	i18n_destroy(sv);
	i18n_destroy(en);
	config_destroy(&cfg);
}

/* Load the demo store once, for whichever test runs first. */
static int setup(void)
{
	static int state; /* 0 not yet, 1 ready, -1 failed */
	struct kiosk_why why = {""};
	if (state)
		return state > 0 ? 0 : -1;
	atexit(teardown);
	state = -1;
	if (config_load(&cfg, paths_assets_dir(), NULL, &why) ||
	    policy_load(&demo, &cfg, &why) || i18n_create(&sv, paths_assets_dir(), "sv", &why) ||
	    i18n_create(&en, paths_assets_dir(), "en", &why)) {
		KT_CHECK(0, "cannot load the demo store: %s", why.text);
		return -1;
	}
	state = 1;
	return 0;
}

static int64_t day(int y, int m, int d)
{
	return date_days_from_civil(y, m, d);
}

static void check_details_json(const char *details, int i)
{
	cJSON *j = cJSON_Parse(details);
	KT_CHECK(j && cJSON_IsObject(j), "i:%d details is not a JSON object: %s", i, details);
	cJSON_Delete(j);
}

static void test_load_demo(void)
{
	if (setup())
		return;
	static const struct item {
		const char *category;
		int window;
		enum case_outcome unopened, used, faulty;
	} data[] = {
		/* 0*/ {"electronics", 30, OUTCOME_REFUND, OUTCOME_STORE_CREDIT, OUTCOME_EXCHANGE},
		/* 1*/ {"clothing", 30, OUTCOME_REFUND, OUTCOME_STORE_CREDIT, OUTCOME_EXCHANGE},
		/* 2*/ {"furniture", 365, OUTCOME_REFUND, OUTCOME_STORE_CREDIT, OUTCOME_EXCHANGE},
		/* 3*/ {"hygiene", 0, OUTCOME_REFUND, OUTCOME_STAFF, OUTCOME_EXCHANGE},
		/* 4*/ {"garden", 30, OUTCOME_REFUND, OUTCOME_STORE_CREDIT, OUTCOME_EXCHANGE},
		/* 5*/ {"", 30, OUTCOME_REFUND, OUTCOME_STORE_CREDIT, OUTCOME_EXCHANGE},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		const struct policy_category *c = policy_category_find(&demo, data[i].category);
		KT_INTEQ(c->window_days, data[i].window, i);
		KT_INTEQ(c->unopened, data[i].unopened, i);
		KT_INTEQ(c->used, data[i].used, i);
		KT_INTEQ(c->faulty, data[i].faulty, i);
	}
	KT_INTEQ(demo.no_receipt_credit_limit, 100000, 100);
	KT_INTEQ(demo.no_receipt_period_months, 12, 101);
	KT_INTEQ(demo.presumption_years, 2, 102);
	KT_INTEQ(demo.responsibility_years, 3, 103);
	KT_INTEQ(demo.assessment_days, 14, 104);
	KT_STREQ(demo.currency, "SEK", 105);
}

static void test_load_refused(void)
{
	if (setup())
		return;
	static const struct item {
		const char *ini;
		int ret;
		const char *why;
	} data[] = {
		/* 0*/ {"[policy]\ndefault_window_days = abc\n", KIOSK_EINVAL,
			"[policy] default_window_days must be a whole number from 0 to 3660, not \"abc\""},
		/* 1*/ {"[category.toys]\nwindow_days = -1\n", KIOSK_EINVAL,
			"[category.toys] window_days must be a whole number from 0 to 3660, not \"-1\""},
		/* 2*/ {"[category.toys]\nused = maybe\n", KIOSK_EINVAL,
			"[category.toys] used must be refund, store_credit, exchange or staff, not \"maybe\""},
		/* 3*/ {"[category.toys]\nfaulty = repair\n", KIOSK_EINVAL,
			"[category.toys] faulty must be refund, store_credit, exchange or staff, not \"repair\""},
		/* 4*/ {"[policy]\nno_receipt_credit_limit = 1000,00\n", KIOSK_EINVAL,
			"[policy] no_receipt_credit_limit must be an amount like 1000.00, not \"1000,00\""},
		/* 5*/ {"[fault]\npresumption_years = 4\nresponsibility_years = 3\n", KIOSK_EINVAL,
			"[fault] presumption_years (4) cannot be longer than responsibility_years (3)"},
		/* 6*/ {"[fault]\nassessment_days = 14 days\n", KIOSK_EINVAL,
			"[fault] assessment_days must be a whole number from 0 to 365, not \"14 days\""},
		/* 7*/ {"[category.toys]\nwindow_days = 60\n", 0, ""},
		/* 8*/ {"[store]\nname = x\n", 0, ""},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct kiosk_config c = {0};
		struct kiosk_why why = {""};
		struct policy p = {.n_cats = -7}; /* untouched on refusal */
		int ret = config_read_string(&c, data[i].ini, &why);
		KT_INTEQ(ret, 0, i);
		ret = policy_load(&p, &c, &why);
		KT_INTEQ(ret, data[i].ret, i);
		if (ret) {
			KT_STREQ(why.text, data[i].why, i);
			KT_INTEQ(p.n_cats, -7, i);
		} else {
			/* Absent keys take the safe fallbacks; no receipt, no credit. */
			KT_INTEQ(p.no_receipt_credit_limit, 0, i);
			KT_INTEQ(p.fallback.window_days, 30, i);
			KT_INTEQ(p.fallback.used, OUTCOME_STAFF, i);
		}
		config_destroy(&c);
	}
}

static const struct policy_line LINE = {1, "electronics", 49900, 1, 1, COND_UNOPENED,
					REASON_CHANGED_MIND};

static void test_return_boundaries(void)
{
	if (setup())
		return;
	static const struct item {
		const char *category;
		int days;                 /* today − purchase day */
		enum item_condition cond;
		enum return_reason reason;
		int quantity, left;
		int ret;
		enum case_outcome outcome;
		const char *rule;
		int64_t amount;
		int promised;             /* promised day − today */
		const char *why;
	} data[] = {
		/* 0*/ {"electronics", 0, COND_UNOPENED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_REFUND, "return.unopened.refund", 49900, 5, ""},
		/* 1*/ {"electronics", 30, COND_UNOPENED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_REFUND, "return.unopened.refund", 49900, 5, ""},
		/* 2*/ {"electronics", 31, COND_UNOPENED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_STAFF, "return.outside_window", 0, 1, ""},
		/* 3*/ {"electronics", 30, COND_USED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_STORE_CREDIT, "return.used.store_credit", 49900, 0, ""},
		/* 4*/ {"electronics", 31, COND_USED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_STAFF, "return.outside_window", 0, 1, ""},
		/* 5*/ {"clothing", 30, COND_USED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_STORE_CREDIT, "return.used.store_credit", 49900, 0, ""},
		/* 6*/ {"clothing", 31, COND_UNOPENED, REASON_WRONG_ITEM, 1, 1, 0, OUTCOME_STAFF, "return.outside_window", 0, 1, ""},
		/* 7*/ {"hygiene", 0, COND_UNOPENED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_REFUND, "return.unopened.refund", 49900, 5, ""},
		/* 8*/ {"hygiene", 1, COND_UNOPENED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_STAFF, "return.outside_window", 0, 1, ""},
		/* 9*/ {"hygiene", 0, COND_USED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_STAFF, "return.used.staff", 0, 1, ""},
		/*10*/ {"furniture", 365, COND_USED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_STORE_CREDIT, "return.used.store_credit", 49900, 0, ""},
		/*11*/ {"furniture", 366, COND_UNOPENED, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_STAFF, "return.outside_window", 0, 1, ""},
		/*12*/ {"garden", 30, COND_UNOPENED, REASON_OTHER, 1, 1, 0, OUTCOME_REFUND, "return.unopened.refund", 49900, 5, ""},
		/*13*/ {"garden", 31, COND_UNOPENED, REASON_OTHER, 1, 1, 0, OUTCOME_STAFF, "return.outside_window", 0, 1, ""},
		/*14*/ {"electronics", 30, COND_FAULTY, REASON_FAULTY, 1, 1, 0, OUTCOME_EXCHANGE, "return.faulty.exchange", 0, 0, ""},
		/*15*/ {"electronics", 31, COND_FAULTY, REASON_FAULTY, 1, 1, 0, OUTCOME_REPAIR, "fault.presumed", 0, 14, ""},
		/*16*/ {"electronics", 10, COND_USED, REASON_FAULTY, 1, 1, 0, OUTCOME_EXCHANGE, "return.faulty.exchange", 0, 0, ""},
		/*17*/ {"hygiene", 1, COND_FAULTY, REASON_CHANGED_MIND, 1, 1, 0, OUTCOME_REPAIR, "fault.presumed", 0, 14, ""},
		/*18*/ {"electronics", 5, COND_UNOPENED, REASON_WRONG_ITEM, 2, 2, 0, OUTCOME_REFUND, "return.unopened.refund", 99800, 5, ""},
		/*19*/ {"electronics", 5, COND_UNOPENED, REASON_CHANGED_MIND, 2, 3, 0, OUTCOME_REFUND, "return.unopened.refund", 99800, 5, ""},
		/*20*/ {"electronics", 5, COND_UNOPENED, REASON_CHANGED_MIND, 3, 2, KIOSK_EINVAL, 0, "", 0, 0, "receipt line 1: 3 to return, but only 2 left to return"},
		/*21*/ {"electronics", 5, COND_UNOPENED, REASON_CHANGED_MIND, 0, 2, KIOSK_EINVAL, 0, "", 0, 0, "item 1: the quantity must be at least 1"},
		/*22*/ {"electronics", 5, COND_UNOPENED, REASON_CHANGED_MIND, 1, 0, KIOSK_EINVAL, 0, "", 0, 0, "receipt line 1 has already been returned in full"},
		/*23*/ {"electronics", -1, COND_UNOPENED, REASON_CHANGED_MIND, 1, 1, KIOSK_EINVAL, 0, "", 0, 0, "the purchase date 2026-10-01 is after today, 2026-09-30"},
	};
	const int64_t bought = day(2026, 10, 1);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct policy_line l = LINE;
		snprintf(l.category, sizeof l.category, "%s", data[i].category);
		l.condition = data[i].cond;
		l.reason = data[i].reason;
		l.quantity = data[i].quantity;
		l.quantity_left = data[i].left;
		struct return_request req = {true, bought, bought + data[i].days, false, 0, 1, &l, false};
		struct decision d = {.rule = "untouched"};
		struct kiosk_why why = {""};
		int ret = policy_decide_return(&demo, &req, en, &d, &why);
		KT_INTEQ(ret, data[i].ret, i);
		if (ret) {
			KT_STREQ(why.text, data[i].why, i);
			KT_STREQ(d.rule, "untouched", i);
			continue;
		}
		KT_INTEQ(d.outcome, data[i].outcome, i);
		KT_STREQ(d.rule, data[i].rule, i);
		KT_INTEQ(d.amount, data[i].amount, i);
		KT_INTEQ(d.promised_day - req.today, data[i].promised, i);
		KT_CHECK(d.explanation[0] && !strchr(d.explanation, '{'), "i:%d explanation \"%s\"", i,
			 d.explanation);
		KT_CHECK(d.next_step[0] && !strchr(d.next_step, '{'), "i:%d next step \"%s\"", i,
			 d.next_step);
		check_details_json(d.details, i);
	}
}

static void test_return_details(void)
{
	if (setup())
		return;
	struct policy_line l = LINE;
	int64_t bought = day(2026, 10, 1);
	struct return_request req = {true, bought, bought + 12, false, 0, 1, &l, false};
	struct decision d;
	struct kiosk_why why;
	l.quantity_left = 2;
	KT_INTEQ(policy_decide_return(&demo, &req, en, &d, &why), 0, 0);
	KT_STREQ(d.details,
		 "{\"line\":1,\"category\":\"electronics\",\"days\":12,\"window\":30,\"quantity\":1,"
		 "\"left\":2,\"value\":49900}",
		 0);
	/* A category name from a receipt cannot break the JSON. */
	snprintf(l.category, sizeof l.category, "a\"b\\c");
	KT_INTEQ(policy_decide_return(&demo, &req, en, &d, &why), 0, 1);
	check_details_json(d.details, 1);
}

static void test_return_several(void)
{
	if (setup())
		return;
	static const struct item {
		const char *ini;   /* on top of the demo store; NULL: demo */
		struct policy_line lines[3];
		int n;
		int days;
		int ret;
		enum case_outcome outcome;
		const char *rule;
		int64_t amount;
		const char *why;
	} data[] = {
		/* 0*/ {NULL, {{1, "electronics", 10000, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND},
			       {2, "clothing", 2550, 2, 2, COND_UNOPENED, REASON_WRONG_ITEM}},
			2, 30, 0, OUTCOME_REFUND, "return.unopened.refund", 15100, ""},
		/* 1*/ {NULL, {{1, "electronics", 10000, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND},
			       {2, "clothing", 2550, 1, 1, COND_USED, REASON_CHANGED_MIND}},
			2, 30, 0, OUTCOME_STAFF, "return.mixed", 0, ""},
		/* 2*/ {NULL, {{1, "furniture", 10000, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND},
			       {2, "clothing", 2550, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND}},
			2, 31, 0, OUTCOME_STAFF, "return.outside_window", 0, ""},
		/* 3*/ {NULL, {{1, "electronics", 10000, 1, 1, COND_USED, REASON_CHANGED_MIND},
			       {2, "furniture", 2550, 1, 1, COND_USED, REASON_OTHER}},
			2, 30, 0, OUTCOME_STORE_CREDIT, "return.used.store_credit", 12550, ""},
		/* 4*/ {"[policy]\ndefault_faulty = refund\n",
			{{1, "garden", 10000, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND},
			 {2, "garden", 2550, 1, 1, COND_FAULTY, REASON_FAULTY}},
			2, 3, 0, OUTCOME_REFUND, "return.several", 12550, ""},
		/* 5*/ {NULL, {{1, "electronics", 10000, 1, 2, COND_UNOPENED, REASON_CHANGED_MIND},
			       {1, "electronics", 10000, 1, 2, COND_UNOPENED, REASON_CHANGED_MIND}},
			2, 3, KIOSK_EINVAL, 0, "", 0, "receipt line 1 is listed twice"},
		/* 6*/ {NULL, {{1, "electronics", 10000, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND}},
			0, 3, KIOSK_EINVAL, 0, "", 0, "a return needs 1 to 64 items, not 0"},
		/* 7*/ {NULL, {{1, "electronics", -5, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND}},
			1, 3, KIOSK_EINVAL, 0, "", 0, "item 1: the price or quantity is out of range"},
		/* 8*/ {NULL, {{1, "electronics", 1000000000000LL, 100000, 100000, COND_UNOPENED, REASON_CHANGED_MIND},
			       {2, "electronics", 1000000000000LL, 100000, 100000, COND_UNOPENED, REASON_CHANGED_MIND}},
			2, 3, 0, OUTCOME_REFUND, "return.unopened.refund", 200000000000000000LL, ""},
		/* 9*/ {NULL, {{1, "electronics", 1000000000001LL, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND}},
			1, 3, KIOSK_EINVAL, 0, "", 0, "item 1: the price or quantity is out of range"},
		/*10*/ {NULL, {{1, "electronics", 100, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND},
			       {2, "electronics", 100, 100001, 100001, COND_UNOPENED, REASON_CHANGED_MIND}},
			2, 3, KIOSK_EINVAL, 0, "", 0, "item 2: the price or quantity is out of range"},
	};
	const int64_t bought = day(2026, 10, 1);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct kiosk_config c = {0};
		struct policy p = demo;
		struct kiosk_why why = {""};
		if (data[i].ini) {
			config_load(&c, paths_assets_dir(), NULL, &why);
			KT_INTEQ(config_read_string(&c, data[i].ini, &why), 0, i);
			KT_INTEQ(policy_load(&p, &c, &why), 0, i);
		}
		struct return_request req = {true, bought, bought + data[i].days, false, 0, data[i].n,
					     data[i].lines, false};
		struct decision d = {.rule = "untouched"};
		int ret = policy_decide_return(&p, &req, sv, &d, &why);
		KT_INTEQ(ret, data[i].ret, i);
		if (ret) {
			KT_STREQ(why.text, data[i].why, i);
			KT_STREQ(d.rule, "untouched", i);
		} else {
			KT_INTEQ(d.outcome, data[i].outcome, i);
			KT_STREQ(d.rule, data[i].rule, i);
			KT_INTEQ(d.amount, data[i].amount, i);
			check_details_json(d.details, i);
			KT_CHECK(!strchr(d.explanation, '{') && !strchr(d.next_step, '{'),
				 "i:%d unfilled sentence", i);
		}
		config_destroy(&c);
	}
}

static void test_no_receipt(void)
{
	if (setup())
		return;
	static const struct item {
		bool has_id;
		int64_t credit_used;
		int64_t price;
		int quantity;
		enum item_condition cond;
		enum return_reason reason;
		enum case_outcome outcome;
		const char *rule;
		int64_t amount;
	} data[] = {
		/* 0*/ {false, 0, 10000, 1, COND_UNOPENED, REASON_CHANGED_MIND, OUTCOME_STAFF, "return.no_receipt.no_id", 0},
		/* 1*/ {true, 0, 100000, 1, COND_UNOPENED, REASON_CHANGED_MIND, OUTCOME_STORE_CREDIT, "return.no_receipt.credit", 100000},
		/* 2*/ {true, 0, 100001, 1, COND_UNOPENED, REASON_CHANGED_MIND, OUTCOME_STAFF, "return.no_receipt.over_limit", 0},
		/* 3*/ {true, 99999, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND, OUTCOME_STORE_CREDIT, "return.no_receipt.credit", 1},
		/* 4*/ {true, 99999, 2, 1, COND_UNOPENED, REASON_CHANGED_MIND, OUTCOME_STAFF, "return.no_receipt.over_limit", 0},
		/* 5*/ {true, 0, 50000, 2, COND_UNOPENED, REASON_WRONG_ITEM, OUTCOME_STORE_CREDIT, "return.no_receipt.credit", 100000},
		/* 6*/ {true, 100000, 1, 1, COND_UNOPENED, REASON_CHANGED_MIND, OUTCOME_STAFF, "return.no_receipt.over_limit", 0},
		/* 7*/ {true, 0, 100, 1, COND_USED, REASON_CHANGED_MIND, OUTCOME_STAFF, "return.no_receipt.not_unopened", 0},
		/* 8*/ {true, 0, 100, 1, COND_UNOPENED, REASON_FAULTY, OUTCOME_STAFF, "return.no_receipt.not_unopened", 0},
		/* 9*/ {true, 0, 100, 1, COND_FAULTY, REASON_OTHER, OUTCOME_STAFF, "return.no_receipt.not_unopened", 0},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct policy_line l = {0, "electronics", data[i].price, data[i].quantity, 0,
					data[i].cond, data[i].reason};
		/* No receipt: no purchase day, and quantity left is not asked. */
		struct return_request req = {false, 0, day(2026, 11, 23), data[i].has_id,
					     data[i].credit_used, 1, &l, false};
		struct decision d;
		struct kiosk_why why = {""};
		KT_INTEQ(policy_decide_return(&demo, &req, en, &d, &why), 0, i);
		KT_INTEQ(d.outcome, data[i].outcome, i);
		KT_STREQ(d.rule, data[i].rule, i);
		KT_INTEQ(d.amount, data[i].amount, i);
		check_details_json(d.details, i);
	}
	/* Earlier credit comes from the database: nonsense is refused. */
	struct policy_line l = {0, "electronics", 100, 1, 0, COND_UNOPENED, REASON_CHANGED_MIND};
	struct return_request req = {false, 0, day(2026, 11, 23), true, -1, 1, &l, false};
	struct decision d;
	struct kiosk_why why = {""};
	KT_INTEQ(policy_decide_return(&demo, &req, en, &d, &why), KIOSK_EINVAL, 100);
	KT_STREQ(why.text, "the earlier store credit is out of range", 100);
}

static void test_fault_boundaries(void)
{
	if (setup())
		return;
	static const struct item {
		int64_t bought, today;
		bool has_receipt;
		int ret;
		enum case_outcome outcome;
		const char *rule;
		const char *why;
	} data[] = {
		/* 0*/ {20527 /* 2026-03-15 */, 20527, true, 0, OUTCOME_REPAIR, "fault.presumed", ""},
		/* 1*/ {19797 /* 2024-03-15 */, 20526 /* 2026-03-14 */, true, 0, OUTCOME_REPAIR, "fault.presumed", ""},
		/* 2*/ {19797, 20527 /* 2026-03-15, 2 years */, true, 0, OUTCOME_REPAIR, "fault.presumed", ""},
		/* 3*/ {19797, 20528 /* 2026-03-16 */, true, 0, OUTCOME_REPAIR, "fault.responsible", ""},
		/* 4*/ {19797, 20891 /* 2027-03-14 */, true, 0, OUTCOME_REPAIR, "fault.responsible", ""},
		/* 5*/ {19797, 20892 /* 2027-03-15, 3 years */, true, 0, OUTCOME_REPAIR, "fault.responsible", ""},
		/* 6*/ {19797, 20893 /* 2027-03-16 */, true, 0, OUTCOME_STAFF, "fault.outside", ""},
		/* 7*/ {19782 /* 2024-02-29 */, 20513 /* 2026-03-01 */, true, 0, OUTCOME_REPAIR, "fault.presumed", ""},
		/* 8*/ {19782, 20514 /* 2026-03-02 */, true, 0, OUTCOME_REPAIR, "fault.responsible", ""},
		/* 9*/ {0, 20527, false, 0, OUTCOME_STAFF, "fault.no_receipt", ""},
		/*10*/ {20528, 20527, true, KIOSK_EINVAL, 0, "", "the purchase date 2026-03-16 is after today, 2026-03-15"},
	};
	/* The day numbers above are spelled out; check them once. */
	KT_INTEQ(day(2024, 3, 15), 19797, 100);
	KT_INTEQ(day(2026, 3, 15), 20527, 101);
	KT_INTEQ(day(2027, 3, 15), 20892, 102);
	KT_INTEQ(day(2024, 2, 29), 19782, 103);
	KT_INTEQ(day(2026, 3, 1), 20513, 104);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct fault_request req = {data[i].has_receipt, data[i].bought, data[i].today};
		struct decision d = {.rule = "untouched"};
		struct kiosk_why why = {""};
		int ret = policy_decide_fault(&demo, &req, sv, &d, &why);
		KT_INTEQ(ret, data[i].ret, i);
		if (ret) {
			KT_STREQ(why.text, data[i].why, i);
			KT_STREQ(d.rule, "untouched", i);
			continue;
		}
		KT_INTEQ(d.outcome, data[i].outcome, i);
		KT_STREQ(d.rule, data[i].rule, i);
		KT_INTEQ(d.promised_day - data[i].today, d.outcome == OUTCOME_REPAIR ? 14 : 1, i);
		check_details_json(d.details, i);
	}
}

/* The exact words a customer reads, in both languages. */
static void test_sentences(void)
{
	if (setup())
		return;
	static const struct item {
		int kind; /* 0 return with receipt, 1 no receipt, 2 fault */
		const char *lang;
		int64_t today;
		int64_t price, credit_used;
		enum item_condition cond;
		const char *explanation, *next_step;
	} data[] = {
		/* 0*/ {0, "en", 20374 /* 2025-10-13 */, 49900, 0, COND_UNOPENED,
			"You bought this on 2025-10-01, and unopened items can be returned until 2025-10-31, so you get your money back.",
			"Leave the item and the kiosk's receipt at the counter, and SEK 499 is back on your original payment by 2025-10-18."},
		/* 1*/ {0, "sv", 20374, 49900, 0, COND_UNOPENED,
			"Du köpte varan 2025-10-01, och oöppnade varor kan lämnas tillbaka till och med 2025-10-31, så du får pengarna tillbaka.",
			"Lämna varan och kvittot från kiosken i kassan, så är 499 kr tillbaka på ditt ursprungliga betalsätt senast 2025-10-18."},
		/* 2*/ {0, "en", 20393 /* 2025-11-01 */, 49900, 0, COND_USED,
			"You bought this on 2025-10-01 and the return period ended on 2025-10-31, so our staff will look at what we can do for you.",
			"Show the receipt from the kiosk at the counter and a member of staff will help you, or we will get back to you by 2025-11-02."},
		/* 3*/ {0, "sv", 20374, 12345, 0, COND_USED,
			"Du köpte varan 2025-10-01, och använda varor kan lämnas tillbaka till och med 2025-10-31 mot tillgodo i butiken.",
			"Visa kvittot från kiosken i kassan så får du 123,45 kr i tillgodo i dag."},
		/* 4*/ {1, "en", 20374, 30000, 80000, COND_UNOPENED,
			/* what is left is never said: the screen faces the shop (issue 12 point 8) */
			"Without a receipt we give up to SEK 1,000 in store credit per person in 12 months, and this return is more than what is left, so our staff will help you with it.",
			"Show the receipt from the kiosk at the counter and a member of staff will help you, or we will get back to you by 2025-10-14."},
		/* 5*/ {1, "sv", 20374, 20000, 80000, COND_UNOPENED,
			"Utan kvitto ger vi upp till 1\u00a0000 kr i tillgodo per person på 12 månader, och den här returen ryms inom det.",
			"Visa kvittot från kiosken i kassan så får du 200 kr i tillgodo i dag."},
		/* 6*/ {2, "en", 20374, 0, 0, COND_FAULTY,
			"The store answers for the fault: you bought this on 2025-10-01, less than 2 years ago, and then the law counts the fault as there from the day you bought it.",
			"Leave the product at the counter, and we will assess it by 2025-10-27 and tell you what happens next."},
		/* 7*/ {2, "sv", 21204 /* 2028-01-21 */, 0, 0, COND_FAULTY,
			"Du köpte varan 2025-10-01, för mer än 2 år sedan. Vi tittar på varan, och om felet fanns redan när du köpte den tar butiken ansvar för det.",
			"Lämna varan i kassan, så bedömer vi den senast 2028-02-04 och berättar vad som händer sedan."},
		/* 8*/ {2, "en", 21204 + 366, 0, 0, COND_FAULTY,
			"You bought this on 2025-10-01, more than 3 years ago, so our staff will look at what we can still do for you.",
			"Show the receipt from the kiosk at the counter and a member of staff will help you, or we will get back to you by 2029-01-22."},
	};
	const int64_t bought = day(2025, 10, 1);
	KT_INTEQ(bought + 12, 20374, 100);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		const struct i18n *t = !strcmp(data[i].lang, "sv") ? sv : en;
		struct policy_line l = {data[i].kind ? 0 : 1, "electronics", data[i].price, 1, 1,
					data[i].cond, REASON_CHANGED_MIND};
		struct decision d = {0};
		struct kiosk_why why = {""};
		int ret;
		if (data[i].kind == 2) {
			struct fault_request f = {true, bought, data[i].today};
			ret = policy_decide_fault(&demo, &f, t, &d, &why);
		} else {
			struct return_request r = {data[i].kind == 0, bought, data[i].today, true,
						   data[i].credit_used, 1, &l, false};
			ret = policy_decide_return(&demo, &r, t, &d, &why);
		}
		KT_INTEQ(ret, 0, i);
		KT_STREQ(d.explanation, data[i].explanation, i);
		KT_STREQ(d.next_step, data[i].next_step, i);
	}
}

/* Both languages have the same policy keys, and every rule and outcome the
 * code can produce has a sentence in each. */
static void test_language_keys(void)
{
	if (setup())
		return;
	static const char *const fixed[] = {
		"policy.return.outside_window", "policy.return.several", "policy.return.mixed",
		"policy.return.no_receipt.no_id", "policy.return.no_receipt.not_unopened",
		"policy.return.no_receipt.over_limit", "policy.return.no_receipt.credit",
		"policy.fault.presumed", "policy.fault.responsible", "policy.fault.outside",
		"policy.fault.no_receipt", "money.format", "money.currency_SEK",
	};
	static const char *const routes[] = {"unopened", "used", "faulty"};
	static const enum case_outcome configurable[] = {OUTCOME_REFUND, OUTCOME_STORE_CREDIT,
							 OUTCOME_EXCHANGE, OUTCOME_STAFF};
	const struct i18n *langs[2] = {sv, en};
	char key[96];
	int row = 0;
	for (int a = 0; a < 2; a++) {
		const struct i18n *x = langs[a], *y = langs[1 - a];
		for (size_t k = 0; k < i18n_count(x); k++) {
			const char *name = i18n_key_at(x, k);
			if (strncmp(name, "policy", 6))
				continue;
			KT_CHECK(strcmp(i18n_get(y, name), name) != 0, "i:%d %s has %s, %s does not",
				 row, i18n_lang(x), name, i18n_lang(y));
			row++;
		}
		for (size_t k = 0; k < KT_ARRAY_SIZE(fixed); k++, row++)
			KT_CHECK(strcmp(i18n_get(x, fixed[k]), fixed[k]) != 0, "i:%d %s lacks %s", row,
				 i18n_lang(x), fixed[k]);
		for (size_t r = 0; r < KT_ARRAY_SIZE(routes); r++)
			for (size_t o = 0; o < KT_ARRAY_SIZE(configurable); o++, row++) {
				snprintf(key, sizeof key, "policy.return.%s.%s", routes[r],
					 case_outcome_name(configurable[o]));
				KT_CHECK(strcmp(i18n_get(x, key), key) != 0, "i:%d %s lacks %s", row,
					 i18n_lang(x), key);
			}
		for (int o = 0; o < OUTCOME_COUNT; o++, row++) {
			snprintf(key, sizeof key, "policy_next.%s", case_outcome_name(o));
			KT_CHECK(strcmp(i18n_get(x, key), key) != 0, "i:%d %s lacks %s", row,
				 i18n_lang(x), key);
		}
	}
}

static void test_dates(void)
{
	if (setup())
		return;
	static const struct item {
		int64_t in; /* day */
		int months; /* period for policy_credit_since */
		int years;  /* for policy_add_years */
		const char *since, *plus_years;
	} data[] = {
		/* 0*/ {20415 /* 2025-11-23 */, 12, 12, "2024-11-24", "2037-11-23"},
		/* 1*/ {20543 /* 2026-03-31 */, 1, 1, "2026-03-01", "2027-03-31"},
		/* 2*/ {19782 /* 2024-02-29 */, 12, 2, "2023-03-01", "2026-03-01"},
		/* 3*/ {19782, 48, 4, "2020-03-01", "2028-02-29"},
		/* 4*/ {20543, 13, 0, "2025-03-01", "2026-03-31"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct policy p = demo;
		char a[16], b[16];
		p.no_receipt_period_months = data[i].months;
		date_format(policy_credit_since(&p, data[i].in), a, sizeof a);
		date_format(policy_add_years(data[i].in, data[i].years), b, sizeof b);
		KT_STREQ(a, data[i].since, i);
		KT_STREQ(b, data[i].plus_years, i);
	}
}

KT_MAIN(KT_FUNC(test_load_demo), KT_FUNC(test_load_refused), KT_FUNC(test_return_boundaries),
	KT_FUNC(test_return_details), KT_FUNC(test_return_several), KT_FUNC(test_no_receipt),
	KT_FUNC(test_fault_boundaries), KT_FUNC(test_sentences), KT_FUNC(test_language_keys),
	KT_FUNC(test_dates))
