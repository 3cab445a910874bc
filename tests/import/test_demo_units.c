/* The demo store through the service API: the PINs the README states log
 * the staff cards in, the case code printed on the sheet really opens its
 * case (the store keeps only the token's hash), every code on the sheet
 * parses as what it claims to be, and seeding twice adds nothing. */
#include "ktest.h"

#include <stdlib.h>
#include <unistd.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/scan.h"
#include "services/demo.h"
#include "store/store.h"

static char dir[] = "/tmp/kiosk-demo-test-XXXXXX";
static char db[256];
static struct kiosk_config cfg;
static struct i18n *tr;
static struct kiosk_time now;

static void setup(void);

/* The tests share one seeded database; any of them may run first (-f). */
static struct store *open_db(void)
{
	struct store *s = NULL;
	if (!tr)
		setup();
	struct kiosk_why why = {{0}};
	if (store_open(&s, db, &why))
		fprintf(stderr, "store_open: %s\n", why.text);
	return s;
}

static void test_seed_twice(void)
{
	struct store *s = open_db();
	struct demo_result r;
	struct kiosk_why why = {{0}};
	KT_INTEQ(demo_seed(s, &cfg, tr, now, &r, &why), 0, 0);
	KT_INTEQ(r.n_new_receipts, r.n_receipts, 0);
	KT_INTEQ(r.n_new_staff, 3, 0);
	KT_INTEQ(r.n_new_cases, 13, 0);
	KT_INTEQ(r.n_new_calls, 3, 0);
	KT_INTEQ(demo_seed(s, &cfg, tr, now, &r, &why), 0, 1);
	KT_INTEQ(r.n_new_receipts, 0, 1);
	KT_INTEQ(r.n_new_staff, 0, 1);
	KT_INTEQ(r.n_new_cases, 0, 1);
	KT_INTEQ(r.n_new_calls, 0, 1);
	KT_INTEQ(r.n_cases, 13, 1);
	store_close(s);
}

/* The README's demo PINs. */
static void test_staff_pins(void)
{
	static const struct item {
		const char *card;
		const char *pin;
		int ret;
		const char *name;
	} data[] = {
		/* 0*/ {"KS1:S001", "1397", 0, "Anna Lindqvist"},
		/* 1*/ {"KS1:S002", "2580", 0, "Erik Johansson"},
		/* 2*/ {"KS1:S003", "4682", 0, "Fatima Hassan"},
		/* 3*/ {"KS1:S001", "2580", KIOSK_EDENIED, ""},
	};
	struct store *s = open_db();
	struct demo_result r;
	struct kiosk_why why0 = {{0}};
	KT_INTEQ(demo_seed(s, &cfg, tr, now, &r, &why0), 0, 0);
	for (int i = 0; s && i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct staff_record rec = {0};
		struct kiosk_why why = {{0}};
		int ret = store_staff_login(s, data[i].card, data[i].pin, now, &rec, &why);
		KT_INTEQ(ret, data[i].ret, i);
		if (!ret)
			KT_STREQ(rec.name, data[i].name, i);
	}
	store_close(s);
}

/* Every code on the sheet is what it says, and the case code's token
 * matches the stored hash. */
static void test_sheet_codes(void)
{
	struct store *s = open_db();
	struct demo_result r;
	struct kiosk_why why = {{0}};
	KT_INTEQ(demo_seed(s, &cfg, tr, now, &r, &why), 0, 0);
	static const enum scan_kind want[] = {
		[DEMO_CODE_RECEIPT] = SCAN_RECEIPT, [DEMO_CODE_CASE] = SCAN_CASE,
		[DEMO_CODE_STAFF] = SCAN_STAFF, [DEMO_CODE_MRZ] = SCAN_ID_DOCUMENT};
	int seen[4] = {0};
	for (int i = 0; i < r.n_codes; i++) {
		const struct demo_code *c = &r.codes[i];
		struct scan_result sr;
		scan_parse((const uint8_t *)c->payload, strlen(c->payload), &cfg.receipt_code,
			   time_local_days(now), &sr);
		KT_CHECK(sr.valid && sr.kind == want[c->kind], "i:%d %s: %s", i, c->payload, sr.error);
		KT_CHECK(c->caption[0] && !strstr(c->caption, "demo."), "i:%d caption '%s'", i,
			 c->caption);
		seen[c->kind]++;
		if (c->kind == DEMO_CODE_RECEIPT) {
			struct receipt rc;
			KT_INTEQ(store_receipt_get(s, c->payload, &rc, &why), 0, i);
			receipt_free(&rc);
		}
		if (c->kind == DEMO_CODE_CASE && sr.valid) {
			KT_INTEQ(store_case_check_token(s, sr.u.case_code.case_id, sr.u.case_code.token,
							&why), 0, i);
			KT_INTEQ(store_case_check_token(s, sr.u.case_code.case_id, "0123456789abcdef",
							&why), KIOSK_EDENIED, i);
		}
		if (c->kind == DEMO_CODE_MRZ)
			KT_CHECK(!sr.u.id.expired, "i:%d the specimen ID card is not expired", i);
	}
	KT_INTEQ(seen[DEMO_CODE_RECEIPT], 6, 0);
	KT_INTEQ(seen[DEMO_CODE_CASE], 1, 0);
	KT_INTEQ(seen[DEMO_CODE_STAFF], 2, 0);
	KT_INTEQ(seen[DEMO_CODE_MRZ], 1, 0);
	store_close(s);
}

static void setup(void)
{
	struct kiosk_why why = {{0}};
	if (!mkdtemp(dir) || config_load(&cfg, paths_assets_dir(), NULL, &why) ||
	    i18n_create(&tr, paths_assets_dir(), "sv", &why) ||
	    time_parse_iso("2026-11-23T10:00:00+01:00", &now)) {
		fprintf(stderr, "setup: %s\n", why.text);
		exit(1);
	}
	snprintf(db, sizeof db, "%s/kiosk.db", dir);
}

static void test_cleanup(void)
{
	if (!tr)
		return;
	char p[300];
	static const char *const files[] = {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "kiosk.db-writers", "kiosk.key"};
	for (size_t i = 0; i < KT_ARRAY_SIZE(files); i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	KT_INTEQ(rmdir(dir), 0, 0);
	i18n_destroy(tr);
	config_destroy(&cfg);
}

KT_MAIN(KT_FUNC(test_seed_twice), KT_FUNC(test_staff_pins),
	KT_FUNC(test_sheet_codes), KT_FUNC(test_cleanup))
