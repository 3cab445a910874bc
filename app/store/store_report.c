/* Reads for the service report: every case (what a report counts of it)
 * with its whole timeline, then every talk-to-a-person call, handed over
 * one at a time (the figures are computed in domain/report.c as they
 * come). Two cursors walk cases and timeline events in case order side by
 * side, so a report over a million cases holds one case and its timeline
 * at a time, and runs two queries, not one per case. */
#include <stdlib.h>
#include <string.h>

#include "core/wipe.h"
#include "store/store.h"
#include "store/store_private.h"

/* The events of the case at seq: those at the events cursor, which is
 * moved past them (and past any of cases that come before). */
static int events_of(struct store *s, struct db_stmt *ev, int *ev_rc, int64_t seq,
		     struct case_event **buf, int *cap, int *n, struct kiosk_why *why)
{
	*n = 0;
	while (*ev_rc == DB_ROW && db_col_int64(ev, 0) <= seq) {
		if (db_col_int64(ev, 0) == seq) {
			if (!store_grow((void **)buf, *n, cap, sizeof **buf))
				return kiosk_fail(why, KIOSK_ENOMEM,
						  "Out of memory reading a timeline.");
			struct case_event *e = &(*buf)[(*n)++];
			memset(e, 0, sizeof *e);
			e->at.unix_s = db_col_int64(ev, 1);
			e->at.offset_min = db_col_int(ev, 2);
			store_col_text(ev, 3, e->actor, sizeof e->actor);
			store_col_text(ev, 4, e->event, sizeof e->event);
			store_col_text(ev, 5, e->text, sizeof e->text);
		}
		*ev_rc = db_step(ev);
	}
	if (*ev_rc != DB_ROW && *ev_rc != DB_DONE)
		return store_sql_fail(s, "read the timelines", why);
	return 0;
}

int store_report_each(struct store *s, int64_t today,
		      int (*on_case)(void *arg, const struct case_record *c,
				     const struct case_event *ev, int n_ev),
		      int (*on_call)(void *arg, const struct staff_call *c), void *arg,
		      struct kiosk_why *why)
{
	/* what a report counts of a case (domain/report.c), not the customer's
	 * words, contact or decision texts: most of a row's bytes, and nothing
	 * a report needs to hold */
	static const char sql_cases[] = "SELECT id, kind, state, created_s, created_off, outcome,"
					" due_day, seq FROM cases ORDER BY seq";
	static const char sql_events[] = "SELECT case_seq, at_s, at_off, actor, event, text"
					 " FROM case_events ORDER BY case_seq, id";
	struct db_stmt *cs = store_stmt(s, sql_cases, why);
	struct db_stmt *ev = cs ? store_stmt(s, sql_events, why) : NULL;
	if (!ev)
		return KIOSK_EIO;
	/* both a few rows at a time, side by side, from one snapshot */
	db_stream(cs);
	db_stream(ev);
	struct case_event *buf = NULL;
	struct case_record c;
	memset(&c, 0, sizeof c); /* the fields not read stay empty */
	int cap = 0, n = 0, rc = 0, cs_rc, ev_rc = db_step(ev);
	while (!rc && (cs_rc = db_step(cs)) == DB_ROW) {
		/* an unknown name reads as the first, as in store_case_row */
		c.kind = 0;
		c.state = 0;
		c.decision.outcome = 0;
		store_col_text(cs, 0, c.case_id, sizeof c.case_id);
		case_kind_parse(db_col_text(cs, 1), &c.kind);
		case_state_parse(db_col_text(cs, 2), &c.state);
		c.created_at.unix_s = db_col_int64(cs, 3);
		c.created_at.offset_min = db_col_int(cs, 4);
		case_outcome_parse(db_col_text(cs, 5), &c.decision.outcome);
		c.due_day = db_col_int64(cs, 6);
		c.overdue = store_case_overdue(&c, today);
		if (!(rc = events_of(s, ev, &ev_rc, db_col_int64(cs, 7), &buf, &cap, &n, why)))
			rc = on_case(arg, &c, buf, n);
	}
	if (!rc && cs_rc != DB_DONE)
		rc = store_sql_fail(s, "read the cases", why);
	db_reset(cs);
	db_reset(ev);
	mem_wipe(&c, sizeof c);
	mem_wipe_free(buf);
	return rc || !on_call ? rc : store_call_each(s, on_call, arg, why);
}
