/* See money.h. */
#include "domain/money.h"

#include <stdio.h>
#include <string.h>

void money_format(const struct i18n *t, int64_t minor, const char *currency, char *buf,
		  size_t len)
{
	char units[24], cents[4], key[48];
	const char *sign = minor < 0 ? "-" : "";
	uint64_t a = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	snprintf(units, sizeof units, "%s%llu", sign, (unsigned long long)(a / 100));
	snprintf(cents, sizeof cents, "%02u", (unsigned)(a % 100));
	snprintf(key, sizeof key, "money.currency_%.8s", currency ? currency : "");
	const char *cur = i18n_get(t, key);
	if (!strcmp(cur, key))
		cur = currency ? currency : "";
	const char *kv[] = {"units", units, "cents", cents, "currency", cur, NULL};
	i18n_fill(buf, len, i18n_get(t, "money.format"), kv);
}
