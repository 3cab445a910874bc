/* bench_cases: reads that must not grow with the cases stored (issue 10).
 *
 * For each size (default 10 000, 100 000 and 1 000 000 cases) a database is
 * seeded in a temp folder, then measured:
 *   - the counter's first page: store_case_list with the counter's window
 *     (41 rows), in this process, p50 and p99 over --pages runs;
 *     goal <= 20 ms at 1 M cases;
 *   - `kiosk case list --json > /dev/null` and `kiosk report --json >
 *     /dev/null` as whole processes: wall time and peak RSS (wait4);
 *     goals: the report <= 2 s at 1 M cases, RSS <= 60 MB for every
 *     command at any size.
 * Each figure is printed beside its goal as a ratio, with this process's
 * own peak RSS at the end.
 *
 * Seeding: the store makes the schema and one real case through
 * store_case_create; the rest are copies made by one INSERT ... SELECT
 * with the SQLite library (a million cases through the store would take
 * minutes and measure the write path, which is not what this is about).
 * A mix: 2 % overdue, 5 % waiting for staff, the rest spread over the
 * other states, created over two years.
 *
 *   bench_cases [--sizes 10000,100000,1000000] [--pages N] [--kiosk PATH]
 *
 * Run through tests/common/with_pg.py (KIOSK_TEST_PG set), every size is
 * measured on PostgreSQL too (rows "PG"; seeded the same way with psql).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/clock.h"
#include "domain/model.h"
#include "store/store.h"

#define WINDOW 41 /* COUNTER_LIST_WINDOW + 1 */
#define NOW_S 1795424400LL /* 2026-11-23T10:00:00+01:00 */
#define TODAY (NOW_S / 86400)

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The case every seeded case is a copy of: a fault, promised in 14 days. */
static void one_case(struct case_record *c)
{
	c->kind = CASE_FAULT;
	c->state = CASE_REGISTERED;
	snprintf(c->store, sizeof c->store, "0042");
	snprintf(c->lang, sizeof c->lang, "sv");
	snprintf(c->product, sizeof c->product, "Dator");
	snprintf(c->customer_text, sizeof c->customer_text, "Skärmen blir svart.");
	c->decision.outcome = OUTCOME_REPAIR;
	snprintf(c->decision.rule, sizeof c->decision.rule, "fault.presumed");
	snprintf(c->decision.explanation, sizeof c->decision.explanation, "Felet antas ...");
	snprintf(c->decision.details, sizeof c->decision.details, "{}");
	snprintf(c->decision.next_step, sizeof c->decision.next_step, "Vi bedömer varan.");
	c->decision.promised_day = TODAY + 14;
}

static int seed(const char *db, long n)
{
	struct store *s = NULL;
	struct kiosk_why why = {{0}};
	struct case_record c = {0};
	struct kiosk_time at = {NOW_S - 86400, 60};
	if (store_open(&s, db, &why)) {
		fprintf(stderr, "bench_cases: %s\n", why.text);
		return -1;
	}
	one_case(&c);
	int rc = store_case_create(s, &c, "0123456789abcdef", at, "kiosk", &why);
	store_close(s);
	if (rc) {
		fprintf(stderr, "bench_cases: %s\n", why.text);
		return -1;
	}
	sqlite3 *h;
	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	char sql[2048];
	snprintf(sql, sizeof sql,
		 "BEGIN;"
		 "WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM k WHERE i < %ld)"
		 " INSERT INTO cases (seq, id, kind, state, store_id, receipt_id, lang, created_s,"
		 " created_off, updated_s, updated_off, outcome, rule, explanation, details,"
		 " amount, next_step, promised_day, product, customer_text, contact,"
		 " wants_updates, id_hash, receipt_printed, token_hash, closed_s, due_day)"
		 " SELECT i, printf('K-%%06d', i), kind,"
		 " CASE WHEN i %% 20 = 0 THEN 'waiting_for_staff' WHEN i %% 50 = 1 THEN 'at_repair'"
		 "  WHEN i %% 3 = 0 THEN 'closed' WHEN i %% 3 = 1 THEN 'approved' ELSE 'registered' END,"
		 " store_id, receipt_id, lang, %lld - (%ld - i) * (63072000 / %ld), created_off,"
		 " updated_s, updated_off, outcome, rule, explanation, details, amount, next_step,"
		 " CASE WHEN i %% 50 = 1 THEN %lld - 3 ELSE %lld + 14 END, product, customer_text,"
		 " contact, wants_updates, id_hash, receipt_printed, token_hash,"
		 " CASE WHEN i %% 3 = 0 AND i %% 20 <> 0 AND i %% 50 <> 1 THEN updated_s END,"
		 " CASE WHEN i %% 50 = 1 THEN %lld - 3 ELSE %lld + 14 END"
		 " FROM k, (SELECT * FROM cases WHERE seq = 1);"
		 "UPDATE cases SET due_day = promised_day WHERE seq = 1;"
		 "COMMIT;",
		 n, (long long)NOW_S, n, n, (long long)TODAY, (long long)TODAY, (long long)TODAY,
		 (long long)TODAY);
	char *err = NULL;
	rc = sqlite3_exec(h, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "bench_cases: seeding failed: %s\n", err ? err : "?");
	sqlite3_free(err);
	sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;", NULL, NULL, NULL);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

/* The same mix in a new PostgreSQL database of the cluster at admin (the
 * with_pg.py cluster): created, its one real case through the store, the
 * rest by psql, then VACUUM ANALYZE, as autovacuum leaves a chain's tables
 * (the first reader of a million fresh rows would otherwise also set every
 * row's hint bits). *db receives its connection string. */
static int seed_pg(const char *admin, long n, char *db, size_t len)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -c 'SET client_min_messages TO warning' "
		 "-c 'DROP DATABASE IF EXISTS cases%ld' "
		 "-c 'CREATE DATABASE cases%ld'", admin, n, n);
	if (system(cmd) != 0)
		return -1;
	const char *at = strstr(admin, "dbname=postgres");
	if (!at)
		return -1;
	snprintf(db, len, "%.*sdbname=cases%ld%s", (int)(at - admin), admin, n,
		 at + strlen("dbname=postgres"));
	struct store *s = NULL;
	struct kiosk_why why = {{0}};
	struct case_record c = {0};
	if (store_open(&s, db, &why)) {
		fprintf(stderr, "bench_cases: %s\n", why.text);
		return -1;
	}
	one_case(&c);
	int rc = store_case_create(s, &c, "0123456789abcdef", (struct kiosk_time){NOW_S - 86400, 60},
				   "kiosk", &why);
	store_close(s);
	if (rc) {
		fprintf(stderr, "bench_cases: %s\n", why.text);
		return -1;
	}
	snprintf(cmd, sizeof cmd,
		 "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -c \""
		 " INSERT INTO cases (seq, id, kind, state, store_id, receipt_id, lang, created_s,"
		 " created_off, updated_s, updated_off, outcome, rule, explanation, details,"
		 " amount, next_step, promised_day, product, customer_text, contact,"
		 " wants_updates, id_hash, receipt_printed, token_hash, closed_s, due_day)"
		 " SELECT i, 'K-' || lpad(i::text, greatest(6, length(i::text)), '0'), kind,"
		 " CASE WHEN i %% 20 = 0 THEN 'waiting_for_staff' WHEN i %% 50 = 1 THEN 'at_repair'"
		 "  WHEN i %% 3 = 0 THEN 'closed' WHEN i %% 3 = 1 THEN 'approved' ELSE 'registered' END,"
		 " store_id, receipt_id, lang, %lld - (%ld - i) * (63072000 / %ld), created_off,"
		 " updated_s, updated_off, outcome, rule, explanation, details, amount, next_step,"
		 " CASE WHEN i %% 50 = 1 THEN %lld - 3 ELSE %lld + 14 END, product, customer_text,"
		 " contact, wants_updates, id_hash, receipt_printed, token_hash,"
		 " CASE WHEN i %% 3 = 0 AND i %% 20 <> 0 AND i %% 50 <> 1 THEN updated_s END,"
		 " CASE WHEN i %% 50 = 1 THEN %lld - 3 ELSE %lld + 14 END"
		 " FROM generate_series(2, %ld) AS k(i), (SELECT * FROM cases WHERE seq = 1) AS one\""
		 " -c 'UPDATE cases SET due_day = promised_day WHERE seq = 1' -c 'VACUUM ANALYZE'",
		 db, (long long)NOW_S, n, n, (long long)TODAY, (long long)TODAY, (long long)TODAY,
		 (long long)TODAY, n);
	return system(cmd) == 0 ? 0 : -1;
}

/* The counter's first page, in process: p50 and p99 in ms. */
static int first_page(const char *db, int runs, double *p50, double *p99)
{
	struct store *s = NULL;
	struct kiosk_why why = {{0}};
	if (store_open(&s, db, &why))
		return -1;
	double *t = calloc((size_t)runs, sizeof *t);
	int rc = t ? 0 : -1;
	for (int i = 0; !rc && i < runs; i++) {
		struct case_filter f = {.today = TODAY, .limit = WINDOW};
		struct case_record *c = NULL;
		int n = 0;
		double t0 = now_ms();
		rc = store_case_list(s, &f, &c, &n, &why);
		t[i] = now_ms() - t0;
		if (!rc && n != WINDOW)
			rc = -1;
		for (int k = 0; k < n; k++)
			case_record_free(&c[k]);
		free(c);
	}
	if (!rc) {
		qsort(t, (size_t)runs, sizeof *t, cmp_double);
		*p50 = t[runs / 2];
		*p99 = t[(runs * 99) / 100 < runs ? (runs * 99) / 100 : runs - 1];
	} else {
		fprintf(stderr, "bench_cases: first page failed: %s\n", why.text);
	}
	free(t);
	store_close(s);
	return rc;
}

/* A whole kiosk command with its output to /dev/null: seconds and peak MB. */
static int command(const char *kiosk, const char *db, const char *const *args, double *secs,
		   double *mb)
{
	fflush(stdout); /* or the child writes our buffer again */
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		const char *argv[16];
		int n = 0;
		argv[n++] = kiosk;
		for (int i = 0; args[i] && n < 12; i++)
			argv[n++] = args[i];
		argv[n++] = "--db";
		argv[n++] = db;
		argv[n] = NULL;
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		setenv("KIOSK_NOW", "2026-11-23T10:00:00+01:00", 1);
		execv(kiosk, (char *const *)argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	*secs = (now_ms() - t0) / 1e3;
	*mb = (double)ru.ru_maxrss / 1024.0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *sizes = "10000,100000,1000000", *kiosk = "build/kiosk";
	int pages = 200;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sizes") && i + 1 < argc)
			sizes = argv[++i];
		else if (!strcmp(argv[i], "--pages") && i + 1 < argc)
			pages = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--kiosk") && i + 1 < argc)
			kiosk = argv[++i];
		else {
			fprintf(stderr, "usage: bench_cases [--sizes N,N,...] [--pages N] "
					"[--kiosk PATH]\n");
			return 2;
		}
	}
	if (pages < 1 || access(kiosk, X_OK)) {
		fprintf(stderr, "bench_cases: --pages must be >= 1 and --kiosk (%s) runnable\n",
			kiosk);
		return 2;
	}
	char dir[] = "/tmp/kiosk-bench-cases-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("bench_cases: mkdtemp");
		return 1;
	}
	printf("bench_cases: counter page (%d rows, %d runs) in process; commands as processes"
	       " with output to /dev/null\n", WINDOW, pages);
	/* with_pg.py's cluster: every size on PostgreSQL too */
	const char *pg_admin = getenv("KIOSK_TEST_PG");
	printf("%10s %-4s %-26s  %-34s  %-40s\n", "cases", "db", "counter first page p50/p99",
	       "case list --json: time, peak RSS", "report --json: time, peak RSS");
	int failed = 0;
	for (const char *p = sizes; *p;) {
		long n = strtol(p, (char **)&p, 10);
		if (*p == ',')
			p++;
		if (n < 2)
			continue;
		char db[128], cmd[700];
		snprintf(db, sizeof db, "%s/cases-%ld.db", dir, n);
		static const char *const list_args[] = {"case", "list", "--json", NULL};
		static const char *const report_args[] = {"report", "--json", NULL};
		for (int engine = 0; engine < (pg_admin ? 2 : 1); engine++) {
			char pg_db[600];
			const char *target = engine ? pg_db : db;
			double p50 = 0, p99 = 0, ls = 0, lm = 0, rs = 0, rm = 0;
			if ((engine ? seed_pg(pg_admin, n, pg_db, sizeof pg_db) : seed(db, n)) ||
			    first_page(target, pages, &p50, &p99) ||
			    command(kiosk, target, list_args, &ls, &lm) ||
			    command(kiosk, target, report_args, &rs, &rm)) {
				fprintf(stderr, "bench_cases: the run at %ld cases failed\n", n);
				failed = 1;
			}
			printf("%10ld %-4s %6.2f / %6.2f ms (%4.2fx)  %7.2f s %7.1f MB (%5.2fx)   "
			       "%7.2f s (%4.2fx) %7.1f MB (%5.2fx)\n",
			       n, engine ? "PG" : "SQL", p50, p99, p99 / 20.0, ls, lm, lm / 60.0, rs,
			       rs / 2.0, rm, rm / 60.0);
			fflush(stdout);
		}
		snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm' '%s-writers' '%s/kiosk.key'", db,
			 db, db, db, dir);
		if (getenv("BENCH_KEEP"))
			cmd[0] = 0;
		if (cmd[0] && system(cmd) != 0)
			failed = 1;
	}
	printf("goals: counter page p99 <= 20 ms and report <= 2 s at 1 M cases; peak RSS <= 60 MB"
	       " for every command (the ratios above are to those)\n");
	struct rusage self;
	getrusage(RUSAGE_SELF, &self);
	printf("bench_cases peak RSS: %.1f MB\n", (double)self.ru_maxrss / 1024.0);
	rmdir(dir);
	return failed;
}
