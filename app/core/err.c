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

static const char *const err_names[] = {
	[0] = "ok",
	[1] = "invalid input",
	[2] = "not found",
	[3] = "input/output error",
	[4] = "out of memory",
	[5] = "busy",
	[6] = "device unavailable",
	[7] = "not allowed",
	[8] = "unsupported version",
	[9] = "already exists",
	[10] = "changed meanwhile",
};

const char *kiosk_strerror(int code)
{
	int i = -code;
	if (i < 0 || (size_t)i >= sizeof err_names / sizeof err_names[0])
		return "unknown error";
	return err_names[i];
}
