/* Dates as people read them, in one place for the kiosk's screens and the
 * messages sent to customers: "28 november 2026" / "28 November 2026"
 * (ui.date and ui.month_N of lang/LANG/ui.ini). Pure. */
#ifndef KIOSK_DOMAIN_DATE_WORDS_H
#define KIOSK_DOMAIN_DATE_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"

/* The local day (days since 1970-01-01) in words. */
void date_words_day(const struct i18n *t, int64_t day, char *buf, size_t len);
/* src with every ISO date (YYYY-MM-DD) in it in words; returns how many. */
int date_words_text(const struct i18n *t, const char *src, char *buf, size_t len);
/* A next step and its promised day as one sentence: the step's own dates in
 * words, and "… by DATE" (ui.next_step_by) when the step names no date. */
void date_words_next_step(const struct i18n *t, const char *step, int64_t day, char *buf,
			  size_t len);

#endif
