/* Cases read back: one case with its lines, a page of the filtered list
 * (in three parts, each by the index it can use, so a page costs about
 * what it shows), every case one at a time for reports, and a case's
 * timeline. Saving is store_cases.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "core/wipe.h"
#include "store/store_private.h"

static int read_lines(struct store *s, int64_t seq, struct case_record *c, struct kiosk_why *why)
{
	static const char sql[] =
		"SELECT receipt_line, sku, description, quantity, unit_price, category, reason,"
		" condition FROM case_lines WHERE case_seq = ? ORDER BY n";
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	int rc, cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!store_grow((void **)&c->lines, c->n_lines, &cap, sizeof *c->lines)) {
			db_reset(st);
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading a case.");
		}
		struct case_line *l = &c->lines[c->n_lines++];
		memset(l, 0, sizeof *l);
		l->receipt_line = db_col_int(st, 0);
		store_col_text(st, 1, l->sku, sizeof l->sku);
		store_col_text(st, 2, l->description, sizeof l->description);
		l->quantity = db_col_int(st, 3);
		l->unit_price = db_col_int64(st, 4);
		store_col_text(st, 5, l->category, sizeof l->category);
		return_reason_parse(db_col_text(st, 6), &l->reason);
		item_condition_parse(db_col_text(st, 7), &l->condition);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : store_sql_fail(s, "read the case lines", why);
}

int store_case_get(struct store *s, const char *case_id, int64_t today, struct case_record *out,
		   struct kiosk_why *why)
{
	static const char sql[] = "SELECT " STORE_CASE_COLS ", seq FROM cases WHERE id = ?";
	memset(out, 0, sizeof *out);
	if (!case_id || !*case_id)
		return kiosk_fail(why, KIOSK_EINVAL, "No case number was given.");
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, case_id);
	int rc = db_step(st);
	int64_t seq = 0;
	if (rc == DB_ROW) {
		store_case_row(st, today, out);
		seq = db_col_int64(st, STORE_CASE_N_COLS);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return kiosk_fail(why, KIOSK_ENOTFOUND, "Case %.20s does not exist.", case_id);
	if (rc != DB_ROW)
		return store_sql_fail(s, "read the case", why);
	if ((rc = read_lines(s, seq, out, why)))
		case_record_free(out);
	return rc;
}

/* The case list's SQL, one text per part and combination of filters (so
 * each is planned with the indexes it can use, and cached by the store),
 * built once. The list is three parts, each newest first:
 *   0 overdue (open, due before today): the due-day index;
 *   1 waiting for staff, not overdue: the state index, in its order;
 *   2 everything else: the creation index, in its order.
 * A page reads the parts in turn and stops when it is full, so it costs
 * about what it shows; a part's size is counted only when an offset skips
 * the whole of it. ?1 today, ?2 state, ?3 store, ?4 receipt, ?5 ID hash,
 * ?6 case number text, ?7 limit (-1: all), ?8 offset. With a store, each
 * part reads the index that leads with the store (schema 6). */
enum {
	LF_STATE = 1, LF_OVERDUE = 2, LF_RECEIPT = 4, LF_ID_HASH = 8, LF_SEARCH = 16,
	LF_STORE = 32, LF_ALL = 64
};
enum { LIST_PARTS = 3 };
static char *list_sql[LIST_PARTS][LF_ALL], *count_sql[LIST_PARTS][LF_ALL];

#define OVERDUE_SQL "(due_day > 0 AND due_day < ?1 AND state <> 'closed')"

static void list_sql_build(void)
{
	static const char *const parts[LIST_PARTS] = {
		OVERDUE_SQL,
		"state = 'waiting_for_staff' AND NOT " OVERDUE_SQL,
		"state <> 'waiting_for_staff' AND NOT " OVERDUE_SQL,
	};
	for (int part = 0; part < LIST_PARTS; part++) {
		for (int m = 0; m < LF_ALL; m++) {
			char where[512], sql[1536];
			snprintf(where, sizeof where, " FROM cases WHERE %s%s%s%s%s%s", parts[part],
				 m & LF_STORE ? " AND store_id = ?3" : "",
				 m & LF_STATE ? " AND state = ?2" : "",
				 m & LF_RECEIPT ? " AND receipt_id = ?4" : "",
				 m & LF_ID_HASH ? " AND id_hash = ?5" : "",
				 m & LF_SEARCH ? " AND instr(upper(id), upper(?6)) > 0" : "");
			/* The overdue part is sorted, not read in index order: its
			 * keys are sorted from the covering index first and only the
			 * page's rows are read, not every overdue case whole. */
			if (part == 0)
				snprintf(sql, sizeof sql,
					 "SELECT " STORE_CASE_COLS " FROM cases WHERE seq IN (SELECT seq%s"
					 " ORDER BY created_s DESC, seq DESC LIMIT ?7 OFFSET ?8)"
					 " ORDER BY created_s DESC, seq DESC", where);
			else
				snprintf(sql, sizeof sql,
					 "SELECT " STORE_CASE_COLS "%s ORDER BY created_s DESC, seq DESC"
					 " LIMIT ?7 OFFSET ?8", where);
			list_sql[part][m] = strdup(sql); /* kept for the life of the process */
			snprintf(sql, sizeof sql, "SELECT count(*)%s", where);
			count_sql[part][m] = strdup(sql);
		}
	}
}

static void list_bind(struct db_stmt *st, const struct case_filter *f)
{
	db_bind_int64(st, 1, f->today);
	if (f->by_state)
		store_bind_text(st, 2, case_state_name(f->state));
	if (f->store_id)
		store_bind_text(st, 3, f->store_id);
	if (f->receipt_id)
		store_bind_text(st, 4, f->receipt_id);
	if (f->id_hash)
		store_bind_text(st, 5, f->id_hash);
	if (f->search)
		store_bind_text(st, 6, f->search);
}

/* Cases in one part, at most limit (-1: all) after skipping offset, to fn;
 * *rows is how many went to fn, *stop when fn asked to stop. */
static int list_part(struct store *s, const struct case_filter *f, int part, int m, int limit,
		     int offset, int (*fn)(void *arg, const struct case_record *c), void *arg,
		     int *rows, int *stop, struct kiosk_why *why)
{
	struct db_stmt *st = store_stmt(s, list_sql[part][m], why);
	if (!st)
		return KIOSK_EIO;
	list_bind(st, f);
	store_bind_limit(st, 7, limit);
	db_bind_int(st, 8, offset);
	/* a page is read at once; every case, a few at a time */
	if (limit < 0 || limit > 1000)
		db_stream(st);
	int rc;
	struct case_record c;
	*rows = 0;
	while (!*stop && (rc = db_step(st)) == DB_ROW) {
		store_case_row(st, f->today, &c);
		++*rows;
		*stop = fn(arg, &c);
	}
	mem_wipe(&c, sizeof c); /* it held a contact and the customer's words */
	db_reset(st);
	if (*stop)
		return *stop < 0 ? *stop : 0;
	return rc == DB_DONE ? 0 : store_sql_fail(s, "list the cases", why);
}

static int count_part(struct store *s, const struct case_filter *f, int part, int m, int *n,
		      struct kiosk_why *why)
{
	struct db_stmt *st = store_stmt(s, count_sql[part][m], why);
	if (!st)
		return KIOSK_EIO;
	list_bind(st, f);
	int rc = db_step(st);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW ? 0 : store_sql_fail(s, "count the cases", why);
}

int store_case_each(struct store *s, const struct case_filter *f,
		    int (*fn)(void *arg, const struct case_record *c), void *arg,
		    struct kiosk_why *why)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, list_sql_build);
	int m = (f->by_state ? LF_STATE : 0) | (f->overdue_only ? LF_OVERDUE : 0) |
		(f->receipt_id ? LF_RECEIPT : 0) | (f->id_hash ? LF_ID_HASH : 0) |
		(f->search ? LF_SEARCH : 0) | (f->store_id ? LF_STORE : 0);
	int left = f->limit > 0 ? f->limit : -1, skip = f->offset > 0 ? f->offset : 0;
	int stop = 0;
	for (int part = 0; part < (f->overdue_only ? 1 : LIST_PARTS) && left && !stop; part++) {
		if (!list_sql[part][m] || !count_sql[part][m])
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory listing cases.");
		int rows, rc = list_part(s, f, part, m, left, skip, fn, arg, &rows, &stop, why);
		if (rc)
			return rc;
		if (left > 0)
			left -= rows;
		if (skip && !rows) { /* the whole part lay before the page */
			int n;
			if ((rc = count_part(s, f, part, m, &n, why)))
				return rc;
			skip -= n;
		} else {
			skip = 0;
		}
	}
	return 0;
}

struct list_into {
	struct case_record *arr;
	int n, cap;
};

static int list_add(void *arg, const struct case_record *c)
{
	struct list_into *l = arg;
	if (!store_grow((void **)&l->arr, l->n, &l->cap, sizeof *l->arr))
		return KIOSK_ENOMEM;
	l->arr[l->n++] = *c;
	return 0;
}

int store_case_list(struct store *s, const struct case_filter *f, struct case_record **out,
		    int *n, struct kiosk_why *why)
{
	struct list_into l = {0};
	int rc = store_case_each(s, f, list_add, &l, why);
	if (rc == KIOSK_ENOMEM)
		kiosk_fail(why, rc, "Out of memory listing cases.");
	if (rc) {
		free(l.arr);
		l.arr = NULL;
		l.n = 0;
	}
	*out = l.arr;
	*n = l.n;
	return rc;
}

int store_case_events(struct store *s, const char *case_id, struct case_event **out, int *n,
		      struct kiosk_why *why)
{
	static const char sql[] = "SELECT at_s, at_off, actor, event, text FROM case_events"
				  " WHERE case_seq = ? ORDER BY id";
	*out = NULL;
	*n = 0;
	int64_t seq;
	int rc = store_case_seq(s, case_id, &seq, why);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	int cap = 0;
	struct case_event *arr = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!store_grow((void **)&arr, *n, &cap, sizeof *arr)) {
			db_reset(st);
			free(arr);
			*n = 0;
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading a timeline.");
		}
		struct case_event *e = &arr[(*n)++];
		e->at.unix_s = db_col_int64(st, 0);
		e->at.offset_min = db_col_int(st, 1);
		store_col_text(st, 2, e->actor, sizeof e->actor);
		store_col_text(st, 3, e->event, sizeof e->event);
		store_col_text(st, 4, e->text, sizeof e->text);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		free(arr);
		*n = 0;
		return store_sql_fail(s, "read the case timeline", why);
	}
	*out = arr;
	return 0;
}
