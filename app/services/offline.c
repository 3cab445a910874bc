/* Offline (offline.h): the chain first, the kiosk's journal when the chain
 * cannot be reached, and the journal's way back into the chain. */
#include "services/offline.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/i18n.h"
#include "store/store.h"

#define CACHE_DAYS_DEFAULT 14
#define RETRY_SECONDS_DEFAULT 30

struct offline {
	struct store *journal;
	char prefix[8];        /* store (4) + kiosk (2) digits */
	char store_id[16];
	char kiosk[32];        /* [kiosk] name, as the counter shows it */
	char assets[4096];
	int cache_days;
	int64_t retry_ms;       /* [offline] retry_seconds */
	int64_t chain_after_ms; /* the customer's steps ask the chain again from here */
};

static bool digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int offline_open(struct offline **out, const struct kiosk_config *cfg, const char *assets_dir,
		 struct kiosk_why *why)
{
	*out = NULL;
	const char *path = config_get_str(cfg, "offline", "journal", "");
	if (!*path)
		return 0;
	long kiosk, days, retry;
	if (!config_get(cfg, "offline", "kiosk_number"))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[offline] kiosk_number must be set, 1..99, one per kiosk of the store.");
	int rc = config_int(cfg, "offline", "kiosk_number", 0, 1, 99, &kiosk, why);
	if (!rc)
		rc = config_int(cfg, "offline", "cache_days", CACHE_DAYS_DEFAULT, 1, 365, &days, why);
	if (!rc)
		rc = config_int(cfg, "offline", "retry_seconds", RETRY_SECONDS_DEFAULT, 0, 3600,
				&retry, why);
	if (rc)
		return rc;
	if (!digits(cfg->store_id, 4))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Offline case numbers need a [store] id of 4 digits, not \"%s\".",
				  cfg->store_id);
	struct offline *o = calloc(1, sizeof *o);
	if (!o)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory.");
	snprintf(o->prefix, sizeof o->prefix, "%.4s%02ld", cfg->store_id, kiosk);
	snprintf(o->store_id, sizeof o->store_id, "%s", cfg->store_id);
	snprintf(o->kiosk, sizeof o->kiosk, "%s", config_get_str(cfg, "kiosk", "name", "Kiosk"));
	snprintf(o->assets, sizeof o->assets, "%s", assets_dir);
	o->cache_days = (int)days;
	o->retry_ms = retry * 1000;
	rc = store_open_journal(&o->journal, path, o->prefix, why);
	if (rc) {
		free(o);
		return rc;
	}
	*out = o;
	return 0;
}

void offline_close(struct offline *o)
{
	if (!o)
		return;
	store_close(o->journal);
	free(o);
}

bool offline_unreachable(int rc)
{
	/* a save not confirmed is kept in the journal under the chain's
	 * number (offline_register) */
	return rc == KIOSK_EIO || rc == KIOSK_EDOUBT;
}

/* A kiosk that started without the chain holds no handle on it yet. */
static int no_chain(struct kiosk_why *why)
{
	return kiosk_fail(why, KIOSK_EIO, "The chain's database is not connected.");
}

/* Once a step found the chain unreachable, the customer's next steps go
 * to the journal at once for retry_seconds: where the network is silent
 * (a link down, nothing refuses) every ask of the chain costs the connect
 * timeout, 5 s of a frozen screen at each tap. The kiosk's look for the
 * chain between customers (offline_report) is not held back, and reaching
 * the chain ends the wait. */
static bool ask_chain(const struct store *chain, const struct offline *o)
{
	return chain && (!o || clock_mono_ms() >= o->chain_after_ms);
}

static int asked(struct offline *o, int rc)
{
	if (o)
		o->chain_after_ms = offline_unreachable(rc) ? clock_mono_ms() + o->retry_ms : 0;
	return rc;
}

struct store *offline_journal(struct offline *o)
{
	return o ? o->journal : NULL;
}

bool offline_owns(const struct offline *o, const char *case_id)
{
	return o && case_id && !strncmp(case_id, "K-", 2) && strlen(case_id) == 14 &&
	       !strncmp(case_id + 2, o->prefix, 6);
}

int offline_receipt(struct store *chain, struct offline *o, const char *receipt_id,
		    struct receipt *out, bool *cached, struct kiosk_why *why)
{
	*cached = false;
	int rc = ask_chain(chain, o) ? asked(o, store_receipt_get(chain, receipt_id, out, why))
				     : no_chain(why);
	if (!o || !offline_unreachable(rc))
		return rc;
	/* a receipt the cache does not hold is not unknown: the chain, which
	 * would know it, cannot be asked */
	struct kiosk_why missed;
	int cached_rc = store_receipt_get(o->journal, receipt_id, out, &missed);
	if (cached_rc == KIOSK_ENOTFOUND)
		return rc;
	*cached = true;
	if (cached_rc)
		*why = missed;
	return cached_rc;
}

int offline_decide(struct store *chain, struct offline *o, const struct policy *p,
		   const struct i18n *t, const struct case_request *req, struct kiosk_time now,
		   struct decision *out, struct kiosk_why *why)
{
	int rc = ask_chain(chain, o) ? asked(o, case_decide(chain, p, t, req, now, out, why))
				     : no_chain(why);
	if (!o || !offline_unreachable(rc))
		return rc;
	struct case_request off = *req;
	off.offline = true;
	return case_decide(o->journal, p, t, &off, now, out, why);
}

int offline_register(struct store *chain, struct offline *o, const struct policy *p,
		     const struct i18n *t, const struct case_request *req, struct kiosk_time now,
		     struct case_record *out, char token_hex[CASE_TOKEN_HEX + 1],
		     bool *taken_offline, struct kiosk_why *why)
{
	*taken_offline = false;
	/* one number and code wherever the case lands: a save in the chain
	 * whose answer was lost may stand there, and the journal keeps it as
	 * that case (struct case_origin) */
	struct case_origin origin = {0};
	struct case_request on = *req;
	if (o)
		on.origin = &origin;
	int rc = ask_chain(chain, o)
			 ? asked(o, case_register(chain, p, t, &on, now, out, token_hex, why))
			 : no_chain(why);
	if (o && offline_unreachable(rc)) {
		on.offline = true;
		*taken_offline = true;
		rc = case_register(o->journal, p, t, &on, now, out, token_hex, why);
	}
	sodium_memzero(&origin, sizeof origin);
	return rc;
}

int offline_case_home(struct store *chain, struct offline *o, const char *case_id,
		      struct store **s, struct kiosk_why *why)
{
	*s = chain;
	if (!o)
		return 0;
	/* the journal's own numbers, and the chain's number of a case whose
	 * save there was not confirmed (offline_register) */
	struct case_record c = {0};
	struct kiosk_why unused;
	bool kept = offline_owns(o, case_id) || !store_case_get(o->journal, case_id, 0, &c, &unused);
	case_record_free(&c);
	if (!kept)
		return 0;
	/* sent cases are followed in the chain, where staff change them */
	c = (struct case_record){0};
	int rc = ask_chain(chain, o) ? asked(o, store_case_get(chain, case_id, 0, &c, why))
				     : no_chain(why);
	case_record_free(&c);
	if (rc == KIOSK_ENOTFOUND || offline_unreachable(rc))
		*s = o->journal;
	else if (rc)
		return rc;
	return 0;
}

/* ---- replay ------------------------------------------------------------- */

/* A case whose rule broke while it was on its way: staff decide it, and
 * the customer reads why in their language. */
static int hand_to_staff(struct offline *o, const struct policy *p, struct case_record *c,
			 struct kiosk_time now, struct kiosk_why *why)
{
	struct i18n *t = NULL;
	int rc = i18n_create(&t, o->assets, c->lang[0] ? c->lang : "sv", why);
	if (rc)
		return rc;
	char date[16];
	int64_t day = time_local_days(now) + p->staff_reply_days;
	date_format(day, date, sizeof date);
	const char *kv[] = {"date", date, NULL};
	memset(&c->decision, 0, sizeof c->decision);
	c->decision.outcome = OUTCOME_STAFF;
	snprintf(c->decision.rule, sizeof c->decision.rule, "offline.conflict");
	i18n_fill(c->decision.explanation, sizeof c->decision.explanation,
		  i18n_get(t, "policy.offline.conflict"), kv);
	i18n_fill(c->decision.next_step, sizeof c->decision.next_step,
		  i18n_get(t, "policy_next.staff"), kv);
	c->decision.promised_day = day;
	c->due_day = day;
	c->state = CASE_WAITING_STAFF;
	i18n_destroy(t);
	return 0;
}

static int report(struct offline *o, struct store *chain, struct kiosk_time now, int64_t *left,
		  struct kiosk_why *why);

static int send_one(struct offline *o, struct store *chain, const struct policy *p,
		    struct journal_case *jc, struct kiosk_time now,
		    struct offline_replay_result *res, struct kiosk_why *why)
{
	const struct store_credit_rule credit = {case_credit_since(p, jc->c.created_at),
						 p->no_receipt_credit_limit};
	char text[512], taken[32];
	time_format_iso(jc->c.created_at, taken, sizeof taken);
	snprintf(text, sizeof text, "Taken offline at %s on %s; reached the chain's database.",
		 o->kiosk, taken);
	bool there = false;
	int rc = store_journal_put(chain, jc, true, &credit, "offline", text, now, &there, why);
	if (rc == KIOSK_ESTALE) {
		/* why holds the rule that broke: it goes into the timeline */
		char reason[256];
		snprintf(reason, sizeof reason, "%s", why->text);
		snprintf(text, sizeof text,
			 "Taken offline at %s on %s. When it reached the chain's database: %s "
			 "It waits for staff.",
			 o->kiosk, taken, reason);
		if ((rc = hand_to_staff(o, p, &jc->c, now, why)))
			return rc;
		rc = store_journal_put(chain, jc, false, NULL, "offline_conflict", text, now, &there,
				       why);
		if (!rc && !there)
			res->to_staff++;
	}
	if (rc)
		return rc;
	if (there)
		res->already++;
	else
		res->sent++;
	return store_journal_sent(o->journal, jc->c.case_id, now, why);
}

int offline_replay(struct offline *o, struct store *chain, const struct policy *p,
		   struct kiosk_time now, int max, struct offline_replay_result *res,
		   struct kiosk_why *why)
{
	memset(res, 0, sizeof *res);
	int rc = 0;
	for (int i = 0; max < 0 || i < max; i++) {
		struct journal_case jc;
		rc = store_journal_next(o->journal, &jc, why);
		if (rc == KIOSK_ENOTFOUND) {
			rc = 0;
			break;
		}
		if (rc)
			break;
		rc = send_one(o, chain, p, &jc, now, res, why);
		journal_case_free(&jc);
		if (rc)
			break;
	}
	/* the counter's line for this kiosk; a chain gone again keeps the last */
	if (!rc)
		rc = report(o, chain, now, &res->left, why);
	return rc;
}

static int report(struct offline *o, struct store *chain, struct kiosk_time now, int64_t *left,
		  struct kiosk_why *why)
{
	struct kiosk_time oldest;
	int rc = store_journal_pending(o->journal, left, &oldest, why);
	if (!rc)
		rc = store_kiosk_journal_report(chain, o->store_id, o->kiosk, *left, oldest, now,
						why);
	return rc;
}

int offline_look(struct offline *o, struct store *chain, struct kiosk_why *why)
{
	if (!chain)
		return no_chain(why);
	int r = store_reach(chain, why);
	return r == 0 ? 0 : asked(o, r); /* 1 (reached) ends the wait as 0 does */
}

int offline_report(struct offline *o, struct store *chain, struct kiosk_time now,
		   struct kiosk_why *why)
{
	/* a look no customer waits for: where the network is silent, a
	 * connection is moved on a step at each look rather than waited for */
	int r = offline_look(o, chain, why);
	if (r == 0)
		return 1;
	if (r < 0)
		return r;
	int64_t left;
	return asked(o, report(o, chain, now, &left, why));
}

int offline_refresh(struct offline *o, struct store *chain, struct kiosk_time now, int *n,
		    struct kiosk_why *why)
{
	int64_t since_day = time_local_days(now) - o->cache_days;
	struct kiosk_time since = {since_day * 86400 - (int64_t)now.offset_min * 60,
				   now.offset_min};
	return store_journal_cache(o->journal, chain, o->store_id, since, n, why);
}

int offline_pending(struct offline *o, int64_t *n, struct kiosk_time *oldest,
		    struct kiosk_why *why)
{
	return store_journal_pending(o->journal, n, oldest, why);
}
