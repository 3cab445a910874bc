/* The chain's database opened on a worker thread (chain_open.h). */
#include "services/chain_open.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chain_open {
	pthread_t thread;
	char *target;
	void (*wake)(void *);
	void *wake_arg;
	struct store *s;
	int rc;
	struct kiosk_why why;
	atomic_bool done;
};

static void *worker(void *arg)
{
	struct chain_open *j = arg;
	j->rc = store_open(&j->s, j->target, &j->why);
	atomic_store(&j->done, true);
	if (j->wake)
		j->wake(j->wake_arg);
	return NULL;
}

int chain_open_start(struct chain_open **out, const char *target, void (*wake)(void *),
		     void *wake_arg, struct kiosk_why *why)
{
	*out = NULL;
	struct chain_open *j = calloc(1, sizeof *j);
	if (!j || !(j->target = strdup(target))) {
		free(j);
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	}
	j->wake = wake;
	j->wake_arg = wake_arg;
	atomic_init(&j->done, false);
	if (pthread_create(&j->thread, NULL, worker, j)) {
		free(j->target);
		free(j);
		return kiosk_fail(why, KIOSK_EIO, "could not start opening the chain's database");
	}
	*out = j;
	return 0;
}

bool chain_open_done(const struct chain_open *j)
{
	return !j || atomic_load(&j->done);
}

int chain_open_finish(struct chain_open *j, struct store **s, struct kiosk_why *why)
{
	*s = NULL;
	if (!j)
		return 0;
	pthread_join(j->thread, NULL);
	int rc = j->rc;
	if (rc)
		*why = j->why;
	else
		*s = j->s;
	free(j->target);
	free(j);
	return rc;
}
