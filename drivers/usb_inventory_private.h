/* usb_inventory.c's parser of device-supplied bytes, for its fuzz target. */
#ifndef KIOSK_DRIVERS_USB_INVENTORY_PRIVATE_H
#define KIOSK_DRIVERS_USB_INVENTORY_PRIVATE_H

#include <stddef.h>

#include "drivers/usb_inventory.h"

/* Ids and interface classes from a device's raw descriptors (n >= 18). */
void usb_inventory_parse(const unsigned char *d, size_t n, struct usb_inv_dev *dev);

#endif
