/* The service report's figures (definitions in report.h). Pure: every
 * input is passed in. Events are matched to cases by sorting an index
 * array of both by case id, so the inputs may come in any order and the
 * work is O((cases + events) log). */
#include "domain/report.h"

#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int64_t report_percentile(const int64_t *sorted, int n, int p)
{
	/* rank = ceil(p * n / 100), integer arithmetic so 90% of 10 is exactly 9 */
	long rank = ((long)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

double report_share(int num, int den)
{
	return den > 0 ? (double)num / den : 0.0;
}

int report_registered_outcome(const char *text, enum case_outcome *out)
{
	/* "Return registered: refund (return.within_window)" */
	const char *p = strstr(text, "registered: ");
	if (!p)
		return -1;
	p += strlen("registered: ");
	char name[32];
	size_t n = strcspn(p, " (");
	if (n == 0 || n >= sizeof name)
		return -1;
	memcpy(name, p, n);
	name[n] = '\0';
	return case_outcome_parse(name, out);
}

static bool outcome_needs_nobody(enum case_outcome o)
{
	return o == OUTCOME_REFUND || o == OUTCOME_STORE_CREDIT || o == OUTCOME_EXCHANGE ||
	       o == OUTCOME_REFUSED;
}

/* The state a "state" event moved to: its text is "NAME" or "NAME: why". */
static int event_state(const char *text, enum case_state *out)
{
	char name[32];
	size_t n = strcspn(text, ":");
	if (n == 0 || n >= sizeof name)
		return -1;
	memcpy(name, text, n);
	name[n] = '\0';
	return case_state_parse(name, out);
}

static bool state_resolves(enum case_kind kind, enum case_state s)
{
	switch (s) {
	case CASE_APPROVED:
		return kind == CASE_RETURN;
	case CASE_REFUSED:
	case CASE_READY_FOR_PICKUP:
	case CASE_CLOSED:
		return true;
	default:
		return false;
	}
}

static bool actor_is_staff(const char *actor)
{
	return !strncmp(actor, "staff:", 6);
}

static bool day_in_period(int64_t day, int64_t from, int64_t to)
{
	return (!from || day >= from) && (!to || day <= to);
}

/* ---- grouping events by case ----------------------------------------- */

struct sort_ctx_row {
	const char *case_id;
	int index; /* position in its input array: keeps timeline order */
};

static int cmp_row(const void *a, const void *b)
{
	const struct sort_ctx_row *x = a, *y = b;
	int c = strcmp(x->case_id, y->case_id);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* What one case's timeline says. */
struct case_facts {
	bool resolved;
	bool by_kiosk;
	struct kiosk_time resolved_at;
	bool overridden;
	int views;
};

static void case_facts_read(const struct case_record *c, const struct case_event_ref *ev,
			    const struct sort_ctx_row *rows, int n_rows, struct case_facts *f)
{
	bool staff_seen = false;
	memset(f, 0, sizeof *f);
	for (int k = 0; k < n_rows; k++) {
		const struct case_event *e = &ev[rows[k].index].ev;
		bool staff = actor_is_staff(e->actor);
		bool resolves = false;
		if (!strcmp(e->event, "registered")) {
			enum case_outcome o;
			resolves = !report_registered_outcome(e->text, &o) && outcome_needs_nobody(o);
		} else if (!strcmp(e->event, "state")) {
			enum case_state s;
			resolves = !event_state(e->text, &s) && state_resolves(c->kind, s);
		} else if (!strcmp(e->event, "override")) {
			f->overridden = true;
		} else if (!strcmp(e->event, "viewed")) {
			f->views++;
		}
		if (resolves && !f->resolved) {
			f->resolved = true;
			f->resolved_at = e->at;
			f->by_kiosk = !staff && !staff_seen;
		}
		staff_seen = staff_seen || staff;
	}
}

/* ---- override reasons --------------------------------------------------- */

static int reason_add(struct report *r, int *cap, const char *text)
{
	const char *p = strstr(text, "): ");
	p = p ? p + 3 : text;
	for (int i = 0; i < r->n_reasons; i++)
		if (!strcmp(r->reasons[i].text, p)) {
			r->reasons[i].count++;
			return 0;
		}
	if (r->n_reasons == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		struct report_reason *m = realloc(r->reasons, sizeof *m * (size_t)*cap);
		if (!m)
			return KIOSK_ENOMEM;
		r->reasons = m;
	}
	struct report_reason *x = &r->reasons[r->n_reasons++];
	memset(x, 0, sizeof *x);
	size_t n = strlen(p);
	if (n >= sizeof x->text)
		n = sizeof x->text - 1;
	memcpy(x->text, p, n);
	x->text[n] = '\0';
	x->count = 1;
	return 0;
}

static int cmp_reason(const void *a, const void *b)
{
	const struct report_reason *x = a, *y = b;
	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->text, y->text);
}

static int cmp_overdue(const void *a, const void *b)
{
	const struct report_overdue *x = a, *y = b;
	if (x->days_late != y->days_late)
		return y->days_late - x->days_late;
	return strcmp(x->case_id, y->case_id);
}

/* ---- the figures -------------------------------------------------------- */

static void calls_compute(const struct report_input *in, struct report *r, int64_t *waits)
{
	int n = 0;
	for (int i = 0; i < in->n_calls; i++) {
		const struct staff_call *c = &in->calls[i];
		if (!day_in_period(time_local_days(c->created_at), r->from_day, r->to_day))
			continue;
		int64_t end = c->answered ? c->answered_at.unix_s : in->now.unix_s;
		int64_t w = end - c->created_at.unix_s;
		waits[n++] = w < 0 ? 0 : w;
		if (c->answered)
			r->n_calls_answered++;
		else
			r->n_calls_open++;
	}
	r->n_calls = n;
	if (n) {
		qsort(waits, (size_t)n, sizeof *waits, cmp_i64);
		r->call_wait_median = (struct report_secs){true, report_percentile(waits, n, 50)};
		r->call_wait_worst = (struct report_secs){true, waits[n - 1]};
	}
}

static int cases_compute(const struct report_input *in, const struct case_record *const *cases,
			 struct report *r, const struct sort_ctx_row *rows, int n_rows,
			 int64_t *times)
{
	int n_times = 0, cap_reasons = 0, cap_overdue = 0, k = 0;
	for (int i = 0; i < in->n_cases; i++) {
		const struct case_record *c = cases[i];
		/* this case's events: rows are sorted by case id */
		while (k < n_rows && strcmp(rows[k].case_id, c->case_id) < 0)
			k++;
		int first = k, end = k;
		while (end < n_rows && !strcmp(rows[end].case_id, c->case_id))
			end++;
		if (!day_in_period(time_local_days(c->created_at), r->from_day, r->to_day))
			continue;
		if ((unsigned)c->kind > CASE_FAULT || (unsigned)c->state >= CASE_STATE_COUNT ||
		    (unsigned)c->decision.outcome >= OUTCOME_COUNT)
			continue; /* a row this program cannot name is not counted */
		struct case_facts f;
		case_facts_read(c, in->events, rows + first, end - first, &f);

		r->n_cases++;
		r->by_kind[c->kind]++;
		r->by_kind_outcome[c->kind][c->decision.outcome]++;
		r->by_state[c->state]++;
		if (f.resolved) {
			r->n_resolved++;
			r->n_resolved_kiosk += f.by_kiosk;
			int64_t t = f.resolved_at.unix_s - c->created_at.unix_s;
			times[n_times++] = t < 0 ? 0 : t;
		}
		int64_t day = c->decision.promised_day;
		if (day > 0 && (f.resolved || r->today > day)) {
			r->promise_due++;
			r->promise_met += f.resolved && time_local_days(f.resolved_at) <= day;
		}
		if (day > 0 && r->today > day && c->state != CASE_CLOSED) {
			if (r->n_overdue == cap_overdue) {
				cap_overdue = cap_overdue ? cap_overdue * 2 : 8;
				struct report_overdue *m =
					realloc(r->overdue, sizeof *m * (size_t)cap_overdue);
				if (!m)
					return KIOSK_ENOMEM;
				r->overdue = m;
			}
			struct report_overdue *o = &r->overdue[r->n_overdue++];
			memset(o, 0, sizeof *o);
			memcpy(o->case_id, c->case_id, sizeof o->case_id);
			o->kind = c->kind;
			o->state = c->state;
			o->promised_day = day;
			o->days_late = (int)(r->today - day);
		}
		if (f.overridden) {
			r->n_overridden++;
			for (int e = first; e < end; e++) {
				const struct case_event *ev = &in->events[rows[e].index].ev;
				if (!strcmp(ev->event, "override") && reason_add(r, &cap_reasons, ev->text))
					return KIOSK_ENOMEM;
			}
		}
		r->n_views += f.views;
		r->n_cases_viewed += f.views > 0;
	}
	if (n_times) {
		qsort(times, (size_t)n_times, sizeof *times, cmp_i64);
		r->resolve_median = (struct report_secs){true, report_percentile(times, n_times, 50)};
		r->resolve_p90 = (struct report_secs){true, report_percentile(times, n_times, 90)};
	}
	if (r->n_reasons)
		qsort(r->reasons, (size_t)r->n_reasons, sizeof *r->reasons, cmp_reason);
	if (r->n_overdue)
		qsort(r->overdue, (size_t)r->n_overdue, sizeof *r->overdue, cmp_overdue);
	return 0;
}

/* Cases sorted by id too (pointers: a case record is a few kB), so one
 * forward walk pairs them with events. */
static int cmp_case(const void *a, const void *b)
{
	return strcmp((*(const struct case_record *const *)a)->case_id,
		      (*(const struct case_record *const *)b)->case_id);
}

int report_compute(const struct report_input *in, struct report *out, struct kiosk_why *why)
{
	memset(out, 0, sizeof *out);
	out->today = time_local_days(in->now);
	out->from_day = in->from_day;
	out->to_day = in->to_day;
	if (in->from_day && in->to_day && in->from_day > in->to_day)
		return kiosk_fail(why, KIOSK_EINVAL, "The report period ends before it starts.");

	size_t nc = (size_t)in->n_cases, ne = (size_t)in->n_events, nk = (size_t)in->n_calls;
	struct sort_ctx_row *rows = malloc(sizeof *rows * (ne ? ne : 1));
	const struct case_record **cases = malloc(sizeof *cases * (nc ? nc : 1));
	int64_t *times = malloc(sizeof *times * (nc ? nc : 1));
	int64_t *waits = malloc(sizeof *waits * (nk ? nk : 1));
	int rc = 0;
	if (!rows || !cases || !times || !waits) {
		rc = kiosk_fail(why, KIOSK_ENOMEM, "Out of memory computing the report.");
		goto out;
	}
	for (size_t i = 0; i < ne; i++)
		rows[i] = (struct sort_ctx_row){in->events[i].case_id, (int)i};
	qsort(rows, ne, sizeof *rows, cmp_row);
	for (size_t i = 0; i < nc; i++)
		cases[i] = &in->cases[i];
	qsort(cases, nc, sizeof *cases, cmp_case);
	if (cases_compute(in, cases, out, rows, (int)ne, times)) {
		rc = kiosk_fail(why, KIOSK_ENOMEM, "Out of memory computing the report.");
		goto out;
	}
	calls_compute(in, out, waits);
out:
	free(rows);
	free((void *)cases);
	free(times);
	free(waits);
	if (rc)
		report_free(out);
	return rc;
}

void report_free(struct report *r)
{
	free(r->overdue);
	free(r->reasons);
	r->overdue = NULL;
	r->reasons = NULL;
	r->n_overdue = r->n_reasons = 0;
}
