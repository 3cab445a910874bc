/* The kiosk's screens laid out without SDL: every screen inside the window
 * in both orientations and languages with every ui.ini key present, long
 * receipts paged, and a customer handed back to the counter that helped.
 * The flow is driven against fake effects (flow_fakes.c). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "flow_fakes.h"
#include "ktest.h"
#include "ui/kiosk/flow.h"
#include "ui/kiosk/kiosk.h"
#include "ui/modes.h"
#include "ui/toolkit/ui.h"

/* Every screen, in both languages and both orientations, with large text:
 * every widget inside the window, tappable ones at least the touch
 * minimum, ids unique, and no label showing a missing ui.ini key. */
static void test_screens_layout(void)
{
	const char *assets = getenv("KIOSK_ASSETS");
	struct kiosk_config cfg = {0};
	struct kiosk_why why = {{0}};
	KT_CHECK(assets && config_load(&cfg, assets, NULL, &why) == 0, "config: %s", why.text);
	struct i18n *sv = NULL, *en = NULL;
	KT_CHECK(i18n_create(&sv, assets, "sv", &why) == 0, "sv: %s", why.text);
	KT_CHECK(i18n_create(&en, assets, "en", &why) == 0, "en: %s", why.text);
	if (!sv || !en)
		return;
	struct ui_tree *t = calloc(1, sizeof *t), *u = calloc(1, sizeof *u);
	struct kiosk_state *k = calloc(1, sizeof *k);
	struct fake fk = {0};
	struct flow_effects fx = fake_fx(&fk);
	static const int sizes[][2] = {{1080, 1920}, {1920, 1080}, {768, 1366}};
	int row = 0;
	for (int lang = 0; lang < 2; lang++)
	for (int sz = 0; sz < 3; sz++)
	for (int large = 0; large < 2; large++)
	for (int s = 0; s < FS_COUNT; s++, row++) {
		struct ui_ctx ctx = {.cfg = &cfg, .tr = lang ? en : sv, .tr_sv = sv, .tr_en = en,
				     .win_w = sizes[sz][0], .win_h = sizes[sz][1],
				     .large_text = large};
		snprintf(ctx.lang, sizeof ctx.lang, "%s", lang ? "en" : "sv");
		flow_init(&k->f);
		/* a receipt, an ID and a decision so every screen has its data */
		fake_step(&k->f, &fx, "@receipt");
		k->f.have_id = true;
		snprintf(k->f.id.given_names, sizeof k->f.id.given_names, "ANNA");
		/* as long as the policy's real sentences */
		snprintf(k->f.decision.explanation, sizeof k->f.decision.explanation,
			 "Du köpte varan 2026-11-22, och oöppnade varor kan lämnas tillbaka till och "
			 "med 2026-12-22, så du får pengarna tillbaka till ditt ursprungliga betalsätt.");
		snprintf(k->f.decision.next_step, sizeof k->f.decision.next_step,
			 "Lämna varan och kvittot från kiosken i kassan, så är 199 kr "
			 "tillbaka på ditt ursprungliga betalsätt senast 2026-11-28.");
		k->f.decision.amount = 19900;
		k->f.print = large ? FP_NO_PRINTER : FP_PRINTED; /* with and without the QR */
		snprintf(k->f.token, sizeof k->f.token, "0123456789abcdef");
		k->f.decision.promised_day = 20785;
		snprintf(k->f.case_id, sizeof k->f.case_id, "K-000001");
		/* a long timeline: the follow screen must still fit */
		k->f.n_events = FLOW_MAX_EVENTS;
		for (int e = 0; e < FLOW_MAX_EVENTS; e++)
			snprintf(k->f.events[e].event, sizeof k->f.events[e].event,
				 e % 2 ? "state" : "registered");
		/* a notice on every screen, the longest (checked against the
		 * same screen without it below) */
		snprintf(k->f.notice, sizeof k->f.notice, "%s",
			 s % 2 ? "ui.notice_save_unsure" : "ui.notice_scan_not_now");
		k->f.screen = (enum flow_screen)s;
		k->asking = s == FS_ITEMS; /* the idle prompt over one screen */
		ui_tree_clear(t);
		kiosk_build(&ctx, k, t);
		KT_CHECK(!t->overflow, "i:%d screen %s overflows the tree", row, t->screen);
		for (int i = 0; i < t->n; i++) {
			const struct ui_widget *w = &t->w[i];
			bool tappable = w->role == UI_ROLE_BUTTON || w->role == UI_ROLE_KEY ||
					w->role == UI_ROLE_TOGGLE || w->role == UI_ROLE_LIST_ITEM;
			KT_CHECK(w->x >= 0 && w->y >= 0 && w->x + w->w <= ctx.win_w &&
				 w->y + w->h <= ctx.win_h,
				 "i:%d %s %dx%d%s: %s (%d,%d %dx%d) outside the window", row, t->screen,
				 ctx.win_w, ctx.win_h, large ? " large" : "", w->id, w->x, w->y, w->w, w->h);
			if (tappable)
				KT_CHECK(w->h >= ui_touch_min(&ctx) && w->w >= ui_touch_min(&ctx) * 8 / 10,
					 "i:%d %s: %s is %dx%d, too small to tap", row, t->screen, w->id,
					 w->w, w->h);
			KT_CHECK(!strstr(w->label, "ui."), "i:%d %s: %s shows a missing key %s", row,
				 t->screen, w->id, w->label);
			for (int j = 0; j < i && w->id[0]; j++)
				KT_CHECK(strcmp(w->id, t->w[j].id), "i:%d %s: id %s twice", row,
					 t->screen, w->id);
			/* no control lies over another (a finger would hit either) */
			for (int j = 0; j < i && tappable && !k->asking; j++) {
				const struct ui_widget *o = &t->w[j];
				bool tap_o = o->role == UI_ROLE_BUTTON || o->role == UI_ROLE_KEY ||
					     o->role == UI_ROLE_TOGGLE || o->role == UI_ROLE_LIST_ITEM;
				KT_CHECK(!tap_o || o->y >= w->y + w->h || o->y + o->h <= w->y ||
						 o->x >= w->x + w->w || o->x + o->w <= w->x,
					 "i:%d %s %dx%d%s: %s (%d,%d %dx%d) over %s (%d,%d %dx%d)", row,
					 t->screen, ctx.win_w, ctx.win_h, large ? " large" : "", w->id, w->x,
					 w->y, w->w, w->h, o->id, o->x, o->y, o->w, o->h);
			}
		}
		/* The answers are low, within reach from a wheelchair (issue 12
		 * point 10): the screen's own controls end just above "Prata med
		 * en person" (or the low toggles), however few they are. */
		const struct ui_widget *talk = ui_tree_find(t, "talk");
		const struct ui_widget *lowest = ui_tree_find(t, UI_ID_LARGE_TEXT UI_ID_LOW);
		const struct ui_widget *bar = ui_tree_find(t, UI_ID_LARGE_TEXT);
		int limit = talk ? talk->y : lowest ? lowest->y : ctx.win_h, end = 0;
		for (int i = 0; i < t->n && bar && !k->asking; i++) {
			const struct ui_widget *w = &t->w[i];
			if ((w->role == UI_ROLE_BUTTON || w->role == UI_ROLE_LIST_ITEM ||
			     w->role == UI_ROLE_KEY) && w->y > bar->y + bar->h && w->y + w->h <= limit &&
			    w->y + w->h > end)
				end = w->y + w->h;
		}
		if (bar && !k->asking)
			KT_CHECK(end >= limit - 2 * ui_unit(&ctx, 24),
				 "i:%d %s %dx%d: its controls end at %d, far above %d", row, t->screen,
				 ctx.win_w, ctx.win_h, end, limit);
		/* A notice never moves a control under the finger, nor covers one:
		 * the same screen without it has every control where it was. */
		const struct ui_widget *n = ui_tree_find(t, "notice");

		if (n && !k->asking) {
			k->f.notice[0] = '\0';
			ui_tree_clear(u);
			kiosk_build(&ctx, k, u);
			for (int i = 0; i < u->n; i++) {
				const struct ui_widget *w = &u->w[i], *was = ui_tree_find(t, w->id);
				if (w->role == UI_ROLE_HEADING || w->role == UI_ROLE_TEXT ||
				    w->role == UI_ROLE_IMAGE)
					continue;
				KT_CHECK(was && was->x == w->x && was->y == w->y,
					 "i:%d %s: the notice moved %s", row, u->screen, w->id);
				KT_CHECK(n->y >= w->y + w->h || n->y + n->h <= w->y ||
						 n->x >= w->x + w->w || n->x + n->w <= w->x,
					 "i:%d %s: the notice covers %s", row, u->screen, w->id);
			}
		}
		flow_reset(&k->f);
	}
	free(k);
	free(u);
	free(t);
	i18n_destroy(sv);
	i18n_destroy(en);
	config_destroy(&cfg);
}

static void test_page_rows(void)
{
	static const struct item {
		int heights[8];
		int n, room, page;
		int want_first, want_end, want_pages, want_page;
	} data[] = {
		/* 0*/ {{100, 100, 100}, 3, 1000, 0, 0, 3, 1, 0},
		/* 1*/ {{100, 100, 100}, 3, 210, 0, 0, 2, 2, 0},   /* 100 + gap 10 + 100 fits 210 */
		/* 2*/ {{100, 100, 100}, 3, 210, 1, 2, 3, 2, 1},
		/* 3*/ {{100, 100, 100}, 3, 210, 5, 2, 3, 2, 1},   /* clamped to the last page */
		/* 4*/ {{100, 100, 100}, 3, 210, -1, 0, 2, 2, 0},  /* and to the first */
		/* 5*/ {{500, 100}, 2, 200, 0, 0, 1, 2, 0},        /* a row taller than the room still shows */
		/* 6*/ {{0}, 0, 200, 0, 0, 0, 1, 0},
		/* 7*/ {{90, 90, 90, 90}, 4, 200, 1, 2, 4, 2, 1},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		int page = data[i].page, end = -1, pages = -1;
		int first = ui_page_rows(data[i].heights, data[i].n, 10, data[i].room, &page, &end, &pages);
		KT_INTEQ(first, data[i].want_first, i);
		KT_INTEQ(end, data[i].want_end, i);
		KT_INTEQ(pages, data[i].want_pages, i);
		KT_INTEQ(page, data[i].want_page, i);
	}
}

/* A 20-line receipt: the items and fault screens page, every page fits,
 * and paging shows every line exactly once. */
static void test_long_receipt_pages(void)
{
	const char *assets = getenv("KIOSK_ASSETS");
	struct kiosk_config cfg = {0};
	struct kiosk_why why = {{0}};
	struct i18n *sv = NULL;
	if (!assets || config_load(&cfg, assets, NULL, &why) || i18n_create(&sv, assets, "sv", &why)) {
		KT_CHECK(0, "assets: %s", why.text);
		return;
	}
	struct ui_tree *t = calloc(1, sizeof *t);
	struct kiosk_state *k = calloc(1, sizeof *k);
	struct fake fk = {0};
	struct flow_effects fx = fake_fx(&fk);
	static const struct item {
		int w, h;
		bool large;
		enum flow_screen screen;
		const char *prefix;
	} data[] = {
		/* 0*/ {1080, 1920, false, FS_ITEMS, "line_"},
		/* 1*/ {1080, 1920, true, FS_ITEMS, "line_"},
		/* 2*/ {1920, 1080, false, FS_ITEMS, "line_"},
		/* 3*/ {1080, 1920, false, FS_FAULT_PRODUCT, "item_"},
		/* 4*/ {1920, 1080, true, FS_FAULT_PRODUCT, "item_"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		struct ui_ctx ctx = {.cfg = &cfg, .tr = sv, .tr_sv = sv, .win_w = data[i].w,
				     .win_h = data[i].h, .large_text = data[i].large, .lang = "sv"};
		struct scan_result r = fake_scan_receipt("LONG");
		flow_init(&k->f);
		flow_scan(&k->f, &fx, &r);
		k->f.screen = data[i].screen;
		int seen[21] = {0}, pages = 0;
		for (int page = 0; page < 30; page++) {
			ui_tree_clear(t);
			k->page = page;
			kiosk_build(&ctx, k, t);
			if (k->page != page) /* clamped: we were past the last page */
				break;
			pages++;
			for (int w = 0; w < t->n; w++) {
				const struct ui_widget *x = &t->w[w];
				int n;
				char rest[8] = "";
				if (sscanf(x->id, data[i].screen == FS_ITEMS ? "line_%d%7s" : "item_%d%7s",
					   &n, rest) >= 1 && !rest[0] && n >= 1 && n <= 20)
					seen[n]++;
				KT_CHECK(x->y + x->h <= ctx.win_h && x->x + x->w <= ctx.win_w,
					 "i:%d page %d: %s outside the window", i, page, x->id);
			}
			KT_CHECK(ui_tree_find(t, "page_next") != NULL || page > 0,
				 "i:%d a 20-line receipt needs a pager", i);
		}
		KT_CHECK(pages >= 2 && pages < 30, "i:%d pages %d", i, pages);
		for (int n = 1; n <= 20; n++)
			KT_CHECK(seen[n] == 1, "i:%d line %d seen %d times", i, n, seen[n]);
		flow_reset(&k->f);
	}
	free(k);
	free(t);
	i18n_destroy(sv);
	config_destroy(&cfg);
}

/* The customer flow opened from the counter for one customer (ui.h,
 * assisted_by): every way the customer can be done hands the screen back
 * to the counter and forgets them; a kiosk on its own never switches. The
 * kiosk mode is driven through its ops, with no store and no display. */
static void test_assisted_hand_back(void)
{
	enum how { TAP, IDLE, IDLE_EARLY, COUNTDOWN };
	static const struct {
		bool from_counter;        /* came_from = the counter */
		const char *assisted_by;
		enum flow_screen screen;  /* where the customer is */
		enum how how;
		const char *id;           /* TAP: the widget tapped */
		bool back;                /* the counter gets the screen back */
	} rows[] = {
		/* 0*/ {true, "staff:S001", FS_START, TAP, "to_counter", true},
		/* 1*/ {true, "staff:S001", FS_REASON, TAP, "to_counter", true},
		/* 2*/ {true, "staff:S001", FS_IDENTIFY, TAP, "cancel", true},
		/* 3*/ {true, "staff:S001", FS_DONE, TAP, "finish", true},
		/* 4*/ {true, "staff:S001", FS_START, IDLE, NULL, true},
		/* 5*/ {true, "staff:S001", FS_START, IDLE_EARLY, NULL, false},
		/* 6*/ {true, "staff:S001", FS_REASON, COUNTDOWN, NULL, true},
		/* 7*/ {false, "", FS_START, TAP, "to_counter", false},
		/* 8*/ {false, "", FS_DONE, TAP, "finish", false},
		/* 9*/ {false, "", FS_START, IDLE, NULL, false},
		/*10*/ {false, "", FS_REASON, COUNTDOWN, NULL, false},
		/*11*/ {true, "", FS_START, IDLE, NULL, false}, /* switched, but not for a customer */
	};
	const char *assets = getenv("KIOSK_ASSETS");
	struct kiosk_config cfg = {0};
	struct kiosk_why why = {{0}};
	struct i18n *sv = NULL;
	KT_CHECK(assets && config_load(&cfg, assets, NULL, &why) == 0, "config: %s", why.text);
	KT_CHECK(assets && i18n_create(&sv, assets, "sv", &why) == 0, "sv: %s", why.text);
	const struct ui_mode_ops *kiosk = ui_mode_find("kiosk"), *counter = ui_mode_find("counter");
	KT_CHECK(kiosk && counter, "both modes are registered");
	struct ui_tree *t = calloc(1, sizeof *t);
	if (!sv || !kiosk || !counter || !t)
		goto out;
	for (int i = 0; i < (int)KT_ARRAY_SIZE(rows); i++) {
		struct ui_ctx ctx = {.cfg = &cfg, .tr = sv, .tr_sv = sv, .tr_en = sv,
				     .win_w = 1920, .win_h = 1080, .mode = kiosk,
				     .came_from = rows[i].from_counter ? counter : NULL,
				     .modes = ui_modes,
				     .now_ms = 1000, .last_input_ms = 1000};
		snprintf(ctx.lang, sizeof ctx.lang, "sv");
		snprintf(ctx.assisted_by, sizeof ctx.assisted_by, "%s", rows[i].assisted_by);
		bool assisted = rows[i].from_counter && rows[i].assisted_by[0];
		int rc = kiosk->init(&ctx, &why);
		KT_CHECK(rc == 0, "i:%d init: %s", i, why.text);
		if (rc)
			continue;
		struct kiosk_state *k = ctx.mode_data;
		k->f.screen = rows[i].screen;
		/* what the customer sees: at the counter "talk" is the way back */
		ui_tree_clear(t);
		kiosk->build(&ctx, t);
		KT_CHECK((ui_tree_find(t, "to_counter") != NULL) == assisted &&
				 (ui_tree_find(t, "talk") != NULL) != assisted,
			 "i:%d talk/to_counter buttons", i);
		int64_t idle_at = ctx.last_input_ms + k->idle_ms;
		switch (rows[i].how) {
		case TAP:
			kiosk->on_tap(&ctx, rows[i].id);
			break;
		case IDLE:
			kiosk->on_tick(&ctx, idle_at);
			break;
		case IDLE_EARLY:
			ctx.wake_at_ms = 0;
			kiosk->on_tick(&ctx, idle_at - 1);
			KT_CHECK(ctx.wake_at_ms == idle_at, "i:%d wakes at the idle time, not %lld", i,
				 (long long)ctx.wake_at_ms);
			break;
		case COUNTDOWN: /* "are you still there?", then nobody answers */
			kiosk->on_tick(&ctx, idle_at);
			KT_CHECK(k->asking && ctx.switch_to == NULL, "i:%d asks first", i);
			kiosk->on_tick(&ctx, k->ask_end_ms);
			break;
		}
		KT_CHECK((ctx.switch_to == counter) == rows[i].back, "i:%d back to the counter: %s", i,
			 ctx.switch_to ? ctx.switch_to->name : "no switch");
		KT_CHECK(!rows[i].back || (ctx.forget && k->f.screen == FS_START &&
					   !flow_has_personal(&k->f)),
			 "i:%d the customer is forgotten", i);
		/* the actor stays for the counter's "customer done" line */
		KT_CHECK(!strcmp(ctx.assisted_by, rows[i].from_counter ? rows[i].assisted_by : ""),
			 "i:%d assisted_by '%s'", i, ctx.assisted_by);
		kiosk->destroy(&ctx);
	}
out:
	free(t);
	i18n_destroy(sv);
	config_destroy(&cfg);
}

KT_MAIN(KT_FUNC(test_screens_layout), KT_FUNC(test_page_rows), KT_FUNC(test_long_receipt_pages),
	KT_FUNC(test_assisted_hand_back))
