/* Wall clock with the KIOSK_NOW override; monotonic clock for timeouts. */
#include "core/clock.h"

#include <stdlib.h>
#include <time.h>

int clock_now(struct kiosk_time *now, struct kiosk_why *why)
{
	const char *fixed = getenv("KIOSK_NOW");
	if (fixed && *fixed) {
		if (time_parse_iso(fixed, now))
			return kiosk_fail(why, KIOSK_EINVAL,
					  "KIOSK_NOW is not an ISO 8601 time with offset: %.60s", fixed);
		return 0;
	}
	time_t t = time(NULL);
	struct tm lt;
	localtime_r(&t, &lt);
	now->unix_s = (int64_t)t;
	now->offset_min = (int)(lt.tm_gmtoff / 60);
	return 0;
}

int64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
