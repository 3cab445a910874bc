/* Plugging a recorded USB device into a umockdev testbed, for the tests
 * that drive one from their own process (scanner hotplug, printer replug):
 * the usbdevfs script first (the driver may look at the bus any moment),
 * then the device description, then the "add" uevent. A replugged device
 * comes back on the same port (syspath) with a new address (node). */
#ifndef KIOSK_TEST_UMOCKDEV_PLUG_H
#define KIOSK_TEST_UMOCKDEV_PLUG_H

#include <stdio.h>
#include <umockdev.h>

/* dir/desc (a device description) at node, with the usbdevfs script
 * dir/script: 0, or -1 with the reason printed as a FAIL line. */
static inline int umockdev_plug(UMockdevTestbed *tb, const char *syspath, const char *dir,
				const char *desc, const char *node, const char *script)
{
	char dev[512], ioctl[512];
	GError *err = NULL;
	snprintf(dev, sizeof dev, "%s/%s", dir, desc);
	snprintf(ioctl, sizeof ioctl, "%s/%s", dir, script);
	if (!umockdev_testbed_load_ioctl(tb, node, ioctl, &err) ||
	    !umockdev_testbed_add_from_file(tb, dev, &err)) {
		fprintf(stderr, "FAIL: plug %s: %s\n", desc, err ? err->message : "?");
		g_clear_error(&err);
		return -1;
	}
	umockdev_testbed_uevent(tb, syspath, "add");
	return 0;
}

#endif
