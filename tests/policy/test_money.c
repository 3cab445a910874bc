/* Money as the customer reads it and as the store's files write it:
 * policy_parse_money (the store's config, the POS files) and money_format
 * in both languages' forms (assets/lang/LANG/common.ini). */
#include "ktest.h"

#include <stdio.h>
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/money.h"
#include "domain/policy.h"

static void test_money(void)
{
	struct i18n *sv = NULL, *en = NULL;
	struct kiosk_why why = {""};
	if (i18n_create(&sv, paths_assets_dir(), "sv", &why) ||
	    i18n_create(&en, paths_assets_dir(), "en", &why)) {
		KT_CHECK(0, "cannot load the languages: %s", why.text);
		goto out;
	}
	static const struct item {
		const char *in;
		int ret;
		int64_t minor;
		const char *sv, *en;
	} data[] = {
		/* 0*/ {"1000.00", 0, 100000, "1\u00a0000 kr", "SEK 1,000"},
		/* 1*/ {"1000", 0, 100000, "1\u00a0000 kr", "SEK 1,000"},
		/* 2*/ {"0.5", 0, 50, "0,50 kr", "SEK 0.50"},
		/* 3*/ {"0.05", 0, 5, "0,05 kr", "SEK 0.05"},
		/* 4*/ {"1.234", -1, 0, "", ""},
		/* 5*/ {"", -1, 0, "", ""},
		/* 6*/ {"-1", -1, 0, "", ""},
		/* 7*/ {"1,00", -1, 0, "", ""},
		/* 8*/ {".5", -1, 0, "", ""},
		/* 9*/ {"1.", -1, 0, "", ""},
		/*10*/ {"99999999999999999999", -1, 0, "", ""},
		/*11*/ {"1e3", -1, 0, "", ""},
		/* whole amounts without ",00", thousands grouped, never broken */
		/*12*/ {"1997", 0, 199700, "1\u00a0997 kr", "SEK 1,997"},
		/*13*/ {"1234567.89", 0, 123456789, "1\u00a0234\u00a0567,89 kr", "SEK 1,234,567.89"},
		/*14*/ {"999", 0, 99900, "999 kr", "SEK 999"},
		/*15*/ {"0", 0, 0, "0 kr", "SEK 0"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		int64_t m = -42;
		char buf[64];
		int ret = policy_parse_money(data[i].in, &m);
		KT_INTEQ(ret, data[i].ret, i);
		if (ret) {
			KT_INTEQ(m, -42, i);
			continue;
		}
		KT_INTEQ(m, data[i].minor, i);
		money_format(sv, m, "SEK", buf, sizeof buf);
		KT_STREQ(buf, data[i].sv, i);
		money_format(en, m, "SEK", buf, sizeof buf);
		KT_STREQ(buf, data[i].en, i);
	}
	char buf[64];
	money_format(sv, 1999, "EUR", buf, sizeof buf);
	KT_STREQ(buf, "19,99 EUR", 100);
	money_format(sv, -123400, "SEK", buf, sizeof buf);
	KT_STREQ(buf, "-1\u00a0234 kr", 101);
	money_format(en, -123400, "SEK", buf, sizeof buf);
	KT_STREQ(buf, "SEK -1,234", 102);
out:
	i18n_destroy(sv);
	i18n_destroy(en);
}

KT_MAIN(KT_FUNC(test_money))
