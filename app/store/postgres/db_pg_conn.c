/* The PostgreSQL backend's connection (db_pg.c has the rest): connecting
 * with a time limit, the per-connection settings, connecting again after
 * the server went away, and the last error, classed. */
#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SET client_min_messages TO warning; SET jit TO off; SET lock_timeout TO %d",
		 d->busy_ms);
	PGresult *r = PQexec(d->conn, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		pg_set_error(d, r);
	PQclear(r);
	return ok;
}

/* What went with the old connection. */
static void forget_connection(struct pg_db *d)
{
	d->n_later = 0;
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

bool pg_reconnect(struct pg_db *d)
{
	forget_connection(d);
	PQreset(d->conn);
	d->gen++;
	if (PQstatus(d->conn) != CONNECTION_OK || !pg_apply_settings(d))
		return reconnect_failed(d);
	return true;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- a list of hosts -------------------------------------------------------- */

/* A primary and its standby are one connection string with a list of hosts
 * (host=db1,db2 target_session_attrs=read-write). A blocking connect gives
 * each host connect_timeout and moves on; in non-blocking mode libpq leaves
 * that to its caller, so a reconnect step that waited that long on a host
 * begins again at the next one itself. The order it found a server in is
 * kept for the connections after it (PQreset reuses the options). */

static int items(const char *list)
{
	int n = 1;
	for (; *list; list++)
		n += *list == ',';
	return n;
}

/* Item i of a comma-separated list (empty items count) is it `want`? */
static bool item_is(const char *list, int i, const char *want)
{
	for (; i > 0; i--)
		list = strchr(list, ',') + 1;
	size_t n = strcspn(list, ",");
	return strlen(want) == n && !strncmp(list, want, n);
}

/* list (of items(list) items) rotated to begin at item `from`; malloc'd. */
static char *rotated(const char *list, int from)
{
	size_t len = strlen(list);
	char *out = malloc(len + 2);
	if (!out)
		return NULL;
	const char *p = list;
	for (int i = 0; i < from; i++)
		p = strchr(p, ',') + 1;
	size_t head = (size_t)(p - list), tail = len - head;
	memcpy(out, p, tail);
	if (head) {
		out[tail] = ',';
		memcpy(out + tail + 1, list, head - 1);
	}
	out[len] = 0;
	return out;
}

static const char *option(const PQconninfoOption *o, const char *key)
{
	for (; o->keyword; o++)
		if (!strcmp(o->keyword, key))
			return o->val && *o->val ? o->val : NULL;
	return NULL;
}

/* How many hosts the connection's string lists. */
static int hosts_listed(const PGconn *c)
{
	PQconninfoOption *o = PQconninfo((PGconn *)c);
	if (!o)
		return 1;
	const char *host = option(o, "host"), *addr = option(o, "hostaddr");
	int n = host ? items(host) : addr ? items(addr) : 1;
	PQconninfoFree(o);
	return n;
}

/* A new connection begun (not waited for) with the same options as d's,
 * its list of hosts beginning after the one d's attempt waits on; NULL
 * when it cannot be begun. */
static PGconn *begin_at_next_host(struct pg_db *d)
{
	PQconninfoOption *o = PQconninfo(d->conn);
	if (!o)
		return NULL;
	const char *host = option(o, "host"), *addr = option(o, "hostaddr");
	const char *port = option(o, "port");
	int n = host ? items(host) : addr ? items(addr) : 1;
	/* which host the attempt waits on: libpq names it, with its port */
	const char *now_host = PQhost(d->conn), *now_port = PQport(d->conn);
	int at = 0;
	for (int i = 0; i < n; i++) {
		bool same_host = host ? item_is(host, i, now_host ? now_host : "")
				      : item_is(addr, i, now_host ? now_host : "");
		bool same_port = !port || items(port) != n || item_is(port, i, now_port ? now_port : "");
		if (same_host && same_port) {
			at = i;
			break;
		}
	}
	int from = (at + 1) % n, k = 0;
	char *lists[3] = {NULL, NULL, NULL};
	const char *keys[64], *vals[64];
	bool ok = true;
	for (const PQconninfoOption *p = o; p->keyword && k < 63; p++) {
		if (!p->val)
			continue;
		const char *v = p->val;
		int list = !strcmp(p->keyword, "host") ? 0 : !strcmp(p->keyword, "hostaddr") ? 1
			 : !strcmp(p->keyword, "port") ? 2 : -1;
		if (list >= 0 && *v && items(v) == n) {
			ok = ok && (lists[list] = rotated(v, from));
			v = lists[list];
		}
		keys[k] = p->keyword;
		vals[k++] = v;
	}
	keys[k] = vals[k] = NULL;
	PGconn *c = ok ? PQconnectStartParams(keys, vals, 0) : NULL;
	for (int i = 0; i < 3; i++)
		free(lists[i]);
	PQconninfoFree(o);
	if (c && PQstatus(c) == CONNECTION_BAD) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* ---- connecting again without waiting --------------------------------------- */

/* libpq's non-blocking reset, advanced only when its socket is ready for
 * what it waits for (PQresetPoll must not be called before). A host that
 * has not answered within connect_timeout is left for the next one of the
 * list, as a blocking connect does; when none answered the attempt is
 * given up and begun again at most every 5 s. A host name is still looked
 * up blocking. */
#define RESET_AGAIN_MS 5000

int pg_reconnect_step(struct pg_db *d)
{
	int64_t now = mono_ms();
	if (!d->resetting) {
		if (now < d->reset_after_ms)
			return 0;
		forget_connection(d);
		if (!PQresetStart(d->conn)) {
			d->reset_after_ms = now + RESET_AGAIN_MS;
			reconnect_failed(d);
			return -1;
		}
		d->resetting = true;
		d->reset_wait = PGRES_POLLING_WRITING;
		d->reset_began_ms = now;
		d->reset_hosts_left = hosts_listed(d->conn) - 1;
	}
	struct pollfd p = {.fd = PQsocket(d->conn),
			   .events = d->reset_wait == PGRES_POLLING_READING ? POLLIN : POLLOUT};
	PostgresPollingStatusType st = (PostgresPollingStatusType)d->reset_wait;
	if (p.fd >= 0 && poll(&p, 1, 0) > 0)
		st = PQresetPoll(d->conn);
	if (st == PGRES_POLLING_OK) {
		d->resetting = false;
		d->gen++;
		if (pg_apply_settings(d))
			return 1;
		reconnect_failed(d);
		return -1;
	}
	bool waited_out = st != PGRES_POLLING_FAILED && now - d->reset_began_ms > d->connect_ms;
	if (waited_out && d->reset_hosts_left > 0) {
		PGconn *next = begin_at_next_host(d);
		if (next) {
			PQfinish(d->conn);
			d->conn = next;
			d->reset_hosts_left--;
			d->reset_wait = PGRES_POLLING_WRITING;
			d->reset_began_ms = now;
			return 0;
		}
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

/* The connection's connect_timeout in ms, as libpq counts it (under 2 s is
 * 2 s); none (0) is 5 s here, since a reconnect step that never left a
 * silent host would never reach the next one. */
static int connect_ms_of(PGconn *c)
{
	PQconninfoOption *o = PQconninfo(c);
	const char *v = o ? option(o, "connect_timeout") : NULL;
	long s = v ? strtol(v, NULL, 10) : 0;
	PQconninfoFree(o);
	if (s <= 0 || s > 3600)
		s = 5;
	return (int)(s < 2 ? 2 : s) * 1000;
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
	/* A kiosk must not hang on a server that does not answer (its own
	 * settings come after these, and win): 5 s to connect; on TCP, a
	 * connection whose data the network has not carried for 10 s is given
	 * up (a cable pulled or a firewall that drops packets sends no
	 * refusal, and TCP alone retries for about a quarter of an hour with
	 * the customer's screen frozen), and an idle one is probed after 10 s
	 * without traffic, every 3 s, 3 times (so a server gone while nobody
	 * used it is known before a customer's statement, and a store's NAT
	 * or firewall keeps the connection). No effect on a Unix socket. */
	static const char *const keys[] = {"connect_timeout",     "tcp_user_timeout",
					   "keepalives",          "keepalives_idle",
					   "keepalives_interval", "keepalives_count",
					   "dbname",              NULL};
	const char *values[] = {"5", "10000", "1", "10", "3", "3", target, NULL};
	d->conn = PQconnectdbParams(keys, values, 1);
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
	d->connect_ms = connect_ms_of(d->conn);
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
