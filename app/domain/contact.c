#include "domain/contact.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* RFC 5321's limits: 64 for the local part, 254 for the whole path. */
#define EMAIL_MAX 254
#define LOCAL_MAX 64

static bool email_char(unsigned char c, bool local)
{
	if (isalnum(c) || c >= 0x80) /* UTF-8 addresses (RFC 6531) pass through */
		return true;
	if (c == '.' || c == '-')
		return true;
	return local && strchr("!#$%&'*+/=?^_`{|}~", c) != NULL;
}

static enum contact_channel email(const char *s, size_t n, char *out, size_t len)
{
	const char *at = memchr(s, '@', n);
	if (!at || at == s || n > EMAIL_MAX || (size_t)(at - s) > LOCAL_MAX || n + 1 > len)
		return CONTACT_NONE;
	const char *dom = at + 1, *end = s + n;
	if (dom >= end || memchr(dom, '@', (size_t)(end - dom)) || *dom == '.' || end[-1] == '.' ||
	    !memchr(dom, '.', (size_t)(end - dom)) || *s == '.' || at[-1] == '.')
		return CONTACT_NONE;
	for (const char *p = s; p < end; p++) {
		if (p == at)
			continue;
		if (!email_char((unsigned char)*p, p < at) || (*p == '.' && p[1] == '.'))
			return CONTACT_NONE;
	}
	size_t k = 0;
	for (const char *p = s; p < end; p++)
		out[k++] = p > at ? (char)tolower((unsigned char)*p) : *p;
	out[k] = 0;
	return CONTACT_EMAIL;
}

static enum contact_channel phone(const char *s, size_t n, char *out, size_t len)
{
	char d[24];
	size_t k = 0;
	bool plus = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c)) {
			if (k + 1 >= sizeof d)
				return CONTACT_NONE;
			d[k++] = (char)c;
		} else if (c == '+' && i == 0) {
			plus = true;
		} else if (c != ' ' && c != '-' && c != '(' && c != ')') {
			return CONTACT_NONE;
		}
	}
	d[k] = 0;
	const char *num = d;
	char cc[8] = "";
	if (plus) {
		/* already international */
	} else if (d[0] == '0' && d[1] == '0') {
		num = d + 2; /* 0046 70… */
	} else if (d[0] == '0') {
		snprintf(cc, sizeof cc, "46"); /* a Swedish national number: drop the trunk 0 */
		num = d + 1;
	} else {
		return CONTACT_NONE; /* neither national nor international */
	}
	size_t digits = strlen(cc) + strlen(num);
	/* E.164: at most 15 digits; a real subscriber number has at least 8 */
	if (digits < 8 || digits > 15 || num[0] == '0' || (cc[0] == 0 && num[0] == 0))
		return CONTACT_NONE;
	if ((size_t)snprintf(out, len, "+%s%s", cc, num) >= len)
		return CONTACT_NONE;
	return CONTACT_SMS;
}

enum contact_channel contact_normalise(const char *in, char *out, size_t len)
{
	if (!len)
		return CONTACT_NONE;
	out[0] = 0;
	if (!in)
		return CONTACT_NONE;
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	enum contact_channel ch = memchr(in, '@', n) ? email(in, n, out, len) : phone(in, n, out, len);
	if (ch == CONTACT_NONE)
		out[0] = 0;
	return ch;
}

const char *contact_channel_name(enum contact_channel ch)
{
	return ch == CONTACT_EMAIL ? "email" : ch == CONTACT_SMS ? "sms" : "";
}

void contact_mask(const char *normal, char *out, size_t len)
{
	if (!len)
		return;
	const char *at = strchr(normal, '@');
	if (at) {
		snprintf(out, len, "%.1s\u2022\u2022\u2022%s", normal, at);
		return;
	}
	/* +46701234512 -> +46 70•• ••• •12 */
	size_t n = strlen(normal);
	if (n < 8 || normal[0] != '+') {
		snprintf(out, len, "\u2022\u2022\u2022");
		return;
	}
	snprintf(out, len, "+%.2s %.2s\u2022\u2022 \u2022\u2022\u2022 \u2022%s", normal + 1, normal + 3,
		 normal + n - 2);
}
