/* The kiosk's nouns, shared by every layer: receipts, cases, their lines
 * and timeline, staff. Plain data; money is in minor units (öre/cents).
 * Structs that own heap memory have a *_free in model.c; everything else
 * is fixed-size so it can live on the stack. */
#ifndef KIOSK_DOMAIN_MODEL_H
#define KIOSK_DOMAIN_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"

/* ---- receipts (what was bought) ---------------------------------------- */

struct receipt_line {
	int line;                 /* 1-based line number on the receipt */
	char sku[32];
	char description[128];    /* UTF-8 */
	int quantity;             /* bought */
	int64_t unit_price;       /* minor units */
	char category[32];        /* policy category, e.g. "electronics" */
	int returned_quantity;    /* already returned (filled by the store) */
	int pending_quantity;     /* of which in cases still waiting for staff */
};

struct receipt {
	char receipt_id[32];      /* the barcode payload, e.g. RS004200320261122001234 */
	char store[16];
	char register_id[8];
	struct kiosk_time purchased_at;
	char currency[4];         /* ISO 4217 */
	int n_lines;
	struct receipt_line *lines; /* owned; receipt_free */
};

void receipt_free(struct receipt *r);

/* ---- cases (a return or a fault report) -------------------------------- */

enum case_kind { CASE_RETURN, CASE_FAULT };

/* Every change of state is a timeline event. */
enum case_state {
	CASE_REGISTERED,        /* saved by the kiosk, decided by policy */
	CASE_WAITING_STAFF,     /* policy handed it to staff */
	CASE_APPROVED,
	CASE_REFUSED,
	CASE_AT_REPAIR,
	CASE_BACK_FROM_REPAIR,
	CASE_READY_FOR_PICKUP,
	CASE_CLOSED,
	CASE_STATE_COUNT
};

/* What the customer is owed. */
enum case_outcome {
	OUTCOME_REFUND,         /* to the original payment */
	OUTCOME_STORE_CREDIT,
	OUTCOME_EXCHANGE,
	OUTCOME_REPAIR,         /* fault: assess and repair */
	OUTCOME_REPLACE,        /* fault: new product */
	OUTCOME_STAFF,          /* a person decides */
	OUTCOME_REFUSED,
	OUTCOME_COUNT
};

/* How the customer describes the returned item. */
enum item_condition { COND_UNOPENED, COND_USED, COND_FAULTY, COND_COUNT };

/* Why the customer returns it. */
enum return_reason { REASON_CHANGED_MIND, REASON_FAULTY, REASON_WRONG_ITEM, REASON_OTHER,
		     REASON_COUNT };

/* Stable names used in the database, JSON and translation keys
 * ("registered", "waiting_for_staff", ...; "refund", "store_credit", ...). */
const char *case_kind_name(enum case_kind k);
const char *case_state_name(enum case_state s);
const char *case_outcome_name(enum case_outcome o);
const char *item_condition_name(enum item_condition c);
const char *return_reason_name(enum return_reason r);
/* Reverse lookups: 0 ok, -1 unknown name. */
int case_kind_parse(const char *s, enum case_kind *out);
int case_state_parse(const char *s, enum case_state *out);
int case_outcome_parse(const char *s, enum case_outcome *out);
int item_condition_parse(const char *s, enum item_condition *out);
int return_reason_parse(const char *s, enum return_reason *out);

/* A policy decision, explainable: which rule, which numbers, one sentence. */
struct decision {
	enum case_outcome outcome;
	char rule[48];            /* e.g. "return.within_window" */
	char explanation[512];    /* one plain sentence in the case's language */
	char details[256];        /* the numbers, as compact JSON: {"days":12,"window":30} */
	int64_t amount;           /* money owed, minor units (0 when none) */
	char next_step[256];      /* one sentence: what happens next */
	int64_t promised_day;     /* local date the next step is promised by (days since epoch); 0 none */
};

struct case_line {
	int receipt_line;         /* 0 when not from a receipt */
	char sku[32];
	char description[128];
	int quantity;
	int64_t unit_price;
	char category[32];
	enum return_reason reason;
	enum item_condition condition;
};

#define CASE_ID_MAX 16        /* "K-000123" */
#define CASE_TOKEN_HEX 16     /* 64-bit token as 16 lowercase hex digits */

/* One case that may be saved in either of two stores (a kiosk with an
 * offline journal: the chain, or the journal when the chain cannot be
 * reached): the number the chain gave it and its code's token. A save in
 * the chain whose answer was lost may stand there; kept in the journal
 * under the same number and code, it is found in the chain at the replay
 * if it is there (store_journal_put), and the customer's code is the
 * chain's either way. */
struct case_origin {
	char case_id[CASE_ID_MAX];          /* "" until the chain numbered it */
	char token_hex[CASE_TOKEN_HEX + 1]; /* "" until case_register made one */
};

struct case_record {
	char case_id[CASE_ID_MAX];
	enum case_kind kind;
	enum case_state state;
	char store[16];
	char receipt_id[32];      /* "" when returned without a receipt */
	char lang[4];             /* the customer's language: "sv" / "en" */
	struct kiosk_time created_at;
	struct kiosk_time updated_at;
	struct decision decision;
	char product[128];        /* fault: the product as the customer named it */
	char customer_text[1024]; /* fault or "other" reason: the customer's own words */
	char contact[128];        /* phone or e-mail, only when wants_updates; purged at close */
	bool wants_updates;
	char id_hash[65];         /* keyed hash of the ID document (hex), "" when none */
	bool receipt_printed;     /* false until a print succeeded */
	/* The day after which the case is late: its promised day, or, once a
	 * promise was not kept and the case was given a new date, the promise
	 * that was broken (until staff set a new one). 0: nothing promised. */
	int64_t due_day;
	bool overdue;             /* computed on read: due day passed, not closed */
	/* taken at a kiosk while the chain's database could not be reached
	 * (its number is the kiosk's own: K- store, kiosk, number) */
	bool taken_offline;
	int n_lines;
	struct case_line *lines;  /* owned; case_record_free */
};

void case_record_free(struct case_record *c);
/* What the case is worth (minor units): its lines at their price, or the
 * decision's amount where that is more. The manager limit is on this. */
int64_t case_record_value(const struct case_record *c);

/* Which cases a list shows (the counter's filters, `kiosk case list`). */
struct case_filter {
	bool by_state;
	enum case_state state;
	bool overdue_only;
	const char *receipt_id;   /* NULL: any */
	const char *id_hash;      /* NULL: any; the person's keyed ID hash */
	const char *search;       /* NULL: any; case number substring */
	const char *store_id;     /* NULL: every store of the chain */
	int64_t today;            /* local day for "overdue" */
	int limit;                /* at most this many (0: all) */
	int offset;               /* after skipping this many */
};

struct case_event {
	struct kiosk_time at;
	char actor[48];           /* "kiosk", "staff:S001", "printer", "system" */
	char event[32];           /* "registered", "state", "override", "note", "printed", ... */
	char text[512];
};

/* A timeline event with the case it belongs to, for reading every
 * timeline at once (the service report). */
struct case_event_ref {
	char case_id[CASE_ID_MAX];
	struct case_event ev;
};

/* ---- staff ----------------------------------------------------------- */

enum staff_role { ROLE_STAFF, ROLE_MANAGER };

/* A staff PIN: this many digits, 0-9 only. */
#define PIN_MIN_DIGITS 4
#define PIN_MAX_DIGITS 12

/* A PIN anyone would try first: one digit repeated (0000) or a run up or
 * down (1234, 9876). Refused when a PIN is set; one already set still
 * logs in. */
bool pin_is_weak(const char *pin);

struct staff_record {
	char staff_id[16];        /* "S001" */
	char name[96];
	enum staff_role role;
	bool active;
	char card_code[48];       /* what the staff card's barcode holds */
};

const char *staff_role_name(enum staff_role r);
int staff_role_parse(const char *s, enum staff_role *out);

/* A "talk to a person" call from a kiosk. */
struct staff_call {
	int64_t call_id;
	char kiosk[32];
	char store[16];            /* the kiosk's store; "" for calls before schema 6 */
	char case_id[CASE_ID_MAX]; /* "" when the customer had no case yet */
	struct kiosk_time created_at;
	bool answered;
	struct kiosk_time answered_at;
	char answered_by[16];
	/* where the customer was: "screen|receipt|items chosen" ("" before
	 * schema 8), for the counter to say in its words */
	char context[96];
};

/* A kiosk's offline journal as it last told the chain: how many cases it
 * took offline are still waiting to be sent, since when. */
struct kiosk_journal_row {
	char kiosk[32];
	char store[16];
	int64_t pending;
	struct kiosk_time oldest; /* the oldest waiting case's time (0: none) */
	struct kiosk_time seen;   /* when the kiosk last reached the chain */
};

/* A message to a customer about their case (the outbox, issue 11): what
 * happened (kind: registered, state, decision, promise, overdue), to whom
 * and how, and how its sending went. The text is made when it is sent, in
 * the case's language, and kept with the row. */
struct outbox_msg {
	int64_t id;
	char case_id[CASE_ID_MAX];
	char kind[16];
	char state_to[24];         /* kind "state": the case's new state */
	char channel[8];           /* "email" or "sms" */
	char recipient[128];       /* normalised contact; "" once purged */
	char lang[8];
	char msg_id[40];           /* the same on every attempt: receivers deduplicate */
	int64_t promised_day;      /* the promise an "overdue" message is about */
	struct kiosk_time created_at;
	char status[12];           /* "pending", "sent", "failed" */
	int attempts;
	int64_t first_try_s;       /* when a sender first took it, 0 before */
	int64_t sent_s;            /* 0 until sent */
	char last_error[200];
};

#endif