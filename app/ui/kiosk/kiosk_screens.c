/* The customer kiosk's screens: one small build function per flow screen,
 * each stacking toolkit widgets into the content column, and the frame
 * around them (kiosk_build: answers low, a notice, the idle prompt). A
 * return's questions are in kiosk_screens_return.c, follow my case in
 * kiosk_screens_follow.c (kiosk_screens.h). Layout only: the words come
 * from assets/lang/LANG/ui.ini, the data from the flow. */
#include "ui/kiosk/kiosk_screens.h"
#include "ui/kiosk/kiosk_ids.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/wipe.h"
#include "domain/contact.h"
#include "domain/date_words.h"

void kiosk_format_day(const struct ui_ctx *ctx, int64_t day, char *buf, size_t len)
{
	date_words_day(ctx->tr, day, buf, len);
}

void kiosk_back_button(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c)
{
	ui_button(ctx, t, c, KID_BACK, ui_tr(ctx, "ui.back"), 0);
}

static void first_name(const struct flow *f, char *buf, size_t len)
{
	/* Only the first given name is ever shown. */
	size_t n = strcspn(f->id.given_names, " ");
	if (n >= len)
		n = len - 1;
	memcpy(buf, f->id.given_names, n);
	buf[n] = 0;
	/* MRZ names are upper case: show "ANNA" as "Anna". */
	for (size_t i = 1; i < n; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] - 'A' + 'a');
}

static void scr_start(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		      struct ui_col *c, struct ui_col *a)
{
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.start_heading"));
	ui_space(c, ui_unit(ctx, 12));
	ui_image(ctx, t, c, "scan_picture", UI_IMG_SCAN_RECEIPT, ui_tr(ctx, "ui.picture_receipt"), 300);
	ui_text(ctx, t, c, "scan_hint", ui_tr(ctx, "ui.start_scan_hint"), UI_ST_CENTER);
	if (ctx->scanner && !ctx->scanner_connected)
		ui_text(ctx, t, c, "scanner_missing", ui_tr(ctx, "ui.scanner_missing"),
			UI_ST_PANEL | UI_ST_WARN);
	/* the choices below the picture, low on the screen (ui_sink) */
	ui_button(ctx, t, a, KID_RETURN, ui_tr(ctx, "ui.start_return"), UI_ST_LARGE | UI_ST_PRIMARY);
	ui_button(ctx, t, a, KID_FAULT, ui_tr(ctx, "ui.start_fault"), UI_ST_LARGE | UI_ST_PRIMARY);
	ui_button(ctx, t, a, KID_FOLLOW, ui_tr(ctx, "ui.start_follow"), UI_ST_LARGE | UI_ST_PRIMARY);
}

void kiosk_scan_prompt(struct ui_ctx *ctx, struct ui_tree *t, struct ui_col *c, const char *heading,
		       enum ui_image img, const char *picture, const char *hint)
{
	ui_heading(ctx, t, c, ui_tr(ctx, heading));
	ui_image(ctx, t, c, "scan_picture", img, ui_tr(ctx, picture), 380);
	ui_text(ctx, t, c, "scan_hint", ui_tr(ctx, hint), UI_ST_CENTER);
}

static void scr_identify(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			 struct ui_col *c, struct ui_col *a)
{
	kiosk_scan_prompt(ctx, t, c, "ui.identify_heading", UI_IMG_SCAN_RECEIPT, "ui.picture_receipt",
			  "ui.identify_hint");
	ui_button(ctx, t, a, KID_NO_RECEIPT, ui_tr(ctx, "ui.no_receipt"), 0);
	kiosk_back_button(ctx, t, a);
}

static void scr_id_scan(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			struct ui_col *c, struct ui_col *a)
{
	kiosk_scan_prompt(ctx, t, c, "ui.id_heading", UI_IMG_SCAN_ID, "ui.picture_id", "ui.id_hint");
	ui_text(ctx, t, a, "privacy", ui_tr(ctx, "ui.id_privacy"), UI_ST_SMALL);
	if (k->f.intent == FI_FAULT)
		ui_button(ctx, t, a, KID_SKIP_ID, ui_tr(ctx, "ui.skip_id"), 0);
	kiosk_back_button(ctx, t, a);
}

static void receipt_summary(struct ui_ctx *ctx, const struct flow *f, char *buf, size_t len)
{
	char day[64], n[16];
	int items = 0;
	for (int i = 0; i < f->receipt.n_lines; i++)
		items += f->receipt.lines[i].quantity;
	kiosk_format_day(ctx, time_local_days(f->receipt.purchased_at), day, sizeof day);
	snprintf(n, sizeof n, "%d", items);
	const char *kv[] = {"store", ctx->cfg->store_name, "date", day, "items", n, NULL};
	size_t at = ui_trf(ctx, buf, len, items == 1 ? "ui.confirm_receipt_one" : "ui.confirm_receipt",
			   kv);
	/* and what is on it, so the customer knows it is theirs */
	char list[400] = "";
	size_t k = 0;
	for (int i = 0; i < f->receipt.n_lines && k + 1 < sizeof list; i++) {
		const struct receipt_line *l = &f->receipt.lines[i];
		if (l->quantity > 1)
			k += (size_t)snprintf(list + k, sizeof list - k, "%s%d × %s", i ? ", " : "",
					      l->quantity, l->description);
		else
			k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "",
					      l->description);
	}
	const char *ikv[] = {"items", list, NULL};
	if (at + 1 < len) {
		buf[at++] = '\n';
		ui_trf(ctx, buf + at, len - at, "ui.confirm_items", ikv);
	}
}

static void scr_confirm(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			struct ui_col *c, struct ui_col *a)
{
	char text[1024], name[64];
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.confirm_heading"));
	if (k->f.have_receipt) {
		receipt_summary(ctx, &k->f, text, sizeof text);
	} else {
		first_name(&k->f, name, sizeof name);
		const char *kv[] = {"name", name, NULL};
		ui_trf(ctx, text, sizeof text, "ui.confirm_id", kv);
	}
	ui_text(ctx, t, c, "what_was_read", text, UI_ST_PANEL);
	if (k->f.have_receipt && k->f.intent == FI_NONE) {
		/* a receipt scanned at the start: what is it for? */
		ui_button(ctx, t, a, KID_RETURN, ui_tr(ctx, "ui.start_return"), UI_ST_PRIMARY);
		ui_button(ctx, t, a, KID_FAULT, ui_tr(ctx, "ui.start_fault"), UI_ST_PRIMARY);
	} else {
		ui_button(ctx, t, a, KID_CONTINUE, ui_tr(ctx, "ui.confirm_yes"), UI_ST_PRIMARY);
	}
	ui_button(ctx, t, a, KID_NOT_ME,
		  ui_tr(ctx, k->f.have_receipt ? "ui.not_my_receipt" : "ui.not_me"), 0);
}

static void scr_choose(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		       struct ui_col *c, struct ui_col *a)
{
	char text[256], name[64];
	first_name(&k->f, name, sizeof name);
	const char *kv[] = {"name", name, NULL};
	ui_trf(ctx, text, sizeof text, "ui.choose_heading", kv);
	ui_heading(ctx, t, c, text);
	ui_button(ctx, t, a, KID_RETURN, ui_tr(ctx, "ui.choose_return"), UI_ST_LARGE | UI_ST_PRIMARY);
	ui_button(ctx, t, a, KID_FAULT, ui_tr(ctx, "ui.start_fault"), UI_ST_LARGE | UI_ST_PRIMARY);
	ui_button(ctx, t, a, KID_NOT_ME, ui_tr(ctx, "ui.not_me"), 0);
}

/* Long lists (kiosk_screens.h): as many rows as fit above `buttons`
 * buttons, the rest on further pages. */
int kiosk_pages_of(struct ui_ctx *ctx, struct kiosk_state *k, const struct ui_col *c,
		    const struct ui_col *a, const int *heights, int n, int buttons, int *end)
{
	int bh = ui_button_height(ctx, a, ui_tr(ctx, "ui.next"), UI_ST_PRIMARY) + a->gap;
	int room = a->bottom - a->y - buttons * bh;
	int pages, probe = 0;
	int first = ui_page_rows(heights, n, a->gap, room, &probe, end, &pages);
	if (pages > 1) /* the pager row takes one button's height */
		first = ui_page_rows(heights, n, a->gap, room - bh, &k->page, end, &pages);
	else
		k->page = 0;
	k->pager_pages = pages;
	return first;
}

void kiosk_pager(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t, struct ui_col *a)
{
	if (k->pager_pages <= 1)
		return;
	char pg[16], of[16], text[128];
	snprintf(pg, sizeof pg, "%d", k->page + 1);
	snprintf(of, sizeof of, "%d", k->pager_pages);
	const char *kv[] = {"page", pg, "pages", of, NULL};
	ui_trf(ctx, text, sizeof text, "ui.page_of", kv);
	const char *ids[3] = {KID_PAGE_PREV, "page_info", KID_PAGE_NEXT};
	const char *labels[3] = {ui_tr(ctx, "ui.page_prev"), text, ui_tr(ctx, "ui.page_next")};
	ui_buttons_row(ctx, t, a, 3, ids, labels, NULL);
	/* the middle one only says where we are */
	struct ui_widget *info = &t->w[t->n - 2];
	info->role = UI_ROLE_TEXT;
	info->style = UI_ST_CENTER;
	t->w[t->n - 3].enabled = k->page > 0;
	t->w[t->n - 1].enabled = k->page + 1 < k->pager_pages;
}

void kiosk_keyboard_body(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			  struct ui_col *c, struct ui_col *a, const char *text, const char *next_id,
			  const char *next_key)
{
	ui_keyboard_split(ctx, t, c, a, text, NULL);
	const char *ids[2] = {KID_BACK, next_id};
	const char *labels[2] = {ui_tr(ctx, "ui.back"), ui_tr(ctx, next_key)};
	const unsigned styles[2] = {0, UI_ST_PRIMARY};
	ui_buttons_row(ctx, t, a, 2, ids, labels, styles);
}

void kiosk_keyboard_screen(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			    struct ui_col *c, struct ui_col *a, const char *heading, const char *hint,
			    const char *text, const char *next_id, const char *next_key)
{
	ui_heading(ctx, t, c, ui_tr(ctx, heading));
	if (hint)
		ui_text(ctx, t, c, "hint", ui_tr(ctx, hint), 0);
	kiosk_keyboard_body(ctx, k, t, c, a, text, next_id, next_key);
}

static void scr_fault_product(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			      struct ui_col *c, struct ui_col *a)
{
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.fault_product_heading"));
	int heights[FLOW_MAX_LINES], end;
	int n = k->f.receipt.n_lines < FLOW_MAX_LINES ? k->f.receipt.n_lines : FLOW_MAX_LINES;
	for (int i = 0; i < n; i++)
		heights[i] = ui_button_height(ctx, a, k->f.receipt.lines[i].description, 0);
	int first = kiosk_pages_of(ctx, k, c, a, heights, n, 3, &end);
	for (int i = first; i < end; i++) {
		char id[24];
		snprintf(id, sizeof id, KID_ITEM_FMT, i + 1);
		ui_list_item(ctx, t, a, id, k->f.receipt.lines[i].description, 0);
	}
	kiosk_pager(ctx, k, t, a);
	ui_button(ctx, t, a, KID_NOT_LISTED, ui_tr(ctx, "ui.fault_not_listed"), 0);
	kiosk_back_button(ctx, t, a);
}

static void scr_fault_describe(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			       struct ui_col *c, struct ui_col *a)
{
	kiosk_keyboard_screen(ctx, k, t, c, a, "ui.fault_describe_heading", NULL, k->f.product, KID_NEXT,
			"ui.next");
}

static void scr_fault_what(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			   struct ui_col *c, struct ui_col *a)
{
	const char *const ids[] = {flow_fault_id(FF_NO_POWER), flow_fault_id(FF_BROKEN),
				   flow_fault_id(FF_BATTERY), flow_fault_id(FF_NOISE), KID_FAULT_OTHER};
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.fault_what_heading"));
	const char *labels[5];
	for (size_t i = 0; i < 5; i++) {
		char key[48];
		snprintf(key, sizeof key, "ui.%s", ids[i]);
		labels[i] = ui_tr(ctx, key);
	}
	/* landscape: "back" below the question; where large text makes the
	 * choices too tall for the column, they come in pages */
	int heights[5], end;
	for (size_t i = 0; i < 5; i++)
		heights[i] = ui_button_height(ctx, a, labels[i], 0);
	int first = kiosk_pages_of(ctx, k, c, a, heights, 5, a == c ? 1 : 0, &end);
	for (int i = first; i < end; i++)
		ui_button(ctx, t, a, ids[i], labels[i], 0);
	kiosk_pager(ctx, k, t, a);
	kiosk_back_button(ctx, t, a == c ? a : c);
}

static void scr_fault_text(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			   struct ui_col *c, struct ui_col *a)
{
	kiosk_keyboard_screen(ctx, k, t, c, a, "ui.fault_text_heading", NULL, k->f.text, KID_NEXT, "ui.next");
}

/* Policy sentences carry dates as 2026-11-28; the customer reads them as
 * "28 november 2026". Copies src to buf with every ISO date in words;
 * returns how many were replaced. */
static int humane_dates(const struct ui_ctx *ctx, const char *src, char *buf, size_t len)
{
	return date_words_text(ctx->tr, src, buf, len);
}

/* The next step and its date, as one sentence. */
void kiosk_next_step_text(struct ui_ctx *ctx, const char *step, int64_t day, char *buf,
			   size_t len)
{
	date_words_next_step(ctx->tr, step, day, buf, len);
}

/* What the decision covers, in the customer's words: "Vattenkokare Stål,
 * 2 × Hörlurar Bas", or the product named. */
static void decision_items(struct ui_ctx *ctx, const struct flow *f, char *buf, size_t len)
{
	char items[UI_LABEL_MAX] = "";
	size_t used = 0;
	if (f->have_receipt && f->intent == FI_RETURN) {
		for (int i = 0; i < f->receipt.n_lines && i < FLOW_MAX_LINES; i++) {
			if (!f->qty[i])
				continue;
			char one[200], n[8];
			snprintf(n, sizeof n, "%d", f->qty[i]);
			const char *kv[] = {"item", f->receipt.lines[i].description, "n", n, NULL};
			ui_trf(ctx, one, sizeof one, f->qty[i] > 1 ? "ui.decision_item_many"
								   : "ui.decision_item_one", kv);
			int w = snprintf(items + used, sizeof items - used, "%s%s", used ? ", " : "",
					 one);
			if (w < 0 || used + (size_t)w >= sizeof items)
				break;
			used += (size_t)w;
		}
	} else {
		snprintf(items, sizeof items, "%s", f->product);
	}
	const char *kv[] = {"items", items, NULL};
	ui_trf(ctx, buf, len, "ui.decision_items", kv);
}

static void scr_decision(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			 struct ui_col *c, struct ui_col *a)
{
	const struct decision *d = &k->f.decision;
	bool staff = d->outcome == OUTCOME_STAFF || d->outcome == OUTCOME_REFUSED;
	char text[600];
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.decision_heading"));
	decision_items(ctx, &k->f, text, sizeof text);
	ui_text(ctx, t, c, "decision_items", text, 0);
	humane_dates(ctx, d->explanation, text, sizeof text);
	ui_text(ctx, t, c, "decision", text, UI_ST_PANEL | (staff ? UI_ST_WARN : 0));
	if (d->amount > 0) {
		char money[48];
		ui_format_money(ctx, d->amount, money, sizeof money);
		const char *kv[] = {"amount", money, NULL};
		ui_trf(ctx, text, sizeof text, "ui.decision_amount", kv);
		ui_text(ctx, t, a, "amount", text, 0);
	}
	kiosk_next_step_text(ctx, d->next_step, d->promised_day, text, sizeof text);
	ui_text(ctx, t, a, "next_step", text, 0);
	ui_button(ctx, t, a, KID_CONFIRM, ui_tr(ctx, "ui.decision_confirm"), UI_ST_PRIMARY);
	/* back to the last answer (kept), or leave: side by side */
	const char *ids[2] = {KID_BACK, KID_CANCEL};
	const char *labels[2] = {ui_tr(ctx, "ui.back"), ui_tr(ctx, "ui.decision_cancel")};
	ui_buttons_row(ctx, t, a, 2, ids, labels, NULL);
}

static void scr_contact_ask(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			    struct ui_col *c, struct ui_col *a)
{
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.contact_heading"));
	ui_text(ctx, t, c, "hint", ui_tr(ctx, "ui.contact_hint"), 0);
	ui_button(ctx, t, a, KID_CONTACT_NO, ui_tr(ctx, "ui.contact_no"), UI_ST_PRIMARY);
	ui_button(ctx, t, a, KID_CONTACT_YES, ui_tr(ctx, "ui.contact_yes"), 0);
}

static void scr_contact_entry(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
			      struct ui_col *c, struct ui_col *a)
{
	unsigned ch = k->channels;
	kiosk_keyboard_screen(ctx, k, t, c, a,
			ch == FLOW_CH_EMAIL ? "ui.contact_entry_heading_email"
			: ch == FLOW_CH_SMS ? "ui.contact_entry_heading_sms"
					    : "ui.contact_entry_heading",
			"ui.contact_privacy",
			k->f.contact, KID_SAVE, "ui.contact_save");
}

static void scr_done(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		     struct ui_col *c, struct ui_col *a)
{
	const struct flow *f = &k->f;
	char text[600];
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.done_heading"));
	const char *kv[] = {"case", f->case_id, NULL};
	ui_trf(ctx, text, sizeof text, "ui.done_case", kv);
	ui_text(ctx, t, c, "case_number", text, UI_ST_PANEL | UI_ST_LARGE | UI_ST_CENTER);
	/* taken while the store's system could not be reached: said once,
	 * plainly, with what happens to it */
	if (f->offline)
		ui_text(ctx, t, c, "offline_note", ui_tr(ctx, "ui.done_offline"), UI_ST_PANEL);
	static const char *const print_keys[] = {
		[FP_NONE] = "ui.done_printing", [FP_PRINTING] = "ui.done_printing",
		[FP_PRINTED] = "ui.done_printed", [FP_FAILED] = "ui.done_print_failed",
		[FP_NO_PRINTER] = "ui.done_no_printer"};
	ui_text(ctx, t, a, "print_status", ui_tr(ctx, print_keys[f->print]),
		f->print == FP_FAILED ? UI_ST_WARN : 0);
	if (f->print == FP_NO_PRINTER || f->print == FP_FAILED) {
		char code[80];
		scan_format_case_code(code, sizeof code, f->case_id, f->token);
		const char *kv2[] = {"code", code, NULL};
		ui_trf(ctx, text, sizeof text, "ui.done_code", kv2);
		/* the receipt's code on screen: staff can scan it to print the
		 * receipt; the same code in letters below it */
		ui_image(ctx, t, c, "case_qr", UI_IMG_QR, code, 300);
		ui_text(ctx, t, c, "case_code", text, UI_ST_PANEL | UI_ST_SMALL);
	}
	kiosk_next_step_text(ctx, f->decision.next_step, f->decision.promised_day, text, sizeof text);
	ui_text(ctx, t, a, "next_step", text, 0);
	/* promised only when a contact was given, and by the way it will come */
	if (f->wants_contact) {
		char normal[128];
		enum contact_channel via = contact_normalise(f->contact, normal, sizeof normal);
		mem_wipe(normal, sizeof normal);
		ui_text(ctx, t, a, "contact_note",
			ui_tr(ctx, via == CONTACT_SMS ? "ui.done_contact_sms" : "ui.done_contact_email"),
			UI_ST_SMALL);
	}
	ui_button(ctx, t, a, KID_FINISH, ui_tr(ctx, "ui.finish"), UI_ST_PRIMARY);
}

static void scr_called(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t,
		       struct ui_col *c, struct ui_col *a)
{
	ui_heading(ctx, t, c, ui_tr(ctx, "ui.called_heading"));
	ui_image(ctx, t, c, "person", UI_IMG_PERSON, ui_tr(ctx, "ui.picture_person"), 260);
	ui_text(ctx, t, a, "called_text",
		ui_tr(ctx, k->f.call_waiting ? "ui.called_text" : "ui.called_answered"),
		UI_ST_PANEL | UI_ST_LARGE);
	if (k->f.call_waiting) {
		char mins[16], waited[160];
		long m = (long)((ctx->now_ms - k->call_ms) / 60000);
		snprintf(mins, sizeof mins, "%ld", m < 0 ? 0 : m);
		const char *kv[] = {"minutes", mins, NULL};
		ui_trf(ctx, waited, sizeof waited, m < 1 ? "ui.called_waited_now" : "ui.called_waited",
		       kv);
		ui_text(ctx, t, a, "called_waited", waited, UI_ST_PANEL);
	}
	ui_button(ctx, t, a, KID_BACK, ui_tr(ctx, "ui.called_back"), UI_ST_PRIMARY);
	if (k->f.call_waiting)
		ui_button(ctx, t, a, KID_CALL_WITHDRAW, ui_tr(ctx, "ui.called_withdraw"), 0);
}

static const screen_fn screens[FS_COUNT] = {
	[FS_START] = scr_start,
	[FS_IDENTIFY] = scr_identify,
	[FS_ID_SCAN] = scr_id_scan,
	[FS_CONFIRM] = scr_confirm,
	[FS_CHOOSE] = scr_choose,
	[FS_ITEMS] = kiosk_scr_items,
	[FS_NR_ITEM] = kiosk_scr_nr_item,
	[FS_NR_PRICE] = kiosk_scr_nr_price,
	[FS_REASON] = kiosk_scr_reason,
	[FS_OTHER_TEXT] = kiosk_scr_other_text,
	[FS_CONDITION] = kiosk_scr_condition,
	[FS_FAULT_PRODUCT] = scr_fault_product,
	[FS_FAULT_DESCRIBE] = scr_fault_describe,
	[FS_FAULT_WHAT] = scr_fault_what,
	[FS_FAULT_TEXT] = scr_fault_text,
	[FS_DECISION] = scr_decision,
	[FS_CONTACT_ASK] = scr_contact_ask,
	[FS_CONTACT_ENTRY] = scr_contact_entry,
	[FS_DONE] = scr_done,
	[FS_FOLLOW_SCAN] = kiosk_scr_follow_scan,
	[FS_FOLLOW_NUMBER] = kiosk_scr_follow_number,
	[FS_FOLLOW_RECEIPT] = kiosk_scr_follow_receipt,
	[FS_FOLLOW_SHOW] = kiosk_scr_follow_show,
	[FS_CALLED] = scr_called,
};

static void idle_prompt(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t)
{
	int left = (int)((k->ask_end_ms - ctx->now_ms + 999) / 1000);
	char secs[16], text[256];
	snprintf(secs, sizeof secs, "%d", left < 0 ? 0 : left);
	snprintf(t->screen, sizeof t->screen, "idle_prompt");
	/* A panel over the whole window swallows taps on what is under it. */
	ui_tree_add(t, "overlay", UI_ROLE_IMAGE, "", 0, 0, ctx->win_w, ctx->win_h, UI_ST_PANEL);
	int m = ui_unit(ctx, 80), pad = ui_unit(ctx, 40);
	int w = ctx->win_w - 2 * m;
	if (w > ui_unit(ctx, 1000))
		w = ui_unit(ctx, 1000);
	/* Lay out once to learn the height, then centre the panel. */
	int top = ctx->win_h / 3;
	int panel = t->n;
	ui_tree_add(t, "idle_panel", UI_ROLE_TEXT, "", (ctx->win_w - w) / 2, top, w, 0, UI_ST_PANEL);
	struct ui_col c = {.x = (ctx->win_w - w) / 2 + pad, .y = top + pad, .w = w - 2 * pad,
			   .bottom = ctx->win_h, .gap = ui_unit(ctx, 24)};
	struct ui_widget *hd = ui_heading(ctx, t, &c, ui_tr(ctx, "ui.idle_heading"));
	snprintf(hd->id, sizeof hd->id, "idle_heading");
	hd->style |= UI_ST_CENTER;
	const char *kv[] = {"seconds", secs, NULL};
	ui_trf(ctx, text, sizeof text, "ui.idle_countdown", kv);
	ui_text(ctx, t, &c, "idle_countdown", text, UI_ST_CENTER);
	/* what going on will and will not keep: a saved case stays */
	char kept[400];
	const char *kv2[] = {"case", k->f.case_id, NULL};
	ui_trf(ctx, kept, sizeof kept, k->f.case_id[0] ? "ui.idle_kept_case" : "ui.idle_kept_nothing",
	       kv2);
	ui_text(ctx, t, &c, "idle_kept", kept, UI_ST_CENTER);
	ui_button(ctx, t, &c, KID_STILL_HERE, ui_tr(ctx, "ui.idle_still_here"), UI_ST_PRIMARY);
	int h = c.y - c.gap + pad - top;
	int shift = (ctx->win_h - h) / 2 - top;
	if (panel < t->n)
		t->w[panel].h = h;
	for (int i = panel; i < t->n; i++)
		t->w[i].y += shift;
	snprintf(t->speak, sizeof t->speak, "%s %s %s", ui_tr(ctx, "ui.idle_heading"), text, kept);
}

void kiosk_build(struct ui_ctx *ctx, struct kiosk_state *k, struct ui_tree *t)
{
	enum flow_screen s = k->f.screen;
	if (s != k->page_of) { /* a new list starts on its first page */
		k->page = 0;
		k->page_of = s;
	}
	k->pager_pages = 0;
	/* the toggles again low in portrait; a landscape screen is short
	 * enough that its top bar is within reach, and needs the room */
	unsigned chrome = (ctx->win_w <= ctx->win_h ? UI_CHROME_LOW : 0) |
			  (s != FS_CALLED ? UI_CHROME_TALK : 0);
	struct ui_col c = ui_chrome(ctx, t, flow_screen_name(s), chrome);
	const struct ui_col area = c;
	struct ui_col l, r;
	bool split = ui_split(ctx, &c, &l, &r);
	const struct ui_col left = l, right = r;
	int first = t->n;
	if (split)
		screens[s](ctx, k, t, &l, &r);
	else
		screens[s](ctx, k, t, &c, &c);
	/* where the words are many (large text), smaller pictures; then the
	 * answers low, the question at the top (in landscape: the action
	 * column's) */
	ui_fit(t, first, split ? &left : &area);
	if (split)
		ui_fit(t, first, &right);
	ui_sink(t, first, split ? &right : &area);
	/* a notice goes low, below the controls (in landscape in the column
	 * with room): it never moves a button under the customer's finger */
	if (k->f.notice[0]) {
		/* where the screen is full (large text, landscape keyboard), in
		 * smaller letters rather than over a control */
		const char *text = ui_tr(ctx, k->f.notice);
		const struct ui_col *areas[2] = {split ? &left : &area, split ? &right : NULL};
		const unsigned styles[2] = {UI_ST_PANEL | UI_ST_WARN,
					    UI_ST_PANEL | UI_ST_WARN | UI_ST_SMALL};
		bool placed = false;
		for (int st = 0; st < 2 && !placed; st++)
			for (int i = 0; i < 2 && !placed; i++)
				placed = areas[i] && ui_text_bottom(ctx, t, areas[i], "notice", text,
								    styles[st], false);
		if (!placed)
			ui_text_bottom(ctx, t, &area, "notice", text, styles[1], true);
	}
	if (k->asking)
		idle_prompt(ctx, k, t);
}
