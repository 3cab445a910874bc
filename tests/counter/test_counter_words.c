/* The counter's words for a wait (issue 12 point 11): minutes under an
 * hour, hours and minutes under a day, then days, in both languages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "ui/counter/counter_private.h"

static void test_wait(void)
{
	static const struct item {
		const char *lang;
		long long secs;
		const char *want;
	} data[] = {
		/* 0*/ {"sv", -5, "0 min"},
		/* 1*/ {"sv", 59, "0 min"},
		/* 2*/ {"sv", 9 * 60 + 30, "9 min"},
		/* 3*/ {"sv", 59 * 60, "59 min"},
		/* 4*/ {"sv", 69 * 60, "1 h 9 min"},
		/* 5*/ {"sv", 23 * 3600 + 59 * 60, "23 h 59 min"},
		/* 6*/ {"sv", 24 * 3600, "1 dag"},
		/* 7*/ {"sv", 2 * 24 * 3600 + 3600, "2 dagar"},
		/* 8*/ {"en", 69 * 60, "1 h 9 min"},
		/* 9*/ {"en", 24 * 3600 + 1, "1 day"},
		/*10*/ {"en", 10 * 24 * 3600, "10 days"},
	};
	const char *assets = getenv("KIOSK_ASSETS");
	struct i18n *sv = NULL, *en = NULL;
	struct kiosk_why why = {{0}};
	bool ok = assets && !i18n_create(&sv, assets, "sv", &why) &&
		  !i18n_create(&en, assets, "en", &why);
	KT_CHECK(ok, "assets: %s", why.text);
	if (!ok)
		goto out;
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		struct ui_ctx ctx = {.tr = !strcmp(data[i].lang, "sv") ? sv : en, .tr_sv = sv,
				     .tr_en = en};
		snprintf(ctx.lang, sizeof ctx.lang, "%s", data[i].lang);
		char got[48];
		counter_format_wait(&ctx, data[i].secs, got, sizeof got);
		KT_STREQ(got, data[i].want, i);
	}
out:
	i18n_destroy(sv);
	i18n_destroy(en);
}

/* Every event the store writes, in the staff's words: no event kind,
 * state, outcome, rule id or English fragment in the Swedish view. */
static void test_events(void)
{
	static const struct item {
		const char *event, *text, *want;
	} data[] = {
		/* 0*/ {"registered", "Return registered: refund (return.unopened.refund)",
			"Registrerat i kiosken: Pengarna tillbaka"},
		/* 1*/ {"registered", "Fault report registered: repair (fault.presumed)",
			"Registrerat i kiosken: Reparation"},
		/* 2*/ {"state", "at_repair: Varan är skickad på reparation.",
			"Nytt läge: På reparation. Varan är skickad på reparation."},
		/* 3*/ {"state", "closed", "Nytt läge: Avslutat"},
		/* 4*/ {"override", "store_credit (staff.override): kunden hade kvitto i mejlen",
			"Nytt beslut: Tillgodokvitto. Skäl: kunden hade kvitto i mejlen"},
		/* 5*/ {"promise", "Hämta varan i kassan. (by 2026-12-15)",
			"Nytt datum, senast 2026-12-15: Hämta varan i kassan."},
		/* 6*/ {"late", "by 2026-12-01, now by 2026-12-04",
			"Försenat: utlovat 2026-12-01, nytt datum 2026-12-04"},
		/* 7*/ {"note", "Ringde kunden", "Anteckning: Ringde kunden"},
		/* 8*/ {"contact", "updates by email", "Kunden vill ha uppdateringar via e-post"},
		/* 9*/ {"printed", "case receipt printed", "Ärendekvittot skrevs ut"},
		/*10*/ {"print_failed", "out of paper", "Ärendekvittot kunde inte skrivas ut"},
		/*11*/ {"code_renewed", "a new case code was printed; the code on earlier receipts no "
			"longer works", "Ny kod på ärendekvittot; den gamla slutade gälla"},
		/*12*/ {"viewed", "follow my case", "Kunden tittade på ärendet"},
		/*13*/ {"contact_removed", "", "Kontaktuppgiften togs bort"},
		/*14*/ {"purge", "contact details removed", "Kontaktuppgiften togs bort efter lagringstiden"},
		/*15*/ {"something_new", "x", "Händelse: something_new"},
	};
	const char *assets = getenv("KIOSK_ASSETS");
	struct i18n *sv = NULL;
	struct kiosk_why why = {{0}};
	bool ok = assets && !i18n_create(&sv, assets, "sv", &why);
	KT_CHECK(ok, "assets: %s", why.text);
	if (!ok)
		return;
	struct ui_ctx ctx = {.tr = sv, .tr_sv = sv, .lang = "sv"};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		char got[600];
		counter_event_words(&ctx, data[i].event, data[i].text, got, sizeof got);
		KT_STREQ(got, data[i].want, i);
	}
	i18n_destroy(sv);
}

KT_MAIN(KT_FUNC(test_wait), KT_FUNC(test_events))
