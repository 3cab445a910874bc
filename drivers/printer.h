/* Receipt printers: "print these bytes" and "what is your status". The
 * app builds ESC/POS bytes with escpos.h; each transport delivers them. */
#ifndef KIOSK_DRIVERS_PRINTER_H
#define KIOSK_DRIVERS_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

/* Real-time status (DLE EOT), as far as the transport can tell. */
struct printer_status {
	bool online;
	bool paper_out;
	bool paper_near_end;
	bool cover_open;
	bool known;               /* false when the transport cannot ask */
};

struct printer;

/* Open by spec: auto | usb | usb:VID:PID | file:PATH | png:DIR | none.
 * paper_dots: 576 (80 mm) or 384 (58 mm). `auto` falls back to none when
 * no USB printer is attached. Close with printer_destroy. */
int printer_create(struct printer **out, const char *spec, int paper_dots,
		   struct kiosk_why *why);
void printer_destroy(struct printer *p);

/* Print one document of ESC/POS bytes. Checks status before and after;
 * paper out / cover open / offline / unplugged -> KIOSK_EDEVICE with the
 * reason. May block up to a few seconds: call from a worker, not the UI. */
int printer_print(struct printer *p, const uint8_t *bytes, size_t len, struct kiosk_why *why);
int printer_status(struct printer *p, struct printer_status *st, struct kiosk_why *why);

/* Spec kind: "none" printers accept nothing (the UI shows the receipt). */
bool printer_is_none(const struct printer *p);

/* Paper width in dots the printer was opened with (576 or 384). */
int printer_paper_dots(const struct printer *p);

/* Transport name: "usb", "file", "png" or "none" (auto resolves to usb or
 * none). */
const char *printer_kind(const struct printer *p);

/* The status read after the last successful print (known false when the
 * transport cannot ask), e.g. to warn staff that the paper is nearly out. */
void printer_last_status(const struct printer *p, struct printer_status *st);

/* One sentence for the worst problem in st that stops printing (offline,
 * cover open, paper out), or NULL when it can print. */
const char *printer_status_problem(const struct printer_status *st);

/* Render ESC/POS bytes (as escpos.c makes them) to a PNG at path, one dot
 * a pixel, paper_dots wide: what png:DIR writes for each print, and an
 * on-screen preview. Refuses to overwrite path (KIOSK_EEXIST). */
int printer_render_png(const uint8_t *bytes, size_t len, int paper_dots, const char *path,
		       struct kiosk_why *why);

/* Decode the DLE EOT replies (n = 1 printer, 2 offline cause, 4 paper
 * sensor) into st. false when a reply is not a status byte (bits 0, 1, 4
 * and 7 are fixed as 0, 1, 1, 0). Pure; exposed for tests. */
bool printer_status_decode(uint8_t printer, uint8_t offline, uint8_t paper,
			   struct printer_status *st);

/* Is VID:PID an ESC/POS printer the usb and auto specs know by its ids
 * (besides any device with a USB printer-class interface)? */
bool printer_usb_known(uint16_t vid, uint16_t pid);

#endif
