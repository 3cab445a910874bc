/* ARTS POSLog XML receipt import (the retail industry's transaction log),
 * parsed with expat; namespaces allowed, DTDs refused.
 *
 * Read: POSLog/Transaction with RetailStoreID, WorkstationID,
 * SequenceNumber, BusinessDayDate, EndDateTime (with UTC offset),
 * CurrencyCode; its RetailTransaction/LineItem/Sale with ItemID (or
 * POSIdentity/POSItemID), Description, Quantity, ActualSalesUnitPrice or
 * RegularSalesUnitPrice or ExtendedAmount (divided by the quantity),
 * MerchandiseHierarchy (the policy category), and a Currency/CurrencyCode
 * attribute on amounts. Skipped: transactions that are not retail,
 * cancelled or training ones, voided line items, line items that are not
 * a Sale (tender, tax, returns).
 *
 * The receipt_id is built from store, workstation, business day and
 * sequence number with the store's barcode layout, so it is exactly what
 * the POS prints in the receipt barcode. */
#ifndef KIOSK_DOMAIN_IMPORT_POSLOG_H
#define KIOSK_DOMAIN_IMPORT_POSLOG_H

#include <stddef.h>
#include "domain/import_common.h"

/* Parse data[0..len) into out (zero-initialised by the caller, freed with
 * import_batch_free; on failure left empty). Problems are refused as
 * "line N: reason". progress may be NULL. */
int import_poslog_parse(const char *data, size_t len, const struct import_opts *o,
			struct import_batch *out, import_progress_fn progress, void *arg,
			struct kiosk_why *why);

#endif
