/* UTF-8 -> single-byte printer code pages. Receipt printers print text in
 * an 8-bit code page chosen with ESC t n; the app speaks UTF-8. This module
 * converts one way (for the encoder) and the other (for the PNG renderer,
 * which reads the same bytes a printer would). Pure: no I/O. */
#ifndef KIOSK_DRIVERS_CODEPAGE_H
#define KIOSK_DRIVERS_CODEPAGE_H

#include <stddef.h>
#include <stdint.h>

struct codepage {
	const char *name;        /* "CP858" */
	uint8_t escpos_n;        /* the n of ESC t n on Epson-compatible printers */
	uint16_t high[128];      /* Unicode of bytes 0x80..0xFF */
};

/* CP858: CP850 with the euro sign at 0xD5; has å ä ö Å Ä Ö é €. */
extern const struct codepage codepage_cp858;

/* Decode one UTF-8 character from s[0..len). Returns the bytes used (>= 1
 * when len > 0); a malformed or truncated sequence gives U+FFFD and uses one
 * byte, so a caller always advances. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Characters (not bytes) in a NUL-terminated UTF-8 string. */
size_t utf8_count(const char *s);
/* Byte offset of the n-th character (or strlen when shorter). */
size_t utf8_offset(const char *s, size_t n);
/* Encode cp as UTF-8 into out (>= 4 bytes); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);

/* Bytes for one character in page cp: the byte itself, or a transliteration
 * (" for curly quotes, - for dashes, "..." for an ellipsis), else "?".
 * Writes at most CODEPAGE_MAX_SUBST bytes to out; returns the count. */
#define CODEPAGE_MAX_SUBST 4
size_t codepage_encode_char(const struct codepage *cp, uint32_t u, uint8_t *out);
/* Unicode of byte b in page cp (bytes below 0x80 are ASCII). */
uint32_t codepage_decode_byte(const struct codepage *cp, uint8_t b);

#endif
