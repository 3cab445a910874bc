/* The store's handle: opening the SQLite file (WAL, foreign keys, busy
 * timeout, migrations), the prepared-statement cache, transactions, error
 * sentences, and the append-only audit log. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/paths.h"
#include "core/wipe.h"
#include "store/store_private.h"

/* How long a writer waits for another kiosk process before "busy". */
#define STORE_BUSY_TIMEOUT_MS 5000

void store_set_busy_timeout(struct store *s, int ms)
{
	sqlite3_busy_timeout(s->db, ms);
}

/* Per-connection settings. synchronous=NORMAL is durable across
 * application crashes under WAL and loses at most the last transactions on
 * power loss; it is what makes a 1 M-line import fast. */
static const char open_pragmas[] =
	"PRAGMA journal_mode = WAL;"
	"PRAGMA synchronous = NORMAL;"
	"PRAGMA foreign_keys = ON;"
	"PRAGMA temp_store = MEMORY;"
	/* up to 32 MiB of pages (used only as needed): an import of a million
	 * lines otherwise re-reads its own index pages from the OS */
	"PRAGMA cache_size = -32768;";

int store_sql_fail(struct store *s, const char *what, struct kiosk_why *why)
{
	int rc = sqlite3_extended_errcode(s->db);
	int code = KIOSK_EIO;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return kiosk_fail(why, KIOSK_EBUSY,
				  "The database is busy: another kiosk, counter or import is writing; "
				  "try again in a moment.");
	if ((rc & 0xff) == SQLITE_NOMEM)
		code = KIOSK_ENOMEM;
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = KIOSK_EINVAL;
	return kiosk_fail(why, code, "The database could not %s: %s.", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct kiosk_why *why)
{
	for (int i = 0; i < s->n_cache; i++) {
		if (s->cache[i].sql == sql) {
			sqlite3_stmt *st = s->cache[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_sql_fail(s, "prepare a query", why);
		return NULL;
	}
	/* Full (the store has fewer statements than slots, so this is a
	 * safety net): drop the oldest statement that is not in the middle of
	 * a step loop, so a caller's open cursor is never finalized under it. */
	if (s->n_cache == STORE_CACHE_MAX) {
		int victim = 0;
		while (victim < s->n_cache && sqlite3_stmt_busy(s->cache[victim].st))
			victim++;
		if (victim == s->n_cache) {
			sqlite3_finalize(st);
			kiosk_fail(why, KIOSK_ENOMEM, "Too many database queries are open at once.");
			return NULL;
		}
		sqlite3_finalize(s->cache[victim].st);
		memmove(&s->cache[victim], &s->cache[victim + 1],
			sizeof s->cache[0] * (size_t)(s->n_cache - victim - 1));
		s->n_cache--;
	}
	s->cache[s->n_cache].sql = sql;
	s->cache[s->n_cache].st = st;
	s->n_cache++;
	return st;
}

int store_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct kiosk_why *why)
{
	int rc = sqlite3_step(st);
	int out = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_sql_fail(s, what, why);
	sqlite3_reset(st);
	return out;
}

bool store_grow(void **arr, int n, int *cap, size_t elem)
{
	if (n < *cap)
		return true;
	int ncap = *cap ? *cap * 2 : 16;
	void *m = realloc(*arr, elem * (size_t)ncap);
	if (!m)
		return false;
	*arr = m;
	*cap = ncap;
	return true;
}

int store_next_seq(struct store *s, const char *sql, const char *what, int64_t *seq,
		   struct kiosk_why *why)
{
	sqlite3_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	int rc = sqlite3_step(st);
	*seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_sql_fail(s, what, why);
}

int store_tx_begin(struct store *s, struct kiosk_why *why)
{
	sqlite3_stmt *st = store_stmt(s, "BEGIN IMMEDIATE", why);
	return st ? store_step_done(s, st, "start a transaction", why) : KIOSK_EIO;
}

int store_tx_commit(struct store *s, struct kiosk_why *why)
{
	sqlite3_stmt *st = store_stmt(s, "COMMIT", why);
	int rc = st ? store_step_done(s, st, "save the changes", why) : KIOSK_EIO;
	if (rc)
		store_tx_rollback(s);
	return rc;
}

void store_tx_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_bind_text(sqlite3_stmt *st, int idx, const char *v)
{
	sqlite3_bind_text(st, idx, v ? v : "", -1, SQLITE_STATIC);
}

void store_bind_decision(sqlite3_stmt *st, int first, const struct decision *d)
{
	store_bind_text(st, first, case_outcome_name(d->outcome));
	store_bind_text(st, first + 1, d->rule);
	store_bind_text(st, first + 2, d->explanation);
	store_bind_text(st, first + 3, d->details);
	sqlite3_bind_int64(st, first + 4, d->amount);
	store_bind_text(st, first + 5, d->next_step);
	sqlite3_bind_int64(st, first + 6, d->promised_day);
}

void store_bind_text_or_null(sqlite3_stmt *st, int idx, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, idx, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

void store_col_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

/* ---- memory that held customers' rows ---------------------------------- */

/* A connection's page cache, lookaside slots, statements and b-tree scratch
 * space hold the rows it read or wrote: a case's contact and the customer's
 * words. SQLite's allocator here wipes every block it frees, so closing the
 * connection (store_release_memory) leaves nothing of them in memory. */
static void *wiping_malloc(int n)
{
	return malloc((size_t)n);
}

static void wiping_free(void *p)
{
	mem_wipe_free(p);
}

static void *wiping_realloc(void *p, int n)
{
	if (!p)
		return malloc((size_t)n);
	size_t old = malloc_usable_size(p);
	void *q = malloc((size_t)n);
	if (!q)
		return NULL;
	memcpy(q, p, old < (size_t)n ? old : (size_t)n);
	mem_wipe_free(p);
	return q;
}

static int wiping_size(void *p)
{
	return (int)malloc_usable_size(p);
}

static int wiping_roundup(int n)
{
	return (n + 7) & ~7;
}

static int wiping_init(void *arg)
{
	return SQLITE_OK;
}

static void wiping_shutdown(void *arg)
{
}

static void use_wiping_allocator(void)
{
	static const sqlite3_mem_methods wiping = {
		.xMalloc = wiping_malloc, .xFree = wiping_free, .xRealloc = wiping_realloc,
		.xSize = wiping_size, .xRoundup = wiping_roundup, .xInit = wiping_init,
		.xShutdown = wiping_shutdown};
	/* Refused (SQLITE_MISUSE) only when SQLite was started before the first
	 * store: then its own allocator stays, which is correct but unwiped. */
	sqlite3_config(SQLITE_CONFIG_MALLOC, &wiping);
}

/* Cached statements keep their last values (a bound contact, a built
 * record) in their registers: they are finalized too, and prepared again
 * when next used. */
static void finalize_cached(struct store *s)
{
	for (int i = 0; i < s->n_cache; i++)
		sqlite3_finalize(s->cache[i].st);
	s->n_cache = 0;
}

/* The connection to path, with the kiosk's pragmas. */
static int connect_db(struct store *s, struct kiosk_why *why)
{
	/* NOMUTEX: a handle (and its statement cache) is used by one thread at
	 * a time, so SQLite's per-call locking would only cost time */
	if (sqlite3_open_v2(s->path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		return kiosk_fail(why, KIOSK_EIO, "The database %s could not be opened: %s.",
				  s->path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	if (sqlite3_exec(s->db, open_pragmas, NULL, NULL, NULL) != SQLITE_OK)
		return kiosk_fail(why, KIOSK_EIO, "%s is not a kiosk database (%s).", s->path,
				  sqlite3_errmsg(s->db));
	return 0;
}

int store_release_memory(struct store *s, struct kiosk_why *why)
{
	if (!s)
		return 0;
	/* Besides the page cache, a connection keeps the last cell it wrote in
	 * its b-tree's scratch space until it closes: so it is closed (every
	 * block wiped as it is freed) and opened again. */
	finalize_cached(s);
	sqlite3_close(s->db);
	s->db = NULL;
	return connect_db(s, why);
}

int store_open(struct store **out, const char *path, struct kiosk_why *why)
{
	*out = NULL;
	if (!path || !*path)
		return kiosk_fail(why, KIOSK_EINVAL, "No database file was given.");
	if (sodium_init() < 0)
		return kiosk_fail(why, KIOSK_EIO, "The cryptography library could not start.");
	int rc = paths_make_parent(path, why);
	if (rc)
		return rc;
	/* A new database holds customers' contact details: create it readable
	 * by its owner only (SQLite gives its -wal and -shm files the same
	 * mode). An existing file keeps the mode the store's IT gave it. */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		return kiosk_fail(why, KIOSK_EIO, "The database %s could not be created: %s.", path,
				  strerror(errno));
	static pthread_once_t allocator_once = PTHREAD_ONCE_INIT;
	pthread_once(&allocator_once, use_wiping_allocator);
	struct store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory opening the database.");
	}
	if ((rc = connect_db(s, why)) || (rc = store_migrate(s->db, store_schema_version(), why)))
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	finalize_cached(s);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* ---- audit log ----------------------------------------------------------- */

int store_audit_row(struct store *s, struct kiosk_time at, const char *actor,
		    const char *action, const char *detail, struct kiosk_why *why)
{
	static const char sql[] =
		"INSERT INTO audit_log (at_s, at_off, actor, action, detail) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	sqlite3_bind_int64(st, 1, at.unix_s);
	sqlite3_bind_int(st, 2, at.offset_min);
	store_bind_text(st, 3, actor);
	store_bind_text(st, 4, action);
	store_bind_text(st, 5, detail);
	return store_step_done(s, st, "write the audit log", why);
}

int store_audit_append(struct store *s, struct kiosk_time at, const char *actor,
		       const char *action, const char *detail, struct kiosk_why *why)
{
	if (!action || !*action)
		return kiosk_fail(why, KIOSK_EINVAL, "An audit-log entry needs an action.");
	return store_audit_row(s, at, actor && *actor ? actor : "system", action, detail, why);
}
