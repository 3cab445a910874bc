/* Receipt import CSV (interfaces.md §5): UTF-8, RFC 4180 quoting, a header
 * row, one row per receipt line:
 *
 *   receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,currency,category
 *
 * Pure parser: bytes in, receipts out, or the first problem as
 * "line N: reason" (N is the file line where the offending row starts).
 * Rows of one receipt may stand anywhere in the file; they must agree on
 * store, register, time and currency. The receipt_id must be a receipt
 * code of the store's barcode layout as the kiosk's scan parser reads it
 * (scan_parse), and agree with the store, register and local date given. */
#ifndef KIOSK_DOMAIN_IMPORT_CSV_H
#define KIOSK_DOMAIN_IMPORT_CSV_H

#include <stddef.h>
#include "domain/import_common.h"

/* The header row, exactly. */
extern const char import_csv_header[];

/* Parse data[0..len) into out (zero-initialised by the caller, freed with
 * import_batch_free; on failure it is left empty). progress may be NULL. */
int import_csv_parse(const char *data, size_t len, const struct import_opts *o,
		     struct import_batch *out, import_progress_fn progress, void *arg,
		     struct kiosk_why *why);

/* Rows without the header, numbered from first_line: the later part of a
 * large file, parsed on another thread and merged with
 * import_batch_merge. The part must start at a line start outside quotes
 * (a quoted line break is refused anyway, so a split at a line break
 * either is one or makes the earlier part fail). */
int import_csv_parse_rows(const char *data, size_t len, long first_line,
			  const struct import_opts *o, struct import_batch *out,
			  struct kiosk_why *why);

#endif
