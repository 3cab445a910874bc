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

#endif
