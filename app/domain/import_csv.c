/* CSV receipt import: an RFC 4180 tokenizer (one record at a time, quoted
 * fields may hold commas, quotes and line breaks) and the row rules of
 * interfaces.md §5. The first problem stops the parse: one file is one
 * transaction, so there is no point reading on. */
#include "domain/import_csv.h"

#include <stdio.h>
#include <string.h>

#include "domain/scan.h"

const char import_csv_header[] =
	"receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,"
	"currency,category";

enum col { C_RECEIPT_ID, C_STORE, C_REGISTER, C_PURCHASED_AT, C_LINE, C_SKU, C_DESCRIPTION,
	   C_QUANTITY, C_UNIT_PRICE, C_CURRENCY, C_CATEGORY, N_COLS };

static const char *const col_names[N_COLS] = {
	"receipt_id", "store", "register", "purchased_at", "line", "sku",
	"description", "quantity", "unit_price", "currency", "category",
};

/* A row longer than this is not a receipt line but a broken file. */
#define CSV_MAX_ROW 4096
#define MAX_LINE_NO 9999
#define MAX_QUANTITY 100000
#define PROGRESS_EVERY (1u << 20)

struct csv {
	const char *p, *end;
	long line;              /* file line of the next record */
	char buf[CSV_MAX_ROW + N_COLS + 2];
	char *f[N_COLS + 1];
	size_t len[N_COLS + 1]; /* of each field, without its NUL */
	int nf;
	bool blank;             /* the record was an empty line */
};

/* Bytes that end an unquoted field (or make it wrong): the scan skips all
 * others a byte at a time without further tests, and copies the run. */
static const bool field_stop[256] = {
	[','] = true, ['\n'] = true, ['\r'] = true, ['"'] = true, ['\0'] = true};

/* Would copying run more bytes at w pass the row limit? As a byte-by-byte
 * copy that refuses to write at w >= CSV_MAX_ROW would see it: w also
 * counts the field terminators, so it can already be past the limit. */
static bool run_too_long(size_t w, size_t run)
{
	return run && (w >= CSV_MAX_ROW || run > CSV_MAX_ROW - w);
}

/* Read one record into c->f. 1 got one, 0 end of input, <0 refused. */
static int csv_record(struct csv *c, struct kiosk_why *why)
{
	long start = c->line;
	size_t w = 0;
	bool quoted_any = false;
	if (c->p >= c->end)
		return 0;
	c->nf = 0;
	for (;;) {
		if (c->nf >= N_COLS)
			return kiosk_fail(why, KIOSK_EINVAL, "line %ld: expected %d fields, found more",
					  start, N_COLS);
		c->f[c->nf] = c->buf + w;
		if (c->p < c->end && *c->p == '"') {
			quoted_any = true;
			/* runs up to the next quote, copied whole; "" is one quote */
			for (c->p++;;) {
				const char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
				size_t run = (size_t)((q ? q : c->end) - c->p);
				if (run_too_long(w, run))
					goto too_long;
				/* a NUL would end the text there and drop the rest unseen */
				if (memchr(c->p, 0, run))
					return kiosk_fail(why, KIOSK_EINVAL,
							  "line %ld: a NUL byte inside a field", start);
				for (const char *nl = c->p; (nl = memchr(nl, '\n', (size_t)(c->p + run - nl)));
				     nl++)
					c->line++;
				memcpy(c->buf + w, c->p, run);
				w += run;
				if (!q)
					return kiosk_fail(why, KIOSK_EINVAL,
							  "line %ld: a quoted field is not closed", start);
				if (q + 1 < c->end && q[1] == '"') {
					if (w >= CSV_MAX_ROW)
						goto too_long;
					c->buf[w++] = '"';
					c->p = q + 2;
					continue;
				}
				c->p = q + 1;
				break;
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
				return kiosk_fail(why, KIOSK_EINVAL,
						  "line %ld: text after a closing quote (a quote inside a "
						  "quoted field is written twice: \"\")",
						  start);
		} else {
			const char *q = c->p;
			while (q < c->end && !field_stop[(unsigned char)*q])
				q++;
			/* in this order, as a byte-by-byte scan would meet them */
			if (run_too_long(w, (size_t)(q - c->p)))
				goto too_long;
			if (q < c->end && *q == '"')
				return kiosk_fail(why, KIOSK_EINVAL,
						  "line %ld: a quote inside an unquoted field "
						  "(quote the whole field)",
						  start);
			if (q < c->end && *q == '\0')
				return kiosk_fail(why, KIOSK_EINVAL,
						  "line %ld: a NUL byte inside a field", start);
			memcpy(c->buf + w, c->p, (size_t)(q - c->p));
			w += (size_t)(q - c->p);
			c->p = q;
		}
		c->len[c->nf] = (size_t)(c->buf + w - c->f[c->nf]);
		c->buf[w++] = 0;
		c->nf++;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		break;
	}
	if (c->p < c->end && *c->p == '\r')
		c->p++;
	if (c->p < c->end && *c->p == '\n')
		c->p++;
	c->line++;
	c->blank = c->nf == 1 && !c->f[0][0] && !quoted_any;
	return 1;
too_long:
	return kiosk_fail(why, KIOSK_EINVAL, "line %ld: the row is longer than %d bytes", start,
			  CSV_MAX_ROW);
}

/* A short text field of n bytes: present, well-formed, fits its model
 * field. */
static int check_text(const char *v, size_t n, size_t cap, long line, const char *name,
		      struct kiosk_why *why)
{
	if (!n)
		return kiosk_fail(why, KIOSK_EINVAL, "line %ld: %s is empty", line, name);
	if (n >= cap)
		return kiosk_fail(why, KIOSK_EINVAL, "line %ld: %s is longer than %zu bytes", line,
				  name, cap - 1);
	if (!import_text_ok(v, n))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: %s is not valid UTF-8 text (or holds a control character)",
				  line, name);
	return 0;
}

static int check_header(struct csv *c, struct kiosk_why *why)
{
	bool ok = c->nf == N_COLS;
	for (int i = 0; ok && i < N_COLS; i++)
		ok = !strcmp(c->f[i], col_names[i]);
	if (!ok)
		return kiosk_fail(why, KIOSK_EINVAL, "line 1: the header row must be %s",
				  import_csv_header);
	return 0;
}

/* "42" and "0042" name the same store: digits only, leading zeros aside. */
static bool same_number(const char *given, const char *code_part)
{
	if (!*given || strspn(given, "0123456789") != strlen(given))
		return false;
	while (given[0] == '0' && given[1])
		given++;
	while (code_part[0] == '0' && code_part[1])
		code_part++;
	return !strcmp(given, code_part);
}

/* The receipt-level fields of the row before, as written and as checked.
 * A receipt's rows nearly always follow each other, and the same fields
 * passing the same checks again cost most of a row (barcode, time,
 * currency table). Only fields that passed are kept: the first four
 * fields as the tokenizer left them (each ended by its NUL, one after the
 * other), compared in one go. */
struct row_cache {
	bool head_ok, currency_ok;
	size_t head_len;
	char head_raw[128], currency[8];
	struct receipt head;    /* receipt_id, store, register_id, purchased_at */
	int exponent;
};

static bool keep(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* The bytes of fields receipt_id..purchased_at with their NULs. */
static size_t head_bytes(char **f)
{
	return (size_t)(f[C_LINE] - f[C_RECEIPT_ID]);
}

static int check_head(char **f, long ln, const struct import_opts *o, struct receipt *head,
		      struct kiosk_why *why);

/* One row -> head (receipt fields) + line; *same: the receipt fields are
 * those of the row before. */
static int parse_row(char **f, const size_t *len, long ln, const struct import_opts *o,
		     struct row_cache *rc, struct receipt *head, struct receipt_line *line,
		     bool *same, struct kiosk_why *why)
{
	long v;
	/* every field is set below (a line is 224 bytes; the texts end at
	 * their NUL and nothing reads past it) */
	line->returned_quantity = line->pending_quantity = 0;
	size_t hn = head_bytes(f);
	*same = rc->head_ok && hn == rc->head_len && !memcmp(f[C_RECEIPT_ID], rc->head_raw, hn);
	if (*same) {
		*head = rc->head;
	} else {
		rc->head_ok = false;
		int err = check_head(f, ln, o, head, why);
		if (err)
			return err;
		rc->head = *head;
		rc->head_ok = hn <= sizeof rc->head_raw;
		if (rc->head_ok) {
			memcpy(rc->head_raw, f[C_RECEIPT_ID], hn);
			rc->head_len = hn;
		}
	}
	if (import_count_parse(f[C_LINE], MAX_LINE_NO, false, &v))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: line '%.20s' is not a receipt line number (1 to %d)", ln,
				  f[C_LINE], MAX_LINE_NO);
	line->line = (int)v;
	if (check_text(f[C_SKU], len[C_SKU], sizeof line->sku, ln, "sku", why) ||
	    check_text(f[C_DESCRIPTION], len[C_DESCRIPTION], sizeof line->description, ln,
		       "description", why) ||
	    check_text(f[C_CATEGORY], len[C_CATEGORY], sizeof line->category, ln, "category",
		       why))
		return KIOSK_EINVAL;
	/* each fits with its NUL (check_text) */
	memcpy(line->sku, f[C_SKU], len[C_SKU] + 1);
	memcpy(line->description, f[C_DESCRIPTION], len[C_DESCRIPTION] + 1);
	memcpy(line->category, f[C_CATEGORY], len[C_CATEGORY] + 1);
	if (import_count_parse(f[C_QUANTITY], MAX_QUANTITY, false, &v))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: quantity '%.20s' is not a whole number from 1 to %d", ln,
				  f[C_QUANTITY], MAX_QUANTITY);
	line->quantity = (int)v;
	int exp;
	if (rc->currency_ok && !strcmp(f[C_CURRENCY], rc->currency)) {
		exp = rc->exponent;
	} else {
		exp = import_currency_exponent(f[C_CURRENCY]);
		if (exp < 0)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "line %ld: unknown currency '%.20s' (an ISO 4217 code such "
					  "as SEK or EUR)",
					  ln, f[C_CURRENCY]);
		rc->exponent = exp;
		rc->currency_ok = keep(rc->currency, sizeof rc->currency, f[C_CURRENCY]);
	}
	import_copy(head->currency, sizeof head->currency, f[C_CURRENCY]);
	switch (import_money_parse(f[C_UNIT_PRICE], exp, &line->unit_price)) {
	case MONEY_OK:
		break;
	case MONEY_DECIMALS:
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: unit_price '%.20s' has more decimals than %s has (%d)", ln,
				  f[C_UNIT_PRICE], head->currency, exp);
	case MONEY_TOO_LARGE:
		return kiosk_fail(why, KIOSK_EINVAL, "line %ld: unit_price '%.20s' is too large",
				  ln, f[C_UNIT_PRICE]);
	default:
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: unit_price '%.20s' is not a price like 12.50", ln,
				  f[C_UNIT_PRICE]);
	}
	return 0;
}

/* The receipt-level fields of a row: id, store, register, time. */
static int check_head(char **f, long ln, const struct import_opts *o, struct receipt *head,
		      struct kiosk_why *why)
{
	const struct receipt_code_layout *lay = o->layout;
	memset(head, 0, sizeof *head);

	/* the kiosk's own scan parser: an imported receipt is one it can scan */
	struct scan_result sr;
	size_t id_len = strlen(f[C_RECEIPT_ID]);
	scan_parse((const uint8_t *)f[C_RECEIPT_ID], id_len, lay, 0, &sr);
	if (!sr.valid || sr.kind != SCAN_RECEIPT || id_len >= sizeof head->receipt_id ||
	    strcmp(sr.u.receipt.receipt_id, f[C_RECEIPT_ID]))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: receipt_id '%.40s' does not fit the store's receipt "
				  "barcode (%s, %d-digit store, %d-digit register, YYYYMMDD, "
				  "%d-digit number)",
				  ln, f[C_RECEIPT_ID], lay->prefix, lay->store_digits,
				  lay->register_digits, lay->seq_digits);
	import_copy(head->receipt_id, sizeof head->receipt_id, f[C_RECEIPT_ID]);
	const char *store = sr.u.receipt.store, *reg = sr.u.receipt.register_id;
	int64_t day = sr.u.receipt.date;
	if (!same_number(f[C_STORE], store))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: store '%.20s' is not the store in receipt_id (%s)", ln,
				  f[C_STORE], store);
	if (!same_number(f[C_REGISTER], reg))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: register '%.20s' is not the register in receipt_id (%s)",
				  ln, f[C_REGISTER], reg);
	import_copy(head->store, sizeof head->store, store);
	import_copy(head->register_id, sizeof head->register_id, reg);

	if (time_parse_iso(f[C_PURCHASED_AT], &head->purchased_at))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: purchased_at '%.40s' is not a time with UTC offset like "
				  "2026-11-22T14:05:00+01:00",
				  ln, f[C_PURCHASED_AT]);
	if (time_local_days(head->purchased_at) != day) {
		char got[16], want[16];
		date_format(time_local_days(head->purchased_at), got, sizeof got);
		date_format(day, want, sizeof want);
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: purchased_at is on %s but receipt_id says %s", ln, got,
				  want);
	}
	return 0;
}

/* A row of a receipt already seen must agree with its first row. */
static int check_same_receipt(const struct receipt *r, const struct receipt *head,
			      const struct receipt_line *line, long ln, struct kiosk_why *why)
{
	if (r->purchased_at.unix_s != head->purchased_at.unix_s ||
	    r->purchased_at.offset_min != head->purchased_at.offset_min) {
		char was[40];
		time_format_iso(r->purchased_at, was, sizeof was);
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: receipt %s was bought at %s on an earlier row", ln,
				  r->receipt_id, was);
	}
	if (strcmp(r->currency, head->currency))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "line %ld: receipt %s is in %s on an earlier row, here in %s", ln,
				  r->receipt_id, r->currency, head->currency);
	for (int i = 0; i < r->n_lines; i++)
		if (r->lines[i].line == line->line)
			return kiosk_fail(why, KIOSK_EINVAL, "line %ld: receipt %s has line %d twice",
					  ln, r->receipt_id, line->line);
	return 0;
}

/* The rows from c->p on, into out. */
static int parse_rows(struct csv *cp, const char *data, size_t len, const struct import_opts *o,
		      struct import_batch *out, import_progress_fn progress, void *arg,
		      struct kiosk_why *why)
{
	int rc;
	size_t next_report = PROGRESS_EVERY;
	struct row_cache cache;
	cache.head_ok = cache.currency_ok = false;
	int last = -1; /* the receipt of the row before, in out */
	for (;;) {
		long ln = cp->line;
		rc = csv_record(cp, why);
		if (rc == 0)
			break;
		if (rc < 0)
			goto fail;
		if (cp->blank)
			continue;
		if (cp->nf != N_COLS) {
			rc = kiosk_fail(why, KIOSK_EINVAL, "line %ld: expected %d fields, found %d", ln,
					N_COLS, cp->nf);
			goto fail;
		}
		struct receipt head;
		struct receipt_line line;
		bool same;
		if ((rc = parse_row(cp->f, cp->len, ln, o, &cache, &head, &line, &same, why)))
			goto fail;
		int idx = same && last >= 0 ? last : import_batch_find(out, head.receipt_id);
		if (idx >= 0) {
			if ((rc = check_same_receipt(&out->receipts[idx], &head, &line, ln, why)))
				goto fail;
		} else if ((idx = import_batch_add(out, &head)) < 0) {
			rc = kiosk_fail(why, idx, "out of memory at line %ld", ln);
			goto fail;
		}
		last = idx;
		if ((rc = import_batch_add_line(out, idx, &line))) {
			rc = kiosk_fail(why, rc, "out of memory at line %ld", ln);
			goto fail;
		}
		if (progress && (size_t)(cp->p - data) >= next_report) {
			progress(arg, (size_t)(cp->p - data), len);
			next_report += PROGRESS_EVERY;
		}
	}
	if (progress)
		progress(arg, len, len);
	return 0;
fail:
	import_batch_free(out);
	return rc;
}

int import_csv_parse(const char *data, size_t len, const struct import_opts *o,
		     struct import_batch *out, import_progress_fn progress, void *arg,
		     struct kiosk_why *why)
{
	struct csv c;
	int rc;
	memset(out, 0, sizeof *out);
	c.p = data;
	c.end = data + len;
	c.line = 1;
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) /* a BOM from spreadsheet exports */
		c.p += 3;
	rc = csv_record(&c, why);
	if (rc == 0)
		return kiosk_fail(why, KIOSK_EINVAL, "the file is empty (no header row)");
	if (rc < 0)
		return rc;
	if ((rc = check_header(&c, why)))
		return rc;
	return parse_rows(&c, data, len, o, out, progress, arg, why);
}

int import_csv_parse_rows(const char *data, size_t len, long first_line,
			  const struct import_opts *o, struct import_batch *out,
			  struct kiosk_why *why)
{
	struct csv c;
	memset(out, 0, sizeof *out);
	c.p = data;
	c.end = data + len;
	c.line = first_line;
	return parse_rows(&c, data, len, o, out, NULL, NULL, why);
}
