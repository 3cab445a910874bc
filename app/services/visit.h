/* What a customer's visit to the kiosk reads and asks for, besides
 * registering a case (case_register.h): a receipt by its number, their
 * case shown when they scan its receipt, and a call for a person. */
#ifndef KIOSK_SERVICES_VISIT_H
#define KIOSK_SERVICES_VISIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "domain/model.h"
#include "store/store_handle.h"

/* A receipt with its lines and what is already returned (also `kiosk
 * receipt show`). KIOSK_ENOTFOUND when it was never imported; a database
 * that cannot answer says so (KIOSK_EBUSY, KIOSK_EIO), never "unknown". */
int visit_receipt(struct store *s, const char *receipt_id, struct receipt *out,
		  struct kiosk_why *why);

/* The customer's case, shown to whoever holds its receipt: token proves it
 * (KIOSK_EDENIED otherwise). The case (case_record_free) and its newest
 * max_events timeline events, oldest first, without earlier visits, which
 * are figures for the report, not news. The visit itself is recorded
 * (event "viewed"); failing to record it does not hide the case. */
int visit_follow_case(struct store *s, const char *case_id, const char *token,
		      struct kiosk_time now, struct case_record *out, struct case_event *events,
		      int max_events, int *n_events, struct kiosk_why *why);

/* The same for a customer whose case receipt is lost: the case is shown
 * to whoever names it together with the purchase receipt it was
 * registered with (the paper from the till, or its number). A case
 * without a receipt, or a pair that does not go together, is refused with
 * KIOSK_EDENIED and one sentence that does not say which part was wrong. */
int visit_follow_by_receipt(struct store *s, const char *case_id, const char *receipt_id,
			    struct kiosk_time now, struct case_record *out,
			    struct case_event *events, int max_events, int *n_events,
			    struct kiosk_why *why);

/* "Talk to a person": a call from kiosk of store_id, about case_id (NULL
 * when the customer has none yet), with where the customer is (context:
 * "screen|receipt|items chosen"); *call_id is the call's number. */
int visit_call_staff(struct store *s, const char *store_id, const char *kiosk,
		     const char *case_id, const char *context, struct kiosk_time now,
		     int64_t *call_id, struct kiosk_why *why);
/* Is the call still waiting for someone from the staff? */
int visit_call_waiting(struct store *s, int64_t call_id, bool *waiting, struct kiosk_why *why);
/* The customer says they no longer need anyone. */
int visit_call_withdraw(struct store *s, int64_t call_id, const char *kiosk,
			struct kiosk_time now, struct kiosk_why *why);

#endif
