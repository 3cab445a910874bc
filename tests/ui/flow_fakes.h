/* The customer flow's effects, faked for unit tests (test_ui_units,
 * test_ui_layout): receipts, cases and calls answered from fixed data, with
 * counts of what the flow asked for. */
#ifndef KIOSK_TESTS_FLOW_FAKES_H
#define KIOSK_TESTS_FLOW_FAKES_H

#include <stdbool.h>

#include "ui/kiosk/flow.h"

struct fake {
	int loads, decides, registers, calls, cases, contacts, prints, withdraws;
	int fail_register; /* the error registering returns, 0: none */
	char last_call_case[CASE_ID_MAX];
};

/* The effects, all pointing at fk. */
struct flow_effects fake_fx(struct fake *fk);
/* Scans as the parser would deliver them. */
struct scan_result fake_scan_receipt(const char *id);
struct scan_result fake_scan_id(bool expired);
struct scan_result fake_scan_case(const char *token);
/* A script step: a tap id; "@receipt", "@unknown_receipt", "@busy_receipt",
 * "@down_receipt", "@id", "@id_expired", "@case", "@badcase", "@busycase",
 * "@junk" for scans; "!save_busy" makes registering find the database busy. */
void fake_step(struct flow *f, const struct flow_effects *fx, const char *s);

#endif
