/* kiosk report: the service figures as a table (labels in --lang), as
 * JSON (fixed English keys, for machines) or as a self-contained HTML
 * page. Figures and their definitions: domain/report.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "services/report_data.h"
#include "store/store_handle.h"

/* Shares rounded to 4 decimals so 1/3 reads 0.3333, not 0.33333333333333331. */
static double share4(int num, int den)
{
	return round(report_share(num, den) * 10000.0) / 10000.0;
}

static void add_secs(cJSON *o, const char *key, struct report_secs v)
{
	if (v.has)
		cJSON_AddNumberToObject(o, key, (double)v.secs);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_day(cJSON *o, const char *key, int64_t day)
{
	char buf[16];
	if (!day) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	date_format(day, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

static cJSON *report_json(const struct report *r, struct kiosk_time now)
{
	char iso[32];
	cJSON *o = cJSON_CreateObject(), *x, *y;
	time_format_iso(now, iso, sizeof iso);
	cJSON_AddStringToObject(o, "as_of", iso);
	x = cJSON_AddObjectToObject(o, "period");
	add_day(x, "from", r->from_day);
	add_day(x, "to", r->to_day);

	x = cJSON_AddObjectToObject(o, "cases");
	cJSON_AddNumberToObject(x, "total", r->n_cases);
	y = cJSON_AddObjectToObject(x, "by_kind");
	for (int k = CASE_RETURN; k <= CASE_FAULT; k++) {
		cJSON *z = cJSON_AddObjectToObject(y, case_kind_name(k));
		cJSON_AddNumberToObject(z, "total", r->by_kind[k]);
		for (int oc = 0; oc < OUTCOME_COUNT; oc++)
			cJSON_AddNumberToObject(z, case_outcome_name(oc), r->by_kind_outcome[k][oc]);
	}
	y = cJSON_AddObjectToObject(x, "by_state");
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		cJSON_AddNumberToObject(y, case_state_name(s), r->by_state[s]);

	x = cJSON_AddObjectToObject(o, "resolution");
	cJSON_AddNumberToObject(x, "resolved", r->n_resolved);
	cJSON_AddNumberToObject(x, "resolved_at_kiosk", r->n_resolved_kiosk);
	cJSON_AddNumberToObject(x, "share_resolved_at_kiosk", share4(r->n_resolved_kiosk, r->n_cases));
	add_secs(x, "median_seconds", r->resolve_median);
	add_secs(x, "p90_seconds", r->resolve_p90);

	x = cJSON_AddObjectToObject(o, "promises");
	cJSON_AddNumberToObject(x, "due", r->promise_due);
	cJSON_AddNumberToObject(x, "met", r->promise_met);
	cJSON_AddNumberToObject(x, "share_met", share4(r->promise_met, r->promise_due));
	y = cJSON_AddArrayToObject(x, "overdue_now");
	for (int i = 0; i < r->n_overdue; i++) {
		const struct report_overdue *d = &r->overdue[i];
		cJSON *z = cJSON_CreateObject();
		cJSON_AddStringToObject(z, "case_id", d->case_id);
		cJSON_AddStringToObject(z, "kind", case_kind_name(d->kind));
		cJSON_AddStringToObject(z, "state", case_state_name(d->state));
		add_day(z, "promised_at", d->promised_day);
		cJSON_AddNumberToObject(z, "days_late", d->days_late);
		cJSON_AddItemToArray(y, z);
	}

	x = cJSON_AddObjectToObject(o, "overrides");
	cJSON_AddNumberToObject(x, "cases", r->n_overridden);
	cJSON_AddNumberToObject(x, "rate", share4(r->n_overridden, r->n_cases));
	y = cJSON_AddArrayToObject(x, "reasons");
	for (int i = 0; i < r->n_reasons; i++) {
		cJSON *z = cJSON_CreateObject();
		cJSON_AddStringToObject(z, "reason", r->reasons[i].text);
		cJSON_AddNumberToObject(z, "count", r->reasons[i].count);
		cJSON_AddItemToArray(y, z);
	}

	x = cJSON_AddObjectToObject(o, "calls");
	cJSON_AddNumberToObject(x, "total", r->n_calls);
	cJSON_AddNumberToObject(x, "answered", r->n_calls_answered);
	cJSON_AddNumberToObject(x, "open", r->n_calls_open);
	add_secs(x, "wait_median_seconds", r->call_wait_median);
	add_secs(x, "wait_worst_seconds", r->call_wait_worst);

	x = cJSON_AddObjectToObject(o, "repeat_visits");
	cJSON_AddNumberToObject(x, "views", r->n_views);
	cJSON_AddNumberToObject(x, "cases_viewed", r->n_cases_viewed);
	cJSON_AddNumberToObject(x, "per_case",
				round(report_share(r->n_views, r->n_cases) * 100.0) / 100.0);
	return o;
}

/* ---- the table ---------------------------------------------------------- */

/* Print label padded to width columns (code points, so "å" counts once). */
static void put_label(int indent, const char *label, int width)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)label; *p; p++)
		cols += (*p & 0xC0) != 0x80;
	printf("%*s%s%*s", indent, "", label, width > cols ? width - cols : 1, "");
}

static void row_text(int indent, const char *label, const char *value)
{
	put_label(indent, label, 48 - indent);
	printf("%s\n", value);
}

static void row_count(int indent, const char *label, int n)
{
	char v[32];
	snprintf(v, sizeof v, "%d", n);
	row_text(indent, label, v);
}

static void row_share(const struct i18n *tr, const char *label, int num, int den)
{
	char v[96];
	snprintf(v, sizeof v, "%d %s %d (%.0f %%)", num, i18n_get(tr, "report.of"), den,
		 report_share(num, den) * 100.0);
	row_text(2, label, v);
}

static void row_secs(const struct i18n *tr, const char *label, struct report_secs s)
{
	char v[64];
	if (s.has)
		report_format_secs(tr, s.secs, v, sizeof v);
	else
		snprintf(v, sizeof v, "%s", i18n_get(tr, "report.none"));
	row_text(2, label, v);
}

static const char *tr_named(const struct i18n *tr, const char *prefix, const char *name)
{
	char key[64];
	snprintf(key, sizeof key, "%s%s", prefix, name);
	return i18n_get(tr, key);
}

static void report_table(const struct report *r, const struct i18n *tr, const char *store,
			 struct kiosk_time now)
{
#define T(k) i18n_get(tr, "report." k)
	char iso[32], period[64], from[16] = "…", to[16] = "…";
	time_format_iso(now, iso, sizeof iso);
	if (r->from_day)
		date_format(r->from_day, from, sizeof from);
	if (r->to_day)
		date_format(r->to_day, to, sizeof to);
	if (r->from_day || r->to_day)
		snprintf(period, sizeof period, "%s – %s", from, to);
	else
		snprintf(period, sizeof period, "%s", T("period_all"));
	printf("%s: %s\n", T("title"), store);
	row_text(0, T("as_of"), iso);
	row_text(0, T("period"), period);

	printf("\n%s\n", T("section_cases"));
	for (int k = CASE_RETURN; k <= CASE_FAULT; k++) {
		row_count(2, tr_named(tr, "counter.kind_", case_kind_name(k)), r->by_kind[k]);
		for (int oc = 0; oc < OUTCOME_COUNT; oc++)
			if (r->by_kind_outcome[k][oc])
				row_count(4, tr_named(tr, "counter.outcome_", case_outcome_name(oc)),
					  r->by_kind_outcome[k][oc]);
	}
	row_count(2, T("total"), r->n_cases);

	printf("\n%s\n", T("section_resolution"));
	row_share(tr, T("resolved"), r->n_resolved, r->n_cases);
	row_share(tr, T("resolved_kiosk"), r->n_resolved_kiosk, r->n_cases);
	row_secs(tr, T("resolve_median"), r->resolve_median);
	row_secs(tr, T("resolve_p90"), r->resolve_p90);

	printf("\n%s\n", T("section_promises"));
	row_share(tr, T("promise_met"), r->promise_met, r->promise_due);
	row_count(2, T("overdue_now"), r->n_overdue);
	for (int i = 0; i < r->n_overdue; i++) {
		const struct report_overdue *d = &r->overdue[i];
		char day[16], v[160];
		date_format(d->promised_day, day, sizeof day);
		snprintf(v, sizeof v, "%s %s, %s %d, %s", T("promised"), day, T("days_late"),
			 d->days_late, tr_named(tr, "counter.state_", case_state_name(d->state)));
		row_text(4, d->case_id, v);
	}

	printf("\n%s\n", T("section_overrides"));
	row_share(tr, T("override_rate"), r->n_overridden, r->n_cases);
	for (int i = 0; i < r->n_reasons; i++)
		printf("    %d × %s\n", r->reasons[i].count, r->reasons[i].text);

	printf("\n%s\n", T("section_calls"));
	row_count(2, T("calls"), r->n_calls);
	row_count(2, T("calls_open"), r->n_calls_open);
	row_secs(tr, T("call_wait_median"), r->call_wait_median);
	row_secs(tr, T("call_wait_worst"), r->call_wait_worst);

	printf("\n%s\n", T("section_visits"));
	row_count(2, T("views"), r->n_views);
	row_count(2, T("cases_viewed"), r->n_cases_viewed);
	char v[32];
	snprintf(v, sizeof v, "%.2f", report_share(r->n_views, r->n_cases));
	row_text(2, T("views_per_case"), v);
#undef T
}

static int parse_day(struct cli_ctx *ctx, const char *opt, const char *s, int64_t *day)
{
	*day = 0;
	if (s && date_parse(s, day))
		return cli_usage(ctx, "%s must be a date YYYY-MM-DD, not '%.20s'", opt, s);
	return 0;
}

static int write_html(const char *path, const struct report *r, const struct i18n *tr,
		      const char *store, struct kiosk_why *why)
{
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return kiosk_fail(why, KIOSK_EIO, "Cannot write %.200s.", tmp);
	int rc = report_html_write(f, r, tr, store, why);
	if (fclose(f) && !rc)
		rc = kiosk_fail(why, KIOSK_EIO, "Cannot write %.200s.", tmp);
	/* written whole, then renamed: a reader never sees half a page */
	if (!rc && rename(tmp, path))
		rc = kiosk_fail(why, KIOSK_EIO, "Cannot write %.200s.", path);
	if (rc)
		remove(tmp);
	return rc;
}

int cli_report(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const char *html = NULL, *from_s = NULL, *to_s = NULL;
	const struct cli_opt opts[] = {{"--json", NULL, &json},
				       {"--html", &html, NULL},
				       {"--from", &from_s, NULL},
				       {"--to", &to_s, NULL},
				       {0}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	int64_t from = 0, to = 0;
	if (rc || (rc = parse_day(ctx, "--from", from_s, &from)) ||
	    (rc = parse_day(ctx, "--to", to_s, &to)))
		return rc;
	if (html && !*html)
		return cli_usage(ctx, "--html needs a file name");

	struct kiosk_why why = {{0}};
	struct kiosk_time now;
	struct store *s = NULL;
	struct i18n *tr = NULL;
	struct report r = {0};
	char path[1024];
	if (clock_now(&now, &why) || cli_open_existing(ctx, &s, path, sizeof path, &why) ||
	    i18n_create(&tr, ctx->assets, ctx->lang, &why) ||
	    report_data_load(s, now, from, to, &r, &why)) {
		rc = cli_refuse(ctx, &why);
		goto out;
	}
	const char *store_name = ctx->cfg.store_name[0] ? ctx->cfg.store_name : ctx->cfg.store_id;
	if (html && write_html(html, &r, tr, store_name, &why)) {
		rc = cli_refuse(ctx, &why);
		goto out;
	}
	if (json)
		rc = cli_print_json(report_json(&r, now), true);
	else if (!html)
		report_table(&r, tr, store_name, now);
	else
		printf("%s\n", html);
out:
	report_free(&r);
	i18n_destroy(tr);
	store_close(s);
	return rc;
}
