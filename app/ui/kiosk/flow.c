/* The customer's flow: see flow.h. One transition function per input; the
 * table of back-steps and screen names keeps navigation in one place. */
#include "ui/kiosk/flow.h"
#include "ui/kiosk/flow_private.h"
#include "ui/kiosk/kiosk_ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/wipe.h"
#include "domain/contact.h"
#include "ui/toolkit/ui.h"

static const char *const screen_names[FS_COUNT] = {
	[FS_START] = "start",
	[FS_IDENTIFY] = "identify",
	[FS_ID_SCAN] = "id_scan",
	[FS_CONFIRM] = "confirm",
	[FS_CHOOSE] = "choose",
	[FS_ITEMS] = "return_items",
	[FS_NR_ITEM] = "return_item_name",
	[FS_NR_PRICE] = "return_item_price",
	[FS_REASON] = "return_reason",
	[FS_OTHER_TEXT] = "return_reason_text",
	[FS_CONDITION] = "return_condition",
	[FS_FAULT_PRODUCT] = "fault_product",
	[FS_FAULT_DESCRIBE] = "fault_product_name",
	[FS_FAULT_WHAT] = "fault_what",
	[FS_FAULT_TEXT] = "fault_text",
	[FS_DECISION] = "decision",
	[FS_CONTACT_ASK] = "contact_ask",
	[FS_CONTACT_ENTRY] = "contact_entry",
	[FS_DONE] = "done",
	[FS_FOLLOW_SCAN] = "follow_scan",
	[FS_FOLLOW_NUMBER] = "follow_number",
	[FS_FOLLOW_RECEIPT] = "follow_receipt",
	[FS_FOLLOW_SHOW] = "follow_show",
	[FS_CALLED] = "called",
};

const char *flow_screen_name(enum flow_screen s)
{
	return (unsigned)s < FS_COUNT ? screen_names[s] : "unknown";
}


void flow_init(struct flow *f)
{
	mem_wipe(f, sizeof *f);
	f->screen = FS_START;
	f->fault_line = -1;
}

void flow_reset(struct flow *f)
{
	receipt_free(&f->receipt);
	case_record_free(&f->followed);
	flow_init(f);
}

bool flow_has_personal(const struct flow *f)
{
	return f->screen != FS_START || f->have_receipt || f->have_id || f->notice[0];
}

int flow_items_chosen(const struct flow *f)
{
	int n = 0;
	for (int i = 0; i < FLOW_MAX_LINES; i++)
		n += f->qty[i];
	return n;
}

bool flow_contact_valid(const char *s, unsigned channels)
{
	char normal[128];
	enum contact_channel ch = contact_normalise(s, normal, sizeof normal);
	return (ch == CONTACT_EMAIL && (channels & FLOW_CH_EMAIL)) ||
	       (ch == CONTACT_SMS && (channels & FLOW_CH_SMS));
}

void flow_go(struct flow *f, enum flow_screen s)
{
	f->screen = s;
	f->notice[0] = 0;
}

void flow_notice(struct flow *f, const char *key)
{
	snprintf(f->notice, sizeof f->notice, "%s", key);
}

/* The store did not give what was asked for. Something that is not there
 * (or a code that does not match) is said with what_key; a busy or
 * unreachable database is said as what it is, so nobody is told "we cannot
 * find your receipt" when the receipt is fine. */
void flow_notice_for(struct flow *f, int rc, const char *what_key)
{
	flow_notice(f, rc == KIOSK_EBUSY ? "ui.notice_db_busy"
		  : rc == KIOSK_EIO ? "ui.notice_db_down"
				    : what_key);
}

/* Where KID_BACK leads from each screen. */
static enum flow_screen back_of(const struct flow *f)
{
	switch (f->screen) {
	case FS_IDENTIFY: return FS_START;
	case FS_ID_SCAN: return FS_IDENTIFY;
	case FS_ITEMS:
	case FS_NR_ITEM:
	case FS_FAULT_PRODUCT: return FS_CONFIRM;
	case FS_NR_PRICE: return FS_NR_ITEM;
	case FS_REASON: return f->have_receipt ? FS_ITEMS : FS_NR_PRICE;
	case FS_OTHER_TEXT:
	case FS_CONDITION: return FS_REASON;
	case FS_FAULT_DESCRIBE:
		return f->have_receipt ? FS_FAULT_PRODUCT : f->have_id ? FS_CONFIRM : FS_ID_SCAN;
	case FS_FAULT_WHAT: return f->have_receipt && f->fault_line >= 0 ? FS_FAULT_PRODUCT
							       : FS_FAULT_DESCRIBE;
	case FS_FAULT_TEXT: return FS_FAULT_WHAT;
	case FS_CONTACT_ENTRY: return FS_CONTACT_ASK;
	case FS_FOLLOW_SCAN: return FS_START;
	case FS_FOLLOW_NUMBER: return FS_FOLLOW_SCAN;
	case FS_FOLLOW_RECEIPT: return FS_FOLLOW_NUMBER;
	case FS_CALLED: return f->before_call;
	case FS_DECISION: /* the last question, its answer kept */
		if (f->intent == FI_FAULT)
			return f->fault_chosen ? FS_FAULT_WHAT : FS_FAULT_TEXT;
		return f->reason == REASON_FAULTY ? FS_REASON : FS_CONDITION;
	default: return f->screen;
	}
}

/* The first screen of a return or a fault once we know who/what. */
static enum flow_screen first_of_intent(const struct flow *f)
{
	if (f->intent == FI_RETURN)
		return f->have_receipt ? FS_ITEMS : FS_NR_ITEM;
	if (f->intent == FI_FAULT)
		return f->have_receipt ? FS_FAULT_PRODUCT : FS_FAULT_DESCRIBE;
	return FS_CHOOSE;
}

bool flow_decide(struct flow *f, const struct flow_effects *fx)
{
	int rc = fx->decide(fx->arg, f);
	if (rc) {
		flow_notice_for(f, rc, "ui.notice_decide_failed");
		return true;
	}
	flow_go(f, FS_DECISION);
	return true;
}

/* The customer has seen the decision and said yes: the case is saved now,
 * before anything else is asked, so walking away later cannot lose it. */
static bool register_case(struct flow *f, const struct flow_effects *fx)
{
	int rc = fx->register_case(fx->arg, f);
	if (rc == KIOSK_EDOUBT) {
		/* it may stand: saving it again could make it twice, and staff
		 * can find out */
		flow_go(f, FS_START);
		flow_notice(f, "ui.notice_save_unsure");
		return true;
	}
	if (rc) {
		flow_notice_for(f, rc, "ui.notice_save_failed");
		return true;
	}
	f->registered = true;
	if (fx->channels) {
		flow_go(f, FS_CONTACT_ASK);
		return true;
	}
	flow_go(f, FS_DONE);
	if (fx->print_receipt)
		fx->print_receipt(fx->arg);
	return true;
}

static bool finish(struct flow *f, const struct flow_effects *fx)
{
	flow_go(f, FS_DONE);
	if (fx->print_receipt)
		fx->print_receipt(fx->arg);
	return true;
}

/* Per-screen text buffer the keyboard types into. */
static char *typing_buffer(struct flow *f, size_t *cap)
{
	switch (f->screen) {
	case FS_NR_ITEM:
	case FS_FAULT_DESCRIBE:
		*cap = sizeof f->product;
		return f->product;
	case FS_OTHER_TEXT:
		if (f->per_item) {
			*cap = sizeof f->line_text[0];
			return f->line_text[f->asking];
		}
		*cap = sizeof f->text;
		return f->text;
	case FS_FAULT_TEXT:
		*cap = sizeof f->text;
		return f->text;
	case FS_CONTACT_ENTRY:
		*cap = sizeof f->contact;
		return f->contact;
	case FS_NR_PRICE:
		*cap = sizeof f->price;
		return f->price;
	case FS_FOLLOW_NUMBER:
		*cap = sizeof f->follow_number;
		return f->follow_number;
	case FS_FOLLOW_RECEIPT:
		*cap = sizeof f->follow_receipt;
		return f->follow_receipt;
	default:
		return NULL;
	}
}

static const char *const fault_ids[FF_COUNT] = {
	[FF_NO_POWER] = "fault_no_power", [FF_BROKEN] = "fault_broken",
	[FF_BATTERY] = "fault_battery",   [FF_NOISE] = "fault_noise",
};

const char *flow_fault_id(enum flow_fault kind)
{
	return (unsigned)kind < FF_COUNT ? fault_ids[kind] : "";
}

/* ---- a tap on each screen's own controls (the common ones are in
 * flow_tap); true when it was handled ---- */

static bool tap_start(struct flow *f, const struct flow_effects *fx, const char *id)
{
	(void)fx;
	if (!strcmp(id, KID_RETURN) || !strcmp(id, KID_FAULT)) {
		f->intent = !strcmp(id, KID_RETURN) ? FI_RETURN : FI_FAULT;
		flow_go(f, f->screen == FS_CHOOSE ? first_of_intent(f) : FS_IDENTIFY);
		return true;
	}
	if (f->screen == FS_START && !strcmp(id, KID_FOLLOW)) {
		flow_go(f, FS_FOLLOW_SCAN);
		return true;
	}
	return false;
}

static bool tap_identify(struct flow *f, const struct flow_effects *fx, const char *id)
{
	(void)fx;
	if (strcmp(id, KID_NO_RECEIPT))
		return false;
	flow_go(f, FS_ID_SCAN);
	return true;
}

static bool tap_id_scan(struct flow *f, const struct flow_effects *fx, const char *id)
{
	(void)fx;
	/* A fault can be reported without any ID: staff take it from there. */
	if (strcmp(id, KID_SKIP_ID) || f->intent != FI_FAULT)
		return false;
	flow_go(f, FS_FAULT_DESCRIBE);
	return true;
}

static bool tap_confirm(struct flow *f, const struct flow_effects *fx, const char *id)
{
	(void)fx;
	if (f->intent == FI_NONE && f->have_receipt &&
	    (!strcmp(id, KID_RETURN) || !strcmp(id, KID_FAULT))) {
		f->intent = !strcmp(id, KID_RETURN) ? FI_RETURN : FI_FAULT;
		flow_go(f, first_of_intent(f));
		return true;
	}
	if (!strcmp(id, KID_CONTINUE) && (f->intent != FI_NONE || !f->have_receipt)) {
		flow_go(f, first_of_intent(f));
		return true;
	}
	return false;
}

/* The product typed in: for a return without a receipt, or a fault. */
static bool tap_product(struct flow *f, const struct flow_effects *fx, const char *id)
{
	(void)fx;
	if (strcmp(id, KID_NEXT))
		return false;
	if (!f->product[0])
		flow_notice(f, "ui.notice_type_product");
	else
		flow_go(f, f->screen == FS_NR_ITEM ? FS_NR_PRICE : FS_FAULT_WHAT);
	return true;
}

static bool tap_price(struct flow *f, const struct flow_effects *fx, const char *id)
{
	(void)fx;
	if (strcmp(id, KID_NEXT))
		return false;
	if (!f->price[0] || atoi(f->price) <= 0)
		flow_notice(f, "ui.notice_type_price");
	else
		flow_go(f, FS_REASON);
	return true;
}

static bool tap_fault_product(struct flow *f, const struct flow_effects *fx, const char *id)
{
	(void)fx;
	int n;
	if (!strcmp(id, KID_NOT_LISTED)) {
		f->fault_line = -1;
		flow_go(f, FS_FAULT_DESCRIBE);
		return true;
	}
	if (sscanf(id, KID_ITEM_FMT, &n) == 1 && n >= 1 && n <= f->receipt.n_lines) {
		f->fault_line = n - 1;
		snprintf(f->product, sizeof f->product, "%s", f->receipt.lines[n - 1].description);
		flow_go(f, FS_FAULT_WHAT);
		return true;
	}
	return false;
}

static bool tap_fault_what(struct flow *f, const struct flow_effects *fx, const char *id)
{
	if (!strcmp(id, KID_FAULT_OTHER)) {
		f->fault_chosen = false;
		flow_go(f, FS_FAULT_TEXT);
		return true;
	}
	for (int i = 0; i < FF_COUNT; i++) {
		if (!strcmp(id, fault_ids[i])) {
			f->fault_choice = (enum flow_fault)i;
			f->fault_chosen = true;
			f->text[0] = 0;
			return flow_decide(f, fx);
		}
	}
	return false;
}

static bool tap_fault_text(struct flow *f, const struct flow_effects *fx, const char *id)
{
	if (strcmp(id, KID_NEXT))
		return false;
	if (!f->text[0]) {
		flow_notice(f, "ui.notice_type_text");
		return true;
	}
	return flow_decide(f, fx);
}

static bool tap_decision(struct flow *f, const struct flow_effects *fx, const char *id)
{
	if (strcmp(id, KID_CONFIRM))
		return false;
	/* updates are offered (after the save) only where the store can send them */
	f->wants_contact = false;
	f->contact[0] = 0;
	return register_case(f, fx);
}

static bool tap_contact_ask(struct flow *f, const struct flow_effects *fx, const char *id)
{
	if (!strcmp(id, KID_CONTACT_NO)) {
		f->wants_contact = false;
		f->contact[0] = 0;
		return finish(f, fx);
	}
	if (!strcmp(id, KID_CONTACT_YES)) {
		flow_go(f, FS_CONTACT_ENTRY);
		return true;
	}
	return false;
}

static bool tap_contact_entry(struct flow *f, const struct flow_effects *fx, const char *id)
{
	if (strcmp(id, KID_SAVE))
		return false;
	if (!flow_contact_valid(f->contact, fx->channels)) {
		flow_notice(f, fx->channels == FLOW_CH_EMAIL ? "ui.notice_contact_invalid_email"
			  : fx->channels == FLOW_CH_SMS	      ? "ui.notice_contact_invalid_sms"
								: "ui.notice_contact_invalid");
		return true;
	}
	f->wants_contact = true;
	int rc = fx->set_contact ? fx->set_contact(fx->arg, f) : 0;
	if (rc) {
		f->wants_contact = false;
		flow_notice_for(f, rc, "ui.notice_save_failed");
		return true;
	}
	return finish(f, fx);
}

typedef bool (*tap_fn)(struct flow *f, const struct flow_effects *fx, const char *id);

/* Each screen's taps; a screen without an entry has only common controls. */
static const tap_fn taps[FS_COUNT] = {
	[FS_START] = tap_start,
	[FS_CHOOSE] = tap_start,
	[FS_FOLLOW_SCAN] = flow_follow_tap,
	[FS_FOLLOW_NUMBER] = flow_follow_tap,
	[FS_FOLLOW_RECEIPT] = flow_follow_tap,
	[FS_IDENTIFY] = tap_identify,
	[FS_ID_SCAN] = tap_id_scan,
	[FS_CONFIRM] = tap_confirm,
	[FS_ITEMS] = flow_return_tap,
	[FS_NR_ITEM] = tap_product,
	[FS_FAULT_DESCRIBE] = tap_product,
	[FS_NR_PRICE] = tap_price,
	[FS_REASON] = flow_return_tap,
	[FS_OTHER_TEXT] = flow_return_tap,
	[FS_CONDITION] = flow_return_tap,
	[FS_FAULT_PRODUCT] = tap_fault_product,
	[FS_FAULT_WHAT] = tap_fault_what,
	[FS_FAULT_TEXT] = tap_fault_text,
	[FS_DECISION] = tap_decision,
	[FS_CONTACT_ASK] = tap_contact_ask,
	[FS_CONTACT_ENTRY] = tap_contact_entry,
};

bool flow_tap(struct flow *f, const struct flow_effects *fx, const char *id)
{
	if (!strcmp(id, KID_TALK)) {
		if (f->screen == FS_CALLED)
			return true;
		/* one call per visit: asking again shows the call already made */
		if (!f->called) {
			if (fx->call_staff(fx->arg, f->case_id, &f->call_id)) {
				flow_notice(f, "ui.notice_call_failed");
				return true;
			}
			f->called = true;
			f->call_waiting = true;
		}
		f->before_call = f->screen;
		flow_go(f, FS_CALLED);
		return true;
	}
	if (!strcmp(id, KID_CALL_WITHDRAW)) {
		if (f->called && f->call_waiting && fx->withdraw_call)
			fx->withdraw_call(fx->arg, f->call_id);
		f->call_waiting = false;
		flow_go(f, f->screen == FS_CALLED ? f->before_call : f->screen);
		return true;
	}
	if (!strcmp(id, KID_BACK)) {
		if (flow_return_back(f))
			return true;
		enum flow_screen b = back_of(f);
		if (b == FS_START)
			flow_reset(f);
		flow_go(f, b);
		return true;
	}
	if (!strcmp(id, KID_NOT_ME) || !strcmp(id, KID_CANCEL) || !strcmp(id, KID_FINISH)) {
		/* leaving: nobody should come to an empty kiosk */
		if (f->called && f->call_waiting && fx->withdraw_call)
			fx->withdraw_call(fx->arg, f->call_id);
		flow_reset(f);
		return true;
	}
	size_t cap = 0;
	char *buf = typing_buffer(f, &cap);
	if (buf && ui_key_apply(id, buf, cap)) {
		f->notice[0] = 0;
		return true;
	}

	tap_fn tap = taps[f->screen];
	return tap ? tap(f, fx, id) : false;
}

/* The receipt read at start or on the identify screens. */
static bool take_receipt(struct flow *f, const struct flow_effects *fx, const char *receipt_id)
{
	struct receipt r = {0};
	int rc = fx->load_receipt(fx->arg, receipt_id, &r);
	if (rc) {
		flow_notice_for(f, rc, "ui.notice_receipt_unknown");
		return true;
	}
	receipt_free(&f->receipt);
	f->receipt = r;
	f->have_receipt = true;
	memset(f->qty, 0, sizeof f->qty);
	/* scanned at the start (intent still FI_NONE): the confirm screen asks
	 * whether it is a return or a fault report */
	flow_go(f, FS_CONFIRM);
	return true;
}

static bool take_id(struct flow *f, const struct scan_id_document *id)
{
	if (id->expired) {
		flow_notice(f, "ui.notice_id_expired");
		return true;
	}
	f->id = *id;
	f->have_id = true;
	flow_go(f, FS_CONFIRM);
	return true;
}

bool flow_scan(struct flow *f, const struct flow_effects *fx, const struct scan_result *r)
{
	if (!r->valid) {
		flow_notice(f, r->kind == SCAN_UNKNOWN ? "ui.notice_scan_unknown" : "ui.notice_scan_unreadable");
		return true;
	}
	bool start_like = f->screen == FS_START || f->screen == FS_CHOOSE;
	bool identify = f->screen == FS_IDENTIFY || f->screen == FS_ID_SCAN;
	switch (r->kind) {
	case SCAN_RECEIPT:
		if (start_like || identify)
			return take_receipt(f, fx, r->u.receipt.receipt_id);
		if (f->screen == FS_FOLLOW_RECEIPT)
			return flow_follow_by_receipt(f, fx, r->u.receipt.receipt_id, false);
		break;
	case SCAN_ID_DOCUMENT:
		if (start_like || identify)
			return take_id(f, &r->u.id);
		break;
	case SCAN_CASE:
		if (f->screen == FS_START || f->screen == FS_FOLLOW_SCAN ||
		    f->screen == FS_FOLLOW_SHOW)
			return flow_follow_by_code(f, fx, r->u.case_code.case_id, r->u.case_code.token);
		break;
	default:
		break;
	}
	flow_notice(f, "ui.notice_scan_not_now");
	return true;
}
