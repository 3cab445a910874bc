/* The demo store (kiosk demo-data): store 0042 with receipts over the last
 * 400 days, staff with demo PINs, a dozen cases in every state (some
 * overdue, some with a "talk to a person" call), and a printable sheet of
 * real barcodes to try every flow with a USB scanner.
 *
 * Deterministic: a seeded generator, no randomness from the system, so
 * the same database gets the same data. Idempotent: the data is anchored
 * on the day of the first run (found again through the anchor receipt),
 * receipts import idempotently, staff are matched by name and cases by
 * their receipt, so running it again adds nothing. */
#ifndef KIOSK_SERVICES_DEMO_H
#define KIOSK_SERVICES_DEMO_H

#include <stdint.h>
#include "core/config.h"
#include "core/date.h"
#include "core/err.h"
#include "core/i18n.h"
#include "store/store_handle.h"

#define DEMO_MAX_CODES 16

enum demo_code_kind {
	DEMO_CODE_RECEIPT,   /* Code 128 receipt barcode */
	DEMO_CODE_CASE,      /* QR of a case receipt, KC1:... */
	DEMO_CODE_STAFF,     /* Code 128 staff card, KS1:... */
	DEMO_CODE_MRZ,       /* specimen ID card: MRZ text lines (and a QR of them) */
};

/* One code on the demo sheet. */
struct demo_code {
	enum demo_code_kind kind;
	char payload[128];   /* what the code holds; MRZ: lines joined by '\r' */
	char caption[256];   /* what the sheet says about it, in the sheet's language */
};

struct demo_result {
	int64_t anchor_day;  /* local day the demo data is relative to */
	int n_receipts;      /* demo receipts (new or not) */
	int n_new_receipts;
	int n_new_staff;
	int n_cases;         /* demo cases present after the run */
	int n_new_cases;
	int n_new_calls;
	struct demo_code codes[DEMO_MAX_CODES];
	int n_codes;
};

/* Seed the database. t gives the captions of the sheet's codes and the
 * cases' decisions (the policy's sentences). */
int demo_seed(struct store *s, const struct kiosk_config *cfg, const struct i18n *t,
	      struct kiosk_time now, struct demo_result *out, struct kiosk_why *why);

/* Write the sheet: title, then each code as a real barcode made with zint
 * with its caption, as one PNG (A4 at 150 dpi). */
int demo_sheet_write(const struct demo_result *r, const struct kiosk_config *cfg,
		     const struct i18n *t, const char *path, struct kiosk_why *why);

#endif
