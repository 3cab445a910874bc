/* Scanners: every transport delivers complete payloads. A scanner runs
 * its own thread (or is fed by the UI for keyboard wedge) and never blocks
 * the caller; the app polls or is woken through the notify callback. */
#ifndef KIOSK_DRIVERS_SCANNER_H
#define KIOSK_DRIVERS_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

#define SCANNER_MAX_PAYLOAD 4096

enum scanner_event_kind {
	SCANNER_EV_SCAN,          /* a complete payload */
	SCANNER_EV_CONNECTED,     /* device found / replugged */
	SCANNER_EV_DISCONNECTED,  /* device unplugged or missing */
	SCANNER_EV_ERROR,         /* a garbage or over-long scan dropped; text says why */
};

struct scanner_event {
	enum scanner_event_kind kind;
	size_t len;
	uint8_t data[SCANNER_MAX_PAYLOAD]; /* payload (SCAN) or reason text (others) */
	char symbology[4];                 /* AIM identifier like "]Q1" when known */
};

struct scanner;

/* Called from the scanner's thread when an event is queued (e.g. to push an
 * SDL user event). May be NULL. */
typedef void (*scanner_notify_fn)(void *arg);

/* Open by spec: auto | usb | usb:VID:PID | keyboard | serial:DEV | fifo:PATH |
 * replay:FILE. `auto` and `usb` start even with no device attached and
 * report CONNECTED when one appears. Close with scanner_destroy. */
int scanner_create(struct scanner **out, const char *spec, scanner_notify_fn notify,
		   void *notify_arg, struct kiosk_why *why);
void scanner_destroy(struct scanner *s);

/* Take the next event without blocking: 1 when *ev was filled, 0 none. */
int scanner_poll(struct scanner *s, struct scanner_event *ev);
/* Wait up to timeout_ms for an event: 1 filled, 0 timeout. */
int scanner_wait(struct scanner *s, struct scanner_event *ev, int timeout_ms);

/* keyboard wedge: the UI hands typed text here; Enter ends a scan. */
bool scanner_wants_keyboard(const struct scanner *s);
void scanner_feed_text(struct scanner *s, const char *utf8);
void scanner_feed_enter(struct scanner *s);

/* Keyboard layout used to decode keyboard-mode USB scanners and replay
 * files: "us" (default) or "sv" (store config [scanner] layout). Can be
 * changed at any time. KIOSK_EINVAL with a reason for other names. */
int scanner_set_layout(struct scanner *s, const char *name, struct kiosk_why *why);

/* Write every HID report the USB scanner delivers to path (replaced), in
 * the replay:FILE format, so a real scanner's traffic can be captured once
 * and replayed in demos and tests. USB transports only (KIOSK_EINVAL for
 * others); KIOSK_EIO with a reason when path cannot be written. */
int scanner_record(struct scanner *s, const char *path, struct kiosk_why *why);

/* Is a device there now (always true for fifo/replay/keyboard)? */
bool scanner_connected(const struct scanner *s);

/* Is VID:PID a scanner the usb and auto specs take by its ids? */
bool scanner_usb_known(uint16_t vid, uint16_t pid);

#endif
