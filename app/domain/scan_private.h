/* Helpers shared by the scan parser's files (scan.c, mrz.c, aamva.c);
 * not part of the public scan.h interface. */
#ifndef KIOSK_DOMAIN_SCAN_PRIVATE_H
#define KIOSK_DOMAIN_SCAN_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Write one sentence into err and return KIOSK_EINVAL. Callers never pass
 * scanned bytes as arguments: error texts hold only our own words and
 * numbers, so nothing raw reaches a terminal. */
int scan_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* n ASCII digits at s, as a number; -1 when one is not a digit. */
long scan_digits(const char *s, size_t n);

/* Copy s[0..n) into dst (cap bytes incl. NUL); false when it does not fit. */
bool scan_copy(char *dst, size_t cap, const char *s, size_t n);

#endif
