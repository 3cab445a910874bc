/* Unit tests of the receipt import parsers (CSV, ARTS POSLog): good files
 * parse to the exact receipts, and every refusal names its line and
 * reason exactly. */
#include "ktest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/import_csv.h"
#include "domain/import_poslog.h"

/* The demo store's layout (interfaces.md §6). */
static const struct receipt_code_layout layout = {"RS", 4, 3, 6};
static const struct import_opts opts = {&layout, "SEK", NULL};

#define HDR_TEXT "receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,currency,category"
#define HDR "receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,currency,category\n"
#define ID "RS004200320261122001234"
#define ROW(line, price, cur) ID ",0042,003,2026-11-22T14:05:00+01:00," line ",7310001,Hörlurar,1," price "," cur ",electronics\n"
#define BARCODE_HELP "(RS, 4-digit store, 3-digit register, YYYYMMDD, 6-digit number)"
#define UTF8_MSG "is not valid UTF-8 text (or holds a control character)"

static void test_csv(void)
{
	static const struct item {
		const char *in;
		int ret;
		const char *why;
		int n_receipts;
		int n_lines;
		const char *first_desc;   /* receipts[0].lines[0] */
		long long first_price;
		const char *first_store;
	} data[] = {
		/* 0*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,7310001,\"Hörlurar \"\"Bass\"\", svarta\",1,499.00,SEK,electronics\n",
			0, "", 1, 1, "Hörlurar \"Bass\", svarta", 49900, "0042"},
		/* 1*/ {"\xef\xbb\xbf" HDR
			"RS004200320261122001234,0042,003,2026-11-22T14:05:00+01:00,1,A1,Kaffebryggare,2,399.5,SEK,kitchen\r\n"
			"RS004200120261120000007,0042,001,2026-11-20T09:00:00+01:00,1,B2,Äppelskivare,1,79,SEK,kitchen\r\n"
			"RS004200320261122001234,0042,003,2026-11-22T14:05:00+01:00,2,C3,Ö-lampa,1,0.5,SEK,lighting\r\n\r\n",
			0, "", 2, 3, "Kaffebryggare", 39950, "0042"},
		/* 2*/ {"", KIOSK_EINVAL, "the file is empty (no header row)", 0, 0, NULL, 0, NULL},
		/* 3*/ {"receipt,store\n", KIOSK_EINVAL, "line 1: the header row must be " HDR_TEXT, 0, 0, NULL, 0, NULL},
		/* 4*/ {HDR, 0, "", 0, 0, NULL, 0, NULL},
		/* 5*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,B,1,1.00,SEK\n", KIOSK_EINVAL,
			"line 2: expected 11 fields, found 10", 0, 0, NULL, 0, NULL},
		/* 6*/ {HDR ROW("1", "\"12,50\"", "SEK"), KIOSK_EINVAL,
			"line 2: unit_price '12,50' is not a price like 12.50", 0, 0, NULL, 0, NULL},
		/* 7*/ {HDR ROW("1", "12.505", "SEK"), KIOSK_EINVAL,
			"line 2: unit_price '12.505' has more decimals than SEK has (2)", 0, 0, NULL, 0, NULL},
		/* 8*/ {HDR ROW("1", "12.50", "XYZ"), KIOSK_EINVAL,
			"line 2: unknown currency 'XYZ' (an ISO 4217 code such as SEK or EUR)", 0, 0, NULL, 0, NULL},
		/* 9*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,B,0,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: quantity '0' is not a whole number from 1 to 100000", 0, 0, NULL, 0, NULL},
		/*10*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,B,-1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: quantity '-1' is not a whole number from 1 to 100000", 0, 0, NULL, 0, NULL},
		/*11*/ {HDR ID ",0042,003,2026-11-22T14:05:00,1,A,B,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: purchased_at '2026-11-22T14:05:00' is not a time with UTC offset like 2026-11-22T14:05:00+01:00",
			0, 0, NULL, 0, NULL},
		/*12*/ {HDR ID ",0042,003,2026-11-21T23:05:00+01:00,1,A,B,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: purchased_at is on 2026-11-21 but receipt_id says 2026-11-22", 0, 0, NULL, 0, NULL},
		/*13*/ {HDR "RS0042,0042,003,2026-11-22T14:05:00+01:00,1,A,B,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: receipt_id 'RS0042' does not fit the store's receipt barcode " BARCODE_HELP,
			0, 0, NULL, 0, NULL},
		/*14*/ {HDR ID ",0043,003,2026-11-22T14:05:00+01:00,1,A,B,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: store '0043' is not the store in receipt_id (0042)", 0, 0, NULL, 0, NULL},
		/*15*/ {HDR ID ",42,3,2026-11-22T14:05:00+01:00,1,A,B,1,1.00,SEK,x\n", 0, "", 1, 1, "B", 100, "0042"},
		/*16*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,\"B,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: a quoted field is not closed", 0, 0, NULL, 0, NULL},
		/*17*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,1\"B,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: a quote inside an unquoted field (quote the whole field)", 0, 0, NULL, 0, NULL},
		/*18*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,B\xff,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: description " UTF8_MSG, 0, 0, NULL, 0, NULL},
		/*19*/ {HDR ROW("1", "1.00", "SEK") ROW("1", "2.00", "SEK"), KIOSK_EINVAL,
			"line 3: receipt " ID " has line 1 twice", 0, 0, NULL, 0, NULL},
		/*20*/ {HDR ROW("1", "1.00", "SEK") ROW("2", "2.00", "EUR"), KIOSK_EINVAL,
			"line 3: receipt " ID " is in SEK on an earlier row, here in EUR", 0, 0, NULL, 0, NULL},
		/*21*/ {HDR ROW("1", "1.00", "SEK") ID ",0042,003,2026-11-22T15:05:00+01:00,2,A,B,1,1.00,SEK,x\n",
			KIOSK_EINVAL, "line 3: receipt " ID " was bought at 2026-11-22T14:05:00+01:00 on an earlier row",
			0, 0, NULL, 0, NULL},
		/*22*/ {HDR ROW("1", "1.00", "SEK") "\n" ROW("2", "1.0.0", "SEK"), KIOSK_EINVAL,
			"line 4: unit_price '1.0.0' is not a price like 12.50", 0, 0, NULL, 0, NULL},
		/*23*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,\"two\nlines\",1,1.00,SEK,x\n" ROW("2", "x", "SEK"),
			KIOSK_EINVAL, "line 2: description " UTF8_MSG, 0, 0, NULL, 0, NULL},
		/*24*/ {HDR ROW("1", "100.5", "ISK"), KIOSK_EINVAL,
			"line 2: unit_price '100.5' has more decimals than ISK has (0)", 0, 0, NULL, 0, NULL},
		/*25*/ {HDR ROW("1", "100", "ISK"), 0, "", 1, 1, "Hörlurar", 100, "0042"},
		/*26*/ {HDR ROW("1", "12.500", "EUR"), 0, "", 1, 1, "Hörlurar", 1250, "0042"},
		/*27*/ {HDR ROW("1", "1.234", "KWD"), 0, "", 1, 1, "Hörlurar", 1234, "0042"},
		/*28*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,\"B\"x,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: text after a closing quote (a quote inside a quoted field is written twice: \"\")",
			0, 0, NULL, 0, NULL},
		/*29*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,,B,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: sku is empty", 0, 0, NULL, 0, NULL},
		/*30*/ {HDR ROW("0", "1.00", "SEK"), KIOSK_EINVAL,
			"line 2: line '0' is not a receipt line number (1 to 9999)", 0, 0, NULL, 0, NULL},
		/*31*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,B,1,1.00,SEK,abcdefghijabcdefghijabcdefghijab\n",
			KIOSK_EINVAL, "line 2: category is longer than 31 bytes", 0, 0, NULL, 0, NULL},
		/*32*/ {HDR ROW("1", "-1.00", "SEK"), KIOSK_EINVAL,
			"line 2: unit_price '-1.00' is not a price like 12.50", 0, 0, NULL, 0, NULL},
		/*33*/ {HDR ROW("1", "1234567890123.00", "SEK"), KIOSK_EINVAL,
			"line 2: unit_price '1234567890123.00' is too large", 0, 0, NULL, 0, NULL},
		/*34*/ {HDR "RS004200320261131001234,0042,003,2026-11-22T14:05:00+01:00,1,A,B,1,1.00,SEK,x\n", KIOSK_EINVAL,
			"line 2: receipt_id 'RS004200320261131001234' does not fit the store's receipt barcode " BARCODE_HELP,
			0, 0, NULL, 0, NULL},
		/*35*/ {HDR ID ",0042,003,2026-11-22T14:05:00+01:00,1,A,B,1,1.00,SEK,x,extra\n", KIOSK_EINVAL,
			"line 2: expected 11 fields, found more", 0, 0, NULL, 0, NULL},
		/* a reason shows control bytes as \xNN: a file cannot drive the terminal */
		/*36*/ {HDR ROW("1", "1\x1b[2J\a", "SEK"), KIOSK_EINVAL,
			"line 2: unit_price '1\\x1b[2J\\x07' is not a price like 12.50", 0, 0, NULL, 0,
			NULL},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct import_batch b;
		struct kiosk_why why = {{0}};
		int ret = import_csv_parse(data[i].in, strlen(data[i].in), &opts, &b, NULL, NULL, &why);
		KT_INTEQ(ret, data[i].ret, i);
		KT_STREQ(ret ? why.text : "", data[i].why, i);
		KT_INTEQ(b.n, data[i].n_receipts, i);
		KT_INTEQ(b.n_lines, data[i].n_lines, i);
		if (!ret && b.n > 0 && data[i].first_desc) {
			KT_STREQ(b.receipts[0].lines[0].description, data[i].first_desc, i);
			KT_INTEQ(b.receipts[0].lines[0].unit_price, data[i].first_price, i);
			KT_STREQ(b.receipts[0].store, data[i].first_store, i);
		}
		import_batch_free(&b);
	}
}

/* The details of one good CSV: every field lands where it belongs. */
static void test_csv_fields(void)
{
	const char *in = HDR
		"RS004200320261122001234,0042,003,2026-11-22T14:05:00+01:00,2,7310001,\"Kaffe, mörkrost\",3,59.90,SEK,food\n";
	struct import_batch b;
	struct kiosk_why why = {{0}};
	KT_INTEQ(import_csv_parse(in, strlen(in), &opts, &b, NULL, NULL, &why), 0, 0);
	if (b.n != 1)
		return;
	const struct receipt *r = &b.receipts[0];
	char t[40];
	time_format_iso(r->purchased_at, t, sizeof t);
	KT_STREQ(r->receipt_id, "RS004200320261122001234", 0);
	KT_STREQ(r->register_id, "003", 0);
	KT_STREQ(r->currency, "SEK", 0);
	KT_STREQ(t, "2026-11-22T14:05:00+01:00", 0);
	KT_INTEQ(r->lines[0].line, 2, 0);
	KT_STREQ(r->lines[0].sku, "7310001", 0);
	KT_STREQ(r->lines[0].description, "Kaffe, mörkrost", 0);
	KT_INTEQ(r->lines[0].quantity, 3, 0);
	KT_INTEQ(r->lines[0].unit_price, 5990, 0);
	KT_STREQ(r->lines[0].category, "food", 0);
	import_batch_free(&b);
}

#define PL_OPEN "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<POSLog xmlns=\"http://www.nrf-arts.org/IXRetail/namespace/\">\n"
#define TX_HEAD(store, ws, seq) "<Transaction>\n<RetailStoreID>" store "</RetailStoreID><WorkstationID>" ws \
	"</WorkstationID><SequenceNumber>" seq "</SequenceNumber>\n<BusinessDayDate>2026-11-22</BusinessDayDate>" \
	"<EndDateTime>2026-11-22T14:05:00+01:00</EndDateTime>\n"
#define SALE(seq, body) "<LineItem><SequenceNumber>" seq "</SequenceNumber><Sale><ItemID>7310001</ItemID>" \
	"<Description>Hörlurar</Description><MerchandiseHierarchy Level=\"Category\">electronics</MerchandiseHierarchy>" body "</Sale></LineItem>\n"
#define RT(items) "<RetailTransaction>\n" items "</RetailTransaction>\n</Transaction>\n"
#define PL_CLOSE "</POSLog>\n"
#define D50 "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"

static void test_poslog(void)
{
	static const struct item {
		const char *in;
		int ret;
		const char *why;
		int n_receipts;
		int n_lines;
		const char *first_id;
		long long first_price;  /* receipts[0].lines[0] */
		int first_qty;
	} data[] = {
		/* 0*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT(SALE("1", "<RegularSalesUnitPrice Currency=\"SEK\">499.00</RegularSalesUnitPrice><Quantity>2</Quantity>")
			   "<LineItem VoidFlag=\"true\"><Sale><ItemID>X</ItemID><ExtendedAmount>5</ExtendedAmount></Sale></LineItem>\n"
			   "<LineItem><Tender><Amount>998.00</Amount></Tender></LineItem>\n"
			   "<LineItem><Return><ItemID>Y</ItemID></Return></LineItem>\n"
			   SALE("3", "<ExtendedAmount>30.00</ExtendedAmount><Quantity Units=\"1\">3.000</Quantity>"))
			PL_CLOSE, 0, "", 1, 2, "RS004200320261122001234", 49900, 2},
		/* 1*/ {"<POSLog><Transaction></POSLog>", KIOSK_EINVAL, "line 1: broken XML: mismatched tag",
			0, 0, NULL, 0, 0},
		/* 2*/ {"<Foo/>", KIOSK_EINVAL, "line 1: the root element is <Foo>, not <POSLog>", 0, 0, NULL, 0, 0},
		/* 3*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT(SALE("1", "<RegularSalesUnitPrice Currency=\"XYZ\">1.00</RegularSalesUnitPrice>")) PL_CLOSE,
			KIOSK_EINVAL, "line 7: unknown currency 'XYZ' (an ISO 4217 code such as SEK or EUR)", 0, 0, NULL, 0, 0},
		/* 4*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT(SALE("1", "<RegularSalesUnitPrice>12,50</RegularSalesUnitPrice>")) PL_CLOSE,
			KIOSK_EINVAL, "line 7: RegularSalesUnitPrice '12,50' is not an amount in SEK like 12.50", 0, 0, NULL, 0, 0},
		/* 5*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT(SALE("1", "<ExtendedAmount>10.00</ExtendedAmount><Quantity>3</Quantity>")) PL_CLOSE,
			KIOSK_EINVAL, "line 7: ExtendedAmount 10.00 does not divide evenly by quantity 3", 0, 0, NULL, 0, 0},
		/* 6*/ {PL_OPEN "<Transaction><RetailStoreID>42</RetailStoreID><WorkstationID>3</WorkstationID>"
			"<SequenceNumber>1</SequenceNumber>\n" RT(SALE("1", "<ExtendedAmount>1</ExtendedAmount>")) PL_CLOSE,
			KIOSK_EINVAL, "line 3: the transaction has no EndDateTime", 0, 0, NULL, 0, 0},
		/* 7*/ {PL_OPEN TX_HEAD("12345", "3", "1234") RT(SALE("1", "<ExtendedAmount>1</ExtendedAmount>")) PL_CLOSE,
			KIOSK_EINVAL, "line 3: store '12345' is not a number of at most 4 digits", 0, 0, NULL, 0, 0},
		/* 8*/ {"<?xml version=\"1.0\"?>\n<!DOCTYPE POSLog [<!ENTITY a \"b\">]>\n<POSLog/>", KIOSK_EINVAL,
			"line 2: a DOCTYPE is not allowed in a POSLog import", 0, 0, NULL, 0, 0},
		/* 9*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT(SALE("1", "<ExtendedAmount>10.00</ExtendedAmount><Quantity>1.5</Quantity>")) PL_CLOSE,
			KIOSK_EINVAL, "line 7: Quantity '1.5' is not a whole number from 1 to 100000", 0, 0, NULL, 0, 0},
		/*10*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT("<LineItem><Sale><ItemID>A</ItemID><ExtendedAmount>1</ExtendedAmount></Sale></LineItem>\n") PL_CLOSE,
			KIOSK_EINVAL, "line 7: a Sale needs a MerchandiseHierarchy (the category) of at most 31 bytes",
			0, 0, NULL, 0, 0},
		/*11*/ {PL_OPEN TX_HEAD("42", "3", "1234") RT(SALE("1", "<ExtendedAmount>1</ExtendedAmount>"))
			TX_HEAD("0042", "003", "001234") RT(SALE("1", "<ExtendedAmount>1</ExtendedAmount>")) PL_CLOSE,
			KIOSK_EINVAL, "line 10: transaction RS004200320261122001234 appears twice in the file", 0, 0, NULL, 0, 0},
		/*12*/ {PL_OPEN "<Transaction><ControlTransaction><OperatorSignOn/></ControlTransaction></Transaction>"
			PL_CLOSE, 0, "", 0, 0, NULL, 0, 0},
		/*13*/ {"", KIOSK_EINVAL, "line 1: broken XML: no element found", 0, 0, NULL, 0, 0},
		/*14*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT(SALE("1", "<ActualSalesUnitPrice>89.50</ActualSalesUnitPrice><RegularSalesUnitPrice>99.00</RegularSalesUnitPrice>"))
			"<Transaction CancelFlag=\"true\"><RetailStoreID>42</RetailStoreID>" RT(SALE("1", "<ExtendedAmount>x</ExtendedAmount>"))
			PL_CLOSE, 0, "", 1, 1, "RS004200320261122001234", 8950, 1},
		/*15*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT(SALE("1", "<ExtendedAmount>1</ExtendedAmount>") SALE("1", "<ExtendedAmount>1</ExtendedAmount>")) PL_CLOSE,
			KIOSK_EINVAL, "line 8: line item 1 appears twice in the transaction", 0, 0, NULL, 0, 0},
		/*16*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT("<LineItem><Sale><ItemID>A</ItemID><MerchandiseHierarchy>x</MerchandiseHierarchy></Sale></LineItem>\n")
			PL_CLOSE, KIOSK_EINVAL, "line 7: a Sale needs RegularSalesUnitPrice or ExtendedAmount", 0, 0, NULL, 0, 0},
		/*17*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT(SALE("1", "<ExtendedAmount Currency=\"EUR\">1</ExtendedAmount>") SALE("2", "<ExtendedAmount>1</ExtendedAmount>"))
			"<CurrencyCode>EUR</CurrencyCode>" PL_CLOSE,
			KIOSK_EINVAL, "line 8: the transaction mixes EUR and SEK", 0, 0, NULL, 0, 0},
		/*18*/ {"<p:POSLog xmlns:p=\"http://www.nrf-arts.org/IXRetail/namespace/\"><p:Transaction>"
			"<p:RetailStoreID>42</p:RetailStoreID><p:WorkstationID>7</p:WorkstationID>"
			"<p:SequenceNumber>5</p:SequenceNumber><p:EndDateTime>2026-11-22T23:30:00-05:00</p:EndDateTime>"
			"<p:RetailTransaction><p:LineItem><p:Sale><p:ItemID>A</p:ItemID>"
			"<p:MerchandiseHierarchy>x</p:MerchandiseHierarchy><p:ExtendedAmount Currency=\"EUR\">2.50</p:ExtendedAmount>"
			"</p:Sale></p:LineItem></p:RetailTransaction></p:Transaction></p:POSLog>",
			0, "", 1, 1, "RS004200720261122000005", 250, 1},
		/*19*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT("<LineItem><Sale><ItemID>A</ItemID><MerchandiseHierarchy>x</MerchandiseHierarchy>"
			   "<ExtendedAmount>1</ExtendedAmount><Description>" D50 D50 D50 "</Description></Sale></LineItem>\n")
			PL_CLOSE, KIOSK_EINVAL, "line 7: Description must be UTF-8 text of at most 127 bytes",
			0, 0, NULL, 0, 0},
		/*20*/ {PL_OPEN TX_HEAD("42", "3", "1234")
			RT("<LineItem><Sale><ItemID>A</ItemID><Description>" D50 D50 D50 D50 D50 D50 "</Description>"
			   "</Sale></LineItem>\n")
			PL_CLOSE, KIOSK_EINVAL, "line 7: <Description> is longer than 255 bytes", 0, 0, NULL, 0, 0},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct import_batch b;
		struct kiosk_why why = {{0}};
		int ret = import_poslog_parse(data[i].in, strlen(data[i].in), &opts, &b, NULL, NULL, &why);
		KT_INTEQ(ret, data[i].ret, i);
		KT_STREQ(ret ? why.text : "", data[i].why, i);
		KT_INTEQ(b.n, data[i].n_receipts, i);
		KT_INTEQ(b.n_lines, data[i].n_lines, i);
		if (!ret && b.n > 0 && data[i].first_id) {
			KT_STREQ(b.receipts[0].receipt_id, data[i].first_id, i);
			KT_INTEQ(b.receipts[0].lines[0].unit_price, data[i].first_price, i);
			KT_INTEQ(b.receipts[0].lines[0].quantity, data[i].first_qty, i);
		}
		import_batch_free(&b);
	}
}

/* Row 0 of test_poslog in detail: store/register padded, ExtendedAmount
 * divided by the quantity, line numbers from SequenceNumber, å ä ö kept. */
static void test_poslog_fields(void)
{
	const char *in = PL_OPEN TX_HEAD("42", "3", "1234")
		RT(SALE("1", "<RegularSalesUnitPrice>499.00</RegularSalesUnitPrice>")
		   SALE("3", "<ExtendedAmount>30.00</ExtendedAmount><Quantity>3.000</Quantity>")) PL_CLOSE;
	struct import_batch b;
	struct kiosk_why why = {{0}};
	KT_INTEQ(import_poslog_parse(in, strlen(in), &opts, &b, NULL, NULL, &why), 0, 0);
	if (b.n != 1 || b.receipts[0].n_lines != 2)
		return;
	const struct receipt *r = &b.receipts[0];
	char t[40];
	time_format_iso(r->purchased_at, t, sizeof t);
	KT_STREQ(r->store, "0042", 0);
	KT_STREQ(r->register_id, "003", 0);
	KT_STREQ(r->currency, "SEK", 0);
	KT_STREQ(t, "2026-11-22T14:05:00+01:00", 0);
	KT_STREQ(r->lines[0].description, "Hörlurar", 0);
	KT_STREQ(r->lines[0].category, "electronics", 0);
	KT_INTEQ(r->lines[1].line, 3, 1);
	KT_INTEQ(r->lines[1].quantity, 3, 1);
	KT_INTEQ(r->lines[1].unit_price, 1000, 1);
	import_batch_free(&b);
}

/* Sorting for the store: by receipt_id, lines kept with their receipt,
 * and the batch refuses growth afterwards. */
static void test_batch_sort(void)
{
	const char *in = HDR
		"RS004200320261122000009,0042,003,2026-11-22T14:05:00+01:00,1,A,Nio,1,9,SEK,x\n"
		"RS004200120261122000001,0042,001,2026-11-22T09:05:00+01:00,1,B,Ett,1,1,SEK,x\n"
		"RS004200320261122000009,0042,003,2026-11-22T14:05:00+01:00,2,C,Nio två,1,9,SEK,x\n"
		"RS004200220261122000005,0042,002,2026-11-22T12:05:00+01:00,1,D,Fem,1,5,SEK,x\n";
	struct import_batch b;
	struct kiosk_why why = {{0}};
	KT_INTEQ(import_csv_parse(in, strlen(in), &opts, &b, NULL, NULL, &why), 0, 0);
	import_batch_sort(&b);
	static const char *const want[] = {"RS004200120261122000001", "RS004200220261122000005",
					   "RS004200320261122000009"};
	static const int want_lines[] = {1, 1, 2};
	KT_INTEQ(b.n, 3, 0);
	for (int i = 0; i < b.n && i < 3; i++) {
		KT_STREQ(b.receipts[i].receipt_id, want[i], i);
		KT_INTEQ(b.receipts[i].n_lines, want_lines[i], i);
	}
	if (b.n == 3)
		KT_STREQ(b.receipts[2].lines[1].description, "Nio två", 2);
	struct receipt extra = {.receipt_id = "RS004200120261122000002"};
	struct receipt_line line = {.line = 1};
	KT_INTEQ(import_batch_add(&b, &extra), KIOSK_EINVAL, 3);
	KT_INTEQ(import_batch_add_line(&b, 0, &line), KIOSK_EINVAL, 3);
	import_batch_free(&b);
}

/* A file in two parts, as the import service parses a large one: rows
 * numbered from first_line, merged into the first part's batch. */
static void test_csv_halves(void)
{
	static const struct item {
		const char *second;
		int ret_rows;
		int ret_merge;
		const char *why;
		int n_receipts;
		int n_lines;
	} data[] = {
		/* 0*/ {ROW("2", "2.00", "SEK") "RS004200120261122000001,0042,001,2026-11-22T09:05:00+01:00,1,B,Ett,1,1,SEK,x\n",
			0, 0, "", 2, 3},
		/* 1*/ {ROW("1", "2.00", "SEK"), 0, KIOSK_EINVAL, "receipt " ID " has line 1 twice", 0, 0},
		/* 2*/ {ROW("2", "2.00", "EUR"), 0, KIOSK_EINVAL,
			"receipt " ID ": its rows disagree on time or currency", 0, 0},
		/* 3*/ {"\n" ROW("2", "2,00", "SEK"), KIOSK_EINVAL, 0,
			"line 4: expected 11 fields, found more", 0, 0},
	};
	const char *first = HDR ROW("1", "1.00", "SEK");
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct import_batch a, b;
		struct kiosk_why why = {{0}};
		KT_INTEQ(import_csv_parse(first, strlen(first), &opts, &a, NULL, NULL, &why), 0, i);
		int ret = import_csv_parse_rows(data[i].second, strlen(data[i].second), 3, &opts, &b,
						&why);
		KT_INTEQ(ret, data[i].ret_rows, i);
		if (!ret) {
			ret = import_batch_merge(&a, &b, &why);
			KT_INTEQ(ret, data[i].ret_merge, i);
		}
		KT_STREQ(ret ? why.text : "", data[i].why, i);
		KT_INTEQ(b.n, 0, i);
		if (!ret) {
			KT_INTEQ(a.n, data[i].n_receipts, i);
			KT_INTEQ(a.n_lines, data[i].n_lines, i);
			int idx = import_batch_find(&a, ID);
			KT_CHECK(idx >= 0 && a.receipts[idx].n_lines == 2 &&
					 a.receipts[idx].lines[1].unit_price == 200,
				 "i:%d the receipt in both parts has both lines", i);
		}
		import_batch_free(&a);
		import_batch_free(&b);
	}
}

/* Money and counts: the exact conversions both parsers rely on. */
static void test_money(void)
{
	static const struct item {
		const char *in;
		int exponent;
		int ret;
		long long minor;
	} data[] = {
		/* 0*/ {"0", 2, MONEY_OK, 0},
		/* 1*/ {"0.01", 2, MONEY_OK, 1},
		/* 2*/ {"19.9", 2, MONEY_OK, 1990},
		/* 3*/ {"999999999999.99", 2, MONEY_OK, 99999999999999},
		/* 4*/ {"1.", 2, MONEY_MALFORMED, 0},
		/* 5*/ {".5", 2, MONEY_MALFORMED, 0},
		/* 6*/ {"1e3", 2, MONEY_MALFORMED, 0},
		/* 7*/ {"1.001", 2, MONEY_DECIMALS, 0},
		/* 8*/ {"5", 0, MONEY_OK, 5},
		/* 9*/ {"5.0", 0, MONEY_OK, 5},
		/*10*/ {" 5", 2, MONEY_MALFORMED, 0},
		/*11*/ {"", 2, MONEY_MALFORMED, 0},
		/*12*/ {"0.1", 3, MONEY_OK, 100},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		int64_t v = 0;
		int ret = import_money_parse(data[i].in, data[i].exponent, &v);
		KT_INTEQ(ret, data[i].ret, i);
		if (!ret)
			KT_INTEQ(v, data[i].minor, i);
	}
}

/* A NUL byte inside a field, quoted or not, is refused with its line: the
 * text would otherwise end there and drop the rest without a word. */
static void test_csv_nul(void)
{
	static const char quoted[] = HDR
		"RS004200320261122001234,0042,003,2026-11-22T14:05:00+01:00,1,A,\"Kaffe\0 och te\",1,1.00,SEK,x\n";
	static const char bare[] = HDR
		"RS004200320261122001234,0042,003,2026-11-22T14:05:00+01:00,1,A,B,1,1.00,SEK,x\n"
		"RS004200320261122001234,0042,003,2026-11-22T14:05:00+01:00,2,A,Kaffe\0te,1,1.00,SEK,x\n";
	static const struct item {
		const char *in;
		size_t len;
		const char *want;
	} data[] = {
		/* 0*/ {quoted, sizeof quoted - 1, "line 2: a NUL byte inside a field"},
		/* 1*/ {bare, sizeof bare - 1, "line 3: a NUL byte inside a field"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		struct import_batch b;
		struct kiosk_why why = {{0}};
		KT_INTEQ(import_csv_parse(data[i].in, data[i].len, &opts, &b, NULL, NULL, &why),
			 KIOSK_EINVAL, i);
		KT_STREQ(why.text, data[i].want, i);
		import_batch_free(&b);
	}
}

static int by_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The store gets each block's receipts in strcmp order, also when ids share
 * more than the 8 bytes the sort compares first, or one id is the start of
 * another. */
static void test_batch_sort_ties(void)
{
	static const char *const ids[] = {
		"RS004200320261122000019", "RS004200320261122000010", "RS0042003202611220000",
		"RS004200320261122000001", "RS004200320261122000100", "RS00420032026112200001",
		"RS004200320261021000001", "RS004200320261122000009", "RS104200320261122000001",
		"RS004200320261122000001X",
	};
	enum { N = (int)KT_ARRAY_SIZE(ids) };
	struct import_batch b = {0};
	for (int i = 0; i < N; i++) {
		struct receipt r = {0};
		snprintf(r.receipt_id, sizeof r.receipt_id, "%s", ids[i]);
		KT_CHECK(import_batch_add(&b, &r) == i, "i:%d added", i);
	}
	import_batch_sort(&b);
	const char *want[N];
	memcpy(want, ids, sizeof want);
	qsort(want, N, sizeof want[0], by_id);
	KT_INTEQ(b.n, N, 0);
	for (int i = 0; i < b.n && i < N; i++)
		KT_STREQ(b.receipts[i].receipt_id, want[i], i);
	import_batch_free(&b);
}

/* Text fields: printable ASCII is read eight bytes at a time, anything else
 * a byte at a time; the answer is the same wherever the byte falls. */
static void test_text_ok(void)
{
	static const struct item {
		const char *s;
		bool ok;
	} data[] = {
		/* 0*/ {"", true},
		/* 1*/ {"abcdefgh", true},
		/* 2*/ {" ~~~~~~~~~~~~~~~ ", true},
		/* 3*/ {"abcdefg\x7f", false},
		/* 4*/ {"\x1f" "bcdefgh", false},
		/* 5*/ {"abcdefgh\x01", false},
		/* 6*/ {"abcdefghijklm\x7fop", false},
		/* 7*/ {"abcdefg\xc3\xa9", true},
		/* 8*/ {"abcdefg\xc3", false},
		/* 9*/ {"\x80" "abcdefg", false},
		/*10*/ {"Bärbar högtalare \"Mini\", blå", true},
		/*11*/ {"abcdefghijklmno\t", false},
		/*12*/ {"abcdefgh\xed\xa0\x80", false}, /* a surrogate */
		/*13*/ {"12345678\xf0\x9f\x98\x80", true},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++)
		KT_INTEQ(import_text_ok(data[i].s, strlen(data[i].s)), data[i].ok, i);
}

KT_MAIN(KT_FUNC(test_csv), KT_FUNC(test_csv_fields), KT_FUNC(test_poslog),
	KT_FUNC(test_poslog_fields), KT_FUNC(test_batch_sort), KT_FUNC(test_batch_sort_ties),
	KT_FUNC(test_csv_halves), KT_FUNC(test_money), KT_FUNC(test_csv_nul), KT_FUNC(test_text_ok))
