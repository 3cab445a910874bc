/* Loading the service report: three bulk reads through the store, then
 * the pure computation. Also the duration wording shared by the table
 * and the HTML page. */
#include "services/report_data.h"

#include <stdlib.h>

#include "store/store.h"

int report_data_load(struct store *s, struct kiosk_time now, int64_t from_day, int64_t to_day,
		     struct report *out, struct kiosk_why *why)
{
	struct case_record *cases = NULL;
	struct case_event_ref *events = NULL;
	struct staff_call *calls = NULL;
	int n_cases = 0, n_events = 0, n_calls = 0;
	struct case_filter all = {.today = time_local_days(now)};
	int rc = store_case_list(s, &all, &cases, &n_cases, why);
	if (!rc)
		rc = store_events_all(s, &events, &n_events, why);
	if (!rc)
		rc = store_call_list_all(s, &calls, &n_calls, why);
	if (!rc) {
		struct report_input in = {
			.cases = cases, .n_cases = n_cases,
			.events = events, .n_events = n_events,
			.calls = calls, .n_calls = n_calls,
			.now = now, .from_day = from_day, .to_day = to_day,
		};
		rc = report_compute(&in, out, why);
	}
	for (int i = 0; i < n_cases; i++)
		case_record_free(&cases[i]);
	free(cases);
	free(events);
	free(calls);
	return rc;
}

void report_format_secs(const struct i18n *tr, int64_t secs, char *buf, size_t len)
{
	const char *d = i18n_get(tr, "report.unit_day"), *h = i18n_get(tr, "report.unit_hour"),
		   *m = i18n_get(tr, "report.unit_min"), *s = i18n_get(tr, "report.unit_sec");
	if (secs < 0)
		secs = 0;
	long long days = secs / 86400, hours = secs % 86400 / 3600, mins = secs % 3600 / 60;
	if (days)
		snprintf(buf, len, "%lld %s %lld %s", days, d, hours, h);
	else if (hours)
		snprintf(buf, len, "%lld %s %02lld %s", hours, h, mins, m);
	else if (mins)
		snprintf(buf, len, "%lld %s %02lld %s", mins, m, (long long)(secs % 60), s);
	else
		snprintf(buf, len, "%lld %s", (long long)secs, s);
}
