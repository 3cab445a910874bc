/* The kiosk and its chain's database between customers, never waiting
 * for it: a kiosk that started without it opens it on a worker and tells
 * it what its journal holds; a kiosk on a shared database looks at its
 * connection now and then, so that one lost is made again before the next
 * customer needs it. Called from the kiosk mode's tick (kiosk_mode.c). */
#include "ui/kiosk/kiosk.h"

#include "core/clock.h"
#include "services/chain_open.h"
#include "services/offline.h"
#include "store/store_handle.h"

/* How often a kiosk that started without the chain's database tries to
 * open it again, between customers. */
#define REOPEN_MS 15000
/* A connection on its way is moved on a step this often. */
#define REACH_STEP_MS 200
/* How often a kiosk on a shared database looks at its connection between
 * customers (keep_ready). */
#define LOOK_MS 2000

/* A kiosk that started while the chain's database could not be reached
 * works from its journal; between customers it tries the chain again,
 * never waiting for it (opened on a worker, reached a step at a time). Once
 * it reaches it, it tells the chain how many cases taken offline are on
 * their way (the counter shows them until the sync service has sent them):
 * at start and after each case it takes offline. */
static void reopen_chain(struct ui_ctx *ctx, struct kiosk_state *k, int64_t now)
{
	if (!ctx->offline || !ctx->db_path || flow_has_personal(&k->f) ||
	    (ctx->store && !k->report_due))
		return;
	if (now >= k->reopen_ms) {
		struct kiosk_why why;
		struct kiosk_time t;
		int r = -1;
		if (!ctx->store) {
			/* opened on a worker: where the network is silent, opening
			 * waits out the connect timeout */
			if (!k->opening &&
			    chain_open_start(&k->opening, ctx->db_path, ui_wake_cb, ctx, &why))
				k->opening = NULL;
			if (k->opening && chain_open_done(k->opening)) {
				chain_open_finish(k->opening, &ctx->store, &why);
				k->opening = NULL;
			}
			if (k->opening)
				r = 1;
		}
		if (ctx->store && !clock_now(&t, NULL))
			r = offline_report(ctx->offline, ctx->store, t, &why);
		if (r == 0)
			k->report_due = false;
		/* a connection on its way is moved on a step at a time */
		k->reopen_ms = now + (r == 1 ? REACH_STEP_MS : REOPEN_MS);
	}
	if (!ctx->store || k->report_due)
		ui_wake_at(ctx, k->reopen_ms);
}

/* Between customers a kiosk on a shared database looks at its connection
 * now and then, never waiting (offline_look): one the server closed, or
 * lost with a primary that went away, is connected again before the next
 * customer needs it. Where the primary went silent, its connect timeout is
 * waited out here, in steps, and not by that customer; and a kiosk with a
 * journal that finds the chain unreachable takes its next customer's
 * steps from the journal at once. */
static void keep_ready(struct ui_ctx *ctx, struct kiosk_state *k, int64_t now)
{
	if (!ctx->store || !store_is_shared(ctx->store) || flow_has_personal(&k->f))
		return;
	if (now >= k->look_ms) {
		struct kiosk_why why;
		int r = offline_look(ctx->offline, ctx->store, &why);
		k->look_ms = now + (r == 0 ? REACH_STEP_MS : LOOK_MS);
	}
	ui_wake_at(ctx, k->look_ms);
}

void kiosk_chain_tick(struct ui_ctx *ctx, struct kiosk_state *k, int64_t now)
{
	reopen_chain(ctx, k, now);
	keep_ready(ctx, k, now);
}
