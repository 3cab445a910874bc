/* Shared set-up for the store's C tests: a real database, fresh for each
 * fixture (an SQLite file in a temporary folder; or, when KIOSK_TEST_PG
 * holds a PostgreSQL connection string, a new database in that cluster,
 * see tests/common/with_pg.py), a second raw connection for checks the API
 * does not offer (on purpose), and builders for receipts and cases.
 * Header-only so each test program stays one file. */
#ifndef KIOSK_TEST_STORE_FIXTURE_H
#define KIOSK_TEST_STORE_FIXTURE_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktest.h"
#include "store/store.h"

struct fixture {
	char dir[64];
	char path[1024];  /* the file, or the connection string */
	char pg_name[64]; /* the PostgreSQL database, "" on SQLite */
	struct store *s;
};

/* The admin connection string of the test cluster, NULL on SQLite. */
static inline const char *fixture_pg(void)
{
	const char *v = getenv("KIOSK_TEST_PG");
	return v && *v ? v : NULL;
}

/* Run one statement on the cluster's admin database; exits on failure. */
static inline void fixture_pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(fixture_pg());
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "test cluster: %s: %s", sql, PQerrorMessage(c));
		exit(2);
	}
	PQclear(r);
	PQfinish(c);
}

/* 2026-11-23T10:00:00+01:00, the tests' "now" */
#define T_NOW 1795424400LL
#define T_OFF 60
#define T_DAY(t) ((int64_t)(((t) + T_OFF * 60) / 86400))

static inline struct kiosk_time at(int64_t unix_s)
{
	struct kiosk_time t = {unix_s, T_OFF};
	return t;
}

/* Fresh folder and database path; opens the store unless open is 0. */
static inline int fixture_open(struct fixture *f, int open)
{
	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/kiosk-store-XXXXXX");
	if (!mkdtemp(f->dir)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(f->path, sizeof f->path, "%s/kiosk.db", f->dir);
	if (fixture_pg()) {
		static int n;
		char sql[128];
		snprintf(f->pg_name, sizeof f->pg_name, "kt_%d_%d", (int)getpid(), ++n);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pg_name);
		fixture_pg_admin(sql);
		/* a repeated keyword: libpq takes the last */
		snprintf(f->path, sizeof f->path, "%s dbname=%s", fixture_pg(), f->pg_name);
	}
	if (!open)
		return 0;
	struct kiosk_why why = {{0}};
	int rc = store_open(&f->s, f->path, &why);
	if (rc)
		fprintf(stderr, "store_open: %s\n", why.text);
	return rc;
}

static inline void fixture_close(struct fixture *f)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal", "-writers"};
	char p[1100];
	store_close(f->s);
	f->s = NULL;
	if (f->pg_name[0]) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", f->pg_name);
		fixture_pg_admin(sql);
		rmdir(f->dir);
		return;
	}
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
}

/* A second connection, as another program (or an attacker with sqlite3
 * or psql) would have. */
struct raw {
	sqlite3 *lite;
	PGconn *pg;
};

static inline struct raw *raw_open(const struct fixture *f)
{
	struct raw *r = calloc(1, sizeof *r);
	if (!r)
		exit(2);
	if (f->pg_name[0]) {
		r->pg = PQconnectdb(f->path);
		if (PQstatus(r->pg) != CONNECTION_OK) {
			fprintf(stderr, "raw open: %s", PQerrorMessage(r->pg));
			exit(2);
		}
		return r;
	}
	if (sqlite3_open(f->path, &r->lite) != SQLITE_OK) {
		fprintf(stderr, "raw open: %s\n", sqlite3_errmsg(r->lite));
		exit(2);
	}
	sqlite3_busy_timeout(r->lite, 2000);
	return r;
}

static inline void raw_close(struct raw *r)
{
	if (!r)
		return;
	sqlite3_close(r->lite);
	PQfinish(r->pg);
	free(r);
}

/* First column of the first row as text into buf ("" when none); the
 * return is 1 for a row, 0 for none, -2 for an error. */
static inline int raw_query(struct raw *r, const char *sql, char *buf, size_t len)
{
	buf[0] = 0;
	if (r->pg) {
		PGresult *res = PQexec(r->pg, sql);
		int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		int rc = !ok ? -2 : PQntuples(res) > 0;
		if (!ok)
			fprintf(stderr, "raw: %s: %s", sql, PQerrorMessage(r->pg));
		else if (rc && !PQgetisnull(res, 0, 0))
			snprintf(buf, len, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		return rc;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(r->lite, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw: %s: %s\n", sql, sqlite3_errmsg(r->lite));
		return -2;
	}
	int rc = sqlite3_step(st) == SQLITE_ROW;
	if (rc && sqlite3_column_text(st, 0))
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

/* First column of the first row as an integer (-1 when no row). */
static inline long long raw_int(struct raw *r, const char *sql)
{
	char buf[64];
	int rc = raw_query(r, sql, buf, sizeof buf);
	return rc < 0 ? -2 : rc == 0 ? -1 : strtoll(buf, NULL, 10);
}

/* First column of the first row as text into buf ("" when none). */
static inline void raw_text(struct raw *r, const char *sql, char *buf, size_t len)
{
	raw_query(r, sql, buf, len);
}

/* The raw SQLite connection, for the SQLite-only tests (migrations of
 * old files, PRAGMAs). */
static inline sqlite3 *lite_open(const struct fixture *f)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(f->path, &db) != SQLITE_OK) {
		fprintf(stderr, "raw open: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	sqlite3_busy_timeout(db, 2000);
	return db;
}

static inline long long lite_int(sqlite3 *db, const char *sql)
{
	struct raw r = {db, NULL};
	return raw_int(&r, sql);
}

static inline void lite_text(sqlite3 *db, const char *sql, char *buf, size_t len)
{
	struct raw r = {db, NULL};
	raw_text(&r, sql, buf, len);
}

/* A receipt with n lines: line i (1-based) has sku "SKU-i", quantity q,
 * unit price (i * 10000 + price_delta) öre, category "general". The
 * receipt owns lines (free with receipt_free). */
static inline struct receipt make_receipt(const char *id, int n, int q, int64_t price_delta)
{
	struct receipt r;
	memset(&r, 0, sizeof r);
	snprintf(r.receipt_id, sizeof r.receipt_id, "%s", id);
	snprintf(r.store, sizeof r.store, "0042");
	snprintf(r.register_id, sizeof r.register_id, "003");
	r.purchased_at = at(T_NOW - 10 * 86400);
	snprintf(r.currency, sizeof r.currency, "SEK");
	r.n_lines = n;
	r.lines = calloc((size_t)(n ? n : 1), sizeof *r.lines);
	for (int i = 0; i < n; i++) {
		struct receipt_line *l = &r.lines[i];
		l->line = i + 1;
		snprintf(l->sku, sizeof l->sku, "SKU-%d", i + 1);
		snprintf(l->description, sizeof l->description, "Vara %d med å ä ö", i + 1);
		l->quantity = q;
		l->unit_price = (i + 1) * 10000 + price_delta;
		snprintf(l->category, sizeof l->category, "general");
	}
	return r;
}

/* A return case of `qty` of receipt line `line` (or a fault when line is
 * 0 and receipt is NULL), decided with outcome. Lines are static storage
 * owned by the caller's variable: do not case_record_free it. */
static inline struct case_record make_case(enum case_kind kind, const char *receipt, int line,
					   int qty, enum case_outcome outcome, struct case_line *lbuf)
{
	struct case_record c;
	memset(&c, 0, sizeof c);
	memset(lbuf, 0, sizeof *lbuf);
	c.kind = kind;
	c.state = outcome == OUTCOME_STAFF ? CASE_WAITING_STAFF : CASE_REGISTERED;
	snprintf(c.store, sizeof c.store, "0042");
	snprintf(c.receipt_id, sizeof c.receipt_id, "%s", receipt ? receipt : "");
	snprintf(c.lang, sizeof c.lang, "sv");
	c.decision.outcome = outcome;
	snprintf(c.decision.rule, sizeof c.decision.rule, "return.within_window");
	snprintf(c.decision.explanation, sizeof c.decision.explanation,
		 "Du köpte varan för 10 dagar sedan.");
	snprintf(c.decision.details, sizeof c.decision.details, "{\"days\":10,\"window\":30}");
	c.decision.amount = 10000 * qty;
	lbuf->receipt_line = line;
	snprintf(lbuf->sku, sizeof lbuf->sku, "SKU-%d", line);
	snprintf(lbuf->description, sizeof lbuf->description, "Vara");
	lbuf->quantity = qty;
	lbuf->unit_price = 10000;
	snprintf(lbuf->category, sizeof lbuf->category, "general");
	lbuf->reason = REASON_CHANGED_MIND;
	lbuf->condition = COND_UNOPENED;
	c.n_lines = 1;
	c.lines = lbuf;
	return c;
}

#endif
