/* The UI framework shared by the customer kiosk and the staff counter.
 *
 * The UI decides WHAT to draw as data (microui habit): on every change the
 * active mode's build() fills a struct ui_tree with widgets (id, role,
 * label, rectangle in window pixels, enabled, style). One file,
 * render_sdl.c, turns that tree into pixels; platform_sdl.c owns the
 * window and the event loop; nothing else here calls SDL. The same tree is
 * written to --dump-ui PATH (interfaces.md §4), read aloud by speech.c and
 * hit-tested for taps, so tests, screen readers and the screen agree.
 *
 * Adding a mode (the kiosk's is app/ui/kiosk/, the counter's app/ui/counter/):
 *   1. In its folder define
 *        const struct ui_mode_ops counter_mode_ops = {
 *            .name = "counter", .init = ..., .build = ..., .on_tap = ...,
 *            .on_scan = ..., .on_tick = ..., .destroy = ... };
 *      Only .name and .build are mandatory; the rest may be NULL.
 *   2. Declare it in the folder's public header and add it to ui_modes in
 *      app/ui/modes.c; `kiosk run --mode NAME` then finds it, and
 *      ui_switch_mode() switches to it by name. The toolkit knows no mode.
 *   3. build() starts with ui_chrome() (language, large text, contrast,
 *      speech toggles; no UI_CHROME_* flags for staff screens), then stacks
 *      widgets into the returned column with ui_heading/ui_text/ui_button/
 *      ui_buttons_row/ui_list_item/ui_keyboard/ui_keypad. Give every
 *      tappable widget a stable id: tests tap by id.
 *   4. Keep per-mode state in ctx->mode_data (allocate in init, free in
 *      destroy). Call ui_invalidate(ctx) after changing state outside
 *      on_tap/on_scan (those invalidate for you). Ask for a tick with
 *      ui_wake_at(ctx, ms); wake the loop from another thread with
 *      ui_wake(ctx) (the next on_tick runs on the UI thread).
 *   5. Text comes from assets/lang/LANG/NAME.ini (any NAME, e.g. counter.ini)
 *      through ui_tr(ctx, "section.key").
 *   6. Landscape: ui_split() gives a reading column and an action column;
 *      long lists page with ui_page_rows(). ui_switch_mode(ctx, "kiosk")
 *      hands the screen to another mode; ui_forget(ctx) wipes what the
 *      framework keeps of past screens once a person is done.
 *
 * Taps on ids the framework owns (UI_ID_* below) are handled before the
 * mode sees them. Any tap or scan counts as activity (ctx->last_input_ms).
 */
#ifndef KIOSK_UI_H
#define KIOSK_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/date.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/scan.h"

struct store;
struct offline;
struct scanner;
struct printer;
struct speech;

/* ---- the widget tree ---------------------------------------------------- */

enum ui_role {
	UI_ROLE_BUTTON,
	UI_ROLE_TEXT,
	UI_ROLE_HEADING,
	UI_ROLE_INPUT,    /* a text field being typed into */
	UI_ROLE_KEY,      /* a key of the on-screen keyboard or keypad */
	UI_ROLE_IMAGE,    /* a picture drawn by the renderer; label = its alt text */
	UI_ROLE_LIST_ITEM,
	UI_ROLE_TOGGLE,   /* on/off switch: style UI_ST_ON when on */
	UI_ROLE_COUNT
};

/* Style flags: how a widget looks; the renderer maps them to a theme. */
enum {
	UI_ST_PRIMARY = 1u << 0,   /* the main action: filled, strong colour */
	UI_ST_QUIET = 1u << 1,     /* small secondary action (chrome) */
	UI_ST_ON = 1u << 2,        /* toggle on / item chosen */
	UI_ST_CENTER = 1u << 3,    /* centre text */
	UI_ST_SMALL = 1u << 4,     /* smaller font */
	UI_ST_LARGE = 1u << 5,     /* larger font (heading sized) */
	UI_ST_WARN = 1u << 6,      /* needs attention: overdue, refused */
	UI_ST_PANEL = 1u << 7,     /* text on a soft panel (receipt, summary) */
	UI_ST_MASK = 1u << 8,      /* input: show dots instead of the text (PIN) */
	UI_ST_COMPACT = 1u << 9,   /* a row of a staff list: 64 px high at 1080, not 112 */
};

/* What an image widget shows (drawn from primitives by the renderer). */
enum ui_image { UI_IMG_NONE, UI_IMG_SCAN_RECEIPT, UI_IMG_SCAN_ID, UI_IMG_SCAN_CASE,
		UI_IMG_PERSON,
		UI_IMG_QR /* a QR code of the widget's label (the on-screen receipt) */ };

#define UI_ID_MAX 48
#define UI_LABEL_MAX 1024

struct ui_widget {
	char id[UI_ID_MAX];
	enum ui_role role;
	char label[UI_LABEL_MAX];
	int x, y, w, h;
	bool enabled;
	unsigned style;
	enum ui_image image;
};

#define UI_TREE_MAX 160

struct ui_tree {
	char screen[48];            /* stable screen name, e.g. "start" */
	char speak[UI_LABEL_MAX];   /* what speech reads for this screen ("" = heading + texts) */
	int n;
	struct ui_widget w[UI_TREE_MAX];
	bool overflow;              /* more widgets were added than fit */
};

const char *ui_role_name(enum ui_role r);
void ui_tree_clear(struct ui_tree *t);
/* Append a widget; returns it (a scratch widget when full, so callers never
 * check for NULL). */
struct ui_widget *ui_tree_add(struct ui_tree *t, const char *id, enum ui_role role,
			      const char *label, int x, int y, int w, int h, unsigned style);
/* The enabled tappable widget under (x, y), or NULL. Later widgets are on
 * top (overlays are added last). */
const struct ui_widget *ui_tree_hit(const struct ui_tree *t, int x, int y);
const struct ui_widget *ui_tree_find(const struct ui_tree *t, const char *id);
/* The topmost widget with a label under (x, y), enabled or not (what a
 * finger exploring the screen touches), or NULL. */
const struct ui_widget *ui_tree_under(const struct ui_tree *t, int x, int y);
/* The same, or where (x, y) falls between widgets, the nearest within r
 * px: a finger exploring the screen that lands in a gap still hears the
 * control beside it. */
const struct ui_widget *ui_tree_near(const struct ui_tree *t, int x, int y, int r);
bool ui_tree_equal(const struct ui_tree *a, const struct ui_tree *b);

/* ---- the context every mode works with ---------------------------------- */

struct ui_mode_ops;

struct ui_ctx {
	/* set by kiosk run, read-only for modes */
	const struct kiosk_config *cfg;
	const char *assets;
	struct store *store;        /* may be NULL when the database could not open */
	/* the kiosk's offline journal (services/offline.h), NULL without one */
	struct offline *offline;
	struct scanner *scanner;    /* may be NULL */
	struct printer *printer;    /* may be NULL */
	const char *kiosk_name;     /* for staff calls: [kiosk] name, else "kiosk" */
	const char *db_path;        /* the database file (the ID-hash key lives beside it) */
	int win_w, win_h;

	/* language: ui_set_lang switches */
	struct i18n *tr;            /* the current one (tr_sv or tr_en) */
	struct i18n *tr_sv, *tr_en;
	char lang[4];

	/* accessibility, toggled from every screen */
	bool large_text;
	bool high_contrast;
	bool speech_on;
	/* explore by touch (speak.h): the control touched once, when, where */
	char explore_id[UI_ID_MAX];
	int64_t explore_ms;
	int explore_x, explore_y;

	/* loop state */
	int64_t now_ms;             /* monotonic, updated before every callback */
	int64_t last_input_ms;      /* last tap, key or scan */
	int64_t wake_at_ms;         /* next on_tick wanted (0 none); see ui_wake_at */
	bool dirty;                 /* rebuild + redraw wanted */
	bool quit;
	bool scanner_connected;

	const struct ui_mode_ops *mode;
	void *mode_data;            /* owned by the mode */
	const struct ui_mode_ops *switch_to; /* set by ui_switch_mode */
	const struct ui_mode_ops *came_from; /* the mode that switched to this one, or NULL */
	/* The modes ui_switch_mode may switch to, NULL-terminated; handed in
	 * by whoever starts the UI (app/ui/modes.h's ui_modes). */
	const struct ui_mode_ops *const *modes;
	/* Staff running the customer flow for a customer at the counter: the
	 * actor ("staff:S001") the kiosk records that customer's case with.
	 * Set by the counter before ui_switch_mode(ctx, "kiosk"); "" for a
	 * customer alone at a kiosk. The counter clears it when it starts again. */
	char assisted_by[40];
	bool forget;                /* set by ui_forget */

	/* Text metrics, handed in by whoever has the fonts (the platform, for
	 * as long as its window is open): the height in pixels of text wrapped
	 * to width at pixel size px. The toolkit asks through this and never
	 * calls the platform itself. height NULL in unit tests: text is then
	 * measured approximately. */
	struct ui_text_metrics {
		int (*height)(void *data, int px, bool bold, const char *text, int width);
		void *data;
	} metrics;
	struct speech *speech;
};

struct ui_mode_ops {
	const char *name;                                           /* mandatory */
	int (*init)(struct ui_ctx *ctx, struct kiosk_why *why);     /* optional */
	void (*build)(struct ui_ctx *ctx, struct ui_tree *t);       /* mandatory */
	void (*on_tap)(struct ui_ctx *ctx, const char *id);         /* optional */
	/* A complete scan, parsed with the store's layout and today's date. */
	void (*on_scan)(struct ui_ctx *ctx, const struct scan_result *r);   /* optional */
	/* Called at ctx->wake_at_ms, after ui_wake(), and after every tap/scan. */
	void (*on_tick)(struct ui_ctx *ctx, int64_t now_ms);        /* optional */
	/* The language changed (reload texts that were copied). */
	void (*on_lang)(struct ui_ctx *ctx);                        /* optional */
	void (*destroy)(struct ui_ctx *ctx);                        /* optional */
};

/* Framework-owned ids (handled before the mode's on_tap). */
#define UI_ID_LANG_SV "lang_sv"
#define UI_ID_LANG_EN "lang_en"
#define UI_ID_LARGE_TEXT "large_text"
#define UI_ID_CONTRAST "high_contrast"
#define UI_ID_SPEECH "speech"
/* the same three toggles low on a customer's screen, within reach from a
 * wheelchair: the id above + UI_ID_LOW */
#define UI_ID_LOW "_low"

const char *ui_tr(const struct ui_ctx *ctx, const char *key);
/* Fill a translated template with {name} values (NULL-terminated pairs). */
size_t ui_trf(const struct ui_ctx *ctx, char *out, size_t len, const char *key,
	      const char *const *kv);
/* Money as the current language writes it ("1 299 kr", "SEK 1,299"),
 * in the store's currency: money_format for the screens. */
void ui_format_money(const struct ui_ctx *ctx, int64_t minor, char *buf, size_t len);
void ui_set_lang(struct ui_ctx *ctx, const char *lang);
void ui_invalidate(struct ui_ctx *ctx);
/* Ask for on_tick at (monotonic) ms; the earliest request wins. */
void ui_wake_at(struct ui_ctx *ctx, int64_t ms);
/* Thread-safe: wake the loop so on_tick runs soon on the UI thread. */
void ui_wake(struct ui_ctx *ctx);
/* The same, with the signature of a scanner notify callback (arg = ctx). */
void ui_wake_cb(void *ctx);
/* Ask the loop to leave the current mode (its destroy runs) and start
 * another (its init runs), e.g. staff opening the customer flow from the
 * counter: ui_switch_mode(ctx, "kiosk"). Takes effect after the current
 * callback returns. 0, or KIOSK_ENOTFOUND for an unknown mode. If the new
 * mode's init fails, the old mode is started again. The new mode sees the
 * old one in ctx->came_from (the kiosk goes back there when its customer
 * is done: staff who opened the flow from the counter get the counter back). */
int ui_switch_mode(struct ui_ctx *ctx, const char *name);
/* The mode called name in a NULL-terminated list, or NULL. */
const struct ui_mode_ops *ui_mode_named(const struct ui_mode_ops *const *modes, const char *name);
/* The mode has forgotten a customer: wipe what the framework still holds
 * of their screens (both widget trees, the cached text textures and their
 * keys, queued speech) before the next frame. */
void ui_forget(struct ui_ctx *ctx);
/* Handle a tap on id (framework ids first, then the mode). */
void ui_dispatch_tap(struct ui_ctx *ctx, const char *id);

/* ---- layout and the widget toolkit (toolkit.c) -------------------------- */

/* A vertical column that widgets are stacked into. */
struct ui_col {
	int x, y, w;    /* next free row starts at y */
	int bottom;     /* content must end above this */
	int gap;
};

enum ui_font { UI_FONT_BODY, UI_FONT_HEADING, UI_FONT_SMALL, UI_FONT_KEY, UI_FONT_COUNT };

/* Pixel sizes from the window and the large-text toggle. */
int ui_unit(const struct ui_ctx *ctx, int px_at_1080);
int ui_font_px(const struct ui_ctx *ctx, enum ui_font f);
enum ui_font ui_widget_font(const struct ui_widget *w);
/* Height of text wrapped to width (real font metrics when a platform is
 * up, an estimate otherwise). */
int ui_text_height(const struct ui_ctx *ctx, enum ui_font f, const char *text, int width);
/* Smallest touch target: 15 mm, about 90 px at 1080 (never smaller). */
int ui_touch_min(const struct ui_ctx *ctx);

/* The common frame of every screen: background, the top bar (language,
 * large text, contrast, speech); with UI_CHROME_TALK the big "Talk to a
 * person" button at the bottom (id "talk"); with UI_CHROME_LOW the three
 * accessibility toggles again along the bottom edge (ids + UI_ID_LOW).
 * Returns the content column. */
enum { UI_CHROME_TALK = 1, UI_CHROME_LOW = 2 };
struct ui_col ui_chrome(struct ui_ctx *ctx, struct ui_tree *t, const char *screen, unsigned flags);

/* A text at the bottom of area (above the talk button), below everything
 * already placed, or where the area is full the lowest band of it that
 * meets no control: what appears there never moves a control. NULL when
 * area has no such band, unless force (then at its top). */
struct ui_widget *ui_text_bottom(struct ui_ctx *ctx, struct ui_tree *t, const struct ui_col *area,
				 const char *id, const char *label, unsigned style, bool force);
struct ui_widget *ui_heading(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
			     const char *label);
struct ui_widget *ui_text(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *id,
			  const char *label, unsigned style);
struct ui_widget *ui_button(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
			    const char *id, const char *label, unsigned style);
/* n buttons side by side in one row (equal width). */
void ui_buttons_row(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, int n,
		    const char *const *ids, const char *const *labels, const unsigned *styles);
struct ui_widget *ui_list_item(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
			       const char *id, const char *label, unsigned style);
struct ui_widget *ui_image(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c,
			   const char *id, enum ui_image img, const char *alt, int height);
/* A line with a label and "−" / "+" steppers: ids PREFIX_minus, PREFIX_plus.
 * row_taps: the label is a list item with id PREFIX (a tap on the row). */
void ui_stepper(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *prefix,
		const char *label, bool can_minus, bool can_plus, bool chosen, bool row_taps);
/* Spacer. */
void ui_space(struct ui_col *c, int px);
/* Heights the widgets above would take in column c (for paging lists). */
int ui_button_height(struct ui_ctx *ctx, const struct ui_col *c, const char *label,
		     unsigned style);
int ui_stepper_height(struct ui_ctx *ctx, const struct ui_col *c, const char *label);
/* Split rows of the given heights into pages that fit room (gap between
 * rows); returns the first row of page `page` and sets *end past its last.
 * The page number is clamped into range (written back). */
int ui_page_rows(const int *heights, int n, int gap, int room, int *page, int *end,
		 int *n_pages);

/* Where the widgets of t from index `from` within area's width run past
 * area->bottom (large text, a small window), make their pictures smaller
 * (to no less than 3/5) and move what is below them up to fit. */
void ui_fit(struct ui_tree *t, int from, const struct ui_col *area);
/* Move what the customer taps low, within reach from a wheelchair and
 * without stooping: the widgets of t from index `from` within area's width,
 * starting at the first control among them, go down together (in their
 * order and spacing) until they end at area->bottom. What is read above
 * them (heading, texts) stays at the top. */
void ui_sink(struct ui_tree *t, int from, const struct ui_col *area);

/* Landscape windows: split the content column into a reading column (left)
 * and an action column (right) and return true; portrait: false (use c
 * for both). */
bool ui_split(const struct ui_ctx *ctx, const struct ui_col *c, struct ui_col *left,
	      struct ui_col *right);

/* On-screen keyboard with å ä ö and large keys, in alphabetical order. Key
 * ids: "key_" + the character for a-z 0-9, and key_aring key_auml key_ouml
 * key_at key_dot key_dash key_plus key_space key_back. The input field is
 * id "input". */
void ui_keyboard(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *text,
		 const char *placeholder);
/* Numeric keypad: key_0..key_9, key_back; the field shows dots when mask. */
void ui_keypad(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *text,
	       bool mask);
/* The same with the input field in one column and the keys in another
 * (landscape; passing the same column twice equals the calls above). */
void ui_keyboard_split(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *field,
		       struct ui_col *keys, const char *text, const char *placeholder);
void ui_keypad_split(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *field,
		     struct ui_col *keys, const char *text, bool mask);
/* Apply a keyboard/keypad key id to a UTF-8 text buffer. Returns true when
 * id was a key (handled), false otherwise. */
bool ui_key_apply(const char *id, char *text, size_t cap);

/* ---- running ------------------------------------------------------------ */

struct ui_run_opts {
	int win_w, win_h;        /* 0: fullscreen at the display's size */
	bool fullscreen;
	const char *dump_path;   /* --dump-ui, or NULL */
	const char *font_path;   /* regular font file */
	const char *font_bold_path;
};

/* Before any thread starts: SIGTERM, SIGINT and SIGHUP are then taken by
 * ui_run, which ends its loop cleanly on them (exit 0), while a window
 * manager's close is ignored in the customer's kiosk. */
void ui_hold_stop_signals(void);
/* Open the window, run the mode until quit (window closed, Escape with
 * KIOSK_ALLOW_QUIT=1, or SIGTERM). 0 ok, negative with why. */
int ui_run(struct ui_ctx *ctx, const struct ui_run_opts *o, struct kiosk_why *why);

/* Write the tree as interfaces.md §4 JSON, atomically (temp + rename). */
int ui_dump_write(const struct ui_ctx *ctx, const struct ui_tree *t, const char *path,
		  struct kiosk_why *why);
/* The same JSON as a malloc'd string (caller frees with free()). */
char *ui_dump_json(const struct ui_ctx *ctx, const struct ui_tree *t);

#endif
