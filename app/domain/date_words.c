#include "domain/date_words.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"

void date_words_day(const struct i18n *t, int64_t day, char *buf, size_t len)
{
	int y, m, d;
	char ys[8], ds[4], mk[16];
	date_civil_from_days(day, &y, &m, &d);
	snprintf(ys, sizeof ys, "%d", y);
	snprintf(ds, sizeof ds, "%d", d);
	snprintf(mk, sizeof mk, "ui.month_%d", m);
	const char *kv[] = {"d", ds, "month", i18n_get(t, mk), "y", ys, NULL};
	i18n_fill(buf, len, i18n_get(t, "ui.date"), kv);
}

int date_words_text(const struct i18n *t, const char *src, char *buf, size_t len)
{
	size_t w = 0;
	int n = 0;
	if (!len)
		return 0;
	for (const char *p = src; *p && w + 1 < len;) {
		int64_t day;
		char iso[11];
		bool digits = true;
		for (int i = 0; i < 10 && digits; i++)
			digits = p[i] && (i == 4 || i == 7 ? p[i] == '-' : (p[i] >= '0' && p[i] <= '9'));
		if (digits) {
			memcpy(iso, p, 10);
			iso[10] = 0;
		}
		if (digits && date_parse(iso, &day) == 0) {
			char words[64];
			date_words_day(t, day, words, sizeof words);
			w += (size_t)snprintf(buf + w, len - w, "%s", words);
			if (w >= len)
				w = len - 1;
			p += 10;
			n++;
		} else {
			buf[w++] = *p++;
		}
	}
	buf[w] = 0;
	return n;
}

void date_words_next_step(const struct i18n *t, const char *step, int64_t day, char *buf,
			  size_t len)
{
	char words[600];
	int dated = date_words_text(t, step, words, sizeof words);
	if (day > 0 && !dated) {
		char d[64];
		date_words_day(t, day, d, sizeof d);
		const char *kv[] = {"step", words, "date", d, NULL};
		i18n_fill(buf, len, i18n_get(t, "ui.next_step_by"), kv);
	} else {
		snprintf(buf, len, "%s", words);
	}
}
