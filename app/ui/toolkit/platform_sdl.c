/* The window and the event loop. The loop sleeps in SDL_WaitEventTimeout
 * until something happens (a tap, a scan, a timer the mode asked for, a
 * worker finishing) and redraws only when the widget tree changed, so an
 * idle kiosk uses no CPU. Scanner threads wake it with an SDL user event. */
#include "ui/toolkit/ui_private.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "core/clock.h"
#include "drivers/scanner.h"
#include "store/store_handle.h"
#include "ui/toolkit/speak.h"
#include "ui/toolkit/sound.h"
#include "ui/toolkit/speech.h"
#include "ui/toolkit/touch.h"

struct ui_platform {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct ui_render *rd;
	Uint32 ev_wake;          /* user event: scanner or worker woke us */
	struct ui_sound *sound; /* speech's output (sound.h) */
	bool trace;              /* KIOSK_TRACE=1: timestamps on stderr for benchmarks */
	bool said_label;         /* a tapped label is being read: the screen follows it */
	bool soft;               /* software renderer: the window surface keeps the frame */
	bool reshow;             /* exposed: show the kept frame again, no redraw */
	bool told_no_close;      /* a refused window close was logged once */
	struct ui_touch touch;   /* a finger or the mouse on the screen (touch.h) */
	bool read_screen;        /* a long press: read the whole screen again */
	bool speech_was_on;      /* speech at the last frame (to hear it switched on or off) */
	char start_lang[4];      /* the language each new customer starts in */
	int64_t watchdog_ms;     /* systemd's WatchdogSec= / 2, 0 when off */
	int64_t pinged_ms;       /* the last WATCHDOG=1 */
};

/* systemd (Type=notify, WatchdogSec=): READY=1 once the first frame is on
 * the screen, then WATCHDOG=1 from the loop itself at least every half
 * watchdog period, so a UI that hangs is restarted; STOPPING=1 at the end.
 * Without NOTIFY_SOCKET these do nothing. */
static void watchdog_ping(struct ui_platform *p, int64_t now_ms)
{
	if (p->watchdog_ms && now_ms - p->pinged_ms >= p->watchdog_ms / 2) {
		sd_notify(0, "WATCHDOG=1");
		p->pinged_ms = now_ms;
	}
}

/* The toolkit's text metrics (ctx->metrics) while the window is open. */
static int platform_text_height(void *rd, int px, bool bold, const char *text, int width)
{
	return ui_render_text_height(rd, px, bold, text, width);
}

static double mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The loop's wake-up event, set by the UI thread and read by the scanner's
 * and the printer's threads (atomic: it is set and cleared while they
 * run); SDL_PushEvent is safe from any thread. */
static _Atomic Uint32 g_wake_type;

/* Stopping: SIGTERM (systemd), SIGINT and SIGHUP are held back in every
 * thread (ui_hold_stop_signals, before any thread starts) and taken by one
 * thread of the loop's own with sigwait, which records the signal and wakes
 * the loop; the loop then ends as after a quit, closing everything. SDL's
 * own handlers are off: they turn a signal into the same SDL_QUIT as a
 * window manager's close, which a kiosk must tell apart. */
static atomic_int g_stop_signal;

static sigset_t stop_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	return set;
}

void ui_hold_stop_signals(void)
{
	sigset_t set = stop_signals();
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static void *stop_signal_thread(void *arg)
{
	(void)arg;
	sigset_t set = stop_signals();
	int sig = 0;
	if (sigwait(&set, &sig) == 0) {
		atomic_store(&g_stop_signal, sig);
		ui_wake(NULL);
	}
	return NULL;
}

/* May the window's close (a window manager's Alt+F4, WM_DELETE_WINDOW)
 * or Escape end this mode? Not the customer's kiosk, where a visitor's
 * keyboard or a keyboard-wedge scanner could send them, unless
 * KIOSK_ALLOW_QUIT=1 (development, tests); the counter may be closed. */
static bool may_close(const struct ui_ctx *ctx)
{
	const char *q = getenv("KIOSK_ALLOW_QUIT");
	return (q && !strcmp(q, "1")) || strcmp(ctx->mode->name, "kiosk");
}

void ui_wake(struct ui_ctx *ctx)
{
	(void)ctx;
	Uint32 type = atomic_load(&g_wake_type);
	if (!type)
		return;
	SDL_Event ev = {0};
	ev.type = type;
	SDL_PushEvent(&ev);
}

void ui_wake_cb(void *arg)
{
	ui_wake(arg);
}

/* Headphones (or a headset) plugged in, where the sound system reports a
 * new output: speech starts for a person who cannot see the screen, in
 * them, and the screen is read with the hint on how to explore. Unplugged:
 * back to the default output, speech stays on for this customer. */
static void audio_device(struct ui_ctx *ctx, struct ui_platform *p, const SDL_AudioDeviceEvent *a,
			 bool added)
{
	if (!ui_sound_device(p->sound, a->which, a->iscapture, added))
		return;
	ctx->last_input_ms = ctx->now_ms;
	if (ctx->speech_on)
		p->read_screen = true; /* already on: now in the headphones, read again */
	ctx->speech_on = true;
	ctx->dirty = true;
}

/* The screen read whole (speak.h): after the label of a tapped button, or
 * after the explore-by-touch hint when speech was just switched on. */
static void speak_screen(struct ui_ctx *ctx, struct ui_platform *p, const struct ui_tree *t,
			 bool hint)
{
	if (!ctx->speech_on || !ctx->speech)
		return;
	char text[2048], controls[2048];
	ui_speak_screen(ctx, t, text, sizeof text, controls, sizeof controls);
	if (hint) {
		char how[600];
		snprintf(how, sizeof how, "%s %s", ui_tr(ctx, "speech.explore"),
			 ui_tr(ctx, "speech.explore_more"));
		speech_say(ctx->speech, ctx->lang, how);
	}
	/* After a tap the label is read first; otherwise the old screen is cut. */
	if (hint || p->said_label)
		speech_say_next(ctx->speech, ctx->lang, text);
	else
		speech_say(ctx->speech, ctx->lang, text);
	if (controls[0])
		speech_say_next(ctx->speech, ctx->lang, controls);
	p->said_label = false;
}

static int64_t today_days(void)
{
	struct kiosk_time now;
	if (clock_now(&now, NULL))
		return 0;
	return time_local_days(now);
}

static void handle_scanner(struct ui_ctx *ctx)
{
	struct scanner_event ev;
	while (ctx->scanner && scanner_poll(ctx->scanner, &ev) == 1) {
		switch (ev.kind) {
		case SCANNER_EV_SCAN: {
			struct scan_result r;
			scan_parse(ev.data, ev.len, &ctx->cfg->receipt_code, today_days(), &r);
			ctx->last_input_ms = ctx->now_ms;
			ctx->dirty = true;
			if (ctx->mode->on_scan)
				ctx->mode->on_scan(ctx, &r);
			if (ctx->mode->on_tick)
				ctx->mode->on_tick(ctx, ctx->now_ms);
			mem_wipe(&r, sizeof r); /* an ID's name and number */
			break;
		}
		case SCANNER_EV_CONNECTED:
		case SCANNER_EV_DISCONNECTED:
			ctx->scanner_connected = ev.kind == SCANNER_EV_CONNECTED;
			ctx->dirty = true;
			break;
		case SCANNER_EV_ERROR:
			break; /* a garbled read: the customer simply scans again */
		}
	}
	mem_wipe(&ev, sizeof ev);
}

static void released(struct ui_ctx *ctx, struct ui_platform *p, const struct ui_tree *t,
		     uint32_t ms, int x, int y)
{
	struct ui_touch_result r = ui_touch_release(ctx, &p->touch, t, ms, x, y);
	p->read_screen |= r.read_screen;
	p->said_label |= r.said_label;
}

static void handle_event(struct ui_ctx *ctx, struct ui_platform *p, const struct ui_tree *t,
			 const SDL_Event *e, bool *redraw)
{
	switch (e->type) {
	case SDL_QUIT:
		if (may_close(ctx)) {
			ctx->quit = true;
		} else if (!p->told_no_close) {
			fprintf(stderr, "kiosk run: a request to close the window was ignored: the "
					"customer's kiosk is not closed from its screen or keyboard "
					"(stop it with its service, or set KIOSK_ALLOW_QUIT=1)\n");
			p->told_no_close = true;
		}
		break;
	case SDL_AUDIODEVICEADDED:
	case SDL_AUDIODEVICEREMOVED:
		audio_device(ctx, p, &e->adevice, e->type == SDL_AUDIODEVICEADDED);
		break;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			ctx->win_w = e->window.data1;
			ctx->win_h = e->window.data2;
			ctx->dirty = true;
		}
		/* Exposed: the software renderer's surface still holds the frame,
		 * so it is only shown again (~1 ms, not a ~3 ms redraw as well);
		 * a GL back buffer is undefined after a swap and is redrawn. */
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
		    (e->window.event == SDL_WINDOWEVENT_EXPOSED && !p->soft))
			*redraw = true;
		else if (e->window.event == SDL_WINDOWEVENT_EXPOSED)
			p->reshow = true;
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
			ui_touch_press(&p->touch, e->button.timestamp, e->button.x, e->button.y);
		break;
	case SDL_FINGERDOWN:
		ui_touch_press(&p->touch, e->tfinger.timestamp, (int)(e->tfinger.x * ctx->win_w),
			       (int)(e->tfinger.y * ctx->win_h));
		break;
	case SDL_MOUSEBUTTONUP:
		/* Touches also arrive as synthetic mouse events: take them once, as fingers. */
		if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
			released(ctx, p, t, e->button.timestamp, e->button.x, e->button.y);
		break;
	case SDL_FINGERUP:
		released(ctx, p, t, e->tfinger.timestamp, (int)(e->tfinger.x * ctx->win_w),
			 (int)(e->tfinger.y * ctx->win_h));
		break;
	case SDL_TEXTINPUT:
		if (ctx->scanner && scanner_wants_keyboard(ctx->scanner))
			scanner_feed_text(ctx->scanner, e->text.text);
		break;
	case SDL_KEYDOWN:
		if (e->key.keysym.sym == SDLK_RETURN || e->key.keysym.sym == SDLK_KP_ENTER) {
			if (ctx->scanner && scanner_wants_keyboard(ctx->scanner))
				scanner_feed_enter(ctx->scanner);
		} else if (e->key.keysym.sym == SDLK_ESCAPE) {
			const char *q = getenv("KIOSK_ALLOW_QUIT");
			if (q && !strcmp(q, "1"))
				ctx->quit = true;
		}
		break;
	default:
		if (e->type == p->ev_wake) {
			if (atomic_load(&g_stop_signal))
				ctx->quit = true;
			handle_scanner(ctx);
			/* a worker may have finished: let the mode look */
			if (ctx->mode->on_tick)
				ctx->mode->on_tick(ctx, ctx->now_ms);
		}
		break;
	}
}

static int open_window(struct ui_platform *p, struct ui_ctx *ctx, const struct ui_run_opts *o,
		       struct kiosk_why *why)
{
	Uint32 flags = SDL_WINDOW_SHOWN;
	int w = o->win_w, h = o->win_h;
	if (o->fullscreen || w <= 0 || h <= 0) {
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
		SDL_DisplayMode dm;
		if (SDL_GetDesktopDisplayMode(0, &dm) == 0)
			w = dm.w, h = dm.h;
		else
			w = 1080, h = 1920;
	}
	/* At 0,0 so window pixels are screen pixels (xdotool taps, screenshots). */
	p->win = SDL_CreateWindow("kiosk", 0, 0, w, h, flags);
	if (!p->win)
		return kiosk_fail(why, KIOSK_EDEVICE, "cannot open the window: %s", SDL_GetError());
	p->ren = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_ACCELERATED);
	if (!p->ren)
		p->ren = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_SOFTWARE);
	if (!p->ren)
		return kiosk_fail(why, KIOSK_EDEVICE, "cannot draw in the window: %s", SDL_GetError());
	SDL_GetWindowSize(p->win, &ctx->win_w, &ctx->win_h);
	if (flags & SDL_WINDOW_FULLSCREEN_DESKTOP)
		SDL_ShowCursor(SDL_DISABLE); /* a touch screen: no pointer to distract */
	return 0;
}

static void switch_mode(struct ui_ctx *ctx)
{
	const struct ui_mode_ops *old = ctx->mode, *next = ctx->switch_to;
	struct kiosk_why why = {{0}};
	ctx->switch_to = NULL;
	if (old->destroy)
		old->destroy(ctx);
	ctx->mode_data = NULL;
	ctx->wake_at_ms = 0;
	ctx->mode = next;
	const struct ui_mode_ops *from = ctx->came_from;
	ctx->came_from = next == from ? NULL : old; /* going back ends the detour */
	if (next->init && next->init(ctx, &why)) {
		fprintf(stderr, "kiosk run: cannot start %s mode: %s\n", next->name, why.text);
		ctx->came_from = from;
		ctx->mode = old;
		if (old->init && old->init(ctx, &why))
			ctx->quit = true; /* neither starts: better to stop than to show nothing */
	}
	ctx->last_input_ms = ctx->now_ms;
	ctx->dirty = true;
}

int ui_run(struct ui_ctx *ctx, const struct ui_run_opts *o, struct kiosk_why *why)
{
	struct ui_platform p = {0};
	struct ui_tree *cur = NULL, *next = NULL;
	int rc = 0;
	double t0 = mono_us();
	const char *tr = getenv("KIOSK_TRACE");
	p.trace = tr && *tr && strcmp(tr, "0");

	SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	/* SDL's software renderer drawing straight into the window's own
	 * surface, which X11 shows with one XShmPutImage. The default (an
	 * OpenGL renderer, or a GL texture behind the window surface) costs
	 * ~17 ms a present and ~100 ms of start-up where GL is Mesa's
	 * software rasteriser (Xvfb, most kiosk PCs without a GPU driver),
	 * for a UI that changes a few times a minute. Software: ~1 ms a
	 * present, ~3 ms a full redraw at 1080x1920. SDL_RENDER_DRIVER and
	 * SDL_FRAMEBUFFER_ACCELERATION in the environment still win. */
	SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
	/* SDL on X11 drops a click that comes within 10 ms of the window
	 * getting focus (a desktop's click-to-focus). On a kiosk every tap
	 * counts, the first one too; with a fast first frame a test's tap
	 * landed in that window and was lost. */
	SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
	/* With neither an X11 nor a Wayland display the only screen left is
	 * the console's (KMS/DRM); SDL would otherwise fall back to drawing
	 * off screen, and a kiosk would run where nobody can see it. */
	const char *want = getenv("SDL_VIDEODRIVER");
	bool no_display = !(getenv("DISPLAY") && *getenv("DISPLAY")) &&
			  !(getenv("WAYLAND_DISPLAY") && *getenv("WAYLAND_DISPLAY")) &&
			  !(want && *want);
	if (no_display)
		SDL_SetHint(SDL_HINT_VIDEODRIVER, "kmsdrm");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS)) {
		if (no_display)
			return kiosk_fail(why, KIOSK_EDEVICE,
					  "there is no screen to show the kiosk on: DISPLAY (X11) and "
					  "WAYLAND_DISPLAY are not set, and the console's screen (KMS/DRM) "
					  "could not be opened (%s)",
					  SDL_GetError());
		return kiosk_fail(why, KIOSK_EDEVICE, "cannot start the display: %s", SDL_GetError());
	}
	const char *drv = SDL_GetCurrentVideoDriver();
	if (drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy")) &&
	    !(want && !strcmp(want, drv))) {
		SDL_Quit();
		return kiosk_fail(why, KIOSK_EDEVICE,
				  "there is no screen to show the kiosk on: SDL found only its %s "
				  "driver",
				  drv);
	}
	if (TTF_Init()) {
		SDL_Quit();
		return kiosk_fail(why, KIOSK_EDEVICE, "cannot start fonts: %s", TTF_GetError());
	}
	p.sound = ui_sound_create(); /* NULL: speech is silent, the kiosk goes on */
	cur = calloc(1, sizeof *cur);
	next = calloc(1, sizeof *next);
	if (!cur || !next) {
		rc = kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = open_window(&p, ctx, o, why)))
		goto out;
	if ((rc = ui_render_create(&p.rd, p.ren, o->font_path, o->font_bold_path, why)))
		goto out;
	SDL_RendererInfo ri = {0};
	SDL_GetRendererInfo(p.ren, &ri);
	p.soft = (ri.flags & SDL_RENDERER_SOFTWARE) != 0;
	if (p.trace) {
		fprintf(stderr, "kiosk-trace %.3f renderer %s framebuffer %s\n", mono_us() / 1e3,
			ri.name ? ri.name : "?", SDL_GetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION));
	}
	p.ev_wake = SDL_RegisterEvents(1);
	atomic_store(&g_wake_type, p.ev_wake);
	pthread_t stopper;
	bool have_stopper = pthread_create(&stopper, NULL, stop_signal_thread, NULL) == 0;
	ctx->metrics = (struct ui_text_metrics){ .height = platform_text_height, .data = p.rd };
	if (ctx->scanner)
		ctx->scanner_connected = scanner_connected(ctx->scanner);
	SDL_StartTextInput();
	bool speech_failed = false;
	snprintf(p.start_lang, sizeof p.start_lang, "%s", ctx->lang);

	uint64_t wd_usec = 0;
	if (sd_watchdog_enabled(0, &wd_usec) > 0)
		p.watchdog_ms = (int64_t)(wd_usec / 1000) > 2 ? (int64_t)(wd_usec / 1000) : 2;
	ctx->now_ms = clock_mono_ms();
	ctx->last_input_ms = ctx->now_ms;
	ctx->dirty = true;
	bool redraw = true, first = true, started = false;
	/* Scans queued before the window opened. */
	handle_scanner(ctx);
	while (!ctx->quit && !atomic_load(&g_stop_signal)) {
		ctx->now_ms = clock_mono_ms();
		if (ctx->switch_to)
			switch_mode(ctx);
		if (ctx->wake_at_ms && ctx->now_ms >= ctx->wake_at_ms) {
			ctx->wake_at_ms = 0;
			if (ctx->mode->on_tick)
				ctx->mode->on_tick(ctx, ctx->now_ms);
		}
		if (ctx->forget) {
			/* a customer was forgotten: so is every trace of their screens */
			ctx->forget = false;
			mem_wipe(cur, sizeof *cur);
			mem_wipe(next, sizeof *next);
			ui_render_forget(p.rd);
			struct kiosk_why db_why;
			if (store_release_memory(ctx->store, &db_why))
				fprintf(stderr, "kiosk run: %s\n", db_why.text);
			if (ctx->speech)
				speech_clear(ctx->speech);
			/* the next customer starts as anyone does: no speech, normal
			 * text and contrast, the store's language */
			ctx->speech_on = ctx->large_text = ctx->high_contrast = false;
			p.speech_was_on = false;
			ctx->explore_id[0] = '\0';
			if (strcmp(ctx->lang, p.start_lang))
				ui_set_lang(ctx, p.start_lang);
			first = true; /* nothing to compare with: draw and dump afresh */
		}
		if (ctx->dirty) {
			double f0 = mono_us();
			ctx->dirty = false;
			ui_tree_clear(next);
			ctx->mode->build(ctx, next);
			double f_built = mono_us();
			bool changed = first || !ui_tree_equal(cur, next);
			bool new_screen = first || strcmp(cur->screen, next->screen);
			if (changed) {
				struct ui_tree *tmp = cur;
				cur = next, next = tmp;
				redraw = true;
			}
			/* espeak starts only when first wanted (it costs start-up time). */
			if (ctx->speech_on && !ctx->speech && !speech_failed) {
				struct kiosk_why swhy = {{0}};
				if (speech_create(&ctx->speech, ui_sound_sink, p.sound, &swhy)) {
					speech_failed = true;
					fprintf(stderr, "kiosk run: %s\n", swhy.text);
				}
			}
			bool turned_on = ctx->speech_on && !p.speech_was_on;
			if (!ctx->speech_on && p.speech_was_on && ctx->speech)
				speech_say(ctx->speech, ctx->lang, ui_tr(ctx, "speech.off"));
			p.speech_was_on = ctx->speech_on;
			if (new_screen)
				ctx->explore_id[0] = '\0'; /* a touch on the old screen does not act here */
			if (new_screen || turned_on || p.read_screen) {
				speak_screen(ctx, &p, cur, turned_on);
				p.read_screen = false;
			} else if (changed && ctx->speech_on && ctx->speech) {
				/* what changed on the same screen: a message, a count, a state */
				char news[2048];
				ui_speak_changes(ctx, next, cur, news, sizeof news);
				if (news[0])
					speech_say_next(ctx->speech, ctx->lang, news);
			}
			if (changed && o->dump_path) {
				/* drawn first, so a test that sees the dump sees the pixels */
				ui_render_tree(p.rd, ctx, cur);
				double f_drawn = mono_us();
				SDL_RenderPresent(p.ren);
				if (p.trace)
					fprintf(stderr, "kiosk-trace %.3f parts build_ms %.3f draw_ms %.3f present_ms %.3f\n",
						mono_us() / 1e3, (f_built - f0) / 1e3, (f_drawn - f_built) / 1e3,
						(mono_us() - f_drawn) / 1e3);
				redraw = false;
				struct kiosk_why dwhy = {{0}};
				if (ui_dump_write(ctx, cur, o->dump_path, &dwhy))
					fprintf(stderr, "kiosk run: %s\n", dwhy.text);
			}
			p.said_label = false;
			if (changed && p.trace)
				fprintf(stderr, "kiosk-trace %.3f present %s frame_ms %.3f%s\n", mono_us() / 1e3,
					cur->screen, (mono_us() - f0) / 1e3, first && !started ? " first" : "");
			if (first && !started && p.trace)
				fprintf(stderr, "kiosk-trace %.3f startup_ms %.1f\n", mono_us() / 1e3,
					(mono_us() - t0) / 1e3);
			if (first && !started) {
				sd_notify(0, "READY=1");
				ui_sound_start(p.sound); /* after the first frame: not kept waiting */
			}
			first = false;
			started = true;
		}
		if (redraw) {
			ui_render_tree(p.rd, ctx, cur);
			SDL_RenderPresent(p.ren);
			redraw = false;
			p.reshow = false;
		} else if (p.reshow) {
			SDL_RenderPresent(p.ren);
			p.reshow = false;
			if (p.trace)
				fprintf(stderr, "kiosk-trace %.3f reshow\n", mono_us() / 1e3);
		}
		int timeout = -1;
		if (ctx->wake_at_ms) {
			int64_t d = ctx->wake_at_ms - clock_mono_ms();
			timeout = d < 0 ? 0 : d > 3600000 ? 3600000 : (int)d;
		}
		watchdog_ping(&p, clock_mono_ms());
		if (p.watchdog_ms) {
			int64_t d = p.pinged_ms + p.watchdog_ms / 2 - clock_mono_ms();
			int w = d < 0 ? 0 : (int)d;
			timeout = timeout < 0 || w < timeout ? w : timeout;
		}
		SDL_Event e;
		int got = timeout < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, timeout);
		ctx->now_ms = clock_mono_ms();
		while (got) {
			handle_event(ctx, &p, cur, &e, &redraw);
			got = SDL_PollEvent(&e);
		}
	}
	sd_notify(0, "STOPPING=1");
	if (have_stopper) {
		/* not stopped by a signal: hand the waiting thread one to end on */
		if (!atomic_load(&g_stop_signal))
			pthread_kill(stopper, SIGTERM);
		pthread_join(stopper, NULL);
	}
out:
	SDL_StopTextInput();
	speech_destroy(ctx->speech);
	ctx->speech = NULL;
	ctx->metrics = (struct ui_text_metrics){ 0 };
	atomic_store(&g_wake_type, 0);
	ui_sound_destroy(p.sound);
	ui_render_destroy(p.rd);
	if (p.ren)
		SDL_DestroyRenderer(p.ren);
	if (p.win)
		SDL_DestroyWindow(p.win);
	free(cur);
	free(next);
	TTF_Quit();
	SDL_Quit();
	return rc;
}
