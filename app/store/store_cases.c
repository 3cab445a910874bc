/* Cases: saving a new case with its lines, and checking the token of a
 * case receipt. Reading one or a filtered list is store_case_read.c;
 * changes to an existing case (state, decision, promise, printing, purge)
 * live in store_case_updates.c.
 *
 * The case number K-000123 is the row's sequence number; the token printed
 * in the case code is stored only as its BLAKE2b hash and compared in
 * constant time. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "core/wipe.h"
#include "store/store_private.h"

bool store_case_overdue(const struct case_record *c, int64_t today)
{
	return c->due_day > 0 && c->due_day < today && c->state != CASE_CLOSED;
}

void store_case_row(struct db_stmt *st, int64_t today, struct case_record *c)
{
	memset(c, 0, sizeof *c);
	store_col_text(st, 0, c->case_id, sizeof c->case_id);
	case_kind_parse(db_col_text(st, 1), &c->kind);
	case_state_parse(db_col_text(st, 2), &c->state);
	store_col_text(st, 3, c->store, sizeof c->store);
	store_col_text(st, 4, c->receipt_id, sizeof c->receipt_id);
	store_col_text(st, 5, c->lang, sizeof c->lang);
	c->created_at.unix_s = db_col_int64(st, 6);
	c->created_at.offset_min = db_col_int(st, 7);
	c->updated_at.unix_s = db_col_int64(st, 8);
	c->updated_at.offset_min = db_col_int(st, 9);
	case_outcome_parse(db_col_text(st, 10), &c->decision.outcome);
	store_col_text(st, 11, c->decision.rule, sizeof c->decision.rule);
	store_col_text(st, 12, c->decision.explanation, sizeof c->decision.explanation);
	store_col_text(st, 13, c->decision.details, sizeof c->decision.details);
	c->decision.amount = db_col_int64(st, 14);
	store_col_text(st, 15, c->decision.next_step, sizeof c->decision.next_step);
	c->decision.promised_day = db_col_int64(st, 16);
	store_col_text(st, 17, c->product, sizeof c->product);
	store_col_text(st, 18, c->customer_text, sizeof c->customer_text);
	store_col_text(st, 19, c->contact, sizeof c->contact);
	c->wants_updates = db_col_int(st, 20) != 0;
	store_col_text(st, 21, c->id_hash, sizeof c->id_hash);
	c->receipt_printed = db_col_int(st, 22) != 0;
	c->due_day = db_col_int64(st, 23);
	c->overdue = store_case_overdue(c, today);
	c->taken_offline = db_col_int(st, 24) != 0;
}

int store_case_seq(struct store *s, const char *case_id, int64_t *seq, struct kiosk_why *why)
{
	if (!case_id || !*case_id)
		return kiosk_fail(why, KIOSK_EINVAL, "No case number was given.");
	struct db_stmt *st = store_stmt(s, "SELECT seq FROM cases WHERE id = ?", why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, case_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*seq = db_col_int64(st, 0);
	db_reset(st);
	if (rc == DB_DONE)
		return kiosk_fail(why, KIOSK_ENOTFOUND, "Case %.20s does not exist.", case_id);
	return rc == DB_ROW ? 0 : store_sql_fail(s, "look up the case", why);
}

int store_event_row(struct store *s, int64_t seq, const char *case_id, struct kiosk_time at,
		    const char *actor, const char *event, const char *text, struct kiosk_why *why)
{
	/* The timeline event and its audit row: two statements on SQLite, one
	 * round trip on PostgreSQL (a data-modifying WITH). */
	static const char *const sql[] = {
		[DB_SQLITE] = "INSERT INTO case_events (case_seq, at_s, at_off, actor, event, text)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		[DB_POSTGRES] =
			"WITH e AS (INSERT INTO case_events (case_seq, at_s, at_off, actor, event, text)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6))"
			" INSERT INTO audit_log (at_s, at_off, actor, action, detail)"
			" VALUES (?2, ?3, ?4, ?7, ?8)"};
	char action[48], detail[600];
	snprintf(action, sizeof action, "case.%s", event);
	snprintf(detail, sizeof detail, "%s: %s", case_id, text ? text : "");
	struct db_stmt *st = store_stmt(s, sql[store_dialect(s)], why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	db_bind_int64(st, 2, at.unix_s);
	db_bind_int(st, 3, at.offset_min);
	store_bind_text(st, 4, actor);
	store_bind_text(st, 5, event);
	store_bind_text(st, 6, text);
	if (store_dialect(s) == DB_POSTGRES) {
		store_bind_text(st, 7, action);
		store_bind_text(st, 8, detail);
		return store_step_later(s, st, "add to the case timeline", why);
	}
	int rc = store_step_done(s, st, "add to the case timeline", why);
	return rc ? rc : store_audit_row(s, at, actor, action, detail, why);
}

/* ---- token ------------------------------------------------------------- */

int store_token_normalise(const char *hex, char out[CASE_TOKEN_HEX + 1])
{
	if (!hex || strlen(hex) != CASE_TOKEN_HEX)
		return -1;
	for (int i = 0; i < CASE_TOKEN_HEX; i++) {
		if (!isxdigit((unsigned char)hex[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)hex[i]);
	}
	out[CASE_TOKEN_HEX] = 0;
	return 0;
}

void store_token_hash(const char *norm, unsigned char out[STORE_TOKEN_HASH_BYTES])
{
	crypto_generichash(out, STORE_TOKEN_HASH_BYTES, (const unsigned char *)norm, CASE_TOKEN_HEX,
			   NULL, 0);
}

int store_case_check_token(struct store *s, const char *case_id, const char *token_hex,
			   struct kiosk_why *why)
{
	char norm[CASE_TOKEN_HEX + 1];
	unsigned char want[STORE_TOKEN_HASH_BYTES];
	if (store_token_normalise(token_hex, norm))
		return kiosk_fail(why, KIOSK_EDENIED, "This case code is not valid.");
	store_token_hash(norm, want);
	/* the code on the paper, or a reprint's new one while it prints (and
	 * one a killed reprint may have got out) */
	struct db_stmt *st = store_stmt(s, "SELECT token_hash, token_next_hash FROM cases WHERE id = ?",
					why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, case_id ? case_id : "");
	int rc = db_step(st);
	bool ok = false;
	for (int col = 0; rc == DB_ROW && col < 2 && !ok; col++) {
		int n = 0;
		const unsigned char *have = db_col_blob(st, col, &n);
		for (int at = 0; have && at + STORE_TOKEN_HASH_BYTES <= n && !ok;
		     at += STORE_TOKEN_HASH_BYTES)
			ok = sodium_memcmp(have + at, want, STORE_TOKEN_HASH_BYTES) == 0;
	}
	db_reset(st);
	if (rc == DB_DONE)
		return kiosk_fail(why, KIOSK_ENOTFOUND, "Case %.20s does not exist.",
				  case_id ? case_id : "");
	if (rc != DB_ROW)
		return store_sql_fail(s, "check the case code", why);
	return ok ? 0 : kiosk_fail(why, KIOSK_EDENIED, "This case code does not match case %.20s.",
				   case_id);
}

/* ---- create ------------------------------------------------------------ */

static int case_check(const struct case_record *c, struct kiosk_why *why)
{
	if ((unsigned)c->kind > CASE_FAULT || (unsigned)c->state >= CASE_STATE_COUNT ||
	    (unsigned)c->decision.outcome >= OUTCOME_COUNT)
		return kiosk_fail(why, KIOSK_EINVAL, "The case has an unknown kind, state or outcome.");
	if (!c->store[0])
		return kiosk_fail(why, KIOSK_EINVAL, "The case has no store.");
	if (c->n_lines < 0 || (c->n_lines > 0 && !c->lines))
		return kiosk_fail(why, KIOSK_EINVAL, "The case lines are missing.");
	if (c->kind == CASE_RETURN && c->n_lines == 0)
		return kiosk_fail(why, KIOSK_EINVAL, "A return needs at least one item.");
	for (int i = 0; i < c->n_lines; i++) {
		const struct case_line *l = &c->lines[i];
		if (l->quantity < 1)
			return kiosk_fail(why, KIOSK_EINVAL, "Item %d of the case has quantity %d.",
					  i + 1, l->quantity);
		if ((unsigned)l->reason >= REASON_COUNT || (unsigned)l->condition >= COND_COUNT)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "Item %d of the case has an unknown reason or condition.", i + 1);
		if (l->receipt_line > 0 && !c->receipt_id[0])
			return kiosk_fail(why, KIOSK_EINVAL,
					  "Item %d points at a receipt line but the case has no receipt.",
					  i + 1);
	}
	return 0;
}

/* A return may not take more of a receipt line than is left on it. Checked
 * inside the write transaction, so two kiosks cannot both take the last. */
static int check_returnable(struct store *s, const struct case_record *c, struct kiosk_why *why)
{
	if (c->kind != CASE_RETURN || c->decision.outcome == OUTCOME_REFUSED ||
	    c->state == CASE_REFUSED || !c->receipt_id[0])
		return 0;
	struct receipt r;
	int rc = store_receipt_get(s, c->receipt_id, &r, why);
	if (rc)
		return rc;
	for (int i = 0; !rc && i < c->n_lines; i++) {
		const struct case_line *l = &c->lines[i];
		if (l->receipt_line <= 0)
			continue;
		int want = 0;
		for (int k = 0; k < c->n_lines; k++) /* the same line twice in one case */
			if (c->lines[k].receipt_line == l->receipt_line)
				want += c->lines[k].quantity;
		const struct receipt_line *rl = NULL;
		for (int k = 0; k < r.n_lines; k++)
			if (r.lines[k].line == l->receipt_line)
				rl = &r.lines[k];
		if (!rl)
			rc = kiosk_fail(why, KIOSK_EINVAL, "Receipt %s has no line %d.", r.receipt_id,
					l->receipt_line);
		else if (want > rl->quantity - rl->returned_quantity)
			rc = kiosk_fail(why, KIOSK_EINVAL,
					"Line %d of receipt %s has %d left to return, not %d.",
					rl->line, r.receipt_id, rl->quantity - rl->returned_quantity, want);
	}
	receipt_free(&r);
	return rc;
}

static const char sql_case_insert[] =
	"INSERT INTO cases (seq, id, kind, state, store_id, receipt_id, lang, created_s,"
	" created_off, updated_s, updated_off, outcome, rule, explanation, details, amount,"
	" next_step, promised_day, product, customer_text, contact, wants_updates, id_hash,"
	" receipt_printed, token_hash, closed_s, due_day, offline_key)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	" ?17, ?18, ?19, ?20, ?21, 0, ?22, CASE WHEN ?4 = 'closed' THEN ?8 END, ?16, ?23)";
static const char sql_case_line_insert[] =
	"INSERT INTO case_lines (case_seq, n, receipt_line, sku, description, quantity,"
	" unit_price, category, reason, condition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int store_case_insert(struct store *s, struct case_record *c, int64_t seq,
		      const unsigned char *hash, struct kiosk_time now, const char *offline_key,
		      struct kiosk_why *why)
{
	struct db_stmt *st = store_stmt(s, sql_case_insert, why);
	if (!st)
		return KIOSK_EIO;
	db_bind_int64(st, 1, seq);
	store_bind_text(st, 2, c->case_id);
	store_bind_text(st, 3, case_kind_name(c->kind));
	store_bind_text(st, 4, case_state_name(c->state));
	store_bind_text(st, 5, c->store);
	store_bind_text_or_null(st, 6, c->receipt_id);
	store_bind_text(st, 7, c->lang[0] ? c->lang : "sv");
	db_bind_int64(st, 8, now.unix_s);
	db_bind_int(st, 9, now.offset_min);
	store_bind_decision(st, 10, &c->decision);
	store_bind_text(st, 17, c->product);
	store_bind_text(st, 18, c->customer_text);
	/* contact details only with the customer's consent to updates */
	store_bind_text_or_null(st, 19, c->wants_updates ? c->contact : NULL);
	db_bind_int(st, 20, c->wants_updates && c->contact[0]);
	store_bind_text_or_null(st, 21, c->id_hash);
	db_bind_blob(st, 22, hash, STORE_TOKEN_HASH_BYTES);
	store_bind_text_or_null(st, 23, offline_key);
	int rc = store_step_later(s, st, "save the case", why);
	if (rc || !(st = store_stmt(s, sql_case_line_insert, why)))
		return rc ? rc : KIOSK_EIO;
	for (int i = 0; !rc && i < c->n_lines; i++) {
		const struct case_line *l = &c->lines[i];
		db_bind_int64(st, 1, seq);
		db_bind_int(st, 2, i + 1);
		db_bind_int(st, 3, l->receipt_line > 0 ? l->receipt_line : 0);
		store_bind_text(st, 4, l->sku);
		store_bind_text(st, 5, l->description);
		db_bind_int(st, 6, l->quantity);
		db_bind_int64(st, 7, l->unit_price);
		store_bind_text(st, 8, l->category);
		store_bind_text(st, 9, return_reason_name(l->reason));
		store_bind_text(st, 10, item_condition_name(l->condition));
		rc = store_step_later(s, st, "save a case line", why);
	}
	return rc;
}

int store_credit_without_receipt(struct store *s, const char *id_hash, struct kiosk_time since,
				 int64_t *sum, struct kiosk_why *why)
{
	/* Refused cases gave nothing; a case still waiting for staff counts,
	 * so a second kiosk cannot spend the same allowance meanwhile. SQLite
	 * is told the index: in a file that has been analysed (the kiosk never
	 * runs ANALYZE, an administrator's PRAGMA optimize does) the statistics
	 * count the cases without an ID hash (most of them) as one value, and
	 * it read every case without a receipt instead (80 ms a registration
	 * at 200 000 cases, 15 at 3 000); PostgreSQL keeps the NULLs apart. */
#define CREDIT_SQL(from)                                                                     \
	"SELECT COALESCE(SUM(amount), 0) FROM " from " WHERE id_hash = ? AND receipt_id IS NULL" \
	" AND outcome = 'store_credit' AND state <> 'refused' AND created_s >= ?"
	static const char *const sql_by[] = {
		[DB_SQLITE] = CREDIT_SQL("cases INDEXED BY cases_id_hash"),
		[DB_POSTGRES] = CREDIT_SQL("cases")};
#undef CREDIT_SQL
	const char *sql = sql_by[store_dialect(s)];
	*sum = 0;
	if (!id_hash || !*id_hash)
		return kiosk_fail(why, KIOSK_EINVAL, "No ID hash was given.");
	struct db_stmt *st = store_stmt(s, sql, why);
	if (!st)
		return KIOSK_EIO;
	store_bind_text(st, 1, id_hash);
	db_bind_int64(st, 2, since.unix_s);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*sum = db_col_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : store_sql_fail(s, "sum the credit given", why);
}

/* Inside the write transaction: would this case take its person over the
 * no-receipt credit limit? */
static int check_credit(struct store *s, const struct case_record *c,
			const struct store_credit_rule *credit, struct kiosk_why *why)
{
	if (!credit || !c->id_hash[0] || c->decision.outcome != OUTCOME_STORE_CREDIT)
		return 0;
	int64_t used;
	int rc = store_credit_without_receipt(s, c->id_hash, credit->since, &used, why);
	if (rc)
		return rc;
	if (used + c->decision.amount > credit->limit)
		return kiosk_fail(why, KIOSK_ESTALE,
				  "Credit was given to this person meanwhile; the decision is made "
				  "again.");
	return 0;
}

void store_case_keys(const struct case_record *c, char keys[2][96], int *n)
{
	*n = 0;
	if (c->receipt_id[0])
		snprintf(keys[(*n)++], 96, "receipt:%.80s", c->receipt_id);
	if (c->id_hash[0])
		snprintf(keys[(*n)++], 96, "id:%.80s", c->id_hash);
}

int store_case_rules(struct store *s, const struct case_record *c,
		     const struct store_credit_rule *credit, struct kiosk_why *why)
{
	int rc = check_returnable(s, c, why);
	return rc ? rc : check_credit(s, c, credit, why);
}

/* A case staff registered for a customer (at the counter) is a staff act,
 * in the audit log with the staff member like every other, in the case's
 * own transaction. */
static int staff_registered(struct store *s, const struct case_record *c, struct kiosk_time now,
			    const char *actor, struct kiosk_why *why)
{
	char detail[160];
	snprintf(detail, sizeof detail, "%s: registered for a customer: %s (%s)", c->case_id,
		 case_outcome_name(c->decision.outcome),
		 c->decision.rule[0] ? c->decision.rule : "no rule");
	return store_audit_row(s, now, actor, "case.register", detail, why);
}

int store_case_create(struct store *s, struct case_record *c, const char *token_hex,
		      struct kiosk_time now, const char *actor, struct kiosk_why *why)
{
	return store_case_create_checked(s, c, token_hex, now, actor, NULL, NULL, why);
}

/* A case's idempotency key, made where it was taken (a kiosk's journal). */
static void offline_key_new(char out[STORE_OFFLINE_KEY_HEX + 1])
{
	unsigned char raw[STORE_OFFLINE_KEY_HEX / 2];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, STORE_OFFLINE_KEY_HEX + 1, raw, sizeof raw);
}

int store_case_create_checked(struct store *s, struct case_record *c, const char *token_hex,
			      struct kiosk_time now, const char *actor,
			      const struct store_credit_rule *credit, struct case_origin *origin,
			      struct kiosk_why *why)
{
	char norm[CASE_TOKEN_HEX + 1];
	unsigned char hash[STORE_TOKEN_HASH_BYTES];
	int rc = case_check(c, why);
	if (rc)
		return rc;
	if (store_token_normalise(token_hex, norm))
		return kiosk_fail(why, KIOSK_EINVAL, "The case token must be %d hexadecimal digits.",
				  CASE_TOKEN_HEX);
	store_token_hash(norm, hash);
	/* the rules read the receipt's returned quantities and the person's
	 * credit: writers of other receipts and people run side by side */
	char keys[2][96];
	const char *k[2] = {keys[0], keys[1]};
	int n_keys;
	store_case_keys(c, keys, &n_keys);
	if ((rc = store_tx_begin_for(s, k, n_keys, why)))
		return rc;
	if ((rc = store_case_rules(s, c, credit, why)))
		goto fail;
	int64_t seq;
	/* Case numbers: on PostgreSQL a sequence, unique across the chain
	 * whatever else runs; on SQLite the next after the highest, inside
	 * the one write transaction of the file. A kiosk's offline journal
	 * numbers its own, with its store and kiosk in them. */
	static const char *const sql_next[] = {
		[DB_SQLITE] = "SELECT COALESCE(MAX(seq), 0) + 1 FROM cases",
		[DB_POSTGRES] = "SELECT nextval('case_numbers')"};
	if ((rc = store_next_seq(s, sql_next[store_dialect(s)], "number the case", &seq, why)))
		goto fail;
	char key[STORE_OFFLINE_KEY_HEX + 1] = "";
	if (s->offline_prefix[0]) {
		if (origin && origin->case_id[0]) {
			/* the number the chain gave it, where it may stand already */
			snprintf(c->case_id, sizeof c->case_id, "%s", origin->case_id);
		} else if (seq > 999999) {
			rc = kiosk_fail(why, KIOSK_EIO, "The offline journal is full (999 999 cases).");
			goto fail;
		} else {
			snprintf(c->case_id, sizeof c->case_id, "K-%.6s%06d", s->offline_prefix,
				 (int)seq);
		}
		offline_key_new(key);
	} else {
		snprintf(c->case_id, sizeof c->case_id, "K-%06lld", (long long)seq);
		/* a number of the sequence is never given again, saved or not;
		 * SQLite's next after the highest is, once this one is not */
		if (origin && store_dialect(s) == DB_POSTGRES)
			snprintf(origin->case_id, sizeof origin->case_id, "%s", c->case_id);
	}
	char text[256];
	snprintf(text, sizeof text, "%s registered: %s (%s)",
		 c->kind == CASE_RETURN ? "Return" : "Fault report",
		 case_outcome_name(c->decision.outcome),
		 c->decision.rule[0] ? c->decision.rule : "no rule");
	/* the audit rows last: their trigger holds the chain's audit lock from
	 * there to the commit (on PostgreSQL all of these are one round trip) */
	bool by_staff = actor && *actor && strcmp(actor, "kiosk");
	if ((rc = store_case_insert(s, c, seq, hash, now, key[0] ? key : NULL, why)) ||
	    (rc = store_outbox_add(s, seq, "registered", NULL, now, why)) ||
	    (rc = store_event_row(s, seq, c->case_id, now, by_staff ? actor : "kiosk",
				  "registered", text, why)) ||
	    (by_staff && (rc = staff_registered(s, c, now, actor, why))) ||
	    (rc = store_tx_commit(s, why)))
		goto fail;
	c->created_at = c->updated_at = now;
	if (!c->wants_updates)
		c->contact[0] = 0;
	return 0;
fail:
	store_tx_rollback(s);
	c->case_id[0] = 0;
	return rc;
}
