/* Civil date arithmetic, after Howard Hinnant's days_from_civil. */
#include "core/date.h"

#include <stdio.h>
#include <string.h>

int64_t date_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void date_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

bool date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

int64_t time_local_days(struct kiosk_time t)
{
	int64_t s = t.unix_s + (int64_t)t.offset_min * 60;
	return (s >= 0 ? s : s - 86399) / 86400;
}

void date_format(int64_t days, char *buf, size_t len)
{
	int y, m, d;
	date_civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

static int parse_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int date_parse(const char *s, int64_t *days)
{
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    parse_digits(s, 4, &y) || parse_digits(s + 5, 2, &m) ||
	    parse_digits(s + 8, 2, &d) || !date_valid(y, m, d))
		return -1;
	*days = date_days_from_civil(y, m, d);
	return 0;
}

int time_parse_iso(const char *s, struct kiosk_time *out)
{
	int64_t days;
	int hh, mm, ss = 0, off = 0;
	char date[11];
	if (strlen(s) < 16 || s[10] != 'T')
		return -1;
	memcpy(date, s, 10);
	date[10] = 0;
	if (date_parse(date, &days) || parse_digits(s + 11, 2, &hh) || s[13] != ':' ||
	    parse_digits(s + 14, 2, &mm))
		return -1;
	const char *p = s + 16;
	if (*p == ':') {
		if (parse_digits(p + 1, 2, &ss))
			return -1;
		p += 3;
		if (*p == '.') /* fractional seconds are accepted and dropped */
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (parse_digits(p + 1, 2, &oh))
			return -1;
		const char *q = p + 3;
		if (*q == ':')
			q++;
		if (parse_digits(q, 2, &om) || oh > 14 || om > 59)
			return -1;
		off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
		p = q + 2;
	} else {
		return -1;
	}
	if (*p || hh > 23 || mm > 59 || ss > 60)
		return -1;
	out->offset_min = off;
	out->unix_s = days * 86400 + hh * 3600 + mm * 60 + ss - (int64_t)off * 60;
	return 0;
}

void time_format_iso(struct kiosk_time t, char *buf, size_t len)
{
	int64_t s = t.unix_s + (int64_t)t.offset_min * 60;
	int64_t days = (s >= 0 ? s : s - 86399) / 86400;
	int64_t sod = s - days * 86400;
	int y, m, d;
	date_civil_from_days(days, &y, &m, &d);
	int off = t.offset_min < 0 ? -t.offset_min : t.offset_min;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d,
		 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
		 t.offset_min < 0 ? '-' : '+', off / 60, off % 60);
}
