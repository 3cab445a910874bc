/* Civil dates and instants, pure arithmetic (no clock, no time zone
 * database). A date is days since 1970-01-01; an instant is unix seconds
 * plus the UTC offset it was expressed in, so it prints as it was given. */
#ifndef KIOSK_CORE_DATE_H
#define KIOSK_CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct kiosk_time {
	int64_t unix_s;   /* seconds since 1970-01-01T00:00:00Z */
	int offset_min;   /* UTC offset used for local dates and printing */
};

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant). */
int64_t date_days_from_civil(int y, int m, int d);
void date_civil_from_days(int64_t days, int *y, int *m, int *d);
bool date_valid(int y, int m, int d);

/* Local calendar day (days since epoch) of an instant, in its own offset. */
int64_t time_local_days(struct kiosk_time t);

/* "YYYY-MM-DD" of a day number into buf (>= 11 bytes). */
void date_format(int64_t days, char *buf, size_t len);
/* Parse "YYYY-MM-DD"; 0 ok, negative when malformed or not a real date. */
int date_parse(const char *s, int64_t *days);

/* ISO 8601 with offset: "2026-11-23T10:00:00+01:00" (also Z, and seconds
 * optional). 0 ok, negative when malformed. */
int time_parse_iso(const char *s, struct kiosk_time *out);
/* Format as ISO 8601 with the instant's offset into buf (>= 26 bytes). */
void time_format_iso(struct kiosk_time t, char *buf, size_t len);

#endif
