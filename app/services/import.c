/* The import use case: file -> parser -> one store transaction. Parsing the
 * whole file first means a broken row at the end never costs a half
 * written database, and the store sees only receipts that passed every
 * check. */
#include "services/import.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/import_csv.h"
#include "domain/import_poslog.h"

/* Saving reports after this many receipts (and once at the end). */
#define SAVE_REPORT_EVERY 4096
/* From this size a CSV is parsed in two halves on two threads. */
#define PARALLEL_MIN_BYTES (4u << 20)

enum import_format import_detect(const char *data, size_t len)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	return i < len && data[i] == '<' ? IMPORT_POSLOG : IMPORT_CSV;
}

const char *import_format_name(enum import_format f)
{
	return f == IMPORT_POSLOG ? "POSLog" : "CSV";
}

struct relay {
	import_report_fn report;
	void *arg;
};

static void relay_read(void *arg, size_t done, size_t total)
{
	struct relay *r = arg;
	r->report(r->arg, IMPORT_PHASE_READ, done, total);
}

/* The first half's progress as the whole file's: both halves advance
 * together. */
struct scaled {
	import_progress_fn fn;
	void *arg;
	size_t part, total;
};

static void scaled_progress(void *arg, size_t done, size_t total)
{
	struct scaled *sc = arg;
	(void)total;
	size_t d = sc->part ? (size_t)((double)done * (double)sc->total / (double)sc->part) : done;
	sc->fn(sc->arg, d < sc->total ? d : sc->total, sc->total);
}

struct half {
	const char *data;
	size_t len;
	long first_line;
	const struct import_opts *o;
	struct import_batch batch;
	struct kiosk_why why;
	int rc;
};

static void *parse_half(void *arg)
{
	struct half *h = arg;
	h->rc = import_csv_parse_rows(h->data, h->len, h->first_line, h->o, &h->batch, &h->why);
	return NULL;
}

/* A large CSV in two halves at once: the second half from the first line
 * break after the middle, on a thread of its own. Any refusal reruns the
 * file in one piece, so the reason is exactly the sequential one (the
 * first problem in the file, with its line). */
static int parse_csv(const char *data, size_t len, const struct import_opts *o,
		     struct import_batch *b, import_progress_fn progress, void *arg,
		     struct kiosk_why *why)
{
	const char *mid = len >= PARALLEL_MIN_BYTES ? memchr(data + len / 2, '\n', len - len / 2)
						      : NULL;
	if (!mid || mid + 1 == data + len)
		return import_csv_parse(data, len, o, b, progress, arg, why);
	size_t split = (size_t)(mid + 1 - data);
	struct half h = {.data = data + split, .len = len - split, .first_line = 1, .o = o};
	for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + split - p))); p++)
		h.first_line++;
	pthread_t th;
	if (pthread_create(&th, NULL, parse_half, &h))
		return import_csv_parse(data, len, o, b, progress, arg, why);
	struct scaled sc = {progress, arg, split, len};
	int rc = import_csv_parse(data, split, o, b, progress ? scaled_progress : NULL, &sc, why);
	pthread_join(th, NULL);
	if (!rc && !h.rc)
		rc = import_batch_merge(b, &h.batch, why);
	else
		import_batch_free(&h.batch);
	if (!rc && !h.rc) {
		if (progress)
			progress(arg, len, len);
		return 0;
	}
	import_batch_free(b);
	return import_csv_parse(data, len, o, b, progress, arg, why);
}

int import_buffer(struct store *s, const struct kiosk_config *cfg, const char *data,
		  size_t len, import_report_fn report, void *arg, struct import_summary *sum,
		  struct kiosk_why *why)
{
	struct import_opts o = {
		.layout = &cfg->receipt_code,
		.default_currency = cfg->currency[0] ? cfg->currency : NULL,
		.default_category = config_get(cfg, "import", "default_category"),
	};
	struct import_batch b;
	struct relay rl = {report, arg};
	memset(sum, 0, sizeof *sum);
	sum->format = import_detect(data, len);
	int rc = sum->format == IMPORT_POSLOG
			 ? import_poslog_parse(data, len, &o, &b, report ? relay_read : NULL, &rl, why)
			 : parse_csv(data, len, &o, &b, report ? relay_read : NULL, &rl, why);
	if (rc)
		return rc;
	sum->n_receipts = b.n;
	sum->n_lines = b.n_lines;
	import_batch_sort(&b);
	if ((rc = store_import_begin(s, why)))
		goto out;
	for (int i = 0; i < b.n; i += SAVE_REPORT_EVERY) {
		int k = b.n - i < SAVE_REPORT_EVERY ? b.n - i : SAVE_REPORT_EVERY;
		if ((rc = store_import_add_many(s, &b.receipts[i], k, why))) {
			store_import_abort(s);
			goto out;
		}
		if (report && i + k < b.n)
			report(arg, IMPORT_PHASE_SAVE, (size_t)(i + k), (size_t)b.n);
	}
	if ((rc = store_import_commit(s, &sum->n_new, why)))
		goto out;
	if (report)
		report(arg, IMPORT_PHASE_SAVE, (size_t)b.n, (size_t)b.n);
out:
	import_batch_free(&b);
	return rc;
}

int import_file(struct store *s, const struct kiosk_config *cfg, const char *path,
		import_report_fn report, void *arg, struct import_summary *sum,
		struct kiosk_why *why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kiosk_fail(why, KIOSK_EIO, "cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return kiosk_fail(why, KIOSK_EIO, "%s is not a readable file", path);
	}
	size_t len = (size_t)st.st_size;
	const char *data = "";
	void *map = NULL;
	if (len) {
		/* mapped, not read: a million-line file need not be copied */
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			close(fd);
			return kiosk_fail(why, KIOSK_EIO, "cannot read %s: %s", path, strerror(errno));
		}
		data = map;
	}
	close(fd);
	int rc = import_buffer(s, cfg, data, len, report, arg, sum, why);
	if (map)
		munmap(map, len);
	return rc;
}
