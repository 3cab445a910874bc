/* The PostgreSQL backend's write transactions (db.h's begin_write,
 * step_later and commit): what a writer says without needing an answer
 * goes ahead in libpq's pipeline mode and is answered together with the
 * next statement that returns something, or with the commit.
 *
 * A registration used to be nine round trips; now BEGIN and its locks go
 * with the rules' read, and the case, its lines, the outbox row, the
 * timeline and audit row, the notification and COMMIT are one round trip.
 * That last one matters beyond the trips saved: the audit row's trigger
 * takes the chain-wide audit lock (db_pg_schema.c), which is held until
 * the commit, and no longer across a trip to the client and back.
 *
 * Order and atomicity are the server's: statements run in the order sent,
 * inside the transaction BEGIN opened; when one fails the rest are skipped
 * and the transaction is left failed, so COMMIT does not happen and the
 * caller's rollback ends it, as with one statement at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/postgres/db_pg_private.h"

/* The advisory-lock key of the whole database: "kiosk" in ASCII. Keyed
 * writers hold it shared; whole-database writers exclusive. A key's own
 * lock is hashtextextended(key, 0); two keys with one hash only take turns
 * needlessly. All are released by COMMIT or ROLLBACK. */
#define WRITE_LOCK_KEY "461195226987"
#define MAX_KEYS 8

/* One more statement into the pipeline, entering it first; settles first
 * when MAX_LATER are waiting. sql is a statement's text, or NULL with the
 * name of a prepared one. */
static bool send_later(struct pg_db *d, const char *name, const char *sql, int n,
		       const Oid *types, const char *const *values, const int *lengths,
		       const int *formats)
{
	if ((d->n_later >= MAX_LATER || d->ahead) && !pg_settle(d, NULL))
		return false;
	if (!d->n_later && !PQenterPipelineMode(d->conn)) {
		pg_set_error(d, NULL);
		return false;
	}
	int ok = sql ? PQsendQueryParams(d->conn, sql, n, types, values, lengths, formats, 0)
		     : PQsendQueryPrepared(d->conn, name, n, values, lengths, formats, 0);
	if (!ok) {
		pg_set_error(d, NULL);
		if (!d->n_later)
			PQexitPipelineMode(d->conn);
		return false;
	}
	d->n_later++;
	return true;
}

bool pg_settle(struct pg_db *d, PGresult **last)
{
	if (d->ahead) {
		struct pg_stmt *a = d->ahead;
		PGresult *r;
		d->ahead = NULL;
		while ((r = PQgetResult(d->conn))) {
			if (!a->next)
				a->next = r; /* its rows, or the error its fetch reports */
			else
				PQclear(r);
		}
	}
	if (!d->n_later)
		return true;
	int n = d->n_later, xid_at = d->tx_xid_at;
	d->n_later = 0;
	d->tx_xid_at = -1;
	bool ok = PQpipelineSync(d->conn) == 1, kept = false;
	if (!ok) {
		pg_set_error(d, NULL);
		kept = true;
	}
	for (int i = 0; i < n; i++) {
		PGresult *r = PQgetResult(d->conn);
		if (!r) { /* the connection is gone */
			if (!kept)
				pg_set_error(d, NULL);
			ok = false;
			break;
		}
		ExecStatusType t = PQresultStatus(r);
		if (i == xid_at && t == PGRES_TUPLES_OK && PQntuples(r) == 1)
			d->tx_xid = strtoull(PQgetvalue(r, 0, PQnfields(r) - 1), NULL, 10);
		if (last && i == n - 1) {
			*last = r;
		} else {
			if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
				/* the first failure is the one to tell; the
				 * rest were skipped for it */
				if (!kept && t != PGRES_PIPELINE_ABORTED) {
					pg_set_error(d, r);
					kept = true;
				}
				ok = false;
			}
			PQclear(r);
		}
		while ((r = PQgetResult(d->conn))) /* the NULL that ends a statement's */
			PQclear(r);
		if (PQstatus(d->conn) == CONNECTION_BAD) {
			if (!kept)
				pg_set_error(d, NULL);
			ok = false;
			break;
		}
	}
	PGresult *r = PQgetResult(d->conn); /* the sync's */
	if (PQresultStatus(r) != PGRES_PIPELINE_SYNC && ok) {
		pg_set_error(d, r);
		ok = false;
	}
	PQclear(r);
	if (!PQexitPipelineMode(d->conn)) {
		/* results nobody counted, or a connection gone: a connection left
		 * in pipeline mode would refuse every statement after, so it is
		 * made again (what it had not committed is lost, as it is) */
		char state[6], msg[sizeof d->message];
		if (ok)
			pg_set_error(d, NULL);
		ok = false;
		memcpy(state, d->sqlstate, sizeof state);
		memcpy(msg, d->message, sizeof msg);
		pg_reconnect(d);
		memcpy(d->sqlstate, state, sizeof state); /* the first error is the one */
		memcpy(d->message, msg, sizeof msg);
	}
	if (ok && !last)
		d->sqlstate[0] = 0;
	return ok;
}

bool pg_prepared(struct pg_stmt *s)
{
	return s->name[0] && s->gen == s->db->gen &&
	       !memcmp(s->types, s->prep_types, sizeof *s->types * (size_t)s->n_params);
}

/* A key's 64-bit lock number (FNV-1a): two keys with one number only take
 * turns needlessly. */
static int64_t key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (int64_t)h;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* BEGIN and the write transaction's locks, sent ahead: the whole database
 * exclusively (n < 0), or it shared and each key's number in ascending
 * order, so two writers never wait for each other crosswise (statements of
 * a select list run left to right). Whether they were granted (or the
 * lock_timeout passed) is known with the transaction's first read; a
 * failure there leaves the transaction failed, and the caller's rollback
 * ends it. */
int pg_begin_write(struct db *db, const char *const *keys, int n)
{
	struct pg_db *d = PG(db);
	if (!pg_settle(d, NULL))
		return DB_ERROR;
	if (!pg_ready(d))
		return DB_ERROR;
	if (n > MAX_KEYS)
		n = MAX_KEYS;
	int64_t h[MAX_KEYS];
	for (int i = 0; i < n; i++)
		h[i] = key_hash(keys[i] ? keys[i] : "");
	qsort(h, (size_t)(n > 0 ? n : 0), sizeof h[0], cmp_i64);
	char sql[512], vals[MAX_KEYS][24];
	const char *values[MAX_KEYS];
	Oid types[MAX_KEYS];
	int len, np = 0;
	/* the transaction's number, last in the select list, known with its
	 * first answer (pg_settle): a commit whose answer is lost is asked
	 * after by it */
	if (n < 0) {
		len = snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")");
	} else {
		len = snprintf(sql, sizeof sql,
			       "SELECT pg_advisory_xact_lock_shared(" WRITE_LOCK_KEY ")");
		for (int i = 0; i < n; i++) {
			if (i && h[i] == h[i - 1])
				continue;
			snprintf(vals[np], sizeof vals[0], "%lld", (long long)h[i]);
			values[np] = vals[np];
			types[np] = OID_INT8;
			np++;
			len += snprintf(sql + len, sizeof sql - (size_t)len,
					", pg_advisory_xact_lock($%d)", np);
		}
	}
	snprintf(sql + len, sizeof sql - (size_t)len, ", pg_current_xact_id()::text");
	d->tx_xid = 0;
	d->tx_pid = PQbackendPID(d->conn);
	d->tx_gen = d->gen;
	memcpy(d->tx_server, d->server_id, sizeof d->tx_server);
	bool sent = send_later(d, NULL, "BEGIN", 0, NULL, NULL, NULL, NULL);
	d->tx_xid_at = d->n_later; /* where the locks' answer will come */
	if (!sent || !send_later(d, NULL, sql, np, types, values, NULL, NULL)) {
		d->tx_xid_at = -1;
		pg_settle(d, NULL);
		return DB_ERROR;
	}
	return 0;
}

int pg_step_later(struct db_stmt *st)
{
	struct pg_stmt *s = PS(st);
	struct pg_db *d = s->db;
	for (int i = 0; i < s->n_params; i++)
		if (!s->types[i])
			s->types[i] = OID_TEXT;
	/* ahead only inside a write transaction (statements outside one
	 * would wait for a commit that never comes), only prepared ones (the
	 * first run prepares), never beside a cursor */
	bool in_write = d->n_later || PQtransactionStatus(d->conn) == PQTRANS_INTRANS;
	if (st->stream || !in_write || d->open_cursors || !pg_prepared(s)) {
		int rc = st->be->step(st);
		return rc == DB_ROW ? DB_DONE : rc;
	}
	if (!send_later(d, s->name, NULL, s->n_params, NULL, s->values, s->lengths, s->formats))
		return DB_ERROR;
	d->changes = 0;
	return DB_DONE;
}

/* A transaction's state on the server now: "committed", "aborted", "in
 * progress", or "" when it cannot be told. */
static void xact_status(struct pg_db *d, uint64_t xid_num, char out[16])
{
	char xid[24];
	snprintf(xid, sizeof xid, "%llu", (unsigned long long)xid_num);
	const char *v[] = {xid};
	PGresult *r = PQexecParams(d->conn, "SELECT pg_xact_status($1::text::xid8)", 1, NULL, v,
				   NULL, NULL, 0);
	bool got = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	snprintf(out, 16, "%s", got ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
}

/* The transaction's own backend, still holding it open (and its locks)
 * because the server has not yet seen its client go: ended, so that what
 * it is becomes final. Only that process while it has that transaction
 * (a process number is used again). */
static void end_orphan(struct pg_db *d, uint64_t xid)
{
	char pid[16], xid32[16];
	snprintf(pid, sizeof pid, "%d", d->tx_pid);
	snprintf(xid32, sizeof xid32, "%llu", (unsigned long long)(xid & 0xffffffffu));
	const char *v[] = {pid, xid32};
	PQclear(PQexecParams(d->conn,
			     "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
			     " WHERE pid = $1::int AND backend_xid::text = $2",
			     2, NULL, v, NULL, NULL, 0));
}

/* A COMMIT whose answer never came (the connection ended on the way: a
 * network gone silent, a server restarted or a backend ended) may have
 * been carried out or not, and a caller told "not saved" would take the
 * customer's case again elsewhere (a kiosk's journal) or tell them so
 * while it stands in the chain. So it is asked after on a new connection,
 * by the transaction's number, on the same server only (after a promotion
 * the numbers mean other transactions). A server that answered with an
 * error of its own has told: nothing to ask. true: it was committed. */
static bool committed_all_the_same(struct pg_db *d)
{
	uint64_t xid = d->tx_xid;
	d->tx_xid = 0;
	if (!xid || !d->tx_server[0])
		return false;
	bool same_conn = d->gen == d->tx_gen;
	if (same_conn && PQstatus(d->conn) == CONNECTION_OK)
		return false;
	char state[6], msg[sizeof d->message], st[16] = "";
	memcpy(state, d->sqlstate, sizeof state);
	memcpy(msg, d->message, sizeof msg);
	/* one new connection: pg_settle has already tried when it lost the
	 * pipeline's */
	bool up = PQstatus(d->conn) == CONNECTION_OK || (same_conn && pg_reconnect(d));
	if (up && !strcmp(d->server_id, d->tx_server)) {
		xact_status(d, xid, st);
		if (!strcmp(st, "in progress")) {
			end_orphan(d, xid);
			xact_status(d, xid, st);
		}
	}
	if (!strcmp(st, "committed")) {
		d->sqlstate[0] = 0;
		return true;
	}
	/* aborted: not saved, and the loss is what to tell; anything else:
	 * nobody knows (the SQL standard's transaction_resolution_unknown) */
	memcpy(d->sqlstate, strcmp(st, "aborted") ? "08007" : state, sizeof state);
	memcpy(d->message, msg, sizeof msg);
	return false;
}

int pg_commit(struct db *db, bool signal)
{
	struct pg_db *d = PG(db);
	bool ok;
	if (!d->n_later) {
		ok = !pg_exec(db, signal ? "NOTIFY " CHANGES_CHANNEL "; COMMIT" : "COMMIT");
	} else {
		/* one statement a message in a pipeline: the notification as
		 * the function NOTIFY is (delivered at the commit all the same) */
		bool sent = (!signal || send_later(d, NULL,
						   "SELECT pg_notify('" CHANGES_CHANNEL "', '')", 0,
						   NULL, NULL, NULL, NULL)) &&
			    send_later(d, NULL, "COMMIT", 0, NULL, NULL, NULL, NULL);
		ok = pg_settle(d, NULL) && sent;
	}
	if (ok) {
		d->tx_xid = 0;
		return 0;
	}
	return committed_all_the_same(d) ? 0 : DB_ERROR;
}
