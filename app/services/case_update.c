#include "services/case_update.h"

#include <stdio.h>
#include <string.h>

#include "core/wipe.h"

int case_update_apply(struct store *s, const char *staff_id, const char *pin,
		      const struct case_update *u, struct kiosk_time now, struct kiosk_why *why)
{
	if (!u->set_state && !u->next_step && !u->set_promised && !u->note)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Say what to change: --state, --next-step, --promised or --note.");
	if (u->note && !*u->note)
		return kiosk_fail(why, KIOSK_EINVAL, "A note needs some text.");
	char card[48], actor[32];
	snprintf(card, sizeof card, "KS1:%.40s", staff_id);
	struct staff_record who;
	int rc = store_staff_login(s, card, pin, now, &who, why);
	if (rc)
		return rc;
	snprintf(actor, sizeof actor, "staff:%s", who.staff_id);
	struct case_record c;
	if ((rc = store_case_get(s, u->case_id, time_local_days(now), &c, why)))
		return rc;
	if (u->set_state)
		rc = store_case_set_state(s, u->case_id, u->state, now, actor, "", why);
	if (!rc && (u->next_step || u->set_promised))
		rc = store_case_set_promise(s, u->case_id,
					    u->next_step ? u->next_step : c.decision.next_step,
					    u->set_promised ? u->promised_day : c.decision.promised_day,
					    now, actor, why);
	if (!rc && u->note)
		rc = store_case_add_event(s, u->case_id, now, actor, "note", u->note, why);
	case_record_free(&c);
	return rc;
}
