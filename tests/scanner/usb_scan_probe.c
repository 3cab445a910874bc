/* Test program: open a scanner by spec and print its events, one per line,
 * until N events have been printed (umockdev scripts repeat from the top,
 * so "the device has nothing more to say" cannot be scripted; the test
 * says how many events it expects instead).
 *
 *   usb_scan_probe [--record FILE] SPEC N [TIMEOUT_MS] [LAYOUT]
 *
 * Lines: "connected: WHAT", "disconnected: WHY", "error: WHY",
 * "scan [SYM] PAYLOAD" with bytes outside printable ASCII as \xHH.
 * Exit 0 after N events, 1 on timeout or a refused spec, 2 on usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/scanner.h"

static void print_text(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
			putchar(b[i]);
		else
			printf("\\x%02x", b[i]);
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	const char *record = NULL;
	if (argc > 2 && !strcmp(argv[1], "--record")) {
		record = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: usb_scan_probe [--record FILE] SPEC N [TIMEOUT_MS] [LAYOUT]\n");
		return 2;
	}
	int want = atoi(argv[2]);
	int timeout_ms = argc > 3 ? atoi(argv[3]) : 10000;
	struct kiosk_why why = {""};
	struct scanner *s;
	if (scanner_create(&s, argv[1], NULL, NULL, &why) < 0) {
		printf("refused: %s\n", why.text);
		return 1;
	}
	if ((argc > 4 && scanner_set_layout(s, argv[4], &why) < 0) ||
	    (record && scanner_record(s, record, &why) < 0)) {
		printf("refused: %s\n", why.text);
		scanner_destroy(s);
		return 1;
	}
	static struct scanner_event ev;
	int got = 0;
	while (got < want && scanner_wait(s, &ev, timeout_ms)) {
		switch (ev.kind) {
		case SCANNER_EV_CONNECTED:
			printf("connected: ");
			break;
		case SCANNER_EV_DISCONNECTED:
			printf("disconnected: ");
			break;
		case SCANNER_EV_ERROR:
			printf("error: ");
			break;
		case SCANNER_EV_SCAN:
			printf("scan [%s] ", ev.symbology);
			break;
		}
		print_text(ev.data, ev.len);
		got++;
	}
	fflush(stdout);
	scanner_destroy(s);
	if (got < want) {
		printf("timeout: %d of %d events\n", got, want);
		return 1;
	}
	return 0;
}
