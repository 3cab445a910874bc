#include "drivers/usb_inventory.h"
#include "drivers/usb_inventory_private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/printer.h"
#include "drivers/scanner.h"

#define MAX_DEVICES 128
#define MAX_DESCRIPTORS 65536

/* One sysfs attribute as text, its trailing newline removed; "" if absent. */
static void read_attr(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 32];
	buf[0] = '\0';
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	size_t n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
}

/* The raw descriptors; *n bytes into a malloc'd buffer, NULL if none. */
static unsigned char *read_descriptors(const char *dir, size_t *n)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/descriptors", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	unsigned char *buf = malloc(MAX_DESCRIPTORS);
	size_t have = 0;
	ssize_t r;
	while (buf && have < MAX_DESCRIPTORS &&
	       ((r = read(fd, buf + have, MAX_DESCRIPTORS - have)) > 0 || (r < 0 && errno == EINTR)))
		if (r > 0)
			have += (size_t)r;
	close(fd);
	if (buf && have < 18) {
		free(buf);
		buf = NULL;
	}
	*n = have;
	return buf;
}

/* Ids and interfaces from the descriptors: the device descriptor, then
 * every interface descriptor of every configuration. n >= 18. */
void usb_inventory_parse(const unsigned char *d, size_t n, struct usb_inv_dev *dev)
{
	dev->vid = (uint16_t)(d[8] | d[9] << 8);
	dev->pid = (uint16_t)(d[10] | d[11] << 8);
	for (size_t at = d[0]; at + 2 <= n && d[at] >= 2 && at + d[at] <= n; at += d[at]) {
		if (d[at + 1] == 4 && d[at] >= 9 && dev->n_ifaces < USB_INV_MAX_IFACES) {
			uint8_t *t = dev->ifaces[dev->n_ifaces++];
			t[0] = d[at + 5];
			t[1] = d[at + 6];
			t[2] = d[at + 7];
		}
	}
}

static void usbguard_hash(const struct usb_inv_dev *dev, const unsigned char *desc, size_t n,
			  char out[48])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char ids[2][5];
	snprintf(ids[0], sizeof ids[0], "%04x", dev->vid);
	snprintf(ids[1], sizeof ids[1], "%04x", dev->pid);
	crypto_hash_sha256_init(&h);
	const char *fields[4] = {dev->name, ids[0], ids[1], dev->serial};
	for (int i = 0; i < 4; i++)
		crypto_hash_sha256_update(&h, (const unsigned char *)fields[i], strlen(fields[i]));
	crypto_hash_sha256_update(&h, desc, n);
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2base64(out, 48, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
}

static bool has_class(const struct usb_inv_dev *d, uint8_t cls)
{
	for (int i = 0; i < d->n_ifaces; i++)
		if (d->ifaces[i][0] == cls)
			return true;
	return false;
}

/* Does spec ("usb:VID:PID") name d? */
static bool spec_names(const char *spec, const struct usb_inv_dev *d)
{
	unsigned vid, pid;
	char tail;
	return spec && sscanf(spec, "usb:%4x:%4x%c", &vid, &pid, &tail) == 2 && vid == d->vid &&
	       pid == d->pid;
}

static enum usb_role role_of(const struct usb_inv_dev *d, const struct usb_inv_want *w)
{
	if (spec_names(w ? w->scanner_spec : NULL, d) || scanner_usb_known(d->vid, d->pid))
		return USB_ROLE_SCANNER;
	if (spec_names(w ? w->printer_spec : NULL, d) || printer_usb_known(d->vid, d->pid) ||
	    has_class(d, 0x07))
		return USB_ROLE_PRINTER;
	if (has_class(d, 0x09))
		return USB_ROLE_HUB;
	return USB_ROLE_OTHER;
}

/* A USB device's sysfs name: "usbN" or "B-P[.P…]" (interfaces have ':'). */
static bool is_device_name(const char *name)
{
	return name[0] != '.' && !strchr(name, ':') &&
	       (strncmp(name, "usb", 3) == 0 || (name[0] >= '0' && name[0] <= '9'));
}

static int by_port(const void *a, const void *b)
{
	return strcmp(((const struct usb_inv_dev *)a)->port, ((const struct usb_inv_dev *)b)->port);
}

static struct usb_inv_dev *find(struct usb_inv_dev *devs, int n, const char *port)
{
	for (int i = 0; i < n; i++)
		if (strcmp(devs[i].port, port) == 0)
			return &devs[i];
	return NULL;
}

int usb_inventory_read(const char *sysfs_devices, const struct usb_inv_want *want,
		       struct usb_inv_dev **out, int *n_out, struct kiosk_why *why)
{
	*out = NULL;
	*n_out = 0;
	if (sodium_init() < 0)
		return kiosk_fail(why, KIOSK_EIO, "The hashing library could not start.");
	DIR *dir = opendir(sysfs_devices);
	if (!dir)
		return kiosk_fail(why, KIOSK_EIO, "The USB devices cannot be listed (%s: %s).",
				  sysfs_devices, strerror(errno));
	struct usb_inv_dev *devs = calloc(MAX_DEVICES, sizeof *devs);
	if (!devs) {
		closedir(dir);
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory listing the USB devices.");
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) && n < MAX_DEVICES) {
		if (!is_device_name(e->d_name) || strlen(e->d_name) >= sizeof devs->port)
			continue;
		char link[PATH_MAX + 64], real[PATH_MAX];
		snprintf(link, sizeof link, "%s/%s", sysfs_devices, e->d_name);
		if (!realpath(link, real))
			continue;
		size_t len;
		unsigned char *desc = read_descriptors(real, &len);
		if (!desc)
			continue;
		struct usb_inv_dev *d = &devs[n++];
		snprintf(d->port, sizeof d->port, "%s", e->d_name);
		char *slash = strrchr(real, '/');
		if (slash) {
			*slash = '\0';
			const char *up = strrchr(real, '/');
			up = up ? up + 1 : real;
			if (is_device_name(up) && strlen(up) < sizeof d->parent)
				memcpy(d->parent, up, strlen(up) + 1);
			*slash = '/';
		}
		read_attr(real, "product", d->name, sizeof d->name);
		read_attr(real, "serial", d->serial, sizeof d->serial);
		read_attr(real, "port/connect_type", d->connect_type, sizeof d->connect_type);
		usb_inventory_parse(desc, len, d);
		/* USBGuard hashes a Linux root hub's device descriptor with its
		 * bcdDevice (the kernel's version) as 0, so a kernel update does
		 * not change it */
		if (d->vid == 0x1d6b && d->pid >= 1 && d->pid <= 3)
			desc[12] = desc[13] = 0;
		usbguard_hash(d, desc, len, d->hash);
		free(desc);
		d->role = role_of(d, want);
	}
	closedir(dir);
	qsort(devs, (size_t)n, sizeof *devs, by_port);
	/* the scanner, the printer, and each hub on their way to the computer
	 * (a root hub stays with USBGuard's PresentControllerPolicy) */
	for (int i = 0; i < n; i++) {
		if (devs[i].role != USB_ROLE_SCANNER && devs[i].role != USB_ROLE_PRINTER)
			continue;
		for (struct usb_inv_dev *d = &devs[i]; d && strncmp(d->port, "usb", 3) != 0;
		     d = find(devs, n, d->parent))
			d->wanted = true;
	}
	*out = devs;
	*n_out = n;
	return 0;
}

/* A rules.conf string: quotes and backslashes escaped, control bytes as
 * \xNN. */
static size_t quoted(char *buf, size_t len, const char *s)
{
	size_t at = 0;
	char tmp[8];
	if (at + 1 < len)
		buf[at++] = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			snprintf(tmp, sizeof tmp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			snprintf(tmp, sizeof tmp, "\\x%02x", *p);
		else
			snprintf(tmp, sizeof tmp, "%c", *p);
		for (const char *t = tmp; *t && at + 1 < len; t++)
			buf[at++] = *t;
	}
	if (at + 1 < len)
		buf[at++] = '"';
	buf[at] = '\0';
	return at;
}

void usb_inventory_rule(const struct usb_inv_dev *d, const struct usb_inv_dev *parent, char *buf,
			size_t len)
{
	char serial[300], name[300], port[80], ctype[80], ifaces[USB_INV_MAX_IFACES * 10 + 8];
	quoted(serial, sizeof serial, d->serial);
	quoted(name, sizeof name, d->name);
	quoted(port, sizeof port, d->port);
	quoted(ctype, sizeof ctype, d->connect_type);
	size_t at = 0;
	if (d->n_ifaces > 1)
		at += (size_t)snprintf(ifaces, sizeof ifaces, "{ ");
	for (int i = 0; i < d->n_ifaces && at < sizeof ifaces; i++)
		at += (size_t)snprintf(ifaces + at, sizeof ifaces - at, "%02x:%02x:%02x ",
				       d->ifaces[i][0], d->ifaces[i][1], d->ifaces[i][2]);
	if (d->n_ifaces > 1 && at < sizeof ifaces)
		snprintf(ifaces + at, sizeof ifaces - at, "}");
	else if (at)
		ifaces[at - 1] = '\0';
	else
		ifaces[0] = '\0';
	int w = snprintf(buf, len, "allow id %04x:%04x serial %s name %s hash \"%s\"", d->vid, d->pid,
			 serial, name, d->hash);
	if (w > 0 && (size_t)w < len && parent)
		w += snprintf(buf + w, len - (size_t)w, " parent-hash \"%s\"", parent->hash);
	if (w > 0 && (size_t)w < len)
		snprintf(buf + w, len - (size_t)w, " via-port %s with-interface %s with-connect-type %s",
			 port, ifaces, ctype);
}
