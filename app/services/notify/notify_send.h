/* The two ways a message leaves the store, through libcurl: e-mail over
 * SMTP (STARTTLS and login as configured) and SMS through an HTTPS form
 * gateway. Each returns 0 when the server accepted the message, or -1
 * with the server's or the network's reason in err. Internal to
 * services/notify.c. */
#ifndef KIOSK_SERVICES_NOTIFY_SEND_H
#define KIOSK_SERVICES_NOTIFY_SEND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/date.h"
#include "core/err.h"

enum notify_tls { NOTIFY_TLS_NO, NOTIFY_TLS_YES, NOTIFY_TLS_REQUIRED };

struct notify_email {
	bool on;
	char url[300];        /* smtp://host:port */
	enum notify_tls tls;
	char from[256];
	char user[128];
	char password[256];
	char ca_file[512];    /* "" the system's */
	char domain[128];     /* of the Message-ID: the part after @ in from */
};

struct notify_sms {
	bool on;
	char url[512];
	char user[128];
	char password[256];
	char from[32];
	char body[512];       /* form template: {from} {to} {message} {id} */
	char ca_file[512];
};

/* [notify.email] / [notify.sms] of cfg; on is false without the section's
 * host / url. A bad value is refused with a sentence. */
int notify_email_config(const struct kiosk_config *cfg, struct notify_email *e,
			struct kiosk_why *why);
int notify_sms_config(const struct kiosk_config *cfg, struct notify_sms *s,
		      struct kiosk_why *why);

int notify_email_send(const struct notify_email *e, const char *to, const char *subject,
		      const char *body, const char *msg_id, struct kiosk_time now, char *err,
		      size_t elen);
int notify_sms_send(const struct notify_sms *s, const char *to, const char *text,
		    const char *msg_id, char *err, size_t elen);

#endif
