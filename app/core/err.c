/* Error values and their names. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>

/* A reason is one line of text for a person and a terminal: any control
 * byte in it (from a file, a scan, a server's answer) is written as \xNN,
 * so nothing raw can move the cursor, ring the bell or start a new line. */
static void escape_controls(char *text, size_t cap)
{
	char out[KIOSK_WHY_MAX];
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && w + 1 < sizeof out; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			if (w + 5 > sizeof out)
				break;
			w += (size_t)snprintf(out + w, sizeof out - w, "\\x%02x", *p);
		} else {
			out[w++] = (char)*p;
		}
	}
	out[w] = 0;
	snprintf(text, cap, "%s", out);
}

int kiosk_fail(struct kiosk_why *why, int code, const char *fmt, ...)
{
	if (why) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why->text, sizeof why->text, fmt, ap);
		va_end(ap);
		escape_controls(why->text, sizeof why->text);
	}
	return code;
}
