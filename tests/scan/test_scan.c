/* scan_parse for everything but ID documents (test_scan_id.c): receipts in
 * the configured layout, product codes, the kiosk's own case and staff
 * codes, bytes no code may hold; and scan_unescape and the code
 * formatters. Rows state the exact fields or the exact refusal. */
#include <string.h>
#include "ktest.h"
#include "scan_describe.h"

static const struct receipt_code_layout demo = {"RS", 4, 3, 6};
/* A POS without a prefix: store 2, register 2, date, seq 4 = 16 digits. */
static const struct receipt_code_layout bare = {"", 2, 2, 4};

static int64_t today(void)
{
	return date_days_from_civil(TODAY_Y, TODAY_M, TODAY_D);
}

struct item {
	const char *data;
	int len; /* -1: strlen(data) */
	const struct receipt_code_layout *layout;
	int kind;
	int valid;
	const char *want;
};

static void run_rows(const struct item *data, int n)
{
	for (int i = 0; i < n; i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct scan_result r;
		char got[512];
		size_t len = data[i].len >= 0 ? (size_t)data[i].len : strlen(data[i].data);
		scan_parse((const uint8_t *)data[i].data, len, data[i].layout, today(), &r);
		scan_describe(&r, got, sizeof(got));
		KT_CHECK((int)r.kind == data[i].kind, "i:%d kind %s, want %s", i, scan_kind_name(r.kind),
			 scan_kind_name(data[i].kind));
		KT_CHECK(r.valid == data[i].valid, "i:%d valid %d, want %d (%s)", i, r.valid,
			 data[i].valid, got);
		KT_STREQ(got, data[i].want, i);
		/* An invalid result carries no fields a careless caller could use. */
		if (!r.valid)
			KT_CHECK(r.u.case_code.case_id[0] == 0 && r.u.receipt.receipt_id[0] == 0,
				 "i:%d invalid result has fields", i);
	}
}

static void test_receipt(void)
{
	static const struct item data[] = {
		/* 0*/ {"RS004200320261122001234", -1, &demo, SCAN_RECEIPT, 1,
			"RS004200320261122001234|0042|003|2026-11-22|001234"},
		/* 1*/ {"RS004200320261122001234\r\n", -1, &demo, SCAN_RECEIPT, 1,
			"RS004200320261122001234|0042|003|2026-11-22|001234"},
		/* 2*/ {"RS004200320240229000001", -1, &demo, SCAN_RECEIPT, 1,
			"RS004200320240229000001|0042|003|2024-02-29|000001"},
		/* 3*/ {"RS00420032026112200123", -1, &demo, SCAN_RECEIPT, 0,
			"The receipt code has 22 characters; this store's receipt codes have 23."},
		/* 4*/ {"RS0042003202611220012345", -1, &demo, SCAN_RECEIPT, 0,
			"The receipt code has 24 characters; this store's receipt codes have 23."},
		/* 5*/ {"RS0042003202611220012X4", -1, &demo, SCAN_RECEIPT, 0,
			"The receipt code must be digits after its prefix; character 22 is not."},
		/* 6*/ {"RS004200320261322001234", -1, &demo, SCAN_RECEIPT, 0,
			"The date in the receipt code (2026-13-22) is not a real date."},
		/* 7*/ {"RS004200320250229001234", -1, &demo, SCAN_RECEIPT, 0,
			"The date in the receipt code (2025-02-29) is not a real date."},
		/* 8*/ {"RS004200320261100001234", -1, &demo, SCAN_RECEIPT, 0,
			"The date in the receipt code (2026-11-00) is not a real date."},
		/* 9*/ {"RS0042 0320261122001234", -1, &demo, SCAN_RECEIPT, 0,
			"The receipt code must be digits after its prefix; character 7 is not."},
		/*10*/ {"1203202611220007", -1, &bare, SCAN_RECEIPT, 1,
			"1203202611220007|12|03|2026-11-22|0007"},
		/*11*/ /* with the bare layout, a receipt-length digit string is a receipt ... */
		{"1203202613220007", -1, &bare, SCAN_RECEIPT, 0,
		 "The date in the receipt code (2026-13-22) is not a real date."},
		/*12*/ /* ... and the demo layout reads the same digits as no product code */
		{"1203202611220007", -1, &demo, SCAN_PRODUCT, 0,
		 "A product code has 8, 12, 13 or 14 digits; this has 16."},
		/*13*/ /* no layout configured: only products and the kiosk's own codes */
		{"RS004200320261122001234", -1, NULL, SCAN_UNKNOWN, 0,
		 "This is not a receipt, ID document, case, staff card or product code."},
	};
	run_rows(data, (int)KT_ARRAY_SIZE(data));
}

static void test_product(void)
{
	static const struct item data[] = {
		/* 0*/ {"4006381333931", -1, &demo, SCAN_PRODUCT, 1, "4006381333931"},
		/* 1*/ {"036000291452", -1, &demo, SCAN_PRODUCT, 1, "036000291452"},
		/* 2*/ {"96385074", -1, &demo, SCAN_PRODUCT, 1, "96385074"},
		/* 3*/ {"00012345600012", -1, &demo, SCAN_PRODUCT, 1, "00012345600012"},
		/* 4*/ {"7318120000002\n", -1, &demo, SCAN_PRODUCT, 1, "7318120000002"},
		/* 5*/ {"4006381333932", -1, &demo, SCAN_PRODUCT, 0,
			"The check digit of the product code does not match."},
		/* 6*/ {"036000291453", -1, &demo, SCAN_PRODUCT, 0,
			"The check digit of the product code does not match."},
		/* 7*/ {"96385075", -1, &demo, SCAN_PRODUCT, 0,
			"The check digit of the product code does not match."},
		/* 8*/ {"1234567890", -1, &demo, SCAN_PRODUCT, 0,
			"A product code has 8, 12, 13 or 14 digits; this has 10."},
		/* 9*/ {"0", -1, &demo, SCAN_PRODUCT, 0,
			"A product code has 8, 12, 13 or 14 digits; this has 1."},
	};
	run_rows(data, (int)KT_ARRAY_SIZE(data));
}

static void test_case_staff(void)
{
	static const char *const bad_case = "The case code does not hold a case number like K-000123.";
	static const char *const bad_token =
		"The case code does not end with its 16-character check code.";
	static const char *const bad_staff = "The staff card does not hold a staff number like S001.";
	static const struct item data[] = {
		/* 0*/ {"KC1:K-000123:9f3a6b2c1d4e5f60", -1, &demo, SCAN_CASE, 1,
			"K-000123|9f3a6b2c1d4e5f60"},
		/* 1*/ {"KC1:K-000123:9F3A6B2C1D4E5F60\r\n", -1, &demo, SCAN_CASE, 1,
			"K-000123|9f3a6b2c1d4e5f60"},
		/* 2*/ {"KC1:K-1234567:0000000000000000", -1, &demo, SCAN_CASE, 1,
			"K-1234567|0000000000000000"},
		/* 3*/ {"KC1:K-00012:9f3a6b2c1d4e5f60", -1, &demo, SCAN_CASE, 0, bad_case},
		/* 4*/ {"KC1:X-000123:9f3a6b2c1d4e5f60", -1, &demo, SCAN_CASE, 0, bad_case},
		/* 5*/ {"KC1:K-0001234567890:9f3a6b2c1d4e5f60", -1, &demo, SCAN_CASE, 0, bad_case},
		/* 6*/ {"KC1:K-000123", -1, &demo, SCAN_CASE, 0, bad_token},
		/* 7*/ {"KC1:K-000123:", -1, &demo, SCAN_CASE, 0, bad_token},
		/* 8*/ {"KC1:K-000123:9f3a6b2c1d4e5f6", -1, &demo, SCAN_CASE, 0, bad_token},
		/* 9*/ {"KC1:K-000123:9f3a6b2c1d4e5f600", -1, &demo, SCAN_CASE, 0, bad_token},
		/*10*/ {"KC1:K-000123:9f3a6b2c1d4e5f6g", -1, &demo, SCAN_CASE, 0, bad_token},
		/*11*/ {"KC1:K-000123:9f3a6b2c:1d4e5f60", -1, &demo, SCAN_CASE, 0, bad_token},
		/*12*/ {"KC1:", -1, &demo, SCAN_CASE, 0, bad_case},
		/*13*/ {"KS1:S001", -1, &demo, SCAN_STAFF, 1, "S001"},
		/*14*/ {"KS1:S123456\n", -1, &demo, SCAN_STAFF, 1, "S123456"},
		/*15*/ {"KS1:S01", -1, &demo, SCAN_STAFF, 0, bad_staff},
		/*16*/ {"KS1:s001", -1, &demo, SCAN_STAFF, 0, bad_staff},
		/*17*/ {"KS1:S1234567", -1, &demo, SCAN_STAFF, 0, bad_staff},
		/*18*/ {"KS1:", -1, &demo, SCAN_STAFF, 0, bad_staff},
		/*19*/ {"KS1:S001:x", -1, &demo, SCAN_STAFF, 0, bad_staff},
		/*20*/ {"KS2:S001", -1, &demo, SCAN_UNKNOWN, 0,
			"This is not a receipt, ID document, case, staff card or product code."},
	};
	run_rows(data, (int)KT_ARRAY_SIZE(data));
}

static void test_bytes(void)
{
	static char big[SCAN_MAX_BYTES + 2];
	memset(big, 'A', sizeof(big) - 1);
	static const char *const unknown =
		"This is not a receipt, ID document, case, staff card or product code.";
	static const char *const control = "The scan contains control characters.";
	static const char *const utf8 = "The scan is not valid UTF-8 text.";
	const struct item data[] = {
		/* 0*/ {"", 0, &demo, SCAN_UNKNOWN, 0, "The scan is empty."},
		/* 1*/ {"\r\n \t", -1, &demo, SCAN_UNKNOWN, 0, "The scan is empty."},
		/* 2*/ {"RS0042\0" "0320261122001234", 23, &demo, SCAN_UNKNOWN, 0,
			"The scan contains a NUL byte."},
		/* 3*/ {"\xff", -1, &demo, SCAN_UNKNOWN, 0, utf8},
		/* 4*/ {"KS1:S001\xc0\xaf", -1, &demo, SCAN_UNKNOWN, 0, utf8},
		/* 5*/ {"\xed\xa0\x80", -1, &demo, SCAN_UNKNOWN, 0, utf8},
		/* 6*/ {"\xf4\x90\x80\x80", -1, &demo, SCAN_UNKNOWN, 0, utf8},
		/* 7*/ {"abc\xe2\x82", -1, &demo, SCAN_UNKNOWN, 0, utf8},
		/* 8*/ {"\xc2\x85", -1, &demo, SCAN_UNKNOWN, 0, control},
		/* 9*/ {"RS0042\x1b[31m", -1, &demo, SCAN_UNKNOWN, 0, control},
		/*10*/ {"KS1:\tS001", -1, &demo, SCAN_UNKNOWN, 0, control},
		/*11*/ {"KS1:S001\x7f", -1, &demo, SCAN_UNKNOWN, 0, control},
		/*12*/ {"KC1:K-000123:9f3a6b2c1d4e5f60\x1d", -1, &demo, SCAN_UNKNOWN, 0, control},
		/*13*/ {big, SCAN_MAX_BYTES + 1, &demo, SCAN_UNKNOWN, 0,
			"The scan is too long (more than 4096 bytes)."},
		/*14*/ {big, SCAN_MAX_BYTES, &demo, SCAN_UNKNOWN, 0, unknown},
		/*15*/ {"hello", -1, &demo, SCAN_UNKNOWN, 0, unknown},
		/*16*/ {"Hej d\xc3\xa5 \xe2\x82\xac", -1, &demo, SCAN_UNKNOWN, 0, unknown},
		/*17*/ {"https://example.com/?a=1", -1, &demo, SCAN_UNKNOWN, 0, unknown},
		/*18*/ /* the AAMVA header alone: its separators, but no file */
		{"@\n\x1e\r", -1, &demo, SCAN_ID_DOCUMENT, 0,
		 "The AAMVA header does not have the file type \"ANSI \"."},
	};
	run_rows(data, (int)KT_ARRAY_SIZE(data));
}

static void test_unescape(void)
{
	static const struct item {
		const char *in;
		size_t cap;
		long len; /* -1: refused */
		const char *out;
	} data[] = {
		/* 0*/ {"RS\\r\\n", 64, 4, "RS\r\n"},
		/* 1*/ {"a\\x1db", 64, 3, "a\x1d" "b"},
		/* 2*/ {"\\\\", 64, 1, "\\"},
		/* 3*/ {"\\x00", 64, 1, "\0"},
		/* 4*/ {"\\xFf\\x41", 64, 2, "\xff" "A"},
		/* 5*/ {"", 64, 0, ""},
		/* 6*/ {"plain", 64, 5, "plain"},
		/* 7*/ {"\\q", 64, -1, ""},
		/* 8*/ {"\\x1", 64, -1, ""},
		/* 9*/ {"\\xZZ", 64, -1, ""},
		/*10*/ {"abc\\", 64, -1, ""},
		/*11*/ {"abcdef", 3, -1, ""},
		/*12*/ {"abc", 3, 3, "abc"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		uint8_t out[64];
		long n = scan_unescape(data[i].in, out, data[i].cap);
		KT_INTEQ(n, data[i].len, i);
		if (n >= 0 && n == data[i].len)
			KT_CHECK(!memcmp(out, data[i].out, (size_t)n), "i:%d bytes differ", i);
	}
}

static void test_format(void)
{
	static const struct item {
		int staff;
		const char *id;
		const char *token;
		size_t cap;
		int rc;
		const char *want;
	} data[] = {
		/* 0*/ {0, "K-000123", "9f3a6b2c1d4e5f60", 64, 0, "KC1:K-000123:9f3a6b2c1d4e5f60"},
		/* 1*/ {0, "K-000123", "9f3a6b2c1d4e5f60", 30, 0, "KC1:K-000123:9f3a6b2c1d4e5f60"},
		/* 2*/ {0, "K-000123", "9f3a6b2c1d4e5f60", 29, -1, ""},
		/* 3*/ {0, "K-12", "9f3a6b2c1d4e5f60", 64, -1, ""},
		/* 4*/ {0, "K-000123", "9f3a6b2c1d4e5f6", 64, -1, ""},
		/* 5*/ {0, "K-000123", "9f3a6b2c1d4e5f6z", 64, -1, ""},
		/* 6*/ {0, NULL, "9f3a6b2c1d4e5f60", 64, -1, ""},
		/* 7*/ {1, "S001", NULL, 64, 0, "KS1:S001"},
		/* 8*/ {1, "S1", NULL, 64, -1, ""},
		/* 9*/ {1, "X001", NULL, 64, -1, ""},
		/*10*/ {1, "S001", NULL, 8, -1, ""},
		/*11*/ {0, "K-000123", "9F3A6B2C1D4E5F60", 64, 0, "KC1:K-000123:9f3a6b2c1d4e5f60"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		char buf[64] = "";
		int rc = data[i].staff ? scan_format_staff_code(buf, data[i].cap, data[i].id)
				       : scan_format_case_code(buf, data[i].cap, data[i].id, data[i].token);
		KT_INTEQ(rc < 0 ? -1 : rc, data[i].rc, i);
		if (rc)
			continue;
		KT_STREQ(buf, data[i].want, i);
		/* What the kiosk prints scans back to the same fields. */
		struct scan_result r;
		scan_parse((const uint8_t *)buf, strlen(buf), &demo, today(), &r);
		KT_CHECK(r.valid, "i:%d printed code does not scan: %s", i, r.error);
		KT_STREQ(data[i].staff ? r.u.staff.staff_id : r.u.case_code.case_id, data[i].id, i);
		if (!data[i].staff)
			KT_STREQ(r.u.case_code.token, data[i].want + strlen(data[i].want) - 16, i);
	}
}

static void test_names(void)
{
	KT_STREQ(scan_kind_name(SCAN_ID_DOCUMENT), "id_document", 0);
	KT_STREQ(scan_kind_name(SCAN_UNKNOWN), "unknown", 1);
	KT_STREQ(scan_kind_name((enum scan_kind)99), "unknown", 2);
	KT_STREQ(id_format_name(ID_TD2), "TD2", 3);
	KT_STREQ(id_format_name(ID_AAMVA), "AAMVA", 4);
}

KT_MAIN(KT_FUNC(test_receipt), KT_FUNC(test_product), KT_FUNC(test_case_staff),
	KT_FUNC(test_bytes), KT_FUNC(test_unescape), KT_FUNC(test_format), KT_FUNC(test_names))
