/* The USB receipt printer in umockdev testbeds driven from this process
 * (run under umockdev-wrapper; test_usb.py does, with the sample receipt it
 * made), for what the scripted replay in test_usb.py cannot do:
 *
 * - replug: unplugged in the middle of a receipt and plugged in again, one
 *   printer handle throughout, as the kiosk holds one. The failed print
 *   says the printer was disconnected, a print while it is away says none
 *   is connected, and once it is back (same port, new address) the receipt
 *   prints, every byte as the usbdevfs script expects.
 * - silent: a printer that takes DLE EOT status requests and never answers
 *   them (some clones ignore DLE EOT). The scripted replay cannot leave a
 *   transfer unanswered until libusb's timeout cancels it, so this test
 *   answers the device's usbdevfs ioctls itself (umockdev's ioctl handler
 *   API): every bulk OUT transfer is taken whole, a bulk IN transfer is
 *   never completed, and a cancelled one comes back as cancelled. The
 *   kiosk must print anyway, with the status unknown, every byte in order,
 *   and not wait for an answer again on the next receipt.
 *
 *   umockdev-wrapper usb_testbed_test DIR SAMPLE   (DIR: tests/printer)
 *
 * Exit 0 pass, 1 fail, 77 skip (not in a umockdev environment). */
#include <errno.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>

#include "drivers/printer.h"
#include "umockdev_plug.h"

#define SYSPATH "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2"
#define NODE "/dev/bus/usb/001/003"
#define EP_IN_FLAG 0x80

static int failures;

static void check(bool ok, const char *step, const char *detail)
{
	if (!ok) {
		failures++;
		fprintf(stderr, "FAIL: %s: %s\n", step, detail);
		return;
	}
	printf("ok   %s\n", step);
}

/* ---- replug ------------------------------------------------------------- */

static void check_print(const char *step, int rc, const struct kiosk_why *why, const char *want)
{
	const char *got = rc ? why->text : "printed";
	char detail[600];
	snprintf(detail, sizeof detail, "got \"%s\", want \"%s\"", got, want);
	check(!strcmp(got, want), step, detail);
}

static void replug(const char *dir, const unsigned char *bytes, size_t n)
{
	UMockdevTestbed *tb = umockdev_testbed_new();
	struct printer *p = NULL;
	struct kiosk_why why = {""};
	/* unplugged.ioctl: status fine, the first 4096 bytes taken, then the
	 * device is gone (ENODEV) */
	if (umockdev_plug(tb, SYSPATH, dir, "printer.umockdev", NODE, "usb/unplugged.ioctl")) {
		failures++;
		goto out;
	}
	if (printer_create(&p, "usb", 576, &why)) {
		check(false, "create", why.text);
		goto out;
	}
	int rc = printer_print(p, bytes, n, &why);
	check_print("unplugged in the middle of a receipt", rc, &why, "The printer was disconnected.");
	umockdev_testbed_uevent(tb, SYSPATH, "remove");
	umockdev_testbed_remove_device(tb, SYSPATH);
	rc = printer_print(p, bytes, n, &why);
	check_print("a print while it is away", rc, &why, "No USB receipt printer is connected.");
	/* accept.ioctl: status, the whole receipt, status */
	if (umockdev_plug(tb, SYSPATH, dir, "printer_replugged.umockdev", "/dev/bus/usb/001/004",
			  "usb/accept.ioctl")) {
		failures++;
		goto out;
	}
	rc = printer_print(p, bytes, n, &why);
	check_print("plugged in again, the same handle prints", rc, &why, "printed");
out:
	printer_destroy(p);
	g_object_unref(tb);
}

/* ---- silent ------------------------------------------------------------- */

/* The emulated printer; the handler runs on umockdev's thread. */
struct silent {
	GMutex lock;
	GList *flying;   /* IN transfers submitted and never answered */
	GList *reapable; /* transfers to hand back: struct reap */
	GByteArray *out; /* every byte sent to the printer, in order */
	int in_submitted;
};

struct reap {
	UMockdevIoctlData *urb; /* a reference */
	int status, actual_length;
};

static void reap_free(void *p)
{
	struct reap *r = p;
	umockdev_ioctl_data_unref(r->urb);
	g_free(r);
}

static void queue_reap(struct silent *s, UMockdevIoctlData *urb, int status, int actual)
{
	struct reap *r = g_new0(struct reap, 1);
	r->urb = urb;
	r->status = status;
	r->actual_length = actual;
	s->reapable = g_list_append(s->reapable, r);
}

static gboolean submit(struct silent *s, UMockdevIoctlData *arg)
{
	UMockdevIoctlData *urb = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
	if (!urb)
		return FALSE;
	struct usbdevfs_urb *u = (struct usbdevfs_urb *)urb->data;
	UMockdevIoctlData *buf =
		umockdev_ioctl_data_resolve(urb, offsetof(struct usbdevfs_urb, buffer),
					    (gsize)u->buffer_length, NULL);
	g_mutex_lock(&s->lock);
	if (u->endpoint & EP_IN_FLAG) {
		s->in_submitted++;
		s->flying = g_list_append(s->flying, urb); /* never answered */
	} else {
		if (buf)
			g_byte_array_append(s->out, buf->data, (guint)u->buffer_length);
		queue_reap(s, urb, 0, u->buffer_length);
	}
	g_mutex_unlock(&s->lock);
	if (buf)
		umockdev_ioctl_data_unref(buf);
	return TRUE;
}

static int find_flying(gconstpointer data, gconstpointer addr)
{
	return ((const UMockdevIoctlData *)data)->client_addr != (gulong)addr;
}

static gboolean handle_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client,
			     gpointer arg)
{
	struct silent *s = arg;
	(void)handler;
	gulong request = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *io = umockdev_ioctl_client_get_arg(client);
	switch (request) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(io, 0, sizeof(guint32), NULL);
		if (!d)
			return FALSE;
		*(guint32 *)d->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
				      USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
		umockdev_ioctl_data_unref(d);
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_GETDRIVER: /* no kernel driver bound */
		umockdev_ioctl_client_complete(client, -1, ENODATA);
		return TRUE;
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESETEP:
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_SUBMITURB:
		if (!submit(s, io))
			return FALSE;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_DISCARDURB: {
		g_mutex_lock(&s->lock);
		GList *l = g_list_find_custom(s->flying, *(void **)io->data, find_flying);
		if (l) {
			queue_reap(s, l->data, -ENOENT, 0);
			s->flying = g_list_delete_link(s->flying, l);
		}
		g_mutex_unlock(&s->lock);
		umockdev_ioctl_client_complete(client, l ? 0 : -1, l ? 0 : EINVAL);
		return TRUE;
	}
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY: {
		g_mutex_lock(&s->lock);
		struct reap *r = s->reapable ? s->reapable->data : NULL;
		if (r)
			s->reapable = g_list_delete_link(s->reapable, s->reapable);
		g_mutex_unlock(&s->lock);
		if (!r) {
			umockdev_ioctl_client_complete(client, -1, EAGAIN);
			return TRUE;
		}
		struct usbdevfs_urb *u = (struct usbdevfs_urb *)r->urb->data;
		u->status = r->status;
		u->actual_length = r->actual_length;
		UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(io, 0, sizeof(gpointer), NULL);
		gboolean ok = ptr && umockdev_ioctl_data_set_ptr(ptr, 0, r->urb);
		if (ptr)
			umockdev_ioctl_data_unref(ptr);
		reap_free(r);
		if (!ok)
			return FALSE;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	default:
		return FALSE;
	}
}

static void silent(const char *dir, const unsigned char *bytes, size_t n)
{
	struct silent s = {.out = g_byte_array_new()};
	g_mutex_init(&s.lock);
	UMockdevTestbed *tb = umockdev_testbed_new();
	UMockdevIoctlBase *handler = umockdev_ioctl_base_new();
	g_signal_connect(handler, "handle-ioctl", G_CALLBACK(handle_ioctl), &s);
	struct printer *p = NULL;
	struct kiosk_why why = {""};
	char dev[512], detail[256];
	GError *err = NULL;
	snprintf(dev, sizeof dev, "%s/printer.umockdev", dir);
	if (!umockdev_testbed_attach_ioctl(tb, NODE, handler, &err) ||
	    !umockdev_testbed_add_from_file(tb, dev, &err)) {
		check(false, "plug", err ? err->message : "?");
		g_clear_error(&err);
		goto out;
	}
	umockdev_testbed_uevent(tb, SYSPATH, "add");
	if (printer_create(&p, "usb", 576, &why)) {
		check(false, "create", why.text);
		goto out;
	}
	/* the first receipt: one status request, no answer, printed anyway */
	static const unsigned char ask[] = {0x10, 0x04, 0x01};
	int rc = printer_print(p, bytes, n, &why);
	check(rc == 0, "prints although the status never comes", rc ? why.text : "");
	struct printer_status st;
	printer_last_status(p, &st);
	check(!st.known, "its status is unknown", "status reported as known");
	g_mutex_lock(&s.lock);
	bool asked_once = s.in_submitted == 1 && s.out->len == sizeof ask + n &&
			  !memcmp(s.out->data, ask, sizeof ask);
	bool whole = s.out->len == sizeof ask + n && !memcmp(s.out->data + sizeof ask, bytes, n);
	snprintf(detail, sizeof detail, "%d status reads, %u bytes sent for a %zu-byte receipt",
		 s.in_submitted, s.out->len, n);
	g_byte_array_set_size(s.out, 0);
	g_mutex_unlock(&s.lock);
	check(asked_once, "asked once (DLE EOT 1), then sent the receipt", detail);
	check(whole, "every byte of the receipt, in order", detail);
	/* the next receipt does not wait for an answer again */
	rc = printer_print(p, bytes, n, &why);
	check(rc == 0, "the next receipt prints", rc ? why.text : "");
	g_mutex_lock(&s.lock);
	bool no_wait = s.in_submitted == 1 && s.out->len == n && !memcmp(s.out->data, bytes, n);
	snprintf(detail, sizeof detail, "%d status reads in all, %u bytes sent for a %zu-byte receipt",
		 s.in_submitted, s.out->len, n);
	g_mutex_unlock(&s.lock);
	check(no_wait, "without asking for the status again", detail);
out:
	printer_destroy(p);
	g_object_unref(tb);
	g_object_unref(handler);
	g_list_free_full(s.reapable, reap_free);
	g_list_free_full(s.flying, (GDestroyNotify)umockdev_ioctl_data_unref);
	g_byte_array_unref(s.out);
	g_mutex_clear(&s.lock);
}

static unsigned char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	long len = -1;
	if (f && !fseek(f, 0, SEEK_END) && (len = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET) &&
	    (b = malloc((size_t)len)) && fread(b, 1, (size_t)len, f) != (size_t)len) {
		free(b);
		b = NULL;
	}
	if (f)
		fclose(f);
	*n = b ? (size_t)len : 0;
	return b;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: usb_testbed_test DIR SAMPLE\n");
		return 2;
	}
	const char *preload = getenv("LD_PRELOAD");
	if (!preload || !strstr(preload, "umockdev-preload")) {
		printf("not under umockdev-wrapper: skipped\n");
		return 77;
	}
	size_t n;
	unsigned char *bytes = read_file(argv[2], &n);
	if (!bytes) {
		fprintf(stderr, "FAIL: cannot read %s\n", argv[2]);
		return 1;
	}
	replug(argv[1], bytes, n);
	silent(argv[1], bytes, n);
	free(bytes);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
