/* Staff at the counter, or a script in their name (`kiosk case update`):
 * logging in, the case list, one case with its timeline and the messages
 * to its customer, every action on a case, and the talk-to-a-person calls.
 * The screens and the command line call these, never the store: each
 * action is one store transaction that writes the change, its timeline
 * event and its audit row with the staff member as actor, and the rules
 * that are staff's (the manager limit on overrides) are checked here, in
 * one place for every caller.
 *
 * Every function returns 0 or a negative kiosk_err and fills why. */
#ifndef KIOSK_SERVICES_DESK_H
#define KIOSK_SERVICES_DESK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/model.h"
#include "domain/policy.h"
#include "store/store_handle.h"

/* ---- who is at the desk --------------------------------------------------- */

/* Log in with the staff card's code and the PIN (five wrong PINs lock the
 * card: KIOSK_EBUSY; a wrong PIN or a card that may not log in:
 * KIOSK_EDENIED). */
int desk_login(struct store *s, const char *card, const char *pin, struct kiosk_time now,
	       struct staff_record *who, struct kiosk_why *why);
/* Is card an active staff member's (to word a refused login)? */
bool desk_card_active(struct store *s, const char *card);

/* ---- reading -------------------------------------------------------------- */

/* One case as staff see it; desk_case_free. */
struct desk_case {
	struct case_record c;
	struct case_event *events; /* the whole timeline, oldest first */
	int n_events;
	struct outbox_msg *msgs;   /* the messages to the customer, oldest first */
	int n_msgs;
};
/* KIOSK_ENOTFOUND for an unknown case. Lines, timeline and messages are
 * read together; a failure reading the last two is returned with the case
 * kept (out->c valid, check out->c.case_id). */
int desk_case_open(struct store *s, const char *case_id, int64_t today, struct desk_case *out,
		   struct kiosk_why *why);
/* Frees and wipes (the messages hold the customer's address). */
void desk_case_free(struct desk_case *d);

/* A page of cases (store_case_list's order); free each with
 * case_record_free and the array with free(). */
int desk_case_list(struct store *s, const struct case_filter *f, struct case_record **out,
		   int *n, struct kiosk_why *why);
/* Every case of f, one at a time, in constant memory (the record is valid
 * during the call); fn returns 0 to go on, 1 to stop, or an error. */
int desk_case_each(struct store *s, const struct case_filter *f,
		   int (*fn)(void *arg, const struct case_record *c), void *arg,
		   struct kiosk_why *why);

/* ---- acting on a case ----------------------------------------------------- */

/* What a state move needs to set the next step that goes with it: the
 * store's policy (its days) and the words in both languages (the case's
 * language is used). Not owned. */
struct desk_rules {
	const struct policy *policy;
	const struct i18n *sv, *en;
};
/* Move the case to state; text says why (a refusal's reason), or "". The
 * next step moves with it (policy_next_for_state: "Varan lagas nu…" at
 * repair, none once closed), so follow-my-case never shows a stale one;
 * registered and approved keep the decision's step. next_step and
 * promised_day, when not NULL, are staff's own instead. One change, one
 * event, one message to the customer. */
int desk_set_state(struct store *s, const struct desk_rules *rules,
		   const struct staff_record *who, const char *case_id, enum case_state state,
		   const char *text, const char *next_step, const int64_t *promised_day,
		   struct kiosk_time now, struct kiosk_why *why);
/* The next step and its promised day (0: no date). */
int desk_set_promise(struct store *s, const struct staff_record *who, const char *case_id,
		     const char *next_step, int64_t promised_day, struct kiosk_time now,
		     struct kiosk_why *why);
int desk_add_note(struct store *s, const struct staff_record *who, const char *case_id,
		  const char *text, struct kiosk_time now, struct kiosk_why *why);

/* May who override a case worth value (minor units)? Above manager_above
 * only a manager may. */
bool desk_may_override(const struct staff_record *who, int64_t value, int64_t manager_above);
/* Staff change the decision to outcome for reason (kept for staff and the
 * audit log, never shown to the customer). The customer's explanation is
 * customer_tr's "counter.override_explanation" (their language); a refund
 * or store credit is the case's value, a refusal nothing. Refused with
 * KIOSK_EDENIED when desk_may_override says no. */
int desk_override(struct store *s, const struct staff_record *who, const char *case_id,
		  enum case_outcome outcome, const char *reason, const struct i18n *customer_tr,
		  int64_t manager_above, struct kiosk_time now, struct kiosk_why *why);

/* At the customer's request: their contact details and unsent messages go. */
int desk_forget_contact(struct store *s, const struct staff_record *who, const char *case_id,
			struct kiosk_time now, struct kiosk_why *why);
/* Send the case's failed messages again; *n of them. */
int desk_resend(struct store *s, const char *case_id, struct kiosk_time now, int *n,
		struct kiosk_why *why);
/* An audit-log row for something staff did outside a case. */
int desk_audit(struct store *s, const struct staff_record *who, const char *action,
	       const char *detail, struct kiosk_time now, struct kiosk_why *why);

/* ---- kiosks' offline journals -------------------------------------------- */

/* The kiosks of store_id with cases taken offline that have not reached
 * the database yet, as each kiosk last said (services/offline.h); only
 * kiosks with cases waiting; free(*out). */
int desk_offline_waiting(struct store *s, const char *store_id, struct kiosk_journal_row **out,
			 int *n, struct kiosk_why *why);

/* ---- talk-to-a-person calls ---------------------------------------------- */

/* The open calls of store_id (NULL: every store), oldest first; free(*out). */
int desk_calls_open(struct store *s, const char *store_id, struct staff_call **out, int *n,
		    struct kiosk_why *why);
int desk_call_answer(struct store *s, const struct staff_record *who, int64_t call_id,
		     struct kiosk_time now, struct kiosk_why *why);

/* ---- staff members (`kiosk staff`) --------------------------------------- */

int desk_staff_add(struct store *s, const char *name, enum staff_role role, const char *pin,
		   struct kiosk_time now, struct staff_record *out, struct kiosk_why *why);
/* Every staff member, free(*out). */
int desk_staff_list(struct store *s, struct staff_record **out, int *n, struct kiosk_why *why);
int desk_staff_disable(struct store *s, const char *staff_id, struct kiosk_time now,
		       struct kiosk_why *why);

#endif
