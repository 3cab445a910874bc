/* scan_parse: decide what a scanned payload is and hand it to the reader
 * for that kind. The order matters: bytes no code may hold are refused
 * first (so no reader ever sees them), then the prefixes that identify a
 * kind for sure (AAMVA header, KC1:, KS1:), then the MRZ, the store's
 * receipt prefix and plain digits. ID documents are in mrz.c and aamva.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/err.h"
#include "domain/aamva.h"
#include "domain/mrz.h"
#include "domain/scan.h"
#include "domain/scan_private.h"

/* The codes this kiosk prints (see scan.h). */
static const char case_prefix[] = "KC1:";
static const char staff_prefix[] = "KS1:";
#define CASE_DIGITS_MIN 6  /* K-000123 */
#define CASE_DIGITS_MAX 12
#define STAFF_DIGITS_MIN 3 /* S001 */
#define STAFF_DIGITS_MAX 6
#define TOKEN_HEX 16

static const char *const kind_names[] = {
	[SCAN_RECEIPT] = "receipt", [SCAN_ID_DOCUMENT] = "id_document", [SCAN_CASE] = "case",
	[SCAN_STAFF] = "staff",     [SCAN_PRODUCT] = "product",         [SCAN_UNKNOWN] = "unknown",
};
static const char *const format_names[] = {
	[ID_TD1] = "TD1", [ID_TD2] = "TD2", [ID_TD3] = "TD3", [ID_AAMVA] = "AAMVA",
};

const char *scan_kind_name(enum scan_kind k)
{
	return (unsigned)k <= SCAN_UNKNOWN ? kind_names[k] : "unknown";
}

const char *id_format_name(enum id_format f)
{
	return (unsigned)f <= ID_AAMVA ? format_names[f] : "unknown";
}

int scan_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return KIOSK_EINVAL;
}

long scan_digits(const char *s, size_t n)
{
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool scan_copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n + 1 > cap)
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const uint8_t *s, size_t left)
{
	uint8_t c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (n == 2 && cp < 0xa0) /* C1 control characters */
		return 0;
	return n;
}

/* Refusals that hold whatever the kind: 0 when the bytes may be read. */
static int check_bytes(const uint8_t *d, size_t len, char *err, size_t errlen)
{
	if (len == 0)
		return scan_fail(err, errlen, "The scan is empty.");
	if (len > SCAN_MAX_BYTES)
		return scan_fail(err, errlen, "The scan is too long (more than %d bytes).",
				 SCAN_MAX_BYTES);
	if (memchr(d, 0, len))
		return scan_fail(err, errlen, "The scan contains a NUL byte.");
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(d + i, len - i);
		if (!n) {
			bool c1 = d[i] == 0xc2 && i + 1 < len && d[i + 1] >= 0x80 && d[i + 1] < 0xa0;
			return scan_fail(err, errlen, c1 ? "The scan contains control characters."
							 : "The scan is not valid UTF-8 text.");
		}
		i += n;
	}
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static bool valid_case_id(const char *s, size_t n)
{
	return n >= 2 + CASE_DIGITS_MIN && n <= 2 + CASE_DIGITS_MAX && s[0] == 'K' && s[1] == '-' &&
	       all_digits(s + 2, n - 2);
}

static bool valid_staff_id(const char *s, size_t n)
{
	return n >= 1 + STAFF_DIGITS_MIN && n <= 1 + STAFF_DIGITS_MAX && s[0] == 'S' &&
	       all_digits(s + 1, n - 1);
}

static bool valid_token(const char *s, size_t n)
{
	if (n != TOKEN_HEX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

static int parse_case(const char *s, size_t n, struct scan_result *r)
{
	const char *id = s + strlen(case_prefix);
	const char *colon = memchr(id, ':', n - strlen(case_prefix));
	size_t idn = colon ? (size_t)(colon - id) : n - strlen(case_prefix);
	if (!valid_case_id(id, idn))
		return scan_fail(r->error, sizeof(r->error),
				 "The case code does not hold a case number like K-000123.");
	if (!colon || !valid_token(colon + 1, (size_t)(s + n - colon - 1)))
		return scan_fail(r->error, sizeof(r->error),
				 "The case code does not end with its 16-character check code.");
	scan_copy(r->u.case_code.case_id, sizeof(r->u.case_code.case_id), id, idn);
	for (int i = 0; i < TOKEN_HEX; i++) {
		char c = colon[1 + i];
		r->u.case_code.token[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
	}
	r->u.case_code.token[TOKEN_HEX] = '\0';
	return 0;
}

static int parse_staff(const char *s, size_t n, struct scan_result *r)
{
	const char *id = s + strlen(staff_prefix);
	size_t idn = n - strlen(staff_prefix);
	if (!valid_staff_id(id, idn))
		return scan_fail(r->error, sizeof(r->error),
				 "The staff card does not hold a staff number like S001.");
	scan_copy(r->u.staff.staff_id, sizeof(r->u.staff.staff_id), id, idn);
	return 0;
}

static int parse_receipt(const char *s, size_t n, const struct receipt_code_layout *l,
			 struct scan_result *r)
{
	size_t p = strlen(l->prefix);
	size_t want = p + (size_t)l->store_digits + (size_t)l->register_digits + 8 +
		      (size_t)l->seq_digits;
	if (n != want)
		return scan_fail(r->error, sizeof(r->error),
				 "The receipt code has %zu characters; this store's receipt codes "
				 "have %zu.",
				 n, want);
	for (size_t i = p; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return scan_fail(r->error, sizeof(r->error),
					 "The receipt code must be digits after its prefix; character "
					 "%zu is not.",
					 i + 1);
	struct scan_receipt *rc = &r->u.receipt;
	const char *f = s + p;
	scan_copy(rc->store, sizeof(rc->store), f, (size_t)l->store_digits);
	f += l->store_digits;
	scan_copy(rc->register_id, sizeof(rc->register_id), f, (size_t)l->register_digits);
	f += l->register_digits;
	int y = (int)scan_digits(f, 4), m = (int)scan_digits(f + 4, 2), d = (int)scan_digits(f + 6, 2);
	if (!date_valid(y, m, d))
		return scan_fail(r->error, sizeof(r->error),
				 "The date in the receipt code (%04d-%02d-%02d) is not a real date.", y,
				 m, d);
	rc->date = date_days_from_civil(y, m, d);
	scan_copy(rc->seq, sizeof(rc->seq), f + 8, (size_t)l->seq_digits);
	scan_copy(rc->receipt_id, sizeof(rc->receipt_id), s, n);
	return 0;
}

/* GS1 mod-10: weights 3 and 1 alternating from the digit left of the
 * check digit. */
static int parse_gtin(const char *s, size_t n, struct scan_result *r)
{
	if (n != 8 && n != 12 && n != 13 && n != 14)
		return scan_fail(r->error, sizeof(r->error),
				 "A product code has 8, 12, 13 or 14 digits; this has %zu.", n);
	int sum = 0;
	for (size_t i = 0; i + 1 < n; i++)
		sum += (s[n - 2 - i] - '0') * (i % 2 == 0 ? 3 : 1);
	if ((10 - sum % 10) % 10 != s[n - 1] - '0')
		return scan_fail(r->error, sizeof(r->error),
				 "The check digit of the product code does not match.");
	scan_copy(r->u.product.gtin, sizeof(r->u.product.gtin), s, n);
	return 0;
}

/* The store's layout makes sense (digits counts within the fields). */
static bool layout_usable(const struct receipt_code_layout *l)
{
	return l && memchr(l->prefix, 0, sizeof(l->prefix)) && l->store_digits > 0 &&
	       l->store_digits < 16 && l->register_digits > 0 && l->register_digits < 8 &&
	       l->seq_digits > 0 && l->seq_digits < 16 &&
	       strlen(l->prefix) + (size_t)(l->store_digits + l->register_digits + 8 +
					    l->seq_digits) < 32;
}

static bool has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);
	return n >= p && !memcmp(s, prefix, p);
}

/* Classify an already checked, trimmed payload and parse it. */
static int classify(const char *s, size_t n, const struct receipt_code_layout *layout,
		    int64_t today, struct scan_result *r)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\r' && c != '\n') || c == 0x7f)
			return scan_fail(r->error, sizeof(r->error),
					 "The scan contains control characters.");
	}
	if (has_prefix(s, n, case_prefix)) {
		r->kind = SCAN_CASE;
		return parse_case(s, n, r);
	}
	if (has_prefix(s, n, staff_prefix)) {
		r->kind = SCAN_STAFF;
		return parse_staff(s, n, r);
	}
	if (mrz_candidate(s, n)) {
		r->kind = SCAN_ID_DOCUMENT;
		return mrz_parse(s, n, today, &r->u.id, r->error, sizeof(r->error));
	}
	bool usable = layout_usable(layout);
	if (usable && layout->prefix[0] && has_prefix(s, n, layout->prefix)) {
		r->kind = SCAN_RECEIPT;
		return parse_receipt(s, n, layout, r);
	}
	if (all_digits(s, n)) {
		if (usable && !layout->prefix[0] &&
		    n == (size_t)(layout->store_digits + layout->register_digits + 8 +
				  layout->seq_digits)) {
			r->kind = SCAN_RECEIPT;
			return parse_receipt(s, n, layout, r);
		}
		r->kind = SCAN_PRODUCT;
		return parse_gtin(s, n, r);
	}
	return scan_fail(r->error, sizeof(r->error),
			 "This is not a receipt, ID document, case, staff card or product code.");
}

void scan_parse(const uint8_t *data, size_t len, const struct receipt_code_layout *layout,
		int64_t today, struct scan_result *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = SCAN_UNKNOWN;
	if (!data)
		len = 0;
	int rc = check_bytes(data, len, out->error, sizeof(out->error));
	if (!rc && aamva_candidate(data, len)) {
		out->kind = SCAN_ID_DOCUMENT;
		rc = aamva_parse(data, len, today, &out->u.id, out->error, sizeof(out->error));
	} else if (!rc) {
		/* Scanners end a scan with CR, LF or Tab as configured. */
		const char *s = (const char *)data;
		while (len && strchr(" \t\r\n", s[len - 1]))
			len--;
		if (!len)
			rc = scan_fail(out->error, sizeof(out->error), "The scan is empty.");
		else
			rc = classify(s, len, layout, today, out);
	}
	out->valid = rc == 0;
	if (out->valid) {
		out->error[0] = '\0';
	} else {
		enum scan_kind kind = out->kind;
		char error[sizeof(out->error)];
		memcpy(error, out->error, sizeof(error));
		/* No half-parsed fields reach a caller of an invalid scan. */
		memset(out, 0, sizeof(*out));
		out->kind = kind;
		memcpy(out->error, error, sizeof(error));
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long scan_unescape(const char *in, uint8_t *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		int b = (unsigned char)*p;
		if (*p == '\\') {
			p++;
			if (*p == 'r') {
				b = '\r';
			} else if (*p == 'n') {
				b = '\n';
			} else if (*p == '\\') {
				b = '\\';
			} else if (*p == 'x' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
				b = hexval(p[1]) * 16 + hexval(p[2]);
				p += 2;
			} else {
				return -1;
			}
		}
		if (o >= cap)
			return -1;
		out[o++] = (uint8_t)b;
	}
	return (long)o;
}

int scan_format_case_code(char *buf, size_t len, const char *case_id, const char *token_hex)
{
	if (!case_id || !token_hex || !valid_case_id(case_id, strlen(case_id)) ||
	    !valid_token(token_hex, strlen(token_hex)))
		return KIOSK_EINVAL;
	int n = snprintf(buf, len, "%s%s:%s", case_prefix, case_id, token_hex);
	if (n < 0 || (size_t)n >= len)
		return KIOSK_EINVAL;
	/* The token prints in lower case, as scan_parse returns it. */
	for (char *p = buf + n - TOKEN_HEX; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

int scan_format_staff_code(char *buf, size_t len, const char *staff_id)
{
	if (!staff_id || !valid_staff_id(staff_id, strlen(staff_id)))
		return KIOSK_EINVAL;
	int n = snprintf(buf, len, "%s%s", staff_prefix, staff_id);
	return n < 0 || (size_t)n >= len ? KIOSK_EINVAL : 0;
}
