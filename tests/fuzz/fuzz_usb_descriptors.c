/* The USB inventory's parser of what a device says about itself: raw
 * descriptors (sysfs `descriptors`, chosen by the device) and its product
 * and serial strings, then the USBGuard rule they make. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "drivers/usb_inventory_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 20)
		return 0;
	struct usb_inv_dev dev, parent;
	memset(&dev, 0, sizeof dev);
	memset(&parent, 0, sizeof parent);
	/* the first byte splits the input: strings, then descriptors */
	size_t n_text = data[0] % 64;
	if (1 + n_text + 18 > size)
		return 0;
	size_t half = n_text / 2;
	memcpy(dev.name, data + 1, half);
	memcpy(dev.serial, data + 1 + half, n_text - half);
	snprintf(dev.port, sizeof dev.port, "1-1.%u", data[0]);
	usb_inventory_parse(data + 1 + n_text, size - 1 - n_text, &dev);
	char rule[1400];
	usb_inventory_rule(&dev, &parent, rule, sizeof rule);
	if (!memchr(rule, 0, sizeof rule) || strncmp(rule, "allow id ", 9) != 0)
		__builtin_trap();
	return 0;
}
