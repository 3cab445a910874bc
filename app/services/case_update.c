#include "services/case_update.h"

#include <stdio.h>
#include <string.h>

#include "services/desk.h"

int case_update_apply(struct store *s, const struct desk_rules *rules, const char *staff_id,
		      const char *pin, const struct case_update *u, struct kiosk_time now,
		      struct kiosk_why *why)
{
	if (!u->set_state && !u->next_step && !u->set_promised && !u->note)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Say what to change: --state, --next-step, --promised or --note.");
	if (u->note && !*u->note)
		return kiosk_fail(why, KIOSK_EINVAL, "A note needs some text.");
	char card[48];
	snprintf(card, sizeof card, "KS1:%.40s", staff_id);
	struct staff_record who;
	int rc = desk_login(s, card, pin, now, &who, why);
	if (rc)
		return rc;
	struct desk_case d;
	if ((rc = desk_case_open(s, u->case_id, time_local_days(now), &d, why))) {
		desk_case_free(&d);
		return rc;
	}
	if (u->set_state)
		rc = desk_set_state(s, rules, &who, u->case_id, u->state, "", u->next_step,
				    u->set_promised ? &u->promised_day : NULL, now, why);
	else if (u->next_step || u->set_promised)
		rc = desk_set_promise(s, &who, u->case_id,
				      u->next_step ? u->next_step : d.c.decision.next_step,
				      u->set_promised ? u->promised_day : d.c.decision.promised_day,
				      now, why);
	if (!rc && u->note)
		rc = desk_add_note(s, &who, u->case_id, u->note, now, why);
	desk_case_free(&d);
	return rc;
}
