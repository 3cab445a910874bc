/* The chain's database opened on a worker thread, for a kiosk that started
 * while it could not be reached: store_open waits up to the connect
 * timeout for a chain whose network is silent (nothing refuses), and the
 * kiosk's screen must not wait with it. The handle the worker opens is
 * handed over whole: the worker never touches it after. */
#ifndef KIOSK_SERVICES_CHAIN_OPEN_H
#define KIOSK_SERVICES_CHAIN_OPEN_H

#include <stdbool.h>

#include "core/err.h"
#include "store/store_handle.h"

struct chain_open;

/* Start opening target (store_open). wake(wake_arg) is called from the
 * worker when it is done (e.g. to wake a UI loop). */
int chain_open_start(struct chain_open **out, const char *target, void (*wake)(void *),
		     void *wake_arg, struct kiosk_why *why);
/* false while the worker opens, true when chain_open_finish will not wait.
 * Any thread. */
bool chain_open_done(const struct chain_open *j);
/* Wait for the worker and free the job: 0 with *s the open handle (the
 * caller's to close), or the error with why and *s NULL. NULL j: 0, *s
 * NULL. */
int chain_open_finish(struct chain_open *j, struct store **s, struct kiosk_why *why);

#endif
