/* auto | usb | usb:VID:PID — a USB HID scanner read directly through
 * libusb: the kernel driver is detached and the interface claimed, so
 * nothing the scanner "types" reaches the desktop. One thread runs this
 * state machine:
 *
 *   NO_LIBUSB --init ok--> SEARCHING --found+claimed--> OPEN
 *   OPEN --unplugged / too many errors--> SEARCHING
 *
 * SEARCHING rescans once a second and at once when libusb hotplug (where
 * the platform has it) reports an arrival. OPEN reads the interrupt IN
 * endpoint with a short timeout, so a partial payload times out and stop
 * is prompt. Which devices are taken:
 *   usb:VID:PID  that device (its HID interface decides keyboard or POS);
 *   auto         only devices in usb_scanner_ids (a kiosk's own keyboard
 *                must never be grabbed);
 *   usb          usb_scanner_ids first, then any HID boot keyboard or any
 *                HID interface with a 64-byte interrupt IN endpoint and no
 *                boot protocol (taken as HID POS). The POS usage page 0x8C
 *                lives in the report descriptor, which needs a control
 *                transfer to read; classifying by the interface descriptor
 *                keeps the search to what libusb has cached (and what
 *                umockdev replays), at the price of trusting the admin who
 *                chose "usb". One thing is checked: an interface whose
 *                report descriptor (the kernel's copy in sysfs) declares
 *                the Digitizer page is a touchscreen, and never taken. */
#include "drivers/scanner_private.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USB_READ_TIMEOUT_MS 50 /* below HID_REPORT_GAP_MS, so cut-offs are on time */
#define USB_RESCAN_MS 1000
#define USB_MAX_ERRORS 5       /* consecutive transfer errors before reopening */

/* Scanners recognised by `auto`, from usb.ids and the vendors' manuals;
 * kind is the factory-default interface of that product ID. */
static const struct usb_scanner_id {
	uint16_t vid, pid;
	enum hid_kind kind;
	const char *name;
} usb_scanner_ids[] = {
	{0x05e0, 0x1200, HID_KIND_KEYBOARD, "Symbol/Zebra scanner (HID keyboard)"},
	{0x0c2e, 0x0b61, HID_KIND_KEYBOARD, "Honeywell scanner (HID keyboard)"},
};

/* USB class codes (usb.org "Defined Class Codes", HID 1.11 §4.2-4.3). */
enum {
	USB_CLASS_HID = 0x03,
	HID_SUBCLASS_BOOT = 1,
	HID_PROTOCOL_KEYBOARD = 1,
};

enum usb_match { USB_MATCH_KNOWN, USB_MATCH_ANY, USB_MATCH_EXACT };

/* What the search chose: a device, its interface and interrupt IN endpoint. */
struct usb_pick {
	uint8_t iface;
	uint8_t ep;
	uint16_t max_packet;
	enum hid_kind kind;
};

struct usb_priv {
	struct scanner *s;
	enum usb_match match;
	uint16_t vid, pid;          /* USB_MATCH_EXACT */
	struct scanner_thread thread;
	libusb_context *ctx;
	libusb_hotplug_callback_handle hotplug;
	bool have_hotplug;
	atomic_bool arrived;        /* set by the hotplug callback */
	libusb_device_handle *dev;
	struct usb_pick pick;
	char dev_name[64];
	struct hid_decoder dec;
	struct hid_output out;

	pthread_mutex_t rec_lock;   /* scanner_record runs on the app's thread */
	FILE *rec;                  /* replay-format recording, or NULL */
	bool rec_started;
	enum hid_kind rec_kind;
	int64_t rec_t0;
};

static const struct usb_scanner_id *usb_known(uint16_t vid, uint16_t pid)
{
	for (size_t i = 0; i < sizeof usb_scanner_ids / sizeof usb_scanner_ids[0]; i++)
		if (usb_scanner_ids[i].vid == vid && usb_scanner_ids[i].pid == pid)
			return &usb_scanner_ids[i];
	return NULL;
}

bool scanner_usb_known(uint16_t vid, uint16_t pid)
{
	return usb_known(vid, pid) != NULL;
}

/* The interrupt IN endpoint of a HID interface, or NULL. */
static const struct libusb_endpoint_descriptor *usb_int_in(const struct libusb_interface_descriptor *a)
{
	for (int e = 0; e < a->bNumEndpoints; e++) {
		const struct libusb_endpoint_descriptor *ep = &a->endpoint[e];
		if ((ep->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_INTERRUPT &&
		    (ep->bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN)
			return ep;
	}
	return NULL;
}

/* Classify one interface by its descriptor: true when it is a scanner of
 * some kind (boot keyboard, or non-boot HID with 64-byte reports). */
static bool usb_classify(const struct libusb_interface_descriptor *a, struct usb_pick *pick)
{
	const struct libusb_endpoint_descriptor *ep = usb_int_in(a);
	if (a->bInterfaceClass != USB_CLASS_HID || !ep)
		return false;
	pick->iface = a->bInterfaceNumber;
	pick->ep = ep->bEndpointAddress;
	pick->max_packet = ep->wMaxPacketSize;
	if (a->bInterfaceSubClass == HID_SUBCLASS_BOOT &&
	    a->bInterfaceProtocol == HID_PROTOCOL_KEYBOARD && ep->wMaxPacketSize >= HID_KBD_REPORT_SIZE) {
		pick->kind = HID_KIND_KEYBOARD;
		return true;
	}
	if (a->bInterfaceSubClass == 0 && ep->wMaxPacketSize == HID_POS_REPORT_SIZE) {
		pick->kind = HID_KIND_POS;
		return true;
	}
	return false;
}

/* Choose the interface of dev to read; want_kind < 0 takes the first. */
static bool usb_pick_interface(libusb_device *dev, int want_kind, struct usb_pick *pick)
{
	struct libusb_config_descriptor *cfg;
	if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
	    libusb_get_config_descriptor(dev, 0, &cfg) != 0)
		return false;
	bool found = false;
	for (int i = 0; i < cfg->bNumInterfaces && !found; i++) {
		if (cfg->interface[i].num_altsetting < 1)
			continue;
		struct usb_pick p;
		if (usb_classify(&cfg->interface[i].altsetting[0], &p) &&
		    (want_kind < 0 || (int)p.kind == want_kind)) {
			*pick = p;
			found = true;
		}
	}
	libusb_free_config_descriptor(cfg);
	return found;
}

/* Whether the kernel's copy of interface iface's HID report descriptor
 * (sysfs: /sys/bus/usb/devices/B-P[.P]/B-P[.P]:C.I/<hid device>/
 * report_descriptor; usbfs will not read it while usbhid holds the
 * interface) declares the Digitizer page: a touchscreen or a pen, whose
 * 64-byte reports look like HID POS to the interface descriptor. false
 * where there is none to read (no HID driver bound). */
static bool usb_is_digitizer(libusb_device *dev, int iface)
{
	uint8_t ports[7];
	int np = libusb_get_port_numbers(dev, ports, (int)sizeof ports);
	struct libusb_config_descriptor *cfg;
	if (np < 1 || libusb_get_active_config_descriptor(dev, &cfg) != 0)
		return false;
	int config = cfg->bConfigurationValue;
	libusb_free_config_descriptor(cfg);
	char name[40];
	int len = snprintf(name, sizeof name, "%d-%d", libusb_get_bus_number(dev), ports[0]);
	for (int i = 1; i < np && len > 0 && len < (int)sizeof name; i++)
		len += snprintf(name + len, sizeof name - (size_t)len, ".%d", ports[i]);
	char dir[160];
	snprintf(dir, sizeof dir, "/sys/bus/usb/devices/%s/%s:%d.%d", name, name, config, iface);
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool digitizer = false;
	struct dirent *e;
	while (!digitizer && (e = readdir(d))) {
		/* a HID device: BUS:VID:PID.N ("%04X:%04X:%04X.%04X" in the
		 * kernel), e.g. 0003:0EEF:0001.0002 */
		if (strlen(e->d_name) < 19 || e->d_name[4] != ':' || e->d_name[9] != ':' ||
		    e->d_name[14] != '.')
			continue;
		char path[sizeof dir + 64];
		snprintf(path, sizeof path, "%s/%s/report_descriptor", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		uint8_t desc[4096]; /* HID_MAX_DESCRIPTOR_SIZE in the kernel */
		size_t n = fread(desc, 1, sizeof desc, f);
		fclose(f);
		digitizer = hid_report_has_page(desc, n, HID_PAGE_DIGITIZER);
	}
	closedir(d);
	return digitizer;
}

/* How well dev fits the spec: 0 no, 1 class match, 2 known/exact. */
static int usb_fit(const struct usb_priv *u, libusb_device *dev, struct usb_pick *pick)
{
	struct libusb_device_descriptor dd;
	if (libusb_get_device_descriptor(dev, &dd) != 0)
		return 0;
	const struct usb_scanner_id *known = usb_known(dd.idVendor, dd.idProduct);
	switch (u->match) {
	case USB_MATCH_EXACT:
		if (dd.idVendor != u->vid || dd.idProduct != u->pid)
			return 0;
		return usb_pick_interface(dev, -1, pick) ? 2 : 0;
	case USB_MATCH_KNOWN:
		return known && usb_pick_interface(dev, (int)known->kind, pick) ? 2 : 0;
	case USB_MATCH_ANY:
		if (known)
			return usb_pick_interface(dev, (int)known->kind, pick) ? 2 : 0;
		if (!usb_pick_interface(dev, -1, pick))
			return 0;
		/* an unknown device only as a scanner, never a touchscreen */
		return usb_is_digitizer(dev, pick->iface) ? 0 : 1;
	}
	return 0;
}

/* Claim the interface. Auto-detach first; where the kernel refuses the
 * detach request itself (no driver bound, or an emulated usbfs), claim
 * without it: a driver really bound still makes the claim fail (BUSY). */
static int usb_claim(libusb_device_handle *h, int iface)
{
	libusb_set_auto_detach_kernel_driver(h, 1);
	int r = libusb_claim_interface(h, iface);
	if (r == LIBUSB_ERROR_OTHER || r == LIBUSB_ERROR_NOT_SUPPORTED) {
		libusb_set_auto_detach_kernel_driver(h, 0);
		r = libusb_claim_interface(h, iface);
	}
	return r;
}

/* Look for a scanner and open it. true when u->dev is ready. */
static bool usb_search(struct usb_priv *u, char *why, size_t why_len)
{
	libusb_device **list;
	ssize_t n = libusb_get_device_list(u->ctx, &list);
	if (n < 0) {
		snprintf(why, why_len, "cannot list USB devices: %s", libusb_strerror((int)n));
		return false;
	}
	libusb_device *best = NULL;
	struct usb_pick best_pick = {0};
	int best_fit = 0;
	for (ssize_t i = 0; i < n; i++) {
		struct usb_pick p;
		int fit = usb_fit(u, list[i], &p);
		if (fit > best_fit)
			best = list[i], best_pick = p, best_fit = fit;
	}
	bool ok = false;
	if (!best) {
		if (u->match == USB_MATCH_EXACT)
			snprintf(why, why_len, "no USB scanner %04x:%04x is plugged in", u->vid,
				 u->pid);
		else
			snprintf(why, why_len, "no USB scanner is plugged in");
		goto out;
	}
	struct libusb_device_descriptor dd;
	libusb_get_device_descriptor(best, &dd);
	snprintf(u->dev_name, sizeof u->dev_name, "USB scanner %04x:%04x", dd.idVendor,
		 dd.idProduct);
	libusb_device_handle *h;
	int r = libusb_open(best, &h);
	if (r != 0) {
		snprintf(why, why_len, "cannot open %s: %s", u->dev_name, libusb_strerror(r));
		goto out;
	}
	r = usb_claim(h, best_pick.iface);
	if (r != 0) {
		snprintf(why, why_len, "cannot claim %s: %s", u->dev_name, libusb_strerror(r));
		libusb_close(h);
		goto out;
	}
	u->dev = h;
	u->pick = best_pick;
	hid_decoder_init(&u->dec, best_pick.kind, scanner_layout(u->s));
	ok = true;
out:
	libusb_free_device_list(list, 1);
	return ok;
}

static void usb_release(struct usb_priv *u)
{
	if (!u->dev)
		return;
	libusb_release_interface(u->dev, u->pick.iface);
	libusb_close(u->dev);
	u->dev = NULL;
}

static int LIBUSB_CALL usb_hotplug_cb(libusb_context *ctx, libusb_device *dev,
				      libusb_hotplug_event event, void *arg)
{
	struct usb_priv *u = arg;
	atomic_store(&u->arrived, true);
	return 0; /* stay registered */
}

static bool usb_stopping(const struct usb_priv *u)
{
	return atomic_load(&u->s->stop);
}

/* Wait up to ms for a hotplug arrival (or just wait); true when stopping. */
static bool usb_wait_for_device(struct usb_priv *u, int ms)
{
	if (!u->have_hotplug)
		return scanner_thread_sleep(&u->thread, ms);
	int64_t until = scanner_now_ms() + ms;
	while (!usb_stopping(u) && !atomic_load(&u->arrived) && scanner_now_ms() < until) {
		struct timeval tv = {0, 100 * 1000};
		libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
	}
	atomic_store(&u->arrived, false);
	return usb_stopping(u);
}

/* Append one report to the recording (replay:FILE format). */
static void usb_record_report(struct usb_priv *u, const uint8_t *r, size_t len, int64_t now)
{
	pthread_mutex_lock(&u->rec_lock);
	if (!u->rec || !len)
		goto out;
	/* Start at a scan boundary, so the recording replays whole scans. */
	if (!u->rec_started && hid_decoder_pending(&u->dec))
		goto out;
	if (!u->rec_started) {
		const char *layout = hid_layout_name(u->dec.layout);
		fprintf(u->rec, "# recorded from %s\nmode %s\n", u->dev_name,
			hid_kind_name(u->pick.kind));
		if (u->pick.kind == HID_KIND_KEYBOARD && strcmp(layout, "us"))
			fprintf(u->rec, "layout %s\n", layout);
		u->rec_started = true;
		u->rec_kind = u->pick.kind;
		u->rec_t0 = now;
	} else if (u->rec_kind != u->pick.kind) {
		fclose(u->rec);
		u->rec = NULL;
		scanner_emitf(u->s, SCANNER_EV_ERROR,
			      "recording stopped: a %s scanner replaced the %s one",
			      hid_kind_name(u->pick.kind), hid_kind_name(u->rec_kind));
		goto out;
	}
	fprintf(u->rec, "%lld", (long long)(now - u->rec_t0));
	for (size_t i = 0; i < len && i < 64; i++)
		fprintf(u->rec, " %02x", r[i]);
	fputc('\n', u->rec);
	fflush(u->rec);
out:
	pthread_mutex_unlock(&u->rec_lock);
}

/* Read until the device goes away or we stop; reason in why. */
static bool usb_read_loop(struct usb_priv *u, char *why, size_t why_len)
{
	int errors = 0;
	uint8_t report[512];
	size_t want = u->pick.max_packet < sizeof report ? u->pick.max_packet : sizeof report;
	while (!usb_stopping(u)) {
		int got = 0;
		int r = libusb_interrupt_transfer(u->dev, u->pick.ep, report, (int)want, &got,
						  USB_READ_TIMEOUT_MS);
		int64_t now = scanner_now_ms();
		u->dec.layout = scanner_layout(u->s);
		hid_decoder_tick(&u->dec, now, &u->out);
		scanner_emit_hid(u->s, &u->out);
		if (r == 0 || (r == LIBUSB_ERROR_TIMEOUT && got > 0)) {
			errors = 0;
			usb_record_report(u, report, (size_t)got, now);
			hid_decoder_feed(&u->dec, report, (size_t)got, now, &u->out);
			scanner_emit_hid(u->s, &u->out);
			continue;
		}
		if (r == LIBUSB_ERROR_TIMEOUT)
			continue;
		if (r == LIBUSB_ERROR_NO_DEVICE) {
			snprintf(why, why_len, "%s was unplugged", u->dev_name);
			return false;
		}
		if (r == LIBUSB_ERROR_PIPE)
			libusb_clear_halt(u->dev, u->pick.ep);
		scanner_emitf(u->s, SCANNER_EV_ERROR, "%s: read failed: %s", u->dev_name,
			      libusb_strerror(r));
		if (++errors >= USB_MAX_ERRORS) {
			snprintf(why, why_len, "%s failed %d times in a row, reopening it",
				 u->dev_name, errors);
			return false;
		}
	}
	return true;
}

static void *usb_thread(void *arg)
{
	struct usb_priv *u = arg;
	struct scanner *s = u->s;
	char why[200] = "";
	bool told = false; /* the app knows there is no device */
	while (!usb_stopping(u) && !u->ctx) {
		int r = libusb_init(&u->ctx);
		if (r == 0)
			break;
		u->ctx = NULL;
		if (!told)
			scanner_emitf(s, SCANNER_EV_DISCONNECTED, "USB is not available: %s",
				      libusb_strerror(r));
		told = true;
		if (scanner_thread_sleep(&u->thread, USB_RESCAN_MS))
			return NULL;
	}
	if (!u->ctx)
		return NULL;
	u->have_hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
			  libusb_hotplug_register_callback(
				  u->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, 0,
				  LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
				  LIBUSB_HOTPLUG_MATCH_ANY, usb_hotplug_cb, u, &u->hotplug) == 0;
	while (!usb_stopping(u)) {
		if (!usb_search(u, why, sizeof why)) {
			if (!told)
				scanner_emit(s, SCANNER_EV_DISCONNECTED, why, strlen(why), NULL);
			told = true;
			if (usb_wait_for_device(u, USB_RESCAN_MS))
				break;
			continue;
		}
		told = false;
		scanner_set_connected(s, true, u->dev_name);
		bool stopping = usb_read_loop(u, why, sizeof why);
		if (hid_decoder_pending(&u->dec) && !stopping)
			scanner_emitf(s, SCANNER_EV_ERROR,
				      "scan dropped: the scanner went away in the middle of it");
		usb_release(u);
		if (stopping)
			break;
		scanner_set_connected(s, false, why);
		told = true;
		if (usb_wait_for_device(u, USB_RESCAN_MS))
			break;
	}
	usb_release(u);
	if (u->have_hotplug)
		libusb_hotplug_deregister_callback(u->ctx, u->hotplug);
	libusb_exit(u->ctx);
	u->ctx = NULL;
	return NULL;
}

/* "auto" | "" | "VID:PID" (hex). */
static int usb_parse_arg(struct usb_priv *u, const char *arg, struct kiosk_why *why)
{
	if (!strcmp(arg, "auto")) {
		u->match = USB_MATCH_KNOWN;
		return 0;
	}
	if (!*arg) {
		u->match = USB_MATCH_ANY;
		return 0;
	}
	bool shape = strlen(arg) == 9 && arg[4] == ':';
	for (int i = 0; shape && i < 9; i++)
		shape = i == 4 || isxdigit((unsigned char)arg[i]);
	unsigned vid, pid;
	if (!shape || sscanf(arg, "%4x:%4x", &vid, &pid) != 2)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "scanner usb:%s is not usb:VID:PID with 4 hex digits each "
				  "(e.g. usb:0c2e:0b61)",
				  arg);
	u->match = USB_MATCH_EXACT;
	u->vid = (uint16_t)vid;
	u->pid = (uint16_t)pid;
	return 0;
}

static int usb_open(struct scanner *s, const char *arg, struct kiosk_why *why)
{
	struct usb_priv *u = calloc(1, sizeof *u);
	if (!u)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory for the USB scanner");
	u->s = s;
	atomic_init(&u->arrived, false);
	pthread_mutex_init(&u->rec_lock, NULL);
	int rc = usb_parse_arg(u, arg, why);
	if (rc == 0)
		rc = scanner_thread_start(&u->thread, usb_thread, u, why);
	if (rc < 0) {
		pthread_mutex_destroy(&u->rec_lock);
		free(u);
		return rc;
	}
	s->priv = u;
	return 0;
}

static void usb_close(struct scanner *s)
{
	struct usb_priv *u = s->priv;
	if (!u)
		return;
	scanner_thread_stop(&u->thread);
	if (u->rec)
		fclose(u->rec);
	pthread_mutex_destroy(&u->rec_lock);
	free(u);
	s->priv = NULL;
}

static int usb_record(struct scanner *s, const char *path, struct kiosk_why *why)
{
	struct usb_priv *u = s->priv;
	FILE *f = fopen(path, "w");
	if (!f)
		return kiosk_fail(why, KIOSK_EIO, "cannot write the scanner recording %s: %s", path,
				  strerror(errno));
	pthread_mutex_lock(&u->rec_lock);
	if (u->rec)
		fclose(u->rec);
	u->rec = f;
	u->rec_started = false;
	pthread_mutex_unlock(&u->rec_lock);
	return 0;
}

const struct scanner_ops scanner_usb_ops = {
	.name = "usb",
	.open = usb_open,
	.close = usb_close,
	.record = usb_record,
};
