/* Where things live: the assets folder and the default database file. */
#ifndef KIOSK_CORE_PATHS_H
#define KIOSK_CORE_PATHS_H

#include <stddef.h>
#include "core/err.h"

/* KIOSK_ASSETS when set, else the source tree's assets/ (compiled in).
 * The string is static. */
const char *paths_assets_dir(void);

/* $XDG_DATA_HOME/kiosk/kiosk.db, else $HOME/.local/share/kiosk/kiosk.db;
 * creates the folder. */
int paths_default_db(char *buf, size_t len, struct kiosk_why *why);

/* mkdir -p for the parent folder of path. */
int paths_make_parent(const char *path, struct kiosk_why *why);

#endif
