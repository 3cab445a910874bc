/* Hotplug of the libusb scanner transport, in a umockdev testbed driven
 * from this process (run under umockdev-wrapper): the scanner is opened
 * with no device present, then a keyboard-mode scanner is plugged in,
 * scans, is unplugged and plugged in again.
 *
 *   umockdev-wrapper usb_hotplug_test DIR   (DIR holds the recordings)
 *
 * Exit 0 pass, 1 fail, 77 skip (not in a umockdev environment). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>

#include "drivers/scanner.h"
#include "umockdev_plug.h"

#define SYSPATH "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"
#define RECEIPT "RS004200320261122001234"

static int failures;

static void fail(const char *step, const char *detail)
{
	failures++;
	fprintf(stderr, "FAIL: %s: %s\n", step, detail);
}

/* Wait for an event of kind (others are skipped); its text in text. */
static int wait_for(struct scanner *s, enum scanner_event_kind kind, char *text, size_t cap,
		    int timeout_ms)
{
	static struct scanner_event ev;
	for (int waited = 0; waited < timeout_ms; waited += 100) {
		if (!scanner_wait(s, &ev, 100))
			continue;
		if (ev.kind != kind)
			continue;
		size_t n = ev.len < cap - 1 ? ev.len : cap - 1;
		memcpy(text, ev.data, n);
		text[n] = '\0';
		return 1;
	}
	return 0;
}

static void expect(struct scanner *s, enum scanner_event_kind kind, const char *want,
		   const char *step)
{
	char got[512];
	if (!wait_for(s, kind, got, sizeof got, 5000)) {
		fail(step, "no such event within 5 s");
		return;
	}
	if (strcmp(got, want)) {
		char detail[1200];
		snprintf(detail, sizeof detail, "got \"%s\", want \"%s\"", got, want);
		fail(step, detail);
		return;
	}
	printf("ok   %s\n", step);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: usb_hotplug_test DIR\n");
		return 2;
	}
	const char *preload = getenv("LD_PRELOAD");
	if (!preload || !strstr(preload, "umockdev-preload")) {
		printf("not under umockdev-wrapper: skipped\n");
		return 77;
	}
	UMockdevTestbed *tb = umockdev_testbed_new();
	struct kiosk_why why = {""};
	struct scanner *s = NULL;
	if (scanner_create(&s, "usb", NULL, NULL, &why) < 0) {
		fail("create", why.text);
		return 1;
	}
	expect(s, SCANNER_EV_DISCONNECTED, "no USB scanner is plugged in", "starts without a device");
	/* kbd_unplug.ioctl: a receipt, then the device vanishes mid-scan */
	if (umockdev_plug(tb, SYSPATH, argv[1], "kbd_scanner.umockdev", "/dev/bus/usb/001/002",
			  "kbd_unplug.ioctl"))
		failures++;
	else {
		expect(s, SCANNER_EV_CONNECTED, "USB scanner 0c2e:0b61", "found when plugged in");
		expect(s, SCANNER_EV_SCAN, RECEIPT, "scans after plug-in");
		expect(s, SCANNER_EV_DISCONNECTED, "USB scanner 0c2e:0b61 was unplugged",
		       "unplug noticed");
	}
	/* gone from the bus before the next search (a second away) */
	umockdev_testbed_uevent(tb, SYSPATH, "remove");
	umockdev_testbed_remove_device(tb, SYSPATH);
	if (scanner_connected(s))
		fail("unplugged", "scanner_connected() is still true");
	if (umockdev_plug(tb, SYSPATH, argv[1], "kbd_scanner_replugged.umockdev",
			  "/dev/bus/usb/001/003", "kbd_scans.ioctl"))
		failures++;
	else {
		expect(s, SCANNER_EV_CONNECTED, "USB scanner 0c2e:0b61", "found again when replugged");
		expect(s, SCANNER_EV_SCAN, RECEIPT, "scans after replug");
		if (!scanner_connected(s))
			fail("replugged", "scanner_connected() is false");
	}
	scanner_destroy(s);
	g_object_unref(tb);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
