/* The store: the one module that owns the database. Nothing outside
 * app/store/ writes SQL, and this header carries no engine's types: behind
 * it each engine is a backend (app/store/db.h), SQLite for one machine and
 * PostgreSQL for a store or a chain, and the rules (returnable quantity,
 * no-receipt credit, token hashing, PIN lockout) are written once above
 * them.
 *
 * Every function returns 0 or a negative kiosk_err and fills why. Records
 * returned through out-parameters are owned by the caller (free with the
 * *_free of domain/model.h, or free() for arrays as documented). Times are
 * passed in: the store never reads the clock.
 *
 * A handle is used by one thread at a time (it caches prepared
 * statements); a worker thread takes its own with store_clone. Many
 * processes may share one database: writers take turns (waiting up to five
 * seconds for each other, then KIOSK_EBUSY; an import may wait longer,
 * store_import_begin_wait), and every rule is checked inside the
 * transaction that writes. */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "domain/model.h"

#include "store/store_handle.h"

/* Schema version this program writes (SQLite's PRAGMA user_version,
 * PostgreSQL's kiosk_schema table). */
int store_schema_version(void);

/* A consistent copy of the whole database, as it stood at one moment, into
 * path (an empty file the caller made: the caller names it and moves it into
 * place); read back, checked and flushed before 0 is returned. Kiosks and
 * counters go on writing meanwhile. KIOSK_EINVAL where the engine's server
 * keeps the backups (PostgreSQL). */
int store_backup(struct store *s, const char *path, struct kiosk_why *why);

/* ---- receipts --------------------------------------------------------- */

/* Import receipts in ONE transaction: all or nothing. A receipt already
 * present with the same lines is skipped (idempotent); one present with
 * different lines is refused. *n_new receipts were added. */
int store_receipts_import(struct store *s, const struct receipt *r, int n, int *n_new,
			  struct kiosk_why *why);
/* The same import streamed, for files too large to hold in memory: begin
 * opens the one transaction, add checks and writes one receipt (skipped
 * when already present with the same lines, refused when present with
 * different ones), commit makes it all visible and says how many receipts
 * were new. After any failed add, call store_import_abort: it rolls back,
 * so the database is exactly as before. One import at a time per handle. */
/* A receipt added again in the same import (its rows stood far apart in
 * a file read in blocks) is continued: its header must agree, its new
 * lines must not repeat a line number, and they are added to it; the same
 * for pieces of a receipt that was there before the import, whose pieces
 * together must then equal what is stored. store_import_joined says how
 * many adds continued a receipt (a file's receipt count is adds minus
 * that), after the commit and until the next import begins. */
int store_import_begin(struct store *s, struct kiosk_why *why);
/* store_import_begin for a batch job, which no customer waits for:
 * imports take turns, and a chain's nightly files of many stores arrive
 * together. When its turn has not come after the writers' five seconds it
 * calls waiting(arg) (may be NULL) once and waits on, up to wait_ms in
 * all; KIOSK_EBUSY when the other import is still running then. Once
 * begun, any lock the import meets is waited for up to wait_ms too, not
 * five seconds that would cost the whole file. */
int store_import_begin_wait(struct store *s, int wait_ms, void (*waiting)(void *arg),
			    void *arg, struct kiosk_why *why);
int store_import_joined(const struct store *s);
int store_import_add(struct store *s, const struct receipt *r, struct kiosk_why *why);
/* store_import_add for r[0..n) in order, the same result as n calls; it
 * writes many rows per SQL statement, which is what makes a 1 M-line import
 * fast. */
int store_import_add_many(struct store *s, const struct receipt *r, int n,
			  struct kiosk_why *why);
int store_import_commit(struct store *s, int *n_new, struct kiosk_why *why);
void store_import_abort(struct store *s);
/* One receipt with its lines and returned quantities. KIOSK_ENOTFOUND when
 * unknown. Free with receipt_free. */
int store_receipt_get(struct store *s, const char *receipt_id, struct receipt *out,
		      struct kiosk_why *why);

/* ---- cases ------------------------------------------------------------ */

/* Save a new case with its lines and decision, in one transaction, with a
 * "registered" timeline event by actor: NULL, "" or "kiosk" for the kiosk,
 * else the staff member who registered it for a customer (then also a
 * `case.register` audit row, in the same transaction). Assigns
 * c->case_id; token_hex is the 64-bit token printed in the case code (only
 * its hash is stored). Returned quantities of the receipt lines are
 * updated for returns. */
int store_case_create(struct store *s, struct case_record *c, const char *token_hex,
		      struct kiosk_time now, const char *actor, struct kiosk_why *why);

/* The no-receipt credit rule, checked again inside the transaction that
 * saves the case, so two kiosks cannot both spend one person's allowance:
 * credit given to the case's id_hash since `since` plus this case's amount
 * must stay within `limit` (minor units). */
struct store_credit_rule {
	struct kiosk_time since;
	int64_t limit;
};

/* store_case_create, with the credit rule applied to a store-credit case
 * with an id_hash. Over the limit: nothing is saved and KIOSK_ESTALE is
 * returned, for the caller to decide again with what is now given.
 * origin (may be NULL): in a kiosk's journal the case is saved under
 * origin's number when it has one (the chain's, for a save there not
 * confirmed); on PostgreSQL, whose numbers are never given twice, the
 * number given is written to it before the save. */
int store_case_create_checked(struct store *s, struct case_record *c, const char *token_hex,
			      struct kiosk_time now, const char *actor,
			      const struct store_credit_rule *credit, struct case_origin *origin,
			      struct kiosk_why *why);
/* Read one case (lines included; overdue computed against today). */
int store_case_get(struct store *s, const char *case_id, int64_t today, struct case_record *out,
		   struct kiosk_why *why);
/* Does token_hex belong to case_id? 0 yes, KIOSK_EDENIED no (also for a
 * malformed token), KIOSK_ENOTFOUND when there is no such case. */
int store_case_check_token(struct store *s, const char *case_id, const char *token_hex,
			   struct kiosk_why *why);
/* A reprint's new code token_hex, valid beside the old one until the new
 * receipt's print is recorded: printed, it replaces the old code (event
 * "code_renewed"); failed, it goes and the old code stays. A reprint cut
 * short (a killed process) leaves both working, never neither.
 * (app/store/store_token.c) */
int store_case_stage_token(struct store *s, const char *case_id, const char *token_hex,
			   struct kiosk_why *why);

/* Cases matching f, overdue first, then waiting for staff, then the rest,
 * newest first in each. *out is a malloc'd array of n records without
 * lines: free each with case_record_free and the array with free(). A page
 * (f->limit) costs about what it shows, however many cases are stored. */
int store_case_list(struct store *s, const struct case_filter *f, struct case_record **out,
		    int *n, struct kiosk_why *why);
/* The same cases, one at a time to fn (the record is valid during the call
 * only), so a caller can stream any number of them in constant memory. fn
 * returns 0 to go on, 1 to stop, or a negative error, which is returned. */
int store_case_each(struct store *s, const struct case_filter *f,
		    int (*fn)(void *arg, const struct case_record *c), void *arg,
		    struct kiosk_why *why);

/* The case's timeline, oldest first; free(*out). */
int store_case_events(struct store *s, const char *case_id, struct case_event **out, int *n,
		      struct kiosk_why *why);
/* Append a timeline event (and an audit-log row). */
int store_case_add_event(struct store *s, const char *case_id, struct kiosk_time at,
			 const char *actor, const char *event, const char *text,
			 struct kiosk_why *why);
/* Move the state; a timeline event "state" with text. Closing a case starts
 * the contact-detail retention clock. */
int store_case_set_state(struct store *s, const char *case_id, enum case_state state,
			 struct kiosk_time at, const char *actor, const char *text,
			 struct kiosk_why *why);
/* Replace the decision (staff override); event "override" with reason. */
int store_case_set_decision(struct store *s, const char *case_id, const struct decision *d,
			    struct kiosk_time at, const char *actor, const char *reason,
			    struct kiosk_why *why);
/* Promises that were not kept: up to max open cases whose promised day is
 * before today get new_day as their promise, each in a transaction of its
 * own with the event "late" ("by OLD, now by NEW") and, for a customer who
 * asked for updates, an "overdue" message about the promise that passed
 * (once per promise: the case is no longer late once moved). *n moved;
 * call again while *n == max. */
int store_cases_move_late(struct store *s, int64_t today, int64_t new_day, int max,
			  struct kiosk_time now, int *n, struct kiosk_why *why);
/* Move the state and, unless next_step is NULL, set the next step and its
 * promised day (0: none) with it: one change, one "state" event, one
 * message to the customer. */
int store_case_move(struct store *s, const char *case_id, enum case_state state,
		    const char *next_step, int64_t promised_day, struct kiosk_time at,
		    const char *actor, const char *text, struct kiosk_why *why);
/* Set the next step and its promised day; event "promise". */
int store_case_set_promise(struct store *s, const char *case_id, const char *next_step,
			   int64_t promised_day, struct kiosk_time at, const char *actor,
			   struct kiosk_why *why);
/* Record a print result: printed=true sets receipt_printed and event
 * "printed" (and makes a staged reprint code the case's code); false
 * clears it, drops a staged code, and logs "print_failed" with the reason. */
int store_case_set_printed(struct store *s, const char *case_id, bool printed,
			   struct kiosk_time at, const char *reason, struct kiosk_why *why);

/* Sum of store credit given without a receipt to id_hash since `since`. */
int store_credit_without_receipt(struct store *s, const char *id_hash, struct kiosk_time since,
				 int64_t *sum, struct kiosk_why *why);

/* Delete contact details of cases closed before `closed_before`; *n purged;
 * `now` dates their "purge" timeline events. It goes a few cases at a
 * time, each batch committed on its own (so no writer waits for all of
 * it): after a failure *n says how many were purged before it, and the
 * next run goes on from there. */
int store_purge_contacts_at(struct store *s, struct kiosk_time closed_before,
			    struct kiosk_time now, int *n, struct kiosk_why *why);

/* ---- staff ------------------------------------------------------------ */

/* Add a staff member; the PIN (>= 4 digits) is stored as an argon2id hash.
 * out gets the new id and card code. */
int store_staff_add(struct store *s, const char *name, enum staff_role role, const char *pin,
		    struct kiosk_time now, struct staff_record *out, struct kiosk_why *why);
/* All staff; free(*out). */
int store_staff_list(struct store *s, struct staff_record **out, int *n, struct kiosk_why *why);
int store_staff_disable(struct store *s, const char *staff_id, struct kiosk_time now,
			struct kiosk_why *why);
/* Log in with a staff card code and PIN. Wrong PIN: KIOSK_EDENIED; five
 * wrong in a row lock the card for five minutes: KIOSK_EBUSY. Disabled or
 * unknown: KIOSK_EDENIED. Every attempt is in the audit log. */
int store_staff_login(struct store *s, const char *card_code, const char *pin,
		      struct kiosk_time now, struct staff_record *out, struct kiosk_why *why);

/* ---- talk-to-a-person calls ------------------------------------------- */

int store_call_create(struct store *s, const char *store_id, const char *kiosk,
		      const char *case_id, struct kiosk_time now, int64_t *call_id,
		      struct kiosk_why *why);
/* Open (unanswered) calls, oldest first: of store_id (and calls made before
 * calls had a store), or of every store when store_id is NULL; free(*out). */
int store_call_list_open(struct store *s, const char *store_id, struct staff_call **out, int *n,
			 struct kiosk_why *why);
int store_call_answer(struct store *s, int64_t call_id, const char *staff_id,
		      struct kiosk_time now, struct kiosk_why *why);
/* The same with where the customer was (the counter shows it). */
int store_call_create_about(struct store *s, const char *store_id, const char *kiosk,
			    const char *case_id, const char *context, struct kiosk_time now,
			    int64_t *call_id, struct kiosk_why *why);
/* Is the call still waiting for staff? */
int store_call_is_open(struct store *s, int64_t call_id, bool *open, struct kiosk_why *why);
/* The customer no longer needs anyone: the call leaves the counter's list
 * (answered by nobody; an audit row). Already answered: nothing changes. */
int store_call_withdraw(struct store *s, int64_t call_id, const char *kiosk, struct kiosk_time now,
			struct kiosk_why *why);

/* ---- messages to customers (store_outbox.c) --------------------------- */

/* A case's change that its customer asked to hear about writes a message
 * row in the same transaction (registered, state, decision, promise). */

/* Up to max messages due at now, claimed for lease_s seconds (no other
 * sender gets them meanwhile), oldest due first; free(*out). */
int store_outbox_claim(struct store *s, struct kiosk_time now, int lease_s, int max,
		       struct outbox_msg **out, int *n, struct kiosk_why *why);
/* A claimed message was accepted by the server: sent, with what was sent. */
int store_outbox_sent(struct store *s, int64_t id, const char *subject, const char *body,
		      struct kiosk_time now, struct kiosk_why *why);
/* A claimed message failed (error): due again at next_due_s, or failed for
 * good when give_up. */
int store_outbox_retry(struct store *s, int64_t id, const char *error, int64_t next_due_s,
		       bool give_up, struct kiosk_why *why);
/* A case's messages, oldest first; free(*out). */
int store_outbox_of_case(struct store *s, const char *case_id, struct outbox_msg **out, int *n,
			 struct kiosk_why *why);
/* The case's failed messages are sent again from now (staff's "resend");
 * *n of them. */
int store_outbox_resend(struct store *s, const char *case_id, struct kiosk_time now, int *n,
			struct kiosk_why *why);
/* The customer asked for updates after the case was saved: contact (in
 * its normal form; channel "email" or "sms" for the timeline) with
 * consent, event "contact", and the first message (registered). */
int store_case_set_contact(struct store *s, const char *case_id, const char *contact,
			   const char *channel, struct kiosk_time at, struct kiosk_why *why);
/* The customer asked to be left alone: the case's contact goes, its unsent
 * messages go, its sent ones keep no address; event "contact_removed". */
int store_case_forget_contact(struct store *s, const char *case_id, struct kiosk_time at,
			      const char *actor, struct kiosk_why *why);
/* When the next pending message is due (its claim run out), 0 when none. */
int store_outbox_next_due(struct store *s, int64_t *due_s, struct kiosk_why *why);

/* ---- service report (store_report.c) --------------------------------- */

/* Every case, oldest first, with what a report counts of it (its number,
 * kind, state, created time, outcome, due day and overdue as of today; the
 * other fields empty: no customer's words or contact), to on_case with its
 * whole timeline, oldest event first; then every talk-to-a-person
 * call, answered or not, oldest first, to on_call. Records are valid during
 * the call only. A callback returns 0 to go on, or a negative error, which
 * is returned (1 stops on_call's walk); on_call may be NULL. Holds one case
 * at a time. */
int store_report_each(struct store *s, int64_t today,
		      int (*on_case)(void *arg, const struct case_record *c,
				     const struct case_event *ev, int n_ev),
		      int (*on_call)(void *arg, const struct staff_call *c), void *arg,
		      struct kiosk_why *why);
/* Every talk-to-a-person call, answered or not, oldest first, to fn (0: go
 * on, 1: stop, negative: an error returned). */
int store_call_each(struct store *s, int (*fn)(void *arg, const struct staff_call *c), void *arg,
		    struct kiosk_why *why);

/* ---- a kiosk's offline journal (store_journal.c) --------------------- */

/* The journal is an embedded store (SQLite) on the kiosk: the cases it took
 * while the chain's database could not be reached, and a cache of its
 * store's recent receipts. Opened with store_open_journal, its new cases
 * are numbered K- + prefix (store 4 digits, kiosk 2) + 6 digits of its own,
 * never a number the chain gives (those have at most 11 digits), and each
 * gets an idempotency key. */
int store_open_journal(struct store **out, const char *path, const char *prefix,
		       struct kiosk_why *why);

/* One journal case as it goes to the chain: the case with its lines, its
 * timeline, its code's hash and its key. */
struct journal_case {
	struct case_record c;
	struct case_event *events; /* oldest first; owned */
	int n_events;
	unsigned char token_hash[32];
	char offline_key[40];
};
void journal_case_free(struct journal_case *j);

/* The oldest case of the journal not yet sent; KIOSK_ENOTFOUND when none. */
int store_journal_next(struct store *j, struct journal_case *out, struct kiosk_why *why);
/* Put a journal case into the chain, once: a case whose key is there
 * already changes nothing (*was_there). With check_rules the case's rules
 * are checked inside the transaction that writes (what is left to return,
 * the no-receipt credit): broken, nothing is saved and KIOSK_ESTALE comes
 * back with the rule's sentence, for the caller to hand the case to staff
 * and put it again without. event_text is the timeline's account of the
 * case's way from the kiosk ("offline" event, actor "system") at now. */
int store_journal_put(struct store *chain, const struct journal_case *jc, bool check_rules,
		      const struct store_credit_rule *credit, const char *event,
		      const char *event_text, struct kiosk_time now, bool *was_there,
		      struct kiosk_why *why);
/* The case reached the chain: it is no longer pending. */
int store_journal_sent(struct store *j, const char *case_id, struct kiosk_time now,
		       struct kiosk_why *why);
/* Cases not yet sent, and when the oldest of them was taken (0: none). */
int store_journal_pending(struct store *j, int64_t *n, struct kiosk_time *oldest,
			  struct kiosk_why *why);
/* Copy into the journal the receipts of store_id bought since `since`
 * (with what the chain has returned of each line by cases not from this
 * journal), in one transaction; *n receipts copied. */
int store_journal_cache(struct store *j, struct store *chain, const char *store_id,
			struct kiosk_time since, int *n, struct kiosk_why *why);
/* In the chain: a kiosk's journal says how many of its cases wait to be
 * sent (the counter shows it); read back per store, kiosks with cases
 * waiting first; free(*out). */
int store_kiosk_journal_report(struct store *chain, const char *store_id, const char *kiosk,
			       int64_t pending, struct kiosk_time oldest, struct kiosk_time now,
			       struct kiosk_why *why);
int store_kiosk_journals(struct store *chain, const char *store_id,
			 struct kiosk_journal_row **out, int *n, struct kiosk_why *why);

/* ---- audit log (append-only: triggers refuse UPDATE and DELETE) ------- */

int store_audit_append(struct store *s, struct kiosk_time at, const char *actor,
		       const char *action, const char *detail, struct kiosk_why *why);

/* Each audit row is chained by hash to the one before (store_audit.c). */
#define STORE_AUDIT_LINK_BYTES 32
struct audit_check {
	int64_t rows;     /* audit rows */
	int64_t links;    /* links checked */
	int64_t problems; /* sentences given to the problem callback */
	int64_t head_seq; /* the newest link's number (0: none) */
	unsigned char head[STORE_AUDIT_LINK_BYTES];
};
/* Check the audit log: the triggers that guard it are there (and enabled),
 * every link is the hash of the link before and its row, and every row is
 * in the chain. Each problem is one sentence to problem (may be NULL).
 * Returns 0 whatever was found (see out->problems), or a failure to read. */
int store_audit_verify(struct store *s, void (*problem)(void *arg, const char *sentence),
		       void *arg, struct audit_check *out, struct kiosk_why *why);

#endif
