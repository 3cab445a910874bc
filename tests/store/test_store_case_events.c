/* A case's timeline: every change is an event (and an audit row), a change
 * to an unknown case or without a reason changes nothing; and the report
 * and the list read every case with its own timeline in batches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "store/store.h"
#include "store_fixture.h"

/* Every change is a timeline event (and an audit row); a change to an
 * unknown case or without a reason changes nothing. */
/* What store_report_each hands over: each event with its case (at most 16) */
struct timelines_seen {
	char case_id[16][CASE_ID_MAX];
	char event[16][32];
	int n;
};

static int timeline_seen(void *arg, const struct case_record *c, const struct case_event *ev,
			 int n_ev)
{
	struct timelines_seen *s = arg;
	for (int i = 0; i < n_ev; i++, s->n++)
		if (s->n < 16) {
			snprintf(s->case_id[s->n], sizeof s->case_id[0], "%s", c->case_id);
			snprintf(s->event[s->n], sizeof s->event[0], "%s", ev[i].event);
		}
	return 0;
}

static void test_events(void)
{
	static const struct item {
		const char *actor;
		const char *event;
		const char *text;
	} want[] = {
		/* 0*/ {"kiosk", "registered", "Return registered: refund (return.within_window)"},
		/* 1*/ {"staff:S001", "state", "approved: checked the box"},
		/* 2*/ {"staff:S001", "note", "customer called"},
		/* 3*/ {"staff:S001", "promise", "Repair assessment (by 2026-12-07)"},
		/* 4*/ {"staff:S002", "override", "store_credit (staff.goodwill): box was damaged"},
		/* 5*/ {"printer", "printed", "case receipt printed"},
		/* 6*/ {"printer", "print_failed", "out of paper"},
		/* 7*/ {"staff:S001", "state", "closed"},
	};
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	struct case_line l;
	struct case_record c = make_case(CASE_RETURN, NULL, 0, 1, OUTCOME_REFUND, &l);
	KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW), NULL, &why), 0, -1);
	const char *id = c.case_id;
	int64_t today = T_DAY(T_NOW);
	struct decision d = {.outcome = OUTCOME_STORE_CREDIT, .amount = 5000};
	snprintf(d.rule, sizeof d.rule, "staff.goodwill");

	KT_INTEQ(store_case_set_state(f.s, id, CASE_APPROVED, at(T_NOW + 10), "staff:S001",
				      "checked the box", &why), 0, 1);
	KT_INTEQ(store_case_add_event(f.s, id, at(T_NOW + 20), "staff:S001", "note",
				      "customer called", &why), 0, 2);
	KT_INTEQ(store_case_set_promise(f.s, id, "Repair assessment", today + 14, at(T_NOW + 30),
					"staff:S001", &why), 0, 3);
	KT_INTEQ(store_case_set_decision(f.s, id, &d, at(T_NOW + 40), "staff:S002", "", &why),
		 KIOSK_EINVAL, 4);
	KT_STREQ(why.text, "Overriding a decision needs a reason.", 4);
	KT_INTEQ(store_case_set_decision(f.s, id, &d, at(T_NOW + 40), "staff:S002",
					 "box was damaged", &why), 0, 4);
	KT_INTEQ(store_case_set_printed(f.s, id, true, at(T_NOW + 50), NULL, &why), 0, 5);
	KT_INTEQ(store_case_set_printed(f.s, id, false, at(T_NOW + 60), "out of paper", &why), 0, 6);
	KT_INTEQ(store_case_set_state(f.s, id, CASE_CLOSED, at(T_NOW + 70), "staff:S001", NULL,
				      &why), 0, 7);
	/* unknown case: refused, nothing written */
	KT_INTEQ(store_case_set_state(f.s, "K-999999", CASE_CLOSED, at(T_NOW), "x", NULL, &why),
		 KIOSK_ENOTFOUND, 8);
	KT_STREQ(why.text, "Case K-999999 does not exist.", 8);
	KT_INTEQ(store_case_add_event(f.s, "K-999999", at(T_NOW), "x", "note", "x", &why),
		 KIOSK_ENOTFOUND, 8);
	KT_INTEQ(store_case_set_state(f.s, id, (enum case_state)42, at(T_NOW), "x", NULL, &why),
		 KIOSK_EINVAL, 8);
	KT_INTEQ(store_case_add_event(f.s, id, at(T_NOW), "x", "", "x", &why), KIOSK_EINVAL, 8);

	struct case_event *ev = NULL;
	int n = 0;
	KT_INTEQ(store_case_events(f.s, id, &ev, &n, &why), 0, -1);
	KT_INTEQ(n, (int)KT_ARRAY_SIZE(want), -1);
	for (int i = 0; i < n && i < (int)KT_ARRAY_SIZE(want); i++) {
		KT_STREQ(ev[i].actor, want[i].actor, i);
		KT_STREQ(ev[i].event, want[i].event, i);
		KT_STREQ(ev[i].text, want[i].text, i);
		KT_INTEQ(ev[i].at.unix_s, T_NOW + 10 * i, i);
	}
	free(ev);
	KT_INTEQ(store_case_events(f.s, "K-999999", &ev, &n, &why), KIOSK_ENOTFOUND, -1);

	struct case_record got;
	KT_INTEQ(store_case_get(f.s, id, today + 30, &got, &why), 0, -1);
	KT_INTEQ(got.state, CASE_CLOSED, -1);
	KT_INTEQ(got.decision.outcome, OUTCOME_STORE_CREDIT, -1);
	KT_STREQ(got.decision.rule, "staff.goodwill", -1);
	KT_INTEQ(got.decision.amount, 5000, -1);
	KT_INTEQ(got.receipt_printed, 0, -1);
	KT_INTEQ(got.overdue, 0, -1); /* promised day passed, but closed */
	KT_INTEQ(got.updated_at.unix_s, T_NOW + 70, -1);
	case_record_free(&got);

	/* the report's reader sees the same timeline, with the case number */
	struct case_line l2;
	struct case_record other = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l2);
	KT_INTEQ(store_case_create(f.s, &other, "0123456789abcdef", at(T_NOW + 80), "kiosk", &why),
		 0, -1);
	struct timelines_seen seen = {0};
	KT_INTEQ(store_report_each(f.s, T_DAY(T_NOW), timeline_seen, NULL, &seen, &why), 0, -1);
	KT_INTEQ(seen.n, (int)KT_ARRAY_SIZE(want) + 1, -1);
	for (int i = 0; i < seen.n && i < 16; i++) {
		bool first = i < (int)KT_ARRAY_SIZE(want);
		KT_STREQ(seen.case_id[i], first ? "K-000001" : "K-000002", i);
		KT_STREQ(seen.event[i], first ? want[i].event : "registered", i);
	}

	struct raw *db = raw_open(&f);
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'case.%'"),
		 (long long)KT_ARRAY_SIZE(want) + 1, -1);
	KT_INTEQ(raw_int(db, "SELECT closed_s FROM cases WHERE id = 'K-000001'"), T_NOW + 70, -1);
	raw_close(db);
	fixture_close(&f);
}

/* What the report reads for a case: the case and its timeline in order. */
struct report_walk {
	int n_cases, n_events, bad;
};

static int walk_case(void *arg, const struct case_record *c, const struct case_event *ev,
		     int n_ev)
{
	struct report_walk *w = arg;
	char want[16];
	snprintf(want, sizeof want, "K-%06d", ++w->n_cases);
	w->n_events += n_ev;
	/* each case: registered, then its note naming it */
	if (strcmp(c->case_id, want) || n_ev != 2 || strcmp(ev[0].event, "registered") ||
	    strcmp(ev[1].event, "note") || strcmp(ev[1].text, want))
		w->bad++;
	return 0;
}

/* The report and the list read in batches (cursors on PostgreSQL, the
 * next batch asked for while the caller reads one): more cases and events
 * than a batch, two cursors side by side, every case once, in order, with
 * its own timeline. */
static void test_read_in_batches(void)
{
	enum { N = 700 };
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	for (int i = 0; i < N; i++) {
		struct case_line l;
		struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l);
		if (store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW + i), "kiosk", &why) ||
		    store_case_add_event(f.s, c.case_id, at(T_NOW + i), "staff:S001", "note",
					 c.case_id, &why)) {
			KT_CHECK(false, "case %d: %s", i, why.text);
			break;
		}
	}
	struct report_walk w = {0};
	KT_INTEQ(store_report_each(f.s, T_DAY(T_NOW), walk_case, NULL, &w, &why), 0, -1);
	KT_INTEQ(w.n_cases, N, -1);
	KT_INTEQ(w.n_events, 2 * N, -1);
	KT_INTEQ(w.bad, 0, -1);
	struct case_filter all = {0};
	struct case_record *list = NULL;
	int n = 0;
	KT_INTEQ(store_case_list(f.s, &all, &list, &n, &why), 0, -1);
	KT_INTEQ(n, N, -1);
	for (int i = 0; i < n; i++)
		case_record_free(&list[i]);
	free(list);
	fixture_close(&f);
}

KT_MAIN(KT_FUNC(test_events), KT_FUNC(test_read_in_batches))
