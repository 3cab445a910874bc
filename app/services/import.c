/* The import use case: file -> parser -> one store transaction. A CSV file
 * streams through in blocks (memory stays flat however large the file); a
 * POSLog document is parsed whole. Either way it is one transaction, so a
 * broken row at the end never costs a half written database. */
#include "services/import.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/import_csv.h"
#include "domain/import_poslog.h"
#include "store/store.h"

/* Saving reports after this many receipts (and once at the end). */
#define SAVE_REPORT_EVERY 4096
/* From this size a CSV is parsed in two halves on two threads. */
#define PARALLEL_MIN_BYTES (4u << 20)
/* A CSV file is read, parsed and saved in blocks of this size. */
#define BLOCK_BYTES (1u << 20)
/* How long an import waits for another to finish ([import] wait_seconds),
 * and at most (a day). */
#define WAIT_DEFAULT_S 600
#define WAIT_MAX_S 86400

struct wait_notice {
	import_report_fn report;
	void *arg;
	long wait_s;
};

static void notice_wait(void *arg)
{
	struct wait_notice *n = arg;
	n->report(n->arg, IMPORT_PHASE_WAIT, 0, (size_t)n->wait_s);
}

/* An import's turn. Imports take turns (store_import_begin), and a
 * chain's nightly files of many stores arrive together: one that finds
 * another running says so and waits up to [import] wait_seconds for it,
 * not the five seconds a kiosk waits for a counter. */
static int import_begin(struct store *s, const struct kiosk_config *cfg,
			import_report_fn report, void *arg, struct kiosk_why *why)
{
	long wait_s;
	int rc = config_int(cfg, "import", "wait_seconds", WAIT_DEFAULT_S, 0, WAIT_MAX_S, &wait_s,
			    why);
	if (rc)
		return rc;
	if (wait_s == 0)
		return store_import_begin(s, why);
	struct wait_notice n = {report, arg, wait_s};
	rc = store_import_begin_wait(s, (int)wait_s * 1000, report ? notice_wait : NULL, &n, why);
	if (rc == KIOSK_EBUSY)
		return kiosk_fail(why, rc,
				  "another import (or a migration) was still running after "
				  "%ld second%s ([import] wait_seconds); try again when it has finished",
				  wait_s, wait_s == 1 ? "" : "s");
	return rc;
}

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
	if ((rc = import_begin(s, cfg, report, arg, why)))
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

/* ---- a CSV file in blocks ---------------------------------------------- */

/* One block of whole rows: parsed on a thread of its own while the store
 * writes the block before it. */
struct block {
	char *data;
	size_t len;          /* bytes of whole rows */
	long first_line;     /* file line of its first row */
	bool first;          /* holds the header */
	const struct import_opts *o;
	struct import_batch batch;
	struct kiosk_why why;
	int rc;
};

static void *parse_block(void *arg)
{
	struct block *b = arg;
	memset(&b->batch, 0, sizeof b->batch);
	b->rc = b->first ? import_csv_parse(b->data, b->len, b->o, &b->batch, NULL, NULL, &b->why)
			 : import_csv_parse_rows(b->data, b->len, b->first_line, b->o, &b->batch,
						 &b->why);
	if (!b->rc)
		import_batch_sort(&b->batch);
	return NULL;
}

struct reader {
	int fd;
	const char *path;
	char *buf;        /* BLOCK_BYTES */
	size_t have;      /* bytes in buf */
	size_t done;      /* bytes of the file handed out as blocks */
	long next_line;   /* file line of the next block's first row */
	bool eof;
};

static long count_lines(const char *p, size_t n)
{
	long k = 0;
	for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		k++;
	return k;
}

/* Fill b with the next block of whole rows (b->len 0 at the end of the
 * file). The rest of a row cut by the block's end is kept for the next. */
static int next_block(struct reader *rd, char *into, struct block *b, struct kiosk_why *why)
{
	while (!rd->eof && rd->have < BLOCK_BYTES) {
		ssize_t n = read(rd->fd, rd->buf + rd->have, BLOCK_BYTES - rd->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return kiosk_fail(why, KIOSK_EIO, "cannot read %s: %s", rd->path,
					  strerror(errno));
		if (n == 0)
			rd->eof = true;
		rd->have += (size_t)n;
	}
	size_t cut = rd->have;
	if (!rd->eof) {
		while (cut > 0 && rd->buf[cut - 1] != '\n')
			cut--;
		if (!cut)
			return kiosk_fail(why, KIOSK_EINVAL, "line %ld: a row longer than %u MiB",
					  rd->next_line, BLOCK_BYTES >> 20);
	}
	memcpy(into, rd->buf, cut);
	b->data = into;
	b->len = cut;
	b->first_line = rd->next_line;
	b->first = rd->done == 0;
	rd->next_line += count_lines(into, cut);
	rd->done += cut;
	memmove(rd->buf, rd->buf + cut, rd->have - cut);
	rd->have -= cut;
	return 0;
}

/* Write one parsed block into the running import. */
static int save_block(struct store *s, struct block *b, struct import_summary *sum,
		      struct kiosk_why *why)
{
	for (int i = 0; i < b->batch.n; i += SAVE_REPORT_EVERY) {
		int k = b->batch.n - i < SAVE_REPORT_EVERY ? b->batch.n - i : SAVE_REPORT_EVERY;
		int rc = store_import_add_many(s, &b->batch.receipts[i], k, why);
		if (rc)
			return rc;
	}
	sum->n_receipts += b->batch.n;
	sum->n_lines += b->batch.n_lines;
	return 0;
}

/* The CSV in blocks of BLOCK_BYTES, all in one store transaction: block
 * i + 1 is read and parsed on a thread while block i is written, so memory
 * stays at two blocks and their receipts however large the file. A
 * receipt whose rows stand in different blocks is continued by the store
 * (store_import_begin). The first problem in the file, parse or store,
 * rolls everything back. */
static int import_csv_stream(struct store *s, const struct kiosk_config *cfg, int fd,
			     const char *path, size_t size, import_report_fn report, void *arg,
			     struct import_summary *sum, struct kiosk_why *why)
{
	struct import_opts o = {
		.layout = &cfg->receipt_code,
		.default_currency = cfg->currency[0] ? cfg->currency : NULL,
		.default_category = config_get(cfg, "import", "default_category"),
	};
	struct reader rd = {.fd = fd, .path = path, .next_line = 1};
	char *mem = malloc(3 * (size_t)BLOCK_BYTES);
	if (!mem)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory reading %s", path);
	rd.buf = mem;
	char *area[2] = {mem + BLOCK_BYTES, mem + 2 * (size_t)BLOCK_BYTES};
	struct block blk[2] = {{.o = &o}, {.o = &o}};
	int cur = 0, rc;
	if ((rc = next_block(&rd, area[0], &blk[0], why)))
		goto out_free;
	parse_block(&blk[0]);
	if ((rc = import_begin(s, cfg, report, arg, why)))
		goto out_batches;
	for (;;) {
		struct block *b = &blk[cur], *nb = &blk[1 - cur];
		if (b->rc) {
			rc = kiosk_fail(why, b->rc, "%s", b->why.text);
			break;
		}
		bool more = !rd.eof || rd.have > 0;
		pthread_t th;
		bool threaded = false;
		if (more) {
			if ((rc = next_block(&rd, area[1 - cur], nb, why)))
				break;
			threaded = !pthread_create(&th, NULL, parse_block, nb);
			if (!threaded)
				parse_block(nb);
		}
		rc = save_block(s, b, sum, why);
		if (threaded)
			pthread_join(th, NULL);
		import_batch_free(&b->batch);
		if (rc || !more)
			break;
		if (report)
			report(arg, IMPORT_PHASE_READ, rd.done, size);
		cur = 1 - cur;
	}
	if (rc) {
		store_import_abort(s);
		goto out_batches;
	}
	if ((rc = store_import_commit(s, &sum->n_new, why)))
		goto out_batches;
	sum->n_receipts -= store_import_joined(s);
	if (report) {
		report(arg, IMPORT_PHASE_READ, size, size);
		report(arg, IMPORT_PHASE_SAVE, (size_t)sum->n_receipts, (size_t)sum->n_receipts);
	}
out_batches:
	import_batch_free(&blk[0].batch);
	import_batch_free(&blk[1].batch);
out_free:
	free(mem);
	return rc;
}

/* A POSLog document is parsed whole: read into memory (with read, so a
 * file that shrinks meanwhile is a short read, never a SIGBUS). */
static int read_whole(int fd, const char *path, size_t size, char **out, size_t *len,
		      struct kiosk_why *why)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return kiosk_fail(why, KIOSK_ENOMEM, "%s is too large to read into memory", path);
	size_t have = 0;
	while (have < size) {
		ssize_t n = read(fd, buf + have, size - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return kiosk_fail(why, KIOSK_EIO, "cannot read %s: %s", path, strerror(errno));
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	buf[have] = 0;
	*out = buf;
	*len = have;
	return 0;
}

int import_file(struct store *s, const struct kiosk_config *cfg, const char *path,
		import_report_fn report, void *arg, struct import_summary *sum,
		struct kiosk_why *why)
{
	memset(sum, 0, sizeof *sum);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kiosk_fail(why, KIOSK_EIO, "cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return kiosk_fail(why, KIOSK_EIO, "%s is not a readable file", path);
	}
	size_t size = (size_t)st.st_size;
	/* the format from the first bytes; then back to the start */
	char head[256];
	ssize_t n = pread(fd, head, sizeof head, 0);
	int rc;
	if (n < 0) {
		rc = kiosk_fail(why, KIOSK_EIO, "cannot read %s: %s", path, strerror(errno));
	} else if (import_detect(head, (size_t)n) == IMPORT_CSV && n > 0) {
		sum->format = IMPORT_CSV;
		rc = import_csv_stream(s, cfg, fd, path, size, report, arg, sum, why);
	} else {
		char *data = NULL;
		size_t len = 0;
		rc = read_whole(fd, path, size, &data, &len, why);
		if (!rc)
			rc = import_buffer(s, cfg, data, len, report, arg, sum, why);
		free(data);
	}
	close(fd);
	return rc;
}
