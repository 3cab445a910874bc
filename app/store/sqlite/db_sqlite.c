/* The SQLite backend of the store seam (db.h): one file, WAL, foreign
 * keys, a busy timeout, and an allocator that wipes what it frees (a
 * connection's pages hold customers' rows). */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/wipe.h"
#include "core/write_behind.h"
#include "core/writer_queue.h"
#include "store/audit_link.h"
#include "store/db.h"
#include "store/sqlite/db_sqlite.h"

struct sq_db {
	struct db base;
	sqlite3 *h;
	int64_t data_version; /* of the last sq_changed, -1 before it */
	char reason[160];     /* the last error in words (sq_error_text) */
	char path[1024];      /* the file, to ask the file system about errors */
	struct write_behind *behind; /* while a bulk import runs */
	struct writer_queue *queue;  /* the file's writers in turn; NULL: SQLite's wait only */
	bool queue_held;             /* this handle's write transaction has the turn */
	bool queue_timed_out;        /* the last call was a begin_write that waited busy_ms */
	int busy_ms;                 /* for the queue, as SQLite's busy timeout */
};

/* The disk's part in an SQLite error, in words a store's IT understands
 * ("the disk is full", not "database or disk is full"), or NULL when the
 * error is not the disk's. */
static const char *disk_reason(sqlite3 *h, const char *path, char *buf, size_t len)
{
	int code = sqlite3_extended_errcode(h), sys = sqlite3_system_errno(h);
	/* a file SQLite could not open beside the database (-wal, -shm): ask
	 * the file system what it says to writing there */
	if ((code & 0xff) == SQLITE_CANTOPEN && path && access(path, W_OK) != 0)
		sys = errno;
	switch (code & 0xff) {
	case SQLITE_FULL:
		return "the disk is full";
	case SQLITE_READONLY:
		return "the disk or folder is read-only";
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
		if (sys == ENOSPC)
			return "the disk is full";
		if (sys == EROFS)
			return "the disk is read-only";
		if (sys == EACCES || sys == EPERM)
			return "the program may not write in the database's folder";
		if ((code & 0xff) == SQLITE_IOERR) {
			snprintf(buf, len, "the disk could not be read or written (%s)",
				 sys ? strerror(sys) : sqlite3_errmsg(h));
			return buf;
		}
		return NULL;
	default:
		return NULL;
	}
}

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
	struct sq_db *d;
};

#define SQ(d) ((struct sq_db *)(d))
#define ST(s) (((struct sq_stmt *)(s))->st)

/* Page cache in KiB: up to 16 MiB (used only as needed), 24 MiB while a
 * bulk import runs (sq_bulk_import). */
#define CACHE_KIB "16384"
#define IMPORT_CACHE_KIB "24576"

/* Per-connection settings.
 * - page_size: a new file's pages are 16 KiB (an existing file keeps its
 *   own). A 1 M-line import writes each page twice under WAL (the WAL, then
 *   the file at the checkpoint); with 16 KiB pages that is a quarter of the
 *   system calls and b-tree pages one level shallower (README, benchmarks).
 * - synchronous=FULL: a commit is on disk before it returns, so a case whose
 *   receipt has printed survives a power cut too (NORMAL would keep it
 *   across a crash of the program, not of the machine). */
static const char open_pragmas[] =
	"PRAGMA page_size = 16384;"
	"PRAGMA journal_mode = WAL;"
	"PRAGMA synchronous = FULL;"
	/* a checkpoint every 4 MiB of WAL, as SQLite's 1 000 pages were with
	 * 4 KiB pages: the WAL beside the file stays as small as it was */
	"PRAGMA wal_autocheckpoint = 256;"
	"PRAGMA foreign_keys = ON;"
	"PRAGMA temp_store = MEMORY;"
	"PRAGMA cache_size = -" CACHE_KIB ";";

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

/* ---- functions ----------------------------------------------------------- */

/* kiosk_audit_link(prev, at_s, at_off, actor, action, detail): the audit
 * chain's next link (audit_link.h). */
static void audit_link_fn(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	(void)argc;
	unsigned char out[AUDIT_LINK_BYTES];
	const void *prev = sqlite3_value_blob(v[0]);
	int prev_n = sqlite3_value_bytes(v[0]);
	audit_link(prev, prev ? (size_t)prev_n : 0, sqlite3_value_int64(v[1]),
			 sqlite3_value_int64(v[2]), (const char *)sqlite3_value_text(v[3]),
			 (const char *)sqlite3_value_text(v[4]),
			 (const char *)sqlite3_value_text(v[5]), out);
	sqlite3_result_blob(ctx, out, sizeof out, SQLITE_TRANSIENT);
}

int db_sqlite_add_functions(sqlite3 *db)
{
	return sqlite3_create_function_v2(db, "kiosk_audit_link", 6,
					  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
					  NULL, audit_link_fn, NULL, NULL, NULL);
}

/* ---- connection ---------------------------------------------------------- */

static int sq_connect(struct db **out, const char *path, struct kiosk_why *why)
{
	static pthread_once_t allocator_once = PTHREAD_ONCE_INIT;
	pthread_once(&allocator_once, use_wiping_allocator);
	*out = NULL;
	struct sq_db *d = calloc(1, sizeof *d);
	if (!d)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory opening the database.");
	d->base.be = &db_sqlite_backend;
	d->data_version = -1;
	snprintf(d->path, sizeof d->path, "%s", path);
	/* NOMUTEX: a handle (and its statement cache) is used by one thread at
	 * a time, so SQLite's per-call locking would only cost time */
	if (sqlite3_open_v2(path, &d->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		int rc = kiosk_fail(why, KIOSK_EIO, "The database %s could not be opened: %s.", path,
				    d->h ? sqlite3_errmsg(d->h) : "out of memory");
		sqlite3_close(d->h);
		free(d);
		return rc;
	}
	sqlite3_extended_result_codes(d->h, 1);
	db_sqlite_add_functions(d->h);
	sqlite3_busy_timeout(d->h, DB_BUSY_MS);
	d->busy_ms = DB_BUSY_MS;
	/* A database from a newer program is refused by the migration, and
	 * must not be changed before that: not even switched to WAL. */
	int version = 0;
	sqlite3_stmt *vst = NULL;
	if (sqlite3_prepare_v2(d->h, "PRAGMA user_version", -1, &vst, NULL) == SQLITE_OK &&
	    sqlite3_step(vst) == SQLITE_ROW)
		version = sqlite3_column_int(vst, 0);
	sqlite3_finalize(vst);
	if (version > DB_SCHEMA_VERSION) {
		*out = &d->base;
		return 0;
	}
	if (sqlite3_exec(d->h, open_pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		char buf[128];
		const char *disk = disk_reason(d->h, path, buf, sizeof buf);
		int rc = disk ? kiosk_fail(why, KIOSK_EIO, "The database %s cannot be used: %s.", path,
					   disk)
			      : kiosk_fail(why, KIOSK_EIO, "%s is not a kiosk database (%s).", path,
					   sqlite3_errmsg(d->h));
		sqlite3_close(d->h);
		free(d);
		return rc;
	}
	d->queue = writer_queue_open(path);
	*out = &d->base;
	return 0;
}

/* The turn goes on once the transaction has ended, however it ended (a
 * COMMIT, a ROLLBACK, or SQLite's own rollback after some errors). */
static void queue_check(struct sq_db *d)
{
	if (d->queue_held && sqlite3_get_autocommit(d->h)) {
		d->queue_held = false;
		writer_queue_leave(d->queue);
	}
}

static void sq_close(struct db *db)
{
	if (!db)
		return;
	struct sq_db *d = SQ(db);
	write_behind_stop(d->behind);
	sqlite3_close(d->h);
	if (d->queue_held)
		writer_queue_leave(d->queue);
	writer_queue_close(d->queue);
	free(db);
}

static struct db_stmt *sq_prepare(struct db *db, const char *sql)
{
	SQ(db)->queue_timed_out = false;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(SQ(db)->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	struct sq_stmt *s = calloc(1, sizeof *s);
	if (!s) {
		sqlite3_finalize(st);
		return NULL;
	}
	s->base.be = &db_sqlite_backend;
	s->st = st;
	s->d = SQ(db);
	return &s->base;
}

static void sq_finalize(struct db_stmt *st)
{
	if (!st)
		return;
	sqlite3_finalize(ST(st));
	free(st);
}

static void sq_reset(struct db_stmt *st, bool clear)
{
	st->stream = st->held = false; /* SQLite reads row by row anyway */
	sqlite3_reset(ST(st));
	if (clear)
		sqlite3_clear_bindings(ST(st));
}

static void sq_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(ST(st), i, v);
}

static void sq_bind_text(struct db_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(ST(st), i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(ST(st), i);
}

static void sq_bind_blob(struct db_stmt *st, int i, const void *p, int n)
{
	sqlite3_bind_blob(ST(st), i, p, n, SQLITE_STATIC);
}

static int sq_param_count(struct db_stmt *st)
{
	return sqlite3_bind_parameter_count(ST(st));
}

static int sq_step(struct db_stmt *st)
{
	struct sq_db *d = ((struct sq_stmt *)st)->d;
	d->queue_timed_out = false;
	int rc = sqlite3_step(ST(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	queue_check(d);
	return rc == SQLITE_DONE ? DB_DONE : DB_ERROR;
}

static bool sq_busy(struct db_stmt *st)
{
	return sqlite3_stmt_busy(ST(st));
}

static int64_t sq_col_int64(struct db_stmt *st, int c)
{
	return sqlite3_column_int64(ST(st), c);
}

static const char *sq_col_text(struct db_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(ST(st), c);
}

static bool sq_col_null(struct db_stmt *st, int c)
{
	return sqlite3_column_type(ST(st), c) == SQLITE_NULL;
}

static const void *sq_col_blob(struct db_stmt *st, int c, int *n)
{
	const void *p = sqlite3_column_blob(ST(st), c);
	*n = sqlite3_column_bytes(ST(st), c);
	return p;
}

static int sq_exec(struct db *db, const char *sql)
{
	struct sq_db *d = SQ(db);
	d->queue_timed_out = false;
	int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
	queue_check(d);
	return rc == SQLITE_OK ? 0 : DB_ERROR;
}

static int64_t sq_changes(struct db *db)
{
	return sqlite3_changes64(SQ(db)->h);
}

/* In the file's queue first (core/writer_queue.h), then SQLite's lock,
 * which the queue's turn finds free unless a writer outside the queue (a
 * schema upgrade, the sqlite3 shell) has it. */
static int sq_begin_write(struct db *db, const char *const *keys, int n_keys)
{
	struct sq_db *d = SQ(db);
	d->queue_timed_out = false;
	if (d->queue && !d->queue_held && sqlite3_get_autocommit(d->h)) {
		if (writer_queue_enter(d->queue, d->busy_ms)) {
			d->queue_timed_out = true;
			return DB_ERROR;
		}
		d->queue_held = true;
	}
	int rc = sqlite3_exec(d->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	queue_check(d);
	return rc == SQLITE_OK ? 0 : DB_ERROR;
}

/* SQLite is in this process: nothing to send ahead */
static int sq_step_later(struct db_stmt *st)
{
	int rc = sq_step(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

/* Other connections see the commit by PRAGMA data_version (changed()). */
static int sq_commit(struct db *db, bool signal)
{
	return sq_exec(db, "COMMIT");
}

static bool sq_in_tx(struct db *db)
{
	return !sqlite3_get_autocommit(SQ(db)->h);
}

static int sq_error_code(struct db *db)
{
	if (SQ(db)->queue_timed_out)
		return KIOSK_EBUSY;
	int rc = sqlite3_extended_errcode(SQ(db)->h) & 0xff;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return KIOSK_EBUSY;
	if (rc == SQLITE_NOMEM)
		return KIOSK_ENOMEM;
	if (rc == SQLITE_CONSTRAINT)
		return KIOSK_EINVAL;
	return KIOSK_EIO;
}

static const char *sq_error_text(struct db *db)
{
	struct sq_db *d = SQ(db);
	if (d->queue_timed_out)
		return "another writer kept the database for the whole wait";
	char buf[128];
	const char *disk = disk_reason(d->h, d->path, buf, sizeof buf);
	snprintf(d->reason, sizeof d->reason, "%s", disk ? disk : sqlite3_errmsg(d->h));
	return d->reason;
}

static void sq_set_busy_timeout(struct db *db, int ms)
{
	SQ(db)->busy_ms = ms > 0 ? ms : 0;
	sqlite3_busy_timeout(SQ(db)->h, ms);
}

/* Only takes effect outside a transaction, which is where the import
 * calls it.
 * - The receipts' unique index takes a receipt id at a random place: a page
 *   cache of 24 MiB rather than 16 holds ~50 % more of it (4 M lines: 10 %
 *   less time) and keeps the import under its 60 MB.
 * - The WAL, and the file at the checkpoint in the commit, are written
 *   behind (core/write_behind.h): the import writes every page twice, and
 *   each time the fsync at the end found it all still to write. */
static void sq_bulk_import(struct db *db, bool on)
{
	struct sq_db *d = SQ(db);
	sqlite3_exec(d->h,
		     on ? "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -" IMPORT_CACHE_KIB
			: "PRAGMA foreign_keys = ON; PRAGMA cache_size = -" CACHE_KIB,
		     NULL, NULL, NULL);
	write_behind_stop(d->behind);
	d->behind = NULL;
	const char *file = sqlite3_db_filename(d->h, "main");
	if (on && file && *file) {
		char wal[4096];
		snprintf(wal, sizeof wal, "%s-wal", file);
		const char *const paths[] = {file, wal};
		d->behind = write_behind_start(paths, 2);
	}
}

static void sq_set_flush(struct db *db, bool each_commit)
{
	sqlite3_exec(SQ(db)->h,
		     each_commit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", NULL,
		     NULL, NULL);
}

/* A file is always there to be asked. */
static int sq_reach(struct db *db)
{
	(void)db;
	return 1;
}

static int sq_changed(struct db *db)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(SQ(db)->h, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (v < 0)
		return -1;
	int changed = SQ(db)->data_version >= 0 && v != SQ(db)->data_version;
	SQ(db)->data_version = v;
	return changed;
}

static int sq_backup(struct db *db, const char *path, struct kiosk_why *why)
{
	return db_sqlite_backup(SQ(db)->h, path, why);
}

static int sq_migrate(struct db *db, int target, struct kiosk_why *why)
{
	return db_sqlite_migrate_raw(SQ(db)->h, target, why);
}

const struct db_backend db_sqlite_backend = {
	.name = "SQLite",
	.dialect = DB_SQLITE,
	.connect = sq_connect,
	.close = sq_close,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.param_count = sq_param_count,
	.step = sq_step,
	.busy = sq_busy,
	.col_int64 = sq_col_int64,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.col_blob = sq_col_blob,
	.exec = sq_exec,
	.changes = sq_changes,
	.begin_write = sq_begin_write,
	.step_later = sq_step_later,
	.commit = sq_commit,
	.in_tx = sq_in_tx,
	.error_code = sq_error_code,
	.error_text = sq_error_text,
	.set_busy_timeout = sq_set_busy_timeout,
	.bulk_import = sq_bulk_import,
	.set_flush = sq_set_flush,
	.changed = sq_changed,
	.reach = sq_reach,
	.migrate = sq_migrate,
	.backup = sq_backup,
};
