/* A customer's visit (visit.h). */
#include "services/visit.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int visit_receipt(struct store *s, const char *receipt_id, struct receipt *out,
		  struct kiosk_why *why)
{
	return store_receipt_get(s, receipt_id, out, why);
}

/* The case shown (token or receipt already checked): its events without
 * earlier visits, and this visit recorded. */
static int follow_read(struct store *s, const char *case_id, struct kiosk_time now,
		       struct case_record *out, struct case_event *events, int max_events,
		       int *n_events, struct kiosk_why *why)
{
	struct case_event *ev = NULL;
	int n = 0;
	int rc = store_case_events(s, case_id, &ev, &n, why);
	if (rc) {
		case_record_free(out);
		return rc;
	}
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(ev[i].event, "viewed"))
			ev[kept++] = ev[i];
	int from = kept > max_events ? kept - max_events : 0;
	*n_events = kept - from;
	memcpy(events, ev + from, sizeof *ev * (size_t)*n_events);
	free(ev);
	struct kiosk_why ignore;
	store_case_add_event(s, case_id, now, "kiosk", "viewed",
			     "The customer opened the case at the kiosk.", &ignore);
	return 0;
}

int visit_follow_case(struct store *s, const char *case_id, const char *token,
		      struct kiosk_time now, struct case_record *out, struct case_event *events,
		      int max_events, int *n_events, struct kiosk_why *why)
{
	*n_events = 0;
	memset(out, 0, sizeof *out);
	int rc = store_case_check_token(s, case_id, token, why);
	if (!rc)
		rc = store_case_get(s, case_id, time_local_days(now), out, why);
	return rc ? rc : follow_read(s, case_id, now, out, events, max_events, n_events, why);
}

int visit_follow_by_receipt(struct store *s, const char *case_id, const char *receipt_id,
			    struct kiosk_time now, struct case_record *out,
			    struct case_event *events, int max_events, int *n_events,
			    struct kiosk_why *why)
{
	*n_events = 0;
	memset(out, 0, sizeof *out);
	int rc = store_case_get(s, case_id, time_local_days(now), out, why);
	if (rc == KIOSK_ENOTFOUND || (!rc && (!out->receipt_id[0] ||
					      strcmp(out->receipt_id, receipt_id)))) {
		if (!rc)
			case_record_free(out);
		return kiosk_fail(why, KIOSK_EDENIED,
				  "That case number and receipt do not go together.");
	}
	return rc ? rc : follow_read(s, case_id, now, out, events, max_events, n_events, why);
}

int visit_call_staff(struct store *s, const char *store_id, const char *kiosk,
		     const char *case_id, const char *context, struct kiosk_time now,
		     int64_t *call_id, struct kiosk_why *why)
{
	return store_call_create_about(s, store_id, kiosk, case_id && *case_id ? case_id : NULL,
				       context, now, call_id, why);
}

int visit_call_waiting(struct store *s, int64_t call_id, bool *waiting, struct kiosk_why *why)
{
	return store_call_is_open(s, call_id, waiting, why);
}

int visit_call_withdraw(struct store *s, int64_t call_id, const char *kiosk,
			struct kiosk_time now, struct kiosk_why *why)
{
	return store_call_withdraw(s, call_id, kiosk, now, why);
}
