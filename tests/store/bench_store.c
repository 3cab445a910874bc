/* Store benchmark: how fast receipts go into the database through the
 * store's own import path (no CSV parsing: that is the import bench), how
 * fast the same receipts are recognised on a second import, and receipt
 * lookup by barcode id at that size (p50 / p99 / max), in one run.
 *
 *   bench_store [--receipts N] [--lines L] [--lookups M] [--db PATH] [--once 1]
 *
 * --once 1 skips the re-import (for profiling the first import alone).
 *
 * Defaults: 1 000 000 receipts of 1 line, 100 000 lookups, a temporary
 * file. Prints figures; never asserts on time (ctest runs it tiny as a
 * smoke test). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ktest.h"
#include "store/store.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process: on a shared machine the
 * wall clock also measures the neighbours. */
static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Receipt k as the demo POS would print it: register, day and sequence
 * spread so ids are unique and not in insertion order of the index. */
static void receipt_id(long k, char *buf, size_t len)
{
	long reg = k % 7 + 1, day = (k / 7) % 336, seq = k / 7 / 336 + 1;
	int m = (int)(day / 28) + 1, d = (int)(day % 28) + 1;
	/* Bounded so the compiler can see the id fits its 6 digits. */
	snprintf(buf, len, "RS0042%03d2026%02d%02d%06d", (int)reg, m % 100, d % 100,
		 (int)(seq % 1000000));
}

static int import_all(struct store *s, long n, int lines, struct receipt *r, int *n_new)
{
	struct kiosk_why why = {{0}};
	if (store_import_begin(s, &why))
		goto fail;
	for (long k = 0; k < n; k++) {
		receipt_id(k, r->receipt_id, sizeof r->receipt_id);
		r->purchased_at.unix_s = 1763888400 - (k % 365) * 86400;
		for (int i = 0; i < lines; i++)
			r->lines[i].unit_price = 1000 + (k * 7 + i) % 100000;
		if (store_import_add(s, r, &why)) {
			store_import_abort(s);
			goto fail;
		}
	}
	if (store_import_commit(s, n_new, &why))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "bench_store: %s\n", why.text);
	return 1;
}

int main(int argc, char **argv)
{
	long n = 1000000, lookups = 100000;
	int lines = 1, once = 0;
	const char *db = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--receipts"))
			n = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--lines"))
			lines = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--lookups"))
			lookups = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--db"))
			db = argv[i + 1];
		else if (!strcmp(argv[i], "--once"))
			once = atoi(argv[i + 1]);
	}
	if (n < 1 || lines < 1 || lines > 50 || lookups < 1) {
		fprintf(stderr, "usage: bench_store [--receipts N] [--lines 1..50] [--lookups M] "
				"[--db PATH]\n");
		return 2;
	}
	char dir[] = "/tmp/kiosk-bench-store-XXXXXX", path[128];
	if (!db) {
		if (!mkdtemp(dir))
			return 1;
		snprintf(path, sizeof path, "%s/bench.db", dir);
		db = path;
	}
	struct kiosk_why why = {{0}};
	struct store *s = NULL;
	if (store_open(&s, db, &why)) {
		fprintf(stderr, "bench_store: %s\n", why.text);
		return 1;
	}
	struct receipt r;
	memset(&r, 0, sizeof r);
	snprintf(r.store, sizeof r.store, "0042");
	snprintf(r.register_id, sizeof r.register_id, "003");
	snprintf(r.currency, sizeof r.currency, "SEK");
	r.purchased_at.offset_min = 60;
	r.n_lines = lines;
	r.lines = calloc((size_t)lines, sizeof *r.lines);
	for (int i = 0; i < lines; i++) {
		r.lines[i].line = i + 1;
		snprintf(r.lines[i].sku, sizeof r.lines[i].sku, "73500%05d", i);
		snprintf(r.lines[i].description, sizeof r.lines[i].description, "Hörlurar modell %d", i);
		r.lines[i].quantity = 1 + i % 3;
		snprintf(r.lines[i].category, sizeof r.lines[i].category, "electronics");
	}

	int n_new = 0, rc = 0;
	double t0 = now_s(), c0 = cpu_s();
	rc |= import_all(s, n, lines, &r, &n_new);
	double t1 = now_s(), c1 = cpu_s();
	int n_again = 0;
	if (!once)
		rc |= import_all(s, n, lines, &r, &n_again);
	double t2 = now_s(), c2 = cpu_s();
	printf("store import:    %ld receipts x %d lines in %.2f s = %.0f lines/s"
	       " (CPU %.2f s = %.0f lines/CPU-s) (%d new)\n",
	       n, lines, t1 - t0, (double)n * lines / (t1 - t0), c1 - c0,
	       (double)n * lines / (c1 - c0), n_new);
	printf("store re-import: same %ld receipts in %.2f s = %.0f lines/s"
	       " (CPU %.2f s = %.0f lines/CPU-s) (%d new: idempotent)\n",
	       n, t2 - t1, (double)n * lines / (t2 - t1), c2 - c1, (double)n * lines / (c2 - c1),
	       n_again);

	double *lat = malloc(sizeof *lat * (size_t)lookups);
	srand(42);
	long found = 0;
	for (long i = 0; i < lookups; i++) {
		char id[32];
		long k = (long)(((unsigned long)rand() << 16 ^ (unsigned long)rand()) % (unsigned long)n);
		receipt_id(k, id, sizeof id);
		struct receipt got;
		double a = now_s();
		int lrc = store_receipt_get(s, id, &got, &why);
		lat[i] = now_s() - a;
		found += lrc == 0 && got.n_lines == lines;
		receipt_free(&got);
	}
	qsort(lat, (size_t)lookups, sizeof *lat, cmp_double);
	printf("receipt lookup: %ld lookups at %ld receipts: p50 %.3f ms, p99 %.3f ms, max %.3f ms "
	       "(%ld found)\n",
	       lookups, n, lat[lookups / 2] * 1e3, lat[lookups * 99 / 100] * 1e3,
	       lat[lookups - 1] * 1e3, found);
	if (found != lookups || n_new != n || n_again != 0)
		rc = 1;
	free(lat);
	free(r.lines);
	store_close(s);
	if (db == path)
		kt_db_remove(dir, path);
	return rc;
}
