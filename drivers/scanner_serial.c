/* serial:DEV — a scanner on a serial line, usually USB CDC-ACM
 * (/dev/ttyACM0). Raw termios; CR, LF or CR LF ends a line; a line that is
 * a non-final MRZ line waits for the rest of the document. The device may
 * be missing at start and may go away: the thread retries every second and
 * reports CONNECTED / DISCONNECTED. */
#include "drivers/scanner_private.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define SERIAL_RETRY_MS 1000

struct serial_priv {
	struct scanner *s;
	char *path;
	struct scanner_thread thread;
	uint8_t buf[SCANNER_MAX_PAYLOAD];
	size_t len;
	bool active, overflow, after_cr;
	int64_t last_ms;
};

static void serial_forget(struct serial_priv *p)
{
	mem_wipe(p->buf, p->len); /* a line may be an ID's MRZ */
	p->len = 0;
	p->active = p->overflow = false;
}

static void serial_line_end(struct serial_priv *p)
{
	if (!p->active)
		return; /* empty line, or LF of a CR LF pair */
	if (p->overflow) {
		scanner_emitf(p->s, SCANNER_EV_ERROR, "scan dropped: longer than %d bytes",
			      SCANNER_MAX_PAYLOAD);
		serial_forget(p);
		return;
	}
	if (!scanner_line_ends_scan(p->buf, &p->len, sizeof p->buf))
		return;
	scanner_emit(p->s, SCANNER_EV_SCAN, p->buf, p->len, NULL);
	serial_forget(p);
}

static void serial_bytes(struct serial_priv *p, const uint8_t *b, size_t n)
{
	p->last_ms = scanner_now_ms();
	for (size_t i = 0; i < n; i++) {
		bool lf_after_cr = b[i] == '\n' && p->after_cr;
		p->after_cr = b[i] == '\r';
		if (lf_after_cr)
			continue;
		if (b[i] == '\r' || b[i] == '\n') {
			serial_line_end(p);
			continue;
		}
		p->active = true;
		if (p->len < sizeof p->buf)
			p->buf[p->len++] = b[i];
		else
			p->overflow = true;
	}
}

void *scanner_serial_framer(struct scanner *s)
{
	struct serial_priv *p = calloc(1, sizeof *p);
	if (p)
		p->s = s;
	return p;
}

void scanner_serial_feed(void *framer, const uint8_t *b, size_t n)
{
	serial_bytes(framer, b, n);
}

void scanner_serial_framer_free(void *framer)
{
	struct serial_priv *p = framer;
	if (p)
		serial_forget(p);
	free(p);
}

/* Open and set raw mode; -1 with errno-based text in why. */
static int serial_open_fd(const char *path, struct kiosk_why *why)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		kiosk_fail(why, KIOSK_EDEVICE, "serial scanner %s: %s", path, strerror(errno));
		return -1;
	}
	struct termios t;
	if (tcgetattr(fd, &t) < 0) {
		kiosk_fail(why, KIOSK_EDEVICE, "serial scanner %s is not a serial device: %s",
			   path, strerror(errno));
		close(fd);
		return -1;
	}
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	cfsetispeed(&t, B9600); /* CDC-ACM ignores the speed; real UARTs default to it */
	cfsetospeed(&t, B9600);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &t) < 0) {
		kiosk_fail(why, KIOSK_EDEVICE, "serial scanner %s: cannot set raw mode: %s", path,
			   strerror(errno));
		close(fd);
		return -1;
	}
	tcflush(fd, TCIFLUSH);
	return fd;
}

/* Read until the device goes away or we are stopped; the reason is in why. */
static bool serial_read_loop(struct serial_priv *p, int fd, struct kiosk_why *why)
{
	for (;;) {
		struct pollfd pf[2] = {{.fd = fd, .events = POLLIN},
				       {.fd = p->thread.wake[0], .events = POLLIN}};
		int r = poll(pf, 2, p->active ? HID_REPORT_GAP_MS : -1);
		if (r < 0 && errno != EINTR) {
			kiosk_fail(why, KIOSK_EIO, "serial scanner %s: %s", p->path,
				   strerror(errno));
			return false;
		}
		if (pf[1].revents)
			return true;
		if (p->active && scanner_now_ms() - p->last_ms > HID_REPORT_GAP_MS) {
			scanner_emitf(p->s, SCANNER_EV_ERROR,
				      "scan dropped: %zu bytes without a line end, then %d ms of "
				      "silence",
				      p->len, HID_REPORT_GAP_MS);
			serial_forget(p);
		}
		if (!pf[0].revents)
			continue;
		uint8_t b[512];
		ssize_t n = read(fd, b, sizeof b);
		if (n > 0) {
			serial_bytes(p, b, (size_t)n);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		kiosk_fail(why, KIOSK_EDEVICE, "serial scanner %s went away: %s", p->path,
			   n == 0 ? "hang-up" : strerror(errno));
		return false;
	}
}

static void *serial_thread(void *arg)
{
	struct serial_priv *p = arg;
	struct scanner *s = p->s;
	bool told = false;
	while (!atomic_load(&s->stop)) {
		struct kiosk_why why = {""};
		int fd = serial_open_fd(p->path, &why);
		if (fd < 0) {
			if (!told)
				scanner_emit(s, SCANNER_EV_DISCONNECTED, why.text, strlen(why.text),
					     NULL);
			told = true;
			if (scanner_thread_sleep(&p->thread, SERIAL_RETRY_MS))
				break;
			continue;
		}
		scanner_set_connected(s, true, p->path);
		told = false;
		bool stopping = serial_read_loop(p, fd, &why);
		close(fd);
		if (stopping)
			break;
		if (p->active)
			scanner_emitf(s, SCANNER_EV_ERROR, "scan dropped: the device went away "
				      "after %zu bytes", p->len);
		serial_forget(p);
		scanner_set_connected(s, false, why.text);
		told = true;
		if (scanner_thread_sleep(&p->thread, SERIAL_RETRY_MS))
			break;
	}
	return NULL;
}

static int serial_open(struct scanner *s, const char *path, struct kiosk_why *why)
{
	struct serial_priv *p = calloc(1, sizeof *p);
	if (!p || !(p->path = strdup(path))) {
		free(p);
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory for the serial scanner");
	}
	p->s = s;
	s->priv = p;
	int rc = scanner_thread_start(&p->thread, serial_thread, p, why);
	if (rc < 0) {
		free(p->path);
		free(p);
		s->priv = NULL;
	}
	return rc;
}

static void serial_close(struct scanner *s)
{
	struct serial_priv *p = s->priv;
	if (!p)
		return;
	scanner_thread_stop(&p->thread);
	free(p->path);
	free(p);
	s->priv = NULL;
}

const struct scanner_ops scanner_serial_ops = {
	.name = "serial",
	.open = serial_open,
	.close = serial_close,
};
