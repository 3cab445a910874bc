/* One of many processes racing on one database, for tests/store/test_races.py.
 *
 *   race_tool register DB N     N registrations, alternating a no-receipt
 *                               return for one ID (store credit, 600.00 of a
 *                               1000.00 limit) and a return of one kettle
 *                               bought once on the fixture receipt; prints
 *                               one line per acknowledged case:
 *                               "CASE_ID OUTCOME AMOUNT_MINOR KIND"
 *   race_tool login DB CARD PIN one staff login; prints "ok", "wrong" or
 *                               "locked"
 *
 * Every run reads the same assets (KIOSK_ASSETS) and KIOSK_NOW clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/policy.h"
#include "services/case_register.h"
#include "store/store.h"

#define RECEIPT "RS004200320261122001234"
/* HMAC of one ID document: only its form matters to the store. */
#define ID_HASH "5f1c0a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdde"

static int registrations(const char *db, int n)
{
	struct kiosk_config cfg;
	struct policy p;
	struct i18n *t = NULL;
	struct store *s = NULL;
	struct kiosk_why why = {""};
	int rc = config_load(&cfg, paths_assets_dir(), NULL, &why);
	if (rc || (rc = policy_load(&p, &cfg, &why)) ||
	    (rc = i18n_create(&t, paths_assets_dir(), "en", &why)) ||
	    (rc = store_open(&s, db, &why))) {
		fprintf(stderr, "race_tool: %s\n", why.text);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		bool credit = i % 2 == 0;
		struct case_line line = {credit ? 0 : 1, "", "Lampa", 1, 60000, "electronics",
					 REASON_CHANGED_MIND, COND_UNOPENED};
		struct case_request req = {.kind = CASE_RETURN,
					   .receipt_id = credit ? NULL : RECEIPT,
					   .id_hash = credit ? ID_HASH : NULL,
					   .n_lines = 1,
					   .lines = &line,
					   .product = credit ? "Lampa" : NULL};
		struct kiosk_time now;
		struct case_record c = {0};
		char token[CASE_TOKEN_HEX + 1];
		if (clock_now(&now, &why) ||
		    case_register(s, &p, t, &req, now, &c, token, &why)) {
			/* a refusal (the kettle already returned) or busy: not acknowledged */
			fprintf(stderr, "race_tool: %s not registered: %s\n",
				credit ? "credit" : "kettle", why.text);
			continue;
		}
		printf("%s %s %lld %s\n", c.case_id, case_outcome_name(c.decision.outcome),
		       (long long)c.decision.amount, credit ? "credit" : "kettle");
		fflush(stdout);
		case_record_free(&c);
	}
	store_close(s);
	i18n_destroy(t);
	config_destroy(&cfg);
	return 0;
}

static int login(const char *db, const char *card, const char *pin)
{
	struct store *s = NULL;
	struct kiosk_why why = {""};
	struct kiosk_time now;
	struct staff_record who;
	if (store_open(&s, db, &why) || clock_now(&now, &why)) {
		fprintf(stderr, "race_tool: %s\n", why.text);
		return 1;
	}
	int rc = store_staff_login(s, card, pin, now, &who, &why);
	puts(rc == 0 ? "ok" : rc == KIOSK_EDENIED ? "wrong" : rc == KIOSK_EBUSY ? "locked" : why.text);
	store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "register"))
		return registrations(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "login"))
		return login(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: race_tool register DB N | race_tool login DB CARD PIN\n");
	return 2;
}
