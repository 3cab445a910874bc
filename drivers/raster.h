/* Codes as printer rasters: zint makes the symbol, this module turns it into
 * a 1-bit bitmap whose modules are whole printer dots (a QR module of 5.5
 * dots would print as uneven bars and may not scan). */
#ifndef KIOSK_DRIVERS_RASTER_H
#define KIOSK_DRIVERS_RASTER_H

#include <stdint.h>
#include "core/err.h"

/* 1 bit a dot, rows of `stride` bytes, most significant bit leftmost,
 * 1 = black: the layout of ESC/POS GS v 0. */
struct raster {
	int width;
	int height;
	int stride;
	uint8_t *bits;   /* owned; raster_free */
};

enum raster_kind { RASTER_QR, RASTER_CODE128 };

/* Render payload as a code at most max_width dots wide (quiet zone
 * included). KIOSK_EINVAL when zint refuses the payload or it cannot fit. */
int raster_code(struct raster *out, enum raster_kind kind, const char *payload, int max_width,
		struct kiosk_why *why);
/* An empty raster of w x h (all white). */
int raster_alloc(struct raster *out, int w, int h);
void raster_free(struct raster *r);

static inline int raster_get(const struct raster *r, int x, int y)
{
	return (r->bits[y * r->stride + (x >> 3)] >> (7 - (x & 7))) & 1;
}
static inline void raster_set(struct raster *r, int x, int y)
{
	r->bits[y * r->stride + (x >> 3)] |= (uint8_t)(0x80 >> (x & 7));
}

#endif
