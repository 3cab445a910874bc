/* libFuzzer target for the fifo and serial scanner transports' framing:
 * any bytes, in chunks as reads would deliver them, go through the line
 * framer a reader thread runs (the first byte picks the transport and the
 * chunk size). Besides the sanitizers it checks what the app relies on:
 * a scan is 1..SCANNER_MAX_PAYLOAD bytes, a refusal is printable text, and
 * nothing is queued past the queue's length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/scanner_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond)
{
	if (!cond)
		abort();
}

static void drain(struct scanner *s)
{
	struct scanner_event ev;
	while (scanner_poll(s, &ev) > 0) {
		if (ev.kind == SCANNER_EV_SCAN) {
			must(ev.len >= 1 && ev.len <= SCANNER_MAX_PAYLOAD);
		} else if (ev.kind == SCANNER_EV_ERROR) {
			for (size_t i = 0; i < ev.len; i++)
				must(ev.data[i] >= 0x20 || ev.data[i] == '\n');
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scanner *s;
	struct kiosk_why why;
	if (!s)
		must(scanner_create(&s, "keyboard", NULL, NULL, &why) == 0);
	if (size < 1)
		return 0;
	bool serial = data[0] & 1;
	size_t chunk = 1 + (data[0] >> 1);
	void *f = serial ? scanner_serial_framer(s) : scanner_fifo_framer(s);
	must(f != NULL);
	for (size_t at = 1; at < size; at += chunk) {
		size_t n = size - at < chunk ? size - at : chunk;
		if (serial)
			scanner_serial_feed(f, data + at, n);
		else
			scanner_fifo_feed(f, (const char *)data + at, n);
		drain(s);
	}
	if (serial)
		scanner_serial_feed(f, (const uint8_t *)"\r", 1);
	else
		scanner_fifo_feed(f, "\n", 1);
	drain(s);
	if (serial)
		scanner_serial_framer_free(f);
	else
		scanner_fifo_framer_free(f);
	return 0;
}
