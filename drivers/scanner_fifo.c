/* fifo:PATH — scans written by another process, one per line, with the
 * escapes \r \n \xHH \\ inside a line (interfaces.md §2). Used by tests,
 * demos and integrations. The fifo is made when missing; at EOF (the last
 * writer closed) it is reopened, so writers can come one after another. */
#include "drivers/scanner_private.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/wipe.h"
#include "domain/scan.h"

/* An escaped line is at most 4 characters per payload byte ("\x1d"). */
#define FIFO_LINE_MAX (4 * SCANNER_MAX_PAYLOAD)

struct fifo_priv {
	struct scanner *s;
	char *path;
	struct scanner_thread thread;
	char line[FIFO_LINE_MAX + 1];
	size_t len;
	bool too_long;
	uint8_t payload[FIFO_LINE_MAX];
};

static void fifo_line(struct fifo_priv *f)
{
	struct scanner *s = f->s;
	size_t n = f->len;
	bool too_long = f->too_long;
	f->len = 0;
	f->too_long = false;
	if (too_long) {
		scanner_emitf(s, SCANNER_EV_ERROR, "scan dropped: fifo line longer than %d bytes",
			      FIFO_LINE_MAX);
		return;
	}
	if (n && f->line[n - 1] == '\r')
		n--; /* a writer ending lines with CR LF */
	if (!n)
		return;
	f->line[n] = '\0';
	if (strlen(f->line) != n) {
		scanner_emitf(s, SCANNER_EV_ERROR, "scan dropped: fifo line holds a NUL byte "
			      "(write it as \\x00)");
		return;
	}
	long got = scan_unescape(f->line, f->payload, sizeof f->payload);
	if (got < 0) {
		scanner_emitf(s, SCANNER_EV_ERROR,
			      "scan dropped: malformed escape in fifo line (use \\r \\n \\xHH "
			      "or \\\\)");
		return;
	}
	if (got > SCANNER_MAX_PAYLOAD) {
		scanner_emitf(s, SCANNER_EV_ERROR, "scan dropped: longer than %d bytes",
			      SCANNER_MAX_PAYLOAD);
		return;
	}
	scanner_emit(s, SCANNER_EV_SCAN, f->payload, (size_t)got, NULL);
	mem_wipe(f->payload, (size_t)got);
	mem_wipe(f->line, n);
}

static void fifo_bytes(struct fifo_priv *f, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i] == '\n') {
			fifo_line(f);
		} else if (f->len < FIFO_LINE_MAX) {
			f->line[f->len++] = b[i];
		} else {
			f->too_long = true;
		}
	}
}

void *scanner_fifo_framer(struct scanner *s)
{
	struct fifo_priv *f = calloc(1, sizeof *f);
	if (f)
		f->s = s;
	return f;
}

void scanner_fifo_feed(void *framer, const char *b, size_t n)
{
	fifo_bytes(framer, b, n);
}

void scanner_fifo_framer_free(void *framer)
{
	struct fifo_priv *f = framer;
	if (f)
		mem_wipe(f, sizeof *f);
	free(f);
}

static void *fifo_thread(void *arg)
{
	struct fifo_priv *f = arg;
	struct scanner *s = f->s;
	bool told = false;
	while (!atomic_load(&s->stop)) {
		int fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			if (!told)
				scanner_emitf(s, SCANNER_EV_ERROR, "cannot open fifo %s: %s",
					      f->path, strerror(errno));
			told = true;
			if (scanner_thread_sleep(&f->thread, 1000))
				break;
			continue;
		}
		told = false;
		for (;;) {
			struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
					      {.fd = f->thread.wake[0], .events = POLLIN}};
			if (poll(p, 2, -1) < 0 && errno != EINTR)
				break;
			if (p[1].revents)
				break;
			char buf[4096];
			ssize_t n = read(fd, buf, sizeof buf);
			if (n > 0) {
				fifo_bytes(f, buf, (size_t)n);
				mem_wipe(buf, (size_t)n); /* a line may be an ID's MRZ */
				continue;
			}
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			/* EOF: the writer closed. A last line without '\n' still counts. */
			if (f->len || f->too_long)
				fifo_line(f);
			break;
		}
		close(fd);
	}
	return NULL;
}

static int fifo_open(struct scanner *s, const char *path, struct kiosk_why *why)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (!S_ISFIFO(st.st_mode))
			return kiosk_fail(why, KIOSK_EINVAL,
					  "scanner fifo %s exists but is not a fifo", path);
	} else if (mkfifo(path, 0600) < 0 && errno != EEXIST) {
		return kiosk_fail(why, KIOSK_EIO, "cannot make scanner fifo %s: %s", path,
				  strerror(errno));
	}
	struct fifo_priv *f = calloc(1, sizeof *f);
	if (!f || !(f->path = strdup(path))) {
		free(f);
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory for the scanner fifo");
	}
	f->s = s;
	s->priv = f;
	scanner_set_connected(s, true, path);
	int rc = scanner_thread_start(&f->thread, fifo_thread, f, why);
	if (rc < 0) {
		free(f->path);
		free(f);
		s->priv = NULL;
	}
	return rc;
}

static void fifo_close(struct scanner *s)
{
	struct fifo_priv *f = s->priv;
	if (!f)
		return;
	scanner_thread_stop(&f->thread);
	free(f->path);
	free(f);
	s->priv = NULL;
}

const struct scanner_ops scanner_fifo_ops = {
	.name = "fifo",
	.open = fifo_open,
	.close = fifo_close,
};
