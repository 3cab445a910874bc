/* Unit tests of the UI framework and the customer flow, without SDL: the
 * flow driven by taps and scans against fake effects (flow_fakes.c), the
 * keyboard, the tree's hit test and dump JSON. The screens' layout is
 * test_ui_layout.c. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "flow_fakes.h"
#include "ktest.h"
#include "ui/kiosk/flow.h"
#include "ui/kiosk/kiosk.h"
#include "ui/toolkit/ui.h"

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
		/* a save whose answer was lost may stand: not offered again (it
		 * could stand twice), the customer is sent to staff */
		/*62*/ {{"@receipt", "return", "line_1_plus", "next", "reason_changed_mind",
		       "cond_unopened", "!save_unsure", "confirm"},
			FS_START, "ui.notice_save_unsure", 1, 0},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct fake fk = {0};
		struct flow_effects fx = fake_fx(&fk);
		struct flow f;
		flow_init(&f);
		for (int s = 0; s < 32 && data[i].steps[s]; s++)
			fake_step(&f, &fx, data[i].steps[s]);
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
		struct flow_effects fx = fake_fx(&fk);
		struct flow f;
		flow_init(&f);
		for (int s = 0; s < 20 && data[i].steps[s]; s++)
			fake_step(&f, &fx, data[i].steps[s]);
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
		struct flow_effects fx = fake_fx(&fk);
		struct flow f;
		flow_init(&f);
		for (int s = 0; s < 8 && data[i].steps[s]; s++) {
			if (data[i].answered && f.called)
				f.call_waiting = false; /* what kiosk_tick learns from the store */
			fake_step(&f, &fx, data[i].steps[s]);
		}
		KT_INTEQ(fk.withdraws, data[i].withdraws, i);
		KT_STREQ(flow_screen_name(f.screen), "start", i);
		flow_reset(&f);
	}
}

static void test_flow_quantity_limits(void)
{
	struct fake fk = {0};
	struct flow_effects fx = fake_fx(&fk);
	struct flow f;
	flow_init(&f);
	fake_step(&f, &fx, "@receipt");
	fake_step(&f, &fx, "return");
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
	struct flow_effects fx = fake_fx(&fk);
	struct flow f;
	flow_init(&f);
	fake_step(&f, &fx, "@id");
	fake_step(&f, &fx, "continue");
	fake_step(&f, &fx, "return");
	fake_step(&f, &fx, "key_x");
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





KT_MAIN(KT_FUNC(test_answers_per_item), KT_FUNC(test_call_withdrawn), KT_FUNC(test_flow_paths),
	KT_FUNC(test_flow_quantity_limits), KT_FUNC(test_flow_reset_wipes), KT_FUNC(test_contact_valid),
	KT_FUNC(test_key_apply), KT_FUNC(test_tree_hit_and_dump))
