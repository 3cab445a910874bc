/* ICAO 9303 machine readable zones (TD1 ID cards, TD2, TD3 passports):
 * the part of scan_parse that reads the text printed at the bottom of an
 * identity document. Pure functions; the caller passes today's date. */
#ifndef KIOSK_DOMAIN_MRZ_H
#define KIOSK_DOMAIN_MRZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "domain/scan.h"

/* Does text[0..len) look like an MRZ attempt (so a failure is reported as
 * a broken ID document rather than an unknown code)? */
bool mrz_candidate(const char *text, size_t len);

/* Parse an MRZ: lines separated by CR, LF, CRLF or nothing. Returns 0 and
 * fills out, or KIOSK_EINVAL with one sentence in err naming the field
 * that failed. */
int mrz_parse(const char *text, size_t len, int64_t today, struct scan_id_document *out,
	      char *err, size_t errlen);

/* ICAO check digit (weights 7 3 1; A=10 .. Z=35; '<' = 0) of s[0..n), or
 * -1 when s holds a character outside the MRZ set. */
int mrz_check_digit(const char *s, size_t n);

/* Luhn (mod 10) check over n digits, the last being the check digit, as
 * Swedish personal numbers use it over YYMMDDNNN + check. */
bool luhn_valid(const char *digits, size_t n);

#endif
