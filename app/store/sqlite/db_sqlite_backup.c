/* A copy of the database for its backups (db.h's backup). VACUUM INTO
 * writes the database as one read transaction sees it: a consistent moment,
 * compacted, while the kiosk and the counter go on writing (in WAL mode a
 * reader holds no writer up). SQLite does not flush the copy, so it is
 * read back whole (integrity_check reads every page) and then flushed: a
 * copy that is reported made is on the disk and readable. */
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

/* Every page of the copy read and checked: "ok" or the first problem. */
static int check_copy(const char *path, struct kiosk_why *why)
{
	sqlite3 *copy = NULL;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_open_v2(path, &copy, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(copy, "PRAGMA integrity_check(1)", -1, &st, NULL) != SQLITE_OK) {
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
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kiosk_fail(why, rc == SQLITE_BUSY ? KIOSK_EBUSY : KIOSK_EIO,
				  "The database could not be copied to %s: %s.", path, sqlite3_errmsg(db));
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
