/* The store's seam to a database engine. The store's files (rules,
 * queries, transactions) speak only this interface; each engine is one
 * `const struct db_backend` of operations (as libusb's OS backends), chosen
 * by the target string store_open is given:
 *
 *   - a file path: SQLite (sqlite/db_sqlite.c), the embedded default;
 *   - "postgresql://…", "postgres://…" or "key=value …" (libpq's forms):
 *     PostgreSQL (postgres/db_pg.c), one database for every kiosk and counter of a
 *     store or a chain.
 *
 * SQL is written once in the common dialect: `?` and `?N` parameters (the
 * PostgreSQL backend renumbers them as $N), integers and text, BLOBs only
 * as parameters and results, ON CONFLICT and RETURNING. Where the engines
 * differ (sequences, the write lock, the schema) the backend has an
 * operation or the store picks the statement by db_dialect().
 *
 * Nothing outside app/store/ includes this. */
#ifndef KIOSK_STORE_DB_H
#define KIOSK_STORE_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

/* How long a writer waits for another kiosk, counter or import before
 * KIOSK_EBUSY, on both engines. */
#define DB_BUSY_MS 5000

/* The schema version this program brings a database to (SQLite's PRAGMA
 * user_version, PostgreSQL's kiosk_schema table): each engine's migrations
 * reach it (a static assertion in each schema file) and refuse a newer one. */
#define DB_SCHEMA_VERSION 14

enum db_dialect { DB_SQLITE, DB_POSTGRES };

/* What db_step returns. */
enum { DB_DONE = 0, DB_ROW = 1, DB_ERROR = -1 };

/* A connection and a prepared statement. Each backend's own structs start
 * with these, so one pointer serves the seam and the backend. */
struct db {
	const struct db_backend *be;
};
struct db_stmt {
	const struct db_backend *be;
	/* Set before the first step (db_stream): the rows come from the engine
	 * a few at a time instead of all at once, so reading every case holds
	 * a few rows, not every one. SQLite always reads so; on PostgreSQL it
	 * is a cursor, inside a read-only transaction of its own (one snapshot
	 * for every cursor open at once) unless the caller has one. Cleared
	 * with the statement's next reset. */
	bool stream;
	/* With stream (db_stream_held): the read outlives the transactions
	 * the caller begins and ends while it steps, for a job that writes,
	 * batch by batch, what it reads. On PostgreSQL a cursor WITH HOLD,
	 * opened outside any transaction: the server reads every row once
	 * when it opens, keeps them, and hands them over a few at a time.
	 * SQLite has no such read; its callers page by key instead. */
	bool held;
};

/* An engine's operations. Every one is mandatory except copy_in and backup.
 *
 * Threads and locking, as each engine may assume them: a struct db and the
 * statements prepared on it belong to one thread at a time (the store
 * handle that owns them; a worker thread gets a handle of its own from
 * store_clone, never a shared one), so no operation takes a lock of its
 * own or may be called while another runs on the same connection. connect
 * and close may run on any thread; two connections never share state
 * except through the database itself (SQLite's file lock, PostgreSQL's
 * server). An operation blocks its caller: begin_write for as long as
 * another writer holds a key it names (up to the busy timeout), and on
 * PostgreSQL every round trip. Nothing here prints, exits or calls back
 * into the store: failures come back as values, described by error_code
 * and error_text. */
struct db_backend {
	const char *name; /* "SQLite", "PostgreSQL": for sentences */
	enum db_dialect dialect;
	/* Connect to target and apply the per-connection settings. On failure
	 * *out is NULL and why says what was tried. */
	int (*connect)(struct db **out, const char *target, struct kiosk_why *why);
	/* Close; every statement must be finalized first. */
	void (*close)(struct db *db);
	/* Prepare sql; NULL on failure (then error() describes it). */
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	void (*finalize)(struct db_stmt *st);
	/* Back to before the first step; the bindings stay unless clear. */
	void (*reset)(struct db_stmt *st, bool clear);
	/* Parameters count from 1. Text NULL binds SQL NULL; text is copied
	 * or must outlive the step (SQLite binds it statically). */
	void (*bind_int64)(struct db_stmt *st, int idx, int64_t v);
	void (*bind_text)(struct db_stmt *st, int idx, const char *v);
	void (*bind_blob)(struct db_stmt *st, int idx, const void *p, int n);
	int (*param_count)(struct db_stmt *st);
	/* DB_ROW, DB_DONE or DB_ERROR. */
	int (*step)(struct db_stmt *st);
	/* Is the statement between its first step and its reset? */
	bool (*busy)(struct db_stmt *st);
	/* Columns of the current row, from 0. SQL NULL reads as 0 / NULL. */
	int64_t (*col_int64)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	bool (*col_null)(struct db_stmt *st, int col);
	/* The bytes of a BLOB column, *n of them; valid until the next step. */
	const void *(*col_blob)(struct db_stmt *st, int col, int *n);
	/* Run a script of statements without results (DDL, settings). */
	int (*exec)(struct db *db, const char *sql);
	/* Rows changed by the last INSERT/UPDATE/DELETE statement. */
	int64_t (*changes)(struct db *db);
	/* Bulk load: run copy_sql (COPY ... FROM STDIN, text format) and send
	 * data[0..len) as its rows: columns by tab, rows by newline, text
	 * escaped by the caller (store_import_copy.c). Optional: NULL where the
	 * engine has no such stream (SQLite, whose batched INSERTs are as fast). */
	int (*copy_in)(struct db *db, const char *copy_sql, const char *data, size_t len);
	/* Begin a transaction that will write, so that a rule read inside
	 * holds until the commit. keys name what the transaction's rules read
	 * ("receipt:RS…", "id:…", "card:…", "case:K-…", "import", "staff",
	 * "outbox"): writers with a key in common take turns, others run side
	 * by side. n_keys < 0: the whole database (migrations, and a kiosk's
	 * own journal file), after and before every other writer. SQLite has
	 * one writer at a time whatever the keys; on PostgreSQL they are
	 * transaction-scoped advisory locks (the whole database one taken
	 * shared by keyed writers). */
	int (*begin_write)(struct db *db, const char *const *keys, int n_keys);
	bool (*in_tx)(struct db *db);
	/* Step a write whose outcome the caller does not read (no rows, no
	 * changes()). Inside a write transaction on PostgreSQL it is sent at
	 * once and not waited for: it travels with the statements after it,
	 * and its outcome arrives with the next one that answers (a read, the
	 * commit), whose error it then becomes; the transaction fails whole,
	 * as it would have. Elsewhere, and on SQLite, it is step. DB_DONE or
	 * DB_ERROR. Parameters are copied as it is sent. */
	int (*step_later)(struct db_stmt *st);
	/* Commit the write transaction; signal: tell the other connections
	 * (changed()). On PostgreSQL in one round trip with what step_later
	 * sent ahead. */
	int (*commit)(struct db *db, bool signal);
	/* The last error, classed: KIOSK_EBUSY (another writer held on past
	 * the timeout, a serialization failure), KIOSK_EIO (unreachable, I/O),
	 * KIOSK_ENOMEM, KIOSK_EINVAL (a constraint), and its message. */
	int (*error_code)(struct db *db);
	const char *(*error_text)(struct db *db);
	/* How long a writer waits for another before KIOSK_EBUSY (DB_BUSY_MS
	 * from connect). */
	void (*set_busy_timeout)(struct db *db, int ms);
	/* A bulk import the store knows to be consistent begins (on) or ends:
	 * foreign-key checks off where they cost (on again after), and the
	 * engine's own settings for writing much in one transaction. Called
	 * outside a transaction. */
	void (*bulk_import)(struct db *db, bool on);
	/* Whether each commit waits for the disk (the default, on). Off only
	 * around a write whose loss to a power cut is made good by the next
	 * run (SQLite: synchronous NORMAL; a later flushed commit flushes it
	 * too); PostgreSQL's server decides for itself. Outside a
	 * transaction. */
	void (*set_flush)(struct db *db, bool each_commit);
	/* Has another connection committed a change since the last call?
	 * SQLite: PRAGMA data_version; PostgreSQL: a notification on the
	 * channel every write transaction signals at its commit (LISTEN on the
	 * first call). Reads nothing when nothing changed. -1 on failure. */
	int (*changed)(struct db *db);
	/* Does the database answer now, without waiting for it: 1 yes, 0 a
	 * new connection is on its way (ask again soon: each call moves it on
	 * a step; it is given up after the connect timeout and begun again a
	 * few seconds later), -1 it failed, with the error kept. SQLite: 1. */
	int (*reach)(struct db *db);
	/* The schema: bring it up to `target` of this engine's migrations, or
	 * refuse a newer one with KIOSK_EVERSION. */
	int (*migrate)(struct db *db, int target, struct kiosk_why *why);
	/* Write a consistent copy of the whole database, as it stood at one
	 * moment, into path (an empty file the caller made), read it back to
	 * check it and flush it to disk; writers go on meanwhile. Outside a
	 * transaction. Optional: NULL where the engine's server keeps its own
	 * backups (PostgreSQL). */
	int (*backup)(struct db *db, const char *path, struct kiosk_why *why);
};

/* The backend for a target string (see the top of this file). */
const struct db_backend *db_backend_for(const char *target);
extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_pg_backend;

/* Is target a PostgreSQL connection string (URI or key=value)? */
bool db_target_is_pg(const char *target);

/* Thin calls through the backend of a statement or connection. */
static inline int db_step(struct db_stmt *st) { return st->be->step(st); }
static inline int db_step_later(struct db_stmt *st) { return st->be->step_later(st); }
static inline void db_reset(struct db_stmt *st) { st->be->reset(st, false); }
static inline void db_stream(struct db_stmt *st) { st->stream = true; }
static inline void db_stream_held(struct db_stmt *st) { st->stream = st->held = true; }
static inline void db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	st->be->bind_int64(st, i, v);
}
static inline void db_bind_int(struct db_stmt *st, int i, int v) { st->be->bind_int64(st, i, v); }
static inline void db_bind_blob(struct db_stmt *st, int i, const void *p, int n)
{
	st->be->bind_blob(st, i, p, n);
}
static inline int db_param_count(struct db_stmt *st) { return st->be->param_count(st); }
static inline int64_t db_col_int64(struct db_stmt *st, int c) { return st->be->col_int64(st, c); }
static inline int db_col_int(struct db_stmt *st, int c) { return (int)st->be->col_int64(st, c); }
static inline const char *db_col_text(struct db_stmt *st, int c) { return st->be->col_text(st, c); }
static inline bool db_col_null(struct db_stmt *st, int c) { return st->be->col_null(st, c); }
static inline const void *db_col_blob(struct db_stmt *st, int c, int *n)
{
	return st->be->col_blob(st, c, n);
}
static inline int64_t db_changes(struct db *db) { return db->be->changes(db); }
static inline int db_exec(struct db *db, const char *sql) { return db->be->exec(db, sql); }
static inline enum db_dialect db_dialect(const struct db *db) { return db->be->dialect; }

#endif
