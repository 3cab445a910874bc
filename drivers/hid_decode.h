/* HID report decoding for barcode/ID scanners: pure C, no I/O, no clock.
 * Report timestamps are passed in, so timeouts are decided the same way
 * for a live USB device, a replay file and a unit test.
 *
 * Two report families:
 *  - boot keyboard (8 bytes: modifiers, reserved, 6 key usages): a scanner
 *    in "keyboard mode" types its payload. Newly pressed keys become
 *    characters through a layout table (US default, Swedish); Enter ends a
 *    scan, except right after a line that is a non-final MRZ line, because
 *    ID readers type the 2-3 MRZ lines with Enter between them.
 *  - HID POS (usage page 0x8C) decoded-data reports: a payload spread over
 *    several fixed-size reports, each with a length byte, the AIM symbology
 *    identifier and a "more data follows" flag (layout in hid_decode.c).
 *
 * The decoder is fed one report at a time and says when a scan is complete
 * or was dropped (with a reason). */
#ifndef KIOSK_DRIVERS_HID_DECODE_H
#define KIOSK_DRIVERS_HID_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HID_MAX_PAYLOAD 4096
/* A partial payload with no report for this long is dropped. */
#define HID_REPORT_GAP_MS 100
/* Size of a HID POS decoded-data report. */
#define HID_POS_REPORT_SIZE 64
#define HID_KBD_REPORT_SIZE 8

enum hid_kind { HID_KIND_KEYBOARD, HID_KIND_POS };

/* "keyboard" / "pos" (the words of the replay file format). */
const char *hid_kind_name(enum hid_kind k);
/* 0 and *k set, or -1 for another word. */
int hid_kind_parse(const char *word, enum hid_kind *k);

struct hid_layout; /* a keyboard layout table, see hid_layout_find */

/* "us" or "sv"; NULL when unknown. */
const struct hid_layout *hid_layout_find(const char *name);
const char *hid_layout_name(const struct hid_layout *l);

enum hid_out_kind {
	HID_OUT_NONE,  /* nothing finished */
	HID_OUT_SCAN,  /* payload[0..len) complete, symbology filled when known */
	HID_OUT_ERROR, /* a scan or report dropped; why says why */
};

struct hid_output {
	enum hid_out_kind kind;
	size_t len;
	uint8_t payload[HID_MAX_PAYLOAD];
	char symbology[4]; /* "]Q1" or "" */
	char why[160];
};

struct hid_decoder {
	enum hid_kind kind;
	const struct hid_layout *layout;
	uint8_t prev_keys[6];      /* keyboard: keys down in the last report */
	uint8_t buf[HID_MAX_PAYLOAD];
	size_t len;
	bool active;               /* a payload is being collected */
	bool overflow;             /* too long: drop at its end */
	bool bad;                  /* garbage seen: drop at its end */
	char bad_why[120];
	char dead[4];              /* keyboard: pending dead key (UTF-8) */
	char symbology[4];
	int64_t last_ms;           /* time of the last report of this payload */
};

/* layout may be NULL (US). */
void hid_decoder_init(struct hid_decoder *d, enum hid_kind kind, const struct hid_layout *layout);

/* Feed one report received at now_ms. Call hid_decoder_tick(now_ms) first
 * so a timed-out partial payload is reported before this one starts.
 * Fills out (kind NONE when nothing finished). */
void hid_decoder_feed(struct hid_decoder *d, const uint8_t *report, size_t len, int64_t now_ms,
		      struct hid_output *out);
/* Time passes: a partial payload older than HID_REPORT_GAP_MS is dropped
 * with a reason. Fills out. */
void hid_decoder_tick(struct hid_decoder *d, int64_t now_ms, struct hid_output *out);
/* Is a partial payload pending (so the caller should tick)? */
bool hid_decoder_pending(const struct hid_decoder *d);

/* Line framing shared with the keyboard-wedge and serial transports: does
 * buf (lines so far, separated by '\r') end with a complete MRZ line after
 * which more MRZ lines must follow (TD1: 3x30, TD2: 2x36, TD3: 2x44)? */
bool hid_mrz_wants_more(const uint8_t *buf, size_t len);

/* HID usage pages the scanner driver looks for in a report descriptor. */
#define HID_PAGE_DIGITIZER 0x0D /* touchscreens and pens: never a scanner */

/* Whether a HID report descriptor (the device's bytes: outside input)
 * declares usage page `page` in a Usage Page item. Walks the items, short
 * and long, by their sizes; a truncated last item ends the walk. */
bool hid_report_has_page(const uint8_t *desc, size_t n, uint16_t page);

#endif
