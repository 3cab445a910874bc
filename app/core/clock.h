/* The one clock of the program. KIOSK_NOW (ISO 8601 with offset) replaces
 * it everywhere so tests and demos are repeatable. Domain code never calls
 * this: it receives the time as an argument. */
#ifndef KIOSK_CORE_CLOCK_H
#define KIOSK_CORE_CLOCK_H

#include "core/date.h"
#include "core/err.h"

/* Now, from KIOSK_NOW when set (fails if it is malformed), else the system
 * clock with the local UTC offset. */
int clock_now(struct kiosk_time *now, struct kiosk_why *why);

/* Monotonic milliseconds, for timeouts and benchmarks (not affected by
 * KIOSK_NOW). */
int64_t clock_mono_ms(void);

#endif
