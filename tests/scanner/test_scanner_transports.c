/* Scanner transports end to end through the public API (drivers/scanner.h):
 * spec refusals, replay files (format errors and recorded scans), a real
 * fifo with two writers in turn, a real pty standing in for a CDC-ACM
 * serial scanner (including hang-up), and the keyboard wedge.
 * KIOSK_SCANNER_DIR points at tests/scanner (the recordings). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drivers/scanner.h"
#include "ktest.h"

#define ACC_MAX 16384
#define MRZ1 "I<UTOD231458907<<<<<<<<<<<<<<<"
#define MRZ2 "7408122F1204159UTO<<<<<<<<<<<6"
#define MRZ3 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
#define MRZ_SHOWN MRZ1 "\\x0d" MRZ2 "\\x0d" MRZ3
#define RECEIPT "RS004200320261122001234"
#define UNKNOWN_SPEC                                                                     \
	"unknown scanner \"%s\" (use auto, usb, usb:VID:PID, keyboard, serial:DEV, fifo:PATH " \
	"or replay:FILE)"

static char tmpdir[256];
static atomic_int notified;

static void on_notify(void *arg)
{
	atomic_fetch_add(&notified, 1);
}

/* "C:text" "D:text" "E:text" "S<sym>:payload" joined by '|'. */
static void render(char *acc, const struct scanner_event *ev)
{
	static const char tag[] = {[SCANNER_EV_SCAN] = 'S', [SCANNER_EV_CONNECTED] = 'C',
				   [SCANNER_EV_DISCONNECTED] = 'D', [SCANNER_EV_ERROR] = 'E'};
	size_t n = strlen(acc);
	if (n)
		acc[n++] = '|';
	n += (size_t)snprintf(acc + n, ACC_MAX - n, "%c%s:", tag[ev->kind], ev->symbology);
	for (size_t i = 0; i < ev->len && n + 5 < ACC_MAX; i++) {
		uint8_t c = ev->data[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			acc[n++] = (char)c;
		else
			n += (size_t)snprintf(acc + n, ACC_MAX - n, "\\x%02x", c);
	}
	acc[n] = '\0';
}

/* Collect up to n events, each within timeout_ms; returns how many came. */
static int collect(struct scanner *s, int n, int timeout_ms, char *acc)
{
	static struct scanner_event ev;
	int got = 0;
	acc[0] = '\0';
	while (got < n && scanner_wait(s, &ev, timeout_ms)) {
		render(acc, &ev);
		got++;
	}
	return got;
}

static void test_spec_refusals(void)
{
	static const struct item {
		const char *spec;
		int rc;
		const char *why; /* %s is the spec */
	} data[] = {
		/* 0*/ {"", KIOSK_EINVAL, UNKNOWN_SPEC},
		/* 1*/ {"bogus", KIOSK_EINVAL, UNKNOWN_SPEC},
		/* 2*/ {"USB", KIOSK_EINVAL, UNKNOWN_SPEC},
		/* 3*/ {"keyboardx", KIOSK_EINVAL, UNKNOWN_SPEC},
		/* 4*/ {"fifo:", KIOSK_EINVAL, "scanner \"%s\" needs a value after the colon"},
		/* 5*/ {"serial:", KIOSK_EINVAL, "scanner \"%s\" needs a value after the colon"},
		/* 6*/ {"usb:12", KIOSK_EINVAL,
			"scanner %s is not usb:VID:PID with 4 hex digits each (e.g. usb:0c2e:0b61)"},
		/* 7*/ {"usb:0c2e:0b6g", KIOSK_EINVAL,
			"scanner %s is not usb:VID:PID with 4 hex digits each (e.g. usb:0c2e:0b61)"},
		/* 8*/ {"usb:0c2e-0b61", KIOSK_EINVAL,
			"scanner %s is not usb:VID:PID with 4 hex digits each (e.g. usb:0c2e:0b61)"},
		/* 9*/ {"replay:/nonexistent/x.replay", KIOSK_EIO,
			"cannot open replay file /nonexistent/x.replay: No such file or directory"},
		/*10*/ {"fifo:/nonexistent/f", KIOSK_EIO,
			"cannot make scanner fifo /nonexistent/f: No such file or directory"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct kiosk_why why = {""};
		/* any non-NULL value: a refusal must reset it */
		struct scanner *s = (struct scanner *)&why;
		char want[KIOSK_WHY_MAX];
		snprintf(want, sizeof want, data[i].why, data[i].spec);
		KT_INTEQ(scanner_create(&s, data[i].spec, NULL, NULL, &why), data[i].rc, i);
		KT_CHECK(s == NULL, "i:%d handle not NULL after a refusal", i);
		KT_STREQ(why.text, want, i);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static void test_replay_file_errors(void)
{
	static const struct item {
		const char *text;
		const char *why; /* %s is the path; "" = accepted */
	} data[] = {
		/* 0*/ {"", "replay file %s has no \"mode\" line"},
		/* 1*/ {"0 00\n",
			"replay file %s line 1: a \"mode keyboard\" or \"mode pos\" line must come first"},
		/* 2*/ {"mode mouse\n", "replay file %s line 1: unknown mode (use keyboard or pos)"},
		/* 3*/ {"mode keyboard\n10 0g\n",
			"replay file %s line 2: the report is not pairs of hex digits"},
		/* 4*/ {"mode keyboard\n10 00\n5 00\n", "replay file %s line 3: time goes backwards"},
		/* 5*/ {"mode pos\nx 00\n", "replay file %s line 2: expected \"<ms> <hex report>\""},
		/* 6*/ {"mode keyboard\nlayout de\n",
			"replay file %s line 2: unknown layout (use us or sv)"},
		/* 7*/ {"mode pos\n1 "
			"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
			"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40\n",
			"replay file %s line 2: the report is longer than 64 bytes"},
		/* 8*/ {"mode keyboard\n10\n", "replay file %s line 2: the report is empty"},
		/* 9*/ {"mode keyboard extra\n",
			"replay file %s line 1: expected \"mode keyboard\" or \"mode pos\""},
		/*10*/ {"# a comment\n\nmode pos # trailing comment\n", ""},
		/*11*/ {"mode keyboard\n-5 00\n", "replay file %s line 2: expected \"<ms> <hex report>\""},
	};
	char path[320];
	snprintf(path, sizeof path, "%s/bad.replay", tmpdir);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		write_file(path, data[i].text);
		char spec[340], want[KIOSK_WHY_MAX];
		snprintf(spec, sizeof spec, "replay:%s", path);
		snprintf(want, sizeof want, data[i].why, path);
		struct kiosk_why why = {""};
		struct scanner *s = NULL;
		int rc = scanner_create(&s, spec, NULL, NULL, &why);
		KT_INTEQ(rc, *data[i].why ? KIOSK_EINVAL : 0, i);
		KT_STREQ(why.text, want, i);
		scanner_destroy(s);
	}
}

static void test_replay(void)
{
	static const struct item {
		const char *file;
		int events;
		const char *want; /* %s is the file's path */
	} data[] = {
		/* 0*/ {"kbd_scans.replay", 5,
			"C:%s|S:" RECEIPT "|S:" MRZ_SHOWN
			"|E:scan dropped: 4 bytes typed, then 100 ms without the final Enter|S:OK"},
		/* 1*/ {"pos_scans.replay", 5,
			"C:%s|S]C0:" RECEIPT "|S:" MRZ_SHOWN
			"|E:HID POS report id 0x05 is not decoded data|S]E0:7310865004006"},
		/* 2*/ {"sv_scans.replay", 2, "C:%s|S:\\xc3\\x85\\xc3\\xa4\\xc3\\xb6\"1"},
	};
	const char *dir = getenv("KIOSK_SCANNER_DIR");
	KT_CHECK(dir != NULL, "KIOSK_SCANNER_DIR is not set");
	if (!dir)
		return;
	static char got[ACC_MAX], want[ACC_MAX], extra[ACC_MAX];
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		char path[512], spec[520];
		snprintf(path, sizeof path, "%s/%s", dir, data[i].file);
		snprintf(spec, sizeof spec, "replay:%s", path);
		snprintf(want, sizeof want, data[i].want, path);
		struct kiosk_why why = {""};
		struct scanner *s = NULL;
		KT_INTEQ(scanner_create(&s, spec, on_notify, NULL, &why), 0, i);
		if (!s)
			continue;
		KT_CHECK(!scanner_wants_keyboard(s), "i:%d replay wants the keyboard", i);
		collect(s, data[i].events, 3000, got);
		KT_STREQ(got, want, i);
		/* and nothing after the recording ends */
		collect(s, 1, 250, extra);
		KT_STREQ(extra, "", i);
		scanner_destroy(s);
	}
	KT_CHECK(atomic_load(&notified) >= 12, "notify called %d times", atomic_load(&notified));
}

static void write_all(int fd, const char *text, size_t n)
{
	while (n) {
		ssize_t w = write(fd, text, n);
		if (w <= 0)
			return;
		text += w, n -= (size_t)w;
	}
}

static void test_fifo(void)
{
	char path[320], spec[340];
	snprintf(path, sizeof path, "%s/scans.fifo", tmpdir);
	snprintf(spec, sizeof spec, "fifo:%s", path);
	struct kiosk_why why = {""};
	struct scanner *s = NULL;
	KT_INTEQ(scanner_create(&s, spec, NULL, NULL, &why), 0, 0);
	KT_STREQ(why.text, "", 0);
	if (!s)
		return;
	struct stat st;
	KT_CHECK(stat(path, &st) == 0 && S_ISFIFO(st.st_mode), "fifo %s was not made", path);
	static char got[ACC_MAX], want[ACC_MAX];
	collect(s, 1, 2000, got);
	snprintf(want, sizeof want, "C:%s", path);
	KT_STREQ(got, want, 0);

	/* first writer */
	int fd = open(path, O_WRONLY);
	static const char first[] = RECEIPT "\n" MRZ1 "\\r" MRZ2 "\\r" MRZ3 "\n"
					    "bad \\q\n"
					    "GS1\\x1d01\\\\x\r\n"
					    "\n";
	write_all(fd, first, strlen(first));
	close(fd);
	collect(s, 4, 2000, got);
	KT_STREQ(got,
		 "S:" RECEIPT "|S:" MRZ_SHOWN
		 "|E:scan dropped: malformed escape in fifo line (use \\x5cr \\x5cn \\x5cxHH or "
		 "\\x5c\\x5c)|S:GS1\\x1d01\\x5cx",
		 1);
	/* a second writer after the first closed: the fifo was reopened */
	fd = open(path, O_WRONLY);
	static char big[4 * SCANNER_MAX_PAYLOAD + 2];
	memset(big, 'A', sizeof big - 1);
	write_all(fd, "second writer\n", 14);
	write_all(fd, big, SCANNER_MAX_PAYLOAD + 1);
	write_all(fd, "\n", 1);
	write_all(fd, big, sizeof big - 1);
	write_all(fd, "\nno newline", 11);
	close(fd);
	collect(s, 4, 2000, got);
	KT_STREQ(got,
		 "S:second writer|E:scan dropped: longer than 4096 bytes"
		 "|E:scan dropped: fifo line longer than 16384 bytes|S:no newline",
		 2);
	KT_CHECK(scanner_connected(s), "fifo scanner not connected");
	scanner_destroy(s);

	/* a path that is there but not a fifo is refused, and left alone */
	snprintf(path, sizeof path, "%s/plain.txt", tmpdir);
	write_file(path, "keep me\n");
	snprintf(spec, sizeof spec, "fifo:%s", path);
	s = NULL;
	KT_INTEQ(scanner_create(&s, spec, NULL, NULL, &why), KIOSK_EINVAL, 3);
	snprintf(want, sizeof want, "scanner fifo %s exists but is not a fifo", path);
	KT_STREQ(why.text, want, 3);
	KT_CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 8,
		 "plain file was changed");
}

static void test_serial(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	KT_CHECK(master >= 0, "posix_openpt: %s", strerror(errno));
	if (master < 0)
		return;
	grantpt(master);
	unlockpt(master);
	char spec[128];
	snprintf(spec, sizeof spec, "serial:%s", ptsname(master));
	struct kiosk_why why = {""};
	struct scanner *s = NULL;
	KT_INTEQ(scanner_create(&s, spec, NULL, NULL, &why), 0, 0);
	if (!s) {
		close(master);
		return;
	}
	static char got[ACC_MAX], want[ACC_MAX];
	collect(s, 1, 3000, got);
	snprintf(want, sizeof want, "C:%s", spec + 7);
	KT_STREQ(got, want, 0);
	static const char lines[] = RECEIPT "\r\n" MRZ1 "\r" MRZ2 "\r" MRZ3 "\r"
					    "ABC\n\n"
					    "\x1d"
					    "01\r";
	write_all(master, lines, strlen(lines));
	collect(s, 4, 2000, got);
	KT_STREQ(got, "S:" RECEIPT "|S:" MRZ_SHOWN "|S:ABC|S:\\x1d01", 1);
	write_all(master, "partial", 7);
	collect(s, 1, 2000, got);
	KT_STREQ(got, "E:scan dropped: 7 bytes without a line end, then 100 ms of silence", 2);
	close(master); /* the device goes away */
	collect(s, 1, 3000, got);
	snprintf(want, sizeof want, "D:serial scanner %s went away: ", spec + 7);
	KT_CHECK(!strncmp(got, want, strlen(want)), "i:3 got \"%s\", want \"%s...\"", got, want);
	KT_CHECK(!scanner_connected(s), "serial scanner still connected after hang-up");
	scanner_destroy(s);

	/* missing at start, and not a tty: told once, no crash */
	static const struct item {
		const char *dev;
		const char *why;
	} data[] = {
		/* 0*/ {"/nonexistent/ttyACM9", "D:serial scanner %s: No such file or directory"},
		/* 1*/ {"/dev/null",
			"D:serial scanner %s is not a serial device: Inappropriate ioctl for device"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		snprintf(spec, sizeof spec, "serial:%s", data[i].dev);
		s = NULL;
		KT_INTEQ(scanner_create(&s, spec, NULL, NULL, &why), 0, i);
		if (!s)
			continue;
		collect(s, 2, 300, got);
		snprintf(want, sizeof want, data[i].why, data[i].dev);
		KT_STREQ(got, want, i);
		KT_CHECK(!scanner_connected(s), "i:%d connected", i);
		scanner_destroy(s);
	}
}

static void test_wedge(void)
{
	struct kiosk_why why = {""};
	struct scanner *s = NULL;
	KT_INTEQ(scanner_create(&s, "keyboard", NULL, NULL, &why), 0, 0);
	if (!s)
		return;
	KT_CHECK(scanner_wants_keyboard(s), "keyboard wedge does not want the keyboard");
	static char got[ACC_MAX];
	collect(s, 1, 100, got);
	KT_STREQ(got, "C:keyboard wedge", 0);
	scanner_feed_enter(s); /* an empty line is no scan */
	scanner_feed_text(s, "RS0042");
	scanner_feed_text(s, "00320261122001234");
	scanner_feed_enter(s);
	scanner_feed_text(s, MRZ1);
	scanner_feed_enter(s);
	scanner_feed_text(s, MRZ2);
	scanner_feed_enter(s);
	scanner_feed_text(s, MRZ3);
	scanner_feed_enter(s);
	scanner_feed_text(s, "\xc3\xa5");
	scanner_feed_enter(s);
	collect(s, 4, 100, got);
	KT_STREQ(got, "S:" RECEIPT "|S:" MRZ_SHOWN "|S:\\xc3\\xa5", 1);
	/* over-long typing is refused at Enter, and the next scan is whole */
	static char long_text[SCANNER_MAX_PAYLOAD / 2 + 1];
	memset(long_text, '7', sizeof long_text - 1);
	scanner_feed_text(s, long_text);
	scanner_feed_text(s, long_text);
	scanner_feed_text(s, "8");
	scanner_feed_enter(s);
	scanner_feed_text(s, "x");
	scanner_feed_enter(s);
	collect(s, 2, 100, got);
	KT_STREQ(got, "E:scan dropped: longer than 4096 bytes|S:x", 5);
	/* typed text with no Enter is dropped after the gap, not glued to the next scan */
	scanner_feed_text(s, "stray");
	struct timespec pause = {1, 100 * 1000000};
	nanosleep(&pause, NULL);
	scanner_feed_text(s, "OK");
	scanner_feed_enter(s);
	collect(s, 2, 100, got);
	KT_STREQ(got, "E:scan dropped: 5 bytes typed, then 1000 ms without the final Enter|S:OK",
		 2);
	scanner_destroy(s);

	KT_INTEQ(scanner_create(&s, "keyboard", NULL, NULL, &why), 0, 3);
	KT_INTEQ(scanner_set_layout(s, "de", &why), KIOSK_EINVAL, 3);
	KT_STREQ(why.text, "unknown keyboard layout \"de\" for the scanner (use us or sv)", 3);
	KT_INTEQ(scanner_set_layout(s, "sv", &why), 0, 4);
	scanner_destroy(s);
}

static void setup(void) __attribute__((constructor));
static void setup(void)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(tmpdir, sizeof tmpdir, "%s/kiosk-scanner-XXXXXX", base);
	if (!mkdtemp(tmpdir))
		tmpdir[0] = '\0';
}

static void teardown(void) __attribute__((destructor));
static void teardown(void)
{
	static const char *const names[] = {"bad.replay", "scans.fifo", "plain.txt"};
	char path[320];
	for (size_t i = 0; i < KT_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

KT_MAIN(KT_FUNC(test_spec_refusals), KT_FUNC(test_replay_file_errors), KT_FUNC(test_replay),
	KT_FUNC(test_fifo), KT_FUNC(test_serial), KT_FUNC(test_wedge))
