/* replay:FILE — recorded HID reports played back through the same decoder
 * a USB scanner uses, with their recorded timing. Format (text, one item
 * per line; '#' starts a comment; blank lines ignored):
 *
 *     mode keyboard          (or: mode pos) — the report family; required
 *                            before the first report
 *     layout sv              optional keyboard layout (else the scanner's)
 *     <ms> <hex report>      ms since the start of the recording, not
 *                            decreasing; the report as hex, spaces allowed
 *                            between bytes: "120 02 00 1e 00 00 00 00 00"
 *
 * Timeouts between reports are decided on the recorded times, so a replay
 * gives the same events however busy the machine is. The whole file is
 * checked when the scanner is created; a bad line is refused with its
 * number. */
#include "drivers/scanner_private.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



struct replay_priv {
	struct scanner *s;
	enum hid_kind kind;
	const struct hid_layout *layout; /* NULL: the scanner's */
	struct replay_report *reports;
	size_t n, cap;
	struct scanner_thread thread;
	struct hid_decoder dec;
	struct hid_output out;
};

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* Parse "<ms> <hex>" into r; NULL or a reason. */
const char *scanner_replay_parse(char *line, int64_t prev_ms, struct replay_report *r)
{
	char *end;
	errno = 0;
	long long ms = strtoll(line, &end, 10);
	if (end == line || errno || ms < 0 || !isspace((unsigned char)*end))
		return "expected \"<ms> <hex report>\"";
	if (ms < prev_ms)
		return "time goes backwards";
	r->ms = ms;
	r->len = 0;
	for (char *c = end; *c;) {
		if (isspace((unsigned char)*c)) {
			c++;
			continue;
		}
		int hi = hexval((unsigned char)c[0]);
		int lo = hi < 0 ? -1 : hexval((unsigned char)c[1]);
		if (lo < 0)
			return "the report is not pairs of hex digits";
		if (r->len == REPLAY_REPORT_MAX)
			return "the report is longer than 64 bytes";
		r->bytes[r->len++] = (uint8_t)(hi << 4 | lo);
		c += 2;
	}
	if (!r->len)
		return "the report is empty";
	return NULL;
}

static int replay_load(struct replay_priv *p, const char *path, struct kiosk_why *why)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return kiosk_fail(why, KIOSK_EIO, "cannot open replay file %s: %s", path,
				  strerror(errno));
	char line[512];
	int lineno = 0, rc = 0;
	bool have_mode = false;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			rc = kiosk_fail(why, KIOSK_EINVAL, "replay file %s line %d: line too long",
					path, lineno);
			break;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char word[16], value[16], extra[2];
		int words = sscanf(line, "%15s %15s %1s", word, value, extra);
		if (words <= 0)
			continue;
		const char *bad = NULL;
		if (!strcmp(word, "mode")) {
			if (words != 2)
				bad = "expected \"mode keyboard\" or \"mode pos\"";
			else if (hid_kind_parse(value, &p->kind) < 0)
				bad = "unknown mode (use keyboard or pos)";
			else
				have_mode = true;
		} else if (!strcmp(word, "layout")) {
			p->layout = words == 2 ? hid_layout_find(value) : NULL;
			bad = p->layout ? NULL : "unknown layout (use us or sv)";
		} else if (!have_mode) {
			bad = "a \"mode keyboard\" or \"mode pos\" line must come first";
		} else {
			if (p->n == p->cap) {
				size_t cap = p->cap ? 2 * p->cap : 64;
				void *grown = realloc(p->reports, cap * sizeof *p->reports);
				if (!grown) {
					rc = kiosk_fail(why, KIOSK_ENOMEM, "out of memory reading %s",
							path);
					break;
				}
				p->reports = grown;
				p->cap = cap;
			}
			bad = scanner_replay_parse(line, p->n ? p->reports[p->n - 1].ms : 0,
					   &p->reports[p->n]);
			if (!bad)
				p->n++;
		}
		if (bad) {
			rc = kiosk_fail(why, KIOSK_EINVAL, "replay file %s line %d: %s", path,
					lineno, bad);
			break;
		}
	}
	if (!rc && ferror(f))
		rc = kiosk_fail(why, KIOSK_EIO, "cannot read replay file %s", path);
	if (!rc && !have_mode)
		rc = kiosk_fail(why, KIOSK_EINVAL, "replay file %s has no \"mode\" line", path);
	fclose(f);
	return rc;
}

static void *replay_thread(void *arg)
{
	struct replay_priv *p = arg;
	struct scanner *s = p->s;
	int64_t t0 = scanner_now_ms();
	hid_decoder_init(&p->dec, p->kind, p->layout ? p->layout : scanner_layout(s));
	for (size_t i = 0; i < p->n; i++) {
		const struct replay_report *r = &p->reports[i];
		int64_t wait = t0 + r->ms - scanner_now_ms();
		if (wait > 0 && scanner_thread_sleep(&p->thread, (int)wait))
			return NULL;
		if (atomic_load(&s->stop))
			return NULL;
		if (!p->layout)
			p->dec.layout = scanner_layout(s);
		hid_decoder_tick(&p->dec, r->ms, &p->out);
		scanner_emit_hid(s, &p->out);
		hid_decoder_feed(&p->dec, r->bytes, r->len, r->ms, &p->out);
		scanner_emit_hid(s, &p->out);
	}
	/* The recording ended: a payload still open was cut off. */
	if (hid_decoder_pending(&p->dec)) {
		int64_t end = p->n ? p->reports[p->n - 1].ms : 0;
		hid_decoder_tick(&p->dec, end + HID_REPORT_GAP_MS + 1, &p->out);
		scanner_emit_hid(s, &p->out);
	}
	return NULL;
}

static void replay_free(struct replay_priv *p)
{
	free(p->reports);
	free(p);
}

static int replay_open(struct scanner *s, const char *path, struct kiosk_why *why)
{
	struct replay_priv *p = calloc(1, sizeof *p);
	if (!p)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory for the replay scanner");
	p->s = s;
	int rc = replay_load(p, path, why);
	if (rc < 0) {
		replay_free(p);
		return rc;
	}
	s->priv = p;
	scanner_set_connected(s, true, path);
	rc = scanner_thread_start(&p->thread, replay_thread, p, why);
	if (rc < 0) {
		replay_free(p);
		s->priv = NULL;
	}
	return rc;
}

static void replay_close(struct scanner *s)
{
	struct replay_priv *p = s->priv;
	if (!p)
		return;
	scanner_thread_stop(&p->thread);
	replay_free(p);
	s->priv = NULL;
}

const struct scanner_ops scanner_replay_ops = {
	.name = "replay",
	.open = replay_open,
	.close = replay_close,
};
