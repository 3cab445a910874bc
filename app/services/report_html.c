/* The service report as one self-contained HTML page a store manager can
 * open anywhere: no scripts, no external files, styles inline, charts as
 * inline SVG bars. Every figure sits in an element with a stable id and a
 * data-value (the raw number), so a program can read the page back too.
 * Every piece of text from the database (override reasons, case numbers)
 * is HTML-escaped: staff type the reasons. */
#include <stdio.h>
#include <string.h>

#include "services/report_data.h"

#define T(k) i18n_get(tr, "report." k)

static void put_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const char *named(const struct i18n *tr, const char *prefix, const char *name)
{
	char key[64];
	snprintf(key, sizeof key, "%s%s", prefix, name);
	return i18n_get(tr, key);
}

/* <tr><th>label</th><td id=ID data-value=V>text</td></tr> */
static void fig_row(FILE *f, const char *label, const char *id, const char *value,
		    const char *text)
{
	fputs("<tr><th>", f);
	put_esc(f, label);
	fprintf(f, "</th><td id=\"%s\" data-value=\"%s\">", id, value);
	put_esc(f, text);
	fputs("</td></tr>\n", f);
}

static void fig_count(FILE *f, const char *label, const char *id, int n)
{
	char v[24];
	snprintf(v, sizeof v, "%d", n);
	fig_row(f, label, id, v, v);
}

static void fig_share(FILE *f, const struct i18n *tr, const char *label, const char *id,
		      int num, int den)
{
	char v[32], text[96];
	snprintf(v, sizeof v, "%.4f", report_share(num, den));
	snprintf(text, sizeof text, "%d %s %d (%.0f %%)", num, T("of"), den,
		 report_share(num, den) * 100.0);
	fig_row(f, label, id, v, text);
}

static void fig_secs(FILE *f, const struct i18n *tr, const char *label, const char *id,
		     struct report_secs s)
{
	char v[24], text[64];
	if (s.has) {
		snprintf(v, sizeof v, "%lld", (long long)s.secs);
		report_format_secs(tr, s.secs, text, sizeof text);
	} else {
		snprintf(v, sizeof v, "null");
		snprintf(text, sizeof text, "%s", T("none"));
	}
	fig_row(f, label, id, v, text);
}

/* Horizontal bars, one per (label, value); widths scaled to the largest. */
struct bar {
	const char *label;
	double value;
	const char *text; /* shown after the bar */
	const char *colour;
};

static void svg_bars(FILE *f, const char *title, const struct bar *bars, int n)
{
	const int row = 28, label_w = 260, bar_w = 360, h = n * row + 10;
	double max = 0;
	for (int i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "role=\"img\" aria-label=\"", label_w + bar_w + 120, h);
	put_esc(f, title);
	fputs("\">\n", f);
	for (int i = 0; i < n; i++) {
		int y = 5 + i * row;
		int w = max > 0 ? (int)(bars[i].value / max * bar_w + 0.5) : 0;
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w - 8, y + 18);
		put_esc(f, bars[i].label);
		fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"%s\"/>",
			label_w, y + 3, w, bars[i].colour);
		fprintf(f, "<text x=\"%d\" y=\"%d\">", label_w + w + 6, y + 18);
		put_esc(f, bars[i].text);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}

static void chart_outcomes(FILE *f, const struct report *r, const struct i18n *tr)
{
	static const char *const colours[2] = {"#2f6f9f", "#c46b1c"};
	struct bar bars[2 * OUTCOME_COUNT];
	char texts[2 * OUTCOME_COUNT][16], labels[2 * OUTCOME_COUNT][160];
	int n = 0;
	for (int k = CASE_RETURN; k <= CASE_FAULT; k++)
		for (int o = 0; o < OUTCOME_COUNT; o++) {
			if (!r->by_kind_outcome[k][o])
				continue;
			snprintf(labels[n], sizeof labels[n], "%s: %s",
				 named(tr, "counter.kind_", case_kind_name(k)),
				 named(tr, "counter.outcome_", case_outcome_name(o)));
			snprintf(texts[n], sizeof texts[n], "%d", r->by_kind_outcome[k][o]);
			bars[n] = (struct bar){labels[n], r->by_kind_outcome[k][o], texts[n],
					       colours[k]};
			n++;
		}
	svg_bars(f, T("chart_kinds"), bars, n);
}

static void chart_times(FILE *f, const struct report *r, const struct i18n *tr)
{
	const struct {
		const char *key;
		struct report_secs v;
	} rows[] = {
		{"report.resolve_median", r->resolve_median},
		{"report.resolve_p90", r->resolve_p90},
		{"report.call_wait_median", r->call_wait_median},
		{"report.call_wait_worst", r->call_wait_worst},
	};
	struct bar bars[4];
	char texts[4][64];
	int n = 0;
	for (int i = 0; i < 4; i++) {
		if (!rows[i].v.has)
			continue;
		report_format_secs(tr, rows[i].v.secs, texts[n], sizeof texts[n]);
		bars[n] = (struct bar){i18n_get(tr, rows[i].key), (double)rows[i].v.secs, texts[n],
				       i < 2 ? "#2f6f9f" : "#7a4f9f"};
		n++;
	}
	svg_bars(f, T("chart_waits"), bars, n);
}

static const char style[] =
	"body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:2em;max-width:60em;color:#222}"
	"h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse}th,td{padding:.25em .8em;text-align:left}"
	"th{font-weight:normal;color:#555}td{font-weight:bold}"
	"svg text{font:14px system-ui,'DejaVu Sans',sans-serif}";

int report_html_write(FILE *f, const struct report *r, const struct i18n *tr,
		      const char *store_name, struct kiosk_why *why)
{
	char from[16] = "…", to[16] = "…";
	if (r->from_day)
		date_format(r->from_day, from, sizeof from);
	if (r->to_day)
		date_format(r->to_day, to, sizeof to);
	char today[16];
	date_format(r->today, today, sizeof today);

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<title>", i18n_lang(tr));
	put_esc(f, T("title"));
	fputs(" – ", f);
	put_esc(f, store_name);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
	put_esc(f, T("title"));
	fputs(" – ", f);
	put_esc(f, store_name);
	fputs("</h1>\n<table>\n", f);
	fig_row(f, T("as_of"), "as_of", today, today);
	if (r->from_day || r->to_day) {
		char p[48];
		snprintf(p, sizeof p, "%s – %s", from, to);
		fig_row(f, T("period"), "period", p, p);
	} else {
		fig_row(f, T("period"), "period", "", T("period_all"));
	}
	fputs("</table>\n", f);

	fputs("<h2>", f);
	put_esc(f, T("section_cases"));
	fputs("</h2>\n<table>\n", f);
	for (int k = CASE_RETURN; k <= CASE_FAULT; k++) {
		char id[48];
		snprintf(id, sizeof id, "cases_%s", case_kind_name(k));
		fig_count(f, named(tr, "counter.kind_", case_kind_name(k)), id, r->by_kind[k]);
		for (int o = 0; o < OUTCOME_COUNT; o++) {
			if (!r->by_kind_outcome[k][o])
				continue;
			char label[160];
			snprintf(id, sizeof id, "cases_%s_%s", case_kind_name(k),
				 case_outcome_name(o));
			snprintf(label, sizeof label, "– %s",
				 named(tr, "counter.outcome_", case_outcome_name(o)));
			fig_count(f, label, id, r->by_kind_outcome[k][o]);
		}
	}
	fig_count(f, T("total"), "cases_total", r->n_cases);
	fputs("</table>\n", f);
	chart_outcomes(f, r, tr);

	fputs("<h2>", f);
	put_esc(f, T("section_resolution"));
	fputs("</h2>\n<table>\n", f);
	fig_share(f, tr, T("resolved"), "resolved", r->n_resolved, r->n_cases);
	fig_share(f, tr, T("resolved_kiosk"), "share_resolved_at_kiosk", r->n_resolved_kiosk,
		  r->n_cases);
	fig_secs(f, tr, T("resolve_median"), "median_seconds", r->resolve_median);
	fig_secs(f, tr, T("resolve_p90"), "p90_seconds", r->resolve_p90);
	fputs("</table>\n", f);
	chart_times(f, r, tr);

	fputs("<h2>", f);
	put_esc(f, T("section_promises"));
	fputs("</h2>\n<table>\n", f);
	fig_share(f, tr, T("promise_met"), "share_met", r->promise_met, r->promise_due);
	fig_count(f, T("overdue_now"), "overdue_count", r->n_overdue);
	fputs("</table>\n", f);
	if (r->n_overdue) {
		fprintf(f, "<table id=\"overdue_now\">\n<tr><th>%s</th><th>%s</th><th>%s</th>"
			   "<th>%s</th></tr>\n", T("case"), T("promised"), T("days_late"),
			T("state"));
		for (int i = 0; i < r->n_overdue; i++) {
			char day[16];
			date_format(r->overdue[i].promised_day, day, sizeof day);
			fputs("<tr><td class=\"case\">", f);
			put_esc(f, r->overdue[i].case_id);
			fprintf(f, "</td><td>%s</td><td>%d</td><td>", day, r->overdue[i].days_late);
			put_esc(f, named(tr, "counter.state_", case_state_name(r->overdue[i].state)));
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
	} else {
		fputs("<p>", f);
		put_esc(f, T("overdue_none"));
		fputs("</p>\n", f);
	}

	fputs("<h2>", f);
	put_esc(f, T("section_overrides"));
	fputs("</h2>\n<table>\n", f);
	fig_share(f, tr, T("override_rate"), "override_rate", r->n_overridden, r->n_cases);
	fputs("</table>\n", f);
	if (r->n_reasons) {
		fprintf(f, "<table id=\"override_reasons\">\n<tr><th>%s</th><th>%s</th></tr>\n",
			T("count"), T("reason"));
		for (int i = 0; i < r->n_reasons; i++) {
			fprintf(f, "<tr><td>%d</td><td class=\"reason\">", r->reasons[i].count);
			put_esc(f, r->reasons[i].text);
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
	}

	fputs("<h2>", f);
	put_esc(f, T("section_calls"));
	fputs("</h2>\n<table>\n", f);
	fig_count(f, T("calls"), "calls_total", r->n_calls);
	fig_count(f, T("calls_open"), "calls_open", r->n_calls_open);
	fig_secs(f, tr, T("call_wait_median"), "wait_median_seconds", r->call_wait_median);
	fig_secs(f, tr, T("call_wait_worst"), "wait_worst_seconds", r->call_wait_worst);
	fputs("</table>\n", f);

	fputs("<h2>", f);
	put_esc(f, T("section_visits"));
	fputs("</h2>\n<table>\n", f);
	fig_count(f, T("views"), "views", r->n_views);
	fig_count(f, T("cases_viewed"), "cases_viewed", r->n_cases_viewed);
	char v[32];
	snprintf(v, sizeof v, "%.2f", report_share(r->n_views, r->n_cases));
	fig_row(f, T("views_per_case"), "per_case", v, v);
	fputs("</table>\n</body>\n</html>\n", f);

	if (ferror(f))
		return kiosk_fail(why, KIOSK_EIO, "Writing the report page failed.");
	return 0;
}
