/* Offline: a kiosk keeps taking cases while the chain's database cannot be
 * reached, and each reaches the chain exactly once when it is back.
 *
 * The kiosk has a journal ([offline] journal: an embedded store on its own
 * disk). Every use case here asks the chain first; only when the chain
 * cannot be reached (KIOSK_EIO: a refused or lost connection, not a busy
 * or a refusing one) does it turn to the journal, and then, for [offline]
 * retry_seconds, the next ones go to the journal at once (a silent network
 * costs the connect timeout at each ask; offline_look and offline_report,
 * the kiosk's looks * for the chain between customers, ends the wait when it reaches it):
 *  - a receipt is read from the journal's cache of the store's receipts
 *    of the last [offline] cache_days days (offline_refresh fills it);
 *  - a case is decided from what the journal knows (a return without a
 *    receipt goes to staff: the person's credit is the chain's) and saved
 *    in the journal under a number of the kiosk's own (K- store, kiosk,
 *    number), and its receipt prints as usual;
 *  - a case taken offline is followed from the journal at once.
 * offline_replay sends the journal's cases to the chain in the order they
 * were taken, each once (its idempotency key); one that meanwhile broke a
 * rule (its items returned elsewhere, the credit used up) reaches the
 * chain as a case for staff, with the reason in its timeline. */
#ifndef KIOSK_SERVICES_OFFLINE_H
#define KIOSK_SERVICES_OFFLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/date.h"
#include "core/err.h"
#include "domain/model.h"
#include "domain/policy.h"
#include "services/case_register.h"
#include "store/store_handle.h"

struct offline;

/* The journal named by cfg's [offline] section, opened (created when
 * new). *out is NULL, and 0 returned, when [offline] journal is empty: the
 * kiosk has no offline mode. A journal needs [offline] kiosk_number (1..99,
 * unique in the store) and a 4-digit [store] id. */
int offline_open(struct offline **out, const struct kiosk_config *cfg, const char *assets_dir,
		 struct kiosk_why *why);
void offline_close(struct offline *o);
/* Does rc say that the chain could not be reached? */
bool offline_unreachable(int rc);
/* Where a case taken offline lives until (and after) it is sent: the
 * journal's handle, for reading and printing it. NULL without a journal. */
struct store *offline_journal(struct offline *o);
/* Is case_id one this kiosk's journal numbers (K- + its prefix)? */
bool offline_owns(const struct offline *o, const char *case_id);

/* A receipt: the chain's, or the cached one when the chain cannot be
 * reached (*cached). A receipt the cache does not hold then is the
 * chain's KIOSK_EIO, not KIOSK_ENOTFOUND: the customer hears that the
 * system cannot be reached, never that the receipt is unknown. o may be
 * NULL (the chain only). */
int offline_receipt(struct store *chain, struct offline *o, const char *receipt_id,
		    struct receipt *out, bool *cached, struct kiosk_why *why);
/* case_decide and case_register, with the journal when the chain cannot
 * be reached (*taken_offline). A case the chain numbered and whose save
 * there was not confirmed (the connection lost with the commit's answer,
 * the chain not to be asked) is kept in the journal under the chain's
 * number and with its code: the replay finds it in the chain if it is
 * there, and sends it otherwise. */
int offline_decide(struct store *chain, struct offline *o, const struct policy *p,
		   const struct i18n *t, const struct case_request *req, struct kiosk_time now,
		   struct decision *out, struct kiosk_why *why);
int offline_register(struct store *chain, struct offline *o, const struct policy *p,
		     const struct i18n *t, const struct case_request *req, struct kiosk_time now,
		     struct case_record *out, char token_hex[CASE_TOKEN_HEX + 1],
		     bool *taken_offline, struct kiosk_why *why);
/* The store that holds case_id for following it: the chain, unless the
 * case is in this kiosk's journal (its own number, or the chain's for a
 * save not confirmed) and the chain cannot be reached or does not have it
 * yet. *s is chain or the journal. */
int offline_case_home(struct store *chain, struct offline *o, const char *case_id,
		      struct store **s, struct kiosk_why *why);

/* What a replay did. */
struct offline_replay_result {
	int sent;      /* cases now in the chain */
	int already;   /* in the chain before (a replay cut short), now marked */
	int to_staff;  /* sent as cases for staff: a rule broke meanwhile */
	int64_t left;  /* still waiting in the journal */
};
/* Send up to max journal cases (max < 0: all) to the chain, oldest first.
 * Stops at the first failure (the chain gone again), which is returned;
 * what was sent stays sent. The kiosk's line in the chain's
 * kiosk_journals says what is left. */
int offline_replay(struct offline *o, struct store *chain, const struct policy *p,
		   struct kiosk_time now, int max, struct offline_replay_result *res,
		   struct kiosk_why *why);
/* The kiosk's look at the chain between customers, never waiting
 * (store_reach): 1 reached, 0 a connection on its way (look again within a
 * second), or the chain's error. A chain found unreachable sends the
 * customer's next steps to the journal at once, as a step that found it
 * so does, and one reached ends that. o may be NULL (no journal). */
int offline_look(struct offline *o, struct store *chain, struct kiosk_why *why);
/* Tell the chain (the counter's line for this kiosk in kiosk_journals) how
 * many cases the journal holds that have not reached it yet. The kiosk does
 * this as soon as it reaches the chain again, so staff see what is on its
 * way before the sync service has sent it. Never waits for a chain that
 * does not answer: 1 while a connection to it is on its way (call again
 * within a second to move it on), 0 when the chain was told. */
int offline_report(struct offline *o, struct store *chain, struct kiosk_time now,
		   struct kiosk_why *why);
/* Refresh the receipt cache from the chain: the store's receipts of the
 * last cache_days days; *n copied. */
int offline_refresh(struct offline *o, struct store *chain, struct kiosk_time now, int *n,
		    struct kiosk_why *why);
/* The journal's cases waiting to be sent, and the oldest's time. */
int offline_pending(struct offline *o, int64_t *n, struct kiosk_time *oldest,
		    struct kiosk_why *why);

#endif
