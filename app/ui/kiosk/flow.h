/* The customer's flow as an explicit state machine: an enum of screens and
 * one transition function per kind of input (a tap, a scan). Pure C: what
 * the flow needs from the outside world (a receipt from the database, a
 * policy decision, saving the case, calling staff, reading a case) goes
 * through struct flow_effects, so tests drive it with fakes and no SDL.
 *
 * Nothing is saved until the customer says yes to the decision (register),
 * and nothing after that can lose the case;
 * flow_reset() forgets every personal detail (the memory is wiped). */
#ifndef KIOSK_UI_FLOW_H
#define KIOSK_UI_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/model.h"
#include "domain/scan.h"

enum flow_screen {
	FS_START,          /* three choices; a scan is understood directly */
	FS_IDENTIFY,       /* scan the receipt (or "I have no receipt") */
	FS_ID_SCAN,        /* no receipt: scan an ID document */
	FS_CONFIRM,        /* what was read, in plain words; "That's not me" */
	FS_CHOOSE,         /* an ID was scanned first: return or fault? */
	FS_ITEMS,          /* return: which items, how many */
	FS_NR_ITEM,        /* return without receipt: name the item */
	FS_NR_PRICE,       /* ... and what it cost (checked by staff) */
	FS_REASON,         /* why it is returned */
	FS_OTHER_TEXT,     /* reason "other": the customer's words */
	FS_CONDITION,      /* unopened or used */
	FS_FAULT_PRODUCT,  /* fault: which product on the receipt */
	FS_FAULT_DESCRIBE, /* fault without receipt: name the product */
	FS_FAULT_WHAT,     /* common faults */
	FS_FAULT_TEXT,     /* the fault in the customer's words */
	FS_DECISION,       /* the policy's answer, then confirm */
	FS_CONTACT_ASK,    /* "Do you want us to tell you...?" */
	FS_CONTACT_ENTRY,  /* phone or e-mail */
	FS_DONE,           /* saved; the receipt prints */
	FS_FOLLOW_SCAN,    /* follow my case: scan the case receipt */
	FS_FOLLOW_NUMBER,  /* the case receipt is lost: type the case number */
	FS_FOLLOW_RECEIPT, /* ... and show the purchase receipt (scan or type) */
	FS_FOLLOW_SHOW,    /* the case's timeline */
	FS_CALLED,         /* someone is on the way */
	FS_COUNT
};

enum flow_intent { FI_NONE, FI_RETURN, FI_FAULT };

enum flow_print { FP_NONE, FP_PRINTING, FP_PRINTED, FP_FAILED, FP_NO_PRINTER };

#define FLOW_MAX_LINES 32
#define FLOW_TEXT_MAX 400
#define FLOW_MAX_EVENTS 24
#define FLOW_LINE_TEXT_MAX 160

/* The common faults offered as buttons; their words come from ui.ini. */
enum flow_fault { FF_NO_POWER, FF_BROKEN, FF_BATTERY, FF_NOISE, FF_COUNT };

struct flow {
	enum flow_screen screen;
	enum flow_screen before_call;   /* where "talk to a person" came from */
	enum flow_intent intent;

	bool have_receipt;
	struct receipt receipt;         /* owned: lines freed by flow_reset */
	int qty[FLOW_MAX_LINES];        /* chosen quantities per receipt line */
	int fault_line;                 /* receipt line index for a fault, -1 none */

	bool have_id;
	struct scan_id_document id;     /* wiped by flow_reset */

	enum return_reason reason;
	enum item_condition condition;
	bool reason_given, condition_given; /* shown as chosen when the customer comes back */
	char text[FLOW_TEXT_MAX];       /* keyboard text: reason, fault, product */
	/* A return of different items asks why, and in what state, for each in
	 * turn (per_item); asking is the receipt line asked about. Answers stay
	 * when the customer goes back. */
	bool per_item;
	int asking;
	enum return_reason line_reason[FLOW_MAX_LINES];
	enum item_condition line_cond[FLOW_MAX_LINES];
	bool line_reason_given[FLOW_MAX_LINES], line_cond_given[FLOW_MAX_LINES];
	char line_text[FLOW_MAX_LINES][FLOW_LINE_TEXT_MAX];
	char product[128];              /* fault/no-receipt: the product named */
	char price[8];                  /* no receipt: whole kronor, typed on the keypad */
	enum flow_fault fault_choice;
	bool fault_chosen;
	char contact[128];
	bool wants_contact;

	bool registered;                /* the case is saved: nothing may lose it */
	bool offline;                   /* saved in this kiosk's offline journal */
	struct decision decision;

	char case_id[CASE_ID_MAX];      /* after registering */
	char token[CASE_TOKEN_HEX + 1];
	enum flow_print print;

	/* follow my case; without the case receipt: its number and the
	 * purchase receipt's (digits as typed) */
	char follow_number[16];
	char follow_receipt[32];
	struct case_record followed;    /* owned: freed by flow_reset */
	bool have_followed;
	struct case_event events[FLOW_MAX_EVENTS];
	int n_events;

	/* a short message shown on the current screen: a ui.ini key */
	char notice[48];
	/* "talk to a person": one call per visit */
	bool called;                    /* a staff call was registered */
	int64_t call_id;
	bool call_waiting;              /* nobody has answered it yet (kiosk_tick asks) */
};

/* What the flow asks of the world. Every function returns 0 or a negative
 * kiosk_err; on failure the flow shows a gentle notice and stays put. */
struct flow_effects {
	void *arg;
	int (*load_receipt)(void *arg, const char *receipt_id, struct receipt *out);
	/* Fill f->decision from f's answers (nothing is saved). */
	int (*decide)(void *arg, struct flow *f);
	/* Save the case (the customer said "register it"); fill f->case_id and
	 * f->token. Nothing after this can lose the case. */
	int (*register_case)(void *arg, struct flow *f);
	/* After the case is saved: the customer's contact for updates. */
	int (*set_contact)(void *arg, struct flow *f);
	/* The case is done: print its receipt. */
	void (*print_receipt)(void *arg);
	/* A call for a person about case_id ("" without a case); *call_id. */
	int (*call_staff)(void *arg, const char *case_id, int64_t *call_id);
	/* The customer no longer needs anyone (or left): take the call back. */
	void (*withdraw_call)(void *arg, int64_t call_id);
	/* Check the token and read the case + its timeline into f. */
	int (*load_case)(void *arg, const char *case_id, const char *token, struct flow *f);
	/* The same without the case receipt: the case number as typed (digits)
	 * and the purchase receipt it was registered with (scanned, or its
	 * number's digits as typed: typed true). */
	int (*load_case_by_receipt)(void *arg, const char *number, const char *receipt, bool typed,
				    struct flow *f);
	/* How the store can send updates (FLOW_CH_*): none, and the customer
	 * is not asked for a contact at all. */
	unsigned channels;
};

enum { FLOW_CH_EMAIL = 1, FLOW_CH_SMS = 2 };

void flow_init(struct flow *f);
/* Back to the start: free and wipe everything personal. */
void flow_reset(struct flow *f);

/* A tap on widget id. Returns true when the flow changed. */
bool flow_tap(struct flow *f, const struct flow_effects *fx, const char *id);
/* A scan. Returns true when the flow changed. */
bool flow_scan(struct flow *f, const struct flow_effects *fx, const struct scan_result *r);

/* Anything personal on screen or in memory (the idle prompt only appears then). */
bool flow_has_personal(const struct flow *f);
const char *flow_screen_name(enum flow_screen s);
/* The ids of the buttons of a fault kind and of a return reason (the rest
 * are in kiosk_ids.h); "" for a value out of range. */
const char *flow_fault_id(enum flow_fault kind);
const char *flow_reason_id(enum return_reason reason);
/* Total items chosen for a return. */
int flow_items_chosen(const struct flow *f);
/* How many different receipt lines are chosen. */
int flow_lines_chosen(const struct flow *f);
/* The customer's answer for receipt line i (index) of a return: its own
 * when asked per item, else the one answer for all. *text is the customer's
 * words for "other" ("" otherwise). */
void flow_line_answer(const struct flow *f, int i, enum return_reason *reason,
		      enum item_condition *condition, const char **text);
/* The reason and condition the current question already has (the customer
 * came back to it): false when not answered yet. */
bool flow_reason_given(const struct flow *f, enum return_reason *reason);
bool flow_condition_given(const struct flow *f, enum item_condition *condition);
/* Which chosen item is asked about now: *n of *total (1-based); false when
 * one answer covers the whole return. */
bool flow_asking_item(const struct flow *f, int *n, int *total);
/* A contact the store can send to: an e-mail address (FLOW_CH_EMAIL in
 * channels) or a phone number (FLOW_CH_SMS), as domain/contact reads it. */
bool flow_contact_valid(const char *s, unsigned channels);

#endif
