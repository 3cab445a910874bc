/* Staff login through the store (issue 7): five wrong PINs lock the card
 * for five minutes, a locked card refuses even the right PIN, the lock
 * ends on time, a disabled member cannot log in, and every attempt is an
 * audit-log row. A real SQLite file in a temporary folder. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktest.h"
#include "store/store.h"

static char db_path[256];

static struct kiosk_time at(int64_t s)
{
	/* 2026-11-23T10:00:00+01:00 plus s seconds */
	struct kiosk_time t = {1795424400 + s, 60};
	return t;
}

/* Audit rows whose actor and action match (read straight from the file:
 * the store has no reader for the log, by design). */
static int audit_count(const char *actor, const char *detail_like)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int n = -1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
			       "SELECT COUNT(*) FROM audit_log WHERE actor = ? AND detail LIKE ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, detail_like, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void test_lockout(void)
{
	struct kiosk_why why = {{0}};
	struct store *s = NULL;
	struct staff_record a, b, got;
	char dir[] = "/tmp/kiosk-counter-login-XXXXXX";
	if (!mkdtemp(dir)) {
		KT_CHECK(0, "mkdtemp failed");
		return;
	}
	snprintf(db_path, sizeof db_path, "%s/kiosk.db", dir);
	KT_CHECK(store_open(&s, db_path, &why) == 0, "open: %s", why.text);
	if (!s)
		return;
	KT_CHECK(store_staff_add(s, "Anna Berg", ROLE_MANAGER, "2580", at(0), &a, &why) == 0,
		 "add a: %s", why.text);
	KT_CHECK(store_staff_add(s, "Björn Ek", ROLE_STAFF, "1397", at(0), &b, &why) == 0,
		 "add b: %s", why.text);

	static const struct item {
		const char *card;
		const char *pin;
		int64_t t;        /* seconds after 10:00 */
		int want;
	} data[] = {
		/*  0*/ {"KS1:S001", "2580", 10, 0},               /* right PIN */
		/*  1*/ {"KS1:S001", "0000", 20, KIOSK_EDENIED},   /* wrong 1 */
		/*  2*/ {"KS1:S001", "2580", 30, 0},               /* right PIN resets the count */
		/*  3*/ {"KS1:S001", "1111", 40, KIOSK_EDENIED},   /* wrong 1 */
		/*  4*/ {"KS1:S001", "1112", 41, KIOSK_EDENIED},   /* wrong 2 */
		/*  5*/ {"KS1:S001", "1113", 42, KIOSK_EDENIED},   /* wrong 3 */
		/*  6*/ {"KS1:S001", "1114", 43, KIOSK_EDENIED},   /* wrong 4 */
		/*  7*/ {"KS1:S001", "1115", 44, KIOSK_EBUSY},     /* wrong 5: locked till 10:05:44 */
		/*  8*/ {"KS1:S001", "2580", 60, KIOSK_EBUSY},     /* locked: even the right PIN */
		/*  9*/ {"KS1:S002", "1397", 61, 0},               /* another card is not locked */
		/* 10*/ {"KS1:S001", "2580", 343, KIOSK_EBUSY},    /* 10:05:43 still locked */
		/* 11*/ {"KS1:S001", "2580", 345, 0},              /* 10:05:45 the lock is over */
		/* 12*/ {"KS1:S009", "2580", 350, KIOSK_EDENIED},  /* unknown card */
		/* 13*/ {"KS1:S001", "", 351, KIOSK_EDENIED},      /* no PIN */
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		memset(&why, 0, sizeof why);
		int rc = store_staff_login(s, data[i].card, data[i].pin, at(data[i].t), &got, &why);
		KT_INTEQ(rc, data[i].want, i);
		if (data[i].want == 0)
			KT_STREQ(got.card_code, data[i].card, i);
		else
			KT_CHECK(why.text[0] != '\0', "i:%d a refusal has a reason", i);
	}
	memset(&why, 0, sizeof why);
	KT_INTEQ(store_staff_login(s, "KS1:S001", "1", at(400), &got, &why), KIOSK_EDENIED, 0);

	/* disabled: the right PIN no longer opens the counter */
	KT_CHECK(store_staff_disable(s, "S002", at(500), &why) == 0, "disable: %s", why.text);
	memset(&why, 0, sizeof why);
	KT_INTEQ(store_staff_login(s, "KS1:S002", "1397", at(510), &got, &why), KIOSK_EDENIED, 0);
	KT_STREQ(why.text, "This staff card has been disabled.", 0);
	store_close(s);

	/* every attempt on card S001 left an audit row: rows 0-8, 10-11, 13
	 * and the short PIN = 13; rows 0, 2 and 11 succeeded */
	KT_INTEQ(audit_count("staff:S001", "%"), 13, 0);
	KT_INTEQ(audit_count("staff:S001", "ok"), 3, 0);
	KT_INTEQ(audit_count("staff:unknown", "%"), 1, 0);
	KT_INTEQ(audit_count("staff:S002", "%"), 2, 0);

	kt_db_remove(dir, db_path);
}

KT_MAIN(KT_FUNC(test_lockout))
