/* Scanner handle: spec parsing, the event queue every transport fills,
 * scanner_poll/wait for the app, and the keyboard-wedge transport (the UI
 * hands typed text; Enter ends a scan). */
#include "drivers/scanner_private.h"

#include "core/wipe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keyboard wedge: no thread, the UI feeds it. */
static int wedge_open(struct scanner *s, const char *arg, struct kiosk_why *why)
{
	scanner_set_connected(s, true, "keyboard wedge");
	return 0;
}

static void wedge_close(struct scanner *s)
{
}

static const struct scanner_ops scanner_wedge_ops = {
	.name = "keyboard",
	.open = wedge_open,
	.close = wedge_close,
	.keyboard = true,
};

/* The spec forms of interfaces.md §2. */
static const struct spec_form {
	const char *form;   /* whole spec, or prefix ending in ':' */
	const struct scanner_ops *ops;
	const char *arg;    /* fixed arg for whole-spec forms */
} spec_forms[] = {
	{"auto", &scanner_usb_ops, "auto"},
	{"usb", &scanner_usb_ops, ""},
	{"usb:", &scanner_usb_ops, NULL},
	{"keyboard", &scanner_wedge_ops, ""},
	{"serial:", &scanner_serial_ops, NULL},
	{"fifo:", &scanner_fifo_ops, NULL},
	{"replay:", &scanner_replay_ops, NULL},
};

int64_t scanner_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int scanner_create(struct scanner **out, const char *spec, scanner_notify_fn notify,
		   void *notify_arg, struct kiosk_why *why)
{
	*out = NULL;
	const struct spec_form *f = NULL;
	const char *arg = NULL;
	for (size_t i = 0; spec && i < sizeof spec_forms / sizeof spec_forms[0]; i++) {
		size_t n = strlen(spec_forms[i].form);
		if (spec_forms[i].arg ? !strcmp(spec, spec_forms[i].form)
				      : !strncmp(spec, spec_forms[i].form, n)) {
			f = &spec_forms[i];
			arg = f->arg ? f->arg : spec + n;
			break;
		}
	}
	if (!f)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "unknown scanner \"%s\" (use auto, usb, usb:VID:PID, keyboard, "
				  "serial:DEV, fifo:PATH or replay:FILE)",
				  spec ? spec : "");
	if (!f->arg && !*arg)
		return kiosk_fail(why, KIOSK_EINVAL, "scanner \"%s\" needs a value after the colon",
				  spec);

	struct scanner *s = calloc(1, sizeof *s);
	if (!s)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory for the scanner");
	s->queue = calloc(SCANNER_QUEUE_LEN, sizeof *s->queue);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	s->ops = f->ops;
	s->notify = notify;
	s->notify_arg = notify_arg;
	s->layout = hid_layout_find("us");
	atomic_init(&s->stop, false);
	if (!s->queue) {
		free(s);
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory for the scanner");
	}
	int rc = s->ops->open(s, arg, why);
	if (rc < 0) {
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		free(s->queue);
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void scanner_destroy(struct scanner *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	s->ops->close(s);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s->queue);
	free(s);
}

int scanner_set_layout(struct scanner *s, const char *name, struct kiosk_why *why)
{
	const struct hid_layout *l = hid_layout_find(name);
	if (!l)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "unknown keyboard layout \"%s\" for the scanner (use us or sv)",
				  name ? name : "");
	pthread_mutex_lock(&s->lock);
	s->layout = l;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int scanner_record(struct scanner *s, const char *path, struct kiosk_why *why)
{
	if (!s->ops->record)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "only a USB scanner can record its reports (this one is %s)",
				  s->ops->name);
	return s->ops->record(s, path, why);
}

const struct hid_layout *scanner_layout(struct scanner *s)
{
	pthread_mutex_lock(&s->lock);
	const struct hid_layout *l = s->layout;
	pthread_mutex_unlock(&s->lock);
	return l;
}

void scanner_emit(struct scanner *s, enum scanner_event_kind kind, const void *data, size_t len,
		  const char *symbology)
{
	pthread_mutex_lock(&s->lock);
	if (s->count == SCANNER_QUEUE_LEN) {
		/* The app stopped polling; keep the oldest events, count the rest. */
		s->dropped++;
		pthread_mutex_unlock(&s->lock);
		return;
	}
	struct scanner_event *ev = &s->queue[(s->head + s->count) % SCANNER_QUEUE_LEN];
	s->count++;
	ev->kind = kind;
	ev->len = len < sizeof ev->data ? len : sizeof ev->data;
	if (ev->len)
		memcpy(ev->data, data, ev->len);
	snprintf(ev->symbology, sizeof ev->symbology, "%s", symbology ? symbology : "");
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	if (s->notify)
		s->notify(s->notify_arg);
}

void scanner_emitf(struct scanner *s, enum scanner_event_kind kind, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	scanner_emit(s, kind, text, strlen(text), NULL);
}

void scanner_set_connected(struct scanner *s, bool up, const char *why)
{
	pthread_mutex_lock(&s->lock);
	bool changed = s->connected != up;
	s->connected = up;
	pthread_mutex_unlock(&s->lock);
	if (changed)
		scanner_emit(s, up ? SCANNER_EV_CONNECTED : SCANNER_EV_DISCONNECTED, why,
			     why ? strlen(why) : 0, NULL);
}

void scanner_emit_hid(struct scanner *s, struct hid_output *o)
{
	if (o->kind == HID_OUT_SCAN) {
		scanner_emit(s, SCANNER_EV_SCAN, o->payload, o->len, o->symbology);
		mem_wipe(o->payload, o->len); /* the queue holds the one copy */
	}
	else if (o->kind == HID_OUT_ERROR)
		scanner_emit(s, SCANNER_EV_ERROR, o->why, strlen(o->why), NULL);
}

/* Take the head of the queue; the lock is held. */
static int queue_take(struct scanner *s, struct scanner_event *ev)
{
	if (s->dropped) {
		unsigned n = s->dropped;
		s->dropped = 0;
		ev->kind = SCANNER_EV_ERROR;
		ev->len = (size_t)snprintf((char *)ev->data, sizeof ev->data,
					   "%u scanner events lost: the app did not collect them",
					   n);
		ev->symbology[0] = '\0';
		return 1;
	}
	if (!s->count)
		return 0;
	struct scanner_event *q = &s->queue[s->head];
	ev->kind = q->kind;
	ev->len = q->len;
	memcpy(ev->data, q->data, q->len);
	memcpy(ev->symbology, q->symbology, sizeof ev->symbology);
	mem_wipe(q, sizeof *q); /* a scan may be an ID: one copy, the caller's */
	s->head = (s->head + 1) % SCANNER_QUEUE_LEN;
	s->count--;
	return 1;
}

static void wedge_expire(struct scanner *s);

int scanner_poll(struct scanner *s, struct scanner_event *ev)
{
	wedge_expire(s);
	pthread_mutex_lock(&s->lock);
	int got = queue_take(s, ev);
	pthread_mutex_unlock(&s->lock);
	return got;
}

int scanner_wait(struct scanner *s, struct scanner_event *ev, int timeout_ms)
{
	wedge_expire(s);
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->lock);
	int got;
	while (!(got = queue_take(s, ev)))
		if (pthread_cond_timedwait(&s->cond, &s->lock, &until) == ETIMEDOUT) {
			got = queue_take(s, ev);
			break;
		}
	pthread_mutex_unlock(&s->lock);
	return got;
}

bool scanner_connected(const struct scanner *s)
{
	struct scanner *m = (struct scanner *)s; /* the lock is not part of the value */
	pthread_mutex_lock(&m->lock);
	bool up = m->connected;
	pthread_mutex_unlock(&m->lock);
	return up;
}

/* ---- transport threads ------------------------------------------------ */

int scanner_thread_start(struct scanner_thread *t, void *(*fn)(void *), void *arg,
			 struct kiosk_why *why)
{
	t->running = false;
	if (pipe(t->wake) < 0)
		return kiosk_fail(why, KIOSK_EIO, "cannot make the scanner's wake-up pipe: %s",
				  strerror(errno));
	for (int i = 0; i < 2; i++) {
		fcntl(t->wake[i], F_SETFD, FD_CLOEXEC);
		fcntl(t->wake[i], F_SETFL, O_NONBLOCK);
	}
	int rc = pthread_create(&t->tid, NULL, fn, arg);
	if (rc) {
		close(t->wake[0]);
		close(t->wake[1]);
		return kiosk_fail(why, KIOSK_EIO, "cannot start the scanner thread: %s",
				  strerror(rc));
	}
	t->running = true;
	return 0;
}

void scanner_thread_stop(struct scanner_thread *t)
{
	if (!t->running)
		return;
	ssize_t w = write(t->wake[1], "x", 1);
	(void)w; /* a full pipe already wakes the thread */
	pthread_join(t->tid, NULL);
	close(t->wake[0]);
	close(t->wake[1]);
	t->running = false;
}

bool scanner_thread_sleep(struct scanner_thread *t, int ms)
{
	struct pollfd p = {.fd = t->wake[0], .events = POLLIN};
	return poll(&p, 1, ms) > 0;
}

/* ---- keyboard wedge and line framing ---------------------------------- */

bool scanner_line_ends_scan(uint8_t *buf, size_t *len, size_t cap)
{
	if (!hid_mrz_wants_more(buf, *len) || *len + 1 > cap)
		return true;
	buf[(*len)++] = '\r';
	return false;
}

bool scanner_wants_keyboard(const struct scanner *s)
{
	return s && s->ops->keyboard;
}

static void wedge_forget(struct scanner *s)
{
	s->wedge_len = 0;
	s->wedge_overflow = false;
}

/* Typed text left without Enter (a scanner configured without a suffix, or
 * a bump on the keyboard) is dropped, so it cannot prefix the next scan. */
static void wedge_expire(struct scanner *s)
{
	if (!s->ops->keyboard || !(s->wedge_len || s->wedge_overflow) ||
	    scanner_now_ms() - s->wedge_ms <= SCANNER_WEDGE_GAP_MS)
		return;
	scanner_emitf(s, SCANNER_EV_ERROR,
		      "scan dropped: %zu bytes typed, then %d ms without the final Enter",
		      s->wedge_len, SCANNER_WEDGE_GAP_MS);
	wedge_forget(s);
}

void scanner_feed_text(struct scanner *s, const char *utf8)
{
	if (!s || !s->ops->keyboard || !utf8 || !*utf8)
		return;
	wedge_expire(s);
	size_t n = strlen(utf8);
	if (s->wedge_overflow || s->wedge_len + n > sizeof s->wedge) {
		s->wedge_overflow = true;
	} else {
		memcpy(s->wedge + s->wedge_len, utf8, n);
		s->wedge_len += n;
	}
	s->wedge_ms = scanner_now_ms();
}

void scanner_feed_enter(struct scanner *s)
{
	if (!s || !s->ops->keyboard)
		return;
	wedge_expire(s);
	if (s->wedge_overflow) {
		scanner_emitf(s, SCANNER_EV_ERROR, "scan dropped: longer than %d bytes",
			      SCANNER_MAX_PAYLOAD);
		wedge_forget(s);
		return;
	}
	if (!s->wedge_len)
		return; /* an empty line is no scan */
	if (!scanner_line_ends_scan(s->wedge, &s->wedge_len, sizeof s->wedge)) {
		s->wedge_ms = scanner_now_ms();
		return;
	}
	scanner_emit(s, SCANNER_EV_SCAN, s->wedge, s->wedge_len, NULL);
	wedge_forget(s);
}
