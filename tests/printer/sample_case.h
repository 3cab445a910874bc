/* The case the printer tests print: a return with Swedish letters, the euro
 * sign and typographic punctuation in the customer's words, so one receipt
 * exercises the code page, the fallbacks and wrapping. Shared by the unit
 * tests and printer_tool. */
#ifndef KIOSK_TESTS_SAMPLE_CASE_H
#define KIOSK_TESTS_SAMPLE_CASE_H

#include <stdio.h>
#include <string.h>
#include "core/date.h"
#include "domain/model.h"

#define SAMPLE_TOKEN "9f3a6b2c1d4e5f60"
#define SAMPLE_CASE_ID "K-000123"
#define SAMPLE_CODE "KC1:K-000123:9f3a6b2c1d4e5f60"

/* Fills c (whose lines point at the static line) for lang "sv" or "en". */
static inline void sample_case(struct case_record *c, const char *lang)
{
	static struct case_line line;
	memset(c, 0, sizeof(*c));
	memset(&line, 0, sizeof(line));
	snprintf(c->case_id, sizeof(c->case_id), "%s", SAMPLE_CASE_ID);
	c->kind = CASE_RETURN;
	c->state = CASE_REGISTERED;
	snprintf(c->store, sizeof(c->store), "0042");
	snprintf(c->receipt_id, sizeof(c->receipt_id), "RS004200320261122001234");
	snprintf(c->lang, sizeof(c->lang), "%s", lang);
	time_parse_iso("2026-11-23T10:07:00+01:00", &c->created_at);
	c->updated_at = c->created_at;
	line.receipt_line = 1;
	snprintf(line.sku, sizeof(line.sku), "SKU-1001");
	snprintf(line.description, sizeof(line.description),
		 "Hörlurar Brusreducerande Över-öra Svart");
	line.quantity = 1;
	line.unit_price = 49900;
	snprintf(line.category, sizeof(line.category), "electronics");
	line.reason = REASON_OTHER;
	line.condition = COND_UNOPENED;
	c->lines = &line;
	c->n_lines = 1;
	snprintf(c->customer_text, sizeof(c->customer_text),
		 "Fel färg – jag ville ha “blå”. Kostade 12 € extra. ÅÄÖ åäö é…");
	c->decision.outcome = OUTCOME_REFUND;
	snprintf(c->decision.rule, sizeof(c->decision.rule), "return.within_window");
	snprintf(c->decision.explanation, sizeof(c->decision.explanation),
		 "%s", !strcmp(lang, "en")
		 ? "You are returning it within 30 days, so you get your money back."
		 : "Du lämnar tillbaka varan inom 30 dagar, så du får pengarna tillbaka.");
	c->decision.amount = 49900;
	snprintf(c->decision.next_step, sizeof(c->decision.next_step), "%s",
		 !strcmp(lang, "en") ? "The money goes back to the card you paid with."
				     : "Pengarna sätts in på kortet du betalade med.");
	c->decision.promised_day = date_days_from_civil(2026, 11, 30);
}

/* A fault report: no receipt lines, the product and the fault in the
 * customer's words, a repair with no money and a promised date. */
static inline void sample_fault_case(struct case_record *c, const char *lang)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->case_id, sizeof(c->case_id), "K-000124");
	c->kind = CASE_FAULT;
	c->state = CASE_WAITING_STAFF;
	snprintf(c->store, sizeof(c->store), "0042");
	snprintf(c->lang, sizeof(c->lang), "%s", lang);
	time_parse_iso("2026-11-23T16:45:00+01:00", &c->created_at);
	c->updated_at = c->created_at;
	snprintf(c->product, sizeof(c->product), "Kaffebryggare Moccamaster KB741");
	snprintf(c->customer_text, sizeof(c->customer_text),
		 "Den slutade värma efter två veckor, lampan lyser men vattnet blir kallt.");
	c->decision.outcome = OUTCOME_REPAIR;
	snprintf(c->decision.rule, sizeof(c->decision.rule), "fault.under_warranty");
	snprintf(c->decision.explanation, sizeof(c->decision.explanation), "%s",
		 !strcmp(lang, "en") ? "The fault is covered by the warranty, so we repair it for free."
				     : "Felet täcks av garantin, så vi reparerar varan utan kostnad.");
	snprintf(c->decision.next_step, sizeof(c->decision.next_step), "%s",
		 !strcmp(lang, "en") ? "Leave the item at the service desk; we send it for repair."
				     : "Lämna varan i kundtjänst, så skickar vi den på reparation.");
	c->decision.promised_day = date_days_from_civil(2026, 12, 14);
}

#endif
