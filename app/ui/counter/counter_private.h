/* The counter mode's state, shared by counter.c (state machine, actions
 * through the store) and counter_screens.c (pure layout of each screen).
 *
 * Screens, and what moves between them:
 *   CARD    --staff card scanned-->              PIN
 *   PIN     --right PIN--> LIST; wrong --> PIN (message); locked --> CARD
 *   LIST    --case tapped / case code scanned--> DETAIL
 *   DETAIL  --refuse, note, search--> TEXT; override --> OUTCOME --> TEXT;
 *              move --> STATE; next step --> PROMISE (--> TEXT)
 *   any logged-in screen --idle_logout_seconds without input--> CARD */
#ifndef KIOSK_UI_COUNTER_PRIVATE_H
#define KIOSK_UI_COUNTER_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>

#include "domain/model.h"
#include "services/desk.h"
#include "store/store_handle.h"
#include "ui/toolkit/ui.h"

enum counter_screen {
	CS_CARD,     /* scan your staff card */
	CS_PIN,      /* type the PIN on the keypad (dots) */
	CS_LIST,     /* calls on top, then cases */
	CS_DETAIL,   /* one case: details or its timeline, and the actions */
	CS_TEXT,     /* type a reason, a note, a next step or a search */
	CS_OUTCOME,  /* override: choose what the customer gets */
	CS_STATE,    /* move the case to a state */
	CS_PROMISE,  /* promised date of the next step */
};

/* What the text being typed on CS_TEXT is for. */
enum counter_text_for { CT_REFUSE, CT_OVERRIDE, CT_NOTE, CT_PROMISE, CT_SEARCH };

/* Timeline events shown first: the newest ones. */
#define COUNTER_TL_START 5

/* Cases read from the store for one page of the list: more than fit any
 * screen (a 1920x1080 counter shows about 10), never the whole list. */
#define COUNTER_LIST_WINDOW 40

struct counter_state {
	struct policy policy;     /* the store's days, for a state's next step */
	struct desk_rules rules;  /* policy and words for the desk service */
	enum counter_screen screen;

	/* login */
	char card[48];
	char pin[16];
	bool logged_in;
	struct staff_record staff;
	int64_t idle_ms;
	int64_t manager_limit;    /* [counter] manager_override_above, minor units */

	/* one line of feedback on the current screen */
	char message[600];
	bool message_warn;

	/* list and its filter */
	bool f_by_state;
	enum case_state f_state;
	bool f_overdue;
	char f_receipt[32];
	char f_search[32];
	char f_id_hash[65];
	bool f_chain;             /* every store of the chain, not only this one */
	struct case_record *cases; /* one page window of the list, from list_first */
	int n_cases;
	bool more_cases;          /* the list goes on after the window */
	int list_first;           /* position in the whole list of cases[0] */
	int list_shown;           /* how many fitted (set by the last build) */
	struct staff_call *calls;
	int n_calls;
	struct kiosk_journal_row *journals; /* kiosks with cases taken offline, not sent */
	int n_journals;
	int64_t next_poll_ms;     /* calls */
	int64_t next_cases_ms;    /* the case list */
	int64_t refresh_ms;       /* [counter] refresh_seconds */
	struct kiosk_time read_at; /* the list's last read */
	bool store_lost;          /* said that the database cannot be reached now */

	/* the open case */
	bool have_case;
	struct case_record cur;
	struct outbox_msg *msgs;  /* the case's messages to the customer */
	int n_msgs;
	struct case_event *events;
	int n_events;
	bool tab_timeline;
	int tl_first;
	int tl_shown;

	/* text entry and pending choices */
	enum counter_text_for text_for;
	char text[400];
	enum case_outcome override_outcome;
	int promise_days;
	char promise_step[400];

	/* a reprint runs on a worker with its own store connection, so a slow
	 * printer never freezes the counter (counter_actions.c) */
	struct print_job *print;  /* NULL when none is running */
	char print_staff[16];     /* who asked: only they are told the result */
};

/* Build the current screen into t (counter_screens.c). */
void counter_build_screen(struct ui_ctx *ctx, struct counter_state *k, struct ui_tree *t);

/* ---- the counter's words (counter_words.c) */

/* "2026-11-23 10:05" of an instant in its own offset. */
void counter_format_time(struct kiosk_time t, char *buf, size_t len);
/* A timeline event in the staff's words (the store's texts of it parsed
 * where they carry a state, an outcome, a date or a channel). */
void counter_event_words(const struct ui_ctx *ctx, const char *event, const char *text,
			 char *buf, size_t len);
/* How long someone has waited, in words: "9 min", "1 h 9 min", "1 dag", "2 dagar". */
void counter_format_wait(const struct ui_ctx *ctx, int64_t secs, char *buf, size_t len);
/* Who wrote an event: a staff member by id; the kiosk, printer or system
 * in words. */
const char *counter_actor_words(const struct ui_ctx *ctx, const char *actor);
/* Translated name of a kind/state/outcome/reason/condition:
 * counter.<prefix><name>. */
const char *counter_name(const struct ui_ctx *ctx, const char *prefix, const char *name);
/* Now, from KIOSK_NOW or the clock. */
struct kiosk_time counter_now(void);

/* ---- counter_actions.c: reading and acting through the store ---------- */

/* One line of feedback on the screen: a text, a translated template, or
 * "That did not work: <the store's reason>". */
void counter_say(struct counter_state *k, bool warn, const char *text);
void counter_sayf(struct ui_ctx *ctx, struct counter_state *k, bool warn, const char *key,
		  const char *const *kv);
void counter_say_failed(struct ui_ctx *ctx, struct counter_state *k, const struct kiosk_why *why);
/* Read the cases (with the filter) and the open calls again: 0, or the
 * store's error with a message said. */
int counter_reload_list(struct ui_ctx *ctx, struct counter_state *k);
void counter_free_cases(struct counter_state *k);
void counter_clear_filter(struct counter_state *k);
/* Send the case's failed messages again / remove its contact at the
 * customer's request. */
void counter_act_resend(struct ui_ctx *ctx, struct counter_state *k);
void counter_act_forget_contact(struct ui_ctx *ctx, struct counter_state *k);
/* The store the list shows: this counter's, or NULL for the whole chain
 * (chosen, or a search: a customer may bring a case from another store). */
const char *counter_list_store(const struct ui_ctx *ctx, const struct counter_state *k);
/* The store whose calls the counter answers: its own (NULL: none set). */
const char *counter_own_store(const struct ui_ctx *ctx);
/* Open one case with its timeline (screen CS_DETAIL); 0, or the store's
 * error with a message said. counter_close_case forgets it. */
int counter_open_case(struct ui_ctx *ctx, struct counter_state *k, const char *case_id);
void counter_close_case(struct counter_state *k);
/* Actions on the open case, as the logged-in staff member. */
void counter_act_state(struct ui_ctx *ctx, struct counter_state *k, enum case_state s,
		       const char *text);
/* Start reprinting the open case's receipt on a worker ("printing…");
 * counter_print_poll (from on_tick, after the worker's ui_wake) shows the
 * result; counter_print_join waits for a running print (destroy). */
void counter_act_reprint(struct ui_ctx *ctx, struct counter_state *k);
void counter_print_poll(struct ui_ctx *ctx, struct counter_state *k);
void counter_print_join(struct counter_state *k);
/* Start typing on CS_TEXT for what; the typed text is done (OK tapped). */
void counter_start_text(struct counter_state *k, enum counter_text_for what, const char *initial);
void counter_text_done(struct ui_ctx *ctx, struct counter_state *k);

#endif
