/* Unit tests of app/core: dates, ISO times, configuration, translations. */
#include "ktest.h"

#include <stdio.h>
#include "core/config.h"
#include "core/date.h"
#include "core/i18n.h"

static void test_time_parse(void)
{
	static const struct item {
		const char *in;
		int ret;
		const char *out; /* formatted back */
	} data[] = {
		/* 0*/ {"2026-11-23T10:00:00+01:00", 0, "2026-11-23T10:00:00+01:00"},
		/* 1*/ {"2026-11-23T10:00Z", 0, "2026-11-23T10:00:00+00:00"},
		/* 2*/ {"2024-02-29T23:59:59-05:30", 0, "2024-02-29T23:59:59-05:30"},
		/* 3*/ {"2025-02-29T10:00:00+01:00", -1, ""},
		/* 4*/ {"2026-11-23 10:00:00+01:00", -1, ""},
		/* 5*/ {"2026-11-23T10:00:00", -1, ""},
		/* 6*/ {"2026-11-23T24:00:00+01:00", -1, ""},
		/* 7*/ {"2026-11-23T10:00:00.123+0100", 0, "2026-11-23T10:00:00+01:00"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct kiosk_time t;
		char buf[40] = "";
		int ret = time_parse_iso(data[i].in, &t);
		KT_INTEQ(ret, data[i].ret, i);
		if (ret == 0) {
			time_format_iso(t, buf, sizeof buf);
			KT_STREQ(buf, data[i].out, i);
		}
	}
}

static void test_civil_days(void)
{
	KT_INTEQ(date_days_from_civil(1970, 1, 1), 0, 0);
	KT_INTEQ(date_days_from_civil(2000, 3, 1), 11017, 1);
	for (int64_t d = -600000; d < 800000; d += 97) {
		int y, m, dd;
		date_civil_from_days(d, &y, &m, &dd);
		if (date_days_from_civil(y, m, dd) != d || !date_valid(y, m, dd)) {
			KT_CHECK(0, "round trip of day %lld", (long long)d);
			break;
		}
	}
	struct kiosk_time t;
	time_parse_iso("2026-11-23T00:30:00+01:00", &t); /* 23:30 UTC on the 22nd */
	char buf[16];
	date_format(time_local_days(t), buf, sizeof buf);
	KT_STREQ(buf, "2026-11-23", 2);
}

static void test_config(void)
{
	struct kiosk_config cfg = {0};
	struct kiosk_why why = {{0}};
	int rc = config_load(&cfg, getenv("KIOSK_ASSETS"), NULL, &why);
	KT_INTEQ(rc, 0, 0);
	KT_STREQ(cfg.store_id, "0042", 0);
	KT_STREQ(cfg.receipt_code.prefix, "RS", 0);
	KT_INTEQ(cfg.receipt_code.seq_digits, 6, 0);
	rc = config_read_string(&cfg, "[store]\nid = 0099\n[receipt_barcode]\nseq_digits = 8\n", &why);
	KT_INTEQ(rc, 0, 1);
	KT_STREQ(cfg.store_id, "0099", 1);
	KT_INTEQ(cfg.receipt_code.seq_digits, 8, 1);
	long idle = -1;
	KT_INTEQ(config_int(&cfg, "kiosk", "idle_seconds", -1, 1, 3600, &idle, &why), 0, 1);
	KT_INTEQ(idle, 90, 1);
	rc = config_read_string(&cfg, "[receipt_barcode]\nseq_digits = 40\n", &why);
	KT_INTEQ(rc, KIOSK_EINVAL, 2);
	KT_STREQ(why.text, "[receipt_barcode] seq_digits must be a whole number from 1 to 12, not \"40\"",
		 2);
	/* a typo never stands in for the default unsaid */
	rc = config_read_string(&cfg, "[receipt_barcode]\nseq_digits = 8\n[kiosk]\nidle_seconds = 90s\n",
				&why);
	KT_INTEQ(rc, 0, 3);
	KT_INTEQ(config_int(&cfg, "kiosk", "idle_seconds", 90, 1, 3600, &idle, &why), KIOSK_EINVAL, 3);
	KT_STREQ(why.text, "[kiosk] idle_seconds must be a whole number from 1 to 3600, not \"90s\"", 3);
	config_destroy(&cfg);
}

/* Every key in Swedish must exist in English and the other way round. */
static void test_translations_complete(void)
{
	struct i18n *sv = NULL, *en = NULL;
	struct kiosk_why why = {{0}};
	KT_INTEQ(i18n_create(&sv, getenv("KIOSK_ASSETS"), "sv", &why), 0, 0);
	KT_INTEQ(i18n_create(&en, getenv("KIOSK_ASSETS"), "en", &why), 0, 0);
	if (!sv || !en)
		goto out;
	KT_CHECK(i18n_count(sv) > 0, "Swedish texts loaded");
	for (size_t i = 0; i < i18n_count(sv); i++) {
		const char *k = i18n_key_at(sv, i);
		KT_CHECK(i18n_get(en, k) != k, "English lacks %s", k);
	}
	for (size_t i = 0; i < i18n_count(en); i++) {
		const char *k = i18n_key_at(en, i);
		KT_CHECK(i18n_get(sv, k) != k, "Swedish lacks %s", k);
	}
	char buf[64];
	static const char *const kv[] = {"case", "K-1234", "date", "2026-12-07", NULL};
	i18n_fill(buf, sizeof buf, "Ärende {case} klart {date} {other}", kv);
	KT_STREQ(buf, "Ärende K-1234 klart 2026-12-07 {other}", 1);
out:
	i18n_destroy(sv);
	i18n_destroy(en);
}

KT_MAIN(KT_FUNC(test_time_parse), KT_FUNC(test_civil_days), KT_FUNC(test_config),
	KT_FUNC(test_translations_complete))
