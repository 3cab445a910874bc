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

/* What one case's timeline says. */
struct case_facts {
	bool resolved;
	bool by_kiosk;
	struct kiosk_time resolved_at;
	bool overridden;
	int views;
};

static void case_facts_read(const struct case_record *c, const struct case_event *ev, int n_ev,
			    struct case_facts *f)
{
	bool staff_seen = false;
	memset(f, 0, sizeof *f);
	for (int k = 0; k < n_ev; k++) {
		const struct case_event *e = &ev[k];
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

/* ---- the figures, one case and one call at a time ------------------------ */

static int push_i64(int64_t **arr, int *n, int *cap, int64_t v)
{
	if (*n == *cap) {
		int c = *cap ? *cap * 2 : 256;
		int64_t *m = realloc(*arr, sizeof *m * (size_t)c);
		if (!m)
			return KIOSK_ENOMEM;
		*arr = m;
		*cap = c;
	}
	(*arr)[(*n)++] = v;
	return 0;
}

int report_builder_init(struct report_builder *b, struct kiosk_time now, int64_t from_day,
			int64_t to_day, struct kiosk_why *why)
{
	memset(b, 0, sizeof *b);
	if (from_day && to_day && from_day > to_day)
		return kiosk_fail(why, KIOSK_EINVAL, "The report period ends before it starts.");
	b->now = now;
	b->r.today = time_local_days(now);
	b->r.from_day = from_day;
	b->r.to_day = to_day;
	return 0;
}

static int add_overdue(struct report_builder *b, const struct case_record *c)
{
	struct report *r = &b->r;
	if (r->n_overdue == b->cap_overdue) {
		int cap = b->cap_overdue ? b->cap_overdue * 2 : 8;
		struct report_overdue *m = realloc(r->overdue, sizeof *m * (size_t)cap);
		if (!m)
			return KIOSK_ENOMEM;
		r->overdue = m;
		b->cap_overdue = cap;
	}
	struct report_overdue *o = &r->overdue[r->n_overdue++];
	memset(o, 0, sizeof *o);
	memcpy(o->case_id, c->case_id, sizeof o->case_id);
	o->kind = c->kind;
	o->state = c->state;
	o->promised_day = c->due_day;
	o->days_late = (int)(r->today - c->due_day);
	return 0;
}

int report_builder_case(struct report_builder *b, const struct case_record *c,
			const struct case_event *ev, int n_ev, struct kiosk_why *why)
{
	struct report *r = &b->r;
	if (!day_in_period(time_local_days(c->created_at), r->from_day, r->to_day))
		return 0;
	if ((unsigned)c->kind > CASE_FAULT || (unsigned)c->state >= CASE_STATE_COUNT ||
	    (unsigned)c->decision.outcome >= OUTCOME_COUNT)
		return 0; /* a row this program cannot name is not counted */
	struct case_facts f;
	case_facts_read(c, ev, n_ev, &f);
	r->n_cases++;
	r->by_kind[c->kind]++;
	r->by_kind_outcome[c->kind][c->decision.outcome]++;
	r->by_state[c->state]++;
	int rc = 0;
	if (f.resolved) {
		r->n_resolved++;
		r->n_resolved_kiosk += f.by_kiosk;
		int64_t t = f.resolved_at.unix_s - c->created_at.unix_s;
		rc = push_i64(&b->times, &b->n_times, &b->cap_times, t < 0 ? 0 : t);
	}
	int64_t day = c->due_day; /* a promise moved when it was not kept still counts */
	if (day > 0 && (f.resolved || r->today > day)) {
		r->promise_due++;
		r->promise_met += f.resolved && time_local_days(f.resolved_at) <= day;
	}
	if (!rc && day > 0 && r->today > day && c->state != CASE_CLOSED)
		rc = add_overdue(b, c);
	if (f.overridden) {
		r->n_overridden++;
		for (int e = 0; !rc && e < n_ev; e++)
			if (!strcmp(ev[e].event, "override"))
				rc = reason_add(r, &b->cap_reasons, ev[e].text);
	}
	r->n_views += f.views;
	r->n_cases_viewed += f.views > 0;
	return rc ? kiosk_fail(why, rc, "Out of memory computing the report.") : 0;
}

int report_builder_call(struct report_builder *b, const struct staff_call *c,
			struct kiosk_why *why)
{
	struct report *r = &b->r;
	if (!day_in_period(time_local_days(c->created_at), r->from_day, r->to_day))
		return 0;
	int64_t end = c->answered ? c->answered_at.unix_s : b->now.unix_s;
	int64_t w = end - c->created_at.unix_s;
	if (push_i64(&b->waits, &r->n_calls, &b->cap_waits, w < 0 ? 0 : w))
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory computing the report.");
	if (c->answered)
		r->n_calls_answered++;
	else
		r->n_calls_open++;
	return 0;
}

void report_builder_finish(struct report_builder *b, struct report *out)
{
	struct report *r = &b->r;
	if (b->n_times) {
		qsort(b->times, (size_t)b->n_times, sizeof *b->times, cmp_i64);
		r->resolve_median = (struct report_secs){true,
							 report_percentile(b->times, b->n_times, 50)};
		r->resolve_p90 = (struct report_secs){true, report_percentile(b->times, b->n_times, 90)};
	}
	if (r->n_calls) {
		qsort(b->waits, (size_t)r->n_calls, sizeof *b->waits, cmp_i64);
		r->call_wait_median = (struct report_secs){true,
							   report_percentile(b->waits, r->n_calls, 50)};
		r->call_wait_worst = (struct report_secs){true, b->waits[r->n_calls - 1]};
	}
	if (r->n_reasons)
		qsort(r->reasons, (size_t)r->n_reasons, sizeof *r->reasons, cmp_reason);
	if (r->n_overdue)
		qsort(r->overdue, (size_t)r->n_overdue, sizeof *r->overdue, cmp_overdue);
	*out = *r;
	memset(r, 0, sizeof *r); /* overdue and reasons now belong to out */
	report_builder_free(b);
}

void report_builder_free(struct report_builder *b)
{
	report_free(&b->r);
	free(b->times);
	free(b->waits);
	b->times = b->waits = NULL;
	b->n_times = b->cap_times = b->cap_waits = 0;
}

/* ---- all at once, from arrays -------------------------------------------- */

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

int report_compute(const struct report_input *in, struct report *out, struct kiosk_why *why)
{
	struct report_builder b;
	memset(out, 0, sizeof *out);
	int rc = report_builder_init(&b, in->now, in->from_day, in->to_day, why);
	if (rc)
		return rc;
	size_t ne = (size_t)in->n_events;
	struct sort_ctx_row *rows = malloc(sizeof *rows * (ne ? ne : 1));
	struct case_event *ev = malloc(sizeof *ev * (ne ? ne : 1));
	if (!rows || !ev) {
		rc = kiosk_fail(why, KIOSK_ENOMEM, "Out of memory computing the report.");
		goto out;
	}
	for (size_t i = 0; i < ne; i++)
		rows[i] = (struct sort_ctx_row){in->events[i].case_id, (int)i};
	qsort(rows, ne, sizeof *rows, cmp_row);
	for (int i = 0; !rc && i < in->n_cases; i++) {
		const struct case_record *c = &in->cases[i];
		/* this case's events, in timeline order (a binary search finds
		 * the first; the rows are sorted by case id, then input order) */
		size_t lo = 0, hi = ne;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(rows[mid].case_id, c->case_id) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		int n = 0;
		for (size_t k = lo; k < ne && !strcmp(rows[k].case_id, c->case_id); k++)
			ev[n++] = in->events[rows[k].index].ev;
		rc = report_builder_case(&b, c, ev, n, why);
	}
	for (int i = 0; !rc && i < in->n_calls; i++)
		rc = report_builder_call(&b, &in->calls[i], why);
out:
	free(rows);
	free(ev);
	if (rc)
		report_builder_free(&b);
	else
		report_builder_finish(&b, out);
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
