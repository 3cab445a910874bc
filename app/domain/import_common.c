/* Shared pieces of the receipt import parsers: the batch with its id index,
 * money without floating point, currencies, UTF-8, receipt codes. */
#include "domain/import_common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ISO 4217 codes a Nordic / European store meets, with their minor-unit
 * exponent (ISO 4217 list one, 2024). A code not here is refused rather
 * than guessed: a wrong exponent would scale every price by ten. */
static const struct currency {
	char code[4];
	int exponent;
} currencies[] = {
	{"AUD", 2}, {"BGN", 2}, {"CAD", 2}, {"CHF", 2}, {"CNY", 2}, {"CZK", 2},
	{"DKK", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2}, {"ISK", 0},
	{"JPY", 0}, {"KRW", 0}, {"KWD", 3}, {"NOK", 2}, {"NZD", 2}, {"PLN", 2},
	{"RON", 2}, {"SEK", 2}, {"SGD", 2}, {"TRY", 2}, {"UAH", 2}, {"USD", 2},
	{"ZAR", 2},
};

int import_currency_exponent(const char *code)
{
	for (size_t i = 0; i < sizeof currencies / sizeof currencies[0]; i++)
		if (!strcmp(currencies[i].code, code))
			return currencies[i].exponent;
	return -1;
}

/* Up to 12 integer digits: far above any receipt line, far below int64. */
#define MONEY_MAX_INT_DIGITS 12

int import_money_parse(const char *s, int exponent, int64_t *minor)
{
	int64_t whole = 0, frac = 0;
	int n_int = 0, n_frac = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++, n_int++) {
		if (n_int >= MONEY_MAX_INT_DIGITS)
			return MONEY_TOO_LARGE;
		whole = whole * 10 + (*p - '0');
	}
	if (!n_int)
		return MONEY_MALFORMED;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, n_frac++) {
			if (n_frac >= exponent) {
				if (*p != '0') /* "12.500" is still 12.50 */
					return MONEY_DECIMALS;
				continue;
			}
			frac = frac * 10 + (*p - '0');
		}
		if (!n_frac)
			return MONEY_MALFORMED;
	}
	if (*p)
		return MONEY_MALFORMED;
	for (int i = n_frac < exponent ? n_frac : exponent; i < exponent; i++)
		frac *= 10;
	int64_t scale = 1;
	for (int i = 0; i < exponent; i++)
		scale *= 10;
	*minor = whole * scale + frac;
	return MONEY_OK;
}

int import_count_parse(const char *s, long max, bool allow_zero_decimals, long *out)
{
	long v = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > max)
			return -1;
	}
	if (p == s)
		return -1;
	if (*p == '.' && allow_zero_decimals) {
		for (p++; *p == '0'; p++)
			;
	}
	if (*p || v < 1)
		return -1;
	*out = v;
	return 0;
}

void import_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* Eight bytes of printable ASCII (0x20..0x7e) at once: no high bit, no
 * byte below 0x20, none equal to 0x7f. The subtractions can only carry a
 * false alarm into a byte above a true one, so "no" is exact. */
static bool ascii8_printable(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t del = x ^ (0x7f * ones);
	return !(x & high) && !((x - 0x20 * ones) & ~x & high) && !((del - ones) & ~del & high);
}

bool import_text_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint64_t x;
		if (n - i >= 8 && (memcpy(&x, u + i, 8), ascii8_printable(x))) {
			i += 8;
			continue;
		}
		unsigned c = u[i];
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return false;
			i++;
			continue;
		}
		int more;
		unsigned cp;
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + (size_t)more >= n)
			return false;
		for (int k = 1; k <= more; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (u[i + k] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += (size_t)more + 1;
	}
	return true;
}

static int digits_value(const char *s, int n, long *out)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int import_receipt_code_split(const struct receipt_code_layout *l, const char *id,
			      char *store, size_t store_len, char *reg, size_t reg_len,
			      int64_t *day, long *seq)
{
	size_t np = strlen(l->prefix);
	size_t want = np + (size_t)l->store_digits + (size_t)l->register_digits + 8 +
		      (size_t)l->seq_digits;
	if (strlen(id) != want || strncmp(id, l->prefix, np))
		return -1;
	const char *p = id + np;
	long v, y, m, d;
	if (digits_value(p, l->store_digits, &v) ||
	    digits_value(p + l->store_digits, l->register_digits, &v))
		return -1;
	const char *date = p + l->store_digits + l->register_digits;
	if (digits_value(date, 4, &y) || digits_value(date + 4, 2, &m) ||
	    digits_value(date + 6, 2, &d) || !date_valid((int)y, (int)m, (int)d) ||
	    digits_value(date + 8, l->seq_digits, seq))
		return -1;
	*day = date_days_from_civil((int)y, (int)m, (int)d);
	size_t ns = (size_t)l->store_digits < store_len ? (size_t)l->store_digits : store_len - 1;
	size_t nr = (size_t)l->register_digits < reg_len ? (size_t)l->register_digits : reg_len - 1;
	memcpy(store, p, ns);
	store[ns] = 0;
	memcpy(reg, p + l->store_digits, nr);
	reg[nr] = 0;
	return 0;
}

/* "42" into width 4 -> "0042"; fails when not digits or too wide. */
static int pad_digits(const char *s, int width, char *out)
{
	size_t n = strlen(s);
	while (n > 1 && *s == '0' && n > (size_t)width) { /* "00042" fits 4 */
		s++;
		n--;
	}
	if (!n || n > (size_t)width)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	memset(out, '0', (size_t)width - n);
	memcpy(out + width - n, s, n);
	out[width] = 0;
	return 0;
}

int import_receipt_code_build(const struct receipt_code_layout *l, const char *store,
			      const char *reg, int64_t day, const char *seq, char *buf,
			      size_t len, struct kiosk_why *why)
{
	char st[24], rg[24], sq[24];
	int y, m, d;
	if (l->store_digits > 16 || l->register_digits > 16 || l->seq_digits > 16)
		return kiosk_fail(why, KIOSK_EINVAL, "the receipt barcode layout is too wide");
	if (pad_digits(store, l->store_digits, st))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "store '%.32s' is not a number of at most %d digits", store,
				  l->store_digits);
	if (pad_digits(reg, l->register_digits, rg))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "register '%.32s' is not a number of at most %d digits", reg,
				  l->register_digits);
	if (pad_digits(seq, l->seq_digits, sq))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "sequence number '%.32s' is not a number of at most %d digits", seq,
				  l->seq_digits);
	date_civil_from_days(day, &y, &m, &d);
	if (y < 1000 || y > 9999)
		return kiosk_fail(why, KIOSK_EINVAL, "the business day is out of range");
	int n = snprintf(buf, len, "%s%s%s%04d%02d%02d%s", l->prefix, st, rg, y, m, d, sq);
	if (n < 0 || (size_t)n >= len)
		return kiosk_fail(why, KIOSK_EINVAL, "the receipt code would be too long");
	return 0;
}

/* ---- the batch ---------------------------------------------------------- */

void import_batch_free(struct import_batch *b)
{
	for (int i = 0; i < b->n; i++)
		receipt_free(&b->receipts[i]);
	free(b->receipts);
	free(b->line_cap);
	free(b->slots);
	memset(b, 0, sizeof *b);
}

/* FNV-1a: short ids, no adversary worth more than a linear probe. */
static size_t id_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

int import_batch_find(const struct import_batch *b, const char *receipt_id)
{
	if (!b->n_slots)
		return -1;
	for (size_t i = id_hash(receipt_id) & (b->n_slots - 1);; i = (i + 1) & (b->n_slots - 1)) {
		int v = b->slots[i];
		if (!v)
			return -1;
		if (!strcmp(b->receipts[v - 1].receipt_id, receipt_id))
			return v - 1;
	}
}

static void slot_put(int *slots, size_t n_slots, const char *id, int idx)
{
	size_t i = id_hash(id) & (n_slots - 1);
	while (slots[i])
		i = (i + 1) & (n_slots - 1);
	slots[i] = idx + 1;
}

int import_batch_add(struct import_batch *b, const struct receipt *head)
{
	if (b->n == b->cap && b->n && !b->line_cap)
		return KIOSK_EINVAL; /* sorted: read-only */
	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 64;
		struct receipt *r = realloc(b->receipts, (size_t)cap * sizeof *r);
		if (!r)
			return KIOSK_ENOMEM;
		b->receipts = r;
		int *lc = realloc(b->line_cap, (size_t)cap * sizeof *lc);
		if (!lc)
			return KIOSK_ENOMEM;
		b->line_cap = lc;
		b->cap = cap;
	}
	/* keep the index at most half full */
	if ((size_t)(b->n + 1) * 2 > b->n_slots) {
		size_t ns = b->n_slots ? b->n_slots * 2 : 128;
		int *slots = calloc(ns, sizeof *slots);
		if (!slots)
			return KIOSK_ENOMEM;
		for (int i = 0; i < b->n; i++)
			slot_put(slots, ns, b->receipts[i].receipt_id, i);
		free(b->slots);
		b->slots = slots;
		b->n_slots = ns;
	}
	int idx = b->n++;
	b->receipts[idx] = *head;
	b->receipts[idx].n_lines = 0;
	b->receipts[idx].lines = NULL;
	b->line_cap[idx] = 0;
	slot_put(b->slots, b->n_slots, head->receipt_id, idx);
	return idx;
}

int import_batch_add_line(struct import_batch *b, int idx, const struct receipt_line *line)
{
	struct receipt *r = &b->receipts[idx];
	if (!b->line_cap)
		return KIOSK_EINVAL; /* sorted: read-only */
	if (r->n_lines == b->line_cap[idx]) {
		int cap = b->line_cap[idx] ? b->line_cap[idx] * 2 : 2;
		struct receipt_line *l = realloc(r->lines, (size_t)cap * sizeof *l);
		if (!l)
			return KIOSK_ENOMEM;
		r->lines = l;
		b->line_cap[idx] = cap;
	}
	r->lines[r->n_lines++] = *line;
	b->n_lines++;
	return 0;
}

static int by_receipt_id(const void *a, const void *b)
{
	return strcmp(((const struct receipt *)a)->receipt_id,
		      ((const struct receipt *)b)->receipt_id);
}

/* A receipt by the 8 bytes of its id after the prefix all ids of the
 * batch share (they differ in the date and number): most comparisons are
 * one of two integers, the rest strcmp. Bytes past the id's end are 0, as
 * strcmp sees its end. */
struct sort_key {
	uint64_t k;
	const struct receipt *r;
};

static int by_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	return strcmp(x->r->receipt_id, y->r->receipt_id);
}

static bool sort_by_key(struct import_batch *b)
{
	struct sort_key *key = malloc((size_t)b->n * sizeof *key);
	struct receipt *out = malloc((size_t)b->n * sizeof *out);
	if (!key || !out) {
		free(key);
		free(out);
		return false;
	}
	const char *first = b->receipts[0].receipt_id;
	size_t common = strlen(first);
	for (int i = 1; i < b->n && common; i++) {
		const char *id = b->receipts[i].receipt_id;
		size_t k = 0;
		while (k < common && id[k] == first[k])
			k++;
		common = k;
	}
	for (int i = 0; i < b->n; i++) {
		const unsigned char *id = (const unsigned char *)b->receipts[i].receipt_id + common;
		uint64_t k = 0;
		bool end = false;
		for (int j = 0; j < 8; j++) {
			end = end || !id[j];
			k = k << 8 | (end ? 0 : id[j]);
		}
		key[i] = (struct sort_key){k, &b->receipts[i]};
	}
	qsort(key, (size_t)b->n, sizeof *key, by_key);
	for (int i = 0; i < b->n; i++)
		out[i] = *key[i].r;
	free(key);
	free(b->receipts);
	b->receipts = out;
	return true;
}

void import_batch_sort(struct import_batch *b)
{
	if (b->n > 1 && !sort_by_key(b))
		qsort(b->receipts, (size_t)b->n, sizeof *b->receipts, by_receipt_id);
	free(b->slots);
	free(b->line_cap);
	b->slots = NULL;
	b->line_cap = NULL;
	b->n_slots = 0;
	b->cap = b->n; /* no growth: line_cap is gone */
}

int import_batch_merge(struct import_batch *dst, struct import_batch *src,
		       struct kiosk_why *why)
{
	int rc = 0;
	for (int i = 0; !rc && i < src->n; i++) {
		struct receipt *r = &src->receipts[i];
		int idx = import_batch_find(dst, r->receipt_id);
		if (idx < 0) {
			if ((idx = import_batch_add(dst, r)) < 0) {
				rc = kiosk_fail(why, idx, "out of memory");
				break;
			}
			/* the lines move as they are */
			dst->receipts[idx].lines = r->lines;
			dst->receipts[idx].n_lines = r->n_lines;
			dst->line_cap[idx] = src->line_cap[i];
			dst->n_lines += r->n_lines;
			r->lines = NULL;
			r->n_lines = 0;
			continue;
		}
		const struct receipt *d = &dst->receipts[idx];
		if (d->purchased_at.unix_s != r->purchased_at.unix_s ||
		    d->purchased_at.offset_min != r->purchased_at.offset_min ||
		    strcmp(d->currency, r->currency)) {
			rc = kiosk_fail(why, KIOSK_EINVAL, "receipt %s: its rows disagree on time or currency",
					r->receipt_id);
			break;
		}
		for (int k = 0; !rc && k < r->n_lines; k++) {
			for (int j = 0; j < dst->receipts[idx].n_lines; j++)
				if (dst->receipts[idx].lines[j].line == r->lines[k].line) {
					rc = kiosk_fail(why, KIOSK_EINVAL, "receipt %s has line %d twice",
							r->receipt_id, r->lines[k].line);
					break;
				}
			if (!rc && import_batch_add_line(dst, idx, &r->lines[k]))
				rc = kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
		}
	}
	import_batch_free(src);
	return rc;
}
