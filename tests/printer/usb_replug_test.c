/* A USB receipt printer unplugged in the middle of a receipt and plugged
 * in again, in a umockdev testbed driven from this process (run under
 * umockdev-wrapper; test_usb.py does, with the sample receipt it made).
 * One printer handle throughout, as the kiosk holds one: the failed print
 * says the printer was disconnected, a print while it is away says none is
 * connected, and once it is back (same port, new address) the receipt
 * prints, every byte as the script expects.
 *
 *   umockdev-wrapper usb_replug_test DIR SAMPLE   (DIR: tests/printer)
 *
 * Exit 0 pass, 1 fail, 77 skip (not in a umockdev environment). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>

#include "drivers/printer.h"
#include "umockdev_plug.h"

#define SYSPATH "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2"

static int failures;

static void check(const char *step, int rc, const struct kiosk_why *why, const char *want)
{
	const char *got = rc ? why->text : "printed";
	if (strcmp(got, want)) {
		failures++;
		fprintf(stderr, "FAIL: %s: got \"%s\", want \"%s\"\n", step, got, want);
		return;
	}
	printf("ok   %s\n", step);
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
		fprintf(stderr, "usage: usb_replug_test DIR SAMPLE\n");
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
	UMockdevTestbed *tb = umockdev_testbed_new();
	struct printer *p = NULL;
	struct kiosk_why why = {""};
	/* unplugged.ioctl: status fine, the first 4096 bytes taken, then the
	 * device is gone (ENODEV) */
	if (umockdev_plug(tb, SYSPATH, argv[1], "printer.umockdev", "/dev/bus/usb/001/003",
			  "usb/unplugged.ioctl")) {
		failures++;
		goto out;
	}
	if (printer_create(&p, "usb", 576, &why)) {
		fprintf(stderr, "FAIL: create: %s\n", why.text);
		failures++;
		goto out;
	}
	int rc = printer_print(p, bytes, n, &why);
	check("unplugged in the middle of a receipt", rc, &why, "The printer was disconnected.");
	umockdev_testbed_uevent(tb, SYSPATH, "remove");
	umockdev_testbed_remove_device(tb, SYSPATH);
	rc = printer_print(p, bytes, n, &why);
	check("a print while it is away", rc, &why, "No USB receipt printer is connected.");
	/* accept.ioctl: status, the whole receipt, status */
	if (umockdev_plug(tb, SYSPATH, argv[1], "printer_replugged.umockdev", "/dev/bus/usb/001/004",
			  "usb/accept.ioctl")) {
		failures++;
		goto out;
	}
	rc = printer_print(p, bytes, n, &why);
	check("plugged in again, the same handle prints", rc, &why, "printed");
out:
	printer_destroy(p);
	g_object_unref(tb);
	free(bytes);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
