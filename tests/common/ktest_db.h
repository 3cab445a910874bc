/* A fresh database for a C test that is not the store's own (services,
 * counter): a file in dir on SQLite, or, when KIOSK_TEST_PG holds a
 * PostgreSQL connection string (tests/common/with_pg.py), a new database
 * in that cluster. Header-only. */
#ifndef KIOSK_KTEST_DB_H
#define KIOSK_KTEST_DB_H

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Is the test running against PostgreSQL? */
static inline int ktest_db_is_pg(void)
{
	const char *v = getenv("KIOSK_TEST_PG");
	return v && *v;
}

/* The database's target (path or connection string) into buf; name is the
 * file name in dir, or part of the new database's name. Exits on failure. */
static inline void ktest_db_new(char *buf, size_t len, const char *dir, const char *name)
{
	if (!ktest_db_is_pg()) {
		snprintf(buf, len, "%s/%s", dir, name);
		return;
	}
	static int n;
	char db[64], sql[128];
	snprintf(db, sizeof db, "kt_%d_%d", (int)getpid(), ++n);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
	PGconn *c = PQconnectdb(getenv("KIOSK_TEST_PG"));
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "test cluster: %s: %s", sql, PQerrorMessage(c));
		exit(2);
	}
	PQclear(r);
	PQfinish(c);
	snprintf(buf, len, "%s dbname=%s", getenv("KIOSK_TEST_PG"), db);
}

/* Append everything stream f gives to *bytes (*total of them). */
static inline void ktest_db_slurp(FILE *f, char **bytes, size_t *total)
{
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		char *nb = realloc(*bytes, *total + n);
		if (!nb)
			break;
		*bytes = nb;
		memcpy(*bytes + *total, buf, n);
		*total += n;
	}
}

/* Everything the database holds, to prove something is NOT stored: the
 * SQLite file and its WAL byte for byte (free pages too), or every row of
 * the PostgreSQL database (pg_dump). Owned by the caller (free). */
static inline char *ktest_db_bytes(const char *target, size_t *total)
{
	char *bytes = NULL;
	*total = 0;
	if (ktest_db_is_pg()) {
		char cmd[1200];
		snprintf(cmd, sizeof cmd, "pg_dump --data-only -d '%s'", target);
		FILE *p = popen(cmd, "r");
		if (p) {
			ktest_db_slurp(p, &bytes, total);
			pclose(p);
		}
		return bytes;
	}
	static const char *const suffixes[] = {"", "-wal"};
	for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
		char path[1100];
		snprintf(path, sizeof path, "%s%s", target, suffixes[k]);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		ktest_db_slurp(f, &bytes, total);
		fclose(f);
	}
	return bytes;
}

#endif
