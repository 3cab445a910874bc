/* The outbox (schema 7): messages to customers who asked for updates.
 *
 * A row is written inside the transaction of the change it tells about
 * (store_outbox_add, from the case's own writes), so a change and its
 * message commit together or not at all, and only for a case whose
 * customer gave a contact and asked for updates. Senders claim due rows
 * in a short transaction of their own under the key "outbox" (two senders
 * take turns and never hold the same row), send outside any transaction,
 * and then mark each row sent or due again later. A sender that dies
 * between its send and its mark leaves a claim that runs out: the message
 * goes again with the same msg_id, which receivers use to deduplicate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

/* A fresh message id per row, made by the engine. */
#define MSG_ID_SQLITE "lower(hex(randomblob(12)))"
#define MSG_ID_PG "substr(md5(random()::text || clock_timestamp()::text), 1, 24)"

#define OUTBOX_INSERT(msgid)                                                                  \
	"INSERT INTO outbox (case_seq, kind, state_to, channel, recipient, lang, msg_id,"     \
	" promised_day, created_s, created_off, due_s)"                                        \
	" SELECT seq, ?2, ?3, CASE WHEN instr(contact, '@') > 0 THEN 'email' ELSE 'sms' END," \
	" contact, lang, " msgid ", promised_day, ?4, ?5, ?4 FROM cases"

int store_outbox_add(struct store *s, int64_t seq, const char *kind, const char *state_to,
		     struct kiosk_time at, struct kiosk_why *why)
{
	static const char *const sql[] = {
		[DB_SQLITE] = OUTBOX_INSERT(MSG_ID_SQLITE)
		" WHERE seq = ?1 AND wants_updates <> 0 AND contact IS NOT NULL AND contact <> ''",
		[DB_POSTGRES] = OUTBOX_INSERT(MSG_ID_PG)
		" WHERE seq = ?1 AND wants_updates <> 0 AND contact IS NOT NULL AND contact <> ''"};
	struct db_stmt *st = store_stmt(s, sql[store_dialect(s)], why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, state_to ? state_to : "");
	db_bind_int64(st, 4, at.unix_s);
	db_bind_int(st, 5, at.offset_min);
	return store_step_later(s, st, "write the message to the customer", why);
}

#define OUTBOX_COLS                                                                           \
	"o.id, c.id, o.kind, o.state_to, o.channel, o.recipient, o.lang, o.msg_id,"           \
	" o.promised_day, o.created_s, o.created_off, o.status, o.attempts,"                  \
	" COALESCE(o.sent_s, 0), COALESCE(o.last_error, ''), o.first_try_s"                   \
	" FROM outbox o JOIN cases c ON c.seq = o.case_seq"

static void outbox_row(struct db_stmt *st, struct outbox_msg *m)
{
	memset(m, 0, sizeof *m);
	m->id = db_col_int64(st, 0);
	store_col_text(st, 1, m->case_id, sizeof m->case_id);
	store_col_text(st, 2, m->kind, sizeof m->kind);
	store_col_text(st, 3, m->state_to, sizeof m->state_to);
	store_col_text(st, 4, m->channel, sizeof m->channel);
	store_col_text(st, 5, m->recipient, sizeof m->recipient);
	store_col_text(st, 6, m->lang, sizeof m->lang);
	store_col_text(st, 7, m->msg_id, sizeof m->msg_id);
	m->promised_day = db_col_int64(st, 8);
	m->created_at.unix_s = db_col_int64(st, 9);
	m->created_at.offset_min = db_col_int(st, 10);
	store_col_text(st, 11, m->status, sizeof m->status);
	m->attempts = db_col_int(st, 12);
	m->sent_s = db_col_int64(st, 13);
	store_col_text(st, 14, m->last_error, sizeof m->last_error);
	m->first_try_s = db_col_int64(st, 15);
}

/* Rows of st into a new array (*out, *n). */
static int read_msgs(struct store *s, struct db_stmt *st, int max, struct outbox_msg **out,
		     int *n, struct kiosk_why *why)
{
	int rc, cap = 0;
	*out = NULL;
	*n = 0;
	while ((max < 0 || *n < max) && (rc = db_step(st)) == DB_ROW) {
		if (!store_grow((void **)out, *n, &cap, sizeof **out)) {
			db_reset(st);
			free(*out);
			*out = NULL;
			*n = 0;
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading messages.");
		}
		outbox_row(st, &(*out)[(*n)++]);
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store_sql_fail(s, "read the messages", why);
	}
	return 0;
}

int store_outbox_claim(struct store *s, struct kiosk_time now, int lease_s, int max,
		       struct outbox_msg **out, int *n, struct kiosk_why *why)
{
	static const char sql_due[] =
		"SELECT " OUTBOX_COLS " WHERE o.status = 'pending' AND o.due_s <= ?1"
		" AND o.claimed_until_s <= ?1 ORDER BY o.due_s, o.id LIMIT ?2";
	static const char sql_claim[] =
		"UPDATE outbox SET claimed_until_s = ?1,"
		" first_try_s = CASE WHEN first_try_s = 0 THEN ?3 ELSE first_try_s END WHERE id = ?2";
	static const char *const keys[] = {"outbox"};
	*out = NULL;
	*n = 0;
	int rc = store_tx_begin_for(s, keys, 1, why);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(s, sql_due, why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, now.unix_s);
	db_bind_int(st, 2, max);
	if ((rc = read_msgs(s, st, max, out, n, why)))
		goto fail;
	for (int i = 0; i < *n; i++) {
		if (!(st = store_stmt(s, sql_claim, why))) {
			rc = KIOSK_EIO;
			goto fail;
		}
		db_bind_int64(st, 1, now.unix_s + lease_s);
		db_bind_int64(st, 2, (*out)[i].id);
		db_bind_int64(st, 3, now.unix_s);
		if (!(*out)[i].first_try_s)
			(*out)[i].first_try_s = now.unix_s;
		if ((rc = store_step_done(s, st, "claim a message", why)))
			goto fail;
	}
	if ((rc = store_tx_commit_quiet(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

/* One UPDATE of a claimed message in a short transaction of its own under
 * the key "outbox": texts t[0..] bound as ?1.., then the integers i[0..]. */
static int outbox_update(struct store *s, const char *sql, const char *const *t, int n_t,
			 const int64_t *i, int n_i, const char *what, struct kiosk_why *why)
{
	static const char *const keys[] = {"outbox"};
	int rc = store_tx_begin_for(s, keys, 1, why);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st) {
		store_tx_rollback(s);
		return KIOSK_EIO;
	}
	for (int k = 0; k < n_t; k++)
		store_bind_text(st, k + 1, t[k]);
	for (int k = 0; k < n_i; k++)
		db_bind_int64(st, n_t + k + 1, i[k]);
	if ((rc = store_step_done(s, st, what, why)) || (rc = store_tx_commit_quiet(s, why)))
		store_tx_rollback(s);
	return rc;
}

int store_outbox_sent(struct store *s, int64_t id, const char *subject, const char *body,
		      struct kiosk_time now, struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE outbox SET subject = ?1, body = ?2, status = 'sent', sent_s = ?3,"
		" attempts = attempts + 1, claimed_until_s = 0, last_error = NULL WHERE id = ?4";
	const char *t[] = {subject, body};
	const int64_t i[] = {now.unix_s, id};
	return outbox_update(s, sql, t, 2, i, 2, "mark a message sent", why);
}

int store_outbox_retry(struct store *s, int64_t id, const char *error, int64_t next_due_s,
		       bool give_up, struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE outbox SET status = ?1, last_error = ?2, due_s = ?3, attempts = attempts + 1,"
		" claimed_until_s = 0 WHERE id = ?4 AND status = 'pending'";
	const char *t[] = {give_up ? "failed" : "pending", error};
	const int64_t i[] = {next_due_s, id};
	return outbox_update(s, sql, t, 2, i, 2, "note a failed message", why);
}

int store_outbox_of_case(struct store *s, const char *case_id, struct outbox_msg **out, int *n,
			 struct kiosk_why *why)
{
	static const char sql[] = "SELECT " OUTBOX_COLS " WHERE c.id = ? ORDER BY o.id";
	*out = NULL;
	*n = 0;
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, case_id);
	return read_msgs(s, st, -1, out, n, why);
}

int store_outbox_next_due(struct store *s, int64_t *due_s, struct kiosk_why *why)
{
	static const char sql[] =
		"SELECT COALESCE(MIN(CASE WHEN claimed_until_s > due_s THEN claimed_until_s"
		" ELSE due_s END), 0) FROM outbox WHERE status = 'pending'";
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	int rc = db_step(st);
	*due_s = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW ? 0 : store_sql_fail(s, "read the messages", why);
}

int store_outbox_forget(struct store *s, int64_t seq, struct kiosk_why *why)
{
	static const char sql_drop[] =
		"DELETE FROM outbox WHERE case_seq = ? AND status = 'pending'";
	static const char sql_wipe[] = "UPDATE outbox SET recipient = '' WHERE case_seq = ?";
	struct db_stmt *st = store_stmt(s, sql_drop, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	/* nothing reads what they did: on PostgreSQL they go with the commit */
	int rc = store_step_later(s, st, "drop unsent messages", why);
	if (rc)
		return rc;
	if (!(st = store_stmt(s, sql_wipe, why)))
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	return store_step_later(s, st, "remove the contact from sent messages", why);
}

int store_outbox_resend(struct store *s, const char *case_id, struct kiosk_time now, int *n,
			struct kiosk_why *why)
{
	static const char sql[] =
		"UPDATE outbox SET status = 'pending', due_s = ?1, first_try_s = 0,"
		" claimed_until_s = 0 WHERE status = 'failed' AND recipient <> ''"
		" AND case_seq = (SELECT seq FROM cases WHERE id = ?2 AND contact IS NOT NULL)";
	*n = 0;
	int rc = store_tx_begin_case(s, case_id, why);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st) {
		store_tx_rollback(s);
		return KIOSK_EIO;
	}
	db_bind_int64(st, 1, now.unix_s);
	store_bind_text(st, 2, case_id);
	if ((rc = store_step_done(s, st, "send the messages again", why))) {
		store_tx_rollback(s);
		return rc;
	}
	*n = (int)db_changes(s->db);
	if ((rc = store_tx_commit(s, why)))
		*n = 0;
	return rc;
}
