/* Unit tests of the UI framework and the customer flow, without SDL: the
 * flow driven by taps and scans against fake effects, the keyboard, the
 * tree's hit test and dump JSON, and that every screen lays out inside the
 * window in both orientations with every ui.ini key present. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "ui/flow.h"
#include "ui/kiosk.h"
#include "ui/ui.h"

/* ---- fake effects -------------------------------------------------------- */

struct fake {
	int loads, decides, registers, calls, cases, contacts, prints, withdraws;
	int fail_register; /* the error registering returns, 0: none */
	char last_call_case[CASE_ID_MAX];
};

static int fk_load_receipt(void *arg, const char *id, struct receipt *out)
{
	struct fake *fk = arg;
	fk->loads++;
	if (!strcmp(id, "LONG")) { /* a long receipt: 20 lines with long names */
		memset(out, 0, sizeof *out);
		out->n_lines = 20;
		out->lines = calloc(20, sizeof *out->lines);
		for (int i = 0; i < 20; i++) {
			out->lines[i] = (struct receipt_line){.line = i + 1, .quantity = 1,
							      .unit_price = 1000 * (i + 1)};
			snprintf(out->lines[i].description, sizeof out->lines[i].description,
				 "Vara nummer %d med ett ganska långt namn som kan behöva två rader", i + 1);
		}
		return 0;
	}
	if (!strcmp(id, "RS004200320261122000001"))
		return KIOSK_EBUSY; /* another kiosk is writing */
	if (!strcmp(id, "RS004200320261122000002"))
		return KIOSK_EIO; /* the database cannot be reached */
	if (strcmp(id, "RS004200320261122001234"))
		return KIOSK_ENOTFOUND;
	memset(out, 0, sizeof *out);
	snprintf(out->receipt_id, sizeof out->receipt_id, "%s", id);
	out->n_lines = 2;
	out->lines = calloc(2, sizeof *out->lines);
	out->lines[0] = (struct receipt_line){.line = 1, .quantity = 1, .unit_price = 49900};
	snprintf(out->lines[0].description, sizeof out->lines[0].description, "Vattenkokare");
	out->lines[1] = (struct receipt_line){.line = 2, .quantity = 2, .unit_price = 19900,
					      .returned_quantity = 1};
	snprintf(out->lines[1].description, sizeof out->lines[1].description, "Hörlurar");
	return 0;
}

static int fk_decide(void *arg, struct flow *f)
{
	struct fake *fk = arg;
	fk->decides++;
	f->decision.outcome = f->have_receipt ? OUTCOME_REFUND : OUTCOME_STORE_CREDIT;
	snprintf(f->decision.explanation, sizeof f->decision.explanation, "ok");
	return 0;
}

static int fk_register(void *arg, struct flow *f)
{
	struct fake *fk = arg;
	fk->registers++;
	if (fk->fail_register)
		return fk->fail_register;
	snprintf(f->case_id, sizeof f->case_id, "K-000001");
	return 0;
}

static void fk_withdraw(void *arg, int64_t call_id)
{
	struct fake *fk = arg;
	fk->withdraws += call_id == 4711;
}

static int fk_call(void *arg, const char *case_id, int64_t *call_id)
{
	struct fake *fk = arg;
	fk->calls++;
	*call_id = 4711;
	snprintf(fk->last_call_case, sizeof fk->last_call_case, "%s", case_id ? case_id : "");
	return 0;
}

static int fk_case(void *arg, const char *case_id, const char *token, struct flow *f)
{
	struct fake *fk = arg;
	fk->cases++;
	if (!strcmp(token, "eeeeeeeeeeeeeeee"))
		return KIOSK_EBUSY;
	if (strcmp(token, "0123456789abcdef"))
		return KIOSK_EDENIED;
	snprintf(f->followed.case_id, sizeof f->followed.case_id, "%s", case_id);
	return 0;
}

/* Case 123 was registered with the fixture receipt; typed, its digits
 * come without the prefix. */
static int fk_case_by_receipt(void *arg, const char *number, const char *receipt, bool typed,
			      struct flow *f)
{
	struct fake *fk = arg;
	fk->cases++;
	const char *want = typed ? "004200320261122001234" : "RS004200320261122001234";
	if (strcmp(number, "123") || strcmp(receipt, want))
		return KIOSK_EDENIED;
	snprintf(f->followed.case_id, sizeof f->followed.case_id, "K-000123");
	return 0;
}

static int fk_set_contact(void *arg, struct flow *f)
{
	struct fake *fk = arg;
	(void)f;
	fk->contacts++;
	return 0;
}

static void fk_print(void *arg)
{
	struct fake *fk = arg;
	fk->prints++;
}

static struct flow_effects fx_of(struct fake *fk)
{
	return (struct flow_effects){.arg = fk,
				     .load_receipt = fk_load_receipt,
				     .decide = fk_decide,
				     .register_case = fk_register,
				     .set_contact = fk_set_contact,
				     .print_receipt = fk_print,
				     .call_staff = fk_call,
				     .withdraw_call = fk_withdraw,
				     .load_case = fk_case,
				     .load_case_by_receipt = fk_case_by_receipt,
				     .channels = FLOW_CH_EMAIL | FLOW_CH_SMS};
}

/* Scans as the parser would deliver them. */
static struct scan_result scan_receipt(const char *id)
{
	struct scan_result r = {.kind = SCAN_RECEIPT, .valid = true};
	snprintf(r.u.receipt.receipt_id, sizeof r.u.receipt.receipt_id, "%s", id);
	return r;
}

static struct scan_result scan_id(bool expired)
{
	struct scan_result r = {.kind = SCAN_ID_DOCUMENT, .valid = true};
	snprintf(r.u.id.given_names, sizeof r.u.id.given_names, "ANNA MARIA");
	snprintf(r.u.id.document_number, sizeof r.u.id.document_number, "D23145890");
	r.u.id.expired = expired;
	return r;
}

static struct scan_result scan_case(const char *token)
{
	struct scan_result r = {.kind = SCAN_CASE, .valid = true};
	snprintf(r.u.case_code.case_id, sizeof r.u.case_code.case_id, "K-000009");
	snprintf(r.u.case_code.token, sizeof r.u.case_code.token, "%s", token);
	return r;
}

/* A script step: a tap id; "@receipt", "@unknown_receipt", "@busy_receipt",
 * "@down_receipt", "@id", "@id_expired", "@case", "@badcase", "@busycase",
 * "@junk" for scans; "!save_busy" makes registering find the database busy. */
static void step(struct flow *f, const struct flow_effects *fx, const char *s)
{
	struct scan_result r;
	if (!strcmp(s, "!save_busy")) {
		((struct fake *)fx->arg)->fail_register = KIOSK_EBUSY;
		return;
	}
	if (s[0] != '@') {
		flow_tap(f, fx, s);
		return;
	}
	if (!strcmp(s, "@receipt"))
		r = scan_receipt("RS004200320261122001234");
	else if (!strcmp(s, "@unknown_receipt"))
		r = scan_receipt("RS004200320261122009999");
	else if (!strcmp(s, "@busy_receipt"))
		r = scan_receipt("RS004200320261122000001");
	else if (!strcmp(s, "@down_receipt"))
		r = scan_receipt("RS004200320261122000002");
	else if (!strcmp(s, "@busycase"))
		r = scan_case("eeeeeeeeeeeeeeee");
	else if (!strcmp(s, "@id"))
		r = scan_id(false);
	else if (!strcmp(s, "@id_expired"))
		r = scan_id(true);
	else if (!strcmp(s, "@case"))
		r = scan_case("0123456789abcdef");
	else if (!strcmp(s, "@badcase"))
		r = scan_case("ffffffffffffffff");
	else
		r = (struct scan_result){.kind = SCAN_UNKNOWN, .valid = false};
	flow_scan(f, fx, &r);
}

static void test_flow_paths(void)
{
	static const struct item {
		const char *steps[32];
		enum flow_screen screen;
		const char *notice;
		int registers, calls;
	} data[] = {
		/* 0*/ {{"return"}, FS_IDENTIFY, "", 0, 0},
		/* 1*/ {{"return", "@receipt"}, FS_CONFIRM, "", 0, 0},
		/* 2*/ {{"@receipt"}, FS_CONFIRM, "", 0, 0},
		/* 3*/ {{"@receipt", "not_me"}, FS_START, "", 0, 0},
		/* 4*/ {{"@receipt", "return", "next"}, FS_ITEMS, "ui.notice_choose_item", 0, 0},
		/* 5*/ {{"@receipt", "return", "line_1_plus", "next"}, FS_REASON, "", 0, 0},
		/* 6*/ {{"@receipt", "return", "line_1_plus", "next", "reason_changed_mind",
		       "cond_unopened"}, FS_DECISION, "", 0, 0},
		/* 7*/ {{"@receipt", "return", "line_1_plus", "next", "reason_faulty"},
			FS_DECISION, "", 0, 0},
		/* 8*/ {{"@receipt", "return", "line_1_plus", "next", "reason_faulty", "confirm",
		       "contact_no"}, FS_DONE, "", 1, 0},
		/* 9*/ {{"@receipt", "return", "line_1_plus", "next", "reason_faulty", "cancel"},
			FS_START, "", 0, 0},
		/*10*/ {{"@unknown_receipt"}, FS_START, "ui.notice_receipt_unknown", 0, 0},
		/*11*/ {{"@junk"}, FS_START, "ui.notice_scan_unknown", 0, 0},
		/*12*/ {{"@id"}, FS_CONFIRM, "", 0, 0},
		/*13*/ {{"@id", "continue"}, FS_CHOOSE, "", 0, 0},
		/*14*/ {{"@id", "continue", "return"}, FS_NR_ITEM, "", 0, 0},
		/*15*/ {{"@id", "continue", "return", "next"}, FS_NR_ITEM, "ui.notice_type_product", 0, 0},
		/*16*/ {{"@id", "continue", "return", "key_t", "key_v", "next", "next"}, FS_NR_PRICE,
			"ui.notice_type_price", 0, 0},
		/*17*/ {{"@id", "continue", "return", "key_t", "key_v", "next", "key_2", "key_0", "next",
		       "reason_changed_mind", "cond_unopened", "confirm", "contact_no"}, FS_DONE, "", 1, 0},
		/*18*/ {{"@id_expired"}, FS_START, "ui.notice_id_expired", 0, 0},
		/*19*/ {{"fault", "no_receipt", "@id", "continue"}, FS_FAULT_DESCRIBE, "", 0, 0},
		/*20*/ {{"fault", "@receipt", "continue", "item_2", "fault_battery"}, FS_DECISION, "", 0, 0},
		/*21*/ {{"fault", "@receipt", "continue", "item_2", "fault_other", "next"}, FS_FAULT_TEXT,
			"ui.notice_type_text", 0, 0},
		/*22*/ {{"fault", "@receipt", "continue", "item_1", "fault_broken", "confirm", "contact_yes",
		       "key_1", "key_2", "save"}, FS_CONTACT_ENTRY, "ui.notice_contact_invalid", 1, 0},
		/*23*/ {{"fault", "@receipt", "continue", "item_1", "fault_broken", "confirm", "contact_yes",
		       "key_0", "key_7", "key_0", "key_1", "key_2", "key_3", "key_4", "key_5", "key_6",
		       "save"}, FS_DONE, "", 1, 0},
		/*24*/ {{"follow", "@case"}, FS_FOLLOW_SHOW, "", 0, 0},
		/*25*/ {{"@case"}, FS_FOLLOW_SHOW, "", 0, 0},
		/*26*/ {{"follow", "@badcase"}, FS_FOLLOW_SCAN, "ui.notice_case_unknown", 0, 0},
		/*27*/ {{"return", "talk"}, FS_CALLED, "", 0, 1},
		/*28*/ {{"return", "talk", "back"}, FS_IDENTIFY, "", 0, 1},
		/*29*/ {{"@receipt", "return", "line_2_plus", "line_2_plus", "line_2_minus", "line_2_plus",
		       "next"},
			FS_REASON, "", 0, 0},
		/*30*/ {{"@receipt", "return", "@receipt"}, FS_ITEMS, "ui.notice_scan_not_now", 0, 0},
		/*31*/ {{"return", "no_receipt", "back", "back"}, FS_START, "", 0, 0},
		/*32*/ {{"fault", "no_receipt", "skip_id"}, FS_FAULT_DESCRIBE, "", 0, 0},
		/*33*/ {{"fault", "no_receipt", "skip_id", "back"}, FS_ID_SCAN, "", 0, 0},
		/*34*/ {{"return", "no_receipt", "skip_id"}, FS_ID_SCAN, "", 0, 0},
		/* the database busy or away is said as such, not as "not found" */
		/*35*/ {{"@busy_receipt"}, FS_START, "ui.notice_db_busy", 0, 0},
		/*36*/ {{"return", "@down_receipt"}, FS_IDENTIFY, "ui.notice_db_down", 0, 0},
		/*37*/ {{"follow", "@busycase"}, FS_FOLLOW_SCAN, "ui.notice_db_busy", 0, 0},
		/*38*/ {{"@receipt", "return", "line_1_plus", "next", "reason_changed_mind",
		       "cond_unopened", "!save_busy", "confirm"},
			FS_DECISION, "ui.notice_db_busy", 1, 0},
		/* the case is saved at "register it", before the contact question,
		 * and there is no way back to register it twice */
		/*39*/ {{"@receipt", "return", "line_1_plus", "next", "reason_changed_mind",
		       "cond_unopened", "confirm"}, FS_CONTACT_ASK, "", 1, 0},
		/*40*/ {{"@receipt", "return", "line_1_plus", "next", "reason_changed_mind",
		       "cond_unopened", "confirm", "back", "confirm"}, FS_CONTACT_ASK, "", 1, 0},
		/* one call per visit: asking again shows the call already made */
		/*41*/ {{"return", "talk", "back", "@receipt", "talk"}, FS_CALLED, "", 0, 1},
		/*42*/ {{"return", "talk", "call_withdraw"}, FS_IDENTIFY, "", 0, 1},
		/* the case receipt is lost: its number and the purchase receipt */
		/*43*/ {{"follow", "lost_paper", "key_1", "key_2", "key_3", "next", "@receipt"},
			FS_FOLLOW_SHOW, "", 0, 0},
		/*44*/ {{"follow", "lost_paper", "key_1", "key_2", "key_4", "next", "@receipt"},
			FS_FOLLOW_RECEIPT, "ui.notice_follow_no_match", 0, 0},
		/*45*/ {{"follow", "lost_paper", "next"}, FS_FOLLOW_NUMBER, "ui.notice_follow_number", 0,
			0},
		/*46*/ {{"follow", "lost_paper", "key_1", "key_2", "key_3", "next", "next"},
			FS_FOLLOW_RECEIPT, "ui.notice_follow_receipt", 0, 0},
		/*47*/ {{"follow", "lost_paper", "key_1", "key_2", "key_3", "next", "key_0", "key_0",
		       "key_4", "key_2", "key_0", "key_0", "key_0", "key_3", "key_2", "key_0", "key_2",
		       "key_6", "key_1", "key_1", "key_2", "key_2", "key_0", "key_0", "next"},
			FS_FOLLOW_RECEIPT, "ui.notice_follow_no_match", 0, 0},
		/*48*/ {{"follow", "lost_paper", "back", "back"}, FS_START, "", 0, 0},
		/*49*/ {{"follow", "lost_paper", "key_1", "key_2", "key_3", "next", "key_0", "key_0", "key_4", "key_2", "key_0", "key_0", "key_3", "key_2", "key_0", "key_2", "key_6", "key_1", "key_1", "key_2", "key_2", "key_0", "key_0", "key_1", "key_2", "key_3", "key_4", "next"},
			FS_FOLLOW_SHOW, "", 0, 0},
		/* different items: why (and in what state) for each in turn */
		/*50*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next"}, FS_REASON, "", 0,
			0},
		/*51*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next",
		       "reason_changed_mind", "cond_unopened"}, FS_REASON, "", 0, 0},
		/*52*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next",
		       "reason_changed_mind", "cond_unopened", "reason_faulty"}, FS_DECISION, "", 0, 0},
		/*53*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next", "reason_other",
		       "next"}, FS_OTHER_TEXT, "ui.notice_type_text", 0, 0},
		/* back on every step, to the answer before */
		/*54*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next",
		       "reason_changed_mind", "cond_unopened", "reason_faulty", "back"}, FS_REASON, "",
			0, 0},
		/*55*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next",
		       "reason_changed_mind", "cond_unopened", "reason_faulty", "back", "back"},
			FS_CONDITION, "", 0, 0},
		/*56*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next",
		       "reason_changed_mind", "back", "back"}, FS_ITEMS, "", 0, 0},
		/*57*/ {{"@receipt", "return", "line_1_plus", "next", "reason_changed_mind",
		       "cond_unopened", "back"}, FS_CONDITION, "", 0, 0},
		/*58*/ {{"@receipt", "return", "line_1_plus", "next", "reason_faulty", "back"},
			FS_REASON, "", 0, 0},
		/*59*/ {{"fault", "@receipt", "continue", "item_2", "fault_battery", "back"},
			FS_FAULT_WHAT, "", 0, 0},
		/*60*/ {{"@id", "continue", "fault", "key_t", "key_v", "next", "fault_other", "key_x",
		       "next", "back"}, FS_FAULT_TEXT, "", 0, 0},
		/*61*/ {{"@receipt", "return", "line_1_plus", "next", "reason_changed_mind",
		       "cond_unopened", "back", "cond_used", "confirm"}, FS_CONTACT_ASK, "", 1, 0},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct fake fk = {0};
		struct flow_effects fx = fx_of(&fk);
		struct flow f;
		flow_init(&f);
		for (int s = 0; s < 32 && data[i].steps[s]; s++)
			step(&f, &fx, data[i].steps[s]);
		KT_STREQ(flow_screen_name(f.screen), flow_screen_name(data[i].screen), i);
		KT_STREQ(f.notice, data[i].notice, i);
		KT_INTEQ(fk.registers, data[i].registers, i);
		KT_INTEQ(fk.calls, data[i].calls, i);
		/* the receipt prints once the customer is done, and only then */
		KT_INTEQ(fk.prints, data[i].screen == FS_DONE, i);
		flow_reset(&f);
	}
}

/* Different items get their own answers, which stay when the customer goes
 * back and are shown as chosen; one item gets one answer for all. */
static void test_answers_per_item(void)
{
	static const struct item {
		const char *steps[20];
		bool per_item;
		enum return_reason r1, r2;
		enum item_condition c1, c2;
		const char *text1;
		bool given; /* the question on screen already has an answer */
	} data[] = {
		/* 0*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next",
		       "reason_changed_mind", "cond_unopened", "reason_faulty"},
			true, REASON_CHANGED_MIND, REASON_FAULTY, COND_UNOPENED, COND_FAULTY, "", false},
		/* 1*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next", "reason_other",
		       "key_l", "key_o", "key_c", "key_k", "next", "cond_used", "reason_wrong_item",
		       "cond_unopened", "back", "back", "back"},
			true, REASON_OTHER, REASON_WRONG_ITEM, COND_USED, COND_UNOPENED, "lock", true},
		/* 2*/ {{"@receipt", "return", "line_1_plus", "line_2_plus", "next",
		       "reason_wrong_item", "cond_used", "back", "back", "back", "back"},
			true, REASON_WRONG_ITEM, REASON_CHANGED_MIND, COND_USED, COND_UNOPENED, "", false},
		/* 3*/ {{"@receipt", "return", "line_2_plus", "line_2_plus", "next", "reason_wrong_item",
		       "cond_used"},
			false, REASON_WRONG_ITEM, REASON_WRONG_ITEM, COND_USED, COND_USED, "", false},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct fake fk = {0};
		struct flow_effects fx = fx_of(&fk);
		struct flow f;
		flow_init(&f);
		for (int s = 0; s < 20 && data[i].steps[s]; s++)
			step(&f, &fx, data[i].steps[s]);
		KT_INTEQ(f.per_item, data[i].per_item, i);
		enum return_reason r;
		enum item_condition c;
		const char *text;
		if (data[i].per_item) {
			flow_line_answer(&f, 0, &r, &c, &text);
			KT_INTEQ(r, data[i].r1, i);
			KT_INTEQ(c, data[i].c1, i);
			KT_STREQ(text, data[i].text1, i);
			flow_line_answer(&f, 1, &r, &c, &text);
			if (i != 2) { /* row 2 never reached item 2 */
				KT_INTEQ(r, data[i].r2, i);
				KT_INTEQ(c, data[i].c2, i);
			}
		} else {
			flow_line_answer(&f, 1, &r, &c, &text);
			KT_INTEQ(r, data[i].r2, i);
			KT_INTEQ(c, data[i].c2, i);
		}
		if (f.screen == FS_REASON || f.screen == FS_CONDITION) {
			enum return_reason gr;
			KT_INTEQ(flow_reason_given(&f, &gr), data[i].given, i);
		}
		flow_reset(&f);
	}
}

/* Line 2 was bought twice and returned once: only one more can be chosen. */
/* A customer who leaves while waiting for a person takes the call back
 * (nobody walks to an empty kiosk); once, and only a call still waiting. */
static void test_call_withdrawn(void)
{
	static const struct item {
		const char *steps[8];
		bool answered; /* staff answered before the customer went on */
		int withdraws;
	} data[] = {
		/* 0*/ {{"return", "talk", "cancel"}, false, 1},
		/* 1*/ {{"return", "talk", "call_withdraw", "cancel"}, false, 1},
		/* 2*/ {{"return", "cancel"}, false, 0},
		/* 3*/ {{"return", "talk", "back", "cancel"}, true, 0},
		/* 4*/ {{"@receipt", "talk", "back", "not_me"}, false, 1},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		struct fake fk = {0};
		struct flow_effects fx = fx_of(&fk);
		struct flow f;
		flow_init(&f);
		for (int s = 0; s < 8 && data[i].steps[s]; s++) {
			if (data[i].answered && f.called)
				f.call_waiting = false; /* what kiosk_tick learns from the store */
			step(&f, &fx, data[i].steps[s]);
		}
		KT_INTEQ(fk.withdraws, data[i].withdraws, i);
		KT_STREQ(flow_screen_name(f.screen), "start", i);
		flow_reset(&f);
	}
}

static void test_flow_quantity_limits(void)
{
	struct fake fk = {0};
	struct flow_effects fx = fx_of(&fk);
	struct flow f;
	flow_init(&f);
	step(&f, &fx, "@receipt");
	step(&f, &fx, "return");
	static const struct item {
		const char *tap;
		bool changed;
		int q1, q2;
	} data[] = {
		/* 0*/ {"line_2_plus", true, 0, 1},
		/* 1*/ {"line_2_plus", false, 0, 1},
		/* 2*/ {"line_1_minus", false, 0, 1},
		/* 3*/ {"line_1_plus", true, 1, 1},
		/* 4*/ {"line_1_plus", false, 1, 1},
		/* 5*/ {"line_3_plus", false, 1, 1},
		/* 6*/ {"line_2_minus", true, 1, 0},
		/* a tap on a row chooses one, again none */
		/* 7*/ {"line_2", true, 1, 1},
		/* 8*/ {"line_1", true, 0, 1},
		/* 9*/ {"line_1", true, 1, 1},
		/*10*/ {"line_3", false, 1, 1},
		/*11*/ {"line_2", true, 1, 0},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		bool changed = flow_tap(&f, &fx, data[i].tap);
		KT_INTEQ(changed, data[i].changed, i);
		KT_INTEQ(f.qty[0], data[i].q1, i);
		KT_INTEQ(f.qty[1], data[i].q2, i);
	}
	flow_reset(&f);
}

/* Reset forgets everything personal: name, ID number, receipt, text. */
static void test_flow_reset_wipes(void)
{
	struct fake fk = {0};
	struct flow_effects fx = fx_of(&fk);
	struct flow f;
	flow_init(&f);
	step(&f, &fx, "@id");
	step(&f, &fx, "continue");
	step(&f, &fx, "return");
	step(&f, &fx, "key_x");
	KT_CHECK(f.have_id && strstr(f.id.given_names, "ANNA"), "i:0 ID taken");
	flow_reset(&f);
	static const unsigned char zero[sizeof f.id] = {0};
	KT_CHECK(!memcmp(&f.id, zero, sizeof f.id), "i:1 ID wiped");
	KT_CHECK(!f.have_id && !f.have_receipt && !f.product[0] && f.screen == FS_START,
		 "i:2 all cleared");
	KT_CHECK(!flow_has_personal(&f), "i:3 nothing personal left");
}

static void test_contact_valid(void)
{
	enum { E = FLOW_CH_EMAIL, S = FLOW_CH_SMS, B = FLOW_CH_EMAIL | FLOW_CH_SMS };
	static const struct item {
		const char *s;
		unsigned channels;
		bool ok;
	} data[] = {
		/* 0*/ {"070-123 45 67", B, true},
		/* 1*/ {"+46701234567", S, true},
		/* 2*/ {"12345", B, false},
		/* 3*/ {"anna@example.se", B, true},
		/* 4*/ {"anna@example", B, false},
		/* 5*/ {"@example.se", B, false},
		/* 6*/ {"anna@ex@ample.se", B, false},
		/* 7*/ {"anna@example.", B, false},
		/* 8*/ {"", B, false},
		/* 9*/ {"070abc1234", B, false},
		/* only what the store can send to */
		/*10*/ {"anna@example.se", S, false},
		/*11*/ {"070-123 45 67", E, false},
		/*12*/ {"anna@example.se", E, true},
		/*13*/ {"anna@example.se", 0, false},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++)
		KT_INTEQ(flow_contact_valid(data[i].s, data[i].channels), data[i].ok, i);
}

static void test_key_apply(void)
{
	static const struct item {
		const char *start;
		const char *key;
		bool handled;
		const char *want;
	} data[] = {
		/* 0*/ {"", "key_a", true, "a"},
		/* 1*/ {"sk", "key_auml", true, "skä"},
		/* 2*/ {"skä", "key_back", true, "sk"},
		/* 3*/ {"", "key_back", true, ""},
		/* 4*/ {"a", "key_space", true, "a "},
		/* 5*/ {"a", "key_at", true, "a@"},
		/* 6*/ {"a", "next", false, "a"},
		/* 7*/ {"123", "key_9", true, "1239"},
		/* 8*/ {"ab", "key_ouml", true, "abö"},
		/* 9*/ {"1234567", "key_8", true, "1234567"}, /* full: cap 8 */
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		char buf[8];
		snprintf(buf, sizeof buf, "%s", data[i].start);
		KT_INTEQ(ui_key_apply(data[i].key, buf, sizeof buf), data[i].handled, i);
		KT_STREQ(buf, data[i].want, i);
	}
}

static void test_tree_hit_and_dump(void)
{
	struct ui_tree *t = calloc(1, sizeof *t);
	struct ui_ctx ctx = {.win_w = 1080, .win_h = 1920, .lang = "sv"};
	snprintf(t->screen, sizeof t->screen, "start");
	ui_tree_add(t, "a", UI_ROLE_BUTTON, "Å ä", 10, 10, 100, 100, 0);
	ui_tree_add(t, "txt", UI_ROLE_TEXT, "hej", 0, 0, 50, 50, 0);
	ui_tree_add(t, "off", UI_ROLE_BUTTON, "x", 200, 200, 50, 50, 0)->enabled = false;
	ui_tree_add(t, "pin", UI_ROLE_INPUT, "1234", 300, 300, 50, 50, UI_ST_MASK);
	static const struct item {
		int x, y;
		const char *want;
	} data[] = {
		/* 0*/ {15, 15, "a"},     /* text on top of a button does not take its tap */
		/* 1*/ {109, 109, "a"},
		/* 2*/ {110, 110, ""},    /* right/bottom edges are outside */
		/* 3*/ {210, 210, ""},    /* disabled */
		/* 4*/ {5, 5, ""},        /* text only */
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		const struct ui_widget *w = ui_tree_hit(t, data[i].x, data[i].y);
		KT_STREQ(w ? w->id : "", data[i].want, i);
	}
	char *js = ui_dump_json(&ctx, t);
	cJSON *root = cJSON_Parse(js);
	KT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(root, "screen")), "start", 0);
	KT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(root, "lang")), "sv", 0);
	cJSON *ws = cJSON_GetObjectItem(root, "widgets");
	KT_INTEQ(cJSON_GetArraySize(ws), 4, 0);
	cJSON *w0 = cJSON_GetArrayItem(ws, 0);
	KT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(w0, "label")), "Å ä", 0);
	KT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(w0, "role")), "button", 0);
	KT_INTEQ(cJSON_GetObjectItem(w0, "x")->valueint, 10, 0);
	/* a masked field never shows its digits, not even in the dump */
	cJSON *w3 = cJSON_GetArrayItem(ws, 3);
	KT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(w3, "label")), "****", 3);
	cJSON_Delete(root);
	free(js);
	free(t);
}

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
	struct flow_effects fx = fx_of(&fk);
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
		step(&k->f, &fx, "@receipt");
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
		/* a notice on every screen, one of the longest (checked against the
		 * same screen without it below) */
		snprintf(k->f.notice, sizeof k->f.notice, "%s",
			 s % 2 ? "ui.notice_db_down" : "ui.notice_scan_not_now");
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
	struct flow_effects fx = fx_of(&fk);
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
		struct scan_result r = scan_receipt("LONG");
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

KT_MAIN(KT_FUNC(test_answers_per_item), KT_FUNC(test_assisted_hand_back), KT_FUNC(test_call_withdrawn), KT_FUNC(test_page_rows), KT_FUNC(test_long_receipt_pages), KT_FUNC(test_flow_paths), KT_FUNC(test_flow_quantity_limits),
	KT_FUNC(test_flow_reset_wipes), KT_FUNC(test_contact_valid), KT_FUNC(test_key_apply),
	KT_FUNC(test_tree_hit_and_dump), KT_FUNC(test_screens_layout))
