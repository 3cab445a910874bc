/* Changes to an existing case: timeline notes, state, staff override of
 * the decision, promises, print results; the no-receipt credit sum; and
 * the purge of contact details after the retention period.
 *
 * Every change is one transaction: the row update, its timeline event and
 * the audit-log row commit together or not at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

/* Binds the statement's own parameters, from ?4 on (?1 seq, ?2/?3 the
 * instant of the change). */
typedef void (*bind_fn)(struct db_stmt *st, const void *arg);

/* notify: the outbox kind of the change for a customer who asked for
 * updates (NULL: nothing to tell), with state_to for a state move. */
struct notify {
	const char *kind;
	const char *state_to;
};

static int case_change(struct store *s, const char *case_id, const char *sql, bind_fn bind,
		       const void *arg, struct kiosk_time at, const char *actor, const char *event,
		       const char *text, struct notify tell, struct kiosk_why *why)
{
	int64_t seq;
	int rc = store_tx_begin_case(s, case_id, why);
	if (rc)
		return rc;
	if ((rc = store_case_seq(s, case_id, &seq, why)))
		goto fail;
	if (sql) {
		struct db_stmt *st = store_stmt(s, sql, why);
		if (!st) {
			rc = KIOSK_EIO;
			goto fail;
		}
		db_bind_int64(st, 1, seq);
		db_bind_int64(st, 2, at.unix_s);
		db_bind_int(st, 3, at.offset_min);
		if (bind)
			bind(st, arg);
		if ((rc = store_step_done(s, st, "update the case", why)))
			goto fail;
	}
	if ((rc = store_event_row(s, seq, case_id, at, actor && *actor ? actor : "system", event,
				  text, why)) ||
	    (tell.kind && (rc = store_outbox_add(s, seq, tell.kind, tell.state_to, at, why))) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}

int store_case_add_event(struct store *s, const char *case_id, struct kiosk_time at,
			 const char *actor, const char *event, const char *text,
			 struct kiosk_why *why)
{
	if (!event || !*event)
		return kiosk_fail(why, KIOSK_EINVAL, "A timeline event needs a name.");
	static const char sql[] = "UPDATE cases SET updated_s = ?2, updated_off = ?3 WHERE seq = ?1";
	/* notes and views are not news to the customer */
	return case_change(s, case_id, sql, NULL, NULL, at, actor, event, text, (struct notify){0},
			   why);
}

struct state_arg {
	enum case_state state;
	const char *next_step; /* NULL: keep the next step and its day */
	int64_t promised_day;
};

static void bind_state(struct db_stmt *st, const void *arg)
{
	const struct state_arg *a = arg;
	store_bind_text(st, 4, case_state_name(a->state));
	st->be->bind_text(st, 5, a->next_step); /* NULL binds NULL: keep */
	db_bind_int64(st, 6, a->promised_day);
}

int store_case_move(struct store *s, const char *case_id, enum case_state state,
		    const char *next_step, int64_t promised_day, struct kiosk_time at,
		    const char *actor, const char *text, struct kiosk_why *why)
{
	/* closed_s starts the retention clock; reopening a case stops it. A
	 * new next step comes with its day, which is also the day the case is
	 * due (a late case given a new step is no longer late). */
	static const char sql[] =
		"UPDATE cases SET state = ?4, updated_s = ?2, updated_off = ?3,"
		" closed_s = CASE WHEN ?4 = 'closed' THEN COALESCE(closed_s, ?2) END,"
		" next_step = COALESCE(?5, next_step),"
		" promised_day = CASE WHEN ?5 IS NULL THEN promised_day ELSE ?6 END,"
		" due_day = CASE WHEN ?5 IS NULL THEN due_day ELSE ?6 END WHERE seq = ?1";
	if ((unsigned)state >= CASE_STATE_COUNT)
		return kiosk_fail(why, KIOSK_EINVAL, "That case state does not exist.");
	if (promised_day < 0)
		return kiosk_fail(why, KIOSK_EINVAL, "The promised day is not a date.");
	struct state_arg a = {state, next_step, promised_day};
	char line[600];
	if (text && *text)
		snprintf(line, sizeof line, "%s: %s", case_state_name(state), text);
	else
		snprintf(line, sizeof line, "%s", case_state_name(state));
	return case_change(s, case_id, sql, bind_state, &a, at, actor, "state", line,
			   (struct notify){"state", case_state_name(state)}, why);
}

int store_case_set_state(struct store *s, const char *case_id, enum case_state state,
			 struct kiosk_time at, const char *actor, const char *text,
			 struct kiosk_why *why)
{
	return store_case_move(s, case_id, state, NULL, 0, at, actor, text, why);
}

static void bind_decision(struct db_stmt *st, const void *arg)
{
	store_bind_decision(st, 4, arg);
}

int store_case_set_decision(struct store *s, const char *case_id, const struct decision *d,
			    struct kiosk_time at, const char *actor, const char *reason,
			    struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE cases SET outcome = ?4, rule = ?5, explanation = ?6, details = ?7,"
		" amount = ?8, next_step = ?9, promised_day = ?10, due_day = ?10, updated_s = ?2,"
		" updated_off = ?3"
		" WHERE seq = ?1";
	if (!d || (unsigned)d->outcome >= OUTCOME_COUNT)
		return kiosk_fail(why, KIOSK_EINVAL, "That decision has an unknown outcome.");
	if (!reason || !*reason)
		return kiosk_fail(why, KIOSK_EINVAL, "Overriding a decision needs a reason.");
	char line[600];
	snprintf(line, sizeof line, "%s (%s): %s", case_outcome_name(d->outcome),
		 d->rule[0] ? d->rule : "staff", reason);
	return case_change(s, case_id, sql, bind_decision, d, at, actor, "override", line,
			   (struct notify){"decision", NULL}, why);
}

struct promise_arg {
	const char *next_step;
	int64_t day;
};

static void bind_promise(struct db_stmt *st, const void *arg)
{
	const struct promise_arg *a = arg;
	store_bind_text(st, 4, a->next_step);
	db_bind_int64(st, 5, a->day);
}

int store_case_set_promise(struct store *s, const char *case_id, const char *next_step,
			   int64_t promised_day, struct kiosk_time at, const char *actor,
			   struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE cases SET next_step = ?4, promised_day = ?5, due_day = ?5, updated_s = ?2,"
		" updated_off = ?3 WHERE seq = ?1";
	if (promised_day < 0)
		return kiosk_fail(why, KIOSK_EINVAL, "The promised day is not a date.");
	struct promise_arg a = {next_step ? next_step : "", promised_day};
	char day[16] = "no date", line[400];
	if (promised_day > 0)
		date_format(promised_day, day, sizeof day);
	snprintf(line, sizeof line, "%s (by %s)", a.next_step, day);
	return case_change(s, case_id, sql, bind_promise, &a, at, actor, "promise", line,
			   (struct notify){"promise", NULL}, why);
}

static void bind_contact(struct db_stmt *st, const void *arg);

int store_case_set_contact(struct store *s, const char *case_id, const char *contact,
			   const char *channel, struct kiosk_time at, struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE cases SET contact = ?4, wants_updates = 1, updated_s = ?2, updated_off = ?3"
		" WHERE seq = ?1";
	if (!contact || !*contact)
		return kiosk_fail(why, KIOSK_EINVAL, "No contact was given.");
	char line[64];
	/* the timeline says how, never the address itself */
	snprintf(line, sizeof line, "updates by %s", channel);
	return case_change(s, case_id, sql, bind_contact, contact, at, "kiosk", "contact", line,
			   (struct notify){"registered", NULL}, why);
}

int store_case_forget_contact(struct store *s, const char *case_id, struct kiosk_time at,
			      const char *actor, struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE cases SET contact = NULL, wants_updates = 0, updated_s = ?2,"
		" updated_off = ?3 WHERE seq = ?1";
	int64_t seq;
	int rc = store_tx_begin_case(s, case_id, why);
	if (rc)
		return rc;
	struct db_stmt *st = NULL;
	if ((rc = store_case_seq(s, case_id, &seq, why)))
		goto fail;
	if (!(st = store_stmt(s, sql, why))) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, seq);
	db_bind_int64(st, 2, at.unix_s);
	db_bind_int(st, 3, at.offset_min);
	if ((rc = store_step_done(s, st, "remove the contact", why)) ||
	    (rc = store_outbox_forget(s, seq, why)) ||
	    (rc = store_event_row(s, seq, case_id, at, actor && *actor ? actor : "system",
				  "contact_removed", "at the customer's request", why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}

static void bind_contact(struct db_stmt *st, const void *arg)
{
	store_bind_text(st, 4, arg);
}

int store_case_set_printed(struct store *s, const char *case_id, bool printed,
			   struct kiosk_time at, const char *reason, struct kiosk_why *why)
{
	/* A print result is not a change of the case, so updated_s stays. A
	 * reprint's staged code (the newest pending one) becomes the case's
	 * code once its paper has printed, and every other pending code goes;
	 * when it has not printed only it goes (an earlier reprint killed
	 * while printing may have got its paper out). */
	static const char sql_renewed[] =
		"UPDATE cases SET receipt_printed = 1, token_hash = ?2 WHERE seq = ?1";
	static const char sql_ok[] = "UPDATE cases SET receipt_printed = 1 WHERE seq = ?1";
	static const char sql_failed[] = "UPDATE cases SET receipt_printed = 0 WHERE seq = ?1";
	const char *text = printed ? "case receipt printed" : reason && *reason ? reason
										   : "print failed";
	int64_t seq;
	unsigned char pending[STORE_PENDING_TOKENS * STORE_TOKEN_HASH_BYTES];
	int n = 0;
	int rc = store_tx_begin_case(s, case_id, why);
	if (rc)
		return rc;
	if ((rc = store_case_seq(s, case_id, &seq, why)) ||
	    (rc = store_case_pending_tokens(s, seq, pending, &n, why)) ||
	    (rc = store_case_put_pending(s, seq, pending, printed || n == 0 ? 0 : n - 1, why)))
		goto fail;
	bool renewed = n > 0;
	struct db_stmt *st =
		store_stmt(s, !printed ? sql_failed : renewed ? sql_renewed : sql_ok, why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, seq);
	if (printed && renewed)
		db_bind_blob(st, 2, pending + (size_t)(n - 1) * STORE_TOKEN_HASH_BYTES,
			     STORE_TOKEN_HASH_BYTES);
	if ((rc = store_step_done(s, st, "record the print", why)) ||
	    (rc = store_event_row(s, seq, case_id, at, "printer",
				  printed ? "printed" : "print_failed", text, why)) ||
	    (printed && renewed &&
	     (rc = store_event_row(s, seq, case_id, at, "printer", "code_renewed",
				   "a new case code was printed; the code on earlier receipts no "
				   "longer works",
				   why))) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}

/* The purge goes a few cases at a time, each batch a short transaction
 * under its cases' keys: one transaction over every case due held the
 * whole database (and the audit chain, from its first timeline row), so
 * with 20 000 due on PostgreSQL every registration of the chain waited
 * 5 s and more. On PostgreSQL a batch is as many cases as a transaction
 * takes keys (db.h); SQLite has one writer whatever the keys, and larger
 * batches cost fewer flushed commits. */
#define PURGE_BATCH_PG 8
#define PURGE_BATCH_SQLITE 256

struct purge_due {
	int64_t seq, closed_s;
	char id[CASE_ID_MAX];
};

/* Where the purge is in what is due, read in (closed_s, seq) order: a
 * plain read, each case checked again by the write. SQLite pages by key,
 * each page starting where the last ended, on the index of what is due.
 * PostgreSQL reads it once, held across the batches' transactions: paged
 * by key, its planner, told by statistics that cases is empty (an
 * ANALYZE that ran while something wrote), read every closed case for
 * each page, and a first purge of 8 000 due cases took 10 million rows. */
struct purge_read {
	struct db_stmt *st; /* PostgreSQL's held read, NULL before and after */
	int64_t after_s, after_seq;
};

static int purge_next(struct store *s, struct purge_read *r, struct kiosk_time closed_before,
		      struct purge_due *due, int max, int *n, struct kiosk_why *why)
{
#define PURGE_DUE                                                                            \
	" WHERE state = 'closed' AND closed_s < ?1"                                           \
	" AND (contact IS NOT NULL OR wants_updates <> 0)"
	/* SQLite is told the index (its planner would scan by closed_s) */
	static const char sql_page[] =
		"SELECT seq, id, closed_s FROM cases INDEXED BY cases_contact_due" PURGE_DUE
		" AND closed_s >= ?2 AND (closed_s > ?2 OR seq > ?3) ORDER BY closed_s, seq LIMIT ?4";
	static const char sql_held[] =
		"SELECT seq, id, closed_s FROM cases" PURGE_DUE " ORDER BY closed_s, seq";
#undef PURGE_DUE
	bool held = store_dialect(s) == DB_POSTGRES;
	*n = 0;
	struct db_stmt *st = r->st;
	if (!st) {
		if (!(st = store_stmt(s, held ? sql_held : sql_page, why)))
			return KIOSK_EIO;
		db_bind_int64(st, 1, closed_before.unix_s);
		if (held) {
			db_stream_held(st);
			r->st = st;
		} else {
			db_bind_int64(st, 2, r->after_s);
			db_bind_int64(st, 3, r->after_seq);
			db_bind_int(st, 4, max);
		}
	}
	int rc = DB_DONE;
	while (*n < max && (rc = db_step(st)) == DB_ROW) {
		due[*n].seq = db_col_int64(st, 0);
		store_col_text(st, 1, due[*n].id, sizeof due[*n].id);
		due[*n].closed_s = db_col_int64(st, 2);
		(*n)++;
	}
	if (*n > 0) {
		r->after_s = due[*n - 1].closed_s;
		r->after_seq = due[*n - 1].seq;
	}
	int out = rc == DB_ERROR ? store_sql_fail(s, "find cases to purge", why) : 0;
	if (!held || rc != DB_ROW) {
		db_reset(st);
		r->st = NULL;
	}
	return out;
}

/* One batch in one transaction; *n of them were still due and purged. */
static int purge_batch(struct store *s, struct kiosk_time closed_before, struct kiosk_time now,
		       const struct purge_due *due, int n_due, int *n, struct kiosk_why *why)
{
	/* The rule is inside a CASE so that only the case's number can lead
	 * to an index: where the statistics said cases was empty, PostgreSQL
	 * read every closed case by the state index for each case purged. */
	static const char sql_clear[] =
		"UPDATE cases SET contact = NULL, wants_updates = 0 WHERE seq = ? AND CASE WHEN"
		" state = 'closed' AND closed_s < ? THEN contact IS NOT NULL OR wants_updates <> 0"
		" ELSE 0 = 1 END";
	char keys[PURGE_BATCH_PG][CASE_ID_MAX + 8];
	const char *k[PURGE_BATCH_PG] = {0};
	int n_keys = 0;
	for (; store_dialect(s) == DB_POSTGRES && n_keys < n_due; n_keys++) {
		snprintf(keys[n_keys], sizeof keys[0], "case:%s", due[n_keys].id);
		k[n_keys] = keys[n_keys];
	}
	*n = 0;
	int rc = store_tx_begin_for(s, k, n_keys, why);
	if (rc)
		return rc;
	for (int i = 0; i < n_due; i++) {
		/* the rule again, inside the transaction: a case reopened since it
		 * was read keeps its contact */
		struct db_stmt *clear = store_stmt(s, sql_clear, why);
		if (!clear) {
			rc = KIOSK_EIO;
			goto fail;
		}
		db_bind_int64(clear, 1, due[i].seq);
		db_bind_int64(clear, 2, closed_before.unix_s);
		if ((rc = store_step_done(s, clear, "remove contact details", why)))
			goto fail;
		if (db_changes(s->db) == 0)
			continue;
		if ((rc = store_outbox_forget(s, due[i].seq, why)) ||
		    (rc = store_event_row(s, due[i].seq, due[i].id, now, "system", "purge",
					  "contact details removed after the retention period",
					  why)))
			goto fail;
		(*n)++;
	}
	if ((rc = store_tx_commit(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	*n = 0;
	return rc;
}

int store_purge_contacts_at(struct store *s, struct kiosk_time closed_before,
			    struct kiosk_time now, int *n, struct kiosk_why *why)
{
	*n = 0;
	int max = store_dialect(s) == DB_POSTGRES ? PURGE_BATCH_PG : PURGE_BATCH_SQLITE;
	struct purge_due *due = malloc((size_t)max * sizeof *due);
	if (!due)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory purging contact details.");
	struct purge_read r = {.after_s = INT64_MIN};
	int rc, n_due, done, reconnects = 0;
	for (;;) {
		rc = purge_next(s, &r, closed_before, due, max, &n_due, why);
		if (!rc && n_due > 0 &&
		    !(rc = purge_batch(s, closed_before, now, due, n_due, &done, why))) {
			*n += done;
			continue;
		}
		/* PostgreSQL's held read is lost with its connection (a failover,
		 * a server or pooler restarted): the next call connects again, and
		 * the read starts over; what was purged is no longer due, and a
		 * batch cut off was rolled back whole. A few times, not forever. */
		if (rc != KIOSK_EIO || store_dialect(s) != DB_POSTGRES || ++reconnects > 3)
			break;
		if (r.st)
			db_reset(r.st);
		r = (struct purge_read){.after_s = INT64_MIN};
	}
	if (r.st)
		db_reset(r.st);
	free(due);
	return rc;
}

/* One late case moved to new_day, unless someone changed its promise or
 * closed it since it was read (*moved false then). */
static int move_late_one(struct store *s, int64_t seq, const char *case_id, int64_t old_day,
			 int64_t new_day, struct kiosk_time at, bool *moved, struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE cases SET promised_day = ?4, updated_s = ?2, updated_off = ?3"
		" WHERE seq = ?1 AND promised_day = ?5 AND state <> 'closed'";
	*moved = false;
	int rc = store_tx_begin_case(s, case_id, why);
	if (rc)
		return rc;
	/* the message first: it is about the promise that passed */
	if ((rc = store_outbox_add(s, seq, "overdue", NULL, at, why)))
		goto fail;
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, seq);
	db_bind_int64(st, 2, at.unix_s);
	db_bind_int(st, 3, at.offset_min);
	db_bind_int64(st, 4, new_day);
	db_bind_int64(st, 5, old_day);
	if ((rc = store_step_done(s, st, "give a late case a new date", why)))
		goto fail;
	if (db_changes(s->db) == 0) {
		store_tx_rollback(s);
		return 0;
	}
	char was[16], now_by[16], line[64];
	date_format(old_day, was, sizeof was);
	date_format(new_day, now_by, sizeof now_by);
	snprintf(line, sizeof line, "by %s, now by %s", was, now_by);
	if ((rc = store_event_row(s, seq, case_id, at, "system", "late", line, why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	*moved = true;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}

int store_cases_move_late(struct store *s, int64_t today, int64_t new_day, int max,
			  struct kiosk_time now, int *n, struct kiosk_why *why)
{
	/* the open due-day index (a case's due day is never after its
	 * promised day), oldest promise first */
	static const char sql[] = "SELECT seq, id, promised_day FROM cases"
				  " WHERE due_day > 0 AND due_day < ?1 AND state <> 'closed'"
				  " AND promised_day < ?1 ORDER BY promised_day, created_s LIMIT ?2";
	struct late {
		int64_t seq, day;
		char id[CASE_ID_MAX];
	} *late = calloc(max > 0 ? (size_t)max : 1, sizeof *late);
	*n = 0;
	if (!late)
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading late cases.");
	if (new_day < today) {
		free(late);
		return kiosk_fail(why, KIOSK_EINVAL, "A late case's new date cannot be in the past.");
	}
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st) {
		free(late);
		return KIOSK_EIO;
	}
	db_bind_int64(st, 1, today);
	db_bind_int(st, 2, max);
	int k = 0, rc;
	while (k < max && (rc = db_step(st)) == DB_ROW) {
		late[k].seq = db_col_int64(st, 0);
		store_col_text(st, 1, late[k].id, sizeof late[k].id);
		late[k].day = db_col_int64(st, 2);
		k++;
	}
	db_reset(st);
	if (k < max && rc != DB_DONE) {
		free(late);
		return store_sql_fail(s, "read the late cases", why);
	}
	rc = 0;
	for (int i = 0; i < k && !rc; i++) {
		bool moved;
		rc = move_late_one(s, late[i].seq, late[i].id, late[i].day, new_day, now, &moved,
				   why);
		*n += moved;
	}
	free(late);
	return rc;
}
