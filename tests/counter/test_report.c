/* The service report's figures (issue 7): the percentile definition, the
 * reading of timeline texts, and every figure of a hand-made history
 * (report_history.h) read back through the real store.
 *
 * With COUNTER_REPORT_DB=PATH set, the history is built into PATH and kept
 * (for test_report_cli.py) instead of a temporary file. */
#include <stdlib.h>
#include <unistd.h>

#include "ktest.h"
#include "domain/report.h"
#include "report_history.h"
#include "services/id_hash.h"
#include "services/report_data.h"

/* For the counter's UI test (COUNTER_ID_CASE set): one more case, returned
 * with the ICAO TD1 specimen ID document (issuer UTO, D23145890), stored
 * by its keyed hash only, as the kiosk does. */
static void add_id_case(struct store *s, const char *db_path)
{
	struct kiosk_config cfg;
	struct kiosk_why why = {{0}};
	struct id_hasher *h = NULL;
	char key[300], hash[ID_HASH_HEX];
	memset(&cfg, 0, sizeof cfg);
	int rc = id_hash_key_path(&cfg, db_path, key, sizeof key, &why);
	if (!rc)
		rc = id_hash_open(&h, key, &why);
	if (!rc)
		rc = id_hash_compute(h, "UTO", "D23145890", hash, &why);
	id_hash_close(h);
	struct case_line line = {0, "SKU2", "Hörlurar", 1, 49900, "electronics",
				 REASON_CHANGED_MIND, COND_UNOPENED};
	struct case_record c;
	memset(&c, 0, sizeof c);
	c.kind = CASE_RETURN;
	c.state = CASE_WAITING_STAFF;
	snprintf(c.store, sizeof c.store, "0042");
	snprintf(c.lang, sizeof c.lang, "sv");
	c.decision.outcome = OUTCOME_STAFF;
	snprintf(c.id_hash, sizeof c.id_hash, "%s", hash);
	c.n_lines = 1;
	c.lines = &line;
	if (!rc)
		rc = store_case_create(s, &c, "00112233445566ff", hist_h(-1), "kiosk", &why);
	KT_CHECK(rc == 0, "the ID case: %s", why.text);
}

static void test_percentile(void)
{
	static const struct item {
		int64_t v[10];
		int n;
		int p;
		int64_t want;
	} data[] = {
		/*  0*/ {{7}, 1, 50, 7},
		/*  1*/ {{7}, 1, 90, 7},
		/*  2*/ {{1, 2}, 2, 50, 1},              /* lower middle, not 1.5 */
		/*  3*/ {{1, 2}, 2, 51, 2},
		/*  4*/ {{1, 2, 3}, 3, 50, 2},
		/*  5*/ {{1, 2, 3, 4}, 4, 50, 2},
		/*  6*/ {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10, 90, 9}, /* rank exactly 9 */
		/*  7*/ {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10, 91, 10},
		/*  8*/ {{1, 2, 3, 4, 5, 6, 7, 8, 9}, 9, 90, 9},        /* ceil(8.1) = 9 */
		/*  9*/ {{1, 2, 3, 4, 5}, 5, 0, 1},                     /* rank 0 -> 1 */
		/* 10*/ {{1, 2, 3, 4, 5}, 5, 100, 5},
		/* 11*/ {{0, 0, 0, 0, 7200, 10800, 86400, 90000}, 8, 50, 0},
		/* 12*/ {{0, 0, 0, 0, 7200, 10800, 86400, 90000}, 8, 90, 90000},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(report_percentile(data[i].v, data[i].n, data[i].p), data[i].want, i);
	}
}

static void test_registered_outcome(void)
{
	static const struct item {
		const char *text;
		int rc;
		enum case_outcome want;
	} data[] = {
		/* 0*/ {"Return registered: refund (return.within_window)", 0, OUTCOME_REFUND},
		/* 1*/ {"Fault report registered: repair (fault.warranty)", 0, OUTCOME_REPAIR},
		/* 2*/ {"Return registered: store_credit (no rule)", 0, OUTCOME_STORE_CREDIT},
		/* 3*/ {"Return registered: staff", 0, OUTCOME_STAFF},
		/* 4*/ {"Return registered: money (x)", -1, 0},
		/* 5*/ {"something else", -1, 0},
		/* 6*/ {"Return registered: ", -1, 0},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		enum case_outcome o = OUTCOME_COUNT;
		KT_INTEQ(report_registered_outcome(data[i].text, &o), data[i].rc, i);
		if (data[i].rc == 0)
			KT_INTEQ(o, data[i].want, i);
	}
}

static void check_history(const struct report *r)
{
	const int64_t today = hist_today();
	char iso[32];
	time_format_iso(hist_h(0), iso, sizeof iso);
	KT_STREQ(iso, "2026-11-23T10:00:00+01:00", 0); /* the same now as KIOSK_NOW */
	KT_INTEQ(r->today, today, 0);
	KT_INTEQ(r->n_cases, 9, 0);
	KT_INTEQ(r->by_kind[CASE_RETURN], 6, 0);
	KT_INTEQ(r->by_kind[CASE_FAULT], 3, 0);
	static const struct item {
		enum case_kind k;
		enum case_outcome o;
		int want;
	} kinds[] = {
		/* 0*/ {CASE_RETURN, OUTCOME_REFUND, 3},
		/* 1*/ {CASE_RETURN, OUTCOME_STORE_CREDIT, 1},
		/* 2*/ {CASE_RETURN, OUTCOME_EXCHANGE, 1},
		/* 3*/ {CASE_RETURN, OUTCOME_STAFF, 1},
		/* 4*/ {CASE_RETURN, OUTCOME_REPAIR, 0},
		/* 5*/ {CASE_FAULT, OUTCOME_REPAIR, 1},
		/* 6*/ {CASE_FAULT, OUTCOME_REPLACE, 2},
		/* 7*/ {CASE_FAULT, OUTCOME_REFUND, 0},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(kinds); i++)
		KT_INTEQ(r->by_kind_outcome[kinds[i].k][kinds[i].o], kinds[i].want, i);
	static const int states[CASE_STATE_COUNT] = {
		[CASE_REGISTERED] = 3, [CASE_APPROVED] = 2, [CASE_REFUSED] = 1,
		[CASE_AT_REPAIR] = 1, [CASE_READY_FOR_PICKUP] = 1, [CASE_CLOSED] = 1};
	for (int i = 0; i < CASE_STATE_COUNT; i++)
		KT_INTEQ(r->by_state[i], states[i], i);

	KT_INTEQ(r->n_resolved, 8, 0);
	KT_INTEQ(r->n_resolved_kiosk, 3, 0);
	KT_CHECK(r->resolve_median.has && r->resolve_p90.has, "resolution times present");
	KT_INTEQ(r->resolve_median.secs, 0, 0);
	KT_INTEQ(r->resolve_p90.secs, 90000, 0);

	KT_INTEQ(r->promise_due, 4, 0);
	KT_INTEQ(r->promise_met, 2, 0);
	KT_INTEQ(r->n_overdue, 2, 0);
	if (r->n_overdue == 2) {
		KT_STREQ(r->overdue[0].case_id, "K-000005", 0);
		KT_INTEQ(r->overdue[0].days_late, 3, 0);
		KT_INTEQ(r->overdue[0].state, CASE_AT_REPAIR, 0);
		KT_INTEQ(r->overdue[0].promised_day, today - 3, 0);
		KT_STREQ(r->overdue[1].case_id, "K-000007", 1);
		KT_INTEQ(r->overdue[1].days_late, 1, 1);
		KT_INTEQ(r->overdue[1].state, CASE_READY_FOR_PICKUP, 1);
	}

	KT_INTEQ(r->n_overridden, 3, 0);
	KT_INTEQ(r->n_reasons, 2, 0);
	if (r->n_reasons == 2) {
		KT_STREQ(r->reasons[0].text, "Regular customer, fault obvious", 0);
		KT_INTEQ(r->reasons[0].count, 2, 0);
		KT_STREQ(r->reasons[1].text, "Repair shop <confirmed> fault & cost", 1);
		KT_INTEQ(r->reasons[1].count, 1, 1);
	}

	KT_INTEQ(r->n_calls, 4, 0);
	KT_INTEQ(r->n_calls_answered, 3, 0);
	KT_INTEQ(r->n_calls_open, 1, 0);
	KT_INTEQ(r->call_wait_median.secs, 120, 0);
	KT_INTEQ(r->call_wait_worst.secs, 900, 0);

	KT_INTEQ(r->n_views, 4, 0);
	KT_INTEQ(r->n_cases_viewed, 3, 0);
}

static void test_history(void)
{
	struct kiosk_why why = {{0}};
	struct store *s = NULL;
	char dir[] = "/tmp/kiosk-counter-report-XXXXXX", path[300];
	const char *keep = getenv("COUNTER_REPORT_DB");
	if (keep) {
		snprintf(path, sizeof path, "%s", keep);
	} else {
		if (!mkdtemp(dir)) {
			KT_CHECK(0, "mkdtemp failed");
			return;
		}
		snprintf(path, sizeof path, "%s/kiosk.db", dir);
	}
	KT_CHECK(store_open(&s, path, &why) == 0, "open: %s", why.text);
	if (!s)
		return;
	KT_CHECK(hist_build(s, &why) == 0, "history: %s", why.text);

	struct report r;
	KT_CHECK(report_data_load(s, hist_h(0), 0, 0, &r, &why) == 0, "load: %s", why.text);
	check_history(&r);
	report_free(&r);

	/* a period: cases created from 2026-11-21 on are K-6..K-9 */
	KT_CHECK(report_data_load(s, hist_h(0), hist_today() - 2, hist_today(), &r, &why) == 0,
		 "load period: %s", why.text);
	KT_INTEQ(r.n_cases, 4, 0);
	KT_INTEQ(r.n_resolved_kiosk, 1, 0);
	KT_INTEQ(r.n_calls, 4, 0);
	report_free(&r);

	/* a period that ends before it starts is refused with a reason */
	KT_INTEQ(report_data_load(s, hist_h(0), hist_today(), hist_today() - 1, &r, &why),
		 KIOSK_EINVAL, 0);
	KT_STREQ(why.text, "The report period ends before it starts.", 0);
	if (keep && getenv("COUNTER_ID_CASE"))
		add_id_case(s, path);
	store_close(s);
	if (!keep)
		kt_db_remove(dir, path);
}

/* The same figures from inputs in a scrambled order: the computation must
 * not depend on events arriving grouped. */
static void test_any_order(void)
{
	struct case_record cases[2];
	memset(cases, 0, sizeof cases);
	snprintf(cases[0].case_id, CASE_ID_MAX, "K-000002");
	cases[0].kind = CASE_RETURN;
	cases[0].decision.outcome = OUTCOME_STAFF;
	cases[0].state = CASE_APPROVED;
	cases[0].created_at = hist_h(-10);
	snprintf(cases[1].case_id, CASE_ID_MAX, "K-000001");
	cases[1].kind = CASE_RETURN;
	cases[1].decision.outcome = OUTCOME_REFUND;
	cases[1].created_at = hist_h(-20);
	struct case_event_ref ev[4];
	memset(ev, 0, sizeof ev);
	static const struct {
		const char *id, *actor, *event, *text;
		double h;
	} rows[4] = {
		/* 0*/ {"K-000002", "kiosk", "registered", "Return registered: staff (x)", -10},
		/* 1*/ {"K-000001", "kiosk", "registered", "Return registered: refund (x)", -20},
		/* 2*/ {"K-000002", "staff:S001", "state", "approved: fine", -6},
		/* 3*/ {"K-000001", "kiosk", "viewed", "", -1},
	};
	for (int i = 0; i < 4; i++) {
		snprintf(ev[i].case_id, CASE_ID_MAX, "%s", rows[i].id);
		snprintf(ev[i].ev.actor, sizeof ev[i].ev.actor, "%s", rows[i].actor);
		snprintf(ev[i].ev.event, sizeof ev[i].ev.event, "%s", rows[i].event);
		snprintf(ev[i].ev.text, sizeof ev[i].ev.text, "%s", rows[i].text);
		ev[i].ev.at = hist_h(rows[i].h);
	}
	struct report_input in = {.cases = cases, .n_cases = 2, .events = ev, .n_events = 4,
				  .now = hist_h(0)};
	struct report r;
	struct kiosk_why why = {{0}};
	KT_CHECK(report_compute(&in, &r, &why) == 0, "compute: %s", why.text);
	KT_INTEQ(r.n_resolved, 2, 0);
	KT_INTEQ(r.n_resolved_kiosk, 1, 0);
	KT_INTEQ(r.resolve_median.secs, 0, 0);
	KT_INTEQ(r.resolve_p90.secs, 4 * 3600, 0);
	KT_INTEQ(r.n_views, 1, 0);
	KT_CHECK(!r.call_wait_median.has, "no calls: no wait figure");
	report_free(&r);
}

KT_MAIN(KT_FUNC(test_percentile), KT_FUNC(test_registered_outcome), KT_FUNC(test_history),
	KT_FUNC(test_any_order))
