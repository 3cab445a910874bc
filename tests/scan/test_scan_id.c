/* ID documents through scan_parse: the ICAO 9303 specimens, documents
 * built for these tests with check digits computed outside this code
 * (python, see the row comments), AAMVA licences, and every refusal with
 * its exact sentence. Run one test with -f NAME, one row with -i N. */
#include <string.h>
#include "domain/mrz.h"
#include "ktest.h"
#include "scan_describe.h"

static const struct receipt_code_layout demo = {"RS", 4, 3, 6};

static void check_row(int i, const char *data, size_t len, int kind, int valid, const char *want)
{
	struct scan_result r;
	char got[512];
	scan_parse((const uint8_t *)data, len, &demo,
		   date_days_from_civil(TODAY_Y, TODAY_M, TODAY_D), &r);
	scan_describe(&r, got, sizeof(got));
	KT_CHECK((int)r.kind == kind, "i:%d kind %s, want %s", i, scan_kind_name(r.kind),
		 scan_kind_name(kind));
	KT_CHECK(r.valid == valid, "i:%d valid %d, want %d (%s)", i, r.valid, valid, got);
	KT_STREQ(got, want, i);
}

/* ICAO 9303 specimens (part 4 TD3, part 5 TD1, part 6 TD2). */
#define TD3_L1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define TD3_L2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define TD1_L1 "I<UTOD231458907<<<<<<<<<<<<<<<"
#define TD1_L2 "7408122F1204159UTO<<<<<<<<<<<6"
#define TD1_L3 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
#define TD2_L1 "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
#define TD2_L2 "D231458907UTO7408122F1204159<<<<<<<6"
#define ANNA "ERIKSSON|ANNA MARIA|expired|"

static void test_mrz_valid(void)
{
	static const struct item {
		const char *data;
		const char *want;
	} data[] = {
		/* 0*/ {TD3_L1 "\n" TD3_L2, "TD3|P|UTO|L898902C3|1974-08-12|2012-04-15|" ANNA},
		/* 1*/ {TD3_L1 "\r\n" TD3_L2 "\r\n", "TD3|P|UTO|L898902C3|1974-08-12|2012-04-15|" ANNA},
		/* 2*/ {TD3_L1 TD3_L2, "TD3|P|UTO|L898902C3|1974-08-12|2012-04-15|" ANNA},
		/* 3*/ {TD3_L1 "  \r" TD3_L2 " \t\n", "TD3|P|UTO|L898902C3|1974-08-12|2012-04-15|" ANNA},
		/* 4*/ {TD1_L1 "\n" TD1_L2 "\n" TD1_L3, "TD1|I|UTO|D23145890|1974-08-12|2012-04-15|" ANNA},
		/* 5*/ {TD1_L1 TD1_L2 TD1_L3, "TD1|I|UTO|D23145890|1974-08-12|2012-04-15|" ANNA},
		/* 6*/ {TD1_L1 "\r" TD1_L2 "\r" TD1_L3 "\r", "TD1|I|UTO|D23145890|1974-08-12|2012-04-15|" ANNA},
		/* 7*/ {TD2_L1 "\n" TD2_L2, "TD2|I|UTO|D23145890|1974-08-12|2012-04-15|" ANNA},
		/* 8*/ /* Swedish ID card, personal number 811228-9874 in optional data 1 */
		{"I<SWEAB123456718112289874<<<<<\n8112288M3001019SWE<<<<<<<<<<<6\n"
		 "SVENSSON<<LARS<ERIK<<<<<<<<<<<",
		 "TD1|I|SWE|AB1234567|1981-12-28|2030-01-01|SVENSSON|LARS ERIK|valid|811228-9874"},
		/* 9*/ /* the same with the century (12 digits) */
		{"I<SWEAB12345671198112289874<<<\n8112288M3001019SWE<<<<<<<<<<<6\n"
		 "SVENSSON<<LARS<<<<<<<<<<<<<<<<",
		 "TD1|I|SWE|AB1234567|1981-12-28|2030-01-01|SVENSSON|LARS|valid|811228-9874"},
		/*10*/ /* personal number in optional data 2 */
		{"I<SWEAB12345671<<<<<<<<<<<<<<<\n8112288M3001019SWE8112289874<4\n"
		 "SVENSSON<<LARS<<<<<<<<<<<<<<<<",
		 "TD1|I|SWE|AB1234567|1981-12-28|2030-01-01|SVENSSON|LARS|valid|811228-9874"},
		/*11*/ /* coordination number: day + 60 */
		{"I<SWEAB123456718112889871<<<<<\n8112288M3001019SWE<<<<<<<<<<<3\n"
		 "SVENSSON<<LARS<<<<<<<<<<<<<<<<",
		 "TD1|I|SWE|AB1234567|1981-12-28|2030-01-01|SVENSSON|LARS|valid|811288-9871"},
		/*12*/ /* ten digits that fail Luhn on a non-Swedish card are just data */
		{"I<UTOAB123456718112289875<<<<<\n8112288M3001019UTO<<<<<<<<<<<9\n"
		 "SVENSSON<<LARS<<<<<<<<<<<<<<<<",
		 "TD1|I|UTO|AB1234567|1981-12-28|2030-01-01|SVENSSON|LARS|valid|"},
		/*13*/ /* German passport (BSI specimen): issuer and nationality "D<<" */
		{"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\n"
		 "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4",
		 "TD3|P|DEU|C01X00T47|1964-08-12|2027-02-28|MUSTERMANN|ERIKA|valid|"},
		/*14*/ /* TD1 document number of 13 characters overflowing into optional data */
		{"I<UTOD23145890<12341<<<<<<<<<<\n7408122F4604152UTO<<<<<<<<<<<0\n" TD1_L3,
		 "TD1|I|UTO|D231458901234|1974-08-12|2046-04-15|ERIKSSON|ANNA MARIA|valid|"},
		/*15*/ /* TD2 number of 10 characters; type A; sex X; 29 February 2000 */
		{"A<SWENILSSON<<PER<<<<<<<<<<<<<<<<<<<\nXY1234567<SWE0002299X361231487<<<<<4",
		 "TD2|A|SWE|XY12345678|2000-02-29|2036-12-31|NILSSON|PER|valid|"},
		/*16*/ /* no given name; birth "261124" is after today so 1926; expiry "47" is
			* more than 20 years ahead so 1947 */
		{"P<UTOERIKSSON<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
		 "L898902C36UTO2611240M4704155<<<<<<<<<<<<<<<4",
		 "TD3|P|UTO|L898902C3|1926-11-24|1947-04-15|ERIKSSON||expired|"},
		/*17*/ /* born today; expiry exactly 20 years ahead */
		{"P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
		 "1234567897NOR2611239M4611233<<<<<<<<<<<<<<<4",
		 "TD3|P|NOR|123456789|2026-11-23|2046-11-23|HANSEN|OLA|valid|"},
		/*18*/ /* expires today: still valid today */
		{"P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
		 "1234567897NOR8001014M2611239<<<<<<<<<<<<<<<2",
		 "TD3|P|NOR|123456789|1980-01-01|2026-11-23|HANSEN|OLA|valid|"},
		/*19*/ /* expired yesterday */
		{"P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
		 "1234567897NOR8001014M2611228<<<<<<<<<<<<<<<8",
		 "TD3|P|NOR|123456789|1980-01-01|2026-11-22|HANSEN|OLA|expired|"},
		/*20*/ /* Swedish passport: personal number in the TD3 field with its own check digit;
			* three given names */
		{"P<SWEANDERSSON<<KARIN<MARIA<SOFIA<<<<<<<<<<<\n"
		 "91234567<9SWE5506079F29060705506071231<<<<22",
		 "TD3|P|SWE|91234567|1955-06-07|2029-06-07|ANDERSSON|KARIN MARIA SOFIA|valid|550607-1231"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		check_row(i, data[i].data, strlen(data[i].data), SCAN_ID_DOCUMENT, 1, data[i].want);
	}
}

static void test_mrz_refused(void)
{
	static const struct item {
		const char *data;
		const char *want;
	} data[] = {
		/* 0*/ {TD3_L1 "\nL898902C35UTO7408122F1204159ZE184226B<<<<<10",
			"The check digit of the document number does not match."},
		/* 1*/ {TD3_L1 "\nL898902C36UTO7408123F1204159ZE184226B<<<<<10",
			"The check digit of the birth date does not match."},
		/* 2*/ {TD3_L1 "\nL898902C36UTO7408122F1204158ZE184226B<<<<<10",
			"The check digit of the expiry date does not match."},
		/* 3*/ {TD3_L1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<20",
			"The check digit of the optional data (personal number) does not match."},
		/* 4*/ {TD3_L1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<<0",
			"The check digit of the optional data (personal number) does not match."},
		/* 5*/ {TD3_L1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<11",
			"The composite check digit of the MRZ does not match."},
		/* 6*/ {TD1_L1 "\n7408122F1204159UTO<<<<<<<<<<<7\n" TD1_L3,
			"The composite check digit of the MRZ does not match."},
		/* 7*/ {TD2_L1 "\nD231458907UTO7408122F1204159<<<<<<<5",
			"The composite check digit of the MRZ does not match."},
		/* 8*/ {"I<UTOD231458917<<<<<<<<<<<<<<<\n" TD1_L2 "\n" TD1_L3,
			"The check digit of the document number does not match."},
		/* 9*/ {TD3_L1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<1",
			"The MRZ must be 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 (TD3); "
			"this one has 87 characters in 2 lines."},
		/*10*/ {"I<UTOD231458907<<<<<<<<<<<<<<\n<7408122F1204159UTO<<<<<<<<<<<6\n" TD1_L3,
			"The MRZ must be 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 (TD3); "
			"this one has 90 characters in 3 lines."},
		/*11*/ {TD1_L1 "\n" TD1_L2 "\neRIKSSON<<ANNA<MARIA<<<<<<<<<<",
			"Line 3 of the MRZ has a character other than A-Z, 0-9 and < at position 1."},
		/*12*/ {"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204311UTO<<<<<<<<<<<0\n"
			"ERIKSSON<<ANNA<<<<<<<<<<<<<<<<",
			"The expiry date in the MRZ is not a real date."},
		/*13*/ {"I<UTOD231458907<<<<<<<<<<<<<<<\n7413128F1204159UTO<<<<<<<<<<<6\n"
			"ERIKSSON<<ANNA<<<<<<<<<<<<<<<<",
			"The birth date in the MRZ is not a real date."},
		/*14*/ {"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122Q1204159UTO<<<<<<<<<<<6\n"
			"ERIKSSON<<ANNA<<<<<<<<<<<<<<<<",
			"The sex field of the MRZ must be M, F, X or <."},
		/*15*/ {TD1_L1 "\n" TD1_L2 "\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
			"The name field of the MRZ is empty."},
		/*16*/ {TD1_L1 "\n" TD1_L2 "\n<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<", "The MRZ has no surname."},
		/*17*/ {"V<UTOD231458907<<<<<<<<<<<<<<<\n" TD1_L2 "\n" TD1_L3,
			"The document code of this TD1 MRZ is not a passport (P) or an identity card (I, "
			"A, C)."},
		/*18*/ {"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" TD3_L2,
			"The document code of this TD3 MRZ is not a passport (P) or an identity card (I, "
			"A, C)."},
		/*19*/ {"I<U1OD231458907<<<<<<<<<<<<<<<\n" TD1_L2 "\n" TD1_L3,
			"The issuing state in the MRZ is not a country code."},
		/*20*/ {"I<<<<D231458907<<<<<<<<<<<<<<<\n" TD1_L2 "\n" TD1_L3,
			"The issuing state in the MRZ is not a country code."},
		/*21*/ /* a '<' where the check digit is, but nothing after it to hold one */
		{"I<UTOD23145890<1<<<<<<<<<<<<<<\n" TD1_L2 "\n" TD1_L3,
		 "The document number continues in the optional data but has no check digit there."},
		/*22*/ {"I<SWEAB123456718112289875<<<<<\n8112288M3001019SWE<<<<<<<<<<<9\n"
			"SVENSSON<<LARS<<<<<<<<<<<<<<<<",
			"The check digit of the Swedish personal number does not match."},
		/*23*/ {"I<SWEAB123456718113289873<<<<<\n8112288M3001019SWE<<<<<<<<<<<6\n"
			"SVENSSON<<LARS<<<<<<<<<<<<<<<<",
			"The Swedish personal number does not start with a real date."},
		/*24*/ {"P<SWEANDERSSON<<KARIN<<<<<<<<<<<<<<<<<<<<<<<\n"
			"91234567<9SWE5506079F29060705506071232<<<<96",
			"The check digit of the Swedish personal number does not match."},
		/*25*/ /* a filler inside the number, check digit computed over it */
		{"P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
		 "1234<67892NOR8001014M2611228<<<<<<<<<<<<<<<8",
		 "The document number in the MRZ has a filler inside it."},
		/*26*/ /* TD3 has no overflow: '<' as the number's check digit is just wrong */
		{"P<NORHANSEN<<OLA<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
		 "123456789<NOR8001014M2611228<<<<<<<<<<<<<<<8",
		 "The check digit of the document number does not match."},
		/*27*/ {"P<UTO<<<<", "The MRZ must be 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of "
			"44 (TD3); this one has 9 characters in 1 line."},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		/* row 27 is too short to look like an MRZ at all */
		int kind = i == 27 ? SCAN_UNKNOWN : SCAN_ID_DOCUMENT;
		const char *want = i == 27 ? "This is not a receipt, ID document, case, staff card or "
					     "product code."
					   : data[i].want;
		check_row(i, data[i].data, strlen(data[i].data), kind, 0, want);
	}
}

/* Check digits and Luhn against values published with the standards. */
static void test_check_digits(void)
{
	static const struct item {
		const char *s;
		int mrz;  /* ICAO check digit, -1 for outside the MRZ set */
		int luhn; /* 1 when s is Luhn-valid */
	} data[] = {
		/* 0*/ {"L898902C3", 6, 0},
		/* 1*/ {"740812", 2, 0},
		/* 2*/ {"ZE184226B<<<<<", 1, 0},
		/* 3*/ {"D23145890", 7, 0},
		/* 4*/ {"8112289874", 0, 1},
		/* 5*/ {"8112289875", 7, 0},
		/* 6*/ {"<<<", 0, 0},
		/* 7*/ {"abc", -1, 0},
		/* 8*/ {"79927398713", 3, 1},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(mrz_check_digit(data[i].s, strlen(data[i].s)), data[i].mrz, i);
		KT_INTEQ(luhn_valid(data[i].s, strlen(data[i].s)), data[i].luhn, i);
	}
}

/* Build an AAMVA payload with one subfile (the designator's offset and
 * length computed here, as a card printer would). */
static size_t aamva_build(char *buf, size_t cap, int version, const char *type, const char *body)
{
	int head = version >= 2 ? 21 : 19;
	int len = 2 + (int)strlen(body) + 1;
	int n;
	if (version >= 2)
		n = snprintf(buf, cap, "@\n\x1e\rANSI 636014%02d%02d01%s%04d%04d%s%s\r", version, 0,
			     type, head + 10, len, type, body);
	else
		n = snprintf(buf, cap, "@\n\x1e\rANSI 636014%02d01%s%04d%04d%s%s\r", version, type,
			     head + 10, len, type, body);
	return (size_t)n;
}

static void test_aamva(void)
{
	static const struct item {
		int version;
		const char *type;
		const char *body;
		int patch_at; /* > 0: overwrite this byte after building */
		char patch;
		int valid;
		const char *want;
	} data[] = {
		/* 0*/ {8, "DL", "DAQD1234562\nDCSPUBLIC\nDACJOHN\nDADQUINCY\nDBD08242015\nDBB01231970\n"
			"DBA08232030\nDAJCA\nDCGUSA", 0, 0, 1,
			"AAMVA|DL|USA|D1234562|1970-01-23|2030-08-23|PUBLIC|JOHN QUINCY|valid|"},
		/* 1*/ {8, "DL", "DAQP12345678\nDCSTREMBLAY\nDACMARIE\nDADNONE\nDBB19850315\n"
			"DBA20241231\nDAJQC\nDCGCAN", 0, 0, 1,
			"AAMVA|DL|CAN|P12345678|1985-03-15|2024-12-31|TREMBLAY|MARIE|expired|"},
		/* 2*/ {3, "ID", "DAQ123456789\nDCSDOE\nDCTJANE,ANN\nDBB07041976\nDBA07042028\nDAJNY\n"
			"DCGUSA", 0, 0, 1,
			"AAMVA|ID|USA|123456789|1976-07-04|2028-07-04|DOE|JANE ANN|valid|"},
		/* 3*/ {1, "DL", "DAQ9876543\nDAASMITH,JOHN,PAUL\nDBB19600101\nDBA20270101\nDAJTX", 0,
			0, 1, "AAMVA|DL|USA|9876543|1960-01-01|2027-01-01|SMITH|JOHN PAUL|valid|"},
		/* 4*/ {2, "DL", "DAQON1234\nDCSLEBLANC\nDCTLUC\nDBB19911130\nDBA20290101\nDAJON", 0,
			0, 1, "AAMVA|DL|CAN|ON1234|1991-11-30|2029-01-01|LEBLANC|LUC|valid|"},
		/* 5*/ {8, "DL", "DCSPUBLIC\nDACJOHN\nDBB01231970\nDBA08232030\nDCGUSA", 0, 0, 0,
			"The AAMVA licence has no document number (DAQ)."},
		/* 6*/ {8, "DL", "DAQ1\nDCSPUBLIC\nDBB19700123\nDBA08232030\nDCGUSA", 0, 0, 0,
			"The birth date (DBB) on the AAMVA licence is not a real date in MMDDCCYY "
			"order."},
		/* 7*/ {8, "DL", "DAQ1\nDCSPUBLIC\nDBB01231970\nDBA20300823\nDCGUSA", 0, 0, 0,
			"The expiry date (DBA) on the AAMVA licence is not a real date in MMDDCCYY "
			"order."},
		/* 8*/ {8, "DL", "DAQ1\nDCSPUBLIC\nDBB19700123\nDCGCAN", 0, 0, 0,
			"The AAMVA licence has no expiry date (DBA)."},
		/* 9*/ {8, "DL", "DAQ1\nDCSPUBLIC\nDBB01231970\nDBA08232030\nDCGGBR", 0, 0, 0,
			"The country (DCG) on the AAMVA licence is not USA, CAN or MEX."},
		/*10*/ {8, "DL", "DAQ1\nDACJOHN\nDBB01231970\nDBA08232030\nDCGUSA", 0, 0, 0,
			"The AAMVA licence has no family name (DCS)."},
		/*11*/ {8, "DL", "DAQ1\nDCSPUBLIC\nDBB01232030\nDBA08232040\nDCGUSA", 0, 0, 0,
			"The birth date (DBB) on the AAMVA licence is in the future."},
		/*12*/ {8, "DL", "DAQ1\nDCSPUB\x01LIC\nDBB01231970\nDBA08232030", 0, 0, 0,
			"The AAMVA data contains a control character at byte 45."},
		/*13*/ {8, "ZV", "ZVA1", 0, 0, 0, "The AAMVA data has no DL or ID subfile."},
		/*14*/ {11, "DL", "DAQ1", 0, 0, 0, "The AAMVA version in the header is not 01 to 10."},
		/*15*/ {8, "DL", "DAQ1", 4, 'X', 0, "The AAMVA header does not have the file type \"ANSI \"."},
		/*16*/ {8, "DL", "DAQ1", 10, 'X', 0,
			"The issuer identification number in the AAMVA header is not 6 digits."},
		/*17*/ {8, "DL", "DAQ1", 20, '9', 0,
			"The number of subfiles in the AAMVA header does not fit the data."},
		/*18*/ {8, "DL", "DAQ1", 26, '0', 0,
			"Subfile 1 is not at the offset the AAMVA header gives."},
		/*19*/ {8, "DL", "DAQ1", 27, '9', 0, "Subfile 1 lies outside the AAMVA data."},
		/*20*/ {8, "DL", "DAQ1", 23, 'x', 0,
			"Subfile designator 1 of the AAMVA header is malformed."},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		char buf[1024];
		size_t n = aamva_build(buf, sizeof(buf), data[i].version, data[i].type, data[i].body);
		if (data[i].patch_at > 0)
			buf[data[i].patch_at] = data[i].patch;
		check_row(i, buf, n, SCAN_ID_DOCUMENT, data[i].valid, data[i].want);
	}
}

KT_MAIN(KT_FUNC(test_mrz_valid), KT_FUNC(test_mrz_refused), KT_FUNC(test_check_digits),
	KT_FUNC(test_aamva))
