/* Follow my case (flow_private.h): by the code on the case receipt, or,
 * the paper lost, by the case's number and the purchase receipt. A wrong
 * code or pair says only that it does not match; a busy or unreachable
 * database says what it is. */
#include "ui/kiosk/flow.h"
#include "ui/kiosk/flow_private.h"
#include "ui/kiosk/kiosk_ids.h"

#include <string.h>

static bool show(struct flow *f, int rc, const char *not_found_key)
{
	if (rc) {
		flow_notice_for(f, rc, not_found_key);
		return true;
	}
	f->have_followed = true;
	flow_go(f, FS_FOLLOW_SHOW);
	return true;
}

bool flow_follow_by_code(struct flow *f, const struct flow_effects *fx, const char *case_id,
			 const char *token)
{
	case_record_free(&f->followed);
	f->have_followed = false;
	int rc = fx->load_case(fx->arg, case_id, token, f);
	if (rc && f->screen == FS_START)
		flow_go(f, FS_FOLLOW_SCAN);
	return show(f, rc, "ui.notice_case_unknown");
}

bool flow_follow_by_receipt(struct flow *f, const struct flow_effects *fx, const char *receipt,
			    bool typed)
{
	case_record_free(&f->followed);
	f->have_followed = false;
	int rc = fx->load_case_by_receipt
			 ? fx->load_case_by_receipt(fx->arg, f->follow_number, receipt, typed, f)
			 : KIOSK_EDENIED;
	return show(f, rc, "ui.notice_follow_no_match");
}

bool flow_follow_tap(struct flow *f, const struct flow_effects *fx, const char *id)
{
	switch (f->screen) {
	case FS_FOLLOW_SCAN:
		if (strcmp(id, KID_LOST_PAPER))
			return false;
		flow_go(f, FS_FOLLOW_NUMBER);
		return true;
	case FS_FOLLOW_NUMBER:
		if (strcmp(id, KID_NEXT))
			return false;
		if (!f->follow_number[0])
			flow_notice(f, "ui.notice_follow_number");
		else
			flow_go(f, FS_FOLLOW_RECEIPT);
		return true;
	case FS_FOLLOW_RECEIPT:
		if (strcmp(id, KID_NEXT))
			return false;
		if (!f->follow_receipt[0]) {
			flow_notice(f, "ui.notice_follow_receipt");
			return true;
		}
		return flow_follow_by_receipt(f, fx, f->follow_receipt, true);
	default:
		return false;
	}
}
