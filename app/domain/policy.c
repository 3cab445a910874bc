/* Return and warranty policy: the rules of policy.h as pure functions.
 * Each request is first checked (impossible requests are refused with a
 * reason), then every line gets a verdict (outcome, rule, numbers), the
 * verdicts are combined, and only at the end are the verdict's numbers put
 * into the sentences of assets/lang/LANG/policy.ini. */
#include "domain/policy.h"

#include "domain/money.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Safe fallbacks when the INI says nothing; the demo store's real values
 * are in assets/store.ini. */
enum {
	FALLBACK_WINDOW_DAYS = 30,
	FALLBACK_PERIOD_MONTHS = 12,
	FALLBACK_REFUND_DAYS = 5,
	FALLBACK_STAFF_REPLY_DAYS = 1,
	FALLBACK_LATE_NEW_DAYS = 3,
	FALLBACK_PRESUMPTION_YEARS = 2,
	FALLBACK_RESPONSIBILITY_YEARS = 3,
	FALLBACK_ASSESSMENT_DAYS = 14,
	FALLBACK_REPAIR_DAYS = 30,
	MAX_WINDOW_DAYS = 3660,
};
#define MAX_UNIT_PRICE 1000000000000LL /* minor units: 10 000 000 000.00 */
#define MAX_QUANTITY 100000
#define MAX_CREDIT_USED 1000000000000000000LL
/* No receipt and no limit configured: nothing without staff. */
#define FALLBACK_NO_RECEIPT_LIMIT 0

/* A verdict: what one line (or the whole request) gets and why, with the
 * numbers the sentences may use. Turned into a struct decision by finish(). */
struct verdict {
	enum case_outcome outcome;
	char rule[48];
	char details[200];
	int64_t amount;          /* money owed */
	int64_t purchase_day;    /* -1 when unknown */
	int64_t last_day;        /* last day of the return window */
	int64_t presumption_end;
	int64_t responsibility_end;
	int64_t limit, left;     /* no-receipt credit */
};

/* ---- configuration ------------------------------------------------------ */

static int parse_int_key(const struct kiosk_config *cfg, const char *sec, const char *key,
			 int fallback, int min, int max, int *out, struct kiosk_why *why)
{
	long n;
	int rc = config_int(cfg, sec, key, fallback, min, max, &n, why);
	if (!rc)
		*out = (int)n;
	return rc;
}

static int parse_outcome_key(const struct kiosk_config *cfg, const char *sec, const char *key,
			     enum case_outcome fallback, enum case_outcome *out,
			     struct kiosk_why *why)
{
	const char *v = config_get(cfg, sec, key);
	enum case_outcome o;
	if (!v) {
		*out = fallback;
		return 0;
	}
	if (case_outcome_parse(v, &o) < 0 ||
	    (o != OUTCOME_REFUND && o != OUTCOME_STORE_CREDIT && o != OUTCOME_EXCHANGE &&
	     o != OUTCOME_STAFF))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[%s] %s must be refund, store_credit, exchange or staff, not \"%.32s\"",
				  sec, key, v);
	*out = o;
	return 0;
}

/* Read window and outcomes of one category; keys absent fall back to base.
 * prefix is "" in [category.NAME] and "default_" in [policy]. */
static int load_category(const struct kiosk_config *cfg, const char *sec, const char *prefix,
			 const struct policy_category *base, struct policy_category *c,
			 struct kiosk_why *why)
{
	char k[4][32];
	snprintf(k[0], sizeof k[0], "%swindow_days", prefix);
	snprintf(k[1], sizeof k[1], "%sunopened", prefix);
	snprintf(k[2], sizeof k[2], "%sused", prefix);
	snprintf(k[3], sizeof k[3], "%sfaulty", prefix);
	int rc = parse_int_key(cfg, sec, k[0], base->window_days, 0, MAX_WINDOW_DAYS,
			       &c->window_days, why);
	if (!rc)
		rc = parse_outcome_key(cfg, sec, k[1], base->unopened, &c->unopened, why);
	if (!rc)
		rc = parse_outcome_key(cfg, sec, k[2], base->used, &c->used, why);
	if (!rc)
		rc = parse_outcome_key(cfg, sec, k[3], base->faulty, &c->faulty, why);
	return rc;
}

struct load_ctx {
	struct policy *p;
	const struct kiosk_config *cfg;
	struct kiosk_why *why;
	int rc;
};

static void load_one_category(const char *section, void *arg)
{
	struct load_ctx *ctx = arg;
	const char *name = section + strlen("category.");
	if (ctx->rc)
		return;
	if (!*name || strlen(name) >= sizeof ctx->p->cats[0].name) {
		ctx->rc = kiosk_fail(ctx->why, KIOSK_EINVAL,
				     "[%.64s] needs a category name of 1 to 31 characters", section);
		return;
	}
	if (ctx->p->n_cats == POLICY_MAX_CATEGORIES) {
		ctx->rc = kiosk_fail(ctx->why, KIOSK_EINVAL, "more than %d [category.*] sections",
				     POLICY_MAX_CATEGORIES);
		return;
	}
	struct policy_category *c = &ctx->p->cats[ctx->p->n_cats];
	snprintf(c->name, sizeof c->name, "%s", name);
	ctx->rc = load_category(ctx->cfg, section, "", &ctx->p->fallback, c, ctx->why);
	if (!ctx->rc)
		ctx->p->n_cats++;
}

int policy_load(struct policy *p, const struct kiosk_config *cfg, struct kiosk_why *why)
{
	struct policy np = {0};
	static const struct policy_category safe = {
		"", FALLBACK_WINDOW_DAYS, OUTCOME_REFUND, OUTCOME_STAFF, OUTCOME_STAFF,
	};
	int rc = load_category(cfg, "policy", "default_", &safe, &np.fallback, why);
	if (rc)
		return rc;
	const char *limit = config_get(cfg, "policy", "no_receipt_credit_limit");
	np.no_receipt_credit_limit = FALLBACK_NO_RECEIPT_LIMIT;
	if (limit && policy_parse_money(limit, &np.no_receipt_credit_limit) < 0)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[policy] no_receipt_credit_limit must be an amount like 1000.00, "
				  "not \"%.32s\"", limit);
	static const struct int_key {
		const char *sec, *key;
		int fallback, min, max;
		size_t off;
	} ints[] = {
		{"policy", "no_receipt_period_months", FALLBACK_PERIOD_MONTHS, 1, 120,
		 offsetof(struct policy, no_receipt_period_months)},
		{"policy", "refund_days", FALLBACK_REFUND_DAYS, 0, 365,
		 offsetof(struct policy, refund_days)},
		{"policy", "staff_reply_days", FALLBACK_STAFF_REPLY_DAYS, 0, 365,
		 offsetof(struct policy, staff_reply_days)},
		{"policy", "late_new_days", FALLBACK_LATE_NEW_DAYS, 1, 365,
		 offsetof(struct policy, late_new_days)},
		{"fault", "presumption_years", FALLBACK_PRESUMPTION_YEARS, 0, 20,
		 offsetof(struct policy, presumption_years)},
		{"fault", "responsibility_years", FALLBACK_RESPONSIBILITY_YEARS, 0, 20,
		 offsetof(struct policy, responsibility_years)},
		{"fault", "assessment_days", FALLBACK_ASSESSMENT_DAYS, 0, 365,
		 offsetof(struct policy, assessment_days)},
		{"fault", "repair_days", FALLBACK_REPAIR_DAYS, 0, 365,
		 offsetof(struct policy, repair_days)},
	};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		int *dst = (int *)((char *)&np + ints[i].off);
		rc = parse_int_key(cfg, ints[i].sec, ints[i].key, ints[i].fallback, ints[i].min,
				   ints[i].max, dst, why);
		if (rc)
			return rc;
	}
	if (np.presumption_years > np.responsibility_years)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[fault] presumption_years (%d) cannot be longer than "
				  "responsibility_years (%d)",
				  np.presumption_years, np.responsibility_years);
	snprintf(np.currency, sizeof np.currency, "%s", cfg->currency[0] ? cfg->currency : "SEK");
	snprintf(np.store_id, sizeof np.store_id, "%s", cfg->store_id);
	struct load_ctx ctx = {&np, cfg, why, 0};
	config_each_section(cfg, "category.", load_one_category, &ctx);
	if (ctx.rc)
		return ctx.rc;
	*p = np;
	return 0;
}

const struct policy_category *policy_category_find(const struct policy *p, const char *name)
{
	for (int i = 0; name && i < p->n_cats; i++)
		if (!strcmp(p->cats[i].name, name))
			return &p->cats[i];
	return &p->fallback;
}

/* ---- dates and money ---------------------------------------------------- */

int64_t policy_add_years(int64_t day, int years)
{
	int y, m, d;
	date_civil_from_days(day, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !date_valid(y, 2, 29))
		return date_days_from_civil(y, 3, 1);
	return date_days_from_civil(y, m, d);
}

int64_t policy_credit_since(const struct policy *p, int64_t today)
{
	int y, m, d;
	date_civil_from_days(today, &y, &m, &d);
	int months = y * 12 + (m - 1) - p->no_receipt_period_months;
	y = months / 12;
	m = months % 12 + 1;
	while (!date_valid(y, m, d))
		d--; /* 31 May − 3 months: 30 Feb → 28/29 Feb */
	/* The day after the same date a period ago: exactly the period's days. */
	return date_days_from_civil(y, m, d) + 1;
}

int policy_parse_money(const char *s, int64_t *minor)
{
	int64_t units = 0;
	int digits = 0, cents = 0, decimals = 0;
	const char *c = s;
	for (; *c >= '0' && *c <= '9'; c++, digits++) {
		if (units > (INT64_MAX / 100 - 9) / 10)
			return -1;
		units = units * 10 + (*c - '0');
	}
	if (!digits)
		return -1;
	if (*c == '.') {
		for (c++; *c >= '0' && *c <= '9' && decimals < 2; c++, decimals++)
			cents = cents * 10 + (*c - '0');
		if (!decimals)
			return -1;
		if (decimals == 1)
			cents *= 10;
	}
	if (*c)
		return -1;
	*minor = units * 100 + cents;
	return 0;
}

/* ---- verdicts ----------------------------------------------------------- */

static void verdict_init(struct verdict *v, enum case_outcome o, const char *rule)
{
	memset(v, 0, sizeof *v);
	v->outcome = o;
	v->purchase_day = v->last_day = v->presumption_end = v->responsibility_end = -1;
	snprintf(v->rule, sizeof v->rule, "%s", rule);
}

static const char *route_rule(const char *route, enum case_outcome o, char *buf, size_t len)
{
	snprintf(buf, len, "return.%s.%s", route, case_outcome_name(o));
	return buf;
}

/* Category names come from receipts: keep the JSON valid whatever they hold. */
static void json_safe(const char *in, char *out, size_t len)
{
	size_t o = 0;
	for (; *in && o + 1 < len; in++)
		out[o++] = (*in == '"' || *in == '\\' || (unsigned char)*in < 0x20) ? '?' : *in;
	out[o] = 0;
}

static void fault_verdict(const struct policy *p, int64_t purchase_day, int64_t today,
			  struct verdict *v)
{
	int64_t pres = policy_add_years(purchase_day, p->presumption_years);
	int64_t resp = policy_add_years(purchase_day, p->responsibility_years);
	char a[16], b[16];
	if (today <= pres)
		verdict_init(v, OUTCOME_REPAIR, "fault.presumed");
	else if (today <= resp)
		verdict_init(v, OUTCOME_REPAIR, "fault.responsible");
	else
		verdict_init(v, OUTCOME_STAFF, "fault.outside");
	v->purchase_day = purchase_day;
	v->presumption_end = pres;
	v->responsibility_end = resp;
	date_format(pres, a, sizeof a);
	date_format(resp, b, sizeof b);
	snprintf(v->details, sizeof v->details,
		 "{\"days\":%lld,\"presumption_end\":\"%s\",\"responsibility_end\":\"%s\"}",
		 (long long)(today - purchase_day), a, b);
}

static bool is_faulty(const struct policy_line *l)
{
	return l->condition == COND_FAULTY || l->reason == REASON_FAULTY;
}

/* One receipt line, already checked. */
static void line_verdict(const struct policy *p, const struct return_request *req,
			 const struct policy_line *l, struct verdict *v)
{
	const struct policy_category *c = policy_category_find(p, l->category);
	int64_t days = req->today - req->purchase_day;
	int64_t value = l->unit_price * l->quantity;
	char rule[48], cat[40];
	if (is_faulty(l) && days > c->window_days) {
		/* Past the return window a fault is a fault report. */
		fault_verdict(p, req->purchase_day, req->today, v);
		return;
	}
	if (days > c->window_days) {
		verdict_init(v, OUTCOME_STAFF, "return.outside_window");
	} else {
		const char *route = is_faulty(l) ? "faulty"
				    : l->condition == COND_UNOPENED ? "unopened" : "used";
		enum case_outcome o = is_faulty(l) ? c->faulty
				      : l->condition == COND_UNOPENED ? c->unopened : c->used;
		verdict_init(v, o, route_rule(route, o, rule, sizeof rule));
		if (o == OUTCOME_REFUND || o == OUTCOME_STORE_CREDIT)
			v->amount = value;
	}
	v->purchase_day = req->purchase_day;
	v->last_day = req->purchase_day + c->window_days;
	json_safe(l->category, cat, sizeof cat);
	snprintf(v->details, sizeof v->details,
		 "{\"line\":%d,\"category\":\"%s\",\"days\":%lld,\"window\":%d,\"quantity\":%d,"
		 "\"left\":%d,\"value\":%lld}",
		 l->line, cat, (long long)days, c->window_days, l->quantity, l->quantity_left,
		 (long long)value);
}

/* Without a receipt: store credit for unopened items, with an ID, within
 * the person's limit; everything else goes to staff. */
static void no_receipt_verdict(const struct policy *p, const struct return_request *req,
			       struct verdict *v)
{
	int64_t total = 0;
	bool all_unopened = true;
	for (int i = 0; i < req->n_lines; i++) {
		total += req->lines[i].unit_price * req->lines[i].quantity;
		all_unopened &= req->lines[i].condition == COND_UNOPENED &&
				req->lines[i].reason != REASON_FAULTY;
	}
	if (!req->has_id)
		verdict_init(v, OUTCOME_STAFF, "return.no_receipt.no_id");
	else if (!all_unopened)
		verdict_init(v, OUTCOME_STAFF, "return.no_receipt.not_unopened");
	else if (req->offline)
		verdict_init(v, OUTCOME_STAFF, "return.no_receipt.offline");
	else if (req->credit_used + total > p->no_receipt_credit_limit)
		verdict_init(v, OUTCOME_STAFF, "return.no_receipt.over_limit");
	else
		verdict_init(v, OUTCOME_STORE_CREDIT, "return.no_receipt.credit");
	if (v->outcome == OUTCOME_STORE_CREDIT)
		v->amount = total;
	v->limit = p->no_receipt_credit_limit;
	v->left = p->no_receipt_credit_limit - req->credit_used;
	if (v->left < 0)
		v->left = 0;
	snprintf(v->details, sizeof v->details,
		 "{\"value\":%lld,\"credit_used\":%lld,\"limit\":%lld,\"months\":%d}",
		 (long long)total, (long long)req->credit_used,
		 (long long)p->no_receipt_credit_limit, p->no_receipt_period_months);
}

/* ---- sentences ---------------------------------------------------------- */

static int64_t promised_day(const struct policy *p, enum case_outcome o, int64_t today)
{
	switch (o) {
	case OUTCOME_REFUND:
		return today + p->refund_days;
	case OUTCOME_STAFF:
		return today + p->staff_reply_days;
	case OUTCOME_REPAIR:
	case OUTCOME_REPLACE:
		return today + p->assessment_days;
	default:
		return today;
	}
}

static void fmt_day(int64_t day, char *buf, size_t len)
{
	if (day < 0)
		snprintf(buf, len, "?");
	else
		date_format(day, buf, len);
}

static void finish(const struct policy *p, const struct verdict *v, int64_t today,
		   const struct i18n *t, struct decision *out)
{
	char purchase[16], last[16], pres[16], resp[16], date[16], repair[16];
	char amount[48], limit[48], left[48], py[8], ry[8], months[8], key[80];
	memset(out, 0, sizeof *out);
	out->outcome = v->outcome;
	snprintf(out->rule, sizeof out->rule, "%s", v->rule);
	snprintf(out->details, sizeof out->details, "%s", v->details);
	out->amount = v->amount;
	out->promised_day = promised_day(p, v->outcome, today);
	fmt_day(v->purchase_day, purchase, sizeof purchase);
	fmt_day(v->last_day, last, sizeof last);
	fmt_day(v->presumption_end, pres, sizeof pres);
	fmt_day(v->responsibility_end, resp, sizeof resp);
	fmt_day(out->promised_day, date, sizeof date);
	fmt_day(out->promised_day + p->repair_days, repair, sizeof repair);
	money_format(t, v->amount, p->currency, amount, sizeof amount);
	money_format(t, v->limit, p->currency, limit, sizeof limit);
	money_format(t, v->left, p->currency, left, sizeof left);
	snprintf(py, sizeof py, "%d", p->presumption_years);
	snprintf(ry, sizeof ry, "%d", p->responsibility_years);
	snprintf(months, sizeof months, "%d", p->no_receipt_period_months);
	const char *kv[] = {
		"purchase_date", purchase, "last_day", last, "presumption_end", pres,
		"responsibility_end", resp, "date", date, "repair_date", repair,
		"amount", amount, "limit", limit, "left", left, "months", months,
		"presumption_years", py, "responsibility_years", ry, NULL,
	};
	snprintf(key, sizeof key, "policy.%s", v->rule);
	i18n_fill(out->explanation, sizeof out->explanation, i18n_get(t, key), kv);
	snprintf(key, sizeof key, "policy_next.%s", case_outcome_name(v->outcome));
	i18n_fill(out->next_step, sizeof out->next_step, i18n_get(t, key), kv);
}

/* ---- decisions ---------------------------------------------------------- */

static int check_return(const struct return_request *req, struct kiosk_why *why)
{
	char a[16], b[16];
	if (req->n_lines < 1 || req->n_lines > POLICY_MAX_LINES || !req->lines)
		return kiosk_fail(why, KIOSK_EINVAL, "a return needs 1 to %d items, not %d",
				  POLICY_MAX_LINES, req->n_lines);
	if (req->has_receipt && req->today < req->purchase_day) {
		date_format(req->purchase_day, a, sizeof a);
		date_format(req->today, b, sizeof b);
		return kiosk_fail(why, KIOSK_EINVAL, "the purchase date %s is after today, %s", a, b);
	}
	if (req->credit_used < 0 || req->credit_used > MAX_CREDIT_USED)
		return kiosk_fail(why, KIOSK_EINVAL, "the earlier store credit is out of range");
	for (int i = 0; i < req->n_lines; i++) {
		const struct policy_line *l = &req->lines[i];
		if (l->quantity < 1)
			return kiosk_fail(why, KIOSK_EINVAL, "item %d: the quantity must be at least 1",
					  i + 1);
		/* Bounds that keep every sum of up to POLICY_MAX_LINES lines
		 * far from overflowing. */
		if (l->unit_price < 0 || l->unit_price > MAX_UNIT_PRICE || l->quantity > MAX_QUANTITY)
			return kiosk_fail(why, KIOSK_EINVAL, "item %d: the price or quantity is out of range",
					  i + 1);
		if ((unsigned)l->condition >= COND_COUNT || (unsigned)l->reason >= REASON_COUNT)
			return kiosk_fail(why, KIOSK_EINVAL, "item %d: unknown condition or reason", i + 1);
		if (!req->has_receipt)
			continue;
		for (int j = 0; j < i; j++)
			if (req->lines[j].line == l->line)
				return kiosk_fail(why, KIOSK_EINVAL, "receipt line %d is listed twice",
						  l->line);
		if (l->quantity_left <= 0)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "receipt line %d has already been returned in full", l->line);
		if (l->quantity > l->quantity_left)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "receipt line %d: %d to return, but only %d left to return",
					  l->line, l->quantity, l->quantity_left);
	}
	return 0;
}

int policy_decide_return(const struct policy *p, const struct return_request *req,
			 const struct i18n *t, struct decision *out, struct kiosk_why *why)
{
	struct verdict v, lv;
	int rc = check_return(req, why);
	if (rc)
		return rc;
	if (!req->has_receipt) {
		no_receipt_verdict(p, req, &v);
		finish(p, &v, req->today, t, out);
		return 0;
	}
	bool same_rule = true;
	int64_t sum = 0;
	for (int i = 0; i < req->n_lines; i++) {
		line_verdict(p, req, &req->lines[i], &lv);
		if (lv.outcome == OUTCOME_STAFF) {
			v = lv; /* one line for staff: the whole case, with its reason */
			break;
		}
		if (i == 0) {
			v = lv;
		} else if (lv.outcome != v.outcome) {
			verdict_init(&v, OUTCOME_STAFF, "return.mixed");
			snprintf(v.details, sizeof v.details, "{\"lines\":%d}", req->n_lines);
			break;
		} else {
			same_rule &= !strcmp(lv.rule, v.rule);
		}
		sum += lv.amount;
		if (i == req->n_lines - 1 && req->n_lines > 1) {
			char first[sizeof v.details];
			snprintf(first, sizeof first, "%s", v.details);
			if (!same_rule)
				snprintf(v.rule, sizeof v.rule, "return.several");
			v.amount = sum;
			if (snprintf(v.details, sizeof v.details,
				     "{\"lines\":%d,\"amount\":%lld,\"first\":%s}", req->n_lines,
				     (long long)sum, first) >= (int)sizeof v.details)
				snprintf(v.details, sizeof v.details, "{\"lines\":%d,\"amount\":%lld}",
					 req->n_lines, (long long)sum);
		}
	}
	finish(p, &v, req->today, t, out);
	return 0;
}

int policy_decide_fault(const struct policy *p, const struct fault_request *req,
			const struct i18n *t, struct decision *out, struct kiosk_why *why)
{
	struct verdict v;
	if (!req->has_receipt) {
		verdict_init(&v, OUTCOME_STAFF, "fault.no_receipt");
		snprintf(v.details, sizeof v.details, "{}");
	} else if (req->today < req->purchase_day) {
		char a[16], b[16];
		date_format(req->purchase_day, a, sizeof a);
		date_format(req->today, b, sizeof b);
		return kiosk_fail(why, KIOSK_EINVAL, "the purchase date %s is after today, %s", a, b);
	} else {
		fault_verdict(p, req->purchase_day, req->today, &v);
	}
	finish(p, &v, req->today, t, out);
	return 0;
}

int policy_next_for_state(const struct policy *p, const struct i18n *t, enum case_state s,
			  int64_t today, char *next, size_t len, int64_t *day)
{
	int64_t d;
	switch (s) {
	case CASE_WAITING_STAFF:
		d = today + p->staff_reply_days;
		break;
	case CASE_AT_REPAIR:
		d = today + p->repair_days;
		break;
	case CASE_BACK_FROM_REPAIR:
		d = today + p->staff_reply_days;
		break;
	case CASE_READY_FOR_PICKUP:
	case CASE_REFUSED:
	case CASE_CLOSED:
		d = 0;
		break;
	default:
		return 0; /* the decision's own step stands */
	}
	char key[48], date[16] = "";
	if (d > 0)
		date_format(d, date, sizeof date);
	snprintf(key, sizeof key, "policy_state.%s", case_state_name(s));
	const char *kv[] = {"date", date, NULL};
	if (s == CASE_CLOSED)
		next[0] = '\0';
	else
		i18n_fill(next, len, i18n_get(t, key), kv);
	*day = d;
	return 1;
}
