/* A case receipt printed on a worker (print_job.h). */
#include "services/print_job.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/wipe.h"
#include "domain/model.h"
#include "services/receipt_print.h"

/* Set once by print_job_start before the worker runs; the worker writes
 * rc and why, then state, which the owner reads before finishing. */
struct print_job {
	pthread_t thread;
	struct store *base;
	struct printer *p;
	const struct kiosk_config *cfg;
	const char *assets;
	char case_id[CASE_ID_MAX];
	char token[CASE_TOKEN_HEX + 1]; /* "" for a reprint */
	void (*wake)(void *);
	void *wake_arg;
	atomic_int state; /* 0 printing, 1 printed, -1 failed */
	int rc;
	struct kiosk_why why;
};

static void *worker(void *arg)
{
	struct print_job *j = arg;
	struct store *db = NULL;
	struct kiosk_time now;
	/* its own handle: the screen keeps using base meanwhile */
	int rc = clock_now(&now, &j->why);
	if (!rc)
		rc = store_clone(j->base, &db, &j->why);
	if (!rc)
		rc = receipt_print_case(db, j->p, j->cfg, j->assets, j->case_id,
					j->token[0] ? j->token : NULL, now, &j->why);
	store_close(db);
	j->rc = rc;
	atomic_store(&j->state, rc ? -1 : 1);
	if (j->wake)
		j->wake(j->wake_arg);
	return NULL;
}

int print_job_start(struct print_job **out, struct store *base, struct printer *p,
		    const struct kiosk_config *cfg, const char *assets, const char *case_id,
		    const char *token_hex, void (*wake)(void *), void *wake_arg,
		    struct kiosk_why *why)
{
	*out = NULL;
	struct print_job *j = calloc(1, sizeof *j);
	if (!j)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	*j = (struct print_job){.base = base, .p = p, .cfg = cfg, .assets = assets,
				.wake = wake, .wake_arg = wake_arg};
	snprintf(j->case_id, sizeof j->case_id, "%s", case_id);
	snprintf(j->token, sizeof j->token, "%s", token_hex ? token_hex : "");
	atomic_init(&j->state, 0);
	if (pthread_create(&j->thread, NULL, worker, j)) {
		mem_wipe_free(j);
		return kiosk_fail(why, KIOSK_EIO, "could not start printing");
	}
	*out = j;
	return 0;
}

int print_job_finish(struct print_job *j, struct kiosk_why *why)
{
	if (!j)
		return 0;
	pthread_join(j->thread, NULL);
	int rc = j->rc;
	if (rc)
		kiosk_fail(why, rc, "%s", j->why.text);
	mem_wipe_free(j); /* the case's token */
	return rc;
}

bool print_job_collect(struct print_job **j, char case_id[CASE_ID_MAX], int *rc,
		       struct kiosk_why *why)
{
	if (!*j || !atomic_load(&(*j)->state))
		return false;
	snprintf(case_id, CASE_ID_MAX, "%s", (*j)->case_id);
	*rc = print_job_finish(*j, why);
	*j = NULL;
	return true;
}
