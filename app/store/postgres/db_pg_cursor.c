/* The PostgreSQL backend's streaming reads (db.h's db_stream): a
 * statement read a few rows at a time through a cursor, inside a read-only
 * transaction of its own (one snapshot for every cursor open at once)
 * unless the caller has one. Each batch asks for the next at once, so the
 * server reads it while the caller works through this one; the report and
 * the case list walk a million cases with the client and the server busy
 * side by side instead of by turns. A held read (db_stream_held) is a
 * cursor WITH HOLD instead, outside any transaction, for a job that
 * writes between its batches (the contact purge). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/postgres/db_pg_private.h"

/* Rows a cursor hands over at a time. */
#define FETCH_ROWS 256

void pg_cursor_close(struct pg_stmt *s)
{
	struct pg_db *d = s->db;
	pg_settle(d, NULL);
	PQclear(s->next); /* rows fetched ahead that nobody read */
	s->next = NULL;
	char sql[40];
	snprintf(sql, sizeof sql, "CLOSE %s", s->cursor);
	PQclear(PQexec(d->conn, sql));
	s->cursor[0] = 0;
	if (s->held) {
		s->held = false;
		return;
	}
	if (--d->open_cursors == 0 && d->stream_tx) {
		bool failed = PQtransactionStatus(d->conn) == PQTRANS_INERROR;
		PQclear(PQexec(d->conn, failed ? "ROLLBACK" : "COMMIT"));
		d->stream_tx = false;
	}
}

/* The next FETCH_ROWS rows of s's cursor into s->res: those fetched ahead
 * when there are, and the next ones asked for at once, so that the server
 * reads them while the caller works through these (the client and the
 * server each wait for the other far less). */
static int fetch(struct pg_stmt *s)
{
	struct pg_db *d = s->db;
	char sql[48];
	snprintf(sql, sizeof sql, "FETCH %d FROM %s", FETCH_ROWS, s->cursor);
	PQclear(s->res);
	s->res = NULL;
	pg_settle(d, NULL); /* what is in flight, this cursor's or another's */
	if (s->next) {
		s->res = s->next;
		s->next = NULL;
	} else {
		s->res = PQexec(d->conn, sql);
	}
	if (PQresultStatus(s->res) != PGRES_TUPLES_OK) {
		pg_set_error(d, s->res);
		return DB_ERROR;
	}
	s->n_rows = PQntuples(s->res);
	s->row = -1;
	s->fetched_all = s->n_rows < FETCH_ROWS;
	if (!s->fetched_all && PQsendQuery(d->conn, sql))
		d->ahead = s;
	return 0;
}

/* Open s as a cursor (its parameters bound as for a run), in a read-only
 * transaction of its own when the connection is in none; a held one
 * outside any transaction, so that its rows are read and kept at once
 * (inside one they would be at its commit, and lost at its rollback). */
static int declare(struct pg_stmt *s)
{
	struct pg_db *d = s->db;
	bool held = s->base.held;
	if (held && PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
		snprintf(d->sqlstate, sizeof d->sqlstate, "25001");
		snprintf(d->message, sizeof d->message, "a held read begun inside a transaction");
		return DB_ERROR;
	}
	char name[16];
	snprintf(name, sizeof name, "kc%u", ++d->n_cursors);
	size_t len = strlen(s->sql) + 64;
	char *sql = malloc(len);
	if (!sql) {
		snprintf(d->sqlstate, sizeof d->sqlstate, "53200");
		snprintf(d->message, sizeof d->message, "out of memory");
		return DB_ERROR;
	}
	snprintf(sql, len, "DECLARE %s NO SCROLL CURSOR %s FOR %s", name,
		 held ? "WITH HOLD" : "WITHOUT HOLD", s->sql);
	if (!held && PQtransactionStatus(d->conn) == PQTRANS_IDLE) {
		PGresult *r = PQexec(d->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			pg_set_error(d, r);
		PQclear(r);
		if (!ok) {
			free(sql);
			return DB_ERROR;
		}
		d->stream_tx = true;
	}
	PGresult *r = PQexecParams(d->conn, sql, s->n_params, s->types, s->values, s->lengths,
				   s->formats, 0);
	free(sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		pg_set_error(d, r);
	PQclear(r);
	if (!ok && held)
		return DB_ERROR; /* nothing was opened */
	if (!held)
		d->open_cursors++;
	s->held = held;
	memcpy(s->cursor, name, sizeof name);
	if (!ok) {
		pg_cursor_close(s); /* ends the transaction begun for it */
		return DB_ERROR;
	}
	return 0;
}

int pg_step_stream(struct pg_stmt *s)
{
	struct pg_db *d = s->db;
	if (!s->cursor[0] && !s->res) {
		if (!pg_settle(d, NULL))
			return DB_ERROR;
		if (!pg_ready(d))
			return DB_ERROR;
		for (int i = 0; i < s->n_params; i++)
			if (!s->types[i])
				s->types[i] = OID_TEXT;
		if (declare(s) || fetch(s))
			return DB_ERROR;
		d->sqlstate[0] = 0;
	}
	if (s->row + 1 >= s->n_rows && s->cursor[0] && !s->fetched_all && fetch(s))
		return DB_ERROR;
	if (s->row + 1 < s->n_rows) {
		s->row++;
		return DB_ROW;
	}
	s->row = s->n_rows;
	return DB_DONE;
}
