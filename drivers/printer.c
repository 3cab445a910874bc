/* Printer front end: spec parsing, status checks around every print, and
 * the null transport. The transports live in printer_{usb,file,png}.c. */
#include "drivers/printer_private.h"

#include <stdlib.h>
#include <string.h>

static const struct printer_ops *const transports[] = {
	&printer_usb_ops,
	&printer_file_ops,
	&printer_png_ops,
	&printer_none_ops,
};

/* DLE EOT reply bits (Epson ESC/POS reference, "DLE EOT n"). */
#define STATUS_FIXED_MASK 0x93   /* bits 0, 1, 4, 7 */
#define STATUS_FIXED_BITS 0x12   /* bit 1 and bit 4 set, 0 and 7 clear */
#define ST1_OFFLINE 0x08         /* n=1: printer is offline */
#define ST2_COVER_OPEN 0x04      /* n=2: cover is open */
#define ST2_PAPER_STOP 0x20      /* n=2: printing stopped by paper end */
#define ST2_ERROR 0x40           /* n=2: an error occurred */
#define ST4_NEAR_END 0x0C        /* n=4: roll paper near-end sensor */
#define ST4_PAPER_OUT 0x60       /* n=4: roll paper end sensor */

/* ---- none ------------------------------------------------------------ */

static int none_open(struct printer *p, const char *arg, struct kiosk_why *why)
{
	if (arg[0])
		return kiosk_fail(why, KIOSK_EINVAL, "The printer spec \"none\" takes no value.");
	return 0;
}

static int none_write(struct printer *p, const uint8_t *b, size_t n, struct kiosk_why *why)
{
	return kiosk_fail(why, KIOSK_EDEVICE, "No printer is set up (--printer none).");
}

const struct printer_ops printer_none_ops = {
	.name = "none",
	.open = none_open,
	.write = none_write,
};

/* ---- spec and life cycle ------------------------------------------------ */

int printer_create(struct printer **out, const char *spec, int paper_dots,
		   struct kiosk_why *why)
{
	*out = NULL;
	if (paper_dots != 576 && paper_dots != 384)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "The paper width must be 576 dots (80 mm) or 384 (58 mm), not %d.",
				  paper_dots);
	const char *colon = strchr(spec, ':');
	size_t kind_len = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *arg = colon ? colon + 1 : "";
	bool is_auto = kind_len == 4 && !strncmp(spec, "auto", 4);
	const struct printer_ops *ops = NULL;
	if (is_auto) {
		if (colon)
			return kiosk_fail(why, KIOSK_EINVAL, "The printer spec \"auto\" takes no value.");
		ops = &printer_usb_ops;
	}
	for (size_t i = 0; !ops && i < sizeof(transports) / sizeof(transports[0]); i++)
		if (strlen(transports[i]->name) == kind_len &&
		    !strncmp(spec, transports[i]->name, kind_len))
			ops = transports[i];
	if (!ops)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Unknown printer \"%s\": use auto, usb, usb:VID:PID, file:PATH, "
				  "png:DIR or none.", spec);
	struct printer *p = calloc(1, sizeof(*p));
	if (!p)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory opening the printer.");
	p->paper_dots = paper_dots;
	p->ops = ops;
	int rc = ops->open(p, is_auto ? "auto" : arg, why);
	if (rc == KIOSK_ENOTFOUND && is_auto) {
		/* auto with nothing attached: the kiosk shows the receipt instead */
		p->ops = &printer_none_ops;
		p->priv = NULL;
		rc = 0;
	}
	if (rc) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void printer_destroy(struct printer *p)
{
	if (!p)
		return;
	if (p->ops->close)
		p->ops->close(p);
	free(p);
}

bool printer_is_none(const struct printer *p)
{
	return p->ops == &printer_none_ops;
}

int printer_paper_dots(const struct printer *p)
{
	return p->paper_dots;
}

const char *printer_kind(const struct printer *p)
{
	return p->ops->name;
}

void printer_last_status(const struct printer *p, struct printer_status *st)
{
	*st = p->last;
}

/* ---- status ------------------------------------------------------------- */

bool printer_status_decode(uint8_t printer, uint8_t offline, uint8_t paper,
			   struct printer_status *st)
{
	memset(st, 0, sizeof(*st));
	if ((printer & STATUS_FIXED_MASK) != STATUS_FIXED_BITS ||
	    (offline & STATUS_FIXED_MASK) != STATUS_FIXED_BITS ||
	    (paper & STATUS_FIXED_MASK) != STATUS_FIXED_BITS)
		return false;
	st->known = true;
	st->online = !(printer & ST1_OFFLINE);
	st->cover_open = offline & ST2_COVER_OPEN;
	st->paper_out = (paper & ST4_PAPER_OUT) || (offline & ST2_PAPER_STOP);
	st->paper_near_end = paper & ST4_NEAR_END;
	(void)ST2_ERROR;
	return true;
}

const char *printer_status_problem(const struct printer_status *st)
{
	if (!st->known)
		return NULL;
	/* Most specific cause first: an open cover or an empty roll also
	 * makes the printer report itself offline. */
	if (st->cover_open)
		return "The printer's cover is open.";
	if (st->paper_out)
		return "The printer is out of paper.";
	if (!st->online)
		return "The printer is offline.";
	return NULL;
}

int printer_status(struct printer *p, struct printer_status *st, struct kiosk_why *why)
{
	memset(st, 0, sizeof(*st));
	if (!p->ops->status)
		return 0;
	return p->ops->status(p, st, why);
}

int printer_print(struct printer *p, const uint8_t *bytes, size_t len, struct kiosk_why *why)
{
	struct printer_status st;
	int rc = printer_status(p, &st, why);
	if (rc)
		return rc;
	const char *problem = printer_status_problem(&st);
	if (problem)
		return kiosk_fail(why, KIOSK_EDEVICE, "%s", problem);
	rc = p->ops->write(p, bytes, len, why);
	if (rc)
		return rc;
	/* After: a printer that ran out of paper or was opened mid-receipt
	 * took the bytes but did not print all of them. */
	rc = printer_status(p, &st, why);
	if (rc)
		return rc;
	problem = printer_status_problem(&st);
	if (problem)
		return kiosk_fail(why, KIOSK_EDEVICE, "The receipt may be incomplete: %s", problem);
	p->last = st;
	return 0;
}
