/* ESC/POS encoder: pure byte building, no I/O. Commands follow the Epson
 * ESC/POS reference as implemented by TM-T20/T88-class and most compatible
 * 80/58 mm thermal printers. Text is converted from UTF-8 to the selected
 * code page; codes are sent as GS v 0 raster so any printer prints them. */
#ifndef KIOSK_DRIVERS_ESCPOS_H
#define KIOSK_DRIVERS_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "domain/case_receipt.h"
#include "drivers/codepage.h"
#include "drivers/raster.h"

/* Rows per GS v 0 command: printers with small receive buffers take a tall
 * image in bands; 128 rows of 72 bytes is 9 KiB, within what TM-T20 and
 * common clones accept in one command. */
#define ESCPOS_RASTER_BAND 128

/* A growing byte buffer. An allocation failure sets failed; later calls do
 * nothing and escpos_finish reports it, so callers check once. */
struct escpos {
	uint8_t *data;     /* owned; escpos_free */
	size_t len;
	size_t cap;
	bool failed;
	const struct codepage *cp;
};

void escpos_begin(struct escpos *e);
void escpos_free(struct escpos *e);
/* 0, or KIOSK_ENOMEM if any append failed. */
int escpos_finish(const struct escpos *e, struct kiosk_why *why);

void escpos_bytes(struct escpos *e, const void *b, size_t n);
void escpos_init(struct escpos *e);                  /* ESC @ */
void escpos_codepage(struct escpos *e, const struct codepage *cp); /* ESC t n */
void escpos_text(struct escpos *e, const char *utf8); /* converted to e->cp */
void escpos_newline(struct escpos *e);               /* LF */
void escpos_bold(struct escpos *e, bool on);         /* ESC E n */
void escpos_size(struct escpos *e, int w, int h);    /* GS ! n, 1..8 each */
void escpos_align(struct escpos *e, enum doc_align a); /* ESC a n */
void escpos_feed(struct escpos *e, int lines);       /* ESC d n */
void escpos_cut(struct escpos *e);                   /* GS V 66 0: feed to the cutter, cut */
void escpos_raster(struct escpos *e, const struct raster *r); /* GS v 0 in bands */

/* A whole document: init, CP858, the items with style changes only where
 * the style changes, the codes as raster, feed and cut. The caller frees
 * out with escpos_free. */
int escpos_encode_doc(const struct receipt_doc *d, struct escpos *out, struct kiosk_why *why);

#endif
