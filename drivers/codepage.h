/* UTF-8 -> single-byte printer code pages. Receipt printers print text in
 * an 8-bit code page chosen with ESC t n; the app speaks UTF-8. This module
 * converts one way (for the encoder) and the other (for the PNG renderer,
 * which reads the same bytes a printer would). Pure: no I/O. */
#ifndef KIOSK_DRIVERS_CODEPAGE_H
#define KIOSK_DRIVERS_CODEPAGE_H

#include <stddef.h>
#include <stdint.h>
#include "domain/utf8.h"

struct codepage {
	const char *name;        /* "CP858" */
	uint8_t escpos_n;        /* the n of ESC t n on Epson-compatible printers */
	uint16_t high[128];      /* Unicode of bytes 0x80..0xFF */
};

/* CP858: CP850 with the euro sign at 0xD5; has å ä ö Å Ä Ö é €. */
extern const struct codepage codepage_cp858;

/* Bytes for one character in page cp: the byte itself, or a transliteration
 * (" for curly quotes, - for dashes, "..." for an ellipsis), else "?".
 * Writes at most CODEPAGE_MAX_SUBST bytes to out; returns the count. */
#define CODEPAGE_MAX_SUBST 4
size_t codepage_encode_char(const struct codepage *cp, uint32_t u, uint8_t *out);
/* Unicode of byte b in page cp (bytes below 0x80 are ASCII). */
uint32_t codepage_decode_byte(const struct codepage *cp, uint8_t b);

#endif
