/* Names of the model's enums (stable: stored in the database and JSON). */
#include "domain/model.h"

#include "core/wipe.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"return", "fault"};
static const char *const state_names[CASE_STATE_COUNT] = {
	"registered", "waiting_for_staff", "approved", "refused",
	"at_repair", "back_from_repair", "ready_for_pickup", "closed",
};
static const char *const outcome_names[OUTCOME_COUNT] = {
	"refund", "store_credit", "exchange", "repair", "replace", "staff", "refused",
};
static const char *const condition_names[COND_COUNT] = {"unopened", "used", "faulty"};
static const char *const reason_names[REASON_COUNT] = {"changed_mind", "faulty", "wrong_item",
						       "other"};
static const char *const role_names[] = {"staff", "manager"};

static const char *name_at(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "unknown";
}

static int index_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

#define NAMES(fn_name, fn_parse, type, table)                      \
	const char *fn_name(type v)                                \
	{                                                          \
		return name_at(table, (int)(sizeof table / sizeof table[0]), (int)v); \
	}                                                          \
	int fn_parse(const char *s, type *out)                     \
	{                                                          \
		int i = index_of(table, (int)(sizeof table / sizeof table[0]), s); \
		if (i < 0)                                         \
			return -1;                                 \
		*out = (type)i;                                    \
		return 0;                                          \
	}

NAMES(case_kind_name, case_kind_parse, enum case_kind, kind_names)
NAMES(case_state_name, case_state_parse, enum case_state, state_names)
NAMES(case_outcome_name, case_outcome_parse, enum case_outcome, outcome_names)
NAMES(item_condition_name, item_condition_parse, enum item_condition, condition_names)
NAMES(return_reason_name, return_reason_parse, enum return_reason, reason_names)
NAMES(staff_role_name, staff_role_parse, enum staff_role, role_names)

void receipt_free(struct receipt *r)
{
	if (!r)
		return;
	free(r->lines);
	r->lines = NULL;
	r->n_lines = 0;
}

void case_record_free(struct case_record *c)
{
	if (!c)
		return;
	/* a case holds the customer's words and contact: wiped, not just freed */
	mem_wipe_free(c->lines);
	mem_wipe(c, sizeof *c);
}

int64_t case_record_value(const struct case_record *c)
{
	int64_t v = 0;
	for (int i = 0; i < c->n_lines; i++)
		v += c->lines[i].unit_price * c->lines[i].quantity;
	return v > c->decision.amount ? v : c->decision.amount;
}

bool pin_is_weak(const char *pin)
{
	size_t n = strlen(pin);
	if (n < 2)
		return true;
	bool same = true, up = true, down = true;
	for (size_t i = 1; i < n; i++) {
		int step = pin[i] - pin[i - 1];
		same = same && step == 0;
		up = up && step == 1;
		down = down && step == -1;
	}
	return same || up || down;
}
