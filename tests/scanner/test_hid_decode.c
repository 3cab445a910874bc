/* Unit tests of drivers/hid_decode: boot-keyboard typing (shift, layouts,
 * dead keys, control characters, unknown usages, timeouts), HID POS
 * reassembly (multi-report payloads, symbology, garbage, overflow) and the
 * MRZ line framing. Reports are written by hand or by a small US typing
 * table kept here, independent of the decoder's own tables. */
#include <stdio.h>
#include <string.h>

#include "drivers/hid_decode.h"
#include "ktest.h"

#define OUT_MAX 8192

/* Render outputs as "S<sym>:payload" / "E:why", joined by '|'; bytes
 * outside printable ASCII as \xHH (UTF-8 included, so rows stay ASCII). */
static void out_append(char *acc, const struct hid_output *o)
{
	if (o->kind == HID_OUT_NONE)
		return;
	size_t n = strlen(acc);
	if (n)
		acc[n++] = '|', acc[n] = '\0';
	if (o->kind == HID_OUT_ERROR) {
		snprintf(acc + n, OUT_MAX - n, "E:%s", o->why);
		return;
	}
	n += (size_t)snprintf(acc + n, OUT_MAX - n, "S%s:", o->symbology);
	for (size_t i = 0; i < o->len && n + 5 < OUT_MAX; i++) {
		uint8_t c = o->payload[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			acc[n++] = (char)c;
		else
			n += (size_t)snprintf(acc + n, OUT_MAX - n, "\\x%02x", c);
	}
	acc[n] = '\0';
}

static int hexv(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Feed a script of tokens, 5 ms apart unless "@ms" sets the time:
 *   MMKK          keyboard report: modifiers MM, one key KK
 *   =<hex>        a raw report of any length */
static void run_script(struct hid_decoder *d, const char *script, char *acc)
{
	int64_t ms = 0;
	struct hid_output o;
	acc[0] = '\0';
	for (const char *p = script; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		uint8_t rep[128] = {0};
		size_t len = 0;
		if (*p == '@') {
			ms = 0;
			for (p++; *p >= '0' && *p <= '9'; p++)
				ms = ms * 10 + (*p - '0');
			continue;
		}
		if (*p == '=') {
			for (p++; hexv(p[0]) >= 0 && hexv(p[1]) >= 0 && len < sizeof rep; p += 2)
				rep[len++] = (uint8_t)(hexv(p[0]) << 4 | hexv(p[1]));
		} else {
			rep[0] = (uint8_t)(hexv(p[0]) << 4 | hexv(p[1]));
			rep[2] = (uint8_t)(hexv(p[2]) << 4 | hexv(p[3]));
			len = 8;
			p += 4;
		}
		hid_decoder_tick(d, ms, &o);
		out_append(acc, &o);
		hid_decoder_feed(d, rep, len, ms, &o);
		out_append(acc, &o);
		ms += 5;
	}
	hid_decoder_tick(d, ms + 1000, &o);
	out_append(acc, &o);
}

static void test_keyboard(void)
{
	static const struct item {
		const char *layout;
		const char *script;
		const char *want;
	} data[] = {
		/* 0*/ {"us", "0004 0000 0205 0000 0028 0000", "S:aB"},
		/* 1*/ {"us", "021e 0000 0238 0000 2034 0000 0028 0000", "S:!?\""},
		/* 2*/ {"us", "0004 0004 0000 0004 0000 0028", "S:aa"},
		/* 3*/ {"us", "0028 0000 0028 0000", ""},
		/* 4*/ {"us", "0004 0000 003a 0000 0005 0028",
			"E:scan dropped: key usage 0x3a (modifiers 0x00) is not in the us layout"},
		/* 5*/ {"us", "0004 0000 @300 0005 0000 0028 0000",
			"E:scan dropped: 1 bytes typed, then 100 ms without the final Enter|S:b"},
		/* 6*/ {"us", "0004 =0000010101010101 0005 0028",
			"E:keyboard reported a key rollover error|S:b"},
		/* 7*/ {"us", "0004 =000004 0005 0000 0028",
			"E:keyboard report of 3 bytes ignored (expected 8)|S:b"},
		/* 8*/ {"us", "0004 0000 1030 0000 0005 0000 0028", "S:a\\x1db"},
		/* 9*/ {"sv", "021f 0000 002f 0000 0234 0000 401f 0000 0064 0000 0028",
			"S:\"\\xc3\\xa5\\xc3\\x84@<"},
		/*10*/ {"sv", "0230 0000 002c 0000 0004 0028", "S:^a"},
		/*11*/ {"sv", "0033 0000 0028", "S:\\xc3\\xb6"},
		/*12*/ {"us", "0033 0000 0028", "S:;"},
		/*13*/ {"us", "0059 0000 0062 0000 0063 0000 0058", "S:10."},
		/*14*/ {"us", "0404 0000 0028",
			"E:scan dropped: key usage 0x04 (modifiers 0x04) is not in the us layout"},
		/*15*/ {"us", "=0000040500000000 0000 0028", "S:ab"},
		/*16*/ {"sv", "0022 0000 4022 0000 0028", "S:5\\xe2\\x82\\xac"},
		/*17*/ {"us", "0004 0000 0028 0000 0005 0000 0028 0000", "S:a|S:b"},
		/*18*/ {"sv", "002e 0000 0004 0000 0028", "S:\\xc2\\xb4a"},
		/*19*/ {"us", "0004 0000 @90 0005 0000 @185 0028", "S:ab"},
	};
	static char got[OUT_MAX];
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct hid_decoder d;
		hid_decoder_init(&d, HID_KIND_KEYBOARD, hid_layout_find(data[i].layout));
		run_script(&d, data[i].script, got);
		KT_STREQ(got, data[i].want, i);
	}
}

/* US typing table for the long payloads: char -> (shift, usage). */
static int us_usage(char c, uint8_t *mods)
{
	*mods = 0;
	if (c >= 'a' && c <= 'z')
		return 0x04 + (c - 'a');
	if (c >= 'A' && c <= 'Z')
		return *mods = 0x02, 0x04 + (c - 'A');
	if (c >= '1' && c <= '9')
		return 0x1e + (c - '1');
	static const struct { char c; uint8_t mods, usage; } other[] = {
		{'0', 0, 0x27}, {'<', 0x02, 0x36}, {'\r', 0, 0x28}, {':', 0x02, 0x33},
		{'-', 0, 0x2d}, {' ', 0, 0x2c},
	};
	for (size_t i = 0; i < KT_ARRAY_SIZE(other); i++)
		if (other[i].c == c)
			return *mods = other[i].mods, other[i].usage;
	return -1;
}

/* Type text as a keyboard-mode scanner does: press, release, 4 ms apart. */
static void type_text(struct hid_decoder *d, const char *text, char *acc)
{
	struct hid_output o;
	int64_t ms = 0;
	acc[0] = '\0';
	for (const char *c = text; *c; c++) {
		uint8_t mods, press[8] = {0}, release[8] = {0};
		int u = us_usage(*c, &mods);
		if (u < 0) {
			strcpy(acc, "untypeable test text");
			return;
		}
		press[0] = mods, press[2] = (uint8_t)u;
		hid_decoder_feed(d, press, 8, ms += 4, &o);
		out_append(acc, &o);
		hid_decoder_feed(d, release, 8, ms += 4, &o);
		out_append(acc, &o);
	}
	hid_decoder_tick(d, ms + 1000, &o);
	out_append(acc, &o);
}

/* ICAO 9303 part 5 example TD1, and the demo receipt code of interfaces.md §6. */
#define MRZ_TD1_1 "I<UTOD231458907<<<<<<<<<<<<<<<"
#define MRZ_TD1_2 "7408122F1204159UTO<<<<<<<<<<<6"
#define MRZ_TD1_3 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
#define MRZ_TD3_1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define MRZ_TD3_2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define RECEIPT "RS004200320261122001234"

static void test_keyboard_lines(void)
{
	static const struct item {
		const char *typed;
		const char *want;
	} data[] = {
		/* 0*/ {RECEIPT "\r", "S:" RECEIPT},
		/* 1*/ {MRZ_TD1_1 "\r" MRZ_TD1_2 "\r" MRZ_TD1_3 "\r",
			"S:" MRZ_TD1_1 "\\x0d" MRZ_TD1_2 "\\x0d" MRZ_TD1_3},
		/* 2*/ {MRZ_TD3_1 "\r" MRZ_TD3_2 "\r", "S:" MRZ_TD3_1 "\\x0d" MRZ_TD3_2},
		/* 3*/ {MRZ_TD1_1 "\r" MRZ_TD1_2 "\r" MRZ_TD1_3 "\r" RECEIPT "\r",
			"S:" MRZ_TD1_1 "\\x0d" MRZ_TD1_2 "\\x0d" MRZ_TD1_3 "|S:" RECEIPT},
		/* 4*/ {MRZ_TD1_1 "\r" MRZ_TD1_2 "\r",
			"E:scan dropped: 62 bytes typed, then 100 ms without the final Enter"},
		/* 5*/ {"Mixed Case: a-b 09\r", "S:Mixed Case: a-b 09"},
	};
	static char got[OUT_MAX];
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct hid_decoder d;
		hid_decoder_init(&d, HID_KIND_KEYBOARD, NULL);
		type_text(&d, data[i].typed, got);
		KT_STREQ(got, data[i].want, i);
	}
}

static void test_keyboard_overflow(void)
{
	struct hid_decoder d;
	struct hid_output o;
	hid_decoder_init(&d, HID_KIND_KEYBOARD, NULL);
	uint8_t press[8] = {0, 0, 0x04}, release[8] = {0};
	int64_t ms = 0;
	for (int i = 0; i < HID_MAX_PAYLOAD + 10; i++) {
		hid_decoder_feed(&d, press, 8, ms += 2, &o);
		KT_INTEQ(o.kind, HID_OUT_NONE, i);
		hid_decoder_feed(&d, release, 8, ms += 2, &o);
	}
	uint8_t enter[8] = {0, 0, 0x28};
	hid_decoder_feed(&d, enter, 8, ms += 2, &o);
	KT_INTEQ(o.kind, HID_OUT_ERROR, 0);
	KT_STREQ(o.why, "scan dropped: longer than 4096 bytes", 0);
	/* and the next scan is whole again */
	hid_decoder_feed(&d, release, 8, ms += 2, &o);
	hid_decoder_feed(&d, press, 8, ms += 2, &o);
	hid_decoder_feed(&d, enter, 8, ms += 2, &o);
	KT_INTEQ(o.kind, HID_OUT_SCAN, 1);
	KT_INTEQ(o.len, 1, 1);
}

/* One HID POS decoded-data report (64 bytes). */
static size_t pos_report(uint8_t *r, uint8_t id, const char *aim, const char *data, size_t n,
			 int more)
{
	memset(r, 0, HID_POS_REPORT_SIZE);
	r[0] = id;
	r[1] = (uint8_t)n;
	if (aim)
		memcpy(r + 2, aim, 3);
	size_t have = strnlen(data, 56); /* n may claim more than the text has */
	memcpy(r + 5, data, have < n ? have : n > 56 ? 56 : n);
	r[63] = (uint8_t)more;
	return HID_POS_REPORT_SIZE;
}

static void test_pos(void)
{
	static const char d56[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrst";
	static const struct item {
		struct seg {
			uint8_t id;
			const char *aim;
			const char *data;
			int n;     /* -1: strlen(data) */
			int more;
			int at_ms;
			int size;  /* 0: 64 */
		} segs[4];
		const char *want;
	} data[] = {
		/* 0*/ {{{2, "]E0", "7310865004006", -1, 0, 0, 0}}, "S]E0:7310865004006"},
		/* 1*/ {{{2, "]C0", d56, 56, 1, 0, 0}, {2, "]C0", "uvwxyz", -1, 0, 10, 0}},
			"S]C0:" "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
		/* 2*/ {{{2, "]C0", d56, 56, 1, 0, 0}, {2, "]C0", "abc", -1, 0, 300, 0}},
			"E:scan cut off: no report for 100 ms after 56 bytes|S]C0:abc"},
		/* 3*/ {{{5, "]E0", "1", -1, 0, 0, 0}, {2, "]E0", "2", -1, 0, 10, 0}},
			"E:HID POS report id 0x05 is not decoded data|S]E0:2"},
		/* 4*/ {{{2, "]E0", "1", 57, 0, 0, 0}},
			"E:HID POS report claims 57 data bytes, at most 56 fit"},
		/* 5*/ {{{2, "]E0", "1", -1, 0, 0, 10}},
			"E:HID POS report of 10 bytes ignored (expected 64)"},
		/* 6*/ {{{2, NULL, "ABC", -1, 0, 0, 0}}, "S:ABC"},
		/* 7*/ {{{2, "]E0", "", 0, 0, 0, 0}}, "E:HID POS scan with no data"},
		/* 8*/ {{{2, "]Q1", "P<UTO\rL898", -1, 1, 0, 0}, {2, "]Q1", "\r", -1, 0, 50, 0}},
			"S]Q1:P<UTO\\x0dL898\\x0d"},
		/* 9*/ {{{2, "]C0", d56, 56, 1, 0, 0}, {2, "]C0", "x", -1, 0, 50, 12}},
			"E:HID POS report of 12 bytes ignored (expected 64)"},
	};
	static char got[OUT_MAX];
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct hid_decoder d;
		struct hid_output o;
		hid_decoder_init(&d, HID_KIND_POS, NULL);
		got[0] = '\0';
		int64_t last = 0;
		for (const struct seg *s = data[i].segs; s < data[i].segs + 4 && s->id; s++) {
			uint8_t r[HID_POS_REPORT_SIZE];
			pos_report(r, s->id, s->aim, s->data,
				   s->n < 0 ? strlen(s->data) : (size_t)s->n, s->more);
			hid_decoder_tick(&d, s->at_ms, &o);
			out_append(got, &o);
			hid_decoder_feed(&d, r, s->size ? (size_t)s->size : sizeof r, s->at_ms, &o);
			out_append(got, &o);
			last = s->at_ms;
		}
		hid_decoder_tick(&d, last + 1000, &o);
		out_append(got, &o);
		KT_STREQ(got, data[i].want, i);
	}
}

static void test_pos_overflow(void)
{
	struct hid_decoder d;
	struct hid_output o;
	uint8_t r[HID_POS_REPORT_SIZE];
	char fill[57];
	memset(fill, 'x', 56);
	fill[56] = '\0';
	hid_decoder_init(&d, HID_KIND_POS, NULL);
	int reports = HID_MAX_PAYLOAD / 56 + 2;
	for (int i = 0; i < reports; i++) {
		pos_report(r, 2, "]C0", fill, 56, i + 1 < reports);
		hid_decoder_feed(&d, r, sizeof r, i, &o);
		KT_INTEQ(o.kind, i + 1 < reports ? HID_OUT_NONE : HID_OUT_ERROR, i);
	}
	KT_STREQ(o.why, "scan dropped: longer than 4096 bytes", 0);
	/* exactly 4096 bytes still fits */
	hid_decoder_init(&d, HID_KIND_POS, NULL);
	int full = HID_MAX_PAYLOAD / 56, rest = HID_MAX_PAYLOAD % 56;
	for (int i = 0; i <= full; i++) {
		pos_report(r, 2, "]C0", fill, i < full ? 56 : (size_t)rest, i < full);
		hid_decoder_feed(&d, r, sizeof r, i, &o);
	}
	KT_INTEQ(o.kind, HID_OUT_SCAN, 1);
	KT_INTEQ(o.len, HID_MAX_PAYLOAD, 1);
}

static void test_mrz_framing(void)
{
	static const struct item {
		const char *buf;
		int want;
	} data[] = {
		/* 0*/ {MRZ_TD1_1, 1},
		/* 1*/ {MRZ_TD1_1 "\r" MRZ_TD1_2, 1},
		/* 2*/ {MRZ_TD1_1 "\r" MRZ_TD1_2 "\r" MRZ_TD1_3, 0},
		/* 3*/ {MRZ_TD3_1, 1},
		/* 4*/ {MRZ_TD3_1 "\n" MRZ_TD3_2, 0},
		/* 5*/ {"I<UTOD231458907<<<<<<<<<<<<<<<<<<<<<", 1}, /* 36: TD2 first line */
		/* 6*/ {"i<UTOD231458907<<<<<<<<<<<<<<<", 0},       /* lower case */
		/* 7*/ {MRZ_TD1_1 "\r" "7408122F1204159UTO<<<<<<<<<<6", 0}, /* 29 */
		/* 8*/ {RECEIPT, 0},
		/* 9*/ {"", 0},
		/*10*/ {"123456789012345678901234567890", 1},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(hid_mrz_wants_more((const uint8_t *)data[i].buf, strlen(data[i].buf)),
			 data[i].want, i);
	}
}

static void test_layouts(void)
{
	static const struct item {
		const char *name;
		const char *want; /* hid_layout_name, "" for not found */
	} data[] = {
		/* 0*/ {"us", "us"},
		/* 1*/ {"sv", "sv"},
		/* 2*/ {"de", ""},
		/* 3*/ {"", ""},
		/* 4*/ {NULL, ""},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		const struct hid_layout *l = hid_layout_find(data[i].name);
		KT_STREQ(l ? hid_layout_name(l) : "", data[i].want, i);
	}
}

/* Usage pages in report descriptors: a touchscreen (Digitizer page) is
 * told from a HID POS scanner (page 0x8C) and a vendor-page scanner; data
 * bytes that look like a Usage Page prefix are skipped as data. */
static void test_report_pages(void)
{
	static const struct item {
		const char *what;
		uint8_t desc[48];
		size_t n;
		uint16_t page;
		bool want;
	} data[] = {
		/* 0*/ {"touchscreen, digitizer page", {0x05, 0x0D, 0x09, 0x04, 0xA1, 0x01, 0x85, 0x02,
			0x09, 0x22, 0xA1, 0x02, 0x09, 0x42, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95,
			0x01, 0x81, 0x02, 0xC0, 0xC0}, 26, HID_PAGE_DIGITIZER, true},
		/* 1*/ {"HID POS scanner, page 0x8C", {0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01, 0x85,
			0x02, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x3F, 0x81, 0x02, 0xC0},
			21, HID_PAGE_DIGITIZER, false},
		/* 2*/ {"the POS page itself", {0x06, 0x8C, 0x00, 0x09, 0x02}, 5, 0x8C, true},
		/* 3*/ {"vendor page 0xFF00 scanner", {0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x15,
			0x0D, 0x75, 0x08, 0x81, 0x02, 0xC0}, 14, HID_PAGE_DIGITIZER, false},
		/* 4*/ {"0x05 0x0D as a Logical Maximum's data", {0x05, 0x01, 0x26, 0x05, 0x0D, 0xC0},
			6, HID_PAGE_DIGITIZER, false},
		/* 5*/ {"after a long item", {0xFE, 0x02, 0x10, 0x05, 0x0D, 0x05, 0x0D}, 7,
			HID_PAGE_DIGITIZER, true},
		/* 6*/ {"inside a long item only", {0xFE, 0x02, 0x10, 0x05, 0x0D}, 5,
			HID_PAGE_DIGITIZER, false},
		/* 7*/ {"4-byte usage page", {0x07, 0x0D, 0x00, 0x00, 0x00}, 5, HID_PAGE_DIGITIZER,
			true},
		/* 8*/ {"truncated usage page", {0x06, 0x0D}, 2, HID_PAGE_DIGITIZER, false},
		/* 9*/ {"empty", {0}, 0, HID_PAGE_DIGITIZER, false},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		bool got = hid_report_has_page(data[i].desc, data[i].n, data[i].page);
		KT_CHECK(got == data[i].want, "i:%d %s: %s", i, data[i].what,
			 got ? "found" : "not found");
	}
}

KT_MAIN(KT_FUNC(test_keyboard), KT_FUNC(test_keyboard_lines), KT_FUNC(test_keyboard_overflow),
	KT_FUNC(test_pos), KT_FUNC(test_pos_overflow), KT_FUNC(test_mrz_framing),
	KT_FUNC(test_layouts), KT_FUNC(test_report_pages))
