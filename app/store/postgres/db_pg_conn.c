/* The PostgreSQL backend's connection (db_pg.c has the rest): connecting
 * with a time limit, the per-connection settings, connecting again after
 * the server went away, and the last error, classed. */
#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "store/db.h"
#include "store/postgres/db_pg_private.h"

/* ---- errors -------------------------------------------------------------- */

void pg_set_error(struct pg_db *d, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	snprintf(d->sqlstate, sizeof d->sqlstate, "%s", state ? state : "08000");
	snprintf(d->message, sizeof d->message, "%s", msg ? msg : PQerrorMessage(d->conn));
	/* libpq ends its messages with a newline, and some go on with a hint
	 * on lines of their own: the first line is the one sentence */
	d->message[strcspn(d->message, "\n")] = 0;
	size_t n = strlen(d->message);
	while (n && (d->message[n - 1] == '\n' || d->message[n - 1] == '.'))
		d->message[--n] = 0;
}

int pg_error_code(struct db *db)
{
	const char *s = PG(db)->sqlstate;
	/* serialization failure, deadlock, lock or statement timeout */
	if (!strcmp(s, "40001") || !strcmp(s, "40P01") || !strcmp(s, "55P03") ||
	    !strcmp(s, "57014"))
		return KIOSK_EBUSY;
	if (!strncmp(s, "23", 2))
		return KIOSK_EINVAL;
	if (!strcmp(s, "53200"))
		return KIOSK_ENOMEM;
	if (!strcmp(s, "08007")) /* transaction_resolution_unknown */
		return KIOSK_EDOUBT;
	return KIOSK_EIO;
}

const char *pg_error_text(struct db *db)
{
	return PG(db)->message;
}

/* ---- connection ---------------------------------------------------------- */

/* Settings of every (re)connection: how long a writer waits for the write
 * lock, and no JIT. The kiosk's statements read a few rows by an index;
 * where the planner's estimates are off (tables never analysed, or an
 * ANALYZE that ran while an import wrote) they look dear enough to be
 * compiled, and compiling costs more than any of them: a receipt read
 * took 35 ms of JIT for 0.5 ms of work, every registration of the chain
 * (bench_offline, 1 M receipts stored), and an import's lookup 0.17 s for
 * 6 ms. (The server's lc_messages decides the language of its errors; only
 * a superuser may change it.) */
bool pg_apply_settings(struct pg_db *d)
{
	if (!pg_settle(d, NULL))
		return false;
	/* and which server this is (pg_control_system and pg_walfile_name are
	 * everyone's to call): its system identifier, which a standby shares,
	 * and its timeline, which a promotion moves on */
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SET client_min_messages TO warning; SET jit TO off; SET lock_timeout TO %d;"
		 " SELECT s.system_identifier::text || CASE WHEN pg_is_in_recovery() THEN ''"
		 " ELSE '/' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END"
		 " FROM pg_control_system() s",
		 d->busy_ms);
	PGresult *r = PQexec(d->conn, sql);
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (!ok)
		pg_set_error(d, r);
	else
		snprintf(d->server_id, sizeof d->server_id, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return ok;
}

/* What went with the old connection. */
static void forget_connection(struct pg_db *d)
{
	d->n_later = 0;
	d->tx_xid_at = -1;
	if (d->ahead) {
		PQclear(d->ahead->next);
		d->ahead->next = NULL;
		d->ahead = NULL;
	}
	d->resetting = false;
}

static bool reconnect_failed(struct pg_db *d)
{
	pg_set_error(d, NULL);
	snprintf(d->sqlstate, sizeof d->sqlstate, "08006");
	return false;
}

/* d->conn replaced by c (the old one closed); false when there is no c. */
static bool swap_in(struct pg_db *d, PGconn *c)
{
	if (!c) {
		snprintf(d->sqlstate, sizeof d->sqlstate, "53200");
		snprintf(d->message, sizeof d->message, "out of memory connecting again");
		return false;
	}
	PQfinish(d->conn);
	d->conn = c;
	return true;
}

bool pg_reconnect(struct pg_db *d)
{
	forget_connection(d);
	int n;
	if (!swap_in(d, pg_connect_hosts(d, false, true, &n)))
		return false;
	d->gen++;
	if (PQstatus(d->conn) != CONNECTION_OK || !pg_apply_settings(d))
		return reconnect_failed(d);
	pg_host_answered(d);
	return true;
}

/* ---- connecting again without waiting --------------------------------------- */

/* libpq's non-blocking connect, advanced only when its socket is ready for
 * what it waits for (PQconnectPoll must not be called before). A host that
 * has not answered within connect_timeout is left for the next one of the
 * list, as a blocking connect does (db_pg_hosts.c); when none answered the
 * attempt is given up and begun again at most every 2 s. A host name is
 * still looked up blocking. */
#define RESET_AGAIN_MS 2000

int pg_reconnect_step(struct pg_db *d)
{
	int64_t now = clock_mono_ms();
	if (!d->resetting) {
		if (now < d->reset_after_ms)
			return 0;
		forget_connection(d);
		int n;
		if (!swap_in(d, pg_connect_hosts(d, false, false, &n)) ||
		    PQstatus(d->conn) == CONNECTION_BAD) {
			d->reset_after_ms = now + RESET_AGAIN_MS;
			reconnect_failed(d);
			return -1;
		}
		d->resetting = true;
		d->reset_wait = PGRES_POLLING_WRITING;
		d->reset_began_ms = now;
		d->reset_hosts_left = n - 1;
	}
	struct pollfd p = {.fd = PQsocket(d->conn),
			   .events = d->reset_wait == PGRES_POLLING_READING ? POLLIN : POLLOUT};
	PostgresPollingStatusType st = (PostgresPollingStatusType)d->reset_wait;
	if (p.fd >= 0 && poll(&p, 1, 0) > 0)
		st = PQconnectPoll(d->conn);
	if (st == PGRES_POLLING_OK) {
		d->resetting = false;
		d->gen++;
		if (pg_apply_settings(d)) {
			pg_host_answered(d);
			return 1;
		}
		reconnect_failed(d);
		return -1;
	}
	bool waited_out = st != PGRES_POLLING_FAILED && now - d->reset_began_ms > d->connect_ms;
	if (waited_out && d->reset_hosts_left > 0) {
		int n;
		PGconn *next = pg_connect_hosts(d, true, false, &n);
		if (next && PQstatus(next) != CONNECTION_BAD) {
			PQfinish(d->conn);
			d->conn = next;
			d->reset_hosts_left--;
			d->reset_wait = PGRES_POLLING_WRITING;
			d->reset_began_ms = now;
			return 0;
		}
		PQfinish(next);
	}
	if (st == PGRES_POLLING_FAILED || waited_out) {
		d->resetting = false;
		d->reset_after_ms = now + RESET_AGAIN_MS;
		reconnect_failed(d);
		if (st != PGRES_POLLING_FAILED) /* libpq has no words for it */
			snprintf(d->message, sizeof d->message,
				 "the server did not answer within %d s", d->connect_ms / 1000);
		return -1;
	}
	d->reset_wait = st;
	return 0;
}

/* A connection the server closed while nobody used it (a restart, a
 * failover, a pooler's idle timeout) still looks good to libpq until a
 * statement fails on it, and that statement would be a customer's. The
 * server's last words and the end of the stream are waiting on the socket
 * by then, so one poll that returns at once tells. */
static bool closed_while_idle(struct pg_db *d)
{
	struct pollfd p = {.fd = PQsocket(d->conn), .events = POLLIN};
	if (p.fd < 0)
		return true;
	/* libpq reads what is there and stops; the end of the stream is seen
	 * by the read after the last words. A notification read on the way is
	 * kept for PQnotifies. */
	for (int i = 0; i < 4 && poll(&p, 1, 0) > 0; i++)
		if (!PQconsumeInput(d->conn) || PQstatus(d->conn) != CONNECTION_OK)
			return true;
	return false;
}

/* Connected, or connected again after the server went away. Only outside
 * a transaction: a transaction that lost its connection is lost, and its
 * caller sees the error. */
bool pg_ensure_connected(struct pg_db *d)
{
	return (PQstatus(d->conn) == CONNECTION_OK && !closed_while_idle(d)) || pg_reconnect(d);
}

int pg_reach(struct db *db)
{
	struct pg_db *d = PG(db);
	if (PQstatus(d->conn) == CONNECTION_OK && !d->resetting &&
	    (PQtransactionStatus(d->conn) != PQTRANS_IDLE || !closed_while_idle(d)))
		return 1;
	return pg_reconnect_step(d);
}

bool pg_ready(struct pg_db *d)
{
	if (PQtransactionStatus(d->conn) != PQTRANS_IDLE && PQstatus(d->conn) == CONNECTION_OK)
		return true;
	return pg_ensure_connected(d);
}

int pg_connect(struct db **out, const char *target, struct kiosk_why *why)
{
	*out = NULL;
	struct pg_db *d = calloc(1, sizeof *d);
	if (!d || !(d->target = strdup(target))) {
		free(d);
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory opening the database.");
	}
	d->base.be = &db_pg_backend;
	d->busy_ms = DB_BUSY_MS;
	d->tx_xid_at = -1;
	int n;
	d->conn = pg_connect_hosts(d, false, true, &n);
	if (PQstatus(d->conn) != CONNECTION_OK || !pg_apply_settings(d)) {
		/* the first line of libpq's message names the host it tried */
		char msg[300];
		snprintf(msg, sizeof msg, "%s", d->conn ? PQerrorMessage(d->conn) : "out of memory");
		msg[strcspn(msg, "\n")] = 0;
		PQfinish(d->conn);
		free(d->target);
		free(d);
		return kiosk_fail(why, KIOSK_EIO,
				  "The PostgreSQL database could not be reached: %s.", msg);
	}
	d->connect_ms = pg_connect_ms(d->conn);
	pg_host_answered(d);
	*out = &d->base;
	return 0;
}

void pg_close(struct db *db)
{
	if (!db)
		return;
	/* what was sent ahead and never committed is rolled back with the
	 * connection */
	PQfinish(PG(db)->conn);
	free(PG(db)->target);
	free(db);
}
