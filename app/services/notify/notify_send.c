/* libcurl senders for the outbox: SMTP and an HTTPS form gateway. */
#include "services/notify/notify_send.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/wipe.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The first line of a password file (a secret never sits in the INI). */
static int read_secret(const char *path, char *out, size_t len, struct kiosk_why *why)
{
	out[0] = 0;
	if (!path || !*path)
		return 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return kiosk_fail(why, KIOSK_EINVAL, "cannot read the password file %s: %s", path,
				  strerror(errno));
	if (!fgets(out, (int)len, f))
		out[0] = 0;
	fclose(f);
	out[strcspn(out, "\r\n")] = 0;
	return 0;
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

int notify_email_config(const struct kiosk_config *cfg, struct notify_email *e,
			struct kiosk_why *why)
{
	memset(e, 0, sizeof *e);
	const char *host = config_get(cfg, "notify.email", "host");
	if (!host || !*host)
		return 0;
	const char *tls = config_get(cfg, "notify.email", "starttls");
	long p;
	int rc = config_int(cfg, "notify.email", "port", 587, 1, 65535, &p, why);
	if (rc)
		return rc;
	if (!tls || !*tls || !strcmp(tls, "required"))
		e->tls = NOTIFY_TLS_REQUIRED;
	else if (!strcmp(tls, "yes"))
		e->tls = NOTIFY_TLS_YES;
	else if (!strcmp(tls, "no"))
		e->tls = NOTIFY_TLS_NO;
	else
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[notify.email] starttls must be no, yes or required");
	copy(e->from, sizeof e->from, config_get(cfg, "notify.email", "from"));
	const char *at = strchr(e->from, '@');
	if (!at || strpbrk(e->from, "\r\n<> "))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[notify.email] from must be the store's e-mail address");
	copy(e->domain, sizeof e->domain, at + 1);
	snprintf(e->url, sizeof e->url, "smtp://%s:%ld", host, p);
	copy(e->user, sizeof e->user, config_get(cfg, "notify.email", "user"));
	copy(e->ca_file, sizeof e->ca_file, config_get(cfg, "notify.email", "ca_file"));
	rc = read_secret(config_get(cfg, "notify.email", "password_file"), e->password,
			     sizeof e->password, why);
	e->on = rc == 0;
	return rc;
}

int notify_sms_config(const struct kiosk_config *cfg, struct notify_sms *s,
		      struct kiosk_why *why)
{
	memset(s, 0, sizeof *s);
	const char *url = config_get(cfg, "notify.sms", "url");
	if (!url || !*url)
		return 0;
	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return kiosk_fail(why, KIOSK_EINVAL, "[notify.sms] url must be an https:// address");
	copy(s->url, sizeof s->url, url);
	copy(s->user, sizeof s->user, config_get(cfg, "notify.sms", "user"));
	copy(s->from, sizeof s->from, config_get(cfg, "notify.sms", "from"));
	copy(s->ca_file, sizeof s->ca_file, config_get(cfg, "notify.sms", "ca_file"));
	const char *body = config_get(cfg, "notify.sms", "body");
	copy(s->body, sizeof s->body,
	     body && *body ? body : "from={from}&to={to}&message={message}");
	int rc = read_secret(config_get(cfg, "notify.sms", "password_file"), s->password,
			     sizeof s->password, why);
	s->on = rc == 0;
	return rc;
}

/* ---- e-mail ------------------------------------------------------------------ */

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

/* RFC 2047: a UTF-8 header word, base64. */
static void encoded_word(const char *text, char *out, size_t len)
{
	char b64[1024];
	size_t n = strlen(text);
	if (sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) > sizeof b64)
		n = 600;
	sodium_bin2base64(b64, sizeof b64, (const unsigned char *)text, n,
			  sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, len, "=?UTF-8?B?%s?=", b64);
}

/* RFC 5322's date: "Sat, 05 Dec 2026 08:46:41 +0100". */
static void mail_date(struct kiosk_time now, char *out, size_t len)
{
	static const char *const days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t local = now.unix_s + (int64_t)now.offset_min * 60;
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t sec = local - day * 86400;
	int y, m, d;
	date_civil_from_days(day, &y, &m, &d);
	int off = now.offset_min < 0 ? -now.offset_min : now.offset_min;
	snprintf(out, len, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
		 days[((day % 7) + 7) % 7], d, months[m - 1], y, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60), now.offset_min < 0 ? '-' : '+', off / 60,
		 off % 60);
}

/* The body with CRLF line ends (SMTP's), appended to out. */
static size_t crlf(const char *body, char *out, size_t len)
{
	size_t w = 0;
	for (const char *p = body; *p && w + 2 < len; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			out[w++] = '\r';
		out[w++] = *p;
	}
	if (w + 2 < len) {
		out[w++] = '\r';
		out[w++] = '\n';
	}
	out[w] = 0;
	return w;
}

int notify_email_send(const struct notify_email *e, const char *to, const char *subject,
		      const char *body, const char *msg_id, struct kiosk_time now, char *err,
		      size_t elen)
{
	pthread_once(&curl_once, curl_start);
	if (strpbrk(to, "\r\n<>")) {
		snprintf(err, elen, "the address %s cannot be written in a mail header", to);
		return -1;
	}
	enum { MSG_MAX = 16384 };
	char *msg = malloc(MSG_MAX);
	char subj[1200], date[64], rcpt[300];
	if (!msg) {
		snprintf(err, elen, "out of memory");
		return -1;
	}
	encoded_word(subject, subj, sizeof subj);
	mail_date(now, date, sizeof date);
	int h = snprintf(msg, MSG_MAX,
			 "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: %s\r\n"
			 "Message-ID: <%s@%s>\r\nMIME-Version: 1.0\r\n"
			 "Content-Type: text/plain; charset=UTF-8\r\n"
			 "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n",
			 date, e->from, to, subj, msg_id, e->domain);
	if (h < 0 || h >= MSG_MAX) {
		free(msg);
		snprintf(err, elen, "the message is too long");
		return -1;
	}
	size_t n = (size_t)h + crlf(body, msg + h, MSG_MAX - (size_t)h);
	CURL *c = curl_easy_init();
	if (!c) {
		mem_wipe_free(msg);
		snprintf(err, elen, "libcurl could not start");
		return -1;
	}
	struct upload up = {msg, n};
	struct curl_slist *rcpts = NULL;
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	rcpts = curl_slist_append(rcpts, rcpt);
	char from[300], errbuf[CURL_ERROR_SIZE] = "";
	snprintf(from, sizeof from, "<%s>", e->from);
	curl_easy_setopt(c, CURLOPT_URL, e->url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, e->tls == NOTIFY_TLS_REQUIRED ? (long)CURLUSESSL_ALL
					     : e->tls == NOTIFY_TLS_YES    ? (long)CURLUSESSL_TRY
									   : (long)CURLUSESSL_NONE);
	if (e->ca_file[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, e->ca_file);
	if (e->user[0]) {
		curl_easy_setopt(c, CURLOPT_USERNAME, e->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, e->password);
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, elen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	mem_wipe(msg, n); /* it held the customer's address */
	free(msg);
	return rc == CURLE_OK ? 0 : -1;
}

/* ---- SMS -------------------------------------------------------------------- */

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

int notify_sms_send(const struct notify_sms *s, const char *to, const char *text,
		    const char *msg_id, char *err, size_t elen)
{
	pthread_once(&curl_once, curl_start);
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, elen, "libcurl could not start");
		return -1;
	}
	char *e_from = curl_easy_escape(c, s->from, 0), *e_to = curl_easy_escape(c, to, 0);
	char *e_msg = curl_easy_escape(c, text, 0), *e_id = curl_easy_escape(c, msg_id, 0);
	char form[4096];
	const char *kv[] = {"from", e_from ? e_from : "", "to", e_to ? e_to : "",
			    "message", e_msg ? e_msg : "", "id", e_id ? e_id : "", NULL};
	i18n_fill(form, sizeof form, s->body, kv);
	curl_free(e_from);
	curl_free(e_to);
	curl_free(e_msg);
	curl_free(e_id);
	char idh[96], errbuf[CURL_ERROR_SIZE] = "";
	snprintf(idh, sizeof idh, "Idempotency-Key: %s", msg_id);
	struct curl_slist *hdr = curl_slist_append(NULL, idh);
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (s->ca_file[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
	if (s->user[0]) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->password);
	}
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	mem_wipe(form, sizeof form);
	if (rc != CURLE_OK) {
		snprintf(err, elen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(err, elen, "the SMS gateway answered %ld", status);
		return -1;
	}
	return 0;
}
