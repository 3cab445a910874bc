/* Staff and calls: adding staff (PIN rules, argon2id hash, numbering and
 * card codes), listing, disabling, logging in with the lockout and its
 * audit rows, and the talk-to-a-person calls. Times are passed in, so the
 * five-minute lock is tested without waiting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "store/store.h"
#include "store_fixture.h"

#define WEAK "The PIN must not be one digit repeated or a run such as 1234 or 9876."

static void test_add(void)
{
	static const struct item {
		const char *name;
		enum staff_role role;
		const char *pin;
		int want_rc;
		const char *want_id;
		const char *want_card;
		const char *want_why;
	} data[] = {
		/* 0*/ {"Anna Lind", ROLE_MANAGER, "2468", 0, "S001", "KS1:S001", ""},
		/* 1*/ {"Björn Ek", ROLE_STAFF, "123", KIOSK_EINVAL, "", "",
			"The PIN must be 4 to 12 digits."},
		/* 2*/ {"Björn Ek", ROLE_STAFF, "12a4", KIOSK_EINVAL, "", "",
			"The PIN must be digits only."},
		/* 3*/ {"Björn Ek", ROLE_STAFF, "1234567890123", KIOSK_EINVAL, "", "",
			"The PIN must be 4 to 12 digits."},
		/* 4*/ {"Björn Ek", ROLE_STAFF, "", KIOSK_EINVAL, "", "",
			"The PIN must be 4 to 12 digits."},
		/* 5*/ {"  ", ROLE_STAFF, "1234", KIOSK_EINVAL, "", "", "The name must not be empty."},
		/* 6*/ {"Björn\nEk", ROLE_STAFF, "1234", KIOSK_EINVAL, "", "",
			"The name must not contain control characters."},
		/* 7*/ {"Björn Ek", (enum staff_role)7, "1234", KIOSK_EINVAL, "", "",
			"The role must be staff or manager."},
		/* 8*/ {"Björn Ek", ROLE_STAFF, "123456789012", 0, "S002", "KS1:S002", ""},
		/* a PIN anyone would try first */
		/* 9*/ {"Cecilia Dahl", ROLE_STAFF, "0000", KIOSK_EINVAL, "", "", WEAK},
		/*10*/ {"Cecilia Dahl", ROLE_STAFF, "1234", KIOSK_EINVAL, "", "", WEAK},
		/*11*/ {"Cecilia Dahl", ROLE_STAFF, "98765", KIOSK_EINVAL, "", "", WEAK},
		/*12*/ {"Cecilia Dahl", ROLE_STAFF, "777777777777", KIOSK_EINVAL, "", "", WEAK},
	};
	struct fixture f;
	fixture_open(&f, 1);
	struct raw *db = raw_open(&f);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		struct kiosk_why why = {{0}};
		struct staff_record out;
		int rc = store_staff_add(f.s, data[i].name, data[i].role, data[i].pin, at(T_NOW), &out,
					 &why);
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(rc, data[i].want_rc, i);
		KT_STREQ(out.staff_id, data[i].want_id, i);
		KT_STREQ(out.card_code, data[i].want_card, i);
		KT_STREQ(why.text, data[i].want_why, i);
		if (rc == 0) {
			KT_STREQ(out.name, data[i].name, i);
			KT_INTEQ(out.active, 1, i);
			char sql[128], hash[160];
			snprintf(sql, sizeof sql, "SELECT pin_hash FROM staff WHERE id = '%s'",
				 out.staff_id);
			raw_text(db, sql, hash, sizeof hash);
			KT_CHECK(!strncmp(hash, "$argon2id$", 10), "i:%d hash is argon2id: %s", i, hash);
			KT_CHECK(!strstr(hash, data[i].pin), "i:%d the PIN is in its hash", i);
		}
	}
	/* refusals added nobody; each addition is audited */
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM staff"), 2, -1);
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM audit_log WHERE action = 'staff.add'"), 2, -1);

	struct kiosk_why why = {{0}};
	struct staff_record *list = NULL;
	int n = 0;
	KT_INTEQ(store_staff_list(f.s, &list, &n, &why), 0, -1);
	KT_INTEQ(n, 2, -1);
	if (n == 2) {
		KT_STREQ(list[0].staff_id, "S001", -1);
		KT_INTEQ(list[0].role, ROLE_MANAGER, -1);
		KT_STREQ(list[1].name, "Björn Ek", -1);
		KT_INTEQ(list[1].role, ROLE_STAFF, -1);
	}
	free(list);
	KT_INTEQ(store_staff_disable(f.s, "S002", at(T_NOW), &why), 0, -1);
	KT_INTEQ(store_staff_disable(f.s, "S009", at(T_NOW), &why), KIOSK_ENOTFOUND, -1);
	KT_STREQ(why.text, "Staff member S009 does not exist.", -1);
	KT_INTEQ(store_staff_list(f.s, &list, &n, &why), 0, -1);
	if (n == 2) {
		KT_INTEQ(list[0].active, 1, -1);
		KT_INTEQ(list[1].active, 0, -1);
	}
	free(list);
	raw_close(db);
	fixture_close(&f);
}

/* One card through a morning: the rows run in order, each at its time. */
static void test_login(void)
{
	static const struct item {
		const char *card;
		const char *pin;
		int t; /* seconds after 10:00 */
		int want_rc;
		const char *want_why;
		const char *want_audit; /* detail of the audit row it writes */
	} data[] = {
		/* 0*/ {"KS1:S001", "2468", 0, 0, "", "ok"},
		/* 1*/ {"KS1:S001", "1111", 10, KIOSK_EDENIED,
			"Wrong PIN; 4 more wrong and the card is locked for five minutes.",
			"refused: wrong PIN (1 of 5)"},
		/* 2*/ {"KS1:S001", "1111", 20, KIOSK_EDENIED,
			"Wrong PIN; 3 more wrong and the card is locked for five minutes.",
			"refused: wrong PIN (2 of 5)"},
		/* 3*/ {"KS1:S001", "12", 30, KIOSK_EDENIED,
			"Wrong PIN; 2 more wrong and the card is locked for five minutes.",
			"refused: wrong PIN (3 of 5)"},
		/* 4*/ {"KS1:S001", NULL, 40, KIOSK_EDENIED,
			"Wrong PIN; 1 more wrong and the card is locked for five minutes.",
			"refused: wrong PIN (4 of 5)"},
		/* 5*/ {"KS1:S001", "9999", 50, KIOSK_EBUSY,
			"Wrong PIN five times: this staff card is locked until 10:05.",
			"refused: wrong PIN, card locked"},
		/* 6*/ {"KS1:S001", "2468", 60, KIOSK_EBUSY,
			"This staff card is locked after five wrong PINs; try again at 10:05.",
			"refused: card locked"},
		/* 7*/ {"KS1:S001", "2468", 349, KIOSK_EBUSY,
			"This staff card is locked after five wrong PINs; try again at 10:05.",
			"refused: card locked"},
		/* 8*/ {"KS1:S001", "2468", 350, 0, "", "ok"},
		/* 9*/ {"KS1:S001", "1111", 360, KIOSK_EDENIED,
			"Wrong PIN; 4 more wrong and the card is locked for five minutes.",
			"refused: wrong PIN (1 of 5)"},
		/*10*/ {"KS1:S002", "1357", 370, KIOSK_EDENIED, "This staff card has been disabled.",
			"refused: staff member disabled"},
		/*11*/ {"KS1:S009", "1357", 380, KIOSK_EDENIED, "This staff card is not known.",
			"refused: unknown card"},
		/*12*/ {"S001", "2468", 390, KIOSK_EDENIED, "This staff card is not known.",
			"refused: unknown card"},
	};
	struct fixture f;
	struct kiosk_why why = {{0}};
	struct staff_record a, b, got;
	fixture_open(&f, 1);
	KT_INTEQ(store_staff_add(f.s, "Anna Lind", ROLE_MANAGER, "2468", at(T_NOW), &a, &why), 0, -1);
	KT_INTEQ(store_staff_add(f.s, "Bo Ek", ROLE_STAFF, "1357", at(T_NOW), &b, &why), 0, -1);
	KT_INTEQ(store_staff_disable(f.s, "S002", at(T_NOW), &why), 0, -1);
	struct raw *db = raw_open(&f);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		memset(&why, 0, sizeof why);
		memset(&got, 0xff, sizeof got);
		int rc = store_staff_login(f.s, data[i].card, data[i].pin, at(T_NOW + data[i].t), &got,
					   &why);
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(rc, data[i].want_rc, i);
		KT_STREQ(why.text, data[i].want_why, i);
		KT_STREQ(got.staff_id, rc == 0 ? "S001" : "", i);
		char detail[96];
		raw_text(db, "SELECT detail FROM audit_log WHERE action = 'staff.login'"
			     " ORDER BY id DESC LIMIT 1",
			 detail, sizeof detail);
		KT_STREQ(detail, data[i].want_audit, i);
	}
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM audit_log WHERE action = 'staff.login'"),
		 (long long)KT_ARRAY_SIZE(data), -1);
	/* the PIN is in no audit row */
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM audit_log WHERE detail LIKE '%2468%'"), 0, -1);
	raw_close(db);
	fixture_close(&f);
}

/* store_call_each's calls, kept (at most 8) */
struct calls_seen {
	struct staff_call all[8];
	int n;
};

static int call_seen(void *arg, const struct staff_call *c)
{
	struct calls_seen *s = arg;
	if (s->n < 8)
		s->all[s->n] = *c;
	s->n++;
	return 0;
}

static void test_calls(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	struct staff_record a;
	fixture_open(&f, 1);
	KT_INTEQ(store_staff_add(f.s, "Anna Lind", ROLE_MANAGER, "2468", at(T_NOW), &a, &why), 0, -1);
	struct case_line l;
	struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_STAFF, &l);
	KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, -1);

	static const struct item {
		const char *store; /* NULL: a call from before calls had a store */
		const char *kiosk;
		const char *case_id;
		int want_rc;
		const char *want_why;
	} creates[] = {
		/* 0*/ {"0042", "kiosk-1", NULL, 0, ""},
		/* 1*/ {"0043", "kiosk-2", "K-000001", 0, ""},
		/* 2*/ {NULL, "kiosk-1", "", 0, ""},
		/* 3*/ {"0042", "", NULL, KIOSK_EINVAL, "A call needs the name of the kiosk."},
		/* 4*/ {"0042", "kiosk-1", "K-000077", KIOSK_ENOTFOUND, "Case K-000077 does not exist."},
	};
	int64_t ids[KT_ARRAY_SIZE(creates)];
	for (int i = 0; i < (int)KT_ARRAY_SIZE(creates); i++) {
		memset(&why, 0, sizeof why);
		KT_INTEQ(store_call_create(f.s, creates[i].store, creates[i].kiosk, creates[i].case_id,
					   at(T_NOW + i), &ids[i], &why),
			 creates[i].want_rc, i);
		KT_STREQ(why.text, creates[i].want_why, i);
		KT_CHECK((ids[i] > 0) == (creates[i].want_rc == 0), "i:%d call id %lld", i,
			 (long long)ids[i]);
	}
	/* a counter sees its own store's calls (and those without a store) */
	static const struct scoped {
		const char *store;
		const char *want; /* kiosk@store of each open call */
	} scopes[] = {
		{"0042", "kiosk-1@0042 kiosk-1@"},
		{"0043", "kiosk-2@0043 kiosk-1@"},
		{"0044", "kiosk-1@"},
		{NULL, "kiosk-1@0042 kiosk-2@0043 kiosk-1@"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(scopes); i++) {
		struct staff_call *open = NULL;
		int n = 0;
		KT_INTEQ(store_call_list_open(f.s, scopes[i].store, &open, &n, &why), 0, i);
		char got[96] = "";
		for (int k = 0; k < n; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s@%s", k ? " " : "",
				 open[k].kiosk, open[k].store);
		KT_STREQ(got, scopes[i].want, i);
		free(open);
	}

	static const struct answer {
		int call;          /* index into creates, or -1 for id 999 */
		const char *staff;
		int want_rc;
		const char *want_why;
		const char *want_open; /* kiosks of the open calls afterwards */
	} answers[] = {
		/* 0*/ {1, "S001", 0, "", "kiosk-1 kiosk-1"},
		/* 1*/ {1, "S001", KIOSK_EEXIST, "Call 2 was already answered by S001.",
			"kiosk-1 kiosk-1"},
		/* 2*/ {-1, "S001", KIOSK_ENOTFOUND, "Call 999 does not exist.", "kiosk-1 kiosk-1"},
		/* 3*/ {0, "S009", KIOSK_EDENIED, "Staff member S009 is unknown or disabled.",
			"kiosk-1 kiosk-1"},
		/* 4*/ {0, "S001", 0, "", "kiosk-1"},
		/* 5*/ {2, "S001", 0, "", ""},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(answers); i++) {
		memset(&why, 0, sizeof why);
		int64_t id = answers[i].call < 0 ? 999 : ids[answers[i].call];
		int rc = store_call_answer(f.s, id, answers[i].staff, at(T_NOW + 100 + i), &why);
		struct staff_call *open = NULL;
		int n = -1;
		KT_INTEQ(store_call_list_open(f.s, NULL, &open, &n, &why), 0, i);
		if (!KT_ROW_SELECTED(i)) {
			free(open);
			continue;
		}
		KT_INTEQ(rc, answers[i].want_rc, i);
		KT_STREQ(why.text, answers[i].want_why, i);
		char got[64] = "";
		for (int k = 0; k < n; k++) {
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "",
				 open[k].kiosk);
			KT_CHECK(k == 0 || open[k].call_id > open[k - 1].call_id, "i:%d oldest first", i);
		}
		KT_STREQ(got, answers[i].want_open, i);
		free(open);
	}
	/* the report's reader: every call, answered or not, oldest first */
	struct calls_seen seen = {0};
	KT_INTEQ(store_call_each(f.s, call_seen, &seen, &why), 0, -1);
	struct staff_call *all = seen.all;
	int n_all = seen.n;
	KT_INTEQ(n_all, 3, -1);
	for (int i = 0; i < n_all && i < 3; i++) {
		KT_INTEQ(all[i].call_id, ids[i], i);
		KT_INTEQ(all[i].answered, 1, i);
		KT_STREQ(all[i].answered_by, "S001", i);
		KT_INTEQ(all[i].created_at.unix_s, T_NOW + i, i);
	}
	if (n_all == 3) {
		KT_STREQ(all[1].case_id, "K-000001", -1);
		KT_INTEQ(all[1].answered_at.unix_s, T_NOW + 100, -1);
	}
	struct raw *db = raw_open(&f);
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'call.%'"), 6, -1);
	char case_id[16];
	raw_text(db, "SELECT case_id FROM staff_calls WHERE id = 2", case_id, sizeof case_id);
	KT_STREQ(case_id, "K-000001", -1);
	raw_close(db);
	fixture_close(&f);
}

KT_MAIN(KT_FUNC(test_add), KT_FUNC(test_login), KT_FUNC(test_calls))
