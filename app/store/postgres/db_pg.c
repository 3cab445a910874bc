/* The PostgreSQL backend of the store seam (db.h), through libpq: one
 * database for every kiosk and counter of a store or a chain.
 *
 * Statements are the common dialect's SQL with `?`/`?N` renumbered as $N.
 * Parameters go as text with their type (int8, text) or as binary bytea;
 * results come as text and are converted on read. Writers take turns on a
 * transaction-scoped advisory lock, the same single-writer rule SQLite's
 * BEGIN IMMEDIATE gives, so a rule read inside a write transaction holds
 * until its commit in every process. A lost connection is re-established
 * by the next statement outside a transaction: the kiosk recovers by
 * itself when the server is back (db_pg_conn.c). */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/wipe.h"
#include "store/db.h"
#include "store/postgres/db_pg_private.h"


bool db_target_is_pg(const char *t)
{
	if (!t)
		return false;
	if (!strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11))
		return true;
	/* libpq's key=value form: a known key and '=' before any '/' */
	static const char *const keys[] = {"host=", "hostaddr=", "dbname=", "service=", "user=",
					   "port="};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strncmp(t, keys[i], strlen(keys[i])))
			return true;
	return false;
}

const struct db_backend *db_backend_for(const char *target)
{
	return db_target_is_pg(target) ? &db_pg_backend : &db_sqlite_backend;
}

/* ---- statements ---------------------------------------------------------- */

/* sql with `?N` as $N and each bare `?` as the next number after the
 * highest so far (SQLite's rule); quoted text and comments are copied as
 * they are. *n_params is the highest number. */
static char *renumber(const char *sql, int *n_params)
{
	size_t len = strlen(sql);
	char *out = malloc(len * 4 + 1); /* "?" → "$NNN" at most */
	if (!out)
		return NULL;
	char *o = out;
	int max = 0;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			*o++ = *p++;
			while (*p && *p != q)
				*o++ = *p++;
			if (*p)
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (*p == '?') {
			p++;
			int n;
			if (*p >= '0' && *p <= '9') {
				n = (int)strtol(p, (char **)&p, 10);
			} else {
				n = max + 1;
			}
			if (n > max)
				max = n;
			o += sprintf(o, "$%d", n);
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	*n_params = max;
	return out;
}

static void pg_finalize(struct db_stmt *st)
{
	struct pg_stmt *s = PS(st);
	if (!s)
		return;
	if (s->cursor[0])
		pg_cursor_close(s);
	PQclear(s->res);
	PQclear(s->next);
	free(s->sql);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->types);
	free(s->ints);
	free(s->prep_types);
	mem_wipe_free(s->blob);
	/* a statement prepared on the server is deallocated with its
	 * connection; the store finalizes its statements only before closing
	 * or reconnecting */
	free(s);
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql)
{
	struct pg_stmt *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->base.be = &db_pg_backend;
	s->db = PG(db);
	s->row = -1;
	if (!(s->sql = renumber(sql, &s->n_params)))
		goto fail;
	size_t n = (size_t)(s->n_params ? s->n_params : 1);
	s->values = calloc(n, sizeof *s->values);
	s->lengths = calloc(n, sizeof *s->lengths);
	s->formats = calloc(n, sizeof *s->formats);
	s->types = calloc(n, sizeof *s->types);
	s->ints = calloc(n, sizeof *s->ints);
	s->prep_types = calloc(n, sizeof *s->prep_types);
	if (!s->values || !s->lengths || !s->formats || !s->types || !s->ints || !s->prep_types)
		goto fail;
	return &s->base;
fail:
	snprintf(PG(db)->sqlstate, sizeof PG(db)->sqlstate, "53200");
	snprintf(PG(db)->message, sizeof PG(db)->message, "out of memory");
	pg_finalize(&s->base);
	return NULL;
}

static void pg_reset(struct db_stmt *st, bool clear)
{
	struct pg_stmt *s = PS(st);
	if (s->cursor[0])
		pg_cursor_close(s);
	st->stream = st->held = false;
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->n_rows = 0;
	for (int i = 0; clear && i < s->n_params; i++) {
		s->values[i] = NULL;
		s->lengths[i] = s->formats[i] = 0;
		s->types[i] = 0;
	}
}

static bool param_ok(struct pg_stmt *s, int i)
{
	return i >= 1 && i <= s->n_params;
}

static void pg_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	struct pg_stmt *s = PS(st);
	if (!param_ok(s, i))
		return;
	snprintf(s->ints[i - 1], sizeof s->ints[0], "%lld", (long long)v);
	s->values[i - 1] = s->ints[i - 1];
	s->formats[i - 1] = 0;
	s->types[i - 1] = OID_INT8;
}

static void pg_bind_text(struct db_stmt *st, int i, const char *v)
{
	struct pg_stmt *s = PS(st);
	if (!param_ok(s, i))
		return;
	s->values[i - 1] = v; /* NULL: SQL NULL */
	s->formats[i - 1] = 0;
	s->types[i - 1] = OID_TEXT;
}

static void pg_bind_blob(struct db_stmt *st, int i, const void *p, int n)
{
	struct pg_stmt *s = PS(st);
	if (!param_ok(s, i))
		return;
	s->values[i - 1] = p;
	s->lengths[i - 1] = n;
	s->formats[i - 1] = 1;
	s->types[i - 1] = OID_BYTEA;
}

static int pg_param_count(struct db_stmt *st)
{
	return PS(st)->n_params;
}

/* Run s: prepared (once per connection and parameter types), or, when
 * this run's types differ from the prepared ones, as a one-off. */
static PGresult *run(struct pg_stmt *s)
{
	struct pg_db *d = s->db;
	size_t types_size = sizeof *s->types * (size_t)s->n_params;
	if (pg_prepared(s))
		return PQexecPrepared(d->conn, s->name, s->n_params, s->values, s->lengths,
				      s->formats, 0);
	if (s->name[0] && s->gen == d->gen) /* prepared for other types */
		return PQexecParams(d->conn, s->sql, s->n_params, s->types, s->values, s->lengths,
				    s->formats, 0);
	/* prepare: a statement that fails to prepare (an aborted transaction,
	 * a lost connection) is run as a one-off, which reports the error */
	char name[24];
	snprintf(name, sizeof name, "k%u_%u", d->gen, ++d->n_named);
	PGresult *p = PQprepare(d->conn, name, s->sql, s->n_params, s->types);
	bool ok = PQresultStatus(p) == PGRES_COMMAND_OK;
	PQclear(p);
	if (!ok)
		return PQexecParams(d->conn, s->sql, s->n_params, s->types, s->values, s->lengths,
				    s->formats, 0);
	memcpy(s->name, name, sizeof name);
	s->gen = d->gen;
	memcpy(s->prep_types, s->types, types_size);
	return PQexecPrepared(d->conn, s->name, s->n_params, s->values, s->lengths, s->formats, 0);
}

/* Is s a read (its answer is all it does)? Statements that begin with
 * SELECT; the ones with an effect (nextval, the locks, pg_notify) run
 * inside write transactions, where nothing is asked again. */
static bool is_read(const struct pg_stmt *s)
{
	const char *q = s->sql;
	while (*q == ' ' || *q == '\n' || *q == '(')
		q++;
	return !strncmp(q, "SELECT", 6);
}

/* A read sent on a connection the server had just ended (a restart, a
 * failover, an idle timeout), before its end reached the socket
 * (closed_while_idle looks just before): it fails at once, and is asked
 * once again on a new connection rather than tell a customer that the
 * case system cannot be reached. Only a read outside a transaction, and
 * only when the end came at once: a connection that timed out (a silent
 * network) has waited long enough, and a new one would wait for its
 * connect_timeout on top. */
#define LOST_AT_ONCE_MS 1000

static PGresult *run_read_again(struct pg_stmt *s, PGresult *res, bool idle, int64_t began_ms)
{
	struct pg_db *d = s->db;
	if (!idle || PQstatus(d->conn) != CONNECTION_BAD || !is_read(s) ||
	    clock_mono_ms() - began_ms > LOST_AT_ONCE_MS)
		return res;
	pg_set_error(d, res);
	if (!pg_reconnect(d))
		return res;
	PQclear(res);
	return run(s);
}

/* s after the statements sent ahead, in the same round trip when it is
 * prepared (s->res is then its result), else after they are answered.
 * false when one of them failed. */
static bool run_after_later(struct pg_stmt *s)
{
	struct pg_db *d = s->db;
	if (!pg_prepared(s))
		return pg_settle(d, NULL);
	if (!PQsendQueryPrepared(d->conn, s->name, s->n_params, s->values, s->lengths, s->formats,
				 0)) {
		pg_set_error(d, NULL);
		pg_settle(d, NULL);
		return false;
	}
	d->n_later++;
	if (pg_settle(d, &s->res))
		return true;
	PQclear(s->res);
	s->res = NULL;
	return false;
}

static int pg_step(struct db_stmt *st)
{
	struct pg_stmt *s = PS(st);
	struct pg_db *d = s->db;
	if (st->stream)
		return pg_step_stream(s);
	if (!s->res) {
		/* a parameter never bound (SQLite's NULL) or not used by this
		 * variant of a statement still needs a type */
		for (int i = 0; i < s->n_params; i++)
			if (!s->types[i])
				s->types[i] = OID_TEXT;
		/* after what was sent ahead, in the same round trip */
		if (d->n_later && !run_after_later(s))
			return DB_ERROR;
		if (!s->res) {
			if (!pg_settle(d, NULL)) /* a cursor's rows fetched ahead */
				return DB_ERROR;
			if (!pg_ready(d))
				return DB_ERROR;
			bool idle = PQtransactionStatus(d->conn) == PQTRANS_IDLE;
			int64_t began = clock_mono_ms();
			s->res = run_read_again(s, run(s), idle, began);
		}
		ExecStatusType t = PQresultStatus(s->res);
		if (t == PGRES_TUPLES_OK) {
			s->n_rows = PQntuples(s->res);
			const char *ct = PQcmdTuples(s->res); /* INSERT … RETURNING */
			d->changes = *ct ? strtoll(ct, NULL, 10) : 0;
		} else if (t == PGRES_COMMAND_OK) {
			s->n_rows = 0;
			d->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
		} else {
			pg_set_error(d, s->res);
			PQclear(s->res);
			s->res = NULL;
			return DB_ERROR;
		}
		d->sqlstate[0] = 0;
		s->row = -1;
	}
	if (s->row + 1 < s->n_rows) {
		s->row++;
		return DB_ROW;
	}
	s->row = s->n_rows;
	return DB_DONE;
}

static bool pg_busy(struct db_stmt *st)
{
	return PS(st)->res != NULL;
}

static bool has_row(struct pg_stmt *s, int c)
{
	return s->res && s->row >= 0 && s->row < s->n_rows && c >= 0 && c < PQnfields(s->res);
}

static bool pg_col_null(struct db_stmt *st, int c)
{
	struct pg_stmt *s = PS(st);
	return !has_row(s, c) || PQgetisnull(s->res, s->row, c);
}

static const char *pg_col_text(struct db_stmt *st, int c)
{
	struct pg_stmt *s = PS(st);
	return pg_col_null(st, c) ? NULL : PQgetvalue(s->res, s->row, c);
}

static int64_t pg_col_int64(struct db_stmt *st, int c)
{
	const char *v = pg_col_text(st, c);
	if (!v)
		return 0;
	if (v[0] == 't' || v[0] == 'f') /* a boolean */
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* bytea's text output is "\x" and two hex digits per byte. */
static const void *pg_col_blob(struct db_stmt *st, int c, int *n)
{
	struct pg_stmt *s = PS(st);
	const char *v = pg_col_text(st, c);
	*n = 0;
	if (!v || v[0] != '\\' || v[1] != 'x')
		return NULL;
	size_t len = strlen(v + 2) / 2;
	if (len > s->blob_cap) {
		unsigned char *b = malloc(len);
		if (!b)
			return NULL;
		mem_wipe_free(s->blob);
		s->blob = b;
		s->blob_cap = len;
	}
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return NULL;
		s->blob[i] = (unsigned char)(hi << 4 | lo);
	}
	*n = (int)len;
	return s->blob;
}

int pg_exec(struct db *db, const char *sql)
{
	struct pg_db *d = PG(db);
	/* what was sent ahead is answered first; a rollback runs whatever
	 * became of it */
	if (!pg_settle(d, NULL) && strcmp(sql, "ROLLBACK"))
		return DB_ERROR;
	if (PQtransactionStatus(d->conn) == PQTRANS_IDLE && !pg_ensure_connected(d))
		return DB_ERROR;
	PGresult *r = PQexec(d->conn, sql);
	ExecStatusType t = PQresultStatus(r);
	bool ok = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
	if (!ok)
		pg_set_error(d, r);
	else
		d->sqlstate[0] = 0;
	PQclear(r);
	return ok ? 0 : DB_ERROR;
}

static int pg_copy_in(struct db *db, const char *copy_sql, const char *data, size_t len)
{
	struct pg_db *d = PG(db);
	if (!pg_settle(d, NULL))
		return DB_ERROR;
	if (PQtransactionStatus(d->conn) == PQTRANS_IDLE && !pg_ensure_connected(d))
		return DB_ERROR;
	PGresult *r = PQexec(d->conn, copy_sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		pg_set_error(d, r);
		PQclear(r);
		return DB_ERROR;
	}
	PQclear(r);
	/* in pieces: libpq copies what it is given into its output buffer */
	const size_t piece = 1u << 20;
	bool sent = true;
	for (size_t off = 0; sent && off < len; off += piece)
		sent = PQputCopyData(d->conn, data + off,
				     (int)(len - off < piece ? len - off : piece)) == 1;
	if (PQputCopyEnd(d->conn, sent ? NULL : "the client could not send the rows") != 1) {
		pg_set_error(d, NULL);
		return DB_ERROR;
	}
	int rc = DB_DONE;
	while ((r = PQgetResult(d->conn))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_set_error(d, r);
			rc = DB_ERROR;
		} else {
			d->changes = strtoll(PQcmdTuples(r), NULL, 10);
		}
		PQclear(r);
	}
	if (rc == DB_DONE)
		d->sqlstate[0] = 0;
	return rc == DB_DONE ? 0 : DB_ERROR;
}

static int64_t pg_changes(struct db *db)
{
	return PG(db)->changes;
}

bool pg_in_tx(struct db *db)
{
	PGTransactionStatusType t = PQtransactionStatus(PG(db)->conn);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static void pg_set_busy_timeout(struct db *db, int ms)
{
	PG(db)->busy_ms = ms > 0 ? ms : 1;
	pg_apply_settings(PG(db));
}

static int pg_changed(struct db *db)
{
	struct pg_db *d = PG(db);
	/* the connection lost (its transaction with it): connected again step
	 * by step, so that a server that does not answer never holds up the
	 * caller (a counter's screen asks twice a second) */
	if (PQstatus(d->conn) != CONNECTION_OK || d->resetting) {
		int r = pg_reconnect_step(d);
		if (r <= 0)
			return r;
	} else if (PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
		return 0;
	}
	if (d->listening != d->gen + 1) {
		/* (again) after a reconnect: what happened meanwhile counts */
		if (pg_exec(db, "LISTEN " CHANGES_CHANNEL))
			return -1;
		d->listening = d->gen + 1;
		return 1;
	}
	if (!PQconsumeInput(d->conn)) {
		pg_set_error(d, NULL);
		return -1;
	}
	/* a change this connection made itself is not news to it */
	int n = 0, self = PQbackendPID(d->conn);
	PGnotify *note;
	while ((note = PQnotifies(d->conn))) {
		n += note->be_pid != self;
		PQfreemem(note);
	}
	return n > 0;
}

/* No keys to turn off: the receipts' are checked once per COPY block by
 * statement triggers (schema 14), and switching triggers off needs the
 * owner; and JIT is off for every connection (pg_apply_settings). */
static void pg_bulk_import(struct db *db, bool on)
{
	(void)db;
	(void)on;
}

static void pg_set_flush(struct db *db, bool each_commit)
{
	/* the server's synchronous_commit is the store's to set */
}

const struct db_backend db_pg_backend = {
	.name = "PostgreSQL",
	.dialect = DB_POSTGRES,
	.connect = pg_connect,
	.close = pg_close,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.param_count = pg_param_count,
	.step = pg_step,
	.busy = pg_busy,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.col_blob = pg_col_blob,
	.exec = pg_exec,
	.changes = pg_changes,
	.copy_in = pg_copy_in,
	.begin_write = pg_begin_write,
	.step_later = pg_step_later,
	.commit = pg_commit,
	.in_tx = pg_in_tx,
	.error_code = pg_error_code,
	.error_text = pg_error_text,
	.set_busy_timeout = pg_set_busy_timeout,
	.bulk_import = pg_bulk_import,
	.set_flush = pg_set_flush,
	.changed = pg_changed,
	.reach = pg_reach,
	.migrate = db_pg_migrate,
};
