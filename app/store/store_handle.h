/* A handle on the database, for the layers above the services: the
 * program (app/cli) opens one and hands it to the screens (app/ui) and the
 * services (app/services), which are the only callers of store.h. This
 * header says how a handle is opened, shared and closed, and nothing about
 * what is in the database. */
#ifndef KIOSK_STORE_HANDLE_H
#define KIOSK_STORE_HANDLE_H

#include <stdbool.h>

#include "core/err.h"

struct store;

/* Open the database and migrate an older schema in place; a schema newer
 * than this program is refused with KIOSK_EVERSION. target is
 *  - a file path: SQLite, created if needed (owner-only), WAL;
 *  - a PostgreSQL connection string, as a URI ("postgresql://host/db?…")
 *    or libpq's key=value form ("host=… dbname=…"): the chain's database.
 * Close with store_close. */
int store_open(struct store **out, const char *target, struct kiosk_why *why);
/* A second handle on the same database, for a worker thread or process
 * part that must not share s's statements. */
int store_clone(struct store *s, struct store **out, struct kiosk_why *why);
/* Is target a file (SQLite) rather than a connection string? Files that
 * belong beside the database (the ID key, the demo sheet) need one. */
bool store_target_is_file(const char *target);
/* 1 when another program (a kiosk, a counter, an import) has saved a
 * change since the last call, else 0 (the first call says 0 on SQLite,
 * 1 on PostgreSQL), or a negative kiosk_err. Costs no read of the data:
 * a counter calls it every half second. */
int store_changed(struct store *s, struct kiosk_why *why);
/* Does the database answer now? 1 yes, 0 a connection is on its way (ask
 * again within a second: each call moves it on without waiting for the
 * network), or a negative kiosk_err. For a look that no one must wait for
 * (a kiosk between customers while its chain cannot be reached); a handle
 * that never connected connects first, waiting as store_open does. */
int store_reach(struct store *s, struct kiosk_why *why);
/* Is the database one that other machines share (PostgreSQL)? */
bool store_is_shared(const struct store *s);
void store_close(struct store *s);

/* Free what the handle caches (pages, statements, scratch space), wiping
 * it: called when a customer's visit ends, so the rows they saw or wrote (a
 * contact, their words) do not stay in the kiosk's memory. Reconnects; a
 * failure to reconnect is returned and later calls fail with it. A
 * database that cannot be reached now is left as it is (store_reach): the
 * connection that replaces the lost one starts afresh. */
int store_release_memory(struct store *s, struct kiosk_why *why);

#endif
