/* Case receipt layout: what goes on the paper, in which order and style.
 * Words come from assets/lang/LANG/receipt.ini; this file only arranges. */
#include "domain/case_receipt.h"

#include "domain/money.h"

#include "domain/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Font A is 12 dots wide on Epson-class printers: 576 / 12 = 48 columns on
 * 80 mm paper, 384 / 12 = 32 on 58 mm. */
#define FONT_A_DOTS 12

static const struct {
	int mm;
	int dots;
} paper_widths[] = {
	{80, 576},
	{58, 384},
};

int receipt_columns(int paper_dots)
{
	return paper_dots / FONT_A_DOTS;
}

int receipt_paper_dots(const struct kiosk_config *cfg, int *dots, struct kiosk_why *why)
{
	const char *v = config_get_str(cfg, "printer", "paper_mm", "80");
	for (size_t i = 0; i < sizeof(paper_widths) / sizeof(paper_widths[0]); i++) {
		char mm[12];
		snprintf(mm, sizeof mm, "%d", paper_widths[i].mm);
		if (!strcmp(v, mm)) {
			*dots = paper_widths[i].dots;
			return 0;
		}
	}
	return kiosk_fail(why, KIOSK_EINVAL,
			  "The paper width [printer] paper_mm = %.32s is not supported: use 80 or 58.",
			  v);
}

void receipt_doc_init(struct receipt_doc *d, int paper_dots)
{
	memset(d, 0, sizeof(*d));
	d->paper_dots = paper_dots;
	d->columns = receipt_columns(paper_dots);
}

void receipt_doc_free(struct receipt_doc *d)
{
	if (!d)
		return;
	free(d->items);
	d->items = NULL;
	d->n = d->cap = 0;
}

static struct doc_item *doc_push(struct receipt_doc *d, enum doc_kind kind)
{
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 32;
		struct doc_item *p = realloc(d->items, (size_t)cap * sizeof(*p));
		if (!p)
			return NULL;
		d->items = p;
		d->cap = cap;
	}
	struct doc_item *it = &d->items[d->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

/* Bytes of the character at s (one for a malformed byte, as it prints) and
 * the columns it takes on paper (a fallback like "..." takes three). */
static size_t u8_len(const char *s, size_t left, int *columns)
{
	uint32_t cp;
	size_t n = utf8_decode(s, left, &cp);
	*columns = utf8_columns(cp);
	return n;
}

static int emit_line(struct receipt_doc *d, const char *s, size_t bytes, enum doc_align align,
		     bool bold, bool dbl)
{
	struct doc_item *it = doc_push(d, DOC_TEXT);
	if (!it)
		return KIOSK_ENOMEM;
	if (bytes >= sizeof(it->text))
		bytes = sizeof(it->text) - 1;
	memcpy(it->text, s, bytes);
	it->text[bytes] = 0;
	it->align = align;
	it->bold = bold;
	it->dbl = dbl;
	return 0;
}

/* Greedy word wrap of one paragraph (no '\n') at cols characters. */
static int wrap_paragraph(struct receipt_doc *d, const char *p, size_t plen, int cols,
			  enum doc_align align, bool bold, bool dbl)
{
	char line[DOC_TEXT_MAX];
	size_t lb = 0;      /* bytes in line */
	int lc = 0;         /* columns in line */
	size_t i = 0;
	int rc;
	while (i < plen) {
		while (i < plen && p[i] == ' ')
			i++;
		if (i >= plen)
			break;
		size_t ws = i;
		int wc = 0, c;
		while (i < plen && p[i] != ' ') {
			i += u8_len(p + i, plen - i, &c);
			wc += c;
		}
		size_t wb = i - ws;
		const char *w = p + ws;
		if (lc > 0 && lc + 1 + wc <= cols) {
			line[lb++] = ' ';
			memcpy(line + lb, w, wb);
			lb += wb;
			lc += 1 + wc;
			continue;
		}
		if (lc > 0 && (rc = emit_line(d, line, lb, align, bold, dbl)))
			return rc;
		lb = 0;
		lc = 0;
		/* a word longer than a line is broken at the column count */
		while (wc > cols) {
			size_t cut = 0;
			int taken = 0;
			while (cut < wb) {
				size_t n = u8_len(w + cut, wb - cut, &c);
				if (taken + c > cols)
					break;
				cut += n;
				taken += c;
			}
			if (cut == 0) /* cannot happen with cols >= 4; never loop forever */
				break;
			if ((rc = emit_line(d, w, cut, align, bold, dbl)))
				return rc;
			w += cut;
			wb -= cut;
			wc -= taken;
		}
		memcpy(line, w, wb);
		lb = wb;
		lc = wc;
	}
	if (lc > 0 || plen == 0)
		return emit_line(d, line, lb, align, bold, dbl);
	return 0;
}

int receipt_doc_text(struct receipt_doc *d, const char *text, enum doc_align align, bool bold,
		     bool dbl)
{
	int cols = dbl ? d->columns / 2 : d->columns;
	for (const char *p = text;;) {
		const char *nl = strchr(p, '\n');
		size_t plen = nl ? (size_t)(nl - p) : strlen(p);
		int rc = wrap_paragraph(d, p, plen, cols, align, bold, dbl);
		if (rc || !nl)
			return rc;
		p = nl + 1;
	}
}

int receipt_doc_code(struct receipt_doc *d, enum doc_kind kind, const char *payload)
{
	struct doc_item *it = doc_push(d, kind);
	if (!it)
		return KIOSK_ENOMEM;
	snprintf(it->text, sizeof(it->text), "%s", payload);
	it->align = DOC_ALIGN_CENTER;
	return 0;
}

int receipt_doc_feed(struct receipt_doc *d, int lines)
{
	struct doc_item *it = doc_push(d, DOC_FEED);
	if (!it)
		return KIOSK_ENOMEM;
	it->feed = lines;
	return 0;
}

/* ---- the case receipt ------------------------------------------------ */

struct layout {
	struct receipt_doc *d;
	const struct i18n *t;
	int rc;             /* first failure; later calls do nothing */
};

static const char *word(const struct layout *l, const char *key)
{
	char full[96];
	snprintf(full, sizeof(full), "receipt.%s", key);
	return i18n_get(l->t, full);
}

static void put(struct layout *l, const char *text, enum doc_align a, bool bold, bool dbl)
{
	if (!l->rc)
		l->rc = receipt_doc_text(l->d, text, a, bold, dbl);
}

/* A template from receipt.ini with {name} values filled in. */
static void put_fill(struct layout *l, const char *key, const char *const *kv,
		     enum doc_align a, bool bold)
{
	char buf[1400];
	i18n_fill(buf, sizeof(buf), word(l, key), kv);
	put(l, buf, a, bold, false);
}

static void feed(struct layout *l)
{
	if (!l->rc)
		l->rc = receipt_doc_feed(l->d, 1);
}

/* "YYYY-MM-DD" and "HH:MM" of an instant in its own UTC offset. */
static void local_date_time(struct kiosk_time t, char date[16], char tod[8])
{
	date_format(time_local_days(t), date, 16);
	int64_t local = t.unix_s + (int64_t)t.offset_min * 60;
	int64_t sec = ((local % 86400) + 86400) % 86400;
	snprintf(tod, 8, "%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60));
}

static void layout_items(struct layout *l, const struct case_record *c)
{
	put(l, word(l, "items_heading"), DOC_ALIGN_LEFT, true, false);
	for (int i = 0; i < c->n_lines; i++) {
		const struct case_line *ln = &c->lines[i];
		char qty[16], reason_key[48];
		snprintf(qty, sizeof(qty), "%d", ln->quantity);
		const char *kv[] = {"quantity", qty, "description", ln->description, NULL};
		put_fill(l, "item_line", kv, DOC_ALIGN_LEFT, false);
		snprintf(reason_key, sizeof(reason_key), "reason_%s",
			 return_reason_name(ln->reason));
		const char *kv2[] = {"reason", word(l, reason_key), NULL};
		put_fill(l, "item_reason", kv2, DOC_ALIGN_LEFT, false);
	}
	if (c->customer_text[0]) {
		const char *kv[] = {"text", c->customer_text, NULL};
		put_fill(l, "your_words", kv, DOC_ALIGN_LEFT, false);
	}
}

static void layout_fault(struct layout *l, const struct case_record *c)
{
	put(l, word(l, "fault_heading"), DOC_ALIGN_LEFT, true, false);
	if (c->product[0]) {
		const char *kv[] = {"product", c->product, NULL};
		put_fill(l, "fault_product", kv, DOC_ALIGN_LEFT, false);
	}
	/* a fault picked from the kiosk's list is not "in your words" */
	if (c->customer_text[0]) {
		const char *kv[] = {"text", c->customer_text, NULL};
		put_fill(l, "fault_words", kv, DOC_ALIGN_LEFT, false);
	}
}

int case_receipt_build(const struct case_record *c, const struct kiosk_config *cfg,
		       const struct i18n *t, int paper_dots, const char *code_payload,
		       const struct kiosk_time *reprinted_at, struct receipt_doc *out,
		       struct kiosk_why *why)
{
	receipt_doc_init(out, paper_dots);
	struct layout l = {out, t, 0};
	const char *address = config_get_str(cfg, "store", "address", "");

	/* store */
	put(&l, cfg->store_name[0] ? cfg->store_name : cfg->store_id, DOC_ALIGN_CENTER, true, true);
	if (address[0])
		put(&l, address, DOC_ALIGN_CENTER, false, false);
	feed(&l);

	/* case number, date and time */
	put(&l, word(&l, c->kind == CASE_FAULT ? "title_fault" : "title_return"),
	    DOC_ALIGN_CENTER, true, false);
	const char *kv_id[] = {"case_id", c->case_id, NULL};
	char buf[128];
	i18n_fill(buf, sizeof(buf), word(&l, "case_number"), kv_id);
	put(&l, buf, DOC_ALIGN_CENTER, true, true);
	char date[16], tod[8];
	local_date_time(c->created_at, date, tod);
	const char *kv_when[] = {"date", date, "time", tod, NULL};
	put_fill(&l, "registered_at", kv_when, DOC_ALIGN_CENTER, false);
	if (reprinted_at) {
		/* a reprint carries a new code; say so where it is seen first */
		local_date_time(*reprinted_at, date, tod);
		const char *kv_re[] = {"date", date, "time", tod, NULL};
		put_fill(&l, "reprinted", kv_re, DOC_ALIGN_CENTER, true);
	}
	feed(&l);

	/* what was registered */
	if (c->kind == CASE_FAULT)
		layout_fault(&l, c);
	else
		layout_items(&l, c);
	feed(&l);

	/* the decision and why */
	put(&l, word(&l, "decision_heading"), DOC_ALIGN_LEFT, true, false);
	char okey[48];
	snprintf(okey, sizeof(okey), "outcome_%s", case_outcome_name(c->decision.outcome));
	put(&l, word(&l, okey), DOC_ALIGN_LEFT, true, false);
	if (c->decision.explanation[0])
		put(&l, c->decision.explanation, DOC_ALIGN_LEFT, false, false);
	if (c->decision.amount > 0) {
		char money[48];
		money_format(l.t, c->decision.amount, cfg->currency, money, sizeof(money));
		const char *kv[] = {"amount", money, NULL};
		put_fill(&l, "amount", kv, DOC_ALIGN_LEFT, false);
	}
	feed(&l);

	/* the next step and its promised date */
	if (c->decision.next_step[0] || c->decision.promised_day) {
		put(&l, word(&l, "next_heading"), DOC_ALIGN_LEFT, true, false);
		if (c->decision.next_step[0])
			put(&l, c->decision.next_step, DOC_ALIGN_LEFT, false, false);
		if (c->decision.promised_day) {
			date_format(c->decision.promised_day, date, sizeof(date));
			const char *kv[] = {"date", date, NULL};
			put_fill(&l, "promised", kv, DOC_ALIGN_LEFT, true);
		}
		feed(&l);
	}

	/* updates are promised only to a customer who gave a contact */
	if (c->wants_updates && c->contact[0]) {
		put(&l, word(&l, strchr(c->contact, '@') ? "updates_email" : "updates_sms"),
		    DOC_ALIGN_LEFT, false, false);
		feed(&l);
	}
	/* how to follow the case, and the code */
	put(&l, word(&l, "follow"), DOC_ALIGN_CENTER, false, false);
	if (!l.rc)
		l.rc = receipt_doc_code(out, DOC_QR, code_payload);
	put(&l, c->case_id, DOC_ALIGN_CENTER, false, false);
	feed(&l);

	/* the customer's rights, one sentence */
	put(&l, i18n_get(t, "common.store_rights"), DOC_ALIGN_LEFT, false, false);
	feed(&l);
	put(&l, word(&l, "thanks"), DOC_ALIGN_CENTER, false, false);

	if (l.rc) {
		receipt_doc_free(out);
		return kiosk_fail(why, l.rc, "Out of memory while laying out the receipt.");
	}
	return 0;
}
