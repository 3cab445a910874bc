/* The customer flow's fake effects (flow_fakes.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_fakes.h"
#include "ui/kiosk/kiosk.h"

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

struct flow_effects fake_fx(struct fake *fk)
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

struct scan_result fake_scan_receipt(const char *id)
{
	struct scan_result r = {.kind = SCAN_RECEIPT, .valid = true};
	snprintf(r.u.receipt.receipt_id, sizeof r.u.receipt.receipt_id, "%s", id);
	return r;
}

struct scan_result fake_scan_id(bool expired)
{
	struct scan_result r = {.kind = SCAN_ID_DOCUMENT, .valid = true};
	snprintf(r.u.id.given_names, sizeof r.u.id.given_names, "ANNA MARIA");
	snprintf(r.u.id.document_number, sizeof r.u.id.document_number, "D23145890");
	r.u.id.expired = expired;
	return r;
}

struct scan_result fake_scan_case(const char *token)
{
	struct scan_result r = {.kind = SCAN_CASE, .valid = true};
	snprintf(r.u.case_code.case_id, sizeof r.u.case_code.case_id, "K-000009");
	snprintf(r.u.case_code.token, sizeof r.u.case_code.token, "%s", token);
	return r;
}

void fake_step(struct flow *f, const struct flow_effects *fx, const char *s)
{
	struct scan_result r;
	if (!strcmp(s, "!save_busy")) {
		((struct fake *)fx->arg)->fail_register = KIOSK_EBUSY;
		return;
	}
	if (!strcmp(s, "!save_unsure")) {
		((struct fake *)fx->arg)->fail_register = KIOSK_EDOUBT;
		return;
	}
	if (s[0] != '@') {
		flow_tap(f, fx, s);
		return;
	}
	if (!strcmp(s, "@receipt"))
		r = fake_scan_receipt("RS004200320261122001234");
	else if (!strcmp(s, "@unknown_receipt"))
		r = fake_scan_receipt("RS004200320261122009999");
	else if (!strcmp(s, "@busy_receipt"))
		r = fake_scan_receipt("RS004200320261122000001");
	else if (!strcmp(s, "@down_receipt"))
		r = fake_scan_receipt("RS004200320261122000002");
	else if (!strcmp(s, "@busycase"))
		r = fake_scan_case("eeeeeeeeeeeeeeee");
	else if (!strcmp(s, "@id"))
		r = fake_scan_id(false);
	else if (!strcmp(s, "@id_expired"))
		r = fake_scan_id(true);
	else if (!strcmp(s, "@case"))
		r = fake_scan_case("0123456789abcdef");
	else if (!strcmp(s, "@badcase"))
		r = fake_scan_case("ffffffffffffffff");
	else
		r = (struct scan_result){.kind = SCAN_UNKNOWN, .valid = false};
	flow_scan(f, fx, &r);
}
