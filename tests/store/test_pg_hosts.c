/* A primary and its standby as one connection string (app/store/postgres/
 * db_pg_hosts.c), against the test's cluster (with_pg.py) as the standby
 * and, as the primary, a socket that takes connections and never answers
 * (a host whose network has gone silent; libpq waits its connect_timeout,
 * 2 s here, for the server's first words):
 *
 * - the first connection waits the primary out once and lands on the
 *   standby;
 * - when the server ends that connection, the store's look makes it again
 *   on the standby at once, without waiting the primary out again: the list
 *   of hosts is turned round to begin where a server answered last, with
 *   each host's port turned round beside it (a mismatch would knock on the
 *   standby's folder with the primary's port, and fail);
 * - a new connection of the process begins there too;
 * - the same for the string as a URI (postgresql://…).
 * Exits 77 without a cluster (run through with_pg.py). */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ktest.h"
#include "ktest_db.h"
#include "store/store.h"

static char standby_dir[512];
static char primary_dir[64];

static long long ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The silent primary: a socket listening on port 6001 of its own folder,
 * whose connections are never accepted (the kernel takes them, and nothing
 * is ever said on them). */
static int silent_primary(void)
{
	snprintf(primary_dir, sizeof primary_dir, "/tmp/kiosk-silent-XXXXXX");
	if (!mkdtemp(primary_dir))
		return -1;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof a.sun_path, "%s/.s.PGSQL.6001", primary_dir);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 64))
		return -1;
	return fd;
}

/* The server ends every other connection to database db (as a restart or
 * a failover does). */
static void end_connections(const char *db)
{
	PGconn *c = PQconnectdb(getenv("KIOSK_TEST_PG"));
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '%s'"
		 " AND pid <> pg_backend_pid()",
		 db);
	PGresult *r = PQexec(c, sql);
	KT_CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && atoi(PQgetvalue(r, 0, 0)) >= 1,
		 "the server ended the store's connection: %s", PQerrorMessage(c));
	PQclear(r);
	/* gone, not going: its backend has exited */
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s' AND pid <> pg_backend_pid()",
		 db);
	for (int i = 0; i < 250; i++) {
		r = PQexec(c, sql);
		bool gone = PQresultStatus(r) == PGRES_TUPLES_OK && !strcmp(PQgetvalue(r, 0, 0), "0");
		PQclear(r);
		if (gone)
			break;
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
	}
	/* its entry goes before its socket closes: a moment more */
	nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
	PQfinish(c);
}

/* The standby's folder from the cluster's connection string, and the
 * primary made, once. Exits 77 (skipped) without a cluster. */
static bool ready(void)
{
	static int done;
	if (!ktest_db_is_pg()) {
		fprintf(stderr, "SKIPPED: no test cluster (run through with_pg.py)\n");
		exit(77);
	}
	if (!done) {
		const char *h = strstr(getenv("KIOSK_TEST_PG"), "host=");
		snprintf(standby_dir, sizeof standby_dir, "%.*s", h ? (int)strcspn(h + 5, " ") : 0,
			 h ? h + 5 : "");
		done = standby_dir[0] && silent_primary() >= 0 ? 1 : -1;
	}
	KT_CHECK(done == 1, "the standby's folder (%s) and the silent primary (%s)", standby_dir,
		 primary_dir);
	return done == 1;
}

static void fails_over(const char *form, const char *target, const char *db)
{
	struct kiosk_why why = {{0}};
	struct store *s = NULL;
	long long t0 = ms();
	KT_INTEQ(store_open(&s, target, &why), 0, 0);
	long long first = ms() - t0;
	KT_CHECK(first >= 1500, "%s: the first connection waited the silent primary out (%lld ms)",
		 form, first);
	if (!s) {
		KT_CHECK(false, "%s: %s", form, why.text);
		return;
	}
	end_connections(db);
	/* the kiosk's look, every 20 ms here: never waits */
	int r = 0, looks = 0;
	t0 = ms();
	while (r == 0 && looks++ < 200) {
		r = store_reach(s, &why);
		if (r == 0)
			nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
	}
	long long again = ms() - t0;
	KT_INTEQ(r, 1, 1);
	KT_CHECK(again < 1000,
		 "%s: connected again on the standby without waiting the primary out (%lld ms)",
		 form, again);
	struct receipt rec;
	int rc = store_receipt_get(s, "RS000000000000000000001", &rec, &why);
	KT_INTEQ(rc, KIOSK_ENOTFOUND, 1); /* a statement runs on it */
	struct store *s2 = NULL;
	t0 = ms();
	KT_INTEQ(store_open(&s2, target, &why), 0, 2);
	long long next = ms() - t0;
	KT_CHECK(next < 1000, "%s: a new connection of the process begins at the standby (%lld ms)",
		 form, next);
	printf("%s: first connection %lld ms, connected again %lld ms, a new one %lld ms\n", form,
	       first, again, next);
	store_close(s2);
	store_close(s);
}

static void new_database(char *db, size_t len, const char *name)
{
	char target[1200];
	ktest_db_new(target, sizeof target, "", name);
	const char *at = strrchr(target, '='); /* its last word: dbname=kt_… */
	snprintf(db, len, "%s", at ? at + 1 : "");
}

static void key_value_form(void)
{
	if (!ready())
		return;
	char db[64], target[1400];
	new_database(db, sizeof db, "kv");
	snprintf(target, sizeof target,
		 "host=%s,%s port=6001,5432 user=kiosk dbname=%s connect_timeout=2", primary_dir,
		 standby_dir, db);
	fails_over("host=PRIMARY,STANDBY port=6001,5432", target, db);
}

/* A Unix socket folder in a URI is percent-encoded. */
static void encoded(char *out, size_t len, const char *dir)
{
	size_t n = 0;
	for (const char *p = dir; *p && n + 4 < len; p++)
		n += (size_t)snprintf(out + n, len - n, *p == '/' ? "%%2F" : "%c", *p);
	out[n] = 0;
}

static void uri_form(void)
{
	if (!ready())
		return;
	char db[64], target[1400], primary[200], standby[1000];
	new_database(db, sizeof db, "uri");
	encoded(primary, sizeof primary, primary_dir);
	encoded(standby, sizeof standby, standby_dir);
	snprintf(target, sizeof target,
		 "postgresql://kiosk@%s:6001,%s:5432/%s?connect_timeout=2", primary, standby, db);
	fails_over("postgresql://PRIMARY:6001,STANDBY:5432/…", target, db);
}

KT_MAIN(KT_FUNC(key_value_form), KT_FUNC(uri_form))
