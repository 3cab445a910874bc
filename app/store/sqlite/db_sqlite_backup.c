/* A copy of the database for its backups (db.h's backup). SQLite's online
 * backup copies every page of the database as one read transaction sees
 * it: a consistent moment, while the kiosk and the counter go on writing
 * (in WAL mode a reader holds no writer up). The copy is then made a plain
 * one-file database (no WAL beside it to go missing), read back whole
 * (quick_check reads every page and walks every b-tree, so a database
 * damaged before the copy fails the backup loudly instead of being kept as
 * a good one) and flushed to the disk. VACUUM INTO was tried first: it
 * rebuilds every index, sorting in memory (temp_store), so it took 4.5
 * times as long as the shell's .backup and held 95 MB at 500 000
 * receipts; this takes twice as long as .backup (the read-back) and holds
 * 39 MB at any size (tests/bench/bench_backup.py). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "store/sqlite/db_sqlite.h"

static int fail(sqlite3 *db, const char *what, const char *path, struct kiosk_why *why)
{
	return kiosk_fail(why, sqlite3_errcode(db) == SQLITE_NOMEM ? KIOSK_ENOMEM : KIOSK_EIO,
			  "The copy %s could not be %s: %s.", path, what, sqlite3_errmsg(db));
}

/* Every page of the copy read and its b-trees walked. */
static int check_copy(const char *path, struct kiosk_why *why)
{
	sqlite3 *copy = NULL;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_open_v2(path, &copy, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(copy, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK) {
		rc = copy ? fail(copy, "read back", path, why)
			  : kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading the copy back.");
	} else if (sqlite3_step(st) != SQLITE_ROW) {
		rc = fail(copy, "read back", path, why);
	} else {
		const char *verdict = (const char *)sqlite3_column_text(st, 0);
		if (!verdict || strcmp(verdict, "ok"))
			rc = kiosk_fail(why, KIOSK_EIO, "The copy %s is damaged: %.200s.", path,
					verdict ? verdict : "no answer");
	}
	sqlite3_finalize(st);
	sqlite3_close(copy);
	return rc;
}

int db_sqlite_backup(sqlite3 *db, const char *path, struct kiosk_why *why)
{
	sqlite3 *copy = NULL;
	sqlite3_backup *b = NULL;
	int rc = sqlite3_open_v2(path, &copy, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK && !(b = sqlite3_backup_init(copy, "main", db, "main")))
		rc = sqlite3_errcode(copy);
	if (b) {
		int step = sqlite3_backup_step(b, -1); /* every page, in one read */
		rc = sqlite3_backup_finish(b);
		if (rc == SQLITE_OK && step != SQLITE_DONE)
			rc = step;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = kiosk_fail(why, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? KIOSK_EBUSY : KIOSK_EIO,
				"The database could not be copied to %s: %s.", path,
				copy ? sqlite3_errmsg(copy) : "out of memory");
		sqlite3_close(copy);
		return rc;
	}
	sqlite3_close(copy);
	if ((rc = check_copy(path, why)))
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd)) {
		rc = kiosk_fail(why, KIOSK_EIO, "The copy %s could not be written to the disk: %s.", path,
				strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return rc;
}
