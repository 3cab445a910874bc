/* What is plugged into the USB bus, read from sysfs, and the USBGuard
 * rules that allow exactly the kiosk's scanner and printer.
 *
 * A device's USBGuard hash is computed as USBGuard does (its
 * DevicePrivate::initializeHash and the descriptor update): base64 of
 * SHA-256 over the product name, the vendor and product ids (4 lower-case
 * hex digits), the serial number and the raw descriptors as the kernel
 * gives them (sysfs `descriptors`; a Linux root hub's with bcdDevice 0,
 * as USBGuard does). A rule names the device by id, serial,
 * name, hash, its parent's hash and its port, so the same model plugged
 * into another port, or a device that copies the ids, is not allowed. */
#ifndef KIOSK_DRIVERS_USB_INVENTORY_H
#define KIOSK_DRIVERS_USB_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define USB_INV_MAX_IFACES 16

enum usb_role { USB_ROLE_OTHER, USB_ROLE_SCANNER, USB_ROLE_PRINTER, USB_ROLE_HUB };

struct usb_inv_dev {
	char port[32];         /* sysfs name: "1-1.2", root hubs "usb1" */
	char parent[32];       /* the parent's port, "" above a root hub */
	uint16_t vid, pid;
	char name[128];        /* sysfs product */
	char serial[128];      /* sysfs serial, "" if none */
	char connect_type[32]; /* sysfs port/connect_type, "" if none */
	uint8_t ifaces[USB_INV_MAX_IFACES][3]; /* class, subclass, protocol */
	int n_ifaces;
	char hash[48];         /* USBGuard's device hash (base64) */
	enum usb_role role;
	bool wanted;           /* the kiosk's device, or a hub on its way to one */
};

/* What the kiosk would take as its scanner and printer: the drivers' known
 * devices, any device with a printer interface, and the devices named by
 * usb:VID:PID specs (NULL or another spec: none). */
struct usb_inv_want {
	const char *scanner_spec;
	const char *printer_spec;
};

/* Every USB device under sysfs_devices (normally /sys/bus/usb/devices),
 * sorted by port, with its role and whether the kiosk wants it (and the
 * hubs between it and the computer). *out is the caller's to free. */
int usb_inventory_read(const char *sysfs_devices, const struct usb_inv_want *want,
		       struct usb_inv_dev **out, int *n, struct kiosk_why *why);

/* The USBGuard rule allowing d (parent: its parent device, NULL if none is
 * known) in rules.conf syntax, into buf. */
void usb_inventory_rule(const struct usb_inv_dev *d, const struct usb_inv_dev *parent, char *buf,
			size_t len);

#endif
