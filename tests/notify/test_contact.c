/* Contacts as customers type them: normalised to one form (E.164, an
 * e-mail address with its domain in lower case) or refused; masked for a
 * staff screen. */
#include <string.h>

#include "domain/contact.h"
#include "ktest.h"

static void test_normalise(void)
{
	static const struct item {
		const char *in;
		enum contact_channel want_ch;
		const char *want;
	} data[] = {
		/* 0*/ {"070-123 45 67", CONTACT_SMS, "+46701234567"},
		/* 1*/ {"0701234567", CONTACT_SMS, "+46701234567"},
		/* 2*/ {"+46 70 123 45 67", CONTACT_SMS, "+46701234567"},
		/* 3*/ {"0046701234567", CONTACT_SMS, "+46701234567"},
		/* 4*/ {"+47 912 34 567", CONTACT_SMS, "+4791234567"},
		/* 5*/ {"  08-123 456 78 ", CONTACT_SMS, "+46812345678"},
		/* 6*/ {"(070) 123 45 67", CONTACT_SMS, "+46701234567"},
		/* 7*/ {"1234567", CONTACT_NONE, ""},            /* no trunk 0, no + */
		/* 8*/ {"070 12", CONTACT_NONE, ""},             /* too short */
		/* 9*/ {"+4670123456789012", CONTACT_NONE, ""},  /* past 15 digits */
		/*10*/ {"070+1234567", CONTACT_NONE, ""},        /* + inside */
		/*11*/ {"00", CONTACT_NONE, ""},
		/*12*/ {"Anna.Berg@Example.SE", CONTACT_EMAIL, "Anna.Berg@example.se"},
		/*13*/ {" karin@ex-ample.se ", CONTACT_EMAIL, "karin@ex-ample.se"},
		/*14*/ {"a@b", CONTACT_NONE, ""},                /* no dot in the domain */
		/*15*/ {"@example.se", CONTACT_NONE, ""},
		/*16*/ {"anna@@example.se", CONTACT_NONE, ""},
		/*17*/ {"anna berg@example.se", CONTACT_NONE, ""},
		/*18*/ {"anna@example.se.", CONTACT_NONE, ""},
		/*19*/ {"anna..berg@example.se", CONTACT_NONE, ""},
		/*20*/ {"anna@example..se", CONTACT_NONE, ""},
		/*21*/ {"anna+kiosk@example.se", CONTACT_EMAIL, "anna+kiosk@example.se"},
		/*22*/ {"åsa@exempel.se", CONTACT_EMAIL, "åsa@exempel.se"},
		/*23*/ {"", CONTACT_NONE, ""},
		/*24*/ {"anna@exam<ple.se", CONTACT_NONE, ""},
		/*25*/ {"anna@example.se\r\nBcc: x@y.se", CONTACT_NONE, ""}, /* header injection */
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		if (!KT_ROW_SELECTED(i))
			continue;
		char out[260] = "x";
		KT_INTEQ(contact_normalise(data[i].in, out, sizeof out), data[i].want_ch, i);
		KT_STREQ(out, data[i].want, i);
	}
	char small[8];
	KT_INTEQ(contact_normalise("0701234567", small, sizeof small), CONTACT_NONE, -1);
	KT_STREQ(small, "", -1);
}

static void test_mask(void)
{
	static const struct item {
		const char *in, *want;
	} data[] = {
		{"+46701234512", "+46 70\u2022\u2022 \u2022\u2022\u2022 \u202212"},
		{"anna.berg@example.se", "a\u2022\u2022\u2022@example.se"},
		{"+4612", "\u2022\u2022\u2022"},
	};
	for (int i = 0; i < (int)KT_ARRAY_SIZE(data); i++) {
		char out[64];
		contact_mask(data[i].in, out, sizeof out);
		KT_STREQ(out, data[i].want, i);
	}
}

KT_MAIN(KT_FUNC(test_normalise), KT_FUNC(test_mask))
