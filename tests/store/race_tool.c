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
 *   race_tool session DB        one long-lived handle, as a kiosk holds:
 *                               for each line "read" on stdin it reads the
 *                               fixture receipt and prints "ok" or the
 *                               error's name ("EIO", "EBUSY")
 *   race_tool idhash DB INI     where the kiosk would keep the ID key with
 *                               the config INI: the path, or the refusal
 *   race_tool kiosk DB INI N RECEIPT [RETURN_LINE]
 *                               a kiosk with the offline journal of INI: N
 *                               fault reports about line 1 of RECEIPT (the
 *                               first a return of RETURN_LINE instead, when
 *                               given), through the kiosk's own use case
 *                               (offline_register: the chain, or the journal
 *                               when the chain cannot be reached), one every
 *                               RACE_DELAY_MS; prints one line per
 *                               acknowledged case: "CASE_ID online|offline
 *                               OUTCOME TOKEN" (TOKEN: the code's token, as
 *                               the case receipt prints it)
 *   race_tool follow DB INI CASE_ID TOKEN
 *                               a customer follows a case at a kiosk with the
 *                               offline journal of INI (offline_case_home, as
 *                               kiosk run does): prints "chain|journal STATE"
 *
 * Every run reads the same assets (KIOSK_ASSETS) and KIOSK_NOW clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/policy.h"
#include "services/case_register.h"
#include "services/id_hash.h"
#include "services/offline.h"
#include "services/visit.h"
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

static int session(const char *db)
{
	struct store *s = NULL;
	struct kiosk_why why = {""};
	if (store_open(&s, db, &why)) {
		fprintf(stderr, "race_tool: %s\n", why.text);
		return 1;
	}
	char line[64];
	while (fgets(line, sizeof line, stdin)) {
		struct receipt r;
		int rc = store_receipt_get(s, RECEIPT, &r, &why);
		if (!rc)
			receipt_free(&r);
		printf("%s\n", rc == 0 ? "ok" : rc == KIOSK_EIO ? "EIO" : rc == KIOSK_EBUSY ? "EBUSY"
				: why.text);
		fflush(stdout);
	}
	store_close(s);
	return 0;
}

static int idhash(const char *db, const char *ini)
{
	struct kiosk_config cfg;
	struct kiosk_why why = {""};
	char path[4096];
	if (config_load(&cfg, paths_assets_dir(), ini, &why)) {
		fprintf(stderr, "race_tool: %s\n", why.text);
		return 1;
	}
	int rc = id_hash_key_path(&cfg, db, path, sizeof path, &why);
	puts(rc ? why.text : path);
	config_destroy(&cfg);
	return 0;
}

static int kiosk(const char *db, const char *ini, int n, const char *receipt, int return_line)
{
	struct kiosk_config cfg;
	struct policy p;
	struct i18n *t = NULL;
	struct offline *o = NULL;
	struct store *s = NULL;
	struct kiosk_why why = {""};
	const char *delay = getenv("RACE_DELAY_MS");
	long delay_ms = delay ? atol(delay) : 0;
	struct timespec gap = {delay_ms / 1000, delay_ms % 1000 * 1000000L};
	if (config_load(&cfg, paths_assets_dir(), ini, &why) || policy_load(&p, &cfg, &why) ||
	    i18n_create(&t, paths_assets_dir(), "en", &why) ||
	    offline_open(&o, &cfg, paths_assets_dir(), &why)) {
		fprintf(stderr, "race_tool: %s\n", why.text);
		return 1;
	}
	if (store_open(&s, db, &why)) /* a kiosk starts without its chain too */
		s = NULL;
	for (int i = 0; i < n; i++) {
		bool ret = i == 0 && return_line > 0;
		struct case_line line = {ret ? return_line : 1, "", "", 1, 0, "", ret ? REASON_CHANGED_MIND : REASON_FAULTY,
					 ret ? COND_UNOPENED : COND_FAULTY};
		struct case_request req = {.kind = ret ? CASE_RETURN : CASE_FAULT,
					   .receipt_id = receipt,
					   .n_lines = 1,
					   .lines = &line,
					   .product = ret ? NULL : "Vattenkokare",
					   .customer_text = ret ? NULL : "Den slutade fungera."};
		struct kiosk_time now;
		struct case_record c = {0};
		char token[CASE_TOKEN_HEX + 1];
		bool off = false;
		if (i && delay_ms > 0)
			nanosleep(&gap, NULL);
		if (clock_now(&now, &why) ||
		    offline_register(s, o, &p, t, &req, now, &c, token, &off, &why)) {
			fprintf(stderr, "race_tool: not registered: %s\n", why.text);
			continue;
		}
		printf("%s %s %s %s\n", c.case_id, off ? "offline" : "online",
		       case_outcome_name(c.decision.outcome), token);
		fflush(stdout);
		case_record_free(&c);
	}
	store_close(s);
	offline_close(o);
	i18n_destroy(t);
	config_destroy(&cfg);
	return 0;
}

static int follow(const char *db, const char *ini, const char *case_id, const char *token)
{
	struct kiosk_config cfg;
	struct offline *o = NULL;
	struct store *chain = NULL, *s = NULL;
	struct kiosk_why why = {""};
	struct kiosk_time now;
	struct case_record c = {0};
	struct case_event events[16];
	int n = 0, rc = config_load(&cfg, paths_assets_dir(), ini, &why);
	if (!rc && !(rc = offline_open(&o, &cfg, paths_assets_dir(), &why))) {
		if (store_open(&chain, db, &why))
			chain = NULL;
		if (!(rc = clock_now(&now, &why)) &&
		    !(rc = offline_case_home(chain, o, case_id, &s, &why)) &&
		    !(rc = s ? 0 : kiosk_fail(&why, KIOSK_EIO, "the chain is not connected")) &&
		    !(rc = visit_follow_case(s, case_id, token, now, &c, events, 16, &n, &why)))
			printf("%s %s\n", s == chain ? "chain" : "journal", case_state_name(c.state));
	}
	if (rc)
		fprintf(stderr, "race_tool: not followed: %s\n", why.text);
	case_record_free(&c);
	store_close(chain);
	offline_close(o);
	config_destroy(&cfg);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "kiosk"))
		return kiosk(argv[2], argv[3], atoi(argv[4]), argv[5], argc == 7 ? atoi(argv[6]) : 0);
	if (argc == 6 && !strcmp(argv[1], "follow"))
		return follow(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 3 && !strcmp(argv[1], "session"))
		return session(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "idhash"))
		return idhash(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "register"))
		return registrations(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "login"))
		return login(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: race_tool register DB N | login DB CARD PIN | session DB |"
			" idhash DB INI | kiosk DB INI N RECEIPT [LINE] | follow DB INI CASE_ID TOKEN\n");
	return 2;
}
