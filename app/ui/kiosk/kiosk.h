/* The customer kiosk mode, private to app/ui: its state, the screens
 * (kiosk_screens.c, pure layout from the flow), the effects that talk to
 * the store, the policy and the printer (kiosk_mode.c), and the chain's
 * database between customers (kiosk_chain.c). */
#ifndef KIOSK_UI_KIOSK_H
#define KIOSK_UI_KIOSK_H

#include <pthread.h>
#include <stdatomic.h>

#include "domain/policy.h"
#include "ui/kiosk/flow.h"
#include "ui/toolkit/ui.h"

/* On screens opened from the counter, the "talk" button's id: back to the
 * counter (the customer's flow is cancelled). */
#define KIOSK_ID_TO_COUNTER "to_counter"

struct chain_open;

struct kiosk_state {
	struct flow f;
	struct policy policy;
	bool have_policy;
	int64_t idle_ms, countdown_ms;
	bool asking;              /* "Are you still there?" is showing */
	int page;                 /* long lists: the page shown ... */
	enum flow_screen page_of; /* ... on this screen (another screen starts at 0) */
	int pager_pages;          /* pages of the list being built */
	int64_t ask_end_ms;
	/* printing happens on a worker so the screen never freezes */
	struct print_job *print;  /* NULL when none is running */
	int64_t call_ms;          /* when the visit's call was made (monotonic) */
	int64_t reopen_ms;        /* next try at the chain's database (started without it) */
	int64_t look_ms;          /* next look at a shared database's connection (keep_ready) */
	struct chain_open *opening; /* the chain being opened on a worker, or NULL */
	bool report_due;          /* the chain has not heard what the journal holds */
	unsigned channels;        /* the update channels the store has set up (FLOW_CH_*) */
};

/* Build the current screen (and the idle prompt over it). */
void kiosk_build(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t);
/* "22 november 2026" in the current language. */
void kiosk_format_day(const struct ui_ctx *ctx, int64_t day, char *buf, size_t len);
/* Between customers: the chain's database opened, told and looked at,
 * never waiting for it (kiosk_chain.c). From the mode's tick. */
void kiosk_chain_tick(struct ui_ctx *ctx, struct kiosk_state *k, int64_t now);

#endif
