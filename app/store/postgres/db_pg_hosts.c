/* A connection string with a list of hosts: a primary and its standby
 * (host=db1,db2 target_session_attrs=read-write).
 *
 * libpq tries the hosts in the order given. A blocking connect gives each
 * connect_timeout and moves on; in non-blocking mode libpq leaves that to
 * its caller, so a reconnect step that waited that long on one host begins
 * again at the next (pg_connect_hosts with next). And every new connection
 * would begin at the first host again, waiting out a primary that has gone
 * silent each time: a kiosk connects anew at the end of every visit, and
 * its print job on a connection of its own. So the host that answered last
 * is remembered for the process, and the connections after it begin
 * there. The list is only turned round: every host is still tried. */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/postgres/db_pg_private.h"

/* ---- the lists, as text ----------------------------------------------------- */

static int items(const char *list)
{
	int n = 1;
	for (; *list; list++)
		n += *list == ',';
	return n;
}

/* Is item i of a comma-separated list (empty items count) want? */
static bool item_is(const char *list, int i, const char *want)
{
	for (; i > 0; i--)
		list = strchr(list, ',') + 1;
	size_t n = strcspn(list, ",");
	return strlen(want) == n && !strncmp(list, want, n);
}

/* list (of items(list) items) turned round to begin at item from; malloc'd. */
static char *rotated(const char *list, int from)
{
	size_t len = strlen(list);
	char *out = malloc(len + 1);
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
	for (; o && o->keyword; o++)
		if (!strcmp(o->keyword, key))
			return o->val && *o->val ? o->val : NULL;
	return NULL;
}

/* The target's lists: host, hostaddr and port as given (NULL when not),
 * and how many hosts. */
struct hosts {
	PQconninfoOption *opts;
	const char *list[3]; /* host, hostaddr, port */
	int n;
};

static const char *const list_key[3] = {"host", "hostaddr", "port"};

static void hosts_read(struct hosts *h, const char *target)
{
	char *err = NULL;
	h->opts = PQconninfoParse(target, &err);
	PQfreemem(err);
	for (int i = 0; i < 3; i++)
		h->list[i] = option(h->opts, list_key[i]);
	h->n = h->list[0] ? items(h->list[0]) : h->list[1] ? items(h->list[1]) : 1;
}

/* Which of the hosts c is on, or waits on: libpq names it, with its port
 * (0 when none matches). */
static int host_of(const struct hosts *h, PGconn *c)
{
	const char *host = PQhost(c), *port = PQport(c);
	const char *names = h->list[0] ? h->list[0] : h->list[1];
	const char *ports = h->list[2] && items(h->list[2]) == h->n ? h->list[2] : NULL;
	for (int i = 0; names && host && i < h->n; i++)
		if (item_is(names, i, host) && (!ports || (port && item_is(ports, i, port))))
			return i;
	return 0;
}

/* ---- the host that answered last -------------------------------------------- */

static pthread_mutex_t answered_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t answered_target; /* FNV-1a of the connection string */
static int answered_host;

static uint64_t target_key(const char *s)
{
	uint64_t k = 14695981039346656037u;
	for (; *s; s++)
		k = (k ^ (unsigned char)*s) * 1099511628211u;
	return k;
}

static int last_answered(const char *target)
{
	uint64_t key = target_key(target);
	pthread_mutex_lock(&answered_lock);
	int at = answered_target == key ? answered_host : 0;
	pthread_mutex_unlock(&answered_lock);
	return at;
}

void pg_host_answered(const struct pg_db *d)
{
	struct hosts h;
	hosts_read(&h, d->target);
	int at = host_of(&h, d->conn);
	PQconninfoFree(h.opts);
	pthread_mutex_lock(&answered_lock);
	answered_target = target_key(d->target);
	answered_host = at;
	pthread_mutex_unlock(&answered_lock);
}

/* ---- connecting ------------------------------------------------------------- */

PGconn *pg_connect_hosts(const struct pg_db *d, bool next, bool wait, int *n_hosts)
{
	struct hosts h;
	hosts_read(&h, d->target);
	*n_hosts = h.n;
	int from = next ? (host_of(&h, d->conn) + 1) % h.n : last_answered(d->target) % h.n;
	/* A kiosk must not hang on a server that does not answer (the target's
	 * own settings come after these, and win): 5 s to connect; on TCP, a
	 * connection whose data the network has not carried for 10 s is given
	 * up (a cable pulled or a firewall that drops packets sends no
	 * refusal, and TCP alone retries for about a quarter of an hour with
	 * the customer's screen frozen), and an idle one is probed after 10 s
	 * without traffic, every 3 s, 3 times (so a server gone while nobody
	 * used it is known before a customer's statement, and a store's NAT
	 * or firewall keeps the connection). No effect on a Unix socket. The
	 * lists come after the target, turned round. */
	const char *keys[11] = {"connect_timeout",     "tcp_user_timeout", "keepalives",
				"keepalives_idle",     "keepalives_interval", "keepalives_count",
				"dbname"};
	const char *vals[11] = {"5", "10000", "1", "10", "3", "3", d->target};
	int k = 7;
	char *turned[3] = {NULL, NULL, NULL};
	bool ok = true;
	for (int i = 0; from > 0 && i < 3; i++) {
		if (!h.list[i] || items(h.list[i]) != h.n)
			continue;
		ok = ok && (turned[i] = rotated(h.list[i], from));
		keys[k] = list_key[i];
		vals[k++] = turned[i];
	}
	keys[k] = vals[k] = NULL;
	PGconn *c = !ok ? NULL
		  : wait ? PQconnectdbParams(keys, vals, 1)
			 : PQconnectStartParams(keys, vals, 1);
	for (int i = 0; i < 3; i++)
		free(turned[i]);
	PQconninfoFree(h.opts);
	return c;
}

int pg_connect_ms(PGconn *c)
{
	PQconninfoOption *o = PQconninfo(c);
	const char *v = option(o, "connect_timeout");
	long s = v ? strtol(v, NULL, 10) : 0;
	PQconninfoFree(o);
	if (s <= 0 || s > 3600) /* none: a step that never left a silent host would never reach the next */
		s = 5;
	return (int)(s < 2 ? 2 : s) * 1000; /* as libpq counts it */
}
