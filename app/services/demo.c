/* The demo store: receipts (hand-written ones whose contents matter, and
 * about 600 random ones over 400 days), staff with demo PINs, the codes of
 * the demo sheet. Cases are in demo_cases.c, the sheet in demo_sheet.c. */
#include "services/demo_private.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- generator ------------------------------------------------------------ */

uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int demo_rng_range(struct demo_rng *r, int lo, int hi)
{
	return lo + (int)(demo_rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* The seed of the random receipts: change it and every demo database differs. */
#define DEMO_SEED 0x6b696f736b303432ull /* "kiosk042" */
#define RANDOM_RECEIPTS 600
#define HISTORY_DAYS 400
#define FIRST_RANDOM_SEQ 1000

/* ---- catalog ---------------------------------------------------------------- */

/* What the demo store sells, by the policy categories of assets/store.ini.
 * Products of a category the configuration does not name are left out of
 * the random receipts. */
static const struct demo_product catalog[] = {
	{"electronics", "7350001000011", "Trådlösa hörlurar, svarta", 129900},
	{"electronics", "7350001000028", "Bärbar högtalare, blå", 69900},
	{"electronics", "7350001000035", "USB-C-laddare 65 W", 34900},
	{"electronics", "7350001000042", "TV 55\" 4K", 799000},
	{"electronics", "7350001000059", "Elvisp, 5 hastigheter", 44900},
	{"electronics", "7350001000066", "Kaffebryggare 1,25 l", 89900},
	{"electronics", "7350001000073", "Smart glödlampa E27", 19900},
	{"electronics", "7350001000080", "Hårtork 2000 W", 49900},
	{"clothing", "7350002000010", "Regnjacka, grön, M", 99900},
	{"clothing", "7350002000027", "Strumpor, 3-pack", 14900},
	{"clothing", "7350002000034", "Ullmössa, grå", 24900},
	{"furniture", "7350003000019", "Skrivbordsstol, justerbar", 249900},
	{"furniture", "7350003000026", "Golvlampa, mässing", 119900},
	{"furniture", "7350003000033", "Bokhylla, björk", 179900},
	{"hygiene", "7350004000018", "Eltandborste", 59900},
	{"hygiene", "7350004000025", "Rakapparat, våt och torr", 89900},
	{"hygiene", "7350004000032", "Öronproppar, 10 par", 4900},
};
#define N_CATALOG ((int)(sizeof catalog / sizeof catalog[0]))

const struct demo_product *demo_product_by_sku(const char *sku)
{
	for (int i = 0; i < N_CATALOG; i++)
		if (!strcmp(catalog[i].sku, sku))
			return &catalog[i];
	return NULL;
}

/* ---- receipts ------------------------------------------------------------------ */

/* Receipts the sheet prints, each for one flow to try. The first is the
 * anchor: finding it again tells a later run which day the demo is
 * relative to. */
enum { FEAT_RECENT, FEAT_OUTSIDE, FEAT_HYGIENE, FEAT_OPEN_PURCHASE, FEAT_FAULT, N_FEATURED };
static const struct demo_receipt_spec featured[N_FEATURED] = {
	[FEAT_RECENT] = {3, 14 * 60 + 12, 1,
			 {{"7350001000011", 1}, {"7350001000035", 2}, {"7350002000027", 1}}},
	[FEAT_OUTSIDE] = {45, 11 * 60 + 40, 2, {{"7350001000028", 1}}},
	[FEAT_HYGIENE] = {2, 17 * 60 + 5, 3, {{"7350004000018", 1}, {"7350004000032", 2}}},
	[FEAT_OPEN_PURCHASE] = {200, 12 * 60 + 30, 4, {{"7350003000019", 1}}},
	[FEAT_FAULT] = {540, 16 * 60 + 55, 5, {{"7350001000042", 1}}},
};
static const char *const featured_keys[N_FEATURED] = {
	"receipt_recent", "receipt_outside", "receipt_hygiene", "receipt_open_purchase",
	"receipt_fault",
};

struct kiosk_time demo_time_at(const struct demo_ctx *c, int64_t day, int minute)
{
	struct kiosk_time t = {
		.unix_s = day * 86400 + (int64_t)minute * 60 - (int64_t)c->now.offset_min * 60,
		.offset_min = c->now.offset_min,
	};
	return t;
}

int demo_receipt_id(const struct demo_ctx *c, int days_ago, int reg, int seq, char *buf,
		    size_t len, struct kiosk_why *why)
{
	char r[16], q[16];
	snprintf(r, sizeof r, "%d", reg);
	snprintf(q, sizeof q, "%d", seq);
	return import_receipt_code_build(&c->cfg->receipt_code, c->cfg->store_id, r,
					 c->anchor_day - days_ago, q, buf, len, why);
}

static int receipt_begin(const struct demo_ctx *c, int days_ago, int minute, int reg, int seq,
			 struct import_batch *b, struct kiosk_why *why)
{
	struct receipt r = {0};
	int rc = demo_receipt_id(c, days_ago, reg, seq, r.receipt_id, sizeof r.receipt_id, why);
	if (rc)
		return rc;
	char store[16], regs[16];
	int64_t day;
	long sq;
	import_receipt_code_split(&c->cfg->receipt_code, r.receipt_id, store, sizeof store, regs,
				  sizeof regs, &day, &sq);
	snprintf(r.store, sizeof r.store, "%s", store);
	snprintf(r.register_id, sizeof r.register_id, "%.7s", regs);
	snprintf(r.currency, sizeof r.currency, "%.3s", c->cfg->currency);
	r.purchased_at = demo_time_at(c, c->anchor_day - days_ago, minute);
	int idx = import_batch_add(b, &r);
	return idx < 0 ? kiosk_fail(why, idx, "out of memory") : idx;
}

static int line_add(struct import_batch *b, int idx, const struct demo_product *p, int qty,
		    struct kiosk_why *why)
{
	struct receipt_line l = {0};
	l.line = b->receipts[idx].n_lines + 1;
	snprintf(l.sku, sizeof l.sku, "%s", p->sku);
	snprintf(l.description, sizeof l.description, "%s", p->description);
	snprintf(l.category, sizeof l.category, "%s", p->category);
	l.quantity = qty;
	l.unit_price = p->price;
	return import_batch_add_line(b, idx, &l) ? kiosk_fail(why, KIOSK_ENOMEM, "out of memory")
						 : 0;
}

int demo_receipt_add(const struct demo_ctx *c, const struct demo_receipt_spec *spec,
		     struct import_batch *b, struct kiosk_why *why)
{
	int idx = receipt_begin(c, spec->days_ago, spec->minute, 1, spec->seq, b, why);
	if (idx < 0)
		return idx;
	for (int i = 0; i < DEMO_MAX_ITEMS && spec->items[i].sku; i++) {
		const struct demo_product *p = demo_product_by_sku(spec->items[i].sku);
		if (!p)
			return kiosk_fail(why, KIOSK_EINVAL, "demo product %s is not in the catalog",
					  spec->items[i].sku);
		int rc = line_add(b, idx, p, spec->items[i].quantity, why);
		if (rc)
			return rc;
	}
	return 0;
}

struct cat_list {
	const struct kiosk_config *cfg;
	bool any;
	bool on[N_CATALOG];
};

static void mark_category(const char *section, void *arg)
{
	struct cat_list *l = arg;
	const char *name = section + strlen("category.");
	for (int i = 0; i < N_CATALOG; i++)
		if (!strcmp(catalog[i].category, name))
			l->on[i] = l->any = true;
}

/* Random receipts: 1 to 4 lines, mostly one of each, spread over 400 days. */
static int random_receipts(const struct demo_ctx *c, struct import_batch *b,
			   struct kiosk_why *why)
{
	struct cat_list cats = {.cfg = c->cfg};
	config_each_section(c->cfg, "category.", mark_category, &cats);
	int usable[N_CATALOG], n_usable = 0;
	for (int i = 0; i < N_CATALOG; i++)
		if (cats.on[i] || !cats.any)
			usable[n_usable++] = i;
	struct demo_rng rng = {DEMO_SEED};
	for (int k = 0; k < RANDOM_RECEIPTS; k++) {
		int days_ago = demo_rng_range(&rng, 1, HISTORY_DAYS);
		int minute = demo_rng_range(&rng, 9 * 60, 19 * 60 + 45);
		int reg = demo_rng_range(&rng, 1, 4);
		int idx = receipt_begin(c, days_ago, minute, reg, FIRST_RANDOM_SEQ + k, b, why);
		if (idx < 0)
			return idx;
		int n = demo_rng_range(&rng, 1, 4);
		for (int j = 0; j < n; j++) {
			const struct demo_product *p = &catalog[usable[demo_rng_range(&rng, 0, n_usable - 1)]];
			int qty = demo_rng_range(&rng, 1, 6) == 6 ? 2 : 1;
			int rc = line_add(b, idx, p, qty, why);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* The anchor day: the day of the first run, found by its anchor receipt
 * (featured[0]) among the last ten years; today when there is none. */
static int find_anchor(struct demo_ctx *c, struct kiosk_why *why)
{
	for (int back = 0; back < 3650; back++) {
		c->anchor_day = c->today - back;
		char id[32];
		int rc = demo_receipt_id(c, featured[0].days_ago, 1, featured[0].seq, id, sizeof id,
					 why);
		if (rc)
			return rc;
		struct receipt r;
		rc = store_receipt_get(c->s, id, &r, why);
		receipt_free(&r);
		if (rc == 0)
			return 0;
		if (rc != KIOSK_ENOTFOUND)
			return rc;
	}
	c->anchor_day = c->today;
	return 0;
}

static int seed_receipts(struct demo_ctx *c, struct kiosk_why *why)
{
	struct import_batch b = {0};
	int rc = 0;
	for (int i = 0; !rc && i < N_FEATURED; i++)
		rc = demo_receipt_add(c, &featured[i], &b, why);
	if (!rc)
		rc = demo_cases_receipts(c, &b, why);
	if (!rc)
		rc = random_receipts(c, &b, why);
	if (!rc)
		rc = store_receipts_import(c->s, b.receipts, b.n, &c->res->n_new_receipts, why);
	c->res->n_receipts = b.n;
	import_batch_free(&b);
	return rc;
}

/* ---- staff ------------------------------------------------------------------- */

/* The demo staff and their PINs (documented in the README; demo only). */
static const struct demo_staff {
	const char *name;
	enum staff_role role;
	const char *pin;
	bool on_sheet;
} demo_staff[] = {
	{"Anna Lindqvist", ROLE_STAFF, "1397", true},
	{"Erik Johansson", ROLE_MANAGER, "2580", true},
	{"Fatima Hassan", ROLE_STAFF, "4682", false},
};

static int seed_staff(struct demo_ctx *c, struct kiosk_why *why)
{
	struct staff_record *list = NULL;
	int n = 0;
	int rc = store_staff_list(c->s, &list, &n, why);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < sizeof demo_staff / sizeof demo_staff[0]; i++) {
		const struct demo_staff *d = &demo_staff[i];
		struct staff_record rec = {0};
		bool found = false;
		for (int k = 0; k < n && !found; k++)
			if (!strcmp(list[k].name, d->name)) {
				rec = list[k];
				found = true;
			}
		if (!found) {
			rc = store_staff_add(c->s, d->name, d->role, d->pin, c->now, &rec, why);
			if (rc)
				break;
			c->res->n_new_staff++;
		}
		if (!c->staff_id[d->role == ROLE_MANAGER][0])
			snprintf(c->staff_id[d->role == ROLE_MANAGER], sizeof c->staff_id[0], "%s",
				 rec.staff_id);
		if (d->on_sheet && c->res->n_codes < DEMO_MAX_CODES) {
			struct demo_code *code = &c->res->codes[c->res->n_codes++];
			code->kind = DEMO_CODE_STAFF;
			snprintf(code->payload, sizeof code->payload, "%s", rec.card_code);
			const char *kv[] = {"name", rec.name, "id", rec.staff_id, "pin", d->pin,
					    "role", staff_role_name(rec.role), NULL};
			demo_caption(c, code, d->role == ROLE_MANAGER ? "staff_manager" : "staff", kv);
		}
	}
	free(list);
	return rc;
}

/* ---- the specimen ID card ------------------------------------------------------ */

/* ICAO 9303 check digit: weights 7 3 1, A-Z = 10..35, '<' = 0. */
static char mrz_check(const char *s, size_t n)
{
	static const int w[3] = {7, 3, 1};
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int v = s[i] >= '0' && s[i] <= '9' ? s[i] - '0'
			: s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 10
						     : 0;
		sum += v * w[i % 3];
	}
	return (char)('0' + sum % 10);
}

/* A TD1 identity card of ICAO's fictional state Utopia (UTO), valid for
 * five years after the anchor day, for returns without a receipt. */
static void specimen_mrz(struct demo_ctx *c)
{
	char l1[31], l2[31], l3[31], exp[16];
	int y, m, d;
	date_civil_from_days(c->anchor_day + 5 * 365, &y, &m, &d);
	snprintf(exp, sizeof exp, "%02d%02d%02d", y % 100, m, d);
	snprintf(l1, sizeof l1, "I<UTOD23145890%c<<<<<<<<<<<<<<<", mrz_check("D23145890", 9));
	snprintf(l2, sizeof l2, "740812%cF%.6s%cUTO<<<<<<<<<<<", mrz_check("740812", 6), exp,
		 mrz_check(exp, 6));
	char covered[64];
	snprintf(covered, sizeof covered, "%.25s%.7s%.7s%.11s", l1 + 5, l2, l2 + 8, l2 + 18);
	l2[29] = mrz_check(covered, strlen(covered));
	l2[30] = 0;
	snprintf(l3, sizeof l3, "%-30s", "ERIKSSON<<ANNA<MARIA");
	for (char *p = l3; *p; p++)
		if (*p == ' ')
			*p = '<';
	if (c->res->n_codes >= DEMO_MAX_CODES)
		return;
	struct demo_code *code = &c->res->codes[c->res->n_codes++];
	code->kind = DEMO_CODE_MRZ;
	snprintf(code->payload, sizeof code->payload, "%s\r%s\r%s", l1, l2, l3);
	demo_caption(c, code, "id_card", NULL);
}

void demo_caption(const struct demo_ctx *c, struct demo_code *code, const char *key,
		  const char *const *kv)
{
	char full[64];
	snprintf(full, sizeof full, "demo.%s", key);
	static const char *const none[] = {NULL};
	i18n_fill(code->caption, sizeof code->caption, i18n_get(c->t, full), kv ? kv : none);
}

/* ---- the run ---------------------------------------------------------------- */

static void featured_codes(struct demo_ctx *c)
{
	for (int i = 0; i < N_FEATURED && c->res->n_codes < DEMO_MAX_CODES; i++) {
		struct demo_code *code = &c->res->codes[c->res->n_codes];
		struct kiosk_why why;
		if (demo_receipt_id(c, featured[i].days_ago, 1, featured[i].seq, code->payload,
				    sizeof code->payload, &why))
			continue;
		const struct demo_product *p = demo_product_by_sku(featured[i].items[0].sku);
		char days[16], date[16];
		snprintf(days, sizeof days, "%d", (int)(c->today - (c->anchor_day - featured[i].days_ago)));
		date_format(c->anchor_day - featured[i].days_ago, date, sizeof date);
		const char *kv[] = {"item", p ? p->description : "", "days", days, "date", date, NULL};
		code->kind = DEMO_CODE_RECEIPT;
		demo_caption(c, code, featured_keys[i], kv);
		c->res->n_codes++;
	}
}

int demo_seed(struct store *s, const struct kiosk_config *cfg, const struct i18n *t,
	      struct kiosk_time now, struct demo_result *out, struct kiosk_why *why)
{
	memset(out, 0, sizeof *out);
	struct demo_ctx c = {.s = s, .cfg = cfg, .t = t, .now = now, .res = out};
	c.today = time_local_days(now);
	int rc = find_anchor(&c, why);
	if (rc)
		return rc;
	out->anchor_day = c.anchor_day;
	if ((rc = seed_receipts(&c, why)))
		return rc;
	featured_codes(&c);
	if ((rc = seed_staff(&c, why)))
		return rc;
	if ((rc = demo_cases_seed(&c, why)))
		return rc;
	specimen_mrz(&c);
	return 0;
}
