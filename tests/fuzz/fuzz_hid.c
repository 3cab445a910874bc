/* libFuzzer target for the HID report decoder (drivers/hid_decode): any
 * sequence of reports, of any length, at any times, through the keyboard
 * decoder (US or Swedish) or the HID POS reassembler, and the raw bytes
 * through the MRZ line framing; the whole input also as a HID report
 * descriptor (hid_report_has_page).
 *
 * Input: byte 0 picks the decoder (bit 0: POS, bit 1: Swedish); then
 * records of [length][milliseconds since the last report][report bytes].
 *
 * Besides the sanitizers it checks what the scanner thread relies on: an
 * output is a scan with 1..HID_MAX_PAYLOAD bytes, or an error with one
 * printable sentence; a symbology is "" or "]xy"; a keyboard scan is valid
 * UTF-8 (it is built from layout-table text only). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/hid_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond)
{
	if (!cond)
		abort();
}

static int utf8_valid(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!len || i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static void check(const struct hid_decoder *d, const struct hid_output *o)
{
	switch (o->kind) {
	case HID_OUT_NONE:
		return;
	case HID_OUT_SCAN:
		must(o->len >= 1 && o->len <= HID_MAX_PAYLOAD);
		must(o->symbology[0] == '\0' ||
		     (o->symbology[0] == ']' && strlen(o->symbology) == 3));
		if (d->kind == HID_KIND_KEYBOARD)
			must(utf8_valid(o->payload, o->len));
		return;
	case HID_OUT_ERROR: {
		size_t n = strnlen(o->why, sizeof o->why);
		must(n > 0 && n < sizeof o->why);
		for (size_t i = 0; i < n; i++)
			must((unsigned char)o->why[i] >= 0x20 && o->why[i] != 0x7f);
		return;
	}
	}
	must(0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* the same bytes as a report descriptor (usb: classification) */
	(void)hid_report_has_page(data, size, HID_PAGE_DIGITIZER);
	static struct hid_decoder d;
	static struct hid_output o;
	hid_decoder_init(&d, data[0] & 1 ? HID_KIND_POS : HID_KIND_KEYBOARD,
			 hid_layout_find(data[0] & 2 ? "sv" : "us"));
	int64_t ms = 0;
	size_t i = 1;
	while (i + 2 <= size) {
		size_t len = data[i];
		ms += data[i + 1];
		i += 2;
		if (len > size - i)
			len = size - i;
		hid_decoder_tick(&d, ms, &o);
		check(&d, &o);
		hid_decoder_feed(&d, data + i, len, ms, &o);
		check(&d, &o);
		must(d.len <= sizeof d.buf);
		i += len;
	}
	hid_decoder_tick(&d, ms + HID_REPORT_GAP_MS + 1, &o);
	check(&d, &o);
	must(!hid_decoder_pending(&d));
	(void)hid_mrz_wants_more(data, size);
	return 0;
}
