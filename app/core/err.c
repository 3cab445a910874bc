/* Error values and their names. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>

int kiosk_fail(struct kiosk_why *why, int code, const char *fmt, ...)
{
	if (why) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why->text, sizeof why->text, fmt, ap);
		va_end(ap);
	}
	return code;
}
