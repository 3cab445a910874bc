/* What speech says (app/ui/toolkit/speak.c), in Swedish and English: every control
 * with its role and state, a stepper's buttons with their row, a disabled
 * control saying it cannot be used, a screen read whole (texts, then the
 * screen's controls, then the bar), what changed within a screen, and the
 * explore-by-touch rule (first touch reads, a second on the same control
 * within UI_EXPLORE_MS acts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "ui/toolkit/speak.h"
#include "ui/toolkit/ui.h"

static struct i18n *sv, *en;

/* Both languages for one test (dropped by unload). */
static bool load(void)
{
	const char *assets = getenv("KIOSK_ASSETS");
	struct kiosk_why why = {{0}};
	bool ok = assets && !i18n_create(&sv, assets, "sv", &why) &&
		  !i18n_create(&en, assets, "en", &why);
	KT_CHECK(ok, "assets: %s", why.text);
	return ok;
}

static void unload(void)
{
	i18n_destroy(sv);
	i18n_destroy(en);
	sv = en = NULL;
}

static struct ui_ctx ctx_in(const char *lang)
{
	struct ui_ctx c = {.tr = !strcmp(lang, "sv") ? sv : en, .tr_sv = sv, .tr_en = en,
			   .win_w = 1080, .win_h = 1920};
	snprintf(c.lang, sizeof c.lang, "%s", lang);
	return c;
}

static void build(struct ui_tree *t, int chosen)
{
	ui_tree_clear(t);
	snprintf(t->screen, sizeof t->screen, "items");
	ui_tree_add(t, UI_ID_SPEECH, UI_ROLE_TOGGLE, "Läs upp", 0, 0, 100, 80, UI_ST_ON);
	ui_tree_add(t, UI_ID_LANG_SV, UI_ROLE_TOGGLE, "Svenska", 100, 0, 100, 80, UI_ST_ON);
	ui_tree_add(t, "heading", UI_ROLE_HEADING, "Vilka varor lämnar du tillbaka?", 0, 100, 900,
		    80, 0);
	char row[64];
	snprintf(row, sizeof row, "Strumpor\nValt: %d · 49 kr styck", chosen);
	ui_tree_add(t, "line_1", UI_ROLE_TEXT, row, 0, 200, 600, 120, chosen ? UI_ST_ON : 0);
	ui_tree_add(t, "line_1_minus", UI_ROLE_BUTTON, "−", 620, 200, 120, 120, 0)->enabled =
		chosen > 0;
	ui_tree_add(t, "line_1_plus", UI_ROLE_BUTTON, "+", 760, 200, 120, 120, 0)->enabled =
		chosen < 3;
	ui_tree_add(t, "next", UI_ROLE_BUTTON, "Fortsätt", 0, 400, 900, 120, UI_ST_PRIMARY);
	ui_tree_add(t, "input", UI_ROLE_INPUT, "", 0, 600, 900, 100, 0);
	ui_tree_add(t, "qr", UI_ROLE_IMAGE, "KC1:K-000001:0123456789abcdef", 0, 700, 200, 200, 0)
		->image = UI_IMG_QR;
	ui_tree_add(t, "key_a", UI_ROLE_KEY, "a", 0, 900, 90, 90, 0);
	/* an answer given before: the customer came back to the question */
	ui_tree_add(t, "reason_faulty", UI_ROLE_BUTTON, "Den är trasig", 0, 1000, 900, 120, UI_ST_ON);
	/* the speech toggle again at the bottom edge: read when touched, not
	 * twice when the screen is read */
	ui_tree_add(t, UI_ID_SPEECH UI_ID_LOW, UI_ROLE_TOGGLE, "Läs upp", 0, 1800, 300, 100, UI_ST_ON);
}

static void test_widgets(void)
{
	static const struct item {
		const char *lang;
		const char *id;
		int chosen;
		const char *want;
	} data[] = {
		/* 0*/ {"sv", "next", 0, "Fortsätt, knapp"},
		/* 1*/ {"sv", "line_1_plus", 2,
			"Lägg till en: Strumpor. Valt: 2 , 49 kr styck, knapp"},
		/* 2*/ {"sv", "line_1_minus", 0,
			"Ta bort en: Strumpor. Valt: 0 , 49 kr styck, knapp, går inte att välja nu"},
		/* 3*/ {"sv", "line_1_plus", 3,
			"Lägg till en: Strumpor. Valt: 3 , 49 kr styck, knapp, går inte att välja nu"},
		/* 4*/ {"sv", UI_ID_SPEECH, 0, "Läs upp, på, knapp"},
		/* 5*/ {"sv", UI_ID_LANG_SV, 0, "Svenska, vald"},
		/* 6*/ {"sv", "input", 0, "textfält, tomt"},
		/* 7*/ {"sv", "qr", 0, ""},
		/* 8*/ {"sv", "key_a", 0, "a, tangent"},
		/* 9*/ {"en", "next", 0, "Fortsätt, button"},
		/*10*/ {"en", "line_1_minus", 0,
			"Remove one: Strumpor. Valt: 0 , 49 kr styck, button, cannot be chosen now"},
		/*11*/ {"sv", "heading", 0, "Vilka varor lämnar du tillbaka?"},
		/*12*/ {"sv", "reason_faulty", 0, "Den är trasig, vald, knapp"},
		/*13*/ {"en", "reason_faulty", 0, "Den är trasig, selected, button"},
		/*14*/ {"sv", UI_ID_SPEECH UI_ID_LOW, 0, "Läs upp, på, knapp"},
	};
	if (!load())
		return;
	struct ui_tree *t = calloc(1, sizeof *t);
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct ui_ctx c = ctx_in(data[i].lang);
		build(t, data[i].chosen);
		char got[600];
		ui_speak_widget(&c, t, ui_tree_find(t, data[i].id), got, sizeof got);
		KT_STREQ(got, data[i].want, i);
	}
	free(t);
	unload();
}

static void test_screen_and_changes(void)
{
	if (!load())
		return;
	struct ui_tree *t = calloc(1, sizeof *t), *u = calloc(1, sizeof *u);
	struct ui_ctx c = ctx_in("sv");
	char text[2048], controls[2048], news[600];
	build(t, 1);
	ui_speak_screen(&c, t, text, sizeof text, controls, sizeof controls);
	/* the row is read with its buttons, not twice; the code is never read */
	KT_STREQ(text, "Vilka varor lämnar du tillbaka?", 0);
	KT_STREQ(controls,
		 "På skärmen: Strumpor. Valt: 1 , 49 kr styck. Ta bort en, knapp. Lägg till en, "
		 "knapp. Fortsätt, knapp. textfält, tomt. Den är trasig, vald, knapp. Ett "
		 "tangentbord. Dra fingret över det för att höra tangenterna. Läs upp, på, knapp. "
		 "Svenska, vald.",
		 0);
	/* texts follow the heading as sentences: a question mark is not
	 * followed by a second stop, a text without one gets it */
	ui_tree_add(t, "hint", UI_ROLE_TEXT, "Välj en eller flera", 0, 300, 900, 60, 0);
	ui_tree_add(t, "more", UI_ROLE_TEXT, "Du kan ändra dig.", 0, 380, 900, 60, 0);
	ui_speak_screen(&c, t, text, sizeof text, controls, sizeof controls);
	KT_STREQ(text, "Vilka varor lämnar du tillbaka? Välj en eller flera. Du kan ändra dig.", 5);
	/* a screen's own sentence replaces the texts */
	snprintf(t->speak, sizeof t->speak, "Vi börjar om snart.");
	ui_speak_screen(&c, t, text, sizeof text, controls, sizeof controls);
	KT_STREQ(text, "Vi börjar om snart.", 1);
	/* "+" tapped: the new count is heard; nothing else changed */
	build(t, 1);
	build(u, 2);
	ui_speak_changes(&c, t, u, news, sizeof news);
	KT_STREQ(news, "Strumpor. Valt: 2 , 49 kr styck", 2);
	/* a notice that appears is heard */
	ui_tree_add(u, "notice", UI_ROLE_TEXT, "Utskriften är klar.", 0, 1000, 900, 80, 0);
	build(t, 2);
	ui_speak_changes(&c, t, u, news, sizeof news);
	KT_STREQ(news, "Utskriften är klar.", 3);
	/* nothing new: silence */
	ui_speak_changes(&c, u, u, news, sizeof news);
	KT_STREQ(news, "", 4);
	free(t);
	free(u);
	unload();
}

static void test_explore(void)
{
	struct ui_ctx c = {.lang = "sv", .win_w = 1080, .win_h = 1920};
	KT_CHECK(ui_explore_touch(&c, "next", 500, 900, 1000), "speech off: a touch acts");
	c.speech_on = true;
	KT_CHECK(!ui_explore_touch(&c, "next", 500, 900, 1000), "the first touch reads");
	KT_CHECK(!ui_explore_touch(&c, "back", 500, 1200, 2000), "another control: read, not act");
	KT_CHECK(ui_explore_touch(&c, "back", 530, 1180, 3000), "the same control again: acts");
	KT_CHECK(!ui_explore_touch(&c, "back", 530, 1180, 4000),
		 "after acting, the next touch reads again");
	KT_CHECK(!ui_explore_touch(&c, "back", 530, 1180, 4000 + UI_EXPLORE_MS + 1),
		 "too long after: read again");
	KT_CHECK(ui_explore_touch(&c, "back", 530, 1180, 4000 + UI_EXPLORE_MS + 2), "then it acts");
	/* a finger moving along a wide button reads it again, it does not press it */
	KT_CHECK(!ui_explore_touch(&c, "talk", 135, 1700, 20000), "a wide button, read");
	KT_CHECK(!ui_explore_touch(&c, "talk", 405, 1700, 20500), "further along it: read again");
	KT_CHECK(!ui_explore_touch(&c, "talk", 405, 1590, 21000), "higher up on it: read again");
	KT_CHECK(ui_explore_touch(&c, "talk", 420, 1610, 21500), "the same place again: acts");
	/* the same place scales with the window (about 17 mm) */
	c.win_w = 2160;
	c.win_h = 3840;
	KT_CHECK(!ui_explore_touch(&c, "talk", 1000, 3000, 30000), "4K: read");
	KT_CHECK(ui_explore_touch(&c, "talk", 1100, 3100, 30500), "4K: 100 px is the same place");
}

static const char *near_id(const struct ui_tree *t, int x, int y, int r)
{
	const struct ui_widget *w = ui_tree_near(t, x, y, r);
	return w ? w->id : "(nothing)";
}

static void test_near(void)
{
	struct ui_tree *t = calloc(1, sizeof *t);
	if (!t)
		abort();
	ui_tree_add(t, "yes", UI_ROLE_BUTTON, "Ja", 40, 1000, 1000, 120, 0);
	ui_tree_add(t, "no", UI_ROLE_BUTTON, "Nej", 40, 1144, 1000, 120, 0);
	ui_tree_add(t, "gap", UI_ROLE_IMAGE, "", 40, 1120, 1000, 24, 0); /* no label: not read */
	KT_STREQ(near_id(t, 500, 1050, 30), "yes", 1);
	KT_STREQ(near_id(t, 500, 1125, 30), "yes", 2); /* in the gap, nearer "Ja" */
	KT_STREQ(near_id(t, 500, 1140, 30), "no", 3);  /* nearer "Nej" */
	KT_STREQ(near_id(t, 500, 900, 30), "(nothing)", 4); /* far from everything */
	KT_STREQ(near_id(t, 500, 1125, 0), "(nothing)", 5); /* r 0: only what is under it */
	KT_STREQ(near_id(t, 1070, 1050, 30), "(nothing)", 6); /* beside the buttons, too far */
	/* an overlay (the idle prompt) over them: what is below is not read */
	ui_tree_add(t, "overlay", UI_ROLE_IMAGE, "", 0, 0, 1080, 1920, UI_ST_PANEL);
	ui_tree_add(t, "still_here", UI_ROLE_BUTTON, "Jag är kvar", 90, 900, 900, 120, 0);
	KT_STREQ(near_id(t, 500, 1200, 30), "(nothing)", 7);
	KT_STREQ(near_id(t, 500, 950, 30), "still_here", 8);
	KT_STREQ(near_id(t, 500, 1030, 30), "still_here", 9); /* just below it */
	free(t);
}

KT_MAIN(KT_FUNC(test_widgets), KT_FUNC(test_screen_and_changes), KT_FUNC(test_explore),
	KT_FUNC(test_near))
