/* The scanner driver API: what a transport implements (struct scanner_ops)
 * and the helpers it uses to hand events to the app. scanner.c owns the
 * handle, the event queue and the keyboard wedge; each scanner_X.c is one
 * transport. */
#ifndef KIOSK_DRIVERS_SCANNER_PRIVATE_H
#define KIOSK_DRIVERS_SCANNER_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>

#include "core/wipe.h"
#include "drivers/hid_decode.h"
#include "drivers/scanner.h"

struct scanner;

/* One transport, filled with designated initialisers. */
struct scanner_ops {
	/* Mandatory: a name for messages ("usb", "fifo", ...). */
	const char *name;
	/* Mandatory: set up the transport for arg (the spec after "name:", or
	 * "" / "auto" for usb), start its thread if it has one, store its state
	 * in s->priv. Must not block on the device. 0 or a negative kiosk_err. */
	int (*open)(struct scanner *s, const char *arg, struct kiosk_why *why);
	/* Mandatory: stop the thread (promptly) and free s->priv. */
	void (*close)(struct scanner *s);
	/* Optional: start recording raw reports to path (scanner_record). */
	int (*record)(struct scanner *s, const char *path, struct kiosk_why *why);
	/* Optional: true when the UI must feed typed text (keyboard wedge). */
	bool keyboard;
};

extern const struct scanner_ops scanner_usb_ops;
extern const struct scanner_ops scanner_fifo_ops;
extern const struct scanner_ops scanner_serial_ops;
extern const struct scanner_ops scanner_replay_ops;

#define SCANNER_QUEUE_LEN 32
/* Keyboard wedge: typed text with no Enter for this long is dropped. */
#define SCANNER_WEDGE_GAP_MS 1000

struct scanner {
	const struct scanner_ops *ops;
	void *priv;                    /* the transport's state */
	atomic_bool stop;              /* set by scanner_destroy before close */

	pthread_mutex_t lock;          /* guards everything below */
	pthread_cond_t cond;           /* signalled when an event is queued */
	struct scanner_event *queue;   /* ring of SCANNER_QUEUE_LEN */
	size_t head, count;
	unsigned dropped;              /* events lost to a full queue */
	bool connected;
	const struct hid_layout *layout;
	scanner_notify_fn notify;
	void *notify_arg;

	/* keyboard wedge (only touched by the UI thread) */
	uint8_t wedge[SCANNER_MAX_PAYLOAD];
	size_t wedge_len;
	bool wedge_overflow;
	int64_t wedge_ms;
};

/* A transport's reader thread with a wake-up pipe: the thread polls
 * wake[0] beside its own fd, so scanner_thread_stop is prompt. */
struct scanner_thread {
	pthread_t tid;
	int wake[2];
	bool running;
};
int scanner_thread_start(struct scanner_thread *t, void *(*fn)(void *), void *arg,
			 struct kiosk_why *why);
/* Wake the thread (it sees scanner->stop or wake[0] readable), join it. */
void scanner_thread_stop(struct scanner_thread *t);
/* Sleep up to ms; true when woken to stop. */
bool scanner_thread_sleep(struct scanner_thread *t, int ms);

/* Queue an event (any thread); data is the payload or reason text. */
void scanner_emit(struct scanner *s, enum scanner_event_kind kind, const void *data, size_t len,
		  const char *symbology);
void scanner_emitf(struct scanner *s, enum scanner_event_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Record a connect/disconnect; queues CONNECTED/DISCONNECTED (with why as
 * the text) only when the state changes. */
void scanner_set_connected(struct scanner *s, bool up, const char *why);
/* Queue what a HID decoder produced (nothing for HID_OUT_NONE). */
void scanner_emit_hid(struct scanner *s, struct hid_output *o);
/* The keyboard layout currently configured (never NULL). */
const struct hid_layout *scanner_layout(struct scanner *s);
/* Monotonic milliseconds. */
int64_t scanner_now_ms(void);
/* Line framing for text transports (wedge, serial): a line ended; true
 * when buf now holds a complete scan, false when an MRZ line was ended
 * and more lines follow (a '\r' was appended). */
bool scanner_line_ends_scan(uint8_t *buf, size_t *len, size_t cap);

/* ---- the fifo and serial transports' line framing, on its own ---------- */
/* What each reader thread does with the bytes it reads, without the file:
 * a framer queues its scans and refusals on s as the thread would.
 * (Fuzzed: tests/fuzz/fuzz_transports.c) */
void *scanner_fifo_framer(struct scanner *s);
void scanner_fifo_feed(void *framer, const char *b, size_t n);
void scanner_fifo_framer_free(void *framer);
void *scanner_serial_framer(struct scanner *s);
void scanner_serial_feed(void *framer, const uint8_t *b, size_t n);
void scanner_serial_framer_free(void *framer);

/* ---- the replay transport's file (scanner_replay.c) ------------------- */

#define REPLAY_REPORT_MAX 64
/* One recorded HID report: when (ms from the start) and its bytes. */
struct replay_report {
	int64_t ms;
	size_t len;
	uint8_t bytes[REPLAY_REPORT_MAX];
};
/* Parse one line "<ms> <hex report>" of a replay file (NUL-terminated,
 * changed in place) into r; NULL, or the reason it is not one. Reports'
 * times may not go back before prev_ms. (Fuzzed: tests/fuzz/fuzz_replay.c) */
const char *scanner_replay_parse(char *line, int64_t prev_ms, struct replay_report *r);

#endif
