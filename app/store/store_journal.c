/* A kiosk's offline journal and its way into the chain's database.
 *
 * The journal is an ordinary embedded store (SQLite) that numbers its cases
 * with the kiosk's own prefix and keys each with an idempotency key. Replay
 * reads its oldest unsent case (store_journal_next), puts it into the chain
 * in one transaction keyed by that key (store_journal_put: a second put of
 * the same case finds the key and changes nothing), and then marks it sent
 * in the journal (store_journal_sent). A process killed between the two
 * leaves the case unsent in the journal and present in the chain: the next
 * replay finds its key and only marks it. Nothing is lost or doubled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/wipe.h"
#include "store/store.h"
#include "store/store_private.h"

static bool six_digits(const char *p)
{
	if (!p || strlen(p) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

int store_open_journal(struct store **out, const char *path, const char *prefix,
		       struct kiosk_why *why)
{
	*out = NULL;
	if (!store_target_is_file(path))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "The offline journal must be a file on the kiosk, not %.60s.",
				  path ? path : "nothing");
	if (!six_digits(prefix))
		return kiosk_fail(why, KIOSK_EINVAL,
				  "The offline case numbers need the store's 4 digits and the "
				  "kiosk's 2, not \"%.20s\".",
				  prefix ? prefix : "");
	int rc = store_open(out, path, why);
	if (!rc)
		snprintf((*out)->offline_prefix, sizeof (*out)->offline_prefix, "%s", prefix);
	return rc;
}

void journal_case_free(struct journal_case *j)
{
	if (!j)
		return;
	case_record_free(&j->c);
	mem_wipe_free(j->events);
	mem_wipe(j, sizeof *j);
}

int store_journal_next(struct store *j, struct journal_case *out, struct kiosk_why *why)
{
	static const char sql[] = "SELECT id, offline_key, token_hash FROM cases"
				  " WHERE offline_key IS NOT NULL AND sent_s IS NULL"
				  " ORDER BY seq LIMIT 1";
	memset(out, 0, sizeof *out);
	struct db_stmt *st = store_stmt(j, sql, why);
	if (!st)
		return KIOSK_EIO;
	char case_id[CASE_ID_MAX] = "";
	bool hashed = false;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		int n = 0;
		const void *h = db_col_blob(st, 2, &n);
		store_col_text(st, 0, case_id, sizeof case_id);
		store_col_text(st, 1, out->offline_key, sizeof out->offline_key);
		if ((hashed = n == STORE_TOKEN_HASH_BYTES))
			memcpy(out->token_hash, h, sizeof out->token_hash);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return kiosk_fail(why, KIOSK_ENOTFOUND, "The journal has no case waiting.");
	if (rc == DB_ROW && !hashed)
		return kiosk_fail(why, KIOSK_EIO, "Case %s in the journal has no code hash.", case_id);
	if (rc != DB_ROW)
		return store_sql_fail(j, "read the journal", why);
	if ((rc = store_case_get(j, case_id, 0, &out->c, why)) ||
	    (rc = store_case_events(j, case_id, &out->events, &out->n_events, why)))
		journal_case_free(out);
	return rc;
}

/* Is the key in the chain already? Then the case is too. So is it when
 * the chain has the case's number with its code: a save there whose answer
 * was lost, kept in the journal under that number (offline_register). */
static int key_present(struct store *chain, const struct journal_case *jc, bool *present,
		       struct kiosk_why *why)
{
	static const char sql[] =
		"SELECT offline_key, token_hash FROM cases WHERE id = ? OR offline_key = ?";
	struct db_stmt *st = store_stmt(chain, sql, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, jc->c.case_id);
	store_bind_text(st, 2, jc->offline_key);
	int rc;
	bool mine = false, other = false;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *k = db_col_text(st, 0);
		int n = 0;
		const void *hash = db_col_blob(st, 1, &n);
		if (k ? !strcmp(k, jc->offline_key)
		      : hash && n == (int)sizeof jc->token_hash &&
				!memcmp(hash, jc->token_hash, sizeof jc->token_hash))
			mine = true;
		else
			other = true;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return store_sql_fail(chain, "look for the case in the chain", why);
	*present = mine;
	if (!mine && other)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "Case %s is in the chain's database already, taken by another kiosk: "
				  "each kiosk of a store needs its own [offline] kiosk_number.",
				  jc->c.case_id);
	return 0;
}

static int put_rows(struct store *chain, const struct journal_case *jc, const char *event,
		    const char *event_text, struct kiosk_time now, struct kiosk_why *why)
{
	static const char *const sql_next[] = {
		[DB_SQLITE] = "SELECT COALESCE(MAX(seq), 0) + 1 FROM cases",
		[DB_POSTGRES] = "SELECT nextval('case_numbers')"};
	static const char sql_printed[] =
		"UPDATE cases SET receipt_printed = 1, updated_s = ?2, updated_off = ?3 WHERE seq = ?1";
	int64_t seq;
	struct case_record c = jc->c; /* shallow: store_case_insert only reads */
	int rc = store_next_seq(chain, sql_next[store_dialect(chain)], "number the case", &seq, why);
	if (rc || (rc = store_case_insert(chain, &c, seq, jc->token_hash, jc->c.created_at,
					   jc->offline_key, why)))
		return rc;
	for (int i = 0; i < jc->n_events; i++) {
		const struct case_event *e = &jc->events[i];
		if ((rc = store_event_row(chain, seq, c.case_id, e->at, e->actor, e->event, e->text,
					  why)))
			return rc;
	}
	if ((rc = store_event_row(chain, seq, c.case_id, now, "system", event, event_text, why)))
		return rc;
	if (jc->c.receipt_printed) {
		struct db_stmt *st = store_stmt(chain, sql_printed, why);
		if (!st)
			return KIOSK_EIO;
		db_bind_int64(st, 1, seq);
		db_bind_int64(st, 2, jc->c.updated_at.unix_s);
		db_bind_int(st, 3, jc->c.updated_at.offset_min);
		if ((rc = store_step_done(chain, st, "mark the case printed", why)))
			return rc;
	}
	/* the customer hears that the case is registered once it is where
	 * staff can act on it */
	return store_outbox_add(chain, seq, "registered", NULL, now, why);
}

int store_journal_put(struct store *chain, const struct journal_case *jc, bool check_rules,
		      const struct store_credit_rule *credit, const char *event,
		      const char *event_text, struct kiosk_time now, bool *was_there,
		      struct kiosk_why *why)
{
	*was_there = false;
	if (strlen(jc->offline_key) != STORE_OFFLINE_KEY_HEX || !jc->c.case_id[0])
		return kiosk_fail(why, KIOSK_EINVAL, "A journal case needs its number and key.");
	char keys[3][96];
	const char *k[3] = {keys[0], keys[1], keys[2]};
	int n_keys;
	store_case_keys(&jc->c, keys, &n_keys);
	snprintf(keys[n_keys++], sizeof keys[0], "case:%.80s", jc->c.case_id);
	int rc = store_tx_begin_for(chain, k, n_keys, why);
	if (rc)
		return rc;
	if ((rc = key_present(chain, jc, was_there, why)))
		goto fail;
	if (*was_there) {
		store_tx_rollback(chain);
		return 0;
	}
	if (check_rules && (rc = store_case_rules(chain, &jc->c, credit, why))) {
		if (rc == KIOSK_EINVAL || rc == KIOSK_ESTALE || rc == KIOSK_ENOTFOUND)
			rc = KIOSK_ESTALE;
		goto fail;
	}
	if ((rc = put_rows(chain, jc, event, event_text, now, why)) ||
	    (rc = store_tx_commit(chain, why)))
		goto fail;
	return 0;
fail:
	store_tx_rollback(chain);
	return rc;
}

int store_journal_sent(struct store *j, const char *case_id, struct kiosk_time now,
		       struct kiosk_why *why)
{
	static const char sql[] = "UPDATE cases SET sent_s = ? WHERE id = ? AND sent_s IS NULL";
	struct db_stmt *st = store_stmt(j, sql, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, now.unix_s);
	store_bind_text(st, 2, case_id);
	/* Not waited for on the disk: a mark a power cut takes makes the next
	 * sync find the case in the chain by its key and mark it again (the
	 * way a sync killed between the two goes; store_offline). The case
	 * itself was flushed when the kiosk took it. */
	j->db->be->set_flush(j->db, false);
	int rc = store_step_done(j, st, "mark the case sent", why);
	j->db->be->set_flush(j->db, true);
	return rc;
}

int store_journal_pending(struct store *j, int64_t *n, struct kiosk_time *oldest,
			  struct kiosk_why *why)
{
	static const char sql[] = "SELECT count(*), COALESCE(MIN(created_s), 0),"
				  " COALESCE(MIN(created_off), 0) FROM cases"
				  " WHERE offline_key IS NOT NULL AND sent_s IS NULL";
	struct db_stmt *st = store_stmt(j, sql, why);
	if (!st)
		return KIOSK_EIO;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*n = db_col_int64(st, 0);
		*oldest = (struct kiosk_time){db_col_int64(st, 1), db_col_int(st, 2)};
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : store_sql_fail(j, "count the journal's cases", why);
}

/* ---- the receipt cache ---------------------------------------------------- */

/* A store's receipts since a time, each line with what the chain has
 * returned of it (and what waits for staff), receipt by receipt. On
 * PostgreSQL the receipts come by the store-and-day index and each one's
 * lines by its number whatever the planner thinks (LATERAL, OFFSET 0): under
 * the statistics an ANALYZE leaves when it runs while an import writes,
 * the join had not finished after 20 s with 60 000 receipts; now 0.7 s
 * (store_receipt_get.c says more). */
#define STORE_RECEIPTS_COLS                                                                   \
	"SELECT r.id, r.register_id, r.purchased_s, r.purchased_off, r.currency,"                \
	" l.line, l.sku, l.description, l.quantity, l.unit_price, l.category, "                  \
	STORE_LINE_RETURNED_SQL ", " STORE_LINE_WAITING_SQL
static const char *const sql_store_receipts[] = {
	[DB_SQLITE] = STORE_RECEIPTS_COLS " FROM receipts r JOIN receipt_lines l ON l.rid = r.rid"
		      " WHERE r.store_id = ? AND r.purchased_s >= ? ORDER BY r.rid, l.line",
	[DB_POSTGRES] = STORE_RECEIPTS_COLS
	" FROM (SELECT * FROM receipts WHERE store_id = ? AND purchased_s >= ? OFFSET 0) r"
	STORE_LINES_OF_R_PG " ORDER BY r.store_id, r.purchased_s, r.rid, l.line"};
#undef STORE_RECEIPTS_COLS

/* In the journal: what the chain returned of a line by cases that are not
 * this journal's (those it counts itself, sent or not). */
static const char sql_elsewhere[] =
	"INSERT INTO receipt_returns_elsewhere (rid, line, returned, waiting)"
	" SELECT r.rid, ?2,"
	"  max(0, ?3 - (SELECT COALESCE(SUM(cl.quantity), 0) FROM cases c"
	"   JOIN case_lines cl ON cl.case_seq = c.seq WHERE c.receipt_id = r.id"
	"   AND c.sent_s IS NOT NULL AND " STORE_RETURNED_SQL " AND cl.receipt_line = ?2)),"
	"  max(0, ?4 - (SELECT COALESCE(SUM(cl.quantity), 0) FROM cases c"
	"   JOIN case_lines cl ON cl.case_seq = c.seq WHERE c.receipt_id = r.id"
	"   AND c.sent_s IS NOT NULL AND c.state = 'waiting_for_staff' AND c.kind = 'return'"
	"   AND cl.receipt_line = ?2))"
	" FROM receipts r WHERE r.id = ?1"
	" ON CONFLICT (rid, line) DO UPDATE SET returned = excluded.returned,"
	" waiting = excluded.waiting";

/* The receipt being copied: its lines, and per line what the chain
 * returned of it and what waits for staff. */
struct cached {
	struct receipt r;
	int cap;
	int (*counts)[2];
};

static bool cached_grow(struct cached *c)
{
	if (c->r.n_lines < c->cap)
		return true;
	int cap = c->cap ? c->cap * 2 : 64;
	struct receipt_line *l = realloc(c->r.lines, (size_t)cap * sizeof *l);
	if (l)
		c->r.lines = l;
	int (*k)[2] = l ? realloc(c->counts, (size_t)cap * sizeof *k) : NULL;
	if (!k)
		return false;
	c->counts = k;
	c->cap = cap;
	return true;
}

static int cache_one(struct store *j, struct cached *c, struct kiosk_why *why)
{
	int rc = store_import_add(j, &c->r, why);
	for (int i = 0; !rc && i < c->r.n_lines; i++) {
		struct db_stmt *st = store_stmt(j, sql_elsewhere, why);
		if (!st)
			return KIOSK_EIO;
		store_bind_text(st, 1, c->r.receipt_id);
		db_bind_int(st, 2, c->r.lines[i].line);
		db_bind_int(st, 3, c->counts[i][0]);
		db_bind_int(st, 4, c->counts[i][1]);
		rc = store_step_done(j, st, "note what the chain returned", why);
	}
	c->r.n_lines = 0;
	return rc;
}

/* Receipts bought before the window leave the copy, unless a case in the
 * journal names one: the journal stays the size of the window. */
static int prune_cache(struct store *j, struct kiosk_time since, struct kiosk_why *why)
{
#define OLD_RECEIPTS "SELECT rid FROM receipts WHERE purchased_s < ?1 AND id NOT IN" \
		     " (SELECT receipt_id FROM cases WHERE receipt_id IS NOT NULL)"
	static const char *const sql[] = {
		"DELETE FROM receipt_returns_elsewhere WHERE rid IN (" OLD_RECEIPTS ")",
		"DELETE FROM receipt_lines WHERE rid IN (" OLD_RECEIPTS ")",
		"DELETE FROM receipts WHERE rid IN (" OLD_RECEIPTS ")"};
#undef OLD_RECEIPTS
	int rc = store_tx_begin(j, why);
	for (size_t i = 0; !rc && i < sizeof sql / sizeof *sql; i++) {
		struct db_stmt *st = store_stmt(j, sql[i], why);
		if (!st) {
			rc = KIOSK_EIO;
			break;
		}
		db_bind_int64(st, 1, since.unix_s);
		rc = store_step_done(j, st, "drop old receipts from the copy", why);
	}
	if (!rc)
		rc = store_tx_commit_quiet(j, why);
	else
		store_tx_rollback(j);
	return rc;
}

int store_journal_cache(struct store *j, struct store *chain, const char *store_id,
			struct kiosk_time since, int *n, struct kiosk_why *why)
{
	*n = 0;
	if (!j->offline_prefix[0])
		return kiosk_fail(why, KIOSK_EINVAL, "Receipts are cached in a kiosk's journal only.");
	struct db_stmt *st = store_stmt(chain, sql_store_receipts[store_dialect(chain)], why);
	if (!st)
		return KIOSK_EIO;
	int rc = store_import_begin(j, why);
	if (rc)
		return rc;
	struct cached *c = calloc(1, sizeof *c);
	if (!c) {
		store_import_abort(j);
		return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory caching receipts.");
	}
	db_stream(st);
	store_bind_text(st, 1, store_id);
	db_bind_int64(st, 2, since.unix_s);
	int step = DB_DONE;
	while (!rc && (step = db_step(st)) == DB_ROW) {
		const char *id = db_col_text(st, 0);
		if (c->r.n_lines && strcmp(id ? id : "", c->r.receipt_id)) {
			rc = cache_one(j, c, why);
			++*n;
		}
		if (rc)
			break;
		if (!c->r.n_lines) {
			snprintf(c->r.receipt_id, sizeof c->r.receipt_id, "%s", id ? id : "");
			snprintf(c->r.store, sizeof c->r.store, "%s", store_id);
			store_col_text(st, 1, c->r.register_id, sizeof c->r.register_id);
			c->r.purchased_at = (struct kiosk_time){db_col_int64(st, 2), db_col_int(st, 3)};
			store_col_text(st, 4, c->r.currency, sizeof c->r.currency);
		}
		if (!cached_grow(c)) {
			rc = kiosk_fail(why, KIOSK_ENOMEM, "Out of memory caching receipts.");
			break;
		}
		int i = c->r.n_lines++;
		struct receipt_line *l = &c->r.lines[i];
		l->line = db_col_int(st, 5);
		store_col_text(st, 6, l->sku, sizeof l->sku);
		store_col_text(st, 7, l->description, sizeof l->description);
		l->quantity = db_col_int(st, 8);
		l->unit_price = db_col_int64(st, 9);
		store_col_text(st, 10, l->category, sizeof l->category);
		c->counts[i][0] = db_col_int(st, 11);
		c->counts[i][1] = db_col_int(st, 12);
	}
	db_reset(st);
	if (!rc && step != DB_DONE)
		rc = store_sql_fail(chain, "read the store's receipts", why);
	if (!rc && c->r.n_lines) {
		rc = cache_one(j, c, why);
		++*n;
	}
	free(c->r.lines);
	free(c->counts);
	free(c);
	if (rc) {
		store_import_abort(j);
		*n = 0;
		return rc;
	}
	if ((rc = store_import_commit(j, NULL, why)))
		return rc;
	return prune_cache(j, since, why);
}

/* ---- what each kiosk still holds, for the counter ------------------------ */

int store_kiosk_journal_report(struct store *chain, const char *store_id, const char *kiosk,
			       int64_t pending, struct kiosk_time oldest, struct kiosk_time now,
			       struct kiosk_why *why)
{
	static const char sql[] =
		"INSERT INTO kiosk_journals (store_id, kiosk, pending, oldest_s, oldest_off, seen_s,"
		" seen_off) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, kiosk) DO UPDATE SET"
		" pending = excluded.pending, oldest_s = excluded.oldest_s,"
		" oldest_off = excluded.oldest_off, seen_s = excluded.seen_s,"
		" seen_off = excluded.seen_off";
	/* the same as last said: only the time it was said, and no counter
	 * is woken to read it again (a sync service says it every pass) */
	static const char same[] = "UPDATE kiosk_journals SET seen_s = ?, seen_off = ?"
				   " WHERE store_id = ? AND kiosk = ? AND pending = ?"
				   " AND oldest_s = ?";
	int rc = store_tx_begin_keyf(chain, why, "journal:%.40s:%.40s", store_id, kiosk);
	if (rc)
		return rc;
	struct db_stmt *st = store_stmt(chain, same, why);
	if (!st) {
		store_tx_rollback(chain);
		return KIOSK_EIO;
	}
	db_bind_int64(st, 1, now.unix_s);
	db_bind_int(st, 2, now.offset_min);
	store_bind_text(st, 3, store_id);
	store_bind_text(st, 4, kiosk);
	db_bind_int64(st, 5, pending);
	db_bind_int64(st, 6, oldest.unix_s);
	if ((rc = store_step_done(chain, st, "note the kiosk's journal", why))) {
		store_tx_rollback(chain);
		return rc;
	}
	if (db_changes(chain->db) == 1)
		return store_tx_commit_quiet(chain, why);
	st = store_stmt(chain, sql, why);
	if (!st) {
		store_tx_rollback(chain);
		return KIOSK_EIO;
	}
	store_bind_text(st, 1, store_id);
	store_bind_text(st, 2, kiosk);
	db_bind_int64(st, 3, pending);
	db_bind_int64(st, 4, oldest.unix_s);
	db_bind_int(st, 5, oldest.offset_min);
	db_bind_int64(st, 6, now.unix_s);
	db_bind_int(st, 7, now.offset_min);
	if ((rc = store_step_done(chain, st, "note the kiosk's journal", why)) ||
	    (rc = store_tx_commit(chain, why)))
		store_tx_rollback(chain);
	return rc;
}

int store_kiosk_journals(struct store *chain, const char *store_id,
			 struct kiosk_journal_row **out, int *n, struct kiosk_why *why)
{
	static const char sql[] = "SELECT store_id, kiosk, pending, oldest_s, oldest_off, seen_s,"
				  " seen_off"
				  " FROM kiosk_journals WHERE store_id = ?"
				  " ORDER BY pending > 0 DESC, kiosk LIMIT 100";
	*out = NULL;
	*n = 0;
	struct db_stmt *st = store_stmt(chain, sql, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, store_id);
	int rc, cap = 0;
	struct kiosk_journal_row *arr = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!store_grow((void **)&arr, *n, &cap, sizeof *arr)) {
			db_reset(st);
			free(arr);
			*n = 0;
			return kiosk_fail(why, KIOSK_ENOMEM, "Out of memory reading the kiosks.");
		}
		struct kiosk_journal_row *r = &arr[(*n)++];
		memset(r, 0, sizeof *r);
		store_col_text(st, 0, r->store, sizeof r->store);
		store_col_text(st, 1, r->kiosk, sizeof r->kiosk);
		r->pending = db_col_int64(st, 2);
		r->oldest = (struct kiosk_time){db_col_int64(st, 3), db_col_int(st, 4)};
		r->seen = (struct kiosk_time){db_col_int64(st, 5), db_col_int(st, 6)};
	}
	db_reset(st);
	if (rc != DB_DONE) {
		free(arr);
		*n = 0;
		return store_sql_fail(chain, "read the kiosks' journals", why);
	}
	*out = arr;
	return 0;
}
