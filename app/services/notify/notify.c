/* The outbox's sender (see notify.h). */
#include "services/notify/notify.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/wipe.h"
#include "domain/date_words.h"
#include "domain/money.h"
#include "domain/policy.h"
#include "services/notify/notify_send.h"
#include "store/store.h"

/* Messages claimed per round, and for how long (a sender that dies holds
 * them this long before another sends them again). */
#define CLAIM_MAX 20
#define LEASE_S 120
/* A message that has not gone out a day after its first try has failed
 * for good (a sender that was away for a while still tries each once). */
#define GIVE_UP_S (24 * 3600)
/* Late promises are moved from this local hour on ("the morning after"),
 * so many cases per transaction round. */
#define LATE_HOUR 8
#define LATE_BATCH 200

struct notify {
	struct store *s;
	const struct kiosk_config *cfg;
	struct i18n *sv, *en;
	struct notify_email email;
	struct notify_sms sms;
	int late_new_days;           /* [policy] late_new_days */
	int64_t late_checked_day;    /* the local day late promises were last moved */
};

bool notify_channel_configured(const struct kiosk_config *cfg, enum contact_channel ch)
{
	const char *v = ch == CONTACT_EMAIL ? config_get(cfg, "notify.email", "host")
			: ch == CONTACT_SMS ? config_get(cfg, "notify.sms", "url")
					    : NULL;
	return v && *v;
}

int notify_create(struct notify **out, struct store *s, const struct kiosk_config *cfg,
		  const char *assets, struct kiosk_why *why)
{
	*out = NULL;
	struct notify *n = calloc(1, sizeof *n);
	if (!n)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	n->s = s;
	n->cfg = cfg;
	int rc;
	struct policy pol;
	if ((rc = policy_load(&pol, cfg, why)) || (rc = notify_email_config(cfg, &n->email, why)) ||
	    (rc = notify_sms_config(cfg, &n->sms, why)) ||
	    (rc = i18n_create(&n->sv, assets, "sv", why)) ||
	    (rc = i18n_create(&n->en, assets, "en", why))) {
		notify_destroy(n);
		return rc;
	}
	n->late_new_days = pol.late_new_days;
	*out = n;
	return 0;
}

void notify_destroy(struct notify *n)
{
	if (!n)
		return;
	i18n_destroy(n->sv);
	i18n_destroy(n->en);
	mem_wipe(&n->email, sizeof n->email); /* the passwords */
	mem_wipe(&n->sms, sizeof n->sms);
	free(n);
}

static const char *tr(const struct i18n *t, const char *key)
{
	return i18n_get(t, key);
}

int notify_render(struct notify *n, const struct outbox_msg *m, const struct case_record *c,
		  char *subject, size_t slen, char *body, size_t blen, struct kiosk_why *why)
{
	const struct i18n *t = !strcmp(m->lang, "en") ? n->en : n->sv;
	char key[64], what[800], next[700], tmp[700], money[48], date[64];
	const char *store = n->cfg->store_name[0] ? n->cfg->store_name : c->store;
	snprintf(key, sizeof key, "notify.subject_%s", m->kind);
	const char *kv[] = {"case", c->case_id, NULL};
	i18n_fill(subject, slen, tr(t, key), kv);
	if (!strcmp(subject, key))
		return kiosk_fail(why, KIOSK_EINVAL, "no text for a message of kind %s", m->kind);

	/* what happened, in the customer's words */
	if (!strcmp(m->kind, "state")) {
		snprintf(key, sizeof key, "ui.state_%s", m->state_to);
		const char *k2[] = {"case", c->case_id, "state", tr(t, key), NULL};
		i18n_fill(what, sizeof what, tr(t, "notify.state"), k2);
	} else if (!strcmp(m->kind, "decision") || !strcmp(m->kind, "registered")) {
		/* the outcome as the customer reads it, never staff's reason */
		money_format(t, c->decision.amount, n->cfg->currency[0] ? n->cfg->currency : "SEK",
			     money, sizeof money);
		snprintf(key, sizeof key, "ui.follow_outcome_%s",
			 case_outcome_name(c->decision.outcome));
		const char *k1[] = {"amount", money, NULL};
		i18n_fill(tmp, sizeof tmp, c->decision.outcome == OUTCOME_STAFF
						   ? tr(t, "ui.state_waiting_for_staff")
						   : tr(t, key), k1);
		snprintf(key, sizeof key, "notify.%s", m->kind);
		const char *k2[] = {"case", c->case_id, "outcome", tmp, "store", store, NULL};
		i18n_fill(what, sizeof what, tr(t, key), k2);
	} else if (!strcmp(m->kind, "overdue")) {
		/* the promise that passed, and the case's date as it is now */
		char new_date[64] = "";
		date_words_day(t, m->promised_day, date, sizeof date);
		if (c->decision.promised_day > 0)
			date_words_day(t, c->decision.promised_day, new_date, sizeof new_date);
		const char *k2[] = {"case", c->case_id, "date", date, "new_date", new_date, NULL};
		i18n_fill(what, sizeof what, tr(t, "notify.overdue"), k2);
	} else {
		snprintf(key, sizeof key, "notify.%s", m->kind);
		const char *k2[] = {"case", c->case_id, "store", store, NULL};
		i18n_fill(what, sizeof what, tr(t, key), k2);
	}
	next[0] = 0;
	if (c->state != CASE_CLOSED && c->decision.next_step[0]) {
		date_words_next_step(t, c->decision.next_step, c->decision.promised_day, tmp,
				     sizeof tmp);
		const char *k3[] = {"next", tmp, NULL};
		i18n_fill(next, sizeof next, tr(t, "notify.next_step"), k3);
	}
	if (!strcmp(m->channel, "sms")) {
		const char *k4[] = {"store", store, "what", what, "next", next, "case", c->case_id,
				    NULL};
		i18n_fill(body, blen, tr(t, "notify.sms"), k4);
		return 0;
	}
	char footer[400];
	i18n_fill(footer, sizeof footer, tr(t, "notify.footer"), kv);
	snprintf(body, blen, "%s\n\n%s\n\n%s%s%s\n\n-- \n%s\n", tr(t, "notify.greeting"), what,
		 next, next[0] ? "\n\n" : "", tr(t, "notify.follow"), footer);
	return 0;
}

/* Minutes to wait after the attempts so far: 1, 5, 15, then 60. */
static int64_t backoff_s(int attempts)
{
	static const int minutes[] = {1, 5, 15, 60};
	int i = attempts < 3 ? attempts : 3;
	return (int64_t)minutes[i] * 60;
}

static int send_one(struct notify *n, const struct outbox_msg *m, struct kiosk_time now,
		    struct notify_result *r, struct kiosk_why *why)
{
	char subject[400], body[4096], err[300] = "";
	struct case_record c;
	int rc = store_case_get(n->s, m->case_id, time_local_days(now), &c, why);
	if (rc)
		return rc;
	int sent = -1;
	bool hopeless = false; /* trying again cannot help: fail at once */
	if (notify_render(n, m, &c, subject, sizeof subject, body, sizeof body, why)) {
		snprintf(err, sizeof err, "%s", why->text);
		hopeless = true;
	} else if (!strcmp(m->channel, "email") && n->email.on) {
		sent = notify_email_send(&n->email, m->recipient, subject, body, m->msg_id, now, err,
					 sizeof err);
	} else if (!strcmp(m->channel, "sms") && n->sms.on) {
		sent = notify_sms_send(&n->sms, m->recipient, body, m->msg_id, err, sizeof err);
	} else {
		snprintf(err, sizeof err, "no %s channel is set up in the store's configuration",
			 !strcmp(m->channel, "sms") ? "SMS" : "e-mail");
		hopeless = true;
	}
	case_record_free(&c);
	if (!sent) {
		rc = store_outbox_sent(n->s, m->id, subject, body, now, why);
		if (!rc)
			r->sent++;
	} else {
		bool give_up = hopeless || now.unix_s - m->first_try_s >= GIVE_UP_S;
		rc = store_outbox_retry(n->s, m->id, err, now.unix_s + backoff_s(m->attempts),
					give_up, why);
		if (!rc)
			++*(give_up ? &r->failed : &r->retried);
	}
	mem_wipe(body, sizeof body);
	return rc;
}

int notify_round(struct notify *n, struct kiosk_time now, struct notify_result *r,
		 struct kiosk_why *why)
{
	int64_t today = time_local_days(now);
	int64_t hour = ((now.unix_s + (int64_t)now.offset_min * 60) % 86400) / 3600;
	int rc;
	if (today != n->late_checked_day && hour >= LATE_HOUR) {
		int k;
		do {
			if ((rc = store_cases_move_late(n->s, today, today + n->late_new_days,
							LATE_BATCH, now, &k, why)))
				return rc;
			r->late += k;
		} while (k == LATE_BATCH);
		n->late_checked_day = today;
	}
	struct outbox_msg *m = NULL;
	int k = 0;
	if ((rc = store_outbox_claim(n->s, now, LEASE_S, CLAIM_MAX, &m, &k, why)))
		return rc;
	for (int i = 0; !rc && i < k; i++)
		rc = send_one(n, &m[i], now, r, why);
	mem_wipe(m, sizeof *m * (size_t)k);
	free(m);
	return rc;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int notify_run(struct notify *n, bool once, int poll_ms, atomic_bool *stop,
	       struct notify_result *r, struct kiosk_why *why)
{
	while (!stop || !atomic_load(stop)) {
		struct kiosk_time now;
		int rc = clock_now(&now, why);
		if (rc)
			return rc;
		int before = r->sent + r->retried + r->failed;
		if ((rc = notify_round(n, now, r, why))) {
			if (once)
				return rc;
			/* the database is away: try again next round */
		}
		bool busy = r->sent + r->retried + r->failed > before;
		if (once && !busy) {
			int64_t due = 0;
			if ((rc = store_outbox_next_due(n->s, &due, why)))
				return rc;
			if (!due || due > now.unix_s)
				return 0;
		}
		/* idle: wait up to poll_ms, but go at once when another program
		 * has saved something (a change's message may be due now) */
		if (!busy)
			for (int waited = 0; waited < poll_ms && (!stop || !atomic_load(stop)) &&
					     store_changed(n->s, why) <= 0;
			     waited += 100)
				sleep_ms(poll_ms - waited < 100 ? poll_ms - waited : 100);
	}
	return 0;
}

/* ---- a sender thread ----------------------------------------------------- */

struct notify_thread {
	pthread_t th;
	struct store *s;
	struct notify *n;
	int poll_ms;
	atomic_bool stop;
};

static void *sender_main(void *arg)
{
	struct notify_thread *t = arg;
	struct notify_result r = {0};
	struct kiosk_why why = {{0}};
	/* errors (a database away, a server down) are retried each round */
	notify_run(t->n, false, t->poll_ms, &t->stop, &r, &why);
	return NULL;
}

int notify_thread_start(struct notify_thread **out, struct store *base,
			const struct kiosk_config *cfg, const char *assets, int poll_ms,
			struct kiosk_why *why)
{
	*out = NULL;
	struct notify_thread *t = calloc(1, sizeof *t);
	if (!t)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	t->poll_ms = poll_ms;
	atomic_init(&t->stop, false);
	int rc = store_clone(base, &t->s, why);
	if (!rc)
		rc = notify_create(&t->n, t->s, cfg, assets, why);
	if (!rc && pthread_create(&t->th, NULL, sender_main, t))
		rc = kiosk_fail(why, KIOSK_EIO, "the sender of customer updates could not start");
	if (rc) {
		notify_destroy(t->n);
		store_close(t->s);
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void notify_thread_stop(struct notify_thread *t)
{
	if (!t)
		return;
	atomic_store(&t->stop, true);
	pthread_join(t->th, NULL);
	notify_destroy(t->n);
	store_close(t->s);
	free(t);
}
