/* libFuzzer target for the scan parser: any bytes through scan_parse (two
 * receipt layouts, two dates) and, NUL-terminated, through scan_unescape.
 * Besides the sanitizers, it checks what every caller relies on: a result
 * is valid with no error or invalid with one printable sentence, the kind
 * is in range, and every text field is terminated and free of control
 * bytes (so nothing raw can reach a terminal). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/date.h"
#include "domain/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond)
{
	if (!cond)
		abort();
}

static void clean_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	must(n < cap);
	for (size_t i = 0; i < n; i++)
		must((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
}

static void check(const struct scan_result *r)
{
	must(r->kind <= SCAN_UNKNOWN);
	clean_text(r->error, sizeof(r->error));
	must(r->valid == (r->error[0] == '\0'));
	if (!r->valid)
		return;
	must(r->kind != SCAN_UNKNOWN);
	const struct scan_id_document *id = &r->u.id;
	switch (r->kind) {
	case SCAN_RECEIPT:
		clean_text(r->u.receipt.receipt_id, sizeof(r->u.receipt.receipt_id));
		clean_text(r->u.receipt.seq, sizeof(r->u.receipt.seq));
		break;
	case SCAN_ID_DOCUMENT:
		must(id->format <= ID_AAMVA);
		clean_text(id->document_number, sizeof(id->document_number));
		clean_text(id->surname, sizeof(id->surname));
		clean_text(id->given_names, sizeof(id->given_names));
		clean_text(id->issuer, sizeof(id->issuer));
		clean_text(id->personal_number, sizeof(id->personal_number));
		must(id->surname[0] && id->document_number[0]);
		break;
	case SCAN_CASE:
		clean_text(r->u.case_code.case_id, sizeof(r->u.case_code.case_id));
		must(strlen(r->u.case_code.token) == 16);
		break;
	case SCAN_STAFF:
		clean_text(r->u.staff.staff_id, sizeof(r->u.staff.staff_id));
		break;
	case SCAN_PRODUCT:
		clean_text(r->u.product.gtin, sizeof(r->u.product.gtin));
		break;
	case SCAN_UNKNOWN:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct receipt_code_layout layouts[2] = {{"RS", 4, 3, 6}, {"", 2, 2, 4}};
	const int64_t days[2] = {date_days_from_civil(2026, 11, 23), 0};
	struct scan_result r;
	for (int k = 0; k < 2; k++) {
		scan_parse(data, size, &layouts[k], days[k], &r);
		check(&r);
	}
	char *s = malloc(size + 1);
	uint8_t *out = malloc(size + 1);
	if (!s || !out)
		goto out;
	memcpy(s, data, size);
	s[size] = '\0';
	long n = scan_unescape(s, out, size + 1);
	must(n <= (long)strlen(s));
	if (n >= 0) {
		scan_parse(out, (size_t)n, &layouts[0], days[0], &r);
		check(&r);
	}
out:
	free(s);
	free(out);
	return 0;
}
