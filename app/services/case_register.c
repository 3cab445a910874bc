/* The "register a case" use case (see case_register.h): read the receipt
 * from the store (fresh, so returned quantities are current), let the pure
 * policy decide, and save the case with a new token in one store call. */
#include "services/case_register.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/contact.h"
#include "store/store.h"

int case_token_new(char token_hex[CASE_TOKEN_HEX + 1], struct kiosk_why *why)
{
	unsigned char raw[CASE_TOKEN_HEX / 2];
	if (sodium_init() < 0)
		return kiosk_fail(why, KIOSK_EIO, "libsodium could not start");
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token_hex, CASE_TOKEN_HEX + 1, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	return 0;
}

static int copy_text(char *dst, size_t len, const char *src, const char *what,
		     struct kiosk_why *why)
{
	if (!src)
		src = "";
	if (strlen(src) >= len)
		return kiosk_fail(why, KIOSK_EINVAL, "the %s is too long (at most %zu bytes)", what,
				  len - 1);
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

static bool is_hash_hex(const char *h)
{
	size_t n = 0;
	for (; h[n]; n++)
		if (!((h[n] >= '0' && h[n] <= '9') || (h[n] >= 'a' && h[n] <= 'f')))
			return false;
	return n == 64;
}

/* Request → case record without the decision; lines copied and, with a
 * receipt, filled from it. pl gets the policy's view of each line. */
static int build_record(const struct policy *p, const struct case_request *req,
			const struct receipt *r, const struct i18n *t, struct case_record *c, struct policy_line *pl,
			struct kiosk_why *why)
{
	int rc;
	memset(c, 0, sizeof *c);
	c->kind = req->kind;
	if ((rc = copy_text(c->store, sizeof c->store, req->store ? req->store : p->store_id,
			    "store", why)) ||
	    (rc = copy_text(c->lang, sizeof c->lang, i18n_lang(t), "language", why)) ||
	    (rc = copy_text(c->receipt_id, sizeof c->receipt_id, r ? r->receipt_id : "",
			    "receipt number", why)) ||
	    (rc = copy_text(c->product, sizeof c->product, req->product, "product name", why)) ||
	    (rc = copy_text(c->customer_text, sizeof c->customer_text, req->customer_text,
			    "description", why)))
		return rc;
	if (!c->store[0])
		return kiosk_fail(why, KIOSK_EINVAL, "the kiosk's store is not configured");
	c->wants_updates = req->wants_updates;
	if (req->wants_updates) {
		/* saved in one form: E.164, or the address with its domain in
		 * lower case (domain/contact.h) */
		if (contact_normalise(req->contact, c->contact, sizeof c->contact) == CONTACT_NONE)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "updates need a phone number or an e-mail address");
	}
	/* The ID hash is kept only where it is needed: to count credit given
	 * without a receipt. */
	if (!r && req->id_hash && *req->id_hash) {
		if (!is_hash_hex(req->id_hash))
			return kiosk_fail(why, KIOSK_EINVAL, "the ID hash must be 64 hex digits");
		memcpy(c->id_hash, req->id_hash, 65);
	}
	if (req->n_lines < 0 || req->n_lines > POLICY_MAX_LINES || (req->n_lines && !req->lines))
		return kiosk_fail(why, KIOSK_EINVAL, "a case holds 0 to %d items, not %d",
				  POLICY_MAX_LINES, req->n_lines);
	if (req->kind == CASE_FAULT && req->n_lines > 1)
		return kiosk_fail(why, KIOSK_EINVAL, "a fault report is about one product");
	c->n_lines = req->n_lines;
	if (req->n_lines) {
		c->lines = calloc((size_t)req->n_lines, sizeof *c->lines);
		if (!c->lines)
			return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	}
	for (int i = 0; i < req->n_lines; i++) {
		struct case_line *l = &c->lines[i];
		*l = req->lines[i];
		const struct receipt_line *rl = NULL;
		if (r) {
			for (int k = 0; k < r->n_lines; k++)
				if (r->lines[k].line == l->receipt_line)
					rl = &r->lines[k];
			if (!rl)
				return kiosk_fail(why, KIOSK_EINVAL, "receipt %s has no line %d",
						  r->receipt_id, l->receipt_line);
			/* What was bought comes from the receipt, not the caller. */
			memcpy(l->sku, rl->sku, sizeof l->sku);
			memcpy(l->description, rl->description, sizeof l->description);
			memcpy(l->category, rl->category, sizeof l->category);
			l->unit_price = rl->unit_price;
		} else if (l->receipt_line != 0) {
			return kiosk_fail(why, KIOSK_EINVAL,
					  "item %d names a receipt line but there is no receipt", i + 1);
		}
		l->sku[sizeof l->sku - 1] = l->description[sizeof l->description - 1] = 0;
		l->category[sizeof l->category - 1] = 0;
		pl[i] = (struct policy_line){
			.line = l->receipt_line,
			.unit_price = l->unit_price,
			.quantity = l->quantity,
			.quantity_left = rl ? rl->quantity - rl->returned_quantity : 0,
			.condition = l->condition,
			.reason = l->reason,
		};
		memcpy(pl[i].category, l->category, sizeof pl[i].category);
	}
	return 0;
}

/* Local midnight starting the no-receipt credit's rolling period, in the
 * kiosk's offset. */
struct kiosk_time case_credit_since(const struct policy *p, struct kiosk_time now)
{
	int64_t since_day = policy_credit_since(p, time_local_days(now));
	return (struct kiosk_time){since_day * 86400 - (int64_t)now.offset_min * 60,
				   now.offset_min};
}

static int decide(struct store *s, const struct policy *p, const struct i18n *t,
		  const struct case_request *req, const struct receipt *r, struct kiosk_time now,
		  const struct policy_line *pl, struct decision *d, struct kiosk_why *why)
{
	int64_t today = time_local_days(now);
	int64_t purchase_day = r ? time_local_days(r->purchased_at) : 0;
	if (req->kind == CASE_FAULT) {
		if (!req->customer_text || !*req->customer_text)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "a fault report needs the fault in the customer's words");
		struct fault_request fr = {r != NULL, purchase_day, today};
		return policy_decide_fault(p, &fr, t, d, why);
	}
	struct return_request rr = {
		.has_receipt = r != NULL,
		.purchase_day = purchase_day,
		.today = today,
		.has_id = !r && req->id_hash && *req->id_hash,
		.offline = req->offline,
		.n_lines = req->n_lines,
		.lines = pl,
	};
	if (rr.has_id && !rr.offline) {
		int rc = store_credit_without_receipt(s, req->id_hash, case_credit_since(p, now),
						      &rr.credit_used, why);
		if (rc)
			return rc;
	}
	return policy_decide_return(p, &rr, t, d, why);
}

/* Everything short of saving: the receipt read fresh, the record built,
 * the policy's decision in c->decision. The caller frees c. */
static int prepare(struct store *s, const struct policy *p, const struct i18n *t,
		   const struct case_request *req, struct kiosk_time now, struct case_record *c,
		   struct kiosk_why *why)
{
	struct receipt r = {0};
	struct policy_line pl[POLICY_MAX_LINES];
	bool have_receipt = req->receipt_id && *req->receipt_id;
	int rc;
	memset(c, 0, sizeof *c);
	if (req->kind != CASE_RETURN && req->kind != CASE_FAULT)
		return kiosk_fail(why, KIOSK_EINVAL, "a case is a return or a fault report");
	if (have_receipt && (rc = store_receipt_get(s, req->receipt_id, &r, why)))
		return rc;
	if (!(rc = build_record(p, req, have_receipt ? &r : NULL, t, c, pl, why)))
		rc = decide(s, p, t, req, have_receipt ? &r : NULL, now, pl, &c->decision, why);
	receipt_free(&r);
	return rc;
}

int case_decide(struct store *s, const struct policy *p, const struct i18n *t,
		const struct case_request *req, struct kiosk_time now, struct decision *out,
		struct kiosk_why *why)
{
	struct case_record c;
	int rc = prepare(s, p, t, req, now, &c, why);
	if (!rc)
		*out = c.decision;
	case_record_free(&c);
	return rc;
}

int case_register(struct store *s, const struct policy *p, const struct i18n *t,
		  const struct case_request *req, struct kiosk_time now, struct case_record *out,
		  char token_hex[CASE_TOKEN_HEX + 1], struct kiosk_why *why)
{
	struct case_record c = {0};
	const struct store_credit_rule credit = {case_credit_since(p, now), p->no_receipt_credit_limit};
	struct case_origin *origin = req->origin;
	int rc = 0;
	if (origin && origin->token_hex[0])
		memcpy(token_hex, origin->token_hex, CASE_TOKEN_HEX + 1);
	else if (!(rc = case_token_new(token_hex, why)) && origin)
		memcpy(origin->token_hex, token_hex, CASE_TOKEN_HEX + 1);
	/* The decision rests on what the store held when it was made; the
	 * store checks it again as it saves. When another kiosk changed it
	 * meanwhile (spent this person's credit), decide again: a few rounds
	 * settle it, since each round sees the other's case. */
	for (int round = 0; round < 4 && (!rc || rc == KIOSK_ESTALE); round++) {
		case_record_free(&c);
		if ((rc = prepare(s, p, t, req, now, &c, why)))
			break;
		c.state = c.decision.outcome == OUTCOME_STAFF ? CASE_WAITING_STAFF : CASE_REGISTERED;
		rc = store_case_create_checked(s, &c, token_hex, now, req->actor, &credit, origin,
					       why);
		if (rc != KIOSK_ESTALE)
			break;
	}
	if (rc == KIOSK_ESTALE)
		rc = kiosk_fail(why, KIOSK_EBUSY, "The database is busy; please try again.");
	if (rc)
		goto out;
	*out = c;
	c.lines = NULL; /* now owned by out */
out:
	if (rc)
		sodium_memzero(token_hex, CASE_TOKEN_HEX + 1);
	case_record_free(&c); /* the local copy: its lines moved to out, the rest wiped */
	return rc;
}

int case_set_contact(struct store *s, const char *case_id, const char *contact,
		     struct kiosk_time now, struct kiosk_why *why)
{
	char normal[sizeof ((struct case_record *)0)->contact];
	enum contact_channel ch = contact_normalise(contact, normal, sizeof normal);
	if (ch == CONTACT_NONE)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "updates need a phone number or an e-mail address");
	int rc = store_case_set_contact(s, case_id, normal, ch == CONTACT_EMAIL ? "email" : "sms",
					now, why);
	sodium_memzero(normal, sizeof normal);
	return rc;
}
