/* file:PATH — append the exact ESC/POS bytes to a file (or a device node
 * such as /dev/usb/lp0 for printers driven by the kernel's usblp). */
#include "drivers/printer_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct file_priv {
	int fd;
	char path[1024];
};

static int file_open(struct printer *p, const char *arg, struct kiosk_why *why)
{
	if (!arg[0])
		return kiosk_fail(why, KIOSK_EINVAL, "The printer spec file: needs a path (file:PATH).");
	struct file_priv *f = calloc(1, sizeof(*f));
	if (!f)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory opening the printer.");
	snprintf(f->path, sizeof(f->path), "%s", arg);
	/* the receipt holds a live case code: its owner only */
	f->fd = open(arg, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (f->fd < 0) {
		int e = errno;
		free(f);
		return kiosk_fail(why, KIOSK_EIO, "The printer file %s could not be opened: %s.", arg,
				  strerror(e));
	}
	p->priv = f;
	return 0;
}

static void file_close(struct printer *p)
{
	struct file_priv *f = p->priv;
	close(f->fd);
	free(f);
}

static int file_write(struct printer *p, const uint8_t *b, size_t n, struct kiosk_why *why)
{
	struct file_priv *f = p->priv;
	while (n > 0) {
		ssize_t w = write(f->fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return kiosk_fail(why, KIOSK_EIO, "Writing the receipt to %s failed: %s.",
					  f->path, w < 0 ? strerror(errno) : "nothing written");
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

const struct printer_ops printer_file_ops = {
	.name = "file",
	.open = file_open,
	.close = file_close,
	.write = file_write,
};
