/* Staff at the counter or a script (desk.h). */
#include "services/desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/wipe.h"
#include "store/store.h"

/* The timeline's actor for a staff member. */
static void actor_of(const struct staff_record *who, char *buf, size_t len)
{
	snprintf(buf, len, "staff:%s", who->staff_id);
}

int desk_login(struct store *s, const char *card, const char *pin, struct kiosk_time now,
	       struct staff_record *who, struct kiosk_why *why)
{
	return store_staff_login(s, card, pin, now, who, why);
}

bool desk_card_active(struct store *s, const char *card)
{
	struct staff_record *all = NULL;
	int n = 0;
	bool active = false;
	struct kiosk_why why;
	if (store_staff_list(s, &all, &n, &why) == 0)
		for (int i = 0; i < n; i++)
			if (!strcmp(all[i].card_code, card))
				active = all[i].active;
	free(all);
	return active;
}

int desk_case_open(struct store *s, const char *case_id, int64_t today, struct desk_case *out,
		   struct kiosk_why *why)
{
	memset(out, 0, sizeof *out);
	int rc = store_case_get(s, case_id, today, &out->c, why);
	if (rc) {
		memset(&out->c, 0, sizeof out->c);
		return rc;
	}
	if ((rc = store_case_events(s, case_id, &out->events, &out->n_events, why)))
		return rc;
	return store_outbox_of_case(s, case_id, &out->msgs, &out->n_msgs, why);
}

void desk_case_free(struct desk_case *d)
{
	if (d->c.case_id[0])
		case_record_free(&d->c);
	free(d->events);
	mem_wipe(d->msgs, sizeof *d->msgs * (size_t)d->n_msgs); /* the customer's address */
	free(d->msgs);
	memset(d, 0, sizeof *d);
}

int desk_case_list(struct store *s, const struct case_filter *f, struct case_record **out,
		   int *n, struct kiosk_why *why)
{
	return store_case_list(s, f, out, n, why);
}

int desk_case_each(struct store *s, const struct case_filter *f,
		   int (*fn)(void *arg, const struct case_record *c), void *arg,
		   struct kiosk_why *why)
{
	return store_case_each(s, f, fn, arg, why);
}

int desk_set_state(struct store *s, const struct desk_rules *rules,
		   const struct staff_record *who, const char *case_id, enum case_state state,
		   const char *text, const char *next_step, const int64_t *promised_day,
		   struct kiosk_time now, struct kiosk_why *why)
{
	char actor[32], lang[4], next[400];
	int64_t day = 0;
	actor_of(who, actor, sizeof actor);
	struct case_record c;
	int rc = store_case_get(s, case_id, time_local_days(now), &c, why);
	if (rc)
		return rc;
	snprintf(lang, sizeof lang, "%s", c.lang);
	snprintf(next, sizeof next, "%s", c.decision.next_step);
	day = c.decision.promised_day;
	case_record_free(&c);
	const struct i18n *tr = !strcmp(lang, "en") ? rules->en : rules->sv;
	bool moves = policy_next_for_state(rules->policy, tr, state, time_local_days(now), next,
					   sizeof next, &day) == 1;
	if (next_step) {
		snprintf(next, sizeof next, "%s", next_step);
		moves = true;
	}
	if (promised_day) {
		day = *promised_day;
		moves = true;
	}
	return store_case_move(s, case_id, state, moves ? next : NULL, day, now, actor,
			       text ? text : "", why);
}

int desk_set_promise(struct store *s, const struct staff_record *who, const char *case_id,
		     const char *next_step, int64_t promised_day, struct kiosk_time now,
		     struct kiosk_why *why)
{
	char actor[32];
	actor_of(who, actor, sizeof actor);
	return store_case_set_promise(s, case_id, next_step, promised_day, now, actor, why);
}

int desk_add_note(struct store *s, const struct staff_record *who, const char *case_id,
		  const char *text, struct kiosk_time now, struct kiosk_why *why)
{
	if (!text || strspn(text, " ") == strlen(text))
		return kiosk_fail(why, KIOSK_EINVAL, "A note needs some text.");
	char actor[32];
	actor_of(who, actor, sizeof actor);
	return store_case_add_event(s, case_id, now, actor, "note", text, why);
}

bool desk_may_override(const struct staff_record *who, int64_t value, int64_t manager_above)
{
	return value <= manager_above || who->role == ROLE_MANAGER;
}

int desk_override(struct store *s, const struct staff_record *who, const char *case_id,
		  enum case_outcome outcome, const char *reason, const struct i18n *customer_tr,
		  int64_t manager_above, struct kiosk_time now, struct kiosk_why *why)
{
	if (!reason || strspn(reason, " ") == strlen(reason))
		return kiosk_fail(why, KIOSK_EINVAL, "An override needs a reason.");
	struct case_record c;
	int rc = store_case_get(s, case_id, time_local_days(now), &c, why);
	if (rc)
		return rc;
	int64_t value = case_record_value(&c);
	struct decision d = c.decision;
	case_record_free(&c);
	if (!desk_may_override(who, value, manager_above))
		return kiosk_fail(why, KIOSK_EDENIED,
				  "Only a manager may change a decision on a case worth more than "
				  "%lld.%02lld.",
				  (long long)(manager_above / 100), (long long)(manager_above % 100));
	const char *kv[] = {"reason", reason, NULL};
	d.outcome = outcome;
	snprintf(d.rule, sizeof d.rule, "staff.override");
	/* the customer reads the explanation on a reprint: their language */
	i18n_fill(d.explanation, sizeof d.explanation,
		  i18n_get(customer_tr, "counter.override_explanation"), kv);
	snprintf(d.details, sizeof d.details, "{\"by\":\"%s\"}", who->staff_id);
	if (outcome == OUTCOME_REFUND || outcome == OUTCOME_STORE_CREDIT)
		d.amount = value;
	else if (outcome == OUTCOME_REFUSED)
		d.amount = 0;
	char actor[32];
	actor_of(who, actor, sizeof actor);
	return store_case_set_decision(s, case_id, &d, now, actor, reason, why);
}

int desk_forget_contact(struct store *s, const struct staff_record *who, const char *case_id,
			struct kiosk_time now, struct kiosk_why *why)
{
	char actor[32];
	actor_of(who, actor, sizeof actor);
	return store_case_forget_contact(s, case_id, now, actor, why);
}

int desk_resend(struct store *s, const char *case_id, struct kiosk_time now, int *n,
		struct kiosk_why *why)
{
	return store_outbox_resend(s, case_id, now, n, why);
}

int desk_audit(struct store *s, const struct staff_record *who, const char *action,
	       const char *detail, struct kiosk_time now, struct kiosk_why *why)
{
	char actor[32];
	actor_of(who, actor, sizeof actor);
	return store_audit_append(s, now, actor, action, detail, why);
}

int desk_offline_waiting(struct store *s, const char *store_id, struct kiosk_journal_row **out,
			 int *n, struct kiosk_why *why)
{
	int rc = store_kiosk_journals(s, store_id ? store_id : "", out, n, why);
	while (!rc && *n > 0 && (*out)[*n - 1].pending == 0)
		--*n; /* listed with cases waiting first */
	return rc;
}

int desk_calls_open(struct store *s, const char *store_id, struct staff_call **out, int *n,
		    struct kiosk_why *why)
{
	return store_call_list_open(s, store_id, out, n, why);
}

int desk_call_answer(struct store *s, const struct staff_record *who, int64_t call_id,
		     struct kiosk_time now, struct kiosk_why *why)
{
	return store_call_answer(s, call_id, who->staff_id, now, why);
}

int desk_staff_add(struct store *s, const char *name, enum staff_role role, const char *pin,
		   struct kiosk_time now, struct staff_record *out, struct kiosk_why *why)
{
	return store_staff_add(s, name, role, pin, now, out, why);
}

int desk_staff_list(struct store *s, struct staff_record **out, int *n, struct kiosk_why *why)
{
	return store_staff_list(s, out, n, why);
}

int desk_staff_disable(struct store *s, const char *staff_id, struct kiosk_time now,
		       struct kiosk_why *why)
{
	return store_staff_disable(s, staff_id, now, why);
}
