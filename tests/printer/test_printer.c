/* Unit tests of the printer stack: code page conversion, the ESC/POS
 * encoder (exact bytes), word wrapping at 48 and 32 columns, raster codes,
 * DLE EOT status decoding, printer specs, the file and none transports, and
 * the case receipt layout in both languages. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "ktest.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/case_receipt.h"
#include "drivers/codepage.h"
#include "drivers/escpos.h"
#include "drivers/printer.h"
#include "drivers/raster.h"
#include "sample_case.h"

/* hex string ("1B40 0A") -> bytes; returns the count */
static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (*h && n < cap) {
		if (*h == ' ') {
			h++;
			continue;
		}
		unsigned v;
		if (sscanf(h, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		h += 2;
	}
	return n;
}

static void hexdump(const uint8_t *b, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02X", b[i]);
	out[o] = 0;
}

static void test_codepage(void)
{
	static const struct item {
		const char *utf8;
		const char *cp858; /* hex */
	} data[] = {
		/* 0*/ {"abc XYZ 09", "61626320 58595A20 3039"},
		/* 1*/ {"å ä ö", "86 20 84 20 94"},
		/* 2*/ {"Å Ä Ö", "8F 20 8E 20 99"},
		/* 3*/ {"é €", "82 20 D5"},
		/* 4*/ {"“blå” ‘x’", "22 62 6C 86 22 20 27 78 27"},
		/* 5*/ {"a–b—c", "61 2D 62 2D 63"},
		/* 6*/ {"slut…", "73 6C 75 74 2E2E2E"},
		/* 7*/ {"漢", "3F"},
		/* 8*/ {"\xff", "3F"},             /* not UTF-8 */
		/* 9*/ {"\xc3", "3F"},             /* truncated sequence */
		/*10*/ {"\xc0\xaf", "3F 3F"},      /* overlong '/' */
		/*11*/ {"a\tb\x1b@", "61 20 62 3F 40"}, /* control bytes never reach the printer */
		/*12*/ {"Łódź", "4C A2 64 7A"},   /* ó is in CP858; Ł ź transliterate */
		/*13*/ {"£ ü ß ñ", "9C 20 81 20 E1 20 A4"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct escpos e;
		escpos_begin(&e);
		escpos_text(&e, data[i].utf8);
		uint8_t want[64];
		size_t n = unhex(data[i].cp858, want, sizeof(want));
		char got_hex[200], want_hex[200];
		hexdump(e.data, e.len, got_hex, sizeof(got_hex));
		hexdump(want, n, want_hex, sizeof(want_hex));
		KT_STREQ(got_hex, want_hex, i);
		escpos_free(&e);
	}
	/* every byte of the upper half decodes to a character that encodes back */
	for (int b = 0x80; b < 0x100; b++) {
		uint8_t out[CODEPAGE_MAX_SUBST];
		uint32_t u = codepage_decode_byte(&codepage_cp858, (uint8_t)b);
		size_t n = codepage_encode_char(&codepage_cp858, u, out);
		KT_CHECK(n == 1 && out[0] == b, "i:%d byte %02X round trip gave %02X", b, b, out[0]);
	}
}

/* A document of a few items, encoded: exact bytes. */
static void test_encode_doc(void)
{
	static const struct item {
		const char *text1; bool bold1; bool dbl1; enum doc_align a1;
		int feed;          /* a feed between the two lines, 0 none */
		const char *text2; bool bold2; bool dbl2; enum doc_align a2;
		const char *bytes;
	} data[] = {
		/* 0*/ {"Hej", false, false, DOC_ALIGN_LEFT, 0, NULL, false, false, 0,
			"1B40 1B7413 48656A0A 1B6403 1D564200"},
		/* 1*/ {"Åä€", true, false, DOC_ALIGN_CENTER, 0, NULL, false, false, 0,
			"1B40 1B7413 1B6101 1B4501 8F84D50A 1B6403 1D564200"},
		/* 2*/ {"AB", false, true, DOC_ALIGN_LEFT, 0, "c", false, false, DOC_ALIGN_LEFT,
			"1B40 1B7413 1D2111 41420A 1D2100 630A 1B6403 1D564200"},
		/* 3*/ {"x", false, false, DOC_ALIGN_RIGHT, 2, "y", false, false, DOC_ALIGN_RIGHT,
			"1B40 1B7413 1B6102 780A 1B6402 790A 1B6403 1D564200"},
		/* 4*/ {"a", true, true, DOC_ALIGN_CENTER, 0, "b", false, false, DOC_ALIGN_LEFT,
			"1B40 1B7413 1B6101 1B4501 1D2111 610A 1B6100 1B4500 1D2100 620A 1B6403 1D564200"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct receipt_doc d;
		receipt_doc_init(&d, 576);
		receipt_doc_text(&d, data[i].text1, data[i].a1, data[i].bold1, data[i].dbl1);
		if (data[i].feed)
			receipt_doc_feed(&d, data[i].feed);
		if (data[i].text2)
			receipt_doc_text(&d, data[i].text2, data[i].a2, data[i].bold2, data[i].dbl2);
		struct escpos e;
		struct kiosk_why why;
		int rc = escpos_encode_doc(&d, &e, &why);
		KT_INTEQ(rc, 0, i);
		uint8_t want[128];
		size_t n = unhex(data[i].bytes, want, sizeof(want));
		char got_hex[400], want_hex[400];
		hexdump(e.data, e.len, got_hex, sizeof(got_hex));
		hexdump(want, n, want_hex, sizeof(want_hex));
		KT_STREQ(got_hex, want_hex, i);
		escpos_free(&e);
		receipt_doc_free(&d);
	}
}

static void test_wrap(void)
{
	static const struct item {
		int dots;
		bool dbl;
		const char *in;
		const char *lines; /* joined with | */
	} data[] = {
		/* 0*/ {576, false, "kort text", "kort text"},
		/* 1*/ {384, false, "Skanna koden i kiosken för att följa ditt ärende.",
			"Skanna koden i kiosken för att|följa ditt ärende."},
		/* 2*/ {576, false, "Skanna koden i kiosken för att följa ditt ärende.",
			"Skanna koden i kiosken för att följa ditt|ärende."},
		/* 3*/ {384, false, "åäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåäö",   /* 36 chars, 72 bytes */
			"åäöåäöåäöåäöåäöåäöåäöåäöåäöåäöåä|öåäö"},
		/* 4*/ {576, false, "123456789012345678901234567890123456789012345678",
			"123456789012345678901234567890123456789012345678"},
		/* 5*/ {576, false, "1234567890123456789012345678901234567890123456789",
			"123456789012345678901234567890123456789012345678|9"},
		/* 6*/ {576, true, "Hemelektronik Centrum Stockholm",
			"Hemelektronik Centrum|Stockholm"},
		/* 7*/ {576, false, "a\nb", "a|b"},
		/* 8*/ {576, false, "a\n\nb", "a||b"},
		/* 9*/ {576, false, "  många   mellanslag  ", "många mellanslag"},
		/*10*/ {384, false, "Du har alltid rätt att reklamera fel i en vara i tre år från köpet.",
			"Du har alltid rätt att reklamera|fel i en vara i tre år från|köpet."},
		/*11*/ {384, false, "x 12345678901234567890123456789012345", "x|12345678901234567890123456789012|345"},
		/*12*/ {384, false, "abcdefghijklmnopqrstuvwxyzab x…", "abcdefghijklmnopqrstuvwxyzab|x…"},
		/*13*/ {384, false, "………………………………", "…………………………|……"}, /* 12 x 3 columns */
		/*14*/ {384, false, /* 36 malformed bytes print as 36 "?" */
			"\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf",
			"\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf\xc0\xaf|\xc0\xaf\xc0\xaf"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct receipt_doc d;
		receipt_doc_init(&d, data[i].dots);
		KT_INTEQ(receipt_doc_text(&d, data[i].in, DOC_ALIGN_LEFT, false, data[i].dbl), 0, i);
		char joined[512] = "";
		for (int k = 0; k < d.n; k++) {
			if (k)
				strcat(joined, "|");
			strcat(joined, d.items[k].text);
			int cols = data[i].dbl ? d.columns / 2 : d.columns;
			KT_CHECK((int)utf8_width(d.items[k].text) <= cols, "i:%d line %d too long", i, k);
		}
		KT_STREQ(joined, data[i].lines, i);
		receipt_doc_free(&d);
	}
}

static void test_raster(void)
{
	/* bands: 300 rows go as 128 + 128 + 44 */
	struct raster r;
	KT_INTEQ(raster_alloc(&r, 16, 300), 0, 0);
	for (int y = 0; y < 300; y++)
		raster_set(&r, y % 16, y);
	struct escpos e;
	escpos_begin(&e);
	escpos_raster(&e, &r);
	KT_INTEQ(e.len, 3 * 8 + 2 * 300, 0);
	static const struct { size_t at; int rows; } bands[] = {
		/* 0*/ {0, 128}, /* 1*/ {8 + 256, 128}, /* 2*/ {16 + 512, 44},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(bands); i++) {
		const uint8_t *h = e.data + bands[i].at;
		KT_CHECK(h[0] == 0x1D && h[1] == 'v' && h[2] == '0' && h[3] == 0,
			 "i:%d band header", i);
		KT_INTEQ(h[4] | h[5] << 8, 2, i);
		KT_INTEQ(h[6] | h[7] << 8, bands[i].rows, i);
	}
	/* first data row of the third band is row 256: bit 256 % 16 = 0 */
	KT_INTEQ(e.data[16 + 512 + 8], 0x80, 3);
	escpos_free(&e);
	raster_free(&r);

	static const struct item {
		enum raster_kind kind;
		const char *payload;
		int max_width;
		int ret;
		int modules;      /* expected symbol width in modules incl. quiet zone */
		const char *why;
	} data[] = {
		/* 0*/ {RASTER_QR, SAMPLE_CODE, 576, 0, 25 + 8, ""},
		/* 1*/ {RASTER_QR, SAMPLE_CODE, 384, 0, 25 + 8, ""},
		/* 2*/ {RASTER_QR, SAMPLE_CODE, 100, 0, 25 + 8, ""},
		/* 3*/ {RASTER_QR, SAMPLE_CODE, 20, KIOSK_EINVAL, 0,
			"The code is too wide for the paper (33 modules, 20 dots)."},
		/* 4*/ {RASTER_CODE128, "K-000123", 384, 0, 0, ""},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct kiosk_why why = {""};
		int ret = raster_code(&r, data[i].kind, data[i].payload, data[i].max_width, &why);
		KT_INTEQ(ret, data[i].ret, i);
		if (ret) {
			KT_STREQ(why.text, data[i].why, i);
			continue;
		}
		KT_CHECK(r.width <= data[i].max_width, "i:%d width %d > %d", i, r.width,
			 data[i].max_width);
		if (data[i].kind == RASTER_QR) {
			KT_INTEQ(r.width, r.height, i);
			KT_INTEQ(r.width % data[i].modules, 0, i);
			/* whole dots: every module is a uniform square */
			int mod = r.width / data[i].modules, bad = 0;
			for (int y = 0; y < r.height; y++)
				for (int x = 0; x < r.width; x++)
					bad += raster_get(&r, x, y) !=
					       raster_get(&r, x / mod * mod, y / mod * mod);
			KT_INTEQ(bad, 0, i);
			/* quiet zone: the first 4 modules of row 0 are white, the
			 * finder pattern's corner after them is black */
			KT_INTEQ(raster_get(&r, 4 * mod - 1, 4 * mod), 0, i);
			KT_INTEQ(raster_get(&r, 4 * mod, 4 * mod), 1, i);
		} else {
			KT_INTEQ(r.height, 80, i);
		}
		raster_free(&r);
	}
}

static void test_status(void)
{
	static const struct item {
		uint8_t s1, s2, s4;
		bool known, online, paper_out, near_end, cover_open;
		const char *problem; /* NULL: can print */
	} data[] = {
		/* 0*/ {0x12, 0x12, 0x12, true, true, false, false, false, NULL},
		/* 1*/ {0x1E, 0x32, 0x72, true, false, true, false, false, "The printer is out of paper."},
		/* 2*/ {0x1E, 0x16, 0x12, true, false, false, false, true, "The printer's cover is open."},
		/* 3*/ {0x12, 0x12, 0x1E, true, true, false, true, false, NULL},
		/* 4*/ {0x1E, 0x12, 0x12, true, false, false, false, false, "The printer is offline."},
		/* 5*/ {0x00, 0x12, 0x12, false, false, false, false, false, NULL},
		/* 6*/ {0x12, 0x12, 0xFF, false, false, false, false, false, NULL},
		/* 7*/ {0x1E, 0x36, 0x7E, true, false, true, true, true, "The printer's cover is open."},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct printer_status st;
		bool ok = printer_status_decode(data[i].s1, data[i].s2, data[i].s4, &st);
		KT_INTEQ(ok, data[i].known, i);
		KT_INTEQ(st.known, data[i].known, i);
		KT_INTEQ(st.online, data[i].online, i);
		KT_INTEQ(st.paper_out, data[i].paper_out, i);
		KT_INTEQ(st.paper_near_end, data[i].near_end, i);
		KT_INTEQ(st.cover_open, data[i].cover_open, i);
		KT_STREQ(printer_status_problem(&st), data[i].problem, i);
	}
}

static char tmpdir[64];

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void cleanup(void)
{
	nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A scratch folder for the file and png transports, removed at exit. */
static void setup(void)
{
	if (tmpdir[0])
		return;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kiosk-printer-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(cleanup);
}

static void test_specs(void)
{
	setup();
	char file_spec[128], png_spec[128], bad_dir[128];
	snprintf(file_spec, sizeof(file_spec), "file:%s/out.bin", tmpdir);
	snprintf(png_spec, sizeof(png_spec), "png:%s/png", tmpdir);
	snprintf(bad_dir, sizeof(bad_dir), "file:%s/missing/out.bin", tmpdir);
	static char bad_why[256];
	snprintf(bad_why, sizeof(bad_why),
		 "The printer file %s/missing/out.bin could not be opened: No such file or directory.",
		 tmpdir);
	const struct item {
		const char *spec;
		int dots;
		int ret;
		const char *kind;
		const char *why;
	} data[] = {
		/* 0*/ {"none", 576, 0, "none", ""},
		/* 1*/ {file_spec, 576, 0, "file", ""},
		/* 2*/ {png_spec, 384, 0, "png", ""},
		/* 3*/ {"bogus", 576, KIOSK_EINVAL, NULL,
			"Unknown printer \"bogus\": use auto, usb, usb:VID:PID, file:PATH, png:DIR or none."},
		/* 4*/ {"file:", 576, KIOSK_EINVAL, NULL, "The printer spec file: needs a path (file:PATH)."},
		/* 5*/ {"png:", 576, KIOSK_EINVAL, NULL, "The printer spec png: needs a folder (png:DIR)."},
		/* 6*/ {"usb:04b8", 576, KIOSK_EINVAL, NULL,
			"The printer spec usb:04b8 is not usb:VID:PID in hex, e.g. usb:04b8:0e28."},
		/* 7*/ {"usb:04b8:0e28x", 576, KIOSK_EINVAL, NULL,
			"The printer spec usb:04b8:0e28x is not usb:VID:PID in hex, e.g. usb:04b8:0e28."},
		/* 8*/ {"none:x", 576, KIOSK_EINVAL, NULL, "The printer spec \"none\" takes no value."},
		/* 9*/ {"auto:x", 576, KIOSK_EINVAL, NULL, "The printer spec \"auto\" takes no value."},
		/*10*/ {"none", 500, KIOSK_EINVAL, NULL,
			"The paper width must be 576 dots (80 mm) or 384 (58 mm), not 500."},
		/*11*/ {bad_dir, 576, KIOSK_EIO, NULL, bad_why},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct printer *p = NULL;
		struct kiosk_why why = {""};
		int ret = printer_create(&p, data[i].spec, data[i].dots, &why);
		KT_INTEQ(ret, data[i].ret, i);
		KT_STREQ(why.text, data[i].why, i);
		if (!ret) {
			KT_STREQ(printer_kind(p), data[i].kind, i);
			KT_INTEQ(printer_paper_dots(p), data[i].dots, i);
		} else {
			KT_CHECK(p == NULL, "i:%d printer left on failure", i);
		}
		printer_destroy(p);
	}
}

static void test_file_and_none(void)
{
	setup();
	char spec[160], path[128];
	snprintf(path, sizeof(path), "%s/append.bin", tmpdir);
	snprintf(spec, sizeof(spec), "file:%s", path);
	static const uint8_t doc[] = {0x1B, 0x40, 'h', 0xD5, 0x0A, 0x00, 0xFF};
	struct printer *p;
	struct kiosk_why why = {""};
	KT_INTEQ(printer_create(&p, spec, 576, &why), 0, 0);
	KT_INTEQ(printer_print(p, doc, sizeof(doc), &why), 0, 0);
	KT_INTEQ(printer_print(p, doc, sizeof(doc), &why), 0, 1);
	struct printer_status st;
	KT_INTEQ(printer_status(p, &st, &why), 0, 2);
	KT_INTEQ(st.known, false, 2);
	printer_destroy(p);
	uint8_t got[64];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(got, 1, sizeof(got), f) : 0;
	if (f)
		fclose(f);
	KT_INTEQ(n, 2 * sizeof(doc), 3);
	KT_CHECK(n == 2 * sizeof(doc) && !memcmp(got, doc, sizeof(doc)) &&
		 !memcmp(got + sizeof(doc), doc, sizeof(doc)), "i:3 file bytes differ");

	KT_INTEQ(printer_create(&p, "none", 576, &why), 0, 4);
	KT_CHECK(printer_is_none(p), "i:4 none is none");
	KT_INTEQ(printer_print(p, doc, sizeof(doc), &why), KIOSK_EDEVICE, 4);
	KT_STREQ(why.text, "No printer is set up (--printer none).", 4);
	printer_destroy(p);
}

/* The case receipt in each language: every word found (a missing key would
 * print as "receipt.x"), every line within the columns, the parts of
 * interfaces.md §7 in order, the code last but the rights. */
static void test_case_receipt(void)
{
	static const struct item {
		const char *lang;
		int paper_mm;
		bool fault;
		const char *in_order[8];  /* substrings of the joined text, in this order */
		const char *absent;       /* must not be printed */
		const char *reprint;      /* reprinted at (ISO 8601), NULL: first print */
	} data[] = {
		/* 0*/ {"sv", 80, false, {"Retur", "Ärende K-000123",
				   "Registrerat 2026-11-23 kl. 10:07", "Det här vill du lämna tillbaka",
				   "1 st Hörlurar",
				   "Pengarna tillbaka", "Belopp: 499 kr", "Senast 2026-11-30"},
			"Felanmälan", NULL},
		/* 1*/ {"en", 80, false, {"Hemelektronik Centrum", "Case K-000123",
				   "Registered 2026-11-23 at 10:07", "1 x Hörlurar", "Money back",
				   "Amount: SEK 499", "By 2026-11-30", "Scan this code"}, "Fault", NULL},
		/* 2*/ {"sv", 58, false, {"Hemelektronik", "Ärende K-000123", "Registrerat",
				   "Med dina ord", "Beslut", "Nästa steg", "Senast 2026-11-30",
				   "Skanna koden"}, "Ny utskrift", NULL},
		/* 3*/ {"sv", 80, true, {"Felanmälan", "Ärende K-000124",
				   "Registrerat 2026-11-23 kl. 16:45", "Felet du anmälde",
				   "Produkt: Kaffebryggare Moccamaster KB741",
				   "Så beskrev du felet: \"Den slutade värma", "Reparation",
				   "Senast 2026-12-14"}, "Belopp", NULL},
		/* 4*/ {"en", 58, true, {"Fault report", "Case K-000124", "The fault you reported",
				   "Product: Kaffebryggare", "How you described it:", "Repair",
				   "Leave the item at the service desk", "By 2026-12-14"}, "Amount", NULL},
		/* 5*/ {"sv", 80, false, {"Ärende K-000123", "Registrerat 2026-11-23 kl. 10:07",
				   "Ny utskrift 2026-11-25 kl. 09:05. Koden på tidigare kvitton gäller inte längre.",
				   "1 st Hörlurar", "Skanna koden"}, NULL, "2026-11-25T09:05:00+01:00"},
		/* 6*/ {"en", 58, true, {"Case K-000124", "Registered 2026-11-23 at 16:45",
				   "Reprinted 2026-11-25 at 09:05. The code on earlier receipts no longer works.",
				   "The fault you reported"}, NULL, "2026-11-25T09:05:00+01:00"},
	};
	const char *assets = paths_assets_dir();
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct kiosk_config cfg = {0};
		struct kiosk_why why = {""};
		KT_INTEQ(config_load(&cfg, assets, NULL, &why), 0, i);
		char ini[64];
		snprintf(ini, sizeof(ini), "[printer]\npaper_mm = %d\n", data[i].paper_mm);
		config_read_string(&cfg, ini, &why);
		int dots = 0;
		KT_INTEQ(receipt_paper_dots(&cfg, &dots, &why), 0, i);
		struct i18n *t = NULL;
		KT_INTEQ(i18n_create(&t, assets, data[i].lang, &why), 0, i);
		struct case_record c;
		if (data[i].fault)
			sample_fault_case(&c, data[i].lang);
		else
			sample_case(&c, data[i].lang);
		char code[64];
		snprintf(code, sizeof(code), "KC1:%s:%s", c.case_id, SAMPLE_TOKEN);
		struct receipt_doc d;
		struct kiosk_time re;
		if (data[i].reprint)
			time_parse_iso(data[i].reprint, &re);
		KT_INTEQ(case_receipt_build(&c, &cfg, t, dots, code, data[i].reprint ? &re : NULL, &d,
					    &why), 0, i);
		static char joined[8192];
		joined[0] = 0;
		int qr_at = -1, rights_at = -1, n_qr = 0;
		const char *rights = i18n_get(t, "common.store_rights");
		for (int k = 0; k < d.n; k++) {
			const struct doc_item *it = &d.items[k];
			if (it->kind == DOC_QR) {
				KT_STREQ(it->text, code, i);
				qr_at = (int)strlen(joined);
				n_qr++;
				continue;
			}
			if (it->kind != DOC_TEXT)
				continue;
			KT_CHECK(strncmp(it->text, "receipt.", 8) && strncmp(it->text, "common.", 7),
				 "i:%d missing word: %s", i, it->text);
			KT_CHECK(!strchr(it->text, '{'), "i:%d unfilled placeholder: %s", i, it->text);
			int cols = it->dbl ? d.columns / 2 : d.columns;
			KT_CHECK((int)utf8_width(it->text) <= cols, "i:%d line over %d columns: %s", i,
				 cols, it->text);
			if (joined[0])
				strcat(joined, " ");
			strcat(joined, it->text);
		}
		/* the rights sentence, wrapped, joins back to itself */
		const char *r = strstr(joined, rights);
		rights_at = r ? (int)(r - joined) : -1;
		KT_CHECK(rights_at >= 0, "i:%d rights sentence missing", i);
		KT_INTEQ(n_qr, 1, i);
		KT_CHECK(qr_at >= 0 && rights_at > qr_at, "i:%d the code comes before the rights", i);
		const char *at = joined;
		for (int k = 0; k < 8 && data[i].in_order[k]; k++) {
			const char *f = strstr(at, data[i].in_order[k]);
			KT_CHECK(f != NULL, "i:%d \"%s\" missing or out of order", i, data[i].in_order[k]);
			if (f)
				at = f;
		}
		if (!data[i].fault)
			KT_CHECK(strstr(joined, "€") && strstr(joined, "ÅÄÖ åäö é"),
				 "i:%d customer's words lost", i);
		if (data[i].absent)
			KT_CHECK(!strstr(joined, data[i].absent), "i:%d \"%s\" printed", i,
				 data[i].absent);
		receipt_doc_free(&d);
		i18n_destroy(t);
		config_destroy(&cfg);
	}
}

/* Every receipt.* word exists in both languages. */
static void test_words_match(void)
{
	const char *assets = paths_assets_dir();
	struct i18n *sv, *en;
	struct kiosk_why why;
	KT_INTEQ(i18n_create(&sv, assets, "sv", &why), 0, 0);
	KT_INTEQ(i18n_create(&en, assets, "en", &why), 0, 0);
	int n = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct i18n *a = pass ? en : sv, *b = pass ? sv : en;
		for (size_t k = 0; k < i18n_count(a); k++) {
			const char *key = i18n_key_at(a, k);
			if (strncmp(key, "receipt.", 8))
				continue;
			n++;
			KT_CHECK(strcmp(i18n_get(b, key), key) != 0, "i:%d %s missing in %s", pass, key,
				 i18n_lang(b));
		}
	}
	KT_CHECK(n >= 2 * 25, "i:0 only %d receipt words", n);
	i18n_destroy(sv);
	i18n_destroy(en);
}

static void test_paper_config(void)
{
	static const struct item {
		const char *ini;
		int ret;
		int dots;
		const char *why;
	} data[] = {
		/* 0*/ {"", 0, 576, ""},
		/* 1*/ {"[printer]\npaper_mm = 58\n", 0, 384, ""},
		/* 2*/ {"[printer]\npaper_mm = 80\n", 0, 576, ""},
		/* 3*/ {"[printer]\npaper_mm = 57\n", KIOSK_EINVAL, 0,
			"The paper width [printer] paper_mm = 57 is not supported: use 80 or 58."},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct kiosk_config cfg = {0};
		struct kiosk_why why = {""};
		config_read_string(&cfg, data[i].ini, &why);
		int dots = 0;
		KT_INTEQ(receipt_paper_dots(&cfg, &dots, &why), data[i].ret, i);
		KT_INTEQ(dots, data[i].dots, i);
		if (data[i].ret)
			KT_STREQ(why.text, data[i].why, i);
		config_destroy(&cfg);
	}
}

KT_MAIN(KT_FUNC(test_codepage), KT_FUNC(test_encode_doc),
	KT_FUNC(test_wrap), KT_FUNC(test_raster), KT_FUNC(test_status), KT_FUNC(test_specs),
	KT_FUNC(test_file_and_none), KT_FUNC(test_case_receipt), KT_FUNC(test_words_match),
	KT_FUNC(test_paper_config))
