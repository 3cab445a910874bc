/* The printer driver API: one const struct printer_ops per transport (in
 * the manner of libusb's usbi_os_backend), chosen by printer.c from the
 * spec. Nothing outside drivers/printer*.c includes this. */
#ifndef KIOSK_DRIVERS_PRINTER_PRIVATE_H
#define KIOSK_DRIVERS_PRINTER_PRIVATE_H

#include "drivers/printer.h"

struct printer;

struct printer_ops {
	/* Spec kind this transport answers to ("usb", "file", ...). */
	const char *name;
	/* Mandatory. arg is the text after "kind:" ("" when none). Fills
	 * p->priv. KIOSK_ENOTFOUND from the usb transport means "no printer
	 * attached" (auto then falls back to none). */
	int (*open)(struct printer *p, const char *arg, struct kiosk_why *why);
	/* Optional. Frees p->priv. */
	void (*close)(struct printer *p);
	/* Mandatory. Deliver all of bytes or fail with the reason. */
	int (*write)(struct printer *p, const uint8_t *bytes, size_t len, struct kiosk_why *why);
	/* Optional: NULL when the transport cannot ask (status.known false).
	 * Fails only when the device cannot be reached at all. */
	int (*status)(struct printer *p, struct printer_status *st, struct kiosk_why *why);
};

struct printer {
	const struct printer_ops *ops;
	void *priv;
	int paper_dots;
	struct printer_status last;   /* status after the last print */
};

extern const struct printer_ops printer_usb_ops;
extern const struct printer_ops printer_file_ops;
extern const struct printer_ops printer_png_ops;
extern const struct printer_ops printer_none_ops;

/* ---- the ESC/POS renderer of png: (printer_png.c) -------------------- */

/* The receipt fonts, opened once; close with printer_png_fonts_close. */
struct png_fonts;
int printer_png_fonts_open(struct png_fonts **out, struct kiosk_why *why);
void printer_png_fonts_close(struct png_fonts *f);
/* Draw ESC/POS bytes on a paper_dots wide canvas in memory (nothing is
 * written); *height is the receipt's height in dots. An unknown or cut
 * command is refused with the reason. (Fuzzed: tests/fuzz/fuzz_escpos_png.c) */
int printer_png_interpret(const struct png_fonts *f, const uint8_t *bytes, size_t len,
			  int paper_dots, int *height, struct kiosk_why *why);

#endif
