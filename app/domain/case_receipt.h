/* The printed case receipt as a document: an ordered list of lines with
 * their style, and the code, laid out for a paper width. Pure: the case,
 * the store's configuration and the words in the case's language come in;
 * an encoder (drivers/escpos.h) or a preview turns the document into
 * something physical. */
#ifndef KIOSK_DOMAIN_CASE_RECEIPT_H
#define KIOSK_DOMAIN_CASE_RECEIPT_H

#include <stdbool.h>
#include "core/config.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/model.h"

enum doc_align { DOC_ALIGN_LEFT, DOC_ALIGN_CENTER, DOC_ALIGN_RIGHT };

enum doc_kind {
	DOC_TEXT,     /* one printed line, already wrapped to the columns */
	DOC_QR,       /* text is the payload of a QR code */
	DOC_CODE128,  /* text is the payload of a Code 128 barcode */
	DOC_FEED,     /* `feed` empty lines */
};

#define DOC_TEXT_MAX 256   /* one line of at most 48 characters, or a payload */

struct doc_item {
	enum doc_kind kind;
	enum doc_align align;
	bool bold;
	bool dbl;          /* double width and height: half the columns */
	int feed;
	char text[DOC_TEXT_MAX];
};

struct receipt_doc {
	int columns;        /* characters a line in font A: 48 (80 mm) or 32 (58 mm) */
	int paper_dots;     /* 576 or 384 */
	int n;
	int cap;
	struct doc_item *items; /* owned; receipt_doc_free */
};

/* Columns of font A (12 dots a character) for a paper width in dots. */
int receipt_columns(int paper_dots);
/* Paper width in dots from [printer] paper_mm (80 -> 576, 58 -> 384);
 * anything else is refused with KIOSK_EINVAL. */
int receipt_paper_dots(const struct kiosk_config *cfg, int *dots, struct kiosk_why *why);

/* An empty document for a paper width. */
void receipt_doc_init(struct receipt_doc *d, int paper_dots);
void receipt_doc_free(struct receipt_doc *d);
/* Add UTF-8 text wrapped on words at the column count (characters, not
 * bytes; half the columns when dbl); a word longer than a line is broken.
 * "\n" in text starts a new line. 0 or KIOSK_ENOMEM. */
int receipt_doc_text(struct receipt_doc *d, const char *text, enum doc_align align, bool bold,
		     bool dbl);
int receipt_doc_code(struct receipt_doc *d, enum doc_kind kind, const char *payload);
int receipt_doc_feed(struct receipt_doc *d, int lines);

/* Lay out the case receipt (interfaces.md §7): store, case number, date and
 * time, what was registered, the decision and why, the next step and its
 * promised date, how to follow the case, the customer's rights, and the
 * code (code_payload, e.g. "KC1:K-000123:9f3a..."). t holds the words in
 * the case's language (assets/lang/LANG/receipt.ini and common.ini).
 * reprinted_at: NULL for the first print; for a reprint, when it was made
 * (the receipt then says that earlier receipts' codes no longer work).
 * The caller frees out with receipt_doc_free. */
int case_receipt_build(const struct case_record *c, const struct kiosk_config *cfg,
		       const struct i18n *t, int paper_dots, const char *code_payload,
		       const struct kiosk_time *reprinted_at, struct receipt_doc *out,
		       struct kiosk_why *why);

#endif
