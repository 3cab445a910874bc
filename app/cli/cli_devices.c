/* kiosk devices [--usbguard] [--scanner SPEC] [--printer SPEC]: the USB
 * devices plugged in and what the kiosk takes them as; with --usbguard, a
 * USBGuard rule set that allows exactly the kiosk's scanner and printer
 * and the hubs between them and the computer (everything else stays
 * blocked by ImplicitPolicyTarget=block). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "drivers/usb_inventory.h"

#define SYSFS_USB "/sys/bus/usb/devices"

static const char *role_words(const struct usb_inv_dev *d)
{
	switch (d->role) {
	case USB_ROLE_SCANNER: return "scanner";
	case USB_ROLE_PRINTER: return "printer";
	case USB_ROLE_HUB: return d->wanted ? "hub, on the way to the scanner or printer" : "hub";
	default: return "not the kiosk's";
	}
}

static const struct usb_inv_dev *parent_of(const struct usb_inv_dev *devs, int n,
					   const struct usb_inv_dev *d)
{
	for (int i = 0; i < n; i++)
		if (d->parent[0] && strcmp(devs[i].port, d->parent) == 0)
			return &devs[i];
	return NULL;
}

int cli_devices(struct cli_ctx *ctx, int argc, char **argv)
{
	bool usbguard = false;
	const char *scanner = NULL, *printer = NULL;
	const struct cli_opt opts[] = {{"--usbguard", NULL, &usbguard},
				       {"--scanner", &scanner, NULL},
				       {"--printer", &printer, NULL},
				       {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct kiosk_why why = {{0}};
	struct usb_inv_want want = {scanner, printer};
	struct usb_inv_dev *devs = NULL;
	int n = 0, kiosk_own = 0;
	if (usb_inventory_read(SYSFS_USB, &want, &devs, &n, &why))
		return cli_refuse(ctx, &why);
	for (int i = 0; i < n; i++)
		kiosk_own += devs[i].role == USB_ROLE_SCANNER || devs[i].role == USB_ROLE_PRINTER;

	if (!usbguard) {
		printf("%-10s %-9s %-34s %s\n", "PORT", "ID", "NAME", "THE KIOSK TAKES IT AS");
		for (int i = 0; i < n; i++)
			printf("%-10s %04x:%04x %-34.34s %s\n", devs[i].port, devs[i].vid, devs[i].pid,
			       devs[i].name, strncmp(devs[i].port, "usb", 3) ? role_words(&devs[i])
									: "the computer's own USB port");
		free(devs);
		return CLI_OK;
	}
	if (!kiosk_own) {
		free(devs);
		kiosk_fail(&why, KIOSK_ENOTFOUND,
			   "No scanner or printer is plugged in, so a policy now would block them: "
			   "plug them in (or name them with --scanner/--printer usb:VID:PID) and run "
			   "this again.");
		return cli_refuse(ctx, &why);
	}
	struct kiosk_time now;
	char iso[32] = "";
	if (!clock_now(&now, &why))
		time_format_iso(now, iso, sizeof iso);
	printf("# USBGuard rules for this kiosk, made by `kiosk devices --usbguard` at %s.\n"
	       "# They allow exactly its scanner and printer, on these ports, and the hubs\n"
	       "# between them and the computer. Install as /etc/usbguard/rules.conf with\n"
	       "# ImplicitPolicyTarget=block and PresentControllerPolicy=keep (the defaults).\n"
	       "# A replaced scanner or printer is blocked until this is run again.\n",
	       iso);
	for (int i = 0; i < n; i++) {
		if (!devs[i].wanted)
			continue;
		char rule[1400];
		usb_inventory_rule(&devs[i], parent_of(devs, n, &devs[i]), rule, sizeof rule);
		printf("# %s: %s\n%s\n", devs[i].port, role_words(&devs[i]), rule);
	}
	free(devs);
	/* A customer's own headphones start speech (EN 301 549): let in, on any
	 * port, what is sound and nothing else; a headset that also has buttons
	 * (a keyboard-like HID interface) or anything more stays blocked. */
	printf("# Headphones and headsets that are sound and nothing else, on any port: a\n"
	       "# customer who plugs in their own hears the kiosk's speech in them. One with\n"
	       "# buttons (a HID interface) or anything more stays blocked. Remove the line\n"
	       "# to let in no headphones.\n"
	       "allow with-interface match-all { 01:*:* }\n");
	return CLI_OK;
}
