/* Cases: creation with returnable-quantity checks, reading back, the token
 * of a case receipt, list order and filters, the no-receipt credit sum,
 * and the purge of contact details. A case's timeline and the report's
 * reads are test_store_case_events.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "store/store.h"
#include "store/store_private.h"
#include "store_fixture.h"

#define DAY 86400

enum ctweak { C_NONE, C_NO_LINES, C_NO_RECEIPT, C_CONTACT_NO_CONSENT, C_CONTACT };

static void seed_receipt(struct fixture *f, const char *id)
{
	struct kiosk_why why = {{0}};
	struct receipt r = make_receipt(id, 2, 2, 0);
	int n_new = 0;
	KT_CHECK(store_receipts_import(f->s, &r, 1, &n_new, &why) == 0, "seed %s: %s", id,
		 why.text);
	receipt_free(&r);
}

static void test_create(void)
{
	static const struct item {
		enum case_kind kind;
		const char *receipt;
		int line;
		int qty;
		enum case_outcome outcome;
		const char *token;
		enum ctweak tweak;
		int want_rc;
		const char *want_id;
		const char *want_why;
	} data[] = {
		/* 0*/ {CASE_RETURN, "RA", 1, 1, OUTCOME_REFUND, "0123456789abcdef", C_CONTACT, 0,
			"K-000001", ""},
		/* 1*/ {CASE_RETURN, "RA", 1, 2, OUTCOME_REFUND, "0123456789abcdef", C_NONE,
			KIOSK_EINVAL, "", "Line 1 of receipt RA has 1 left to return, not 2."},
		/* 2*/ {CASE_RETURN, "RA", 1, 2, OUTCOME_REFUSED, "0123456789abcdef", C_NONE, 0,
			"K-000002", ""},
		/* 3*/ {CASE_RETURN, "RA", 1, 1, OUTCOME_STAFF, "0123456789ABCDEF", C_NONE, 0,
			"K-000003", ""},
		/* 4*/ {CASE_RETURN, "RA", 1, 1, OUTCOME_REFUND, "0123456789abcdef", C_NONE,
			KIOSK_EINVAL, "", "Line 1 of receipt RA has 0 left to return, not 1."},
		/* 5*/ {CASE_RETURN, "RA", 9, 1, OUTCOME_REFUND, "0123456789abcdef", C_NONE,
			KIOSK_EINVAL, "", "Receipt RA has no line 9."},
		/* 6*/ {CASE_RETURN, "RX", 1, 1, OUTCOME_REFUND, "0123456789abcdef", C_NONE,
			KIOSK_ENOTFOUND, "", "Receipt RX is not in the database."},
		/* 7*/ {CASE_FAULT, "RA", 2, 1, OUTCOME_REPAIR, "00000000000000ff", C_NONE, 0,
			"K-000004", ""},
		/* 8*/ {CASE_RETURN, NULL, 0, 1, OUTCOME_STORE_CREDIT, "00000000000000fe",
			C_CONTACT_NO_CONSENT, 0, "K-000005", ""},
		/* 9*/ {CASE_RETURN, "RA", 2, 1, OUTCOME_REFUND, "xyz", C_NONE, KIOSK_EINVAL, "",
			"The case token must be 16 hexadecimal digits."},
		/*10*/ {CASE_RETURN, "RA", 2, 1, OUTCOME_REFUND, "0123456789abcdeg", C_NONE,
			KIOSK_EINVAL, "", "The case token must be 16 hexadecimal digits."},
		/*11*/ {CASE_RETURN, "RA", 2, 1, OUTCOME_REFUND, "0123456789abcdef", C_NO_LINES,
			KIOSK_EINVAL, "", "A return needs at least one item."},
		/*12*/ {CASE_RETURN, "RA", 2, 1, OUTCOME_REFUND, "0123456789abcdef", C_NO_RECEIPT,
			KIOSK_EINVAL, "", "Item 1 points at a receipt line but the case has no receipt."},
		/*13*/ {CASE_RETURN, "RA", 2, 2, OUTCOME_EXCHANGE, "0123456789abcdef", C_NONE, 0,
			"K-000006", ""},
	};
	struct fixture f;
	fixture_open(&f, 1);
	seed_receipt(&f, "RA");
	struct raw *db = raw_open(&f);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		const struct item *d = &data[i];
		struct case_line lbuf;
		struct case_record c = make_case(d->kind, d->receipt, d->line, d->qty, d->outcome, &lbuf);
		if (d->tweak == C_NO_LINES)
			c.n_lines = 0;
		if (d->tweak == C_NO_RECEIPT)
			c.receipt_id[0] = 0;
		if (d->tweak == C_CONTACT || d->tweak == C_CONTACT_NO_CONSENT) {
			snprintf(c.contact, sizeof c.contact, "070-123 45 67");
			c.wants_updates = d->tweak == C_CONTACT;
		}
		long long events_before = raw_int(db, "SELECT count(*) FROM case_events");
		struct kiosk_why why = {{0}};
		int rc = store_case_create(f.s, &c, d->token, at(T_NOW + i), "kiosk", &why);
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(rc, d->want_rc, i);
		KT_STREQ(c.case_id, d->want_id, i);
		KT_STREQ(why.text, d->want_why, i);
		KT_INTEQ(raw_int(db, "SELECT count(*) FROM case_events"), events_before + (rc == 0), i);
		if (rc)
			continue;
		struct case_record got;
		KT_INTEQ(store_case_get(f.s, c.case_id, T_DAY(T_NOW), &got, &why), 0, i);
		KT_INTEQ(got.kind, d->kind, i);
		KT_INTEQ(got.state, c.state, i);
		KT_STREQ(got.receipt_id, d->receipt, i);
		KT_INTEQ(got.decision.outcome, d->outcome, i);
		KT_STREQ(got.decision.explanation, "Du köpte varan för 10 dagar sedan.", i);
		KT_STREQ(got.decision.details, "{\"days\":10,\"window\":30}", i);
		KT_INTEQ(got.decision.amount, 10000 * d->qty, i);
		KT_INTEQ(got.created_at.unix_s, T_NOW + i, i);
		KT_INTEQ(got.created_at.offset_min, T_OFF, i);
		KT_STREQ(got.contact, d->tweak == C_CONTACT ? "070-123 45 67" : "", i);
		KT_INTEQ(got.wants_updates, d->tweak == C_CONTACT, i);
		KT_INTEQ(got.receipt_printed, 0, i);
		KT_INTEQ(got.n_lines, 1, i);
		if (got.n_lines == 1) {
			KT_INTEQ(got.lines[0].receipt_line, d->line, i);
			KT_INTEQ(got.lines[0].quantity, d->qty, i);
			KT_INTEQ(got.lines[0].reason, REASON_CHANGED_MIND, i);
		}
		case_record_free(&got);
	}
	/* refused and fault cases do not count as returned; staff-pending does */
	struct receipt r;
	struct kiosk_why why = {{0}};
	KT_INTEQ(store_receipt_get(f.s, "RA", &r, &why), 0, -1);
	if (r.n_lines == 2) {
		KT_INTEQ(r.lines[0].returned_quantity, 2, -1);
		KT_INTEQ(r.lines[1].returned_quantity, 2, -1);
		/* of line 1, one is in K-000003, still waiting for staff */
		KT_INTEQ(r.lines[0].pending_quantity, 1, -1);
		KT_INTEQ(r.lines[1].pending_quantity, 0, -1);
	}
	receipt_free(&r);
	/* the token is nowhere in the database, only its hash */
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM cases WHERE CAST(token_hash AS TEXT) LIKE "
			     "'%0123456789%' OR length(token_hash) <> 32"),
		 0, -1);
	raw_close(db);
	fixture_close(&f);
}

static void test_token(void)
{
	static const struct item {
		const char *case_id;
		const char *token;
		int want_rc;
		const char *want_why;
	} data[] = {
		/* 0*/ {"K-000001", "9f3a6b2c1d4e5f60", 0, ""},
		/* 1*/ {"K-000001", "9F3A6B2C1D4E5F60", 0, ""},
		/* 2*/ {"K-000001", "9f3a6b2c1d4e5f61", KIOSK_EDENIED,
			"This case code does not match case K-000001."},
		/* 3*/ {"K-000002", "9f3a6b2c1d4e5f60", KIOSK_EDENIED,
			"This case code does not match case K-000002."},
		/* 4*/ {"K-000001", "9f3a6b2c1d4e5f6", KIOSK_EDENIED, "This case code is not valid."},
		/* 5*/ {"K-000001", "", KIOSK_EDENIED, "This case code is not valid."},
		/* 6*/ {"K-000099", "9f3a6b2c1d4e5f60", KIOSK_ENOTFOUND, "Case K-000099 does not exist."},
		/* 7*/ {"K-000002", "0000000000000001", 0, ""},
	};
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	struct case_line l1, l2;
	struct case_record a = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l1);
	struct case_record b = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l2);
	KT_INTEQ(store_case_create(f.s, &a, "9f3a6b2c1d4e5f60", at(T_NOW), "kiosk", &why), 0, -1);
	KT_INTEQ(store_case_create(f.s, &b, "0000000000000001", at(T_NOW), "kiosk", &why), 0, -1);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		memset(&why, 0, sizeof why);
		KT_INTEQ(store_case_check_token(f.s, data[i].case_id, data[i].token, &why),
			 data[i].want_rc, i);
		KT_STREQ(why.text, data[i].want_why, i);
	}

	/* a reprint renews the code: staged, both codes work; printed, only the
	 * new one; a failed or cut-short reprint leaves the old one working */
	KT_INTEQ(store_case_stage_token(f.s, "K-000001", "aaaabbbbccccddd", &why), KIOSK_EINVAL, 0);
	KT_INTEQ(store_case_stage_token(f.s, "K-000099", "1111222233334444", &why), KIOSK_ENOTFOUND,
		 0);
	KT_INTEQ(store_case_stage_token(f.s, "K-000001", "1111222233334444", &why), 0, 1);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "9f3a6b2c1d4e5f60", &why), 0, 1);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "1111222233334444", &why), 0, 1);
	KT_INTEQ(store_case_set_printed(f.s, "K-000001", false, at(T_NOW + 4), "out of paper",
					&why), 0, 2);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "9f3a6b2c1d4e5f60", &why), 0, 2);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "1111222233334444", &why), KIOSK_EDENIED,
		 2);
	KT_INTEQ(store_case_stage_token(f.s, "K-000001", "AAAABBBBCCCCDDDD", &why), 0, 3);
	KT_INTEQ(store_case_set_printed(f.s, "K-000001", true, at(T_NOW + 5), NULL, &why), 0, 3);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "aaaabbbbccccdddd", &why), 0, 3);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "9f3a6b2c1d4e5f60", &why), KIOSK_EDENIED,
		 3);
	/* printed again with nothing staged: the code stays */
	KT_INTEQ(store_case_set_printed(f.s, "K-000001", true, at(T_NOW + 6), NULL, &why), 0, 4);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "aaaabbbbccccdddd", &why), 0, 4);
	/* a reprint killed while printing (staged, never recorded) may have got
	 * its paper out: its code keeps working beside the old one after the
	 * next reprint fails, and goes only when a newer receipt has printed */
	KT_INTEQ(store_case_stage_token(f.s, "K-000001", "5555666677778888", &why), 0, 5);
	KT_INTEQ(store_case_stage_token(f.s, "K-000001", "9999aaaabbbbcccc", &why), 0, 5);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "5555666677778888", &why), 0, 5);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "9999aaaabbbbcccc", &why), 0, 5);
	KT_INTEQ(store_case_set_printed(f.s, "K-000001", false, at(T_NOW + 7), "jam", &why), 0, 6);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "5555666677778888", &why), 0, 6);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "aaaabbbbccccdddd", &why), 0, 6);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "9999aaaabbbbcccc", &why), KIOSK_EDENIED,
		 6);
	/* at most STORE_PENDING_TOKENS codes wait; the oldest goes */
	for (int k = 0; k < STORE_PENDING_TOKENS + 2; k++)
		KT_INTEQ(store_case_stage_token(f.s, "K-000001", k % 2 ? "1234123412341234"
									 : "4321432143214321",
						&why),
			 0, 7);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "5555666677778888", &why), KIOSK_EDENIED,
		 7);
	KT_INTEQ(store_case_stage_token(f.s, "K-000001", "dddddddddddddddd", &why), 0, 8);
	KT_INTEQ(store_case_set_printed(f.s, "K-000001", true, at(T_NOW + 8), NULL, &why), 0, 8);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "dddddddddddddddd", &why), 0, 8);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "1234123412341234", &why), KIOSK_EDENIED,
		 8);
	KT_INTEQ(store_case_check_token(f.s, "K-000001", "aaaabbbbccccdddd", &why), KIOSK_EDENIED,
		 8);
	struct case_event *ev = NULL;
	int n = 0;
	KT_INTEQ(store_case_events(f.s, "K-000001", &ev, &n, &why), 0, -1);
	char got[200] = "";
	for (int i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s ", ev[i].event);
	KT_STREQ(got,
		 "registered print_failed printed code_renewed printed print_failed printed "
		 "code_renewed ",
		 -1);
	free(ev);
	/* the other case kept its code */
	KT_INTEQ(store_case_check_token(f.s, "K-000002", "0000000000000001", &why), 0, -1);
	fixture_close(&f);
}

/* Six cases in known states and promises; list order and filters. */
static void test_list(void)
{
	static const struct seed {
		int created_days_ago;
		enum case_state state;
		int promised_rel; /* days from today; 99: none */
		const char *receipt;
		const char *id_hash;
		const char *store;
	} seeds[] = {
		{5, CASE_REGISTERED, 99, "RA", "h1", "0042"},    /* K-000001 */
		{4, CASE_WAITING_STAFF, 99, NULL, NULL, "0043"}, /* K-000002 */
		{3, CASE_AT_REPAIR, -2, "RA", NULL, "0042"},     /* K-000003 overdue */
		{2, CASE_CLOSED, -3, NULL, NULL, "0042"},        /* K-000004 closed: never overdue */
		{1, CASE_APPROVED, 3, "RB", NULL, "0042"},       /* K-000005 */
		{6, CASE_AT_REPAIR, -1, NULL, "h2", "0043"},     /* K-000006 overdue */
	};
	static const struct item {
		bool by_state;
		enum case_state state;
		bool overdue_only;
		const char *receipt;
		const char *id_hash;
		const char *search;
		int today_rel;
		const char *want; /* case numbers in order */
		int limit, offset; /* a page of the list (0, 0: all) */
		const char *store; /* NULL: the whole chain */
	} data[] = {
		/* 0*/ {false, 0, false, NULL, NULL, NULL, 0,
			"K-000003 K-000006 K-000002 K-000005 K-000004 K-000001", 0, 0, NULL},
		/* 1*/ {false, 0, true, NULL, NULL, NULL, 0, "K-000003 K-000006", 0, 0, NULL},
		/* 2*/ {true, CASE_AT_REPAIR, false, NULL, NULL, NULL, 0, "K-000003 K-000006", 0, 0, NULL},
		/* 3*/ {true, CASE_CLOSED, false, NULL, NULL, NULL, 0, "K-000004", 0, 0, NULL},
		/* 4*/ {true, CASE_CLOSED, true, NULL, NULL, NULL, 0, "", 0, 0, NULL},
		/* 5*/ {false, 0, false, "RA", NULL, NULL, 0, "K-000003 K-000001", 0, 0, NULL},
		/* 6*/ {false, 0, false, NULL, "h2", NULL, 0, "K-000006", 0, 0, NULL},
		/* 7*/ {false, 0, false, NULL, NULL, "0005", 0, "K-000005", 0, 0, NULL},
		/* 8*/ {false, 0, false, NULL, NULL, "k-00000", 0,
			"K-000003 K-000006 K-000002 K-000005 K-000004 K-000001", 0, 0, NULL},
		/* 9*/ {false, 0, false, NULL, NULL, NULL, -5,
			"K-000002 K-000005 K-000004 K-000003 K-000001 K-000006", 0, 0, NULL},
		/*10*/ {false, 0, true, NULL, NULL, NULL, -1, "K-000003", 0, 0, NULL},
		/*11*/ {true, CASE_REFUSED, false, NULL, NULL, NULL, 0, "", 0, 0, NULL},
		/* pages cut across the three parts of the list */
		/*12*/ {false, 0, false, NULL, NULL, NULL, 0, "K-000003 K-000006 K-000002", 3, 0, NULL},
		/*13*/ {false, 0, false, NULL, NULL, NULL, 0, "K-000002 K-000005", 2, 2, NULL},
		/*14*/ {false, 0, false, NULL, NULL, NULL, 0, "K-000004 K-000001", 3, 4, NULL},
		/*15*/ {false, 0, false, NULL, NULL, NULL, 0, "", 3, 6, NULL},
		/*16*/ {false, 0, false, NULL, NULL, NULL, 0,
			"K-000006 K-000002 K-000005 K-000004 K-000001", 0, 1, NULL},
		/*17*/ {true, CASE_AT_REPAIR, false, NULL, NULL, NULL, 0, "K-000006", 1, 1, NULL},
		/* one store of the chain, in the same order */
		/*18*/ {false, 0, false, NULL, NULL, NULL, 0, "K-000003 K-000005 K-000004 K-000001", 0,
			0, "0042"},
		/*19*/ {false, 0, false, NULL, NULL, NULL, 0, "K-000006 K-000002", 0, 0, "0043"},
		/*20*/ {false, 0, true, NULL, NULL, NULL, 0, "K-000006", 0, 0, "0043"},
		/*21*/ {true, CASE_AT_REPAIR, false, NULL, NULL, NULL, 0, "K-000003", 0, 0, "0042"},
		/*22*/ {false, 0, false, NULL, NULL, NULL, 0, "K-000005 K-000004", 2, 1, "0042"},
		/*23*/ {false, 0, false, "RA", NULL, NULL, 0, "K-000003 K-000001", 0, 0, "0042"},
		/*24*/ {false, 0, false, NULL, NULL, NULL, 0, "", 0, 0, "0044"},
	};
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	int64_t today = T_DAY(T_NOW);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(seeds); i++) {
		struct case_line l;
		struct case_record c = make_case(CASE_FAULT, seeds[i].receipt, 0, 1, OUTCOME_REPAIR, &l);
		c.state = seeds[i].state;
		if (seeds[i].promised_rel != 99)
			c.decision.promised_day = today + seeds[i].promised_rel;
		if (seeds[i].id_hash)
			snprintf(c.id_hash, sizeof c.id_hash, "%s", seeds[i].id_hash);
		snprintf(c.store, sizeof c.store, "%s", seeds[i].store);
		KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef",
					   at(T_NOW - seeds[i].created_days_ago * DAY), "kiosk", &why),
			 0, i);
	}
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		const struct item *d = &data[i];
		struct case_filter filt = {.by_state = d->by_state,
					   .state = d->state,
					   .overdue_only = d->overdue_only,
					   .receipt_id = d->receipt,
					   .id_hash = d->id_hash,
					   .search = d->search,
					   .store_id = d->store,
					   .today = today + d->today_rel,
					   .limit = d->limit,
					   .offset = d->offset};
		struct case_record *list = NULL;
		int n = -1;
		KT_INTEQ(store_case_list(f.s, &filt, &list, &n, &why), 0, i);
		char got[256] = "";
		for (int k = 0; k < n; k++) {
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "",
				 list[k].case_id);
			bool want_overdue = list[k].decision.promised_day > 0 &&
					    list[k].decision.promised_day < filt.today &&
					    list[k].state != CASE_CLOSED;
			KT_INTEQ(list[k].overdue, want_overdue, i);
			KT_INTEQ(list[k].n_lines, 0, i);
			case_record_free(&list[k]);
		}
		free(list);
		KT_STREQ(got, d->want, i);
	}
	fixture_close(&f);
}

static void test_credit(void)
{
	static const struct seed {
		const char *id_hash;
		int days_ago;
		int64_t amount;
		enum case_outcome outcome;
		bool refused_later;
		bool with_receipt;
	} seeds[] = {
		{"h1", 100, 30000, OUTCOME_STORE_CREDIT, false, false},
		{"h1", 400, 20000, OUTCOME_STORE_CREDIT, false, false},
		{"h1", 10, 5000, OUTCOME_STORE_CREDIT, true, false},
		{"h1", 10, 9000, OUTCOME_STORE_CREDIT, false, true},
		{"h1", 5, 1500, OUTCOME_STAFF, false, false},
		{"h2", 1, 7000, OUTCOME_STORE_CREDIT, false, false},
	};
	static const struct item {
		const char *id_hash;
		int since_days_ago;
		int want_rc;
		int64_t want_sum;
	} data[] = {
		/* 0*/ {"h1", 365, 0, 30000},
		/* 1*/ {"h1", 500, 0, 50000},
		/* 2*/ {"h1", 100, 0, 30000},
		/* 3*/ {"h1", 99, 0, 0},
		/* 4*/ {"h2", 365, 0, 7000},
		/* 5*/ {"h3", 365, 0, 0},
		/* 6*/ {"", 365, KIOSK_EINVAL, 0},
	};
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	seed_receipt(&f, "RA");
	for (int i = 0; i < (int)KT_ARRAY_SIZE(seeds); i++) {
		const struct seed *sd = &seeds[i];
		struct case_line l;
		struct case_record c = make_case(CASE_RETURN, sd->with_receipt ? "RA" : NULL,
						 sd->with_receipt ? 1 : 0, 1, sd->outcome, &l);
		c.decision.amount = sd->amount;
		snprintf(c.id_hash, sizeof c.id_hash, "%s", sd->id_hash);
		KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef",
					   at(T_NOW - sd->days_ago * DAY), "kiosk", &why),
			 0, i);
		if (sd->refused_later)
			KT_INTEQ(store_case_set_state(f.s, c.case_id, CASE_REFUSED, at(T_NOW),
						      "staff:S001", "no ID", &why),
				 0, i);
	}
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		int64_t sum = -1;
		KT_INTEQ(store_credit_without_receipt(f.s, data[i].id_hash,
						      at(T_NOW - data[i].since_days_ago * DAY), &sum,
						      &why),
			 data[i].want_rc, i);
		KT_INTEQ(sum, data[i].want_sum, i);
	}
	fixture_close(&f);
}

static void test_purge(void)
{
	/* K-000001 closed 40 days ago with contact, K-000002 closed 10 days
	 * ago with contact, K-000003 open with contact, K-000004 closed 40
	 * days ago without consent, K-000005 closed then reopened */
	static const struct item {
		int cutoff_days_ago;
		int want_n;
		const char *want_contacts; /* case numbers still with contact */
	} data[] = {
		/* 0*/ {50, 0, "K-000001 K-000002 K-000003 K-000005"},
		/* 1*/ {30, 1, "K-000002 K-000003 K-000005"},
		/* 2*/ {30, 0, "K-000002 K-000003 K-000005"},
		/* 3*/ {0, 1, "K-000003 K-000005"},
	};
	static const struct seed {
		int closed_days_ago; /* -1: not closed */
		bool consent;
		bool reopen;
	} seeds[] = {{40, true, false}, {10, true, false}, {-1, true, false}, {40, false, false},
		     {40, true, true}};
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(seeds); i++) {
		struct case_line l;
		struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l);
		snprintf(c.contact, sizeof c.contact, "kund%d@example.se", i + 1);
		c.wants_updates = seeds[i].consent;
		KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW - 60 * DAY), "kiosk",
					   &why), 0, i);
		if (seeds[i].closed_days_ago >= 0)
			KT_INTEQ(store_case_set_state(f.s, c.case_id, CASE_CLOSED,
						      at(T_NOW - seeds[i].closed_days_ago * DAY),
						      "staff:S001", NULL, &why), 0, i);
		if (seeds[i].reopen)
			KT_INTEQ(store_case_set_state(f.s, c.case_id, CASE_APPROVED,
						      at(T_NOW - 39 * DAY), "staff:S001", "reopened",
						      &why), 0, i);
	}
	struct raw *db = raw_open(&f);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		int n = -1;
		int rc = store_purge_contacts_at(f.s, at(T_NOW - data[i].cutoff_days_ago * DAY),
						 at(T_NOW), &n, &why);
		if (!KT_ROW_SELECTED(i))
			continue;
		KT_INTEQ(rc, 0, i);
		KT_INTEQ(n, data[i].want_n, i);
		char got[128] = "";
		for (int k = 1; k <= (int)KT_ARRAY_SIZE(seeds); k++) {
			char id[16];
			struct case_record c;
			snprintf(id, sizeof id, "K-%06d", k);
			KT_INTEQ(store_case_get(f.s, id, T_DAY(T_NOW), &c, &why), 0, i);
			if (c.contact[0])
				snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s",
					 got[0] ? " " : "", id);
			KT_CHECK(c.contact[0] || !c.wants_updates, "i:%d %s consent without contact",
				 i, id);
			case_record_free(&c);
		}
		KT_STREQ(got, data[i].want_contacts, i);
	}
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM case_events WHERE event = 'purge'"), 2, -1);
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM case_events WHERE event = 'purge' AND at_s = "
			     "1795424400"),
		 2, -1);
	raw_close(db);
	fixture_close(&f);
}

/* A case staff register for a customer at the counter is a staff act: its
 * audit row (with the staff member) is written by the case's own
 * transaction; one the kiosk registers has none. */
static void test_staff_register(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	struct case_line l1, l2;
	struct case_record a = make_case(CASE_RETURN, NULL, 0, 1, OUTCOME_REFUND, &l1);
	struct case_record b = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l2);
	KT_INTEQ(store_case_create(f.s, &a, "0123456789abcdef", at(T_NOW), "staff:S001", &why), 0,
		 0);
	KT_INTEQ(store_case_create(f.s, &b, "0123456789abcdee", at(T_NOW), "kiosk", &why), 0, 1);
	struct raw *db = raw_open(&f);
	char got[200] = "";
	raw_text(db, "SELECT actor || ' ' || detail FROM audit_log WHERE action = 'case.register'",
		 got, sizeof got);
	KT_STREQ(got, "staff:S001 K-000001: registered for a customer: refund (return.within_window)", -1);
	KT_INTEQ(raw_int(db, "SELECT count(*) FROM audit_log WHERE action = 'case.register'"), 1,
		 -1);
	raw_text(db, "SELECT actor FROM case_events WHERE case_seq = 1", got, sizeof got);
	KT_STREQ(got, "staff:S001", -1);
	raw_close(db);
	fixture_close(&f);
}

KT_MAIN(KT_FUNC(test_create), KT_FUNC(test_token), KT_FUNC(test_list), KT_FUNC(test_credit),
	KT_FUNC(test_purge), KT_FUNC(test_staff_register))
