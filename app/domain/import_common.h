/* What the two receipt import parsers (CSV, ARTS POSLog) share: the batch
 * of receipts they build, money in minor units without floating point, the
 * ISO 4217 table, UTF-8 checks and the receipt barcode layout. Pure C: no
 * I/O, no clock. */
#ifndef KIOSK_DOMAIN_IMPORT_COMMON_H
#define KIOSK_DOMAIN_IMPORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/config.h"
#include "core/err.h"
#include "domain/model.h"

/* What a parser needs to know about the store. */
struct import_opts {
	const struct receipt_code_layout *layout; /* how receipt ids are built */
	const char *default_currency; /* POSLog amounts that name none; NULL: refuse */
	const char *default_category; /* POSLog lines without a category; NULL: refuse */
};

/* Called now and then while parsing: done of total input bytes. */
typedef void (*import_progress_fn)(void *arg, size_t done, size_t total);

/* Receipts parsed from one file. The caller owns it: zero-initialise,
 * free with import_batch_free. receipts[] is what store_receipts_import
 * takes. */
struct import_batch {
	struct receipt *receipts;
	int n;
	long n_lines;
	/* private: growth and the receipt_id index */
	int cap;
	int *line_cap;
	int *slots;       /* open addressing: receipt index + 1, 0 empty */
	size_t n_slots;   /* power of two */
};

void import_batch_free(struct import_batch *b);
/* Index of the receipt with this id, or -1. */
int import_batch_find(const struct import_batch *b, const char *receipt_id);
/* Append a copy of head (its lines are ignored); returns the new index
 * or a negative kiosk_err. */
int import_batch_add(struct import_batch *b, const struct receipt *head);
/* Append a line to receipt idx. 0 or KIOSK_ENOMEM. */
int import_batch_add_line(struct import_batch *b, int idx, const struct receipt_line *line);

/* Move src's receipts into dst (src is left empty). A receipt in both must
 * agree on its time and currency and not repeat a line number; otherwise
 * KIOSK_EINVAL with a reason naming the receipt. */
int import_batch_merge(struct import_batch *dst, struct import_batch *src,
		       struct kiosk_why *why);

/* Sort the receipts by receipt_id, for the store: inserting ids in order
 * keeps its unique index appending instead of jumping around the B-tree.
 * The batch is read-only afterwards (find and add no longer work). */
void import_batch_sort(struct import_batch *b);

/* Decimals of an ISO 4217 currency (SEK 2, ISK 0, KWD 3), -1 unknown. */
int import_currency_exponent(const char *code);

enum import_money_err {
	MONEY_OK = 0,
	MONEY_MALFORMED = -1,  /* not digits[.digits] */
	MONEY_DECIMALS = -2,   /* more decimals than the currency has */
	MONEY_TOO_LARGE = -3,
};
/* "12.50" with exponent 2 -> 1250. No sign, no thousands separators. */
int import_money_parse(const char *s, int exponent, int64_t *minor);

/* A positive whole number of at most max; "2.000" is accepted when
 * allow_zero_decimals (POSLog quantities). 0 ok, -1 otherwise. */
int import_count_parse(const char *s, long max, bool allow_zero_decimals, long *out);

/* Copy src into dst[cap], cut at cap - 1 bytes (callers check lengths
 * first). A plain memcpy: snprintf was a tenth of a million-line import. */
void import_copy(char *dst, size_t cap, const char *src);

/* Is s[0..n) well-formed UTF-8 without control characters (C0, DEL)? */
bool import_text_ok(const char *s, size_t n);

/* Split a receipt barcode payload by the layout. store/register get the
 * fixed-width digit strings. 0 ok, -1 when it does not fit the layout. */
int import_receipt_code_split(const struct receipt_code_layout *l, const char *id,
			      char *store, size_t store_len, char *reg, size_t reg_len,
			      int64_t *day, long *seq);
/* Build the payload from parts given as decimal numbers ("42", "0042");
 * fails with a reason naming the part that does not fit. */
int import_receipt_code_build(const struct receipt_code_layout *l, const char *store,
			      const char *reg, int64_t day, const char *seq, char *buf,
			      size_t len, struct kiosk_why *why);

#endif
