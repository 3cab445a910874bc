/* ARTS POSLog import with expat: a small element stack, the text of the
 * current leaf, and one transaction and one line item being collected.
 * Values are taken when their element closes, by element and parent name,
 * so the same name elsewhere (a Description inside a Tender) is ignored. */
#include "domain/import_poslog.h"

#include <expat.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define NAME_MAX_LEN 40
#define TEXT_MAX 1024
#define MAX_LINE_NO 9999
#define MAX_QUANTITY 100000
#define CHUNK (1 << 20)   /* fed to expat at a time; progress between chunks */
#define NS_SEP '\x01'

struct item {
	long at;              /* file line of <LineItem> */
	bool is_void, is_sale;
	char seq[16], id[64], pos_id[64], desc[256], qty[32];
	char actual[32], regular[32], extended[32], currency[8], category[64];
};

struct tx {
	long at;              /* file line of <Transaction> */
	bool retail, skip;
	char store[32], ws[32], seq[32], day[16], end[48], currency[8];
	struct receipt_line *lines;
	int n_lines, cap;
	char line_currency[8]; /* currency the lines agree on */
};

struct px {
	XML_Parser xp;
	const struct import_opts *o;
	struct import_batch *out;
	struct kiosk_why *why;
	int rc;
	int depth;
	char stack[MAX_DEPTH][NAME_MAX_LEN];
	char text[TEXT_MAX];
	size_t text_len;
	bool text_long;
	bool in_tx, in_item;
	struct tx tx;
	struct item item;
};

static long line_now(struct px *x)
{
	return (long)XML_GetCurrentLineNumber(x->xp);
}

/* Record the first failure and stop expat. */
static void stop(struct px *x)
{
	if (!x->rc)
		x->rc = KIOSK_EINVAL;
	XML_StopParser(x->xp, XML_FALSE);
}

#define FAIL(x, ...)                                       \
	do {                                               \
		kiosk_fail((x)->why, KIOSK_EINVAL, __VA_ARGS__); \
		stop(x);                                   \
	} while (0)

static const char *local_name(const char *name)
{
	const char *sep = strrchr(name, NS_SEP);
	return sep ? sep + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(local_name(atts[i]), want))
			return atts[i + 1];
	return NULL;
}

static bool is_true(const char *v)
{
	return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

/* The element's text without the surrounding white space of pretty
 * printing, into dst; false when it does not fit. */
static bool take_text(struct px *x, char *dst, size_t cap)
{
	const char *s = x->text;
	size_t n = x->text_len;
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (x->text_long || n >= cap)
		return false;
	memcpy(dst, s, n);
	dst[n] = 0;
	return true;
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
	struct px *x = ud;
	const char *ln = local_name(name);
	if (x->rc)
		return;
	if (x->depth == 0 && strcmp(ln, "POSLog")) {
		FAIL(x, "line %ld: the root element is <%.30s>, not <POSLog>", line_now(x), ln);
		return;
	}
	if (x->depth >= MAX_DEPTH) {
		FAIL(x, "line %ld: elements nested deeper than %d", line_now(x), MAX_DEPTH);
		return;
	}
	snprintf(x->stack[x->depth], NAME_MAX_LEN, "%s", ln);
	x->depth++;
	x->text_len = 0;
	x->text_long = false;
	const char *parent = x->depth >= 2 ? x->stack[x->depth - 2] : "";

	if (!strcmp(ln, "Transaction") && !strcmp(parent, "POSLog")) {
		free(x->tx.lines);
		memset(&x->tx, 0, sizeof x->tx);
		x->in_tx = true;
		x->tx.at = line_now(x);
		x->tx.skip = is_true(attr(atts, "CancelFlag")) ||
			     is_true(attr(atts, "TrainingModeFlag"));
	} else if (x->in_tx && !strcmp(ln, "RetailTransaction")) {
		x->tx.retail = true;
		if (is_true(attr(atts, "CancelFlag")) || is_true(attr(atts, "TrainingModeFlag")))
			x->tx.skip = true;
	} else if (x->in_tx && !strcmp(ln, "LineItem") && !strcmp(parent, "RetailTransaction")) {
		memset(&x->item, 0, sizeof x->item);
		x->in_item = true;
		x->item.at = line_now(x);
		x->item.is_void = is_true(attr(atts, "VoidFlag"));
	} else if (x->in_item && !strcmp(ln, "Sale") && !strcmp(parent, "LineItem")) {
		x->item.is_sale = true;
	} else if (x->in_item && !strcmp(parent, "Sale")) {
		const char *cur = attr(atts, "Currency");
		if (!cur)
			cur = attr(atts, "CurrencyCode");
		if (cur && !strstr(ln, "Amount") && !strstr(ln, "Price"))
			cur = NULL; /* only amounts carry the currency */
		if (cur)
			snprintf(x->item.currency, sizeof x->item.currency, "%.7s", cur);
	}
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
	struct px *x = ud;
	if (x->text_len + (size_t)len >= TEXT_MAX) {
		x->text_long = true;
		return;
	}
	memcpy(x->text + x->text_len, s, (size_t)len);
	x->text_len += (size_t)len;
}

/* Leaf values: which element under which parent lands in which field. */
struct leaf {
	const char *name, *parent;
	bool item;            /* field of the line item, else of the transaction */
	size_t offset, size;
};
#define TX(n, p, f) {n, p, false, offsetof(struct tx, f), sizeof((struct tx *)0)->f}
#define IT(n, p, f) {n, p, true, offsetof(struct item, f), sizeof((struct item *)0)->f}
static const struct leaf leaves[] = {
	TX("RetailStoreID", "Transaction", store),
	TX("WorkstationID", "Transaction", ws),
	TX("SequenceNumber", "Transaction", seq),
	TX("BusinessDayDate", "Transaction", day),
	TX("EndDateTime", "Transaction", end),
	TX("CurrencyCode", "Transaction", currency),
	TX("CurrencyCode", "RetailTransaction", currency),
	IT("SequenceNumber", "LineItem", seq),
	IT("ItemID", "Sale", id),
	IT("POSItemID", "POSIdentity", pos_id),
	IT("Description", "Sale", desc),
	IT("Quantity", "Sale", qty),
	IT("ActualSalesUnitPrice", "Sale", actual),
	IT("RegularSalesUnitPrice", "Sale", regular),
	IT("ExtendedAmount", "Sale", extended),
	IT("MerchandiseHierarchy", "Sale", category),
};

static void finish_item(struct px *x);
static void finish_tx(struct px *x);

static void XMLCALL on_end(void *ud, const char *name)
{
	struct px *x = ud;
	(void)name;
	if (x->rc || x->depth == 0)
		return;
	const char *ln = x->stack[x->depth - 1];
	const char *parent = x->depth >= 2 ? x->stack[x->depth - 2] : "";
	for (size_t i = 0; x->in_tx && i < sizeof leaves / sizeof leaves[0]; i++) {
		const struct leaf *l = &leaves[i];
		if (strcmp(l->name, ln) || strcmp(l->parent, parent) || (l->item && !x->in_item))
			continue;
		char *dst = (char *)(l->item ? (void *)&x->item : (void *)&x->tx) + l->offset;
		if (!take_text(x, dst, l->size)) {
			FAIL(x, "line %ld: <%s> is longer than %zu bytes", line_now(x), ln,
			     l->size - 1);
			return;
		}
	}
	x->depth--;
	x->text_len = 0;
	if (x->in_item && !strcmp(ln, "LineItem") && !strcmp(parent, "RetailTransaction")) {
		x->in_item = false;
		finish_item(x);
	} else if (x->in_tx && !strcmp(ln, "Transaction") && !strcmp(parent, "POSLog")) {
		x->in_tx = false;
		finish_tx(x);
	}
}

static void finish_item(struct px *x)
{
	struct item *it = &x->item;
	struct tx *tx = &x->tx;
	long at = it->at;
	if (!it->is_sale || it->is_void || tx->skip)
		return;
	struct receipt_line l = {0};
	const char *id = it->id[0] ? it->id : it->pos_id;
	if (!*id || strlen(id) >= sizeof l.sku || !import_text_ok(id, strlen(id))) {
		FAIL(x, "line %ld: a Sale needs an ItemID of 1 to %zu characters", at,
		     sizeof l.sku - 1);
		return;
	}
	import_copy(l.sku, sizeof l.sku, id);
	const char *desc = it->desc[0] ? it->desc : id;
	if (strlen(desc) >= sizeof l.description || !import_text_ok(desc, strlen(desc))) {
		FAIL(x, "line %ld: Description must be UTF-8 text of at most %zu bytes", at,
		     sizeof l.description - 1);
		return;
	}
	import_copy(l.description, sizeof l.description, desc);
	long v = (long)tx->n_lines + 1;
	if (it->seq[0] && import_count_parse(it->seq, MAX_LINE_NO, false, &v)) {
		FAIL(x, "line %ld: LineItem SequenceNumber '%.20s' is not a number from 1 to %d", at,
		     it->seq, MAX_LINE_NO);
		return;
	}
	l.line = (int)v;
	for (int i = 0; i < tx->n_lines; i++)
		if (tx->lines[i].line == l.line) {
			FAIL(x, "line %ld: line item %d appears twice in the transaction", at, l.line);
			return;
		}
	v = 1;
	if (it->qty[0] && import_count_parse(it->qty, MAX_QUANTITY, true, &v)) {
		FAIL(x, "line %ld: Quantity '%.20s' is not a whole number from 1 to %d", at, it->qty,
		     MAX_QUANTITY);
		return;
	}
	l.quantity = (int)v;
	const char *cur = it->currency[0] ? it->currency
			  : tx->currency[0] ? tx->currency
					    : x->o->default_currency;
	int exp = cur ? import_currency_exponent(cur) : -1;
	if (exp < 0) {
		FAIL(x, "line %ld: unknown currency '%.8s' (an ISO 4217 code such as SEK or EUR)", at,
		     cur ? cur : "");
		return;
	}
	if (tx->line_currency[0] && strcmp(tx->line_currency, cur)) {
		FAIL(x, "line %ld: the transaction mixes %s and %s", at, tx->line_currency, cur);
		return;
	}
	snprintf(tx->line_currency, sizeof tx->line_currency, "%s", cur);
	const char *price = it->actual[0] ? it->actual : it->regular[0] ? it->regular : NULL;
	const char *what = it->actual[0] ? "ActualSalesUnitPrice" : "RegularSalesUnitPrice";
	int64_t amount;
	if (!price && !it->extended[0]) {
		FAIL(x, "line %ld: a Sale needs RegularSalesUnitPrice or ExtendedAmount", at);
		return;
	}
	if (!price) {
		price = it->extended;
		what = "ExtendedAmount";
	}
	int m = import_money_parse(price, exp, &amount);
	if (m) {
		FAIL(x, "line %ld: %s '%.20s' is not an amount in %s like 12.50", at, what, price,
		     cur);
		return;
	}
	if (price == it->extended) {
		if (amount % l.quantity) {
			FAIL(x, "line %ld: ExtendedAmount %s does not divide evenly by quantity %d", at,
			     price, l.quantity);
			return;
		}
		amount /= l.quantity;
	}
	l.unit_price = amount;
	const char *cat = it->category[0] ? it->category : x->o->default_category;
	if (!cat || !*cat || strlen(cat) >= sizeof l.category || !import_text_ok(cat, strlen(cat))) {
		FAIL(x, "line %ld: a Sale needs a MerchandiseHierarchy (the category) of at most %zu "
			"bytes",
		     at, sizeof l.category - 1);
		return;
	}
	import_copy(l.category, sizeof l.category, cat);
	if (tx->n_lines == tx->cap) {
		int cap = tx->cap ? tx->cap * 2 : 8;
		struct receipt_line *nl = realloc(tx->lines, (size_t)cap * sizeof *nl);
		if (!nl) {
			kiosk_fail(x->why, KIOSK_ENOMEM, "out of memory at line %ld", at);
			x->rc = KIOSK_ENOMEM;
			stop(x);
			return;
		}
		tx->lines = nl;
		tx->cap = cap;
	}
	tx->lines[tx->n_lines++] = l;
}

static void finish_tx(struct px *x)
{
	struct tx *tx = &x->tx;
	long at = tx->at;
	if (!tx->retail || tx->skip || !tx->n_lines)
		return;
	struct receipt r = {0};
	static const char *const need[] = {"RetailStoreID", "WorkstationID", "SequenceNumber",
					   "EndDateTime"};
	const char *have[] = {tx->store, tx->ws, tx->seq, tx->end};
	for (int i = 0; i < 4; i++)
		if (!have[i][0]) {
			FAIL(x, "line %ld: the transaction has no %s", at, need[i]);
			return;
		}
	if (time_parse_iso(tx->end, &r.purchased_at)) {
		FAIL(x, "line %ld: EndDateTime '%.40s' is not a time with UTC offset like "
			"2026-11-22T14:05:00+01:00",
		     at, tx->end);
		return;
	}
	int64_t day = time_local_days(r.purchased_at);
	if (tx->day[0] && date_parse(tx->day, &day)) {
		FAIL(x, "line %ld: BusinessDayDate '%.20s' is not a date like 2026-11-22", at,
		     tx->day);
		return;
	}
	struct kiosk_why why;
	if (import_receipt_code_build(x->o->layout, tx->store, tx->ws, day, tx->seq, r.receipt_id,
				      sizeof r.receipt_id, &why)) {
		FAIL(x, "line %ld: %s", at, why.text);
		return;
	}
	char store[16], reg[16];
	int64_t d;
	long seq;
	import_receipt_code_split(x->o->layout, r.receipt_id, store, sizeof store, reg, sizeof reg,
				  &d, &seq);
	snprintf(r.store, sizeof r.store, "%s", store);
	snprintf(r.register_id, sizeof r.register_id, "%.7s", reg);
	import_copy(r.currency, sizeof r.currency, tx->line_currency);
	if (import_batch_find(x->out, r.receipt_id) >= 0) {
		FAIL(x, "line %ld: transaction %s appears twice in the file", at, r.receipt_id);
		return;
	}
	int idx = import_batch_add(x->out, &r);
	if (idx < 0) {
		kiosk_fail(x->why, idx, "out of memory at line %ld", at);
		x->rc = idx;
		stop(x);
		return;
	}
	/* the batch takes the line array as it is */
	x->out->receipts[idx].lines = tx->lines;
	x->out->receipts[idx].n_lines = tx->n_lines;
	x->out->line_cap[idx] = tx->cap;
	x->out->n_lines += tx->n_lines;
	tx->lines = NULL;
	tx->n_lines = tx->cap = 0;
}

static void XMLCALL on_doctype(void *ud, const char *name, const char *sysid,
			       const char *pubid, int has_internal)
{
	struct px *x = ud;
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	FAIL(x, "line %ld: a DOCTYPE is not allowed in a POSLog import", line_now(x));
}

int import_poslog_parse(const char *data, size_t len, const struct import_opts *o,
			struct import_batch *out, import_progress_fn progress, void *arg,
			struct kiosk_why *why)
{
	struct px *x = calloc(1, sizeof *x);
	memset(out, 0, sizeof *out);
	if (!x)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	x->o = o;
	x->out = out;
	x->why = why;
	x->xp = XML_ParserCreateNS(NULL, NS_SEP);
	if (!x->xp) {
		free(x);
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	}
	XML_SetUserData(x->xp, x);
	XML_SetElementHandler(x->xp, on_start, on_end);
	XML_SetCharacterDataHandler(x->xp, on_text);
	XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
	size_t off = 0;
	int rc = 0;
	do {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		bool last = off + n == len;
		if (XML_Parse(x->xp, data + off, (int)n, last) != XML_STATUS_OK) {
			if (x->rc) {
				rc = x->rc;
			} else {
				rc = kiosk_fail(why, KIOSK_EINVAL, "line %ld: broken XML: %s",
						line_now(x), XML_ErrorString(XML_GetErrorCode(x->xp)));
			}
			break;
		}
		off += n;
		if (progress)
			progress(arg, off, len);
	} while (off < len);
	free(x->tx.lines);
	XML_ParserFree(x->xp);
	free(x);
	if (rc)
		import_batch_free(out);
	return rc;
}
