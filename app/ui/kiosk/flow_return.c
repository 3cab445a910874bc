/* The return's questions (flow_private.h): which items and how many, then
 * why and in what state, for the whole return or, when the items differ,
 * for each in turn; answers stay when the customer goes back. */
#include "ui/kiosk/flow.h"
#include "ui/kiosk/flow_private.h"
#include "ui/kiosk/kiosk_ids.h"

#include <stdio.h>
#include <string.h>

int flow_lines_chosen(const struct flow *f)
{
	int n = 0;
	for (int i = 0; i < FLOW_MAX_LINES; i++)
		n += f->qty[i] > 0;
	return n;
}

void flow_line_answer(const struct flow *f, int i, enum return_reason *reason,
		      enum item_condition *condition, const char **text)
{
	if (f->per_item && i >= 0 && i < FLOW_MAX_LINES) {
		*reason = f->line_reason[i];
		*condition = f->line_cond[i];
		*text = f->line_reason[i] == REASON_OTHER ? f->line_text[i] : "";
		return;
	}
	*reason = f->reason;
	*condition = f->condition;
	*text = f->reason == REASON_OTHER ? f->text : "";
}

bool flow_reason_given(const struct flow *f, enum return_reason *reason)
{
	if (f->per_item) {
		*reason = f->line_reason[f->asking];
		return f->line_reason_given[f->asking];
	}
	*reason = f->reason;
	return f->reason_given;
}

bool flow_condition_given(const struct flow *f, enum item_condition *condition)
{
	if (f->per_item) {
		*condition = f->line_cond[f->asking];
		return f->line_cond_given[f->asking];
	}
	*condition = f->condition;
	return f->condition_given;
}

bool flow_asking_item(const struct flow *f, int *n, int *total)
{
	if (!f->per_item)
		return false;
	*n = 0;
	*total = 0;
	for (int i = 0; i < FLOW_MAX_LINES; i++) {
		if (f->qty[i] <= 0)
			continue;
		++*total;
		if (i <= f->asking)
			++*n;
	}
	return true;
}

static bool tap_items(struct flow *f, const char *id)
{
	int n, got;
	char what[8] = "";
	if ((got = sscanf(id, KID_LINE_FMT "_%7s", &n, what)) < 1 || n < 1 || n > f->receipt.n_lines ||
	    n > FLOW_MAX_LINES)
		return false;
	const struct receipt_line *l = &f->receipt.lines[n - 1];
	int left = l->quantity - l->returned_quantity;
	if (got == 1 && left > 0) /* the row: chosen (one) or not chosen */
		f->qty[n - 1] = f->qty[n - 1] > 0 ? 0 : 1;
	else if (!strcmp(what, "plus") && f->qty[n - 1] < left)
		f->qty[n - 1]++;
	else if (!strcmp(what, "minus") && f->qty[n - 1] > 0)
		f->qty[n - 1]--;
	else
		return false;
	f->notice[0] = 0;
	return true;
}

static const struct {
	const char *id;
	enum return_reason reason;
} reason_ids[] = {
	{"reason_changed_mind", REASON_CHANGED_MIND},
	{"reason_faulty", REASON_FAULTY},
	{"reason_wrong_item", REASON_WRONG_ITEM},
	{"reason_other", REASON_OTHER},
};

const char *flow_reason_id(enum return_reason reason)
{
	for (size_t i = 0; i < sizeof reason_ids / sizeof reason_ids[0]; i++)
		if (reason_ids[i].reason == reason)
			return reason_ids[i].id;
	return "";
}

/* Chosen receipt lines after (before) index from. */
static int next_chosen(const struct flow *f, int from)
{
	for (int i = from + 1; i < f->receipt.n_lines && i < FLOW_MAX_LINES; i++)
		if (f->qty[i] > 0)
			return i;
	return -1;
}

static int prev_chosen(const struct flow *f, int from)
{
	for (int i = (from < FLOW_MAX_LINES ? from : FLOW_MAX_LINES) - 1; i >= 0; i--)
		if (f->qty[i] > 0)
			return i;
	return -1;
}

/* The screen an item's questions ended on: a faulty item has no condition. */
static enum flow_screen last_of_item(const struct flow *f, int i)
{
	return f->line_reason[i] == REASON_FAULTY ? FS_REASON : FS_CONDITION;
}

/* An item answered: the next item's question, or the decision. */
static bool next_item(struct flow *f, const struct flow_effects *fx)
{
	int n = next_chosen(f, f->asking);
	if (n >= 0) {
		f->asking = n;
		flow_go(f, FS_REASON);
		return true;
	}
	return flow_decide(f, fx);
}

/* Back, asking per item: from the first question about an item to the
 * last about the one before it (or the decision to the last item's). */
static bool back_per_item(struct flow *f)
{
	int p = f->screen == FS_DECISION ? prev_chosen(f, FLOW_MAX_LINES)
					 : prev_chosen(f, f->asking);
	if (p < 0) {
		flow_go(f, FS_ITEMS);
		return true;
	}
	f->asking = p;
	flow_go(f, last_of_item(f, p));
	return true;
}

static bool tap_reason(struct flow *f, const struct flow_effects *fx, enum return_reason r)
{
	if (f->per_item) {
		int i = f->asking;
		f->line_reason[i] = r;
		f->line_reason_given[i] = true;
		if (r == REASON_FAULTY)
			f->line_cond[i] = COND_FAULTY;
	} else {
		f->reason = r;
		f->reason_given = true;
		if (r == REASON_FAULTY)
			f->condition = COND_FAULTY;
	}
	if (r == REASON_OTHER)
		flow_go(f, FS_OTHER_TEXT);
	else if (r == REASON_FAULTY)
		return f->per_item ? next_item(f, fx) : flow_decide(f, fx);
	else
		flow_go(f, FS_CONDITION);
	return true;
}

static bool tap_condition(struct flow *f, const struct flow_effects *fx, enum item_condition c)
{
	if (f->per_item) {
		f->line_cond[f->asking] = c;
		f->line_cond_given[f->asking] = true;
		return next_item(f, fx);
	}
	f->condition = c;
	f->condition_given = true;
	return flow_decide(f, fx);
}

bool flow_return_back(struct flow *f)
{
	if (!f->per_item || f->intent != FI_RETURN ||
	    (f->screen != FS_REASON && f->screen != FS_DECISION))
		return false;
	return back_per_item(f);
}

bool flow_return_tap(struct flow *f, const struct flow_effects *fx, const char *id)
{
	switch (f->screen) {
	case FS_ITEMS:
		if (!strcmp(id, KID_NEXT)) {
			if (flow_items_chosen(f) == 0) {
				flow_notice(f, "ui.notice_choose_item");
				return true;
			}
			/* different items: each its own why */
			f->per_item = flow_lines_chosen(f) > 1;
			f->asking = f->per_item ? next_chosen(f, -1) : 0;
			flow_go(f, FS_REASON);
			return true;
		}
		return tap_items(f, id);
	case FS_REASON:
		for (size_t i = 0; i < sizeof reason_ids / sizeof reason_ids[0]; i++)
			if (!strcmp(id, reason_ids[i].id))
				return tap_reason(f, fx, reason_ids[i].reason);
		return false;
	case FS_OTHER_TEXT:
		if (!strcmp(id, KID_NEXT)) {
			if (!(f->per_item ? f->line_text[f->asking] : f->text)[0]) {
				flow_notice(f, "ui.notice_type_text");
				return true;
			}
			flow_go(f, FS_CONDITION);
			return true;
		}
		return false;
	case FS_CONDITION:
		if (!strcmp(id, KID_COND_UNOPENED) || !strcmp(id, KID_COND_USED))
			return tap_condition(f, fx,
					     !strcmp(id, KID_COND_UNOPENED) ? COND_UNOPENED : COND_USED);
		return false;
	default:
		return false;
	}
}
