/* A backup of a kiosk's own database (an SQLite file): a consistent copy
 * taken while the kiosk runs, moved into place whole. A chain's PostgreSQL
 * database is backed up on its server instead. The ID-document key is not
 * in the database, so it is never in a backup: it is kept apart. */
#ifndef KIOSK_SERVICES_BACKUP_H
#define KIOSK_SERVICES_BACKUP_H

#include <stdint.h>

#include "core/err.h"
#include "store/store_handle.h"

/* Copy the database s has open (at db_path) to dest. dest is replaced in
 * one step (a reader sees the old backup or the new one, never half of
 * one) and only when it is an SQLite database already (yesterday's
 * backup): never the database itself, and never another kind of file. The
 * copy is readable by its owner only. *bytes: the copy's size. */
int backup_database(struct store *s, const char *db_path, const char *dest, int64_t *bytes,
		    struct kiosk_why *why);

#endif
