/* See money.h. */
#include "domain/money.h"

#include <stdio.h>
#include <string.h>

/* The language's word for key, or NULL when it has none. */
static const char *word(const struct i18n *t, const char *key)
{
	const char *w = i18n_get(t, key);
	return strcmp(w, key) ? w : NULL;
}

/* "1997" as "1 997": groups of three with the language's separator. */
static void grouped(uint64_t units, const char *sep, char *out, size_t len)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)units);
	size_t at = 0, sl = sep ? strlen(sep) : 0;
	for (int i = 0; i < n && at + sl + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0 && sl) {
			memcpy(out + at, sep, sl);
			at += sl;
		}
		out[at++] = digits[i];
	}
	out[at] = '\0';
}

void money_format(const struct i18n *t, int64_t minor, const char *currency, char *buf,
		  size_t len)
{
	char units[48], digits[40], cents[4], key[48];
	uint64_t a = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	grouped(a / 100, word(t, "money.thousands"), digits, sizeof digits);
	snprintf(units, sizeof units, "%s%s", minor < 0 ? "-" : "", digits);
	snprintf(cents, sizeof cents, "%02u", (unsigned)(a % 100));
	snprintf(key, sizeof key, "money.currency_%.8s", currency ? currency : "");
	const char *cur = word(t, key);
	if (!cur)
		cur = currency ? currency : "";
	/* whole kronor are said without ",00" where the language says so */
	const char *form = a % 100 == 0 && word(t, "money.format_whole")
				   ? word(t, "money.format_whole")
				   : i18n_get(t, "money.format");
	const char *kv[] = {"units", units, "cents", cents, "currency", cur, NULL};
	i18n_fill(buf, len, form, kv);
}
