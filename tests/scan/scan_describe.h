/* One line per scan result, so a table row can state every field it
 * expects in one exact string: the error when invalid, else the fields in
 * a fixed order separated by '|'. */
#ifndef KIOSK_TEST_SCAN_DESCRIBE_H
#define KIOSK_TEST_SCAN_DESCRIBE_H

#include <stdio.h>
#include "core/date.h"
#include "domain/scan.h"

/* KIOSK_NOW of the tests: 2026-11-23. */
#define TODAY_Y 2026
#define TODAY_M 11
#define TODAY_D 23

static inline void scan_describe(const struct scan_result *r, char *buf, size_t len)
{
	char a[16], b[16];
	const struct scan_id_document *id = &r->u.id;
	if (!r->valid) {
		snprintf(buf, len, "%s", r->error);
		return;
	}
	switch (r->kind) {
	case SCAN_RECEIPT:
		date_format(r->u.receipt.date, a, sizeof(a));
		snprintf(buf, len, "%s|%s|%s|%s|%s", r->u.receipt.receipt_id, r->u.receipt.store,
			 r->u.receipt.register_id, a, r->u.receipt.seq);
		break;
	case SCAN_ID_DOCUMENT:
		date_format(id->birth_date, a, sizeof(a));
		date_format(id->expiry_date, b, sizeof(b));
		snprintf(buf, len, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s", id_format_name(id->format),
			 id->document_type, id->issuer, id->document_number, a, b, id->surname,
			 id->given_names, id->expired ? "expired" : "valid", id->personal_number);
		break;
	case SCAN_CASE:
		snprintf(buf, len, "%s|%s", r->u.case_code.case_id, r->u.case_code.token);
		break;
	case SCAN_STAFF:
		snprintf(buf, len, "%s", r->u.staff.staff_id);
		break;
	case SCAN_PRODUCT:
		snprintf(buf, len, "%s", r->u.product.gtin);
		break;
	case SCAN_UNKNOWN:
		snprintf(buf, len, "(unknown but valid?)");
		break;
	}
}

#endif
