/* "Talk to a person" calls: a kiosk asks for staff, the counter view lists
 * the open calls oldest first, and a staff member answers one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_private.h"

int store_call_create(struct store *s, const char *store_id, const char *kiosk,
		      const char *case_id, struct kiosk_time now, int64_t *call_id,
		      struct kiosk_why *why)
{
	return store_call_create_about(s, store_id, kiosk, case_id, "", now, call_id, why);
}

int store_call_create_about(struct store *s, const char *store_id, const char *kiosk,
			    const char *case_id, const char *context, struct kiosk_time now,
			    int64_t *call_id, struct kiosk_why *why)
{
	static const char sql[] =
		"INSERT INTO staff_calls (kiosk, case_id, created_s, created_off, store_id, context)"
		" VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
	*call_id = 0;
	if (!kiosk || !*kiosk)
		return kiosk_fail(why, KIOSK_EINVAL, "A call needs the name of the kiosk.");
	/* no rule reads anything a call shares with another writer */
	int rc = store_tx_begin_for(s, NULL, 0, why);
	if (rc)
		return rc;
	int64_t seq;
	if (case_id && *case_id && (rc = store_case_seq(s, case_id, &seq, why)))
		goto fail;
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	store_bind_text(st, 1, kiosk);
	store_bind_text_or_null(st, 2, case_id);
	db_bind_int64(st, 3, now.unix_s);
	db_bind_int(st, 4, now.offset_min);
	store_bind_text(st, 5, store_id ? store_id : "");
	store_bind_text(st, 6, context ? context : "");
	int64_t id = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
	db_reset(st);
	if (!id) {
		rc = store_sql_fail(s, "save the call", why);
		goto fail;
	}
	char detail[96];
	snprintf(detail, sizeof detail, "call %lld from %.32s%s%.16s", (long long)id, kiosk,
		 case_id && *case_id ? " about " : "", case_id && *case_id ? case_id : "");
	if ((rc = store_audit_row(s, now, kiosk, "call.create", detail, why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	*call_id = id;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}

#define CALL_COLUMNS                                                              \
	"SELECT id, kiosk, case_id, created_s, created_off, answered_s, answered_off," \
	" answered_by, store_id, context FROM staff_calls"

static void call_row(struct db_stmt *st, struct staff_call *c)
{
	memset(c, 0, sizeof *c);
	c->call_id = db_col_int64(st, 0);
	store_col_text(st, 1, c->kiosk, sizeof c->kiosk);
	store_col_text(st, 2, c->case_id, sizeof c->case_id);
	c->created_at.unix_s = db_col_int64(st, 3);
	c->created_at.offset_min = db_col_int(st, 4);
	c->answered = !db_col_null(st, 5);
	if (c->answered) {
		c->answered_at.unix_s = db_col_int64(st, 5);
		c->answered_at.offset_min = db_col_int(st, 6);
		store_col_text(st, 7, c->answered_by, sizeof c->answered_by);
	}
	store_col_text(st, 8, c->store, sizeof c->store);
	store_col_text(st, 9, c->context, sizeof c->context);
}

int store_call_list_open(struct store *s, const char *store_id, struct staff_call **out, int *n,
			 struct kiosk_why *why)
{
	static const char sql_all[] = CALL_COLUMNS " WHERE answered_s IS NULL ORDER BY id";
	/* the store's calls and those from before calls had a store */
	static const char sql_store[] =
		CALL_COLUMNS " WHERE answered_s IS NULL AND store_id IN (?, '') ORDER BY id";
	*out = NULL;
	*n = 0;
	struct db_stmt *st = store_stmt(s, store_id ? sql_store : sql_all, why);
	if (!st)
		return KIOSK_EIO;
	if (store_id)
		store_bind_text(st, 1, store_id);
	int rc, cap = 0;
	struct staff_call *arr = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!store_grow((void **)&arr, *n, &cap, sizeof *arr)) {
			db_reset(st);
			free(arr);
			*n = 0;
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory listing calls.");
		}
		call_row(st, &arr[(*n)++]);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		free(arr);
		*n = 0;
		return store_sql_fail(s, "list the calls", why);
	}
	*out = arr;
	return 0;
}

int store_call_each(struct store *s, int (*fn)(void *arg, const struct staff_call *c), void *arg,
		    struct kiosk_why *why)
{
	static const char sql[] = CALL_COLUMNS " ORDER BY id";
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	db_stream(st);
	int rc, stop = 0;
	struct staff_call c;
	while (!stop && (rc = db_step(st)) == DB_ROW) {
		call_row(st, &c);
		stop = fn(arg, &c);
	}
	db_reset(st);
	if (stop)
		return stop < 0 ? stop : 0;
	return rc == DB_DONE ? 0 : store_sql_fail(s, "list the calls", why);
}

int store_call_answer(struct store *s, int64_t call_id, const char *staff_id,
		      struct kiosk_time now, struct kiosk_why *why)
{
	static const char sql_staff[] = "SELECT active FROM staff WHERE id = ?";
	static const char sql_call[] = "SELECT answered_by FROM staff_calls WHERE id = ?";
	static const char sql_answer[] =
		"UPDATE staff_calls SET answered_s = ?, answered_off = ?, answered_by = ? WHERE id = ?";
	int rc = store_tx_begin_keyf(s, why, "call:%lld", (long long)call_id);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(s, sql_staff, why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	store_bind_text(st, 1, staff_id);
	int step = db_step(st);
	bool active = step == DB_ROW && db_col_int(st, 0);
	db_reset(st);
	if (step != DB_ROW && step != DB_DONE) {
		rc = store_sql_fail(s, "look up the staff member", why);
		goto fail;
	}
	if (!active) {
		rc = kiosk_fail(why, KIOSK_EDENIED, "Staff member %.16s is unknown or disabled.",
				staff_id ? staff_id : "");
		goto fail;
	}
	if (!(st = store_stmt(s, sql_call, why))) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, call_id);
	step = db_step(st);
	char by[16] = "";
	if (step == DB_ROW)
		store_col_text(st, 0, by, sizeof by);
	db_reset(st);
	if (step == DB_DONE) {
		rc = kiosk_fail(why, KIOSK_ENOTFOUND, "Call %lld does not exist.", (long long)call_id);
		goto fail;
	}
	if (step != DB_ROW) {
		rc = store_sql_fail(s, "look up the call", why);
		goto fail;
	}
	if (by[0]) {
		rc = kiosk_fail(why, KIOSK_EEXIST, "Call %lld was already answered by %s.",
				(long long)call_id, by);
		goto fail;
	}
	if (!(st = store_stmt(s, sql_answer, why))) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, now.unix_s);
	db_bind_int(st, 2, now.offset_min);
	store_bind_text(st, 3, staff_id);
	db_bind_int64(st, 4, call_id);
	char actor[32], detail[48];
	snprintf(actor, sizeof actor, "staff:%s", staff_id);
	snprintf(detail, sizeof detail, "call %lld answered", (long long)call_id);
	if ((rc = store_step_done(s, st, "answer the call", why)) ||
	    (rc = store_audit_row(s, now, actor, "call.answer", detail, why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}

int store_call_is_open(struct store *s, int64_t call_id, bool *open, struct kiosk_why *why)
{
	struct db_stmt *st =
		store_stmt(s, "SELECT answered_s IS NULL FROM staff_calls WHERE id = ?", why);
	*open = false;
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, call_id);
	int rc = db_step(st);
	*open = rc == DB_ROW && db_col_int(st, 0) != 0;
	db_reset(st);
	if (rc == DB_DONE)
		return kiosk_fail(why, KIOSK_ENOTFOUND, "Call %lld does not exist.", (long long)call_id);
	return rc == DB_ROW ? 0 : store_sql_fail(s, "read the call", why);
}

int store_call_withdraw(struct store *s, int64_t call_id, const char *kiosk, struct kiosk_time now,
			struct kiosk_why *why)
{
	static const char sql[] = "UPDATE staff_calls SET answered_s = ?, answered_off = ?,"
				  " answered_by = '' WHERE id = ? AND answered_s IS NULL";
	int rc = store_tx_begin_keyf(s, why, "call:%lld", (long long)call_id);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st) {
		rc = KIOSK_EIO;
		goto fail;
	}
	db_bind_int64(st, 1, now.unix_s);
	db_bind_int(st, 2, now.offset_min);
	db_bind_int64(st, 3, call_id);
	if ((rc = store_step_done(s, st, "withdraw the call", why)))
		goto fail;
	if (db_changes(s->db) == 0) { /* answered meanwhile: staff are coming anyway */
		store_tx_rollback(s);
		return 0;
	}
	char detail[64];
	snprintf(detail, sizeof detail, "call %lld withdrawn by the customer", (long long)call_id);
	if ((rc = store_audit_row(s, now, kiosk && *kiosk ? kiosk : "kiosk", "call.withdraw", detail,
				  why)) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(s);
	return rc;
}
