/* Loading the service report: every case with its timeline and every call,
 * streamed from the store into the report's builder, which keeps only
 * what the figures need. Also the duration wording shared by the table
 * and the HTML page. */
#include "services/report_data.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

struct load {
	struct report_builder b;
	struct kiosk_why *why;
};

static int load_case(void *arg, const struct case_record *c, const struct case_event *ev,
		     int n_ev)
{
	struct load *l = arg;
	return report_builder_case(&l->b, c, ev, n_ev, l->why);
}

static int load_call(void *arg, const struct staff_call *c)
{
	struct load *l = arg;
	return report_builder_call(&l->b, c, l->why);
}

int report_data_load(struct store *s, struct kiosk_time now, int64_t from_day, int64_t to_day,
		     struct report *out, struct kiosk_why *why)
{
	struct load l = {.why = why};
	memset(out, 0, sizeof *out);
	int rc = report_builder_init(&l.b, now, from_day, to_day, why);
	if (!rc)
		rc = store_report_each(s, time_local_days(now), load_case, load_call, &l, why);
	if (rc)
		report_builder_free(&l.b);
	else
		report_builder_finish(&l.b, out);
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
