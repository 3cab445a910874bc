/* UTF-8, strictly: overlong forms, surrogates and values past U+10FFFF are
 * malformed. A malformed byte counts as one character (it prints as "?"),
 * so counting and printing always agree. Pure. */
#ifndef KIOSK_DOMAIN_UTF8_H
#define KIOSK_DOMAIN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one UTF-8 character from s[0..len). Returns the bytes used (>= 1
 * when len > 0); a malformed or truncated sequence gives U+FFFD and uses one
 * byte, so a caller always advances. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* ASCII for a character a single-byte printer page lacks ("\"" for curly
 * quotes, "-" for dashes, "..." for an ellipsis), or NULL. */
const char *utf8_fallback(uint32_t cp);
/* Columns cp takes on a receipt: 1, or the length of its fallback. */
int utf8_columns(uint32_t cp);
/* Columns a NUL-terminated string takes on a receipt. */
size_t utf8_width(const char *s);

#endif
