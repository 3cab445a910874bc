/* The PostgreSQL backend's own state, shared by its files: db_pg.c
 * (statements, results), db_pg_conn.c (the connection), db_pg_hosts.c (a
 * list of hosts), db_pg_pipeline.c (write transactions: their locks,
 * writes sent without waiting, the commit), db_pg_cursor.c (streaming
 * reads) and db_pg_schema.c. Nothing outside them includes this. */
#ifndef KIOSK_STORE_DB_PG_PRIVATE_H
#define KIOSK_STORE_DB_PG_PRIVATE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* pg_type OIDs (catalog/pg_type_d.h, stable since PostgreSQL 7) */
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25

/* The channel every write transaction notifies at its commit. */
#define CHANGES_CHANNEL "kiosk_changes"

/* Statements sent ahead in pipeline mode and not yet answered, at most:
 * so that neither side's socket buffer fills while the other waits. */
#define MAX_LATER 32

struct pg_db {
	struct db base;
	PGconn *conn;
	char *target;       /* for reconnecting */
	int64_t changes;    /* rows of the last command */
	char sqlstate[6];   /* of the last error, "" when none */
	char message[400];  /* of the last error */
	int busy_ms;        /* lock_timeout */
	unsigned gen;       /* connection generation: prepared statements die with it */
	unsigned listening; /* 1 + the generation LISTEN was sent in, 0 never */
	unsigned n_named;   /* names given to prepared statements */
	unsigned n_cursors; /* cursors ever declared (their names) */
	int open_cursors;   /* streaming reads open now, but those held */
	bool stream_tx;     /* the transaction was begun for them */
	int n_later;        /* statements sent in pipeline mode, not yet answered */
	struct pg_stmt *ahead; /* the streaming read whose next FETCH is in flight */
	/* The change watch's own reconnect, without blocking its caller
	 * (db_pg_conn.c, pg_reconnect_step): in progress, what libpq waits
	 * for (PGRES_POLLING_READING or _WRITING), when the wait on the host
	 * it tries began, how many hosts of the list it may still move on to
	 * when one does not answer, and when the next may begin after one
	 * failed (monotonic ms). */
	bool resetting;
	int reset_wait;
	int reset_hosts_left;
	int64_t reset_began_ms, reset_after_ms;
	int connect_ms;     /* the connection's connect_timeout, per host */
	/* The server the connection reached: its system identifier and
	 * timeline ("" on a standby), read at each (re)connection. A
	 * transaction's number means the same there, and only there. */
	char server_id[48];
	/* The write transaction under way (pg_begin_write): its number (0
	 * until its first answer), where in the pipeline that answer comes
	 * (-1 when none is awaited), and its connection's backend process,
	 * generation and server. With them a commit whose answer was lost is
	 * asked after on a new connection (db_pg_pipeline.c). */
	uint64_t tx_xid;
	int tx_xid_at;
	int tx_pid;
	unsigned tx_gen;
	char tx_server[48];
};

struct pg_stmt {
	struct db_stmt base;
	struct pg_db *db;
	char *sql;          /* renumbered */
	int n_params;
	const char **values;
	int *lengths, *formats;
	Oid *types;
	char (*ints)[24];   /* text of integer parameters */
	PGresult *res;
	int row, n_rows;    /* row is the current one, -1 before the first step */
	/* Prepared on the server at its first run with that run's parameter
	 * types (parsed and planned once per connection, not per run); a run
	 * whose types differ goes unprepared. */
	char name[24];      /* "" until prepared */
	unsigned gen;       /* the connection generation it was prepared in */
	Oid *prep_types;
	unsigned char *blob; /* a decoded bytea column */
	size_t blob_cap;
	char cursor[16];    /* a streaming read's cursor, "" when none is open */
	bool held;          /* that cursor is WITH HOLD (db_stream_held) */
	bool fetched_all;   /* the cursor has handed out its last rows */
	PGresult *next;     /* its next rows, fetched ahead (db_pg.c, fetch) */
};

#define PG(d) ((struct pg_db *)(d))
#define PS(s) ((struct pg_stmt *)(s))

/* db_pg_conn.c: db.h's connect, close, error_code and error_text; */
int pg_connect(struct db **out, const char *target, struct kiosk_why *why);
void pg_close(struct db *db);
int pg_error_code(struct db *db);
const char *pg_error_text(struct db *db);
/* the settings of every (re)connection, again (after busy_ms changed); */
bool pg_apply_settings(struct pg_db *d);
/* keep res's error (NULL: the connection's) as the last error. */
void pg_set_error(struct pg_db *d, const PGresult *res);
/* Connected, or connected again after the server went away (also when it
 * closed the connection while it was idle, which libpq has not noticed).
 * Only outside a transaction. */
bool pg_ensure_connected(struct pg_db *d);
/* Before something that begins on its own (a statement, a read, a write
 * transaction): connected again when the connection is idle, or lost (a
 * transaction on it went with it); inside a live transaction nothing is
 * done, so its statements never move to another connection. false with
 * the error kept. */
bool pg_ready(struct pg_db *d);
/* One step of connecting again without blocking, for a caller that asks
 * often (a counter's change watch, twice a second): 1 connected again, 0
 * still on its way (or waiting a moment after a failure), -1 failed with
 * the error kept. The blocking reconnect takes over whenever it is asked. */
int pg_reconnect_step(struct pg_db *d);
/* The backend's reach operation (db.h): the connection as it is, looked at
 * without waiting, or pg_reconnect_step's next step. */
int pg_reach(struct db *db);
/* Connect again now (the server's prepared statements are gone with the
 * old connection); false with the error kept when that fails. */
bool pg_reconnect(struct pg_db *d);
int pg_exec(struct db *db, const char *sql);
bool pg_in_tx(struct db *db);

/* db_pg_hosts.c: a connection to d->target, waited for or only begun
 * (PQconnectPoll); its list of hosts begun where the last connection of
 * the process found a server, or (next) at the host after the one d->conn
 * waits on. *n_hosts: how many the list has. NULL when out of memory. */
PGconn *pg_connect_hosts(const struct pg_db *d, bool next, bool wait, int *n_hosts);
/* d->conn is connected: its host is where the next connections begin. */
void pg_host_answered(const struct pg_db *d);
/* c's connect_timeout in ms, as libpq counts it (none: 5 s). */
int pg_connect_ms(PGconn *c);

/* db_pg_schema.c: db.h's migrate (it speaks only db.h's operations). */
int db_pg_migrate(struct db *db, int target, struct kiosk_why *why);

/* db_pg_cursor.c: a streaming read's next row (DB_ROW, DB_DONE, DB_ERROR),
 * and its cursor closed (with the read-only transaction begun for it, when
 * it was the last). */
int pg_step_stream(struct pg_stmt *s);
void pg_cursor_close(struct pg_stmt *s);

/* db_pg_pipeline.c */
int pg_begin_write(struct db *db, const char *const *keys, int n_keys);
int pg_step_later(struct db_stmt *st);
int pg_commit(struct db *db, bool signal);
/* Is s prepared on this connection for the types bound now? */
bool pg_prepared(struct pg_stmt *s);
/* Answer everything sent ahead: a cursor's next rows go to its statement
 * (next), then the writes: true when all went through (else the first
 * error is kept, and the transaction has failed). With last, the final
 * statement sent ahead is the caller's: its result is handed over
 * unchecked. Back in ordinary mode after. */
bool pg_settle(struct pg_db *d, PGresult **last);

#endif
