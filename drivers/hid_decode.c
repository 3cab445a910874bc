/* HID report decoding for scanners (see hid_decode.h): keyboard layout
 * tables, the boot-keyboard typing decoder and the HID POS reassembler. */
#include "drivers/hid_decode.h"

#include "core/wipe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- keyboard layouts ------------------------------------------------ */

enum { LV_PLAIN, LV_SHIFT, LV_ALTGR, LV_COUNT };

/* One key: the UTF-8 text it types at each level (NULL: nothing there);
 * dead marks levels that are dead keys (accent waiting for the next key). */
struct hid_key {
	uint8_t usage;
	const char *text[LV_COUNT];
	uint8_t dead; /* bit per level */
};

struct hid_layout {
	const char *name;
	const struct hid_key *keys; /* looked up first */
	size_t n_keys;
	const struct hid_layout *base; /* then here (NULL: none) */
};

#define DEAD(lv) (uint8_t)(1u << (lv))
#define K(u, ...) {.usage = (u), .text = {__VA_ARGS__}}
#define KD(u, d, ...) {.usage = (u), .text = {__VA_ARGS__}, .dead = (d)}

/* USB HID Usage Tables 1.12, chapter 10 (Keyboard/Keypad page 0x07), US
 * engraving. Letters and Enter/Tab/Space are shared by all layouts here. */
static const struct hid_key us_keys[] = {
	K(0x1e, "1", "!"), K(0x1f, "2", "@"), K(0x20, "3", "#"), K(0x21, "4", "$"),
	K(0x22, "5", "%"), K(0x23, "6", "^"), K(0x24, "7", "&"), K(0x25, "8", "*"),
	K(0x26, "9", "("), K(0x27, "0", ")"),
	K(0x2b, "\t", "\t"), K(0x2c, " ", " "),
	K(0x2d, "-", "_"), K(0x2e, "=", "+"), K(0x2f, "[", "{"), K(0x30, "]", "}"),
	K(0x31, "\\", "|"), K(0x32, "#", "~"), K(0x33, ";", ":"), K(0x34, "'", "\""),
	K(0x35, "`", "~"), K(0x36, ",", "<"), K(0x37, ".", ">"), K(0x38, "/", "?"),
	/* keypad (scanners set to "keypad digits") */
	K(0x54, "/", "/"), K(0x55, "*", "*"), K(0x56, "-", "-"), K(0x57, "+", "+"),
	K(0x59, "1", "1"), K(0x5a, "2", "2"), K(0x5b, "3", "3"), K(0x5c, "4", "4"),
	K(0x5d, "5", "5"), K(0x5e, "6", "6"), K(0x5f, "7", "7"), K(0x60, "8", "8"),
	K(0x61, "9", "9"), K(0x62, "0", "0"), K(0x63, ".", "."),
	K(0x64, "\\", "|"),
};

/* Swedish (SE/FI) layout as xkb "se" and Windows "Swedish" engrave it:
 * only the keys that differ from US. */
static const struct hid_key sv_keys[] = {
	K(0x1f, "2", "\"", "@"), K(0x20, "3", "#", "\xc2\xa3"),
	K(0x21, "4", "\xc2\xa4", "$"), K(0x22, "5", "%", "\xe2\x82\xac"),
	K(0x23, "6", "&"), K(0x24, "7", "/", "{"), K(0x25, "8", "(", "["),
	K(0x26, "9", ")", "]"), K(0x27, "0", "=", "}"),
	K(0x2d, "+", "?", "\\"),
	KD(0x2e, DEAD(LV_PLAIN) | DEAD(LV_SHIFT), "\xc2\xb4", "`"),
	K(0x2f, "\xc3\xa5", "\xc3\x85"),                                   /* å Å */
	KD(0x30, DEAD(LV_PLAIN) | DEAD(LV_SHIFT) | DEAD(LV_ALTGR), "\xc2\xa8", "^", "~"),
	K(0x31, "'", "*"), K(0x32, "'", "*"),
	K(0x33, "\xc3\xb6", "\xc3\x96"),                                   /* ö Ö */
	K(0x34, "\xc3\xa4", "\xc3\x84"),                                   /* ä Ä */
	K(0x35, "\xc2\xa7", "\xc2\xbd"),                                   /* § ½ */
	K(0x36, ",", ";"), K(0x37, ".", ":"), K(0x38, "-", "_"),
	K(0x64, "<", ">", "|"),
};

static const struct hid_layout layout_us = {"us", us_keys, sizeof us_keys / sizeof us_keys[0],
					    NULL};
static const struct hid_layout layout_sv = {"sv", sv_keys, sizeof sv_keys / sizeof sv_keys[0],
					    &layout_us};

static const struct hid_layout *const layouts[] = {&layout_us, &layout_sv};

const struct hid_layout *hid_layout_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof layouts / sizeof layouts[0]; i++)
		if (!strcmp(layouts[i]->name, name))
			return layouts[i];
	return NULL;
}

const char *hid_layout_name(const struct hid_layout *l)
{
	return l ? l->name : layout_us.name;
}

static const struct hid_key *layout_key(const struct hid_layout *l, uint8_t usage)
{
	for (; l; l = l->base)
		for (size_t i = 0; i < l->n_keys; i++)
			if (l->keys[i].usage == usage)
				return &l->keys[i];
	return NULL;
}

/* Boot keyboard report bytes and usages (HID 1.11 appendix B). */
enum {
	KBD_MOD_LCTRL = 0x01, KBD_MOD_LSHIFT = 0x02, KBD_MOD_LALT = 0x04,
	KBD_MOD_RCTRL = 0x10, KBD_MOD_RSHIFT = 0x20, KBD_MOD_RALT = 0x40,
	KBD_USAGE_ROLLOVER = 0x01, KBD_USAGE_A = 0x04, KBD_USAGE_Z = 0x1d,
	KBD_USAGE_ENTER = 0x28, KBD_USAGE_SPACE = 0x2c, KBD_USAGE_KP_ENTER = 0x58,
};

/* Ctrl + key (US positions): how keyboard-mode scanners type control
 * characters, e.g. GS (0x1d) as Ctrl+] between GS1 fields. */
static const struct { uint8_t usage; uint8_t byte; } ctrl_keys[] = {
	{0x2f, 0x1b}, {0x31, 0x1c}, {0x30, 0x1d}, {0x23, 0x1e}, {0x2d, 0x1f},
};

/* ---- HID POS --------------------------------------------------------- */

/* The decoded-data input report of scanners in HID POS mode (usage page
 * 0x8C), as Honeywell documents it for its "HID POS" interface and as the
 * Windows barcode-scanner class driver expects: report ID 2, a length
 * byte, the 3-byte AIM symbology identifier, up to 56 data bytes, and bit 0
 * of the last byte set when more reports of the same scan follow. The
 * report descriptor is not read (that needs a control transfer); devices
 * using another layout need their own row and a table entry in
 * scanner_usb.c. */
static const struct hid_pos_format {
	uint8_t report_id;
	size_t len_at, aim_at, data_at, data_max, more_at;
	uint8_t more_mask;
} hid_pos_format = {0x02, 1, 2, 5, 56, 63, 0x01};

static const char *const hid_kind_names[] = {
	[HID_KIND_KEYBOARD] = "keyboard",
	[HID_KIND_POS] = "pos",
};

const char *hid_kind_name(enum hid_kind k)
{
	return (unsigned)k < sizeof hid_kind_names / sizeof hid_kind_names[0] ? hid_kind_names[k]
									       : "?";
}

int hid_kind_parse(const char *word, enum hid_kind *k)
{
	for (size_t i = 0; i < sizeof hid_kind_names / sizeof hid_kind_names[0]; i++)
		if (!strcmp(word, hid_kind_names[i])) {
			*k = (enum hid_kind)i;
			return 0;
		}
	return -1;
}

/* ---- decoder --------------------------------------------------------- */

void hid_decoder_init(struct hid_decoder *d, enum hid_kind kind, const struct hid_layout *layout)
{
	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->layout = layout ? layout : &layout_us;
}

bool hid_decoder_pending(const struct hid_decoder *d)
{
	return d->active;
}

static void out_clear(struct hid_output *out)
{
	out->kind = HID_OUT_NONE;
	out->len = 0;
	out->symbology[0] = '\0';
	out->why[0] = '\0';
}

static void payload_forget(struct hid_decoder *d)
{
	mem_wipe(d->buf, d->len); /* a payload may be an ID's MRZ */
	d->len = 0;
	d->active = false;
	d->overflow = false;
	d->bad = false;
	d->bad_why[0] = '\0';
	d->dead[0] = '\0';
	d->symbology[0] = '\0';
}

/* Drop the partial payload and say why. */
__attribute__((format(printf, 3, 4))) static void drop(struct hid_decoder *d,
						       struct hid_output *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_clear(out);
	out->kind = HID_OUT_ERROR;
	vsnprintf(out->why, sizeof out->why, fmt, ap);
	va_end(ap);
	payload_forget(d);
}

/* Mark the payload as garbage; it is dropped (with this reason) at its end. */
__attribute__((format(printf, 2, 3))) static void spoil(struct hid_decoder *d, const char *fmt,
							...)
{
	if (d->bad)
		return; /* keep the first reason */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->bad_why, sizeof d->bad_why, fmt, ap);
	va_end(ap);
	d->bad = true;
}

static void append(struct hid_decoder *d, const void *bytes, size_t n)
{
	d->active = true;
	if (d->overflow || d->len + n > sizeof d->buf) {
		d->overflow = true;
		return;
	}
	memcpy(d->buf + d->len, bytes, n);
	d->len += n;
}

/* The payload ended normally: deliver it, or drop it if it went bad. */
static void finish(struct hid_decoder *d, struct hid_output *out)
{
	if (d->overflow) {
		drop(d, out, "scan dropped: longer than %d bytes", HID_MAX_PAYLOAD);
		return;
	}
	if (d->bad) {
		drop(d, out, "scan dropped: %s", d->bad_why);
		return;
	}
	out_clear(out);
	out->kind = HID_OUT_SCAN;
	out->len = d->len;
	memcpy(out->payload, d->buf, d->len);
	memcpy(out->symbology, d->symbology, sizeof out->symbology);
	payload_forget(d);
}

void hid_decoder_tick(struct hid_decoder *d, int64_t now_ms, struct hid_output *out)
{
	out_clear(out);
	if (!d->active || now_ms - d->last_ms <= HID_REPORT_GAP_MS)
		return;
	if (d->kind == HID_KIND_POS)
		drop(d, out, "scan cut off: no report for %d ms after %zu bytes", HID_REPORT_GAP_MS,
		     d->len);
	else
		drop(d, out, "scan dropped: %zu bytes typed, then %d ms without the final Enter",
		     d->len, HID_REPORT_GAP_MS);
}

/* Text for one newly pressed key, or NULL when the key means nothing. */
static const char *key_text(const struct hid_decoder *d, uint8_t mods, uint8_t usage,
			    char scratch[2], bool *dead)
{
	bool shift = mods & (KBD_MOD_LSHIFT | KBD_MOD_RSHIFT);
	bool ctrl = mods & (KBD_MOD_LCTRL | KBD_MOD_RCTRL);
	*dead = false;
	if (mods & KBD_MOD_LALT)
		return NULL; /* Alt+keypad character codes are not decoded */
	if (ctrl) {
		scratch[1] = '\0';
		if (usage >= KBD_USAGE_A && usage <= KBD_USAGE_Z) {
			scratch[0] = (char)(usage - KBD_USAGE_A + 1);
			return scratch;
		}
		for (size_t i = 0; i < sizeof ctrl_keys / sizeof ctrl_keys[0]; i++)
			if (ctrl_keys[i].usage == usage) {
				scratch[0] = (char)ctrl_keys[i].byte;
				return scratch;
			}
		return NULL;
	}
	if (usage >= KBD_USAGE_A && usage <= KBD_USAGE_Z && !(mods & KBD_MOD_RALT)) {
		scratch[0] = (char)((shift ? 'A' : 'a') + (usage - KBD_USAGE_A));
		scratch[1] = '\0';
		return scratch;
	}
	const struct hid_key *k = layout_key(d->layout, usage);
	if (!k)
		return NULL;
	int lv = (mods & KBD_MOD_RALT) ? LV_ALTGR : shift ? LV_SHIFT : LV_PLAIN;
	*dead = k->dead & DEAD(lv);
	return k->text[lv];
}

static void kbd_press(struct hid_decoder *d, uint8_t mods, uint8_t usage, int64_t now_ms,
		      struct hid_output *out)
{
	if (usage == KBD_USAGE_ENTER || usage == KBD_USAGE_KP_ENTER) {
		if (!d->active)
			return; /* an empty line is no scan */
		if (d->dead[0])
			append(d, d->dead, strlen(d->dead));
		d->dead[0] = '\0';
		if (!d->overflow && !d->bad && hid_mrz_wants_more(d->buf, d->len)) {
			append(d, "\r", 1);
			return;
		}
		finish(d, out);
		return;
	}
	char scratch[2];
	bool dead;
	const char *t = key_text(d, mods, usage, scratch, &dead);
	d->active = true;
	d->last_ms = now_ms;
	if (!t) {
		spoil(d, "key usage 0x%02x (modifiers 0x%02x) is not in the %s layout", usage,
		      mods, d->layout->name);
		return;
	}
	/* A dead key followed by Space types the accent itself (how scanners
	 * send ^ ` ~ on layouts where they are dead); followed by another key,
	 * the accent is kept as typed and the key follows. */
	if (d->dead[0]) {
		append(d, d->dead, strlen(d->dead));
		d->dead[0] = '\0';
		if (usage == KBD_USAGE_SPACE)
			return;
	}
	if (dead) {
		snprintf(d->dead, sizeof d->dead, "%s", t);
		return;
	}
	append(d, t, strlen(t));
}

static void kbd_feed(struct hid_decoder *d, const uint8_t *r, size_t len, int64_t now_ms,
		     struct hid_output *out)
{
	if (len != HID_KBD_REPORT_SIZE) {
		drop(d, out, "keyboard report of %zu bytes ignored (expected %d)", len,
		     HID_KBD_REPORT_SIZE);
		memset(d->prev_keys, 0, sizeof d->prev_keys);
		return;
	}
	const uint8_t *keys = r + 2;
	if (keys[0] == KBD_USAGE_ROLLOVER) {
		drop(d, out, "keyboard reported a key rollover error");
		return;
	}
	if (d->active)
		d->last_ms = now_ms;
	for (int i = 0; i < 6; i++) {
		if (!keys[i] || memchr(d->prev_keys, keys[i], sizeof d->prev_keys))
			continue;
		/* out is written only when a scan ends or is dropped */
		kbd_press(d, r[0], keys[i], now_ms, out);
	}
	memcpy(d->prev_keys, keys, sizeof d->prev_keys);
}

static void pos_feed(struct hid_decoder *d, const uint8_t *r, size_t len, int64_t now_ms,
		     struct hid_output *out)
{
	const struct hid_pos_format *f = &hid_pos_format;
	if (len != HID_POS_REPORT_SIZE) {
		drop(d, out, "HID POS report of %zu bytes ignored (expected %d)", len,
		     HID_POS_REPORT_SIZE);
		return;
	}
	if (r[0] != f->report_id) {
		drop(d, out, "HID POS report id 0x%02x is not decoded data", r[0]);
		return;
	}
	size_t n = r[f->len_at];
	if (n > f->data_max) {
		drop(d, out, "HID POS report claims %zu data bytes, at most %zu fit", n,
		     f->data_max);
		return;
	}
	if (!d->active && r[f->aim_at] == ']' && r[f->aim_at + 1] > ' ' && r[f->aim_at + 1] < 0x7f &&
	    r[f->aim_at + 2] > ' ' && r[f->aim_at + 2] < 0x7f)
		memcpy(d->symbology, r + f->aim_at, 3), d->symbology[3] = '\0';
	append(d, r + f->data_at, n);
	d->last_ms = now_ms;
	if (r[f->more_at] & f->more_mask)
		return;
	if (d->len == 0 && !d->overflow) {
		drop(d, out, "HID POS scan with no data");
		return;
	}
	finish(d, out);
}

void hid_decoder_feed(struct hid_decoder *d, const uint8_t *report, size_t len, int64_t now_ms,
		      struct hid_output *out)
{
	out_clear(out);
	if (d->kind == HID_KIND_POS)
		pos_feed(d, report, len, now_ms, out);
	else
		kbd_feed(d, report, len, now_ms, out);
}

/* ---- MRZ line framing -------------------------------------------------- */

/* ICAO 9303: lines per document for each line width. */
static const struct { size_t width; int lines; } mrz_shapes[] = {
	{30, 3}, /* TD1 (ID card) */
	{36, 2}, /* TD2 */
	{44, 2}, /* TD3 (passport) */
};

static bool mrz_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}

bool hid_mrz_wants_more(const uint8_t *buf, size_t len)
{
	size_t width = 0;
	int lines = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\r' && buf[i] != '\n') {
			if (!mrz_char(buf[i]))
				return false;
			continue;
		}
		size_t w = i - start;
		if (lines > 0 && w != width)
			return false;
		width = w;
		lines++;
		start = i + 1;
	}
	for (size_t s = 0; s < sizeof mrz_shapes / sizeof mrz_shapes[0]; s++)
		if (mrz_shapes[s].width == width)
			return lines < mrz_shapes[s].lines;
	return false;
}

/* HID 1.11 6.2.2.2: a short item is a prefix byte (bSize in bits 0-1, 3
 * meaning 4 bytes; bType in 2-3; bTag in 4-7) and its data; 0xFE starts a
 * long item (data size, tag, data). Usage Page is global item tag 0. */
#define HID_ITEM_LONG 0xFE
#define HID_ITEM_USAGE_PAGE 0x04 /* tag 0, type global, size bits clear */

bool hid_report_has_page(const uint8_t *desc, size_t n, uint16_t page)
{
	static const size_t data_size[4] = {0, 1, 2, 4};
	size_t i = 0;
	while (i < n) {
		uint8_t prefix = desc[i];
		if (prefix == HID_ITEM_LONG) {
			if (n - i < 3)
				return false;
			i += 3 + (size_t)desc[i + 1];
			continue;
		}
		size_t len = data_size[prefix & 3];
		if (n - i - 1 < len)
			return false;
		if ((prefix & ~3u) == HID_ITEM_USAGE_PAGE && len > 0) {
			uint32_t v = 0;
			for (size_t k = len; k-- > 0;)
				v = v << 8 | desc[i + 1 + k];
			if ((v & 0xFFFF) == page)
				return true;
		}
		i += 1 + len;
	}
	return false;
}
