/* Register a case: the customer's answers (and receipt, or an ID document
 * for a return without one) → the policy's decision → a random token →
 * the case saved in the store. The case is committed before this returns,
 * so whatever prints its receipt afterwards (the print service, called by
 * the UI) can fail without losing it. */
#ifndef KIOSK_SERVICES_CASE_REGISTER_H
#define KIOSK_SERVICES_CASE_REGISTER_H

#include <stdbool.h>
#include "core/date.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/model.h"
#include "domain/policy.h"
#include "store/store_handle.h"

/* One item. With a receipt only receipt_line, quantity, condition and
 * reason are read: sku, description, price and category come from the
 * receipt in the database (never from the caller). Without a receipt the
 * caller fills sku, description, unit_price and category as well. */
struct case_request {
	enum case_kind kind;
	const char *store;        /* NULL: the policy's store ([store] id) */
	const char *receipt_id;   /* NULL or "": without a receipt */
	const char *id_hash;      /* id_hash_compute of the scanned ID, NULL if none */
	int n_lines;              /* return: 1..POLICY_MAX_LINES; fault: 0 or 1 */
	const struct case_line *lines;
	const char *product;      /* fault: the product in the customer's words */
	const char *customer_text;
	bool wants_updates;
	const char *contact;      /* only kept when wants_updates */
	/* Who registers: NULL or "" for the customer at a kiosk ("kiosk");
	 * "staff:S001" when staff run the flow for a customer at the counter,
	 * which also writes an audit-log row (case.register) with them. */
	const char *actor;
	/* Saved in a kiosk's offline journal (services/offline.h): what needs
	 * the chain's data (a person's no-receipt credit) goes to staff. */
	bool offline;
	/* NULL, or the case's number and token wherever it is saved
	 * (domain/model.h): its token is used when it has one, and the token
	 * made is written to it. */
	struct case_origin *origin;
};

/* Decide and save. t is the customer's language (the case's language and
 * the decision's sentences). On success out is the saved case (free with
 * case_record_free) and token_hex the 16-digit token to print in the case
 * code; it is not stored anywhere in clear. A refused request (unknown
 * receipt, more than is left to return, ...) returns a negative code with
 * why, and the database is unchanged. */
int case_register(struct store *s, const struct policy *p, const struct i18n *t,
		  const struct case_request *req, struct kiosk_time now, struct case_record *out,
		  char token_hex[CASE_TOKEN_HEX + 1], struct kiosk_why *why);

/* The decision case_register would make now, without saving anything:
 * for showing the customer the outcome before they confirm. The same
 * checks and the same code path, so what is shown is what is saved. */
int case_decide(struct store *s, const struct policy *p, const struct i18n *t,
		const struct case_request *req, struct kiosk_time now, struct decision *out,
		struct kiosk_why *why);

/* When the no-receipt credit's rolling period began, for a case at now:
 * local midnight in now's offset. */
struct kiosk_time case_credit_since(const struct policy *p, struct kiosk_time now);

/* 64 random bits (libsodium) as 16 lowercase hex digits. */
int case_token_new(char token_hex[CASE_TOKEN_HEX + 1], struct kiosk_why *why);

/* After the case is saved, the customer asks for updates: contact (as
 * typed) is saved in its normal form with the customer's consent, and the
 * first message (registered, with the decision) is written with it.
 * KIOSK_EINVAL when it is neither an e-mail address nor a phone number. */
int case_set_contact(struct store *s, const char *case_id, const char *contact,
		     struct kiosk_time now, struct kiosk_why *why);

#endif
