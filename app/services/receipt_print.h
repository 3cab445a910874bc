/* Printing a case receipt: read the case, lay out the receipt in the
 * case's language, encode ESC/POS, send it to the printer, and record the
 * result on the case. The case is already committed: a failed print only
 * marks it "receipt not printed" (timeline event print_failed with the
 * reason) and it can be printed again. */
#ifndef KIOSK_SERVICES_RECEIPT_PRINT_H
#define KIOSK_SERVICES_RECEIPT_PRINT_H

#include "core/config.h"
#include "core/date.h"
#include "core/err.h"
#include "drivers/escpos.h"
#include "drivers/printer.h"
#include "store/store_handle.h"

/* The receipt of case c as ESC/POS bytes, with the code
 * "KC1:<case_id>:<token_hex>"; reprinted_at as case_receipt_build (NULL for
 * the first print). out is freed with escpos_free. */
int receipt_print_encode(const struct case_record *c, const struct kiosk_config *cfg,
			 const char *assets_dir, const char *token_hex, int paper_dots,
			 const struct kiosk_time *reprinted_at, struct escpos *out,
			 struct kiosk_why *why);

/* Print case_id's receipt on p and record the result (store_case_set_printed).
 * token_hex: the token the case was just created with (first print), or
 * NULL for a reprint, which prints a new token (only a hash is stored, so
 * the old code cannot be printed again): the new code works from the start,
 * and the old receipt's code stops working only once the new receipt has
 * printed (store_case_stage_token). A print failure returns KIOSK_EDEVICE (or the transport's error)
 * with the reason, after recording it. */
int receipt_print_case(struct store *s, struct printer *p, const struct kiosk_config *cfg,
		       const char *assets_dir, const char *case_id, const char *token_hex,
		       struct kiosk_time now, struct kiosk_why *why);
/* The printer named for case_id could not be reached at all: a failed
 * print of the case, with reason, for staff to see (an unknown case leaves
 * nothing to record on and is not an error here). */
void receipt_print_unreachable(struct store *s, const char *case_id, const char *reason,
			       struct kiosk_time now);

#endif
