/* The service report's data: reads cases, timelines and calls through the
 * store and computes the figures (domain/report.h), and writes the figures
 * as a self-contained HTML page with inline SVG charts (report_html.c).
 * Shared by `kiosk report` and anything else that wants the figures. */
#ifndef KIOSK_SERVICES_REPORT_DATA_H
#define KIOSK_SERVICES_REPORT_DATA_H

#include <stdio.h>

#include "core/config.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/report.h"

struct store;

/* Load everything the report needs and compute it for the period
 * [from_day, to_day] (0: open-ended) as of now. out: report_free. */
int report_data_load(struct store *s, struct kiosk_time now, int64_t from_day, int64_t to_day,
		     struct report *out, struct kiosk_why *why);

/* Write the figures as one HTML page (no external files: styles inline,
 * charts as inline SVG) to f, labelled in tr's language; store_name goes
 * in the title. 0, or KIOSK_EIO when writing failed. */
int report_html_write(FILE *f, const struct report *r, const struct i18n *tr,
		      const char *store_name, struct kiosk_why *why);

/* "2 h 05 min", "3 d 4 h", "45 s": a duration a person reads at a glance
 * (words from tr: report.unit_*). */
void report_format_secs(const struct i18n *tr, int64_t secs, char *buf, size_t len);

#endif
