/* The store's handle: opening the database through its backend (db.h:
 * SQLite for a file, PostgreSQL for a connection string), migrations, the
 * prepared-statement cache, transactions, error sentences, and the
 * append-only audit log. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/paths.h"
#include "store/store_private.h"

void store_set_busy_timeout(struct store *s, int ms)
{
	s->busy_ms = ms;
	if (s->db)
		s->be->set_busy_timeout(s->db, ms);
}

int store_schema_version(void)
{
	return DB_SCHEMA_VERSION;
}

int store_connected(struct store *s, struct kiosk_why *why)
{
	if (s->db)
		return 0;
	int rc = s->be->connect(&s->db, s->target, why);
	if (!rc && s->busy_ms != DB_BUSY_MS)
		s->be->set_busy_timeout(s->db, s->busy_ms);
	return rc;
}

int store_sql_fail(struct store *s, const char *what, struct kiosk_why *why)
{
	if (!s->db)
		return kiosk_fail(why, KIOSK_EIO, "The database could not %s: not connected.", what);
	int code = s->db->be->error_code(s->db);
	if (code == KIOSK_EBUSY)
		return kiosk_fail(why, KIOSK_EBUSY,
				  "The database is busy: another kiosk, counter or import is writing; "
				  "try again in a moment.");
	if (code == KIOSK_EDOUBT)
		return kiosk_fail(why, KIOSK_EDOUBT,
				  "The database may or may not have saved the changes: the connection "
				  "ended before it answered and it could not be asked again (%s).",
				  s->db->be->error_text(s->db));
	return kiosk_fail(why, code, "The database could not %s: %s.", what,
			  s->db->be->error_text(s->db));
}

static struct db_stmt *stmt_get(struct store *s, const char *sql, bool clear,
				 struct kiosk_why *why)
{
	if (store_connected(s, why))
		return NULL;
	const struct db_backend *be = s->be;
	for (int i = 0; i < s->n_cache; i++) {
		if (s->cache[i].sql == sql) {
			struct db_stmt *st = s->cache[i].st;
			be->reset(st, clear);
			return st;
		}
	}
	struct db_stmt *st = be->prepare(s->db, sql);
	if (!st) {
		store_sql_fail(s, "prepare a query", why);
		return NULL;
	}
	/* Full (the store has fewer statements than slots, so this is a
	 * safety net): drop the oldest statement that is not in the middle of
	 * a step loop, so a caller's open cursor is never finalized under it. */
	if (s->n_cache == STORE_CACHE_MAX) {
		int victim = 0;
		while (victim < s->n_cache && be->busy(s->cache[victim].st))
			victim++;
		if (victim == s->n_cache) {
			be->finalize(st);
			kiosk_fail(why, KIOSK_ENOMEM, "Too many database queries are open at once.");
			return NULL;
		}
		be->finalize(s->cache[victim].st);
		memmove(&s->cache[victim], &s->cache[victim + 1],
			sizeof s->cache[0] * (size_t)(s->n_cache - victim - 1));
		s->n_cache--;
	}
	s->cache[s->n_cache].sql = sql;
	s->cache[s->n_cache].st = st;
	s->n_cache++;
	return st;
}

struct db_stmt *store_stmt(struct store *s, const char *sql, struct kiosk_why *why)
{
	return stmt_get(s, sql, true, why);
}

struct db_stmt *store_stmt_rebound(struct store *s, const char *sql, struct kiosk_why *why)
{
	return stmt_get(s, sql, false, why);
}

int store_step_done(struct store *s, struct db_stmt *st, const char *what, struct kiosk_why *why)
{
	int rc = db_step(st);
	int out = rc == DB_DONE || rc == DB_ROW ? 0 : store_sql_fail(s, what, why);
	db_reset(st);
	return out;
}

int store_step_later(struct store *s, struct db_stmt *st, const char *what, struct kiosk_why *why)
{
	int out = db_step_later(st) == DB_DONE ? 0 : store_sql_fail(s, what, why);
	db_reset(st);
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
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	int rc = db_step(st);
	*seq = db_col_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : store_sql_fail(s, what, why);
}

int store_tx_begin_for(struct store *s, const char *const *keys, int n_keys,
		       struct kiosk_why *why)
{
	int rc = store_connected(s, why);
	if (rc)
		return rc;
	return s->be->begin_write(s->db, keys, n_keys) ? store_sql_fail(s, "start a transaction", why)
							 : 0;
}

int store_tx_begin_keyf(struct store *s, struct kiosk_why *why, const char *fmt, ...)
{
	char key[128];
	const char *keys[1] = {key};
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	return store_tx_begin_for(s, keys, 1, why);
}

int store_tx_begin_case(struct store *s, const char *case_id, struct kiosk_why *why)
{
	if (!case_id || !*case_id)
		return kiosk_fail(why, KIOSK_EINVAL, "No case number was given.");
	/* a case's receipt and ID hash never change: read before locking */
	struct db_stmt *st = store_stmt(s, "SELECT receipt_id, id_hash FROM cases WHERE id = ?", why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, case_id);
	int rc = db_step(st);
	char keys[3][96];
	const char *k[3] = {keys[0], keys[1], keys[2]};
	int n = 0;
	snprintf(keys[n++], sizeof keys[0], "case:%.80s", case_id ? case_id : "");
	if (rc == DB_ROW && !db_col_null(st, 0))
		snprintf(keys[n++], sizeof keys[0], "receipt:%.80s", db_col_text(st, 0));
	if (rc == DB_ROW && !db_col_null(st, 1))
		snprintf(keys[n++], sizeof keys[0], "id:%.80s", db_col_text(st, 1));
	db_reset(st);
	if (rc == DB_DONE)
		return kiosk_fail(why, KIOSK_ENOTFOUND, "Case %.20s does not exist.",
				  case_id ? case_id : "");
	if (rc != DB_ROW)
		return store_sql_fail(s, "look up the case", why);
	return store_tx_begin_for(s, k, n, why);
}

int store_tx_begin(struct store *s, struct kiosk_why *why)
{
	return store_tx_begin_for(s, NULL, -1, why);
}

static int commit(struct store *s, bool signal, struct kiosk_why *why)
{
	int rc = s->be->commit(s->db, signal) ? store_sql_fail(s, "save the changes", why) : 0;
	if (rc)
		store_tx_rollback(s);
	return rc;
}

int store_tx_commit(struct store *s, struct kiosk_why *why)
{
	/* every write tells the counters (store_changed): on PostgreSQL a
	 * notification delivered at the commit, in the same round trip */
	return commit(s, true, why);
}

int store_tx_commit_quiet(struct store *s, struct kiosk_why *why)
{
	return commit(s, false, why);
}

void store_tx_rollback(struct store *s)
{
	if (s->db && s->be->in_tx(s->db))
		db_exec(s->db, "ROLLBACK");
}

void store_bind_text(struct db_stmt *st, int idx, const char *v)
{
	st->be->bind_text(st, idx, v ? v : "");
}

void store_bind_decision(struct db_stmt *st, int first, const struct decision *d)
{
	store_bind_text(st, first, case_outcome_name(d->outcome));
	store_bind_text(st, first + 1, d->rule);
	store_bind_text(st, first + 2, d->explanation);
	store_bind_text(st, first + 3, d->details);
	db_bind_int64(st, first + 4, d->amount);
	store_bind_text(st, first + 5, d->next_step);
	db_bind_int64(st, first + 6, d->promised_day);
}

void store_bind_text_or_null(struct db_stmt *st, int idx, const char *v)
{
	st->be->bind_text(st, idx, v && *v ? v : NULL);
}

void store_col_text(struct db_stmt *st, int col, char *buf, size_t len)
{
	/* as snprintf "%s" would, without its cost (fourteen a case read) */
	const char *t = db_col_text(st, col);
	size_t n = t ? strnlen(t, len - 1) : 0;
	memcpy(buf, t ? t : "", n);
	buf[n] = 0;
}

/* Cached statements keep their last values (a bound contact, a built
 * record): they are finalized too, and prepared again when next used. */
static void finalize_cached(struct store *s)
{
	for (int i = 0; i < s->n_cache; i++)
		s->be->finalize(s->cache[i].st);
	s->n_cache = 0;
}

int store_release_memory(struct store *s, struct kiosk_why *why)
{
	if (!s)
		return 0;
	/* A database that does not answer now (its connection lost, a new
	 * one on its way) keeps its handle: connecting again here would wait
	 * out the network at the end of every visit, a frozen screen of 5 s
	 * where the network is silent. The next connection replaces it. */
	if (s->db && s->be->reach(s->db) != 1)
		return 0;
	/* Besides the page cache, an SQLite connection keeps the last cell it
	 * wrote in its b-tree's scratch space until it closes: so it is
	 * closed (every block wiped as it is freed) and opened again. */
	finalize_cached(s);
	if (s->db)
		s->be->close(s->db);
	s->db = NULL;
	/* on failure the next call tries again (store_connected) */
	return store_connected(s, why);
}

/* A new SQLite file holds customers' contact details: create it readable
 * by its owner only (SQLite gives its -wal and -shm files the same mode).
 * An existing file keeps the mode the store's IT gave it. */
static int create_private_file(const char *path, struct kiosk_why *why)
{
	int rc = paths_make_parent(path, why);
	if (rc)
		return rc;
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		return kiosk_fail(why, KIOSK_EIO, "The database %s could not be created: %s.", path,
				  strerror(errno));
	return 0;
}

static int open_target(struct store **out, const char *target, bool migrate,
		       struct kiosk_why *why)
{
	*out = NULL;
	if (!target || !*target)
		return kiosk_fail(why, KIOSK_EINVAL, "No database was given.");
	if (sodium_init() < 0)
		return kiosk_fail(why, KIOSK_EIO, "The cryptography library could not start.");
	const struct db_backend *be = db_backend_for(target);
	int rc;
	if (be == &db_sqlite_backend && (rc = create_private_file(target, why)))
		return rc;
	struct store *s = calloc(1, sizeof *s);
	if (!s || !(s->target = strdup(target))) {
		free(s);
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory opening the database.");
	}
	s->be = be;
	s->busy_ms = DB_BUSY_MS;
	if ((rc = be->connect(&s->db, target, why)) ||
	    (migrate && (rc = be->migrate(s->db, DB_SCHEMA_VERSION, why))))
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc;
}

int store_open(struct store **out, const char *target, struct kiosk_why *why)
{
	return open_target(out, target, true, why);
}

int store_clone(struct store *s, struct store **out, struct kiosk_why *why)
{
	/* Reads only s->target, which never changes after store_open, so a
	 * worker may clone while s's owner uses it. The first handle has
	 * migrated the database already. */
	int rc = open_target(out, s->target, false, why);
	if (!rc)
		memcpy((*out)->offline_prefix, s->offline_prefix, sizeof s->offline_prefix);
	return rc;
}

int store_changed(struct store *s, struct kiosk_why *why)
{
	int rc = store_connected(s, why);
	if (rc)
		return rc;
	int c = s->be->changed(s->db);
	return c < 0 ? store_sql_fail(s, "watch for changes", why) : c;
}

int store_reach(struct store *s, struct kiosk_why *why)
{
	int rc = store_connected(s, why);
	if (rc)
		return rc;
	int r = s->be->reach(s->db);
	return r < 0 ? store_sql_fail(s, "be reached", why) : r;
}

bool store_target_is_file(const char *target)
{
	return target && *target && !db_target_is_pg(target);
}

int store_backup(struct store *s, const char *path, struct kiosk_why *why)
{
	if (!s->be->backup)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "A %s database is backed up on its server (pg_dump, or pg_basebackup "
				  "with its WAL archived), not by a kiosk.",
				  s->be->name);
	return s->be->backup(s->db, path, why);
}

bool store_is_shared(const struct store *s)
{
	return s->db && db_dialect(s->db) == DB_POSTGRES;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	finalize_cached(s);
	if (s->db)
		s->be->close(s->db);
	free(s->target);
	free(s);
}
