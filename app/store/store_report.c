/* Reads for the service report: every timeline at once (a report over a
 * year of cases must not run one query per case); the figures are computed
 * in domain/report.c. Every call is read by store_call_list_all in
 * store_calls.c. */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

int store_events_all(struct store *s, struct case_event_ref **out, int *n,
		     struct kiosk_why *why)
{
	static const char sql[] =
		"SELECT c.id, e.at_s, e.at_off, e.actor, e.event, e.text"
		" FROM case_events e JOIN cases c ON c.seq = e.case_seq ORDER BY e.case_seq, e.id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	int rc, cap = 0;
	struct case_event_ref *arr = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!store_grow((void **)&arr, *n, &cap, sizeof *arr)) {
			sqlite3_reset(st);
			free(arr);
			*n = 0;
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading the timelines.");
		}
		struct case_event_ref *r = &arr[(*n)++];
		memset(r, 0, sizeof *r);
		store_col_text(st, 0, r->case_id, sizeof r->case_id);
		r->ev.at.unix_s = sqlite3_column_int64(st, 1);
		r->ev.at.offset_min = sqlite3_column_int(st, 2);
		store_col_text(st, 3, r->ev.actor, sizeof r->ev.actor);
		store_col_text(st, 4, r->ev.event, sizeof r->ev.event);
		store_col_text(st, 5, r->ev.text, sizeof r->ev.text);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(arr);
		*n = 0;
		return store_sql_fail(s, "read the timelines", why);
	}
	*out = arr;
	return 0;
}
