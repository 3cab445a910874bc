/* The store's return and warranty policy, as pure functions: the numbers
 * come from the store INI ([policy], [category.NAME], [fault]), the
 * customer's answers and the dates come in, an explainable decision comes
 * out. No I/O and no clock: "today" is an argument.
 *
 * Day counting (the one definition everything here uses): the purchase's
 * local calendar date is day 0, and "within N days" means up to and
 * including day N, so with a 30-day window day 30 is inside and day 31 is
 * outside; a window of 0 days allows the day of purchase only. Years are
 * calendar years: "within 2 years" of 2024-03-15 ends on 2026-03-15
 * inclusive (a 29 February purchase ends on 1 March, the kinder reading). */
#ifndef KIOSK_DOMAIN_POLICY_H
#define KIOSK_DOMAIN_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include "core/config.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/model.h"

#define POLICY_MAX_CATEGORIES 32
#define POLICY_MAX_LINES 64

/* What one category of goods allows. The outcomes are what a return within
 * the window gets, by the customer's answer about the item. */
struct policy_category {
	char name[32];              /* "electronics"; "" for the default */
	int window_days;            /* 0 = day of purchase only */
	enum case_outcome unopened; /* refund, store_credit, exchange or staff */
	enum case_outcome used;
	enum case_outcome faulty;
};

struct policy {
	struct policy_category fallback; /* [policy] default_*: unknown categories */
	struct policy_category cats[POLICY_MAX_CATEGORIES];
	int n_cats;
	int64_t no_receipt_credit_limit; /* minor units per person per period */
	int no_receipt_period_months;    /* the rolling period, 12 */
	int refund_days;                 /* refund back on the original payment by */
	int staff_reply_days;            /* staff take up a handed-over case by */
	int late_new_days;               /* a promise not kept is moved this far */
	int presumption_years;           /* fault presumed to exist at delivery */
	int responsibility_years;        /* store responsible for faults */
	int assessment_days;             /* fault assessed by */
	int repair_days;                 /* repair done after assessment by */
	char currency[8];
	char store_id[16];               /* [store] id: the store cases belong to */
};

/* One item the customer returns. */
struct policy_line {
	int line;                   /* receipt line; 0 without a receipt */
	char category[32];
	int64_t unit_price;         /* minor units */
	int quantity;               /* how many the customer returns */
	int quantity_left;          /* bought − already returned (receipt only) */
	enum item_condition condition;
	enum return_reason reason;
};

struct return_request {
	bool has_receipt;
	int64_t purchase_day;       /* local date of purchase (receipt only) */
	int64_t today;              /* local date now */
	bool has_id;                /* an ID document was read (no receipt) */
	int64_t credit_used;        /* no-receipt credit to this person in the period */
	int n_lines;
	const struct policy_line *lines;
	/* the chain's database cannot be reached: the credit this person was
	 * given in every store is not known here (credit_used is not) */
	bool offline;
};

struct fault_request {
	bool has_receipt;
	int64_t purchase_day;
	int64_t today;
};

/* Read the policy from cfg, with safe fallbacks for absent keys. A value
 * that is present but wrong (not a number, an unknown outcome, years out of
 * order) is refused with why naming the section and key. */
int policy_load(struct policy *p, const struct kiosk_config *cfg, struct kiosk_why *why);

/* The category's rules; the default for an unknown or empty name. */
const struct policy_category *policy_category_find(const struct policy *p, const char *name);

/* Decide a return. Impossible requests (no lines, quantity 0, more than is
 * left, a purchase after today) are refused with KIOSK_EINVAL and why; out
 * is then untouched. Sentences come from t ("policy.*", "policy_next.*").
 * Several lines: any line for staff hands the whole case to staff with that
 * line's reason; lines with different outcomes go to staff as "mixed";
 * otherwise the lines' amounts add up. */
int policy_decide_return(const struct policy *p, const struct return_request *req,
			 const struct i18n *t, struct decision *out, struct kiosk_why *why);

/* Decide a fault report (reklamation). */
int policy_decide_fault(const struct policy *p, const struct fault_request *req,
			const struct i18n *t, struct decision *out, struct kiosk_why *why);

/* The next step that goes with a case moved to state s today, in t's
 * language ("policy_state.*"), and its promised day (0: none): 1 when the
 * state brings its own step (waiting for staff, at repair, back from
 * repair, ready for pickup, refused; closed clears it), 0 when the step of
 * the decision stands (registered, approved) and next/day are untouched. */
int policy_next_for_state(const struct policy *p, const struct i18n *t, enum case_state s,
			  int64_t today, char *next, size_t len, int64_t *day);

/* First local day of the rolling no-receipt period that ends today. */
int64_t policy_credit_since(const struct policy *p, int64_t today);

/* The day `years` calendar years after day (29 Feb → 1 Mar). */
int64_t policy_add_years(int64_t day, int years);

/* Parse "1000", "1000.5" or "1000.00" (major units) into minor units.
 * 0 ok, -1 malformed or negative. */
int policy_parse_money(const char *s, int64_t *minor);

#endif
