/* bench_import: the receipt import against the sqlite3 shell, in one run.
 *
 *   bench_import [--lines N] [--receipts R] [--lookups K] [--repeat N] [--dir DIR]
 *   (defaults: 1,000,000 lines, 1,000,000 receipts, 20,000 lookups, best of 3)
 *
 * 1. Writes a CSV of N lines (interfaces.md §5; receipts of 1 to 3 lines,
 *    descriptions with å ä ö, quotes and commas).
 * 2. Times the import service (parse, validate, one store transaction,
 *    idempotent) into a fresh database and `sqlite3 DB ".import --csv FILE
 *    lines"` into a plain table, alternating, best of --repeat rounds;
 *    then the same file again (0 new receipts); prints lines/s and the
 *    ratio. Also the parser alone and the store's adds vs commit.
 * 3. Tops the database up to R receipts (untimed) and times K lookups by
 *    receipt id with store_receipt_get: p50 and p99.
 * Fair by construction: both sides read the same file from the page cache,
 * both end with the data committed (the shell: rollback journal, fsync at
 * commit; kiosk: WAL, whose commit of a large import checkpoints into the
 * database file before returning), each round starts from fresh
 * databases, and the rows each side stored are counted afterwards. The
 * kiosk parses a large file on two threads; the shell uses one.
 * Figures only; nothing here asserts on time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/date.h"
#include "domain/import_csv.h"
#include "services/import.h"
#include "store/store.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const descriptions[] = {
	/* as they stand in the file: quoted where they hold a comma or quote */
	"\"Trådlösa hörlurar, svarta\"", "\"Bärbar högtalare \"\"Mini\"\", blå\"",
	"\"Kaffebryggare 1,25 l\"", "Äggklocka", "\"Ullmössa, grå\"",
	"\"Öronproppar, 10 par\"", "USB-C-laddare 65 W", "Skrivbordsstol",
};
static const char *const categories[] = {"electronics", "clothing", "furniture", "hygiene"};

/* Receipt k: unique id from (register, day, seq); 1 to 3 lines. */
static void receipt_id(long k, int64_t base_day, char *buf, size_t len, int64_t *day)
{
	int y, m, d;
	*day = base_day - (k * 7919) % 400;
	date_civil_from_days(*day, &y, &m, &d);
	snprintf(buf, len, "RS0042%03ld%04d%02d%02d%06ld", 1 + k / 1000000, y, m, d, k % 1000000);
}

/* Write receipts first.. until n_lines lines (or n_receipts receipts when
 * n_lines is 0). Returns the receipt count written. */
static long write_csv(const char *path, long first, long n_lines, long n_receipts,
		      int64_t base_day, long *lines_out)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs("receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,"
	      "currency,category\n", f);
	long lines = 0, k = first;
	for (; n_lines ? lines < n_lines : k < first + n_receipts; k++) {
		char id[40], date[16];
		int64_t day;
		receipt_id(k, base_day, id, sizeof id, &day);
		date_format(day, date, sizeof date);
		int nl = 1 + (int)(k % 3);
		for (int l = 1; l <= nl && (!n_lines || lines < n_lines); l++, lines++)
			fprintf(f, "%s,0042,%03ld,%sT%02ld:%02ld:00+01:00,%d,73500%08ld,%s,%ld,%ld.%02ld,SEK,%s\n",
				id, 1 + k / 1000000, date, 9 + k % 11, k % 60, l, (k * 3 + l) % 100000000,
				descriptions[(k + l) % 8], 1 + (k + l) % 3 / 2, 10 + (k * 13 + l) % 5000,
				(k + l) % 100, categories[(k + l) % 4]);
	}
	if (fclose(f)) {
		perror(path);
		exit(1);
	}
	*lines_out = lines;
	return k - first;
}

/* Rows in a table, read with the SQLite library (not the shell, which may
 * be missing); -1 when the database cannot say. */
static long long count_rows(const char *db, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void print_load(const char *when)
{
	double la[3];
	if (getloadavg(la, 3) == 3)
		printf("load average %s: %.2f %.2f %.2f (%ld CPUs online)\n", when, la[0], la[1],
		       la[2], sysconf(_SC_NPROCESSORS_ONLN));
}

static const char usage[] =
	"usage: bench_import [--lines N] [--receipts R] [--lookups K] [--repeat N] [--dir DIR]\n"
	"  --lines N     CSV lines to import, timed (default 1000000)\n"
	"  --receipts R  receipts in the database for the lookup test (default 1000000)\n"
	"  --lookups K   timed store_receipt_get calls (default 20000)\n"
	"  --repeat N    rounds of kiosk import + sqlite3 shell .import, best of N (default 3)\n"
	"  --dir DIR     work directory (default a fresh /tmp/kiosk-bench-import-XXXXXX)\n";

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void rm(const char *dir, const char *name)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	unlink(p);
}

int main(int argc, char **argv)
{
	long n_lines = 1000000, n_receipts = 1000000, n_lookups = 20000;
	int repeat = 3;
	const char *dir_opt = NULL;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		}
	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc) {
			fputs(usage, stderr);
			return 2;
		} else if (!strcmp(argv[i], "--lines"))
			n_lines = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--receipts"))
			n_receipts = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--lookups"))
			n_lookups = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--repeat"))
			repeat = atoi(argv[i + 1]) > 0 ? atoi(argv[i + 1]) : 1;
		else if (!strcmp(argv[i], "--dir"))
			dir_opt = argv[i + 1];
		else {
			fputs(usage, stderr);
			return 2;
		}
	}
	char dir[4096];
	if (dir_opt) {
		snprintf(dir, sizeof dir, "%s", dir_opt);
	} else {
		snprintf(dir, sizeof dir, "/tmp/kiosk-bench-import-XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
	}
	char csv[4200], db[4200], plain[4200], extra[4200];
	snprintf(csv, sizeof csv, "%s/receipts.csv", dir);
	snprintf(db, sizeof db, "%s/kiosk.db", dir);
	snprintf(plain, sizeof plain, "%s/plain.db", dir);
	snprintf(extra, sizeof extra, "%s/extra.csv", dir);
	rm(dir, "kiosk.db"), rm(dir, "plain.db");

	struct kiosk_config cfg = {0};
	struct kiosk_why why = {{0}};
	if (config_read_string(&cfg, "[store]\nid = 0042\ncurrency = SEK\n", &why)) {
		fprintf(stderr, "config: %s\n", why.text);
		return 1;
	}
	cfg.receipt_code = (struct receipt_code_layout){"RS", 4, 3, 6};
	int64_t base_day = date_days_from_civil(2026, 11, 22);
	long lines;
	long receipts = write_csv(csv, 0, n_lines, 0, base_day, &lines);
	printf("bench_import: %ld lines in %ld receipts\n", lines, receipts);
	print_load("at start");

	/* the parser alone (read, validate, build receipts), for the split */
	double t_parse, t_adds, t_commit, t_close;
	{
		FILE *f = fopen(csv, "rb");
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		rewind(f);
		char *buf = malloc((size_t)len + 1);
		if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
			fprintf(stderr, "cannot read %s\n", csv);
			return 1;
		}
		fclose(f);
		struct import_opts o = {&cfg.receipt_code, "SEK", NULL};
		struct import_batch b;
		double t = now_s();
		if (import_csv_parse(buf, (size_t)len, &o, &b, NULL, NULL, &why)) {
			fprintf(stderr, "parse: %s\n", why.text);
			return 1;
		}
		import_batch_sort(&b);
		t_parse = now_s() - t;
		free(buf);
		/* where the store's time goes: the adds vs the commit, in a
		 * database of its own */
		char db2[4300];
		snprintf(db2, sizeof db2, "%s/split.db", dir);
		struct store *s2;
		int new2 = 0;
		if (store_open(&s2, db2, &why) || store_import_begin(s2, &why)) {
			fprintf(stderr, "store: %s\n", why.text);
			return 1;
		}
		t = now_s();
		if (store_import_add_many(s2, b.receipts, b.n, &why)) {
			fprintf(stderr, "add: %s\n", why.text);
			return 1;
		}
		t_adds = now_s() - t;
		t = now_s();
		if (store_import_commit(s2, &new2, &why)) {
			fprintf(stderr, "commit: %s\n", why.text);
			return 1;
		}
		t_commit = now_s() - t;
		t = now_s();
		store_close(s2);
		t_close = now_s() - t;
		import_batch_free(&b);
		rm(dir, "split.db"), rm(dir, "split.db-wal"), rm(dir, "split.db-shm"),
			rm(dir, "split.db-writers");
	}

	/* Best of `repeat` alternating rounds, each into fresh databases with
	 * dirty pages flushed first: whichever runs right after a big write
	 * would otherwise pay for the other's writeback. */
	struct store *s = NULL;
	struct import_summary sum;
	char cmd[9000];
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' \".import --csv '%s' lines\"", plain, csv);
	double t_kiosk = 1e30, t_sqlite = 1e30, t0;
	int shell = 0, rc;
	for (int round = 0; round < repeat; round++) {
		if (s)
			store_close(s);
		rm(dir, "kiosk.db"), rm(dir, "kiosk.db-wal"), rm(dir, "kiosk.db-shm"),
			rm(dir, "kiosk.db-writers");
		rm(dir, "plain.db");
		sync();
		if (store_open(&s, db, &why)) {
			fprintf(stderr, "store: %s\n", why.text);
			return 1;
		}
		t0 = now_s();
		rc = import_file(s, &cfg, csv, NULL, NULL, &sum, &why);
		double t = now_s() - t0;
		if (rc || sum.n_new != receipts) {
			fprintf(stderr, "import failed: %s (%d new)\n", why.text, sum.n_new);
			return 1;
		}
		t_kiosk = t < t_kiosk ? t : t_kiosk;
		sync();
		t0 = now_s();
		shell = system(cmd);
		t = now_s() - t0;
		t_sqlite = t < t_sqlite ? t : t_sqlite;
	}
	/* what each side stored, so a half-failed run cannot pass for a fast one */
	long long kiosk_rows = count_rows(db, "SELECT count(*) FROM receipt_lines");
	long long shell_rows = shell == 0 ? count_rows(plain, "SELECT count(*) FROM lines") : -1;
	if (kiosk_rows != lines || (shell == 0 && shell_rows != lines)) {
		fprintf(stderr, "row counts differ: %ld lines, kiosk stored %lld, shell %lld\n", lines,
			kiosk_rows, shell_rows);
		return 1;
	}
	sync();
	t0 = now_s();
	rc = import_file(s, &cfg, csv, NULL, NULL, &sum, &why);
	double t_again = now_s() - t0;
	if (rc || sum.n_new != 0) {
		fprintf(stderr, "re-import failed: %s (%d new)\n", why.text, sum.n_new);
		return 1;
	}

	printf("best of %d rounds, each: kiosk import, then the sqlite3 shell; both stored %ld "
	       "rows\n",
	       repeat, lines);
	print_load("after the rounds");
	printf("kiosk import (parse, validate, store, one transaction): %7.2f s  %9.0f lines/s\n",
	       t_kiosk, lines / t_kiosk);
	printf("  of which parsing and validating the CSV (in memory):  %7.2f s  %9.0f lines/s\n",
	       t_parse, lines / t_parse);
	printf("  split in a second database: store_import_add_many %.2f s, commit %.2f s, close %.2f s\n",
	       t_adds, t_commit, t_close);
	printf("kiosk import again (validate, 0 new receipts):          %7.2f s  %9.0f lines/s\n",
	       t_again, lines / t_again);
	if (shell == 0) {
		printf("sqlite3 shell .import --csv into a plain table:         %7.2f s  %9.0f lines/s\n",
		       t_sqlite, lines / t_sqlite);
		printf("ratio kiosk / sqlite3 shell: %.2fx (goal >= 0.7x)\n", t_sqlite / t_kiosk);
	} else {
		printf("sqlite3 shell not available: no side-by-side figure\n");
	}

	/* top up to n_receipts, untimed */
	if (n_receipts > receipts) {
		long extra_lines;
		write_csv(extra, receipts, 0, n_receipts - receipts, base_day, &extra_lines);
		if (import_file(s, &cfg, extra, NULL, NULL, &sum, &why)) {
			fprintf(stderr, "top-up failed: %s\n", why.text);
			return 1;
		}
		receipts = n_receipts;
	}
	double *lat = malloc((size_t)n_lookups * sizeof *lat);
	uint64_t x = 88172645463325252ull;
	for (long i = 0; i < n_lookups; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		char id[40];
		int64_t day;
		receipt_id((long)(x % (uint64_t)receipts), base_day, id, sizeof id, &day);
		struct receipt r;
		t0 = now_s();
		rc = store_receipt_get(s, id, &r, &why);
		lat[i] = now_s() - t0;
		receipt_free(&r);
		if (rc) {
			fprintf(stderr, "lookup of %s failed: %s\n", id, why.text);
			return 1;
		}
	}
	qsort(lat, (size_t)n_lookups, sizeof *lat, cmp_double);
	printf("receipt lookup (store_receipt_get) at %ld receipts, %ld lookups: "
	       "p50 %.1f us, p99 %.1f us (goal p99 <= 1000 us)\n",
	       receipts, n_lookups, lat[n_lookups / 2] * 1e6, lat[n_lookups * 99 / 100] * 1e6);
	free(lat);
	store_close(s);
	config_destroy(&cfg);
	rm(dir, "receipts.csv"), rm(dir, "extra.csv"), rm(dir, "plain.db");
	rm(dir, "kiosk.db"), rm(dir, "kiosk.db-wal"), rm(dir, "kiosk.db-shm"),
		rm(dir, "kiosk.db-writers");
	if (!dir_opt)
		rmdir(dir);
	return 0;
}
