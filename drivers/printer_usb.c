/* usb, usb:VID:PID, auto — ESC/POS printers on USB through libusb: bulk OUT
 * for the receipt, bulk IN for the DLE EOT status replies. The device is
 * (re)opened when a print or status needs it, so a printer plugged in after
 * the kiosk started, or unplugged and plugged back, just works. */
#include "drivers/printer_private.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ESC/POS printers known by VID:PID; any other device with a USB printer
 * class (7) interface and a bulk OUT endpoint is taken as well. */
static const struct {
	uint16_t vid, pid;
	const char *name;
} known_printers[] = {
	{0x04b8, 0x0202, "Epson TM-T88 series"},
	{0x04b8, 0x0e15, "Epson TM-T20"},
	{0x04b8, 0x0e28, "Epson TM-T20II"},
	{0x0416, 0x5011, "POS-58/POS-80 (Winbond bridge)"},
	{0x0fe6, 0x811e, "POS-58/POS-80 (ICS bridge)"},
};

/* Real-time status requests: DLE EOT n. */
static const uint8_t dle_eot[] = {0x10, 0x04};
enum { EOT_PRINTER = 1, EOT_OFFLINE = 2, EOT_PAPER = 4 };

/* Timeouts: a status reply comes within milliseconds from a healthy
 * printer; a 4 KiB chunk of raster takes well under a second at full
 * speed, so 5 s means the printer has stopped taking data. */
#define USB_STATUS_TIMEOUT_MS 1000
#define USB_WRITE_TIMEOUT_MS 5000
/* Bytes per bulk OUT call: small enough that a stall or unplug is noticed
 * within one timeout, large enough to keep the printer busy. */
#define USB_CHUNK 4096

struct usb_priv {
	libusb_context *ctx;
	libusb_device_handle *h;
	bool any;              /* usb / auto: the first printer found */
	uint16_t vid, pid;     /* usb:VID:PID */
	int iface;
	uint8_t ep_out, ep_in; /* ep_in 0: no status channel */
	int in_size;           /* wMaxPacketSize of ep_in */
	bool detached;         /* we detached the kernel's usblp driver */
};

/* Find a printer interface: class 7 (or any interface of a known VID:PID)
 * with a bulk OUT endpoint; bulk IN is optional. */
static bool find_endpoints(libusb_device *dev, bool known, struct usb_priv *u)
{
	struct libusb_config_descriptor *cfg;
	if (libusb_get_active_config_descriptor(dev, &cfg) &&
	    libusb_get_config_descriptor(dev, 0, &cfg))
		return false;
	bool found = false;
	for (int i = 0; i < cfg->bNumInterfaces && !found; i++) {
		for (int a = 0; a < cfg->interface[i].num_altsetting && !found; a++) {
			const struct libusb_interface_descriptor *id = &cfg->interface[i].altsetting[a];
			if (id->bInterfaceClass != LIBUSB_CLASS_PRINTER && !known)
				continue;
			uint8_t out = 0, in = 0;
			int in_size = 0;
			for (int e = 0; e < id->bNumEndpoints; e++) {
				const struct libusb_endpoint_descriptor *ep = &id->endpoint[e];
				if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
					continue;
				if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) {
					if (!in) {
						in = ep->bEndpointAddress;
						in_size = ep->wMaxPacketSize;
					}
				} else if (!out) {
					out = ep->bEndpointAddress;
				}
			}
			if (out) {
				u->iface = id->bInterfaceNumber;
				u->ep_out = out;
				u->ep_in = in;
				u->in_size = in_size > 0 ? in_size : 64;
				found = true;
			}
		}
	}
	libusb_free_config_descriptor(cfg);
	return found;
}

static bool is_known(uint16_t vid, uint16_t pid)
{
	for (size_t i = 0; i < sizeof(known_printers) / sizeof(known_printers[0]); i++)
		if (known_printers[i].vid == vid && known_printers[i].pid == pid)
			return true;
	return false;
}

bool printer_usb_known(uint16_t vid, uint16_t pid)
{
	return is_known(vid, pid);
}

static void usb_release(struct usb_priv *u)
{
	if (!u->h)
		return;
	libusb_release_interface(u->h, u->iface);
	if (u->detached)
		libusb_attach_kernel_driver(u->h, u->iface);
	u->detached = false;
	libusb_close(u->h);
	u->h = NULL;
}

/* Open the device if it is not open. KIOSK_ENOTFOUND when none attached. */
static int usb_attach(struct usb_priv *u, struct kiosk_why *why)
{
	if (u->h)
		return 0;
	libusb_device **list;
	ssize_t n = libusb_get_device_list(u->ctx, &list);
	if (n < 0)
		return kiosk_fail(why, KIOSK_EDEVICE, "USB devices could not be listed: %s.",
				  libusb_strerror((int)n));
	libusb_device *pick = NULL;
	for (ssize_t i = 0; i < n && !pick; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_device_descriptor(list[i], &dd))
			continue;
		if (!u->any && (dd.idVendor != u->vid || dd.idProduct != u->pid))
			continue;
		bool known = !u->any || is_known(dd.idVendor, dd.idProduct);
		if (find_endpoints(list[i], known, u))
			pick = list[i];
	}
	int rc = 0;
	if (!pick) {
		if (u->any)
			rc = kiosk_fail(why, KIOSK_ENOTFOUND, "No USB receipt printer is connected.");
		else
			rc = kiosk_fail(why, KIOSK_ENOTFOUND,
					"The USB printer %04x:%04x is not connected.", u->vid,
					u->pid);
		goto out;
	}
	int e = libusb_open(pick, &u->h);
	if (e) {
		u->h = NULL;
		rc = kiosk_fail(why, KIOSK_EDEVICE, "The USB printer could not be opened: %s.",
				libusb_strerror(e));
		goto out;
	}
	/* usblp may own the interface: take it for the time we hold it, and
	 * give it back on close. (Not libusb's auto-detach: its combined
	 * disconnect-and-claim ioctl is missing on older kernels and under
	 * umockdev.) */
	u->detached = libusb_kernel_driver_active(u->h, u->iface) == 1 &&
		      libusb_detach_kernel_driver(u->h, u->iface) == 0;
	e = libusb_claim_interface(u->h, u->iface);
	if (e) {
		if (u->detached)
			libusb_attach_kernel_driver(u->h, u->iface);
		u->detached = false;
		libusb_close(u->h);
		u->h = NULL;
		rc = kiosk_fail(why, KIOSK_EDEVICE, "The USB printer is in use by another program: %s.",
				libusb_strerror(e));
	}
out:
	libusb_free_device_list(list, 1);
	return rc;
}

/* Attach before I/O: here a missing printer is a device failure. */
static int usb_attach_for_io(struct usb_priv *u, struct kiosk_why *why)
{
	struct kiosk_why w = {""};
	int rc = usb_attach(u, &w);
	if (rc)
		return kiosk_fail(why, rc == KIOSK_ENOTFOUND ? KIOSK_EDEVICE : rc, "%s", w.text);
	return 0;
}

/* Map a libusb transfer error to the sentence staff need. */
static int usb_fail(struct usb_priv *u, int e, const char *doing, struct kiosk_why *why)
{
	if (e == LIBUSB_ERROR_NO_DEVICE) {
		usb_release(u); /* a replugged printer is opened afresh */
		return kiosk_fail(why, KIOSK_EDEVICE, "The printer was disconnected.");
	}
	if (e == LIBUSB_ERROR_TIMEOUT)
		return kiosk_fail(why, KIOSK_EDEVICE,
				  "The printer stopped taking data while %s (is it jammed or off?).",
				  doing);
	if (e == LIBUSB_ERROR_PIPE)
		return kiosk_fail(why, KIOSK_EDEVICE, "The printer refused the data while %s.", doing);
	return kiosk_fail(why, KIOSK_EDEVICE, "The printer failed while %s: %s.", doing,
			  libusb_strerror(e));
}

static int parse_vid_pid(const char *arg, uint16_t *vid, uint16_t *pid)
{
	unsigned v, p;
	int used = 0;
	if (sscanf(arg, "%4x:%4x%n", &v, &p, &used) != 2 || arg[used] || strlen(arg) != 9)
		return -1;
	*vid = (uint16_t)v;
	*pid = (uint16_t)p;
	return 0;
}

static int usb_open(struct printer *p, const char *arg, struct kiosk_why *why)
{
	struct usb_priv *u = calloc(1, sizeof(*u));
	if (!u)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory opening the printer.");
	bool is_auto = !strcmp(arg, "auto");
	int rc;
	if (!arg[0] || is_auto) {
		u->any = true;
	} else if (parse_vid_pid(arg, &u->vid, &u->pid)) {
		rc = kiosk_fail(why, KIOSK_EINVAL,
				"The printer spec usb:%s is not usb:VID:PID in hex, e.g. usb:04b8:0e28.",
				arg);
		goto fail;
	}
	int e = libusb_init(&u->ctx);
	if (e) {
		u->ctx = NULL;
		rc = kiosk_fail(why, is_auto ? KIOSK_ENOTFOUND : KIOSK_EDEVICE,
				"USB is not available: %s.", libusb_strerror(e));
		goto fail;
	}
	p->priv = u;
	/* auto decides now; usb and usb:VID:PID may be plugged in later */
	rc = usb_attach(u, why);
	if (rc == KIOSK_ENOTFOUND && !is_auto)
		rc = 0;
	if (rc)
		goto fail;
	return 0;
fail:
	p->priv = NULL;
	if (u->ctx)
		libusb_exit(u->ctx);
	free(u);
	return rc;
}

static void usb_close(struct printer *p)
{
	struct usb_priv *u = p->priv;
	usb_release(u);
	libusb_exit(u->ctx);
	free(u);
}

static int usb_write(struct printer *p, const uint8_t *b, size_t n, struct kiosk_why *why)
{
	struct usb_priv *u = p->priv;
	int rc = usb_attach_for_io(u, why);
	if (rc)
		return rc;
	while (n > 0) {
		int chunk = n > USB_CHUNK ? USB_CHUNK : (int)n;
		int done = 0;
		int e = libusb_bulk_transfer(u->h, u->ep_out, (unsigned char *)b, chunk, &done,
					     USB_WRITE_TIMEOUT_MS);
		if (e)
			return usb_fail(u, e, "printing", why);
		if (done <= 0)
			return kiosk_fail(why, KIOSK_EDEVICE, "The printer took no data.");
		b += done;
		n -= (size_t)done;
	}
	return 0;
}

/* One DLE EOT n round trip: send the request, read the one-byte reply.
 * 1 when the printer took the request but never answered (some clones
 * ignore DLE EOT): status unknown, printing goes ahead. */
static int usb_eot(struct usb_priv *u, uint8_t n, uint8_t *reply, struct kiosk_why *why)
{
	uint8_t req[3] = {dle_eot[0], dle_eot[1], n};
	int done = 0;
	int e = libusb_bulk_transfer(u->h, u->ep_out, req, sizeof(req), &done,
				     USB_STATUS_TIMEOUT_MS);
	if (e)
		return usb_fail(u, e, "asking its status", why);
	uint8_t buf[512];
	int size = u->in_size < (int)sizeof(buf) ? u->in_size : (int)sizeof(buf);
	e = libusb_bulk_transfer(u->h, u->ep_in, buf, size, &done, USB_STATUS_TIMEOUT_MS);
	if (e == LIBUSB_ERROR_TIMEOUT)
		return 1; /* took the request, gave no answer: a printer without DLE EOT */
	if (e)
		return usb_fail(u, e, "asking its status", why);
	if (done < 1)
		return kiosk_fail(why, KIOSK_EDEVICE, "The printer gave an empty status reply.");
	*reply = buf[done - 1]; /* the latest byte is the answer to this request */
	return 0;
}

static int usb_status(struct printer *p, struct printer_status *st, struct kiosk_why *why)
{
	struct usb_priv *u = p->priv;
	memset(st, 0, sizeof(*st));
	int rc = usb_attach_for_io(u, why);
	if (rc)
		return rc;
	if (!u->ep_in)
		return 0; /* a printer without a status channel: known stays false */
	static const uint8_t order[] = {EOT_PRINTER, EOT_OFFLINE, EOT_PAPER};
	uint8_t r[3];
	for (size_t i = 0; i < sizeof(order); i++) {
		rc = usb_eot(u, order[i], &r[i], why);
		if (rc > 0) {
			/* no status channel after all: known stays false, and the
			 * next prints do not wait for it again (until replugged) */
			u->ep_in = 0;
			return 0;
		}
		if (rc)
			return rc;
	}
	if (!printer_status_decode(r[0], r[1], r[2], st))
		memset(st, 0, sizeof(*st)); /* not ESC/POS status bytes: unknown */
	return 0;
}

const struct printer_ops printer_usb_ops = {
	.name = "usb",
	.open = usb_open,
	.close = usb_close,
	.write = usb_write,
	.status = usb_status,
};
