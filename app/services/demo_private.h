/* Shared between the demo store's files: the generator, the catalog, the
 * receipt helpers, the run's context. Not for use outside app/services/demo*. */
#ifndef KIOSK_SERVICES_DEMO_PRIVATE_H
#define KIOSK_SERVICES_DEMO_PRIVATE_H

#include "domain/import_common.h"
#include "services/demo.h"

/* splitmix64: small, fast, and the same sequence on every machine. */
struct demo_rng {
	uint64_t state;
};
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [lo, hi]. */
int demo_rng_range(struct demo_rng *r, int lo, int hi);

/* A product of the demo store's catalog (receipt data, as a POS has it). */
struct demo_product {
	const char *category;
	const char *sku;
	const char *description;
	int64_t price;   /* minor units */
};
const struct demo_product *demo_product_by_sku(const char *sku);

/* One line of a hand-written receipt: product and quantity. */
struct demo_item {
	const char *sku;
	int quantity;
};
#define DEMO_MAX_ITEMS 4

/* A receipt whose contents matter (sheet codes, cases). register 1 and a
 * sequence number below 1000 keep it apart from the random ones. */
struct demo_receipt_spec {
	int days_ago;              /* before the anchor day */
	int minute;                /* of the day, local */
	int seq;
	struct demo_item items[DEMO_MAX_ITEMS];
};

struct demo_ctx {
	struct store *s;
	const struct kiosk_config *cfg;
	const struct i18n *t;
	struct kiosk_time now;
	int64_t today;             /* local day of now */
	int64_t anchor_day;
	char staff_id[2][16];      /* a staff member and a manager, for timeline actors */
	struct demo_result *res;
};

/* The receipt id of a spec under the anchor. */
int demo_receipt_id(const struct demo_ctx *c, int days_ago, int reg, int seq, char *buf,
		    size_t len, struct kiosk_why *why);
/* Add a receipt built from spec to the batch. */
int demo_receipt_add(const struct demo_ctx *c, const struct demo_receipt_spec *spec,
		     struct import_batch *b, struct kiosk_why *why);
/* A local time: day at minute of the day, in now's UTC offset. */
struct kiosk_time demo_time_at(const struct demo_ctx *c, int64_t day, int minute);

/* The receipts the demo cases are made on (demo_cases.c). */
int demo_cases_receipts(const struct demo_ctx *c, struct import_batch *b, struct kiosk_why *why);
/* Create the demo cases (and their calls) not yet there. */
int demo_cases_seed(struct demo_ctx *c, struct kiosk_why *why);

/* Caption from "demo.KEY" with {name} placeholders filled. */
void demo_caption(const struct demo_ctx *c, struct demo_code *code, const char *key,
		  const char *const *kv);

#endif
