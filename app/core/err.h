/* Errors as values: every fallible function returns 0 on success or a
 * negative kiosk_err, and fills a kiosk_why with one sentence a person can
 * read. Nothing below the CLI/UI prints or exits. */
#ifndef KIOSK_CORE_ERR_H
#define KIOSK_CORE_ERR_H

#include <stddef.h>

enum kiosk_err {
	KIOSK_OK = 0,
	KIOSK_EINVAL = -1,   /* refused input: malformed, wrong check digit ... */
	KIOSK_ENOTFOUND = -2,
	KIOSK_EIO = -3,      /* file, database or device I/O failed */
	KIOSK_ENOMEM = -4,
	KIOSK_EBUSY = -5,    /* locked: database busy, staff card locked */
	KIOSK_EDEVICE = -6,  /* device missing, unplugged, out of paper */
	KIOSK_EDENIED = -7,  /* not allowed: wrong PIN, role too low */
	KIOSK_EVERSION = -8, /* database newer than this program */
	KIOSK_EEXIST = -9,
	KIOSK_ESTALE = -10,  /* what a decision rested on changed before it was saved */
	KIOSK_EDOUBT = -11,  /* a save whose answer was lost: it may or may not stand */
};

#define KIOSK_WHY_MAX 256

/* One human sentence explaining the last failure. */
struct kiosk_why {
	char text[KIOSK_WHY_MAX];
};

/* Fill why (may be NULL) with a printf-style sentence and return code. */
int kiosk_fail(struct kiosk_why *why, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
