/* The service report: figures that say how the store treats its customers,
 * computed from cases, their timelines and talk-to-a-person calls passed
 * in (pure: no database, no clock; "now" is an argument).
 *
 * Definitions (the README repeats them):
 * - resolved: the customer has the store's final answer. A case is
 *   resolved at the FIRST of
 *     (a) its registration, when the "registered" event says the policy
 *         decided refund, store_credit, exchange or refused (no person
 *         needed); the resolver is the registering actor;
 *     (b) a "state" event into approved, refused, ready_for_pickup or
 *         closed, except "approved" of a fault (accepted for repair is not
 *         an answer); the resolver is that event's actor.
 * - resolved at the kiosk without staff: resolved, the resolver is not a
 *   staff member ("staff:..."), and no staff event precedes the
 *   resolution. The share is over ALL cases in the period.
 * - time to resolution: resolution instant - created_at, in seconds, for
 *   resolved cases.
 * - percentiles are nearest-rank: with n values sorted ascending, the P-th
 *   percentile is the value at 1-based rank ceil(P * n / 100) (rank 1 when
 *   that is 0). The median is P50, i.e. the lower middle value when n is
 *   even. No values: reported as absent.
 * - promise: a case with a promised day (decision.promised_day > 0). It is
 *   due when resolved or when the promised day has passed (today > day).
 *   Met: resolved on or before the promised day (local date of the
 *   resolution). The share is met / due.
 * - overdue now: promised day passed (today > day) and not closed: the
 *   same rule as the counter's case list and `kiosk case list --overdue`.
 * - override rate: cases with at least one "override" event / all cases;
 *   reasons are the text after "): " in the override event, grouped by
 *   exact text, most frequent first.
 * - call wait: answered_at - created_at for answered calls, now -
 *   created_at for calls still open (they are still waiting). Median
 *   (nearest-rank P50) and worst.
 * - repeat visits: "viewed" timeline events (a customer opened "follow my
 *   case" at the kiosk); per case = views / cases.
 * - period: cases (and calls) whose local creation day is in
 *   [from_day, to_day]; 0 means open-ended. */
#ifndef KIOSK_DOMAIN_REPORT_H
#define KIOSK_DOMAIN_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "domain/model.h"

struct report_input {
	const struct case_record *cases;  /* lines not needed */
	int n_cases;
	const struct case_event_ref *events; /* any order; each case's in timeline order */
	int n_events;
	const struct staff_call *calls;
	int n_calls;
	struct kiosk_time now;
	int64_t from_day, to_day;         /* 0: open-ended */
};

struct report_reason {
	char text[512];           /* as long as an event's text: grouped exactly */
	int count;
};

struct report_overdue {
	char case_id[CASE_ID_MAX];
	enum case_kind kind;
	enum case_state state;
	int64_t promised_day;
	int days_late;                    /* today - promised_day */
};

/* An optional figure: has is false when there was nothing to measure. */
struct report_secs {
	bool has;
	int64_t secs;
};

struct report {
	int64_t today;
	int64_t from_day, to_day;
	int n_cases;
	int by_kind[2];
	int by_kind_outcome[2][OUTCOME_COUNT];
	int by_state[CASE_STATE_COUNT];

	int n_resolved;
	int n_resolved_kiosk;
	struct report_secs resolve_median, resolve_p90;

	int promise_due;
	int promise_met;

	int n_overdue;
	struct report_overdue *overdue;   /* owned; most days late first */

	int n_overridden;
	int n_reasons;
	struct report_reason *reasons;    /* owned */

	int n_calls, n_calls_answered, n_calls_open;
	struct report_secs call_wait_median, call_wait_worst;

	int n_views;                      /* "viewed" events */
	int n_cases_viewed;               /* cases with at least one */
};

/* Compute the figures. out is owned by the caller: report_free. */
int report_compute(const struct report_input *in, struct report *out, struct kiosk_why *why);
void report_free(struct report *r);

/* The same figures fed one case (with its whole timeline) and one call at a
 * time, so a report over a million cases holds only what it reports (the
 * resolution times and call waits for the percentiles, overdue cases and
 * override reasons), never the cases. init, any number of case/call, then
 * finish (which hands the report to out) or, after a failure, free. */
struct report_builder {
	struct report r;
	struct kiosk_time now;
	int64_t *times, *waits;
	int n_times, cap_times, cap_waits, cap_reasons, cap_overdue;
};
int report_builder_init(struct report_builder *b, struct kiosk_time now, int64_t from_day,
			int64_t to_day, struct kiosk_why *why);
int report_builder_case(struct report_builder *b, const struct case_record *c,
			const struct case_event *ev, int n_ev, struct kiosk_why *why);
int report_builder_call(struct report_builder *b, const struct staff_call *c,
			struct kiosk_why *why);
void report_builder_finish(struct report_builder *b, struct report *out);
void report_builder_free(struct report_builder *b);

/* Nearest-rank percentile (see above) of sorted[0..n); n > 0, 0 <= p <= 100. */
int64_t report_percentile(const int64_t *sorted, int n, int p);

/* The outcome named in a "registered" event text ("Return registered:
 * refund (rule)"); -1 when the text names none. */
int report_registered_outcome(const char *text, enum case_outcome *out);

/* Share as a fraction 0..1 (0 when the denominator is 0). */
double report_share(int num, int den);

#endif
