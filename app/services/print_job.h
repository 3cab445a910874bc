/* A case receipt printed on a worker thread, so a slow or stuck printer
 * never freezes a screen: the kiosk's first print and the counter's
 * reprint are the same job. The worker takes its own handle on the
 * database (store_clone) and runs receipt_print_case (receipt_print.h):
 * the case is already committed, and the result is recorded on it. */
#ifndef KIOSK_SERVICES_PRINT_JOB_H
#define KIOSK_SERVICES_PRINT_JOB_H

#include <stdbool.h>

#include "core/config.h"
#include "core/err.h"
#include "domain/model.h"
#include "drivers/printer.h"
#include "store/store_handle.h"

struct print_job;

/* Start printing case_id's receipt on p. token_hex: the token the case was
 * just created with (first print), or NULL for a reprint (a new code). p,
 * cfg and assets must outlive the job; base is only cloned. wake(wake_arg)
 * is called from the worker when it is done (e.g. to wake a UI loop). */
int print_job_start(struct print_job **out, struct store *base, struct printer *p,
		    const struct kiosk_config *cfg, const char *assets, const char *case_id,
		    const char *token_hex, void (*wake)(void *), void *wake_arg,
		    struct kiosk_why *why);
/* Wait for the worker, return its result (0 printed, or the error with
 * why), free the job. NULL is fine (returns 0). */
int print_job_finish(struct print_job *j, struct kiosk_why *why);
/* A job that has finished, collected without waiting: its case into
 * case_id, its result into *rc (0 printed, or the error with why), the job
 * freed and *j set to NULL; true. false (nothing done) while it prints, or
 * when *j is NULL. */
bool print_job_collect(struct print_job **j, char case_id[CASE_ID_MAX], int *rc,
		       struct kiosk_why *why);

#endif
