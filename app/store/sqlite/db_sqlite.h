/* The SQLite engine's entry points between its files, beyond struct
 * db_backend: the schema migrations on a raw connection (tests build an
 * old database the way an old program would have) and the backup. Only
 * the engine and the store's tests include this. */
#ifndef KIOSK_STORE_DB_SQLITE_H
#define KIOSK_STORE_DB_SQLITE_H

#include <sqlite3.h>

#include "core/err.h"

/* Bring db from its PRAGMA user_version up to `target`
 * (1..store_schema_version()), each migration in its own transaction; a
 * newer schema is refused with KIOSK_EVERSION. */
int db_sqlite_migrate_raw(sqlite3 *db, int target, struct kiosk_why *why);

/* The SQL functions the schema's triggers call (kiosk_audit_link), added
 * to each connection; an SQLite result code. */
int db_sqlite_add_functions(sqlite3 *db);

/* db.h's backup on a connection: VACUUM INTO path (an empty file), the
 * copy read back (PRAGMA integrity_check) and flushed. */
int db_sqlite_backup(sqlite3 *db, const char *path, struct kiosk_why *why);

#endif
