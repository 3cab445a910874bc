/* Updates that reach the customer (issue 11): the sender of the outbox.
 *
 * A round first gives every late case a new date (once a promise has
 * passed, from 08:00 local time: [policy] late_new_days ahead, with an
 * apology naming both dates to a customer who asked for updates), claims what is due, makes each message's text in the
 * case's language from assets/lang/LANG/notify.ini and the case as it is
 * now, sends it (e-mail over SMTP, SMS over an HTTPS gateway, both through
 * libcurl; [notify.email] and [notify.sms] in the store's config), and
 * marks it sent, or due again after a backoff (1, 5, 15, then 60 minutes),
 * or failed once it has tried for a day. A message whose channel the store
 * has not configured fails at once with that reason. */
#ifndef KIOSK_SERVICES_NOTIFY_H
#define KIOSK_SERVICES_NOTIFY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/date.h"
#include "core/err.h"
#include "domain/contact.h"
#include "domain/model.h"
#include "store/store_handle.h"

struct notify;

struct notify_result {
	int sent, retried, failed, late; /* late: cases given a new date */
};

/* Does the config set up this channel? (No section: the kiosk does not
 * offer it.) */
bool notify_channel_configured(const struct kiosk_config *cfg, enum contact_channel ch);

/* A sender over store s (not owned) with the config's channels and the
 * words under assets. */
int notify_create(struct notify **out, struct store *s, const struct kiosk_config *cfg,
		  const char *assets, struct kiosk_why *why);
void notify_destroy(struct notify *n);

/* One round at now; adds to *r. */
int notify_round(struct notify *n, struct kiosk_time now, struct notify_result *r,
		 struct kiosk_why *why);

/* Rounds until *stop is set, waiting poll_ms between them (the outbox is
 * asked again at once while messages were due). once: return when nothing
 * is due any more. */
int notify_run(struct notify *n, bool once, int poll_ms, atomic_bool *stop,
	       struct notify_result *r, struct kiosk_why *why);

/* A sender on a thread of its own, for the counter's process: its own
 * handle to base's database, rounds every poll_ms until stopped. The
 * kiosk runs none: a public machine holds no other customer's contact. */
struct notify_thread;
int notify_thread_start(struct notify_thread **out, struct store *base,
			const struct kiosk_config *cfg, const char *assets, int poll_ms,
			struct kiosk_why *why);
/* Stop it, wait for its round to end, free it. NULL is fine. */
void notify_thread_stop(struct notify_thread *t);

/* The subject and body of message m about case c, as they are sent. */
int notify_render(struct notify *n, const struct outbox_msg *m, const struct case_record *c,
		  char *subject, size_t slen, char *body, size_t blen, struct kiosk_why *why);

#endif
