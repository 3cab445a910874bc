/* What a customer or staff member scans: one pure parser (no I/O, no
 * globals) from the bytes a scanner delivers to a typed result. The clock
 * (for "expired") and the store's receipt layout are passed in. */
#ifndef KIOSK_DOMAIN_SCAN_H
#define KIOSK_DOMAIN_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/config.h"
#include "core/date.h"

enum scan_kind { SCAN_RECEIPT, SCAN_ID_DOCUMENT, SCAN_CASE, SCAN_STAFF, SCAN_PRODUCT,
		 SCAN_UNKNOWN };

enum id_format { ID_TD1, ID_TD2, ID_TD3, ID_AAMVA };

/* Longest payload accepted (an AAMVA PDF417 is well under this). */
#define SCAN_MAX_BYTES 4096

struct scan_receipt {
	char receipt_id[32];   /* the whole payload */
	char store[16];
	char register_id[8];
	int64_t date;          /* days since epoch */
	char seq[16];
};

struct scan_id_document {
	enum id_format format;
	char document_type[4]; /* "I", "ID", "P", "PP", "DL" ... */
	char issuer[4];        /* ISO 3166 alpha-3; Germany's ICAO "D<<" becomes "DEU" */
	char document_number[32];
	int64_t birth_date;    /* days since epoch */
	int64_t expiry_date;
	char surname[96];
	char given_names[128];
	bool expired;
	char personal_number[16]; /* "YYMMDD-NNNN" when the document carries one */
};

struct scan_result {
	enum scan_kind kind;
	bool valid;
	char error[160];       /* a sentence a person understands, when !valid */
	union {
		struct scan_receipt receipt;
		struct scan_id_document id;
		struct { char case_id[16]; char token[17]; } case_code;
		struct { char staff_id[16]; } staff;
		struct { char gtin[15]; } product;
	} u;
};

/* Classify and parse data[0..len). today is the local date (for expiry and
 * two-digit years). Never fails: the result says valid or why not. */
void scan_parse(const uint8_t *data, size_t len, const struct receipt_code_layout *layout,
		int64_t today, struct scan_result *out);

const char *scan_kind_name(enum scan_kind k);
const char *id_format_name(enum id_format f);

/* Turn the escapes \r \n \x1d (any \xHH) and \\ into bytes. Returns the
 * length written to out (at most cap), or -1 for a malformed escape or
 * when the result does not fit in cap bytes. */
long scan_unescape(const char *in, uint8_t *out, size_t cap);

/* The codes this kiosk prints (documented in the README):
 * case receipt  "KC1:" case_id ":" 16 hex token   e.g. KC1:K-000123:9f3a6b2c1d4e5f60
 * staff card    "KS1:" staff_id                   e.g. KS1:S001                    */
int scan_format_case_code(char *buf, size_t len, const char *case_id, const char *token_hex);
int scan_format_staff_code(char *buf, size_t len, const char *staff_id);

#endif
