/* Internals shared by the store's files (app/store/store*.c): the handle,
 * the prepared-statement cache, transactions and error mapping. Nothing
 * outside them (and the store's own tests) includes this; the engines
 * (sqlite/, postgres/) see only db.h. */
#ifndef KIOSK_STORE_PRIVATE_H
#define KIOSK_STORE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "domain/model.h"
#include "store/db.h"
#include "store/store.h"

/* Prepared statements are cached by the address of their SQL text (every
 * statement is a string literal or a static const array), so a hot path
 * such as the import prepares each statement once per connection. */
#define STORE_CACHE_MAX 96

struct store_cached {
	const char *sql;
	struct db_stmt *st;
};

struct store {
	const struct db_backend *be;
	struct db *db;            /* the connection; NULL after a failed reconnect */
	char *target;             /* file or connection string, for reconnects and clones */
	struct store_cached cache[STORE_CACHE_MAX];
	int n_cache;
	int busy_ms;              /* how long a writer waits (store_set_busy_timeout) */
	bool importing;           /* between store_import_begin and commit/abort */
	bool import_waits;        /* it began with a wait of its own: busy_ms back after */
	int import_new;           /* receipts added by the running import */
	int import_joined;        /* adds that continued a receipt of this import */
	int64_t import_first_rid; /* rids from here on were written by this import */
	bool import_pieces;       /* the pieces table of this import exists */
	char import_store_buf[16]; /* last store id made sure of during an import */
	/* A kiosk's offline journal (store_open_journal): its cases are
	 * numbered K- + these six digits (store, kiosk) + six of its own, and
	 * each gets an idempotency key. "" for every other database. */
	char offline_prefix[8];
};

/* Which case lines count as returned quantity of a receipt line (alias c
 * for cases): every return that was not refused, including those still
 * waiting for staff, so two kiosks cannot return the same item twice. */
#define STORE_RETURNED_SQL "c.kind = 'return' AND c.outcome <> 'refused' AND c.state <> 'refused'"
/* What is returned of line l of receipt r, and what of it waits for staff
 * (a select list's expressions, for queries over receipts r and their
 * lines l). */
#define STORE_LINE_RETURNED_SQL                                                               \
	"(SELECT COALESCE(SUM(cl.quantity), 0) FROM cases c"                                     \
	" JOIN case_lines cl ON cl.case_seq = c.seq"                                             \
	" WHERE c.receipt_id = r.id AND " STORE_RETURNED_SQL " AND cl.receipt_line = l.line)"
#define STORE_LINE_WAITING_SQL                                                                \
	"(SELECT COALESCE(SUM(cl.quantity), 0) FROM cases c"                                     \
	" JOIN case_lines cl ON cl.case_seq = c.seq"                                             \
	" WHERE c.receipt_id = r.id AND c.state = 'waiting_for_staff' AND c.kind = 'return'"     \
	" AND cl.receipt_line = l.line)"
/* On PostgreSQL, receipt r's lines l by its number whatever the planner
 * thinks (store_receipt_get.c says why). */
#define STORE_LINES_OF_R_PG " CROSS JOIN LATERAL (SELECT * FROM receipt_lines WHERE rid = r.rid OFFSET 0) l"

/* Connected (again, after store_release_memory could not reconnect), or
 * the reason why not. */
int store_connected(struct store *s, struct kiosk_why *why);
/* Which SQL dialect a statement is picked in, where the engines differ. */
static inline enum db_dialect store_dialect(const struct store *s)
{
	return s->be->dialect;
}
/* Bind a LIMIT: n < 0 is "no limit" (SQLite's -1; PostgreSQL refuses a
 * negative limit and takes the largest bigint). */
static inline void store_bind_limit(struct db_stmt *st, int idx, int64_t n)
{
	db_bind_int64(st, idx, n >= 0 ? n : st->be->dialect == DB_POSTGRES ? INT64_MAX : -1);
}
/* The cached statement for sql, reset and with bindings cleared. NULL on
 * failure (why filled). The statement stays owned by the store. */
struct db_stmt *store_stmt(struct store *s, const char *sql, struct kiosk_why *why);
/* store_stmt for a caller that binds every parameter again before each
 * step (the import's many-row INSERTs): the old values are not cleared. */
struct db_stmt *store_stmt_rebound(struct store *s, const char *sql, struct kiosk_why *why);
/* Step a statement expected to finish (INSERT/UPDATE/DELETE), then reset
 * it. 0, or the mapped error with what in the sentence. */
int store_step_done(struct store *s, struct db_stmt *st, const char *what, struct kiosk_why *why);
/* The same for a write whose outcome nothing reads before the commit (no
 * rows, no changes count): on PostgreSQL it goes with the statements after
 * it instead of a round trip of its own, and a failure shows at the next
 * read or the commit (db_step_later). */
int store_step_later(struct store *s, struct db_stmt *st, const char *what, struct kiosk_why *why);
/* Map the connection's last error to a kiosk_err with a sentence
 * "The database could not <what>: <engine's message>." */
int store_sql_fail(struct store *s, const char *what, struct kiosk_why *why);

/* Change how long a writer waits for another one (DB_BUSY_MS from
 * store_open); tests use it to see "busy" without waiting. An import that
 * waits its turn longer (store_import_begin_wait) sets it back after. */
void store_set_busy_timeout(struct store *s, int ms);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Rollback never fails loudly: it is
 * the cleanup path. */
/* Make room for element n of a row array (*arr of *cap elements of elem
 * bytes, doubling). false when out of memory; *arr is then unchanged. */
bool store_grow(void **arr, int n, int *cap, size_t elem);
/* The next number of a sequence: sql selects one integer (e.g.
 * "SELECT COALESCE(MAX(seq), 0) + 1 FROM cases"); call inside the
 * transaction that uses it. what names the step in the reason. */
int store_next_seq(struct store *s, const char *sql, const char *what, int64_t *seq,
		   struct kiosk_why *why);
/* A write transaction over the whole database: every other writer waits
 * for it, so only where no other writes (a kiosk's journal). */
int store_tx_begin(struct store *s, struct kiosk_why *why);
/* A write transaction whose rules read only what keys name (db.h's
 * begin_write): writers with no key in common run side by side on
 * PostgreSQL. Keys are "receipt:ID", "id:HASH", "card:CODE", "case:ID", "import",
 * "staff", "outbox", "call:N", "journal:STORE:KIOSK". */
int store_tx_begin_for(struct store *s, const char *const *keys, int n_keys,
		       struct kiosk_why *why);
/* The same with one key, made by printf from fmt ("call:%lld"). */
int store_tx_begin_keyf(struct store *s, struct kiosk_why *why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A write transaction on one case: its own key, and its receipt's and ID
 * hash's, whose rules a change of state or decision affects (what is left
 * to return, the no-receipt credit). KIOSK_ENOTFOUND for an unknown case. */
int store_tx_begin_case(struct store *s, const char *case_id, struct kiosk_why *why);
int store_tx_commit(struct store *s, struct kiosk_why *why);
/* Commit without telling the counters (store_changed): for the outbox's
 * bookkeeping (claims, sent marks), which no screen waits for, and which a
 * sender does every few seconds. */
int store_tx_commit_quiet(struct store *s, struct kiosk_why *why);
void store_tx_rollback(struct store *s);

/* Bind helpers: text "" and NULL both bind as '' unless null_if_empty. */
void store_bind_text(struct db_stmt *st, int idx, const char *v);
void store_bind_text_or_null(struct db_stmt *st, int idx, const char *v);
/* A decision's seven columns, in the order the cases table stores them
 * (outcome, rule, explanation, details, amount, next_step, promised_day),
 * bound from parameter first on. */
void store_bind_decision(struct db_stmt *st, int first, const struct decision *d);
/* Copy a text column into buf (always terminated, truncated to fit). */
void store_col_text(struct db_stmt *st, int col, char *buf, size_t len);

/* Append an audit-log row (inside the caller's transaction if any). */
int store_audit_row(struct store *s, struct kiosk_time at, const char *actor,
		    const char *action, const char *detail, struct kiosk_why *why);

/* ---- the import through a bulk stream (store_import_copy.c) ----------- */

/* Used by store_import_add_many when the backend has copy_in: writes the
 * receipts of r[0..n) that are new and once in r by COPY, and sets slow[i]
 * for the others (already in the database, or twice in r), which the
 * caller then adds row by row. r is already checked one by one. */
int store_copy_add(struct store *s, const struct receipt *r, int n, bool *slow,
		   struct kiosk_why *why);
/* The stores row for an imported receipt (once per run of one store). */
int store_import_ensure_store(struct store *s, const char *store_id, struct kiosk_why *why);
/* The rid after the largest stored, for the receipts an import writes
 * (imports take turns: nobody else hands any out meanwhile). */
int store_import_next_rid(struct store *s, int64_t *next, struct kiosk_why *why);
/* store_import_rows.c: r[i] for every i with !only or only[i], row by row
 * (32 to an INSERT where a run of them allows), each told new, already
 * there (skipped), a piece of one stored before (noted), more rows of one
 * this import wrote (joined to it), or in disagreement (refused). */
int store_import_rows(struct store *s, const struct receipt *r, int n, const bool *only,
		      struct kiosk_why *why);
/* At the commit: the pieces noted make up each receipt stored before;
 * else which one does not, in a sentence. */
int store_import_pieces_check(struct store *s, struct kiosk_why *why);

/* ---- the outbox (store_outbox.c) --------------------------------------- */

/* Inside a case's write: a message of kind (registered, state, decision,
 * promise) about case seq, when its customer gave a contact and asked for
 * updates; nothing otherwise. */
int store_outbox_add(struct store *s, int64_t seq, const char *kind, const char *state_to,
		     struct kiosk_time at, struct kiosk_why *why);
/* Inside the contact purge or a customer's removal of the contact: case
 * seq's unsent messages go, and the sent ones lose their recipient. A
 * failure may show only at the commit (store_step_later). */
int store_outbox_forget(struct store *s, int64_t seq, struct kiosk_why *why);

/* ---- cases (store_cases.c) ------------------------------------------- */

/* A case token is stored only as BLAKE2b-256 (crypto_generichash, no key)
 * of its 16 lowercase hex digits. normalise: lowercase into out, -1 when
 * hex is not exactly 16 hex digits. */
#define STORE_TOKEN_HASH_BYTES 32
int store_token_normalise(const char *hex, char out[CASE_TOKEN_HEX + 1]);
void store_token_hash(const char *norm, unsigned char out[STORE_TOKEN_HASH_BYTES]);
/* Staged codes not yet known to be printed or not (store_token.c): at most
 * this many, their hashes back to back in cases.token_next_hash. With 4,
 * a receipt that came out whole from a reprint killed before it was
 * recorded lost its code after four more reprints cut short (the crash
 * test found it). Each code is 64 random bits, so 64 valid at once still
 * leave a guess at 2^-58; the column holds at most 2 KiB. */
#define STORE_PENDING_TOKENS 64
/* Read them into out (room for STORE_PENDING_TOKENS hashes); *n of them. */
int store_case_pending_tokens(struct store *s, int64_t seq, unsigned char *out, int *n,
			      struct kiosk_why *why);
/* Replace them with tokens[0..n) (n = 0: none). */
int store_case_put_pending(struct store *s, int64_t seq, const unsigned char *tokens, int n,
			   struct kiosk_why *why);

/* Insert case c as row seq (no transaction of its own): its lines, the
 * token's hash, and offline_key (NULL for a case taken online); created
 * and updated at `at`. */
int store_case_insert(struct store *s, struct case_record *c, int64_t seq,
		      const unsigned char *hash, struct kiosk_time at, const char *offline_key,
		      struct kiosk_why *why);
/* Inside a case's write transaction: may c take what it returns of its
 * receipt (returnable quantity), and its person the no-receipt credit
 * (credit may be NULL)? The rule's sentence otherwise (KIOSK_EINVAL for
 * quantity, KIOSK_ESTALE for credit). */
int store_case_rules(struct store *s, const struct case_record *c,
		     const struct store_credit_rule *credit, struct kiosk_why *why);
/* A case's idempotency key, made where it was taken: 128 random bits as
 * 32 lowercase hex digits. */
#define STORE_OFFLINE_KEY_HEX 32
/* The transaction keys of a new case's rules (receipt, ID); *n of them. */
void store_case_keys(const struct case_record *c, char keys[2][96], int *n);

/* The case's row number for "K-000123"; KIOSK_ENOTFOUND when unknown. */
int store_case_seq(struct store *s, const char *case_id, int64_t *seq, struct kiosk_why *why);
/* Insert a timeline event and its audit row (no transaction of its own). */
int store_event_row(struct store *s, int64_t seq, const char *case_id, struct kiosk_time at,
		    const char *actor, const char *event, const char *text, struct kiosk_why *why);

/* The columns of a case row, in the order store_case_row reads them, and
 * their number (a query may add columns after them). */
#define STORE_CASE_COLS                                                                   \
	"id, kind, state, store_id, receipt_id, lang, created_s, created_off, updated_s,"  \
	" updated_off, outcome, rule, explanation, details, amount, next_step, promised_day," \
	" product, customer_text, contact, wants_updates, id_hash, receipt_printed, due_day," \
	" CASE WHEN offline_key IS NULL THEN 0 ELSE 1 END"
#define STORE_CASE_N_COLS 25
/* Is the case past its promised (due) day, as of today, and not closed? */
bool store_case_overdue(const struct case_record *c, int64_t today);
/* A case (without lines) from a row of STORE_CASE_COLS; overdue as of today. */
void store_case_row(struct db_stmt *st, int64_t today, struct case_record *c);

#endif
