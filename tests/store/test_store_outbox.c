/* The outbox: a message row is written with the change it tells about, and
 * only for a customer who gave a contact and asked for updates; senders
 * claim, mark sent, retry and give up; the contact purge drops what is
 * unsent and the recipient of what was sent; an overdue promise is told
 * once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ktest.h"
#include "store/store.h"
#include "store_fixture.h"

/* "kind[/state_to]:status" of a case's messages, in order. */
static void kinds(struct store *s, const char *case_id, char *buf, size_t len)
{
	struct outbox_msg *m = NULL;
	int n = 0;
	struct kiosk_why why = {{0}};
	buf[0] = 0;
	if (store_outbox_of_case(s, case_id, &m, &n, &why)) {
		snprintf(buf, len, "error: %s", why.text);
		return;
	}
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s%s%s:%s", i ? " " : "",
			 m[i].kind, m[i].state_to[0] ? "/" : "", m[i].state_to, m[i].status);
	free(m);
}

static void test_written_with_the_change(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	char got[400];
	fixture_open(&f, 1);
	struct case_line l1, l2;
	struct case_record mail = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l1);
	mail.wants_updates = true;
	snprintf(mail.contact, sizeof mail.contact, "anna@example.se");
	snprintf(mail.lang, sizeof mail.lang, "en");
	struct case_record quiet = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l2);
	KT_INTEQ(store_case_create(f.s, &mail, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, 0);
	KT_INTEQ(store_case_create(f.s, &quiet, "0123456789abcdee", at(T_NOW), "kiosk", &why), 0, 0);
	kinds(f.s, mail.case_id, got, sizeof got);
	KT_STREQ(got, "registered:pending", 0);
	kinds(f.s, quiet.case_id, got, sizeof got);
	KT_STREQ(got, "", 0); /* no contact, no message */

	/* what the customer cares about is told; notes, views and prints not */
	KT_INTEQ(store_case_add_event(f.s, mail.case_id, at(T_NOW + 1), "staff:S001", "note", "x",
				      &why), 0, 1);
	KT_INTEQ(store_case_add_event(f.s, mail.case_id, at(T_NOW + 1), "kiosk", "viewed", "", &why),
		 0, 1);
	KT_INTEQ(store_case_set_printed(f.s, mail.case_id, true, at(T_NOW + 1), NULL, &why), 0, 1);
	KT_INTEQ(store_case_set_state(f.s, mail.case_id, CASE_AT_REPAIR, at(T_NOW + 2), "staff:S001",
				      "", &why), 0, 1);
	struct decision d = mail.decision;
	d.outcome = OUTCOME_REPLACE;
	KT_INTEQ(store_case_set_decision(f.s, mail.case_id, &d, at(T_NOW + 3), "staff:S001",
					 "kund sedan länge", &why), 0, 1);
	KT_INTEQ(store_case_set_promise(f.s, mail.case_id, "Vi byter varan.", T_DAY(T_NOW) + 5,
					at(T_NOW + 4), "staff:S001", &why), 0, 1);
	kinds(f.s, mail.case_id, got, sizeof got);
	KT_STREQ(got, "registered:pending state/at_repair:pending decision:pending promise:pending", 1);
	kinds(f.s, quiet.case_id, got, sizeof got);
	KT_STREQ(got, "", 1);

	struct outbox_msg *m = NULL;
	int n = 0;
	KT_INTEQ(store_outbox_of_case(f.s, mail.case_id, &m, &n, &why), 0, 2);
	KT_INTEQ(n, 4, 2);
	if (n == 4) {
		KT_STREQ(m[0].channel, "email", 2);
		KT_STREQ(m[0].recipient, "anna@example.se", 2);
		KT_STREQ(m[0].lang, "en", 2);
		KT_CHECK(strlen(m[0].msg_id) == 24 && strcmp(m[0].msg_id, m[1].msg_id),
			 "message ids are 24 characters and differ: %s %s", m[0].msg_id, m[1].msg_id);
	}
	free(m);

	/* a change that is rolled back leaves no message: a state that does
	 * not exist is refused before anything is written */
	KT_INTEQ(store_case_set_state(f.s, mail.case_id, (enum case_state)99, at(T_NOW + 5), "x", "",
				      &why), KIOSK_EINVAL, 3);
	kinds(f.s, mail.case_id, got, sizeof got);
	KT_STREQ(got, "registered:pending state/at_repair:pending decision:pending promise:pending", 3);
	fixture_close(&f);
}

static void test_claim_send_retry(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	char got[400];
	fixture_open(&f, 1);
	struct case_line l;
	struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l);
	c.wants_updates = true;
	snprintf(c.contact, sizeof c.contact, "+46701234567");
	KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, -1);
	KT_INTEQ(store_case_set_state(f.s, c.case_id, CASE_READY_FOR_PICKUP, at(T_NOW + 1), "staff:S001",
				      "", &why), 0, -1);

	struct outbox_msg *m = NULL;
	int n = 0;
	/* the first sender gets both, oldest first; a second one at once none */
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW + 2), 60, 10, &m, &n, &why), 0, 0);
	KT_INTEQ(n, 2, 0);
	KT_STREQ(n ? m[0].kind : "", "registered", 0);
	KT_STREQ(n ? m[0].channel : "", "sms", 0);
	int64_t first = n ? m[0].id : 0, second = n > 1 ? m[1].id : 0;
	free(m);
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW + 3), 60, 10, &m, &n, &why), 0, 1);
	KT_INTEQ(n, 0, 1);
	free(m);
	int64_t due = -1;
	KT_INTEQ(store_outbox_next_due(f.s, &due, &why), 0, 1);
	KT_INTEQ(due, T_NOW + 2 + 60, 1); /* when the claims run out */

	/* one sent; the other failed once and is due again later */
	KT_INTEQ(store_outbox_sent(f.s, first, "Case K-000001", "body", at(T_NOW + 4), &why), 0, 2);
	KT_INTEQ(store_outbox_retry(f.s, second, "gateway said 503", T_NOW + 300, false, &why), 0, 2);
	kinds(f.s, c.case_id, got, sizeof got);
	KT_STREQ(got, "registered:sent state/ready_for_pickup:pending", 2);
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW + 299), 60, 10, &m, &n, &why), 0, 3);
	KT_INTEQ(n, 0, 3);
	free(m);
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW + 300), 60, 10, &m, &n, &why), 0, 4);
	KT_INTEQ(n, 1, 4);
	KT_INTEQ(n ? m[0].attempts : -1, 1, 4);
	KT_STREQ(n ? m[0].last_error : "", "gateway said 503", 4);
	free(m);
	/* a sender that died: its claim runs out and the message goes again,
	 * with the same id */
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW + 361), 60, 10, &m, &n, &why), 0, 5);
	KT_INTEQ(n, 1, 5);
	KT_INTEQ(n ? m[0].id : 0, second, 5);
	free(m);
	KT_INTEQ(store_outbox_retry(f.s, second, "gateway said 503", T_NOW + 400, true, &why), 0, 6);
	kinds(f.s, c.case_id, got, sizeof got);
	KT_STREQ(got, "registered:sent state/ready_for_pickup:failed", 6);
	KT_INTEQ(store_outbox_next_due(f.s, &due, &why), 0, 6);
	KT_INTEQ(due, 0, 6);
	fixture_close(&f);
}

static void test_overdue_and_purge(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	char got[400];
	fixture_open(&f, 1);
	struct case_line l;
	struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l);
	c.wants_updates = true;
	snprintf(c.contact, sizeof c.contact, "anna@example.se");
	c.decision.promised_day = T_DAY(T_NOW) + 3;
	KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, -1);
	int n = -1;
	/* not yet (the promised day itself is in time), then once: the case
	 * gets the new date, a "late" event and one apology; asked again the
	 * same or the next day, nothing more */
	int64_t d0 = T_DAY(T_NOW);
	KT_INTEQ(store_cases_move_late(f.s, d0 + 3, d0 + 6, 10, at(T_NOW + 3 * 86400), &n, &why), 0,
		 0);
	KT_INTEQ(n, 0, 0);
	KT_INTEQ(store_cases_move_late(f.s, d0 + 4, d0 + 7, 10, at(T_NOW + 4 * 86400), &n, &why), 0,
		 1);
	KT_INTEQ(n, 1, 1);
	struct case_record r;
	KT_INTEQ(store_case_get(f.s, c.case_id, d0 + 4, &r, &why), 0, 1);
	KT_INTEQ(r.decision.promised_day, d0 + 7, 1);
	/* still late for staff: the broken promise is its due day */
	KT_INTEQ(r.due_day, d0 + 3, 1);
	KT_INTEQ(r.overdue, true, 1);
	case_record_free(&r);
	struct case_event *ev = NULL;
	int n_ev = 0;
	KT_INTEQ(store_case_events(f.s, c.case_id, &ev, &n_ev, &why), 0, 1);
	KT_STREQ(n_ev ? ev[n_ev - 1].event : "", "late", 1);
	free(ev);
	KT_INTEQ(store_cases_move_late(f.s, d0 + 4, d0 + 7, 10, at(T_NOW + 4 * 86400), &n, &why), 0,
		 2);
	KT_INTEQ(n, 0, 2);
	KT_INTEQ(store_cases_move_late(f.s, d0 + 5, d0 + 8, 10, at(T_NOW + 5 * 86400), &n, &why), 0,
		 2);
	KT_INTEQ(n, 0, 2);
	/* the message is about the promise that passed */
	struct outbox_msg *m = NULL;
	KT_INTEQ(store_outbox_of_case(f.s, c.case_id, &m, &n, &why), 0, 2);
	KT_INTEQ(n, 2, 2);
	KT_INTEQ(n == 2 ? m[1].promised_day : 0, d0 + 3, 2);
	free(m);
	m = NULL;
	/* a new promise from staff that passes too is told again */
	KT_INTEQ(store_case_set_promise(f.s, c.case_id, "Vi är klara då.", d0 + 6,
					at(T_NOW + 5 * 86400), "staff:S001", &why), 0, 3);
	KT_INTEQ(store_cases_move_late(f.s, d0 + 7, d0 + 10, 10, at(T_NOW + 7 * 86400), &n, &why),
		 0, 3);
	KT_INTEQ(n, 1, 3);
	kinds(f.s, c.case_id, got, sizeof got);
	KT_STREQ(got, "registered:pending overdue:pending promise:pending overdue:pending", 3);
	/* a day in the past is not a new date */
	KT_INTEQ(store_cases_move_late(f.s, d0 + 8, d0 + 7, 10, at(T_NOW + 8 * 86400), &n, &why),
		 KIOSK_EINVAL, 3);

	/* one sent, then the case closes and its contact is purged: the unsent
	 * go, the sent one keeps no recipient */
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW + 7 * 86400), 60, 1, &m, &n, &why), 0, 4);
	KT_INTEQ(n, 1, 4);
	KT_INTEQ(store_outbox_sent(f.s, n ? m[0].id : 0, "s", "b", at(T_NOW + 7 * 86400), &why), 0,
		 4);
	free(m);
	KT_INTEQ(store_case_set_state(f.s, c.case_id, CASE_CLOSED, at(T_NOW + 8 * 86400), "staff:S001",
				      "", &why), 0, 5);
	KT_INTEQ(store_cases_move_late(f.s, d0 + 20, d0 + 23, 10, at(T_NOW + 20 * 86400), &n, &why),
		 0, 5);
	KT_INTEQ(n, 0, 5); /* a closed case is never late */
	KT_INTEQ(store_purge_contacts_at(f.s, at(T_NOW + 9 * 86400), at(T_NOW + 9 * 86400), &n, &why),
		 0, 6);
	KT_INTEQ(n, 1, 6);
	kinds(f.s, c.case_id, got, sizeof got);
	KT_STREQ(got, "registered:sent", 6);
	KT_INTEQ(store_outbox_of_case(f.s, c.case_id, &m, &n, &why), 0, 6);
	KT_STREQ(n ? m[0].recipient : "x", "", 6);
	free(m);
	fixture_close(&f);
}

/* Staff send failed messages again, or remove the contact at the
 * customer's request (unsent messages go with it). */
static void test_resend_and_forget(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	char got[400];
	fixture_open(&f, 1);
	struct case_line l;
	struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l);
	c.wants_updates = true;
	snprintf(c.contact, sizeof c.contact, "+46701234567");
	KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, -1);
	struct outbox_msg *m = NULL;
	int n = 0;
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW), 60, 10, &m, &n, &why), 0, 0);
	KT_INTEQ(store_outbox_retry(f.s, n ? m[0].id : 0, "503", T_NOW + 60, true, &why), 0, 0);
	free(m);
	kinds(f.s, c.case_id, got, sizeof got);
	KT_STREQ(got, "registered:failed", 0);
	KT_INTEQ(store_outbox_resend(f.s, c.case_id, at(T_NOW + 100), &n, &why), 0, 1);
	KT_INTEQ(n, 1, 1);
	kinds(f.s, c.case_id, got, sizeof got);
	KT_STREQ(got, "registered:pending", 1);
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW + 100), 60, 10, &m, &n, &why), 0, 1);
	KT_INTEQ(n, 1, 1);
	KT_INTEQ(n ? m[0].first_try_s : 0, T_NOW + 100, 1); /* a fresh day to try in */
	free(m);
	KT_INTEQ(store_case_set_state(f.s, c.case_id, CASE_AT_REPAIR, at(T_NOW + 200), "staff:S001",
				      "", &why), 0, 2);
	KT_INTEQ(store_case_forget_contact(f.s, c.case_id, at(T_NOW + 300), "staff:S001", &why), 0,
		 2);
	kinds(f.s, c.case_id, got, sizeof got);
	KT_STREQ(got, "", 2); /* both were unsent: gone */
	struct case_record back;
	KT_INTEQ(store_case_get(f.s, c.case_id, T_DAY(T_NOW), &back, &why), 0, 2);
	KT_INTEQ(back.wants_updates, false, 2);
	KT_STREQ(back.contact, "", 2);
	case_record_free(&back);
	KT_INTEQ(store_case_set_state(f.s, c.case_id, CASE_CLOSED, at(T_NOW + 400), "staff:S001", "",
				      &why), 0, 3);
	kinds(f.s, c.case_id, got, sizeof got);
	KT_STREQ(got, "", 3); /* and nothing more is written */
	KT_INTEQ(store_outbox_resend(f.s, c.case_id, at(T_NOW + 500), &n, &why), 0, 3);
	KT_INTEQ(n, 0, 3);
	fixture_close(&f);
}

/* Another program's change wakes a counter, its own does not; and on a
 * shared database a sender's bookkeeping (claims, sent marks) wakes
 * nobody: a sender asks every few seconds, and each would make every
 * counter read its page again. */
static int changed_within(struct store *s, int ms)
{
	struct kiosk_why why = {{0}};
	for (int waited = 0;; waited += 20) {
		int c = store_changed(s, &why);
		if (c || waited >= ms)
			return c;
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

static void test_who_is_woken(void)
{
	struct fixture f;
	struct kiosk_why why = {{0}};
	fixture_open(&f, 1);
	struct store *other = NULL;
	KT_INTEQ(store_clone(f.s, &other, &why), 0, -1);
	struct case_line l;
	struct case_record c = make_case(CASE_FAULT, NULL, 0, 1, OUTCOME_REPAIR, &l);
	c.wants_updates = true;
	snprintf(c.contact, sizeof c.contact, "anna@example.se");
	changed_within(f.s, 0); /* the first call starts listening */
	changed_within(other, 0);
	KT_INTEQ(store_case_create(f.s, &c, "0123456789abcdef", at(T_NOW), "kiosk", &why), 0, 0);
	int woke = changed_within(other, 2000), self = changed_within(f.s, 300);
	KT_INTEQ(woke, 1, 0); /* another program saved a case */
	KT_INTEQ(self, 0, 0); /* its own change is no news */
	struct outbox_msg *m = NULL;
	int n = 0;
	KT_INTEQ(store_outbox_claim(f.s, at(T_NOW + 1), 60, 10, &m, &n, &why), 0, 1);
	KT_INTEQ(n, 1, 1);
	KT_INTEQ(store_outbox_sent(f.s, n ? m[0].id : 0, "s", "b", at(T_NOW + 2), &why), 0, 1);
	free(m);
	/* SQLite can only say "the file changed"; PostgreSQL is told */
	if (fixture_pg()) {
		woke = changed_within(other, 300);
		KT_INTEQ(woke, 0, 1);
	}
	store_close(other);
	fixture_close(&f);
}

KT_MAIN(KT_FUNC(test_written_with_the_change), KT_FUNC(test_claim_send_retry),
	KT_FUNC(test_overdue_and_purge), KT_FUNC(test_resend_and_forget), KT_FUNC(test_who_is_woken))
