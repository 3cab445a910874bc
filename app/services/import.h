/* Import POS receipts from a file: detect the format (ARTS POSLog XML or
 * the CSV of interfaces.md §5), parse it completely, then save it in one
 * store transaction. Any refusal leaves the database exactly as before;
 * receipts already present with the same lines are skipped, so importing
 * a file twice adds nothing. */
#ifndef KIOSK_SERVICES_IMPORT_H
#define KIOSK_SERVICES_IMPORT_H

#include <stddef.h>
#include "core/config.h"
#include "core/err.h"
#include "store/store_handle.h"

enum import_format { IMPORT_CSV, IMPORT_POSLOG };

enum import_phase {
	IMPORT_PHASE_READ,   /* done/total are bytes of the file */
	IMPORT_PHASE_SAVE,   /* done/total are receipts */
	IMPORT_PHASE_WAIT,   /* another import runs; total is how many seconds it is waited for */
};

/* Progress, called now and then (never per line). */
typedef void (*import_report_fn)(void *arg, enum import_phase phase, size_t done,
				 size_t total);

struct import_summary {
	enum import_format format;
	int n_receipts;      /* in the file */
	long n_lines;
	int n_new;           /* receipts that were not in the database before */
};

/* The format of data: POSLog when it starts with '<' (after a BOM and
 * white space), else CSV. */
enum import_format import_detect(const char *data, size_t len);
const char *import_format_name(enum import_format f);

/* Parse and save data[0..len). report may be NULL. */
int import_buffer(struct store *s, const struct kiosk_config *cfg, const char *data,
		  size_t len, import_report_fn report, void *arg, struct import_summary *sum,
		  struct kiosk_why *why);
/* Read the file at path and import it. */
int import_file(struct store *s, const struct kiosk_config *cfg, const char *path,
		import_report_fn report, void *arg, struct import_summary *sum,
		struct kiosk_why *why);

#endif
