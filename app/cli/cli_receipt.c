/* kiosk receipt show [--json] RECEIPT_ID: one imported receipt, its lines
 * and how many of each are already returned (interfaces.md §3b). Also the
 * money helpers every store-reading command shares (cli.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "services/visit.h"
#include "store/store_handle.h"

/* ISO 4217 minor-unit exponents that are not 2 (the default). Source:
 * ISO 4217 list one, the currencies a Nordic store may plausibly see. */
static const struct {
	const char code[4];
	int exponent;
} currency_exponents[] = {
	{"JPY", 0}, {"KRW", 0}, {"ISK", 0}, {"CLP", 0}, {"VND", 0},
	{"BHD", 3}, {"KWD", 3}, {"JOD", 3}, {"OMR", 3}, {"TND", 3},
};

static int currency_exponent(const char *currency)
{
	for (size_t i = 0; i < sizeof currency_exponents / sizeof currency_exponents[0]; i++)
		if (currency && !strcmp(currency_exponents[i].code, currency))
			return currency_exponents[i].exponent;
	return 2;
}

void cli_money_text(int64_t minor, const char *currency, char *buf, size_t len)
{
	int e = currency_exponent(currency);
	int64_t unit = 1;
	for (int i = 0; i < e; i++)
		unit *= 10;
	uint64_t a = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	if (e == 0)
		snprintf(buf, len, "%s%" PRIu64, minor < 0 ? "-" : "", a);
	else
		snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64, minor < 0 ? "-" : "",
			 a / (uint64_t)unit, e, a % (uint64_t)unit);
}

cJSON *cli_money_json(int64_t minor, const char *currency)
{
	char buf[32];
	cli_money_text(minor, currency, buf, sizeof buf);
	/* raw, so 1299.00 keeps its decimals (a double would print 1299) */
	return cJSON_CreateRaw(buf);
}

static cJSON *receipt_json(const struct receipt *r)
{
	char iso[32];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "receipt_id", r->receipt_id);
	cJSON_AddStringToObject(o, "store", r->store);
	cJSON_AddStringToObject(o, "register", r->register_id);
	time_format_iso(r->purchased_at, iso, sizeof iso);
	cJSON_AddStringToObject(o, "purchased_at", iso);
	cJSON_AddStringToObject(o, "currency", r->currency);
	cJSON *lines = cJSON_AddArrayToObject(o, "lines");
	int64_t total = 0;
	for (int i = 0; i < r->n_lines; i++) {
		const struct receipt_line *l = &r->lines[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "line", l->line);
		cJSON_AddStringToObject(j, "sku", l->sku);
		cJSON_AddStringToObject(j, "description", l->description);
		cJSON_AddNumberToObject(j, "quantity", l->quantity);
		cJSON_AddItemToObject(j, "unit_price", cli_money_json(l->unit_price, r->currency));
		cJSON_AddStringToObject(j, "category", l->category);
		cJSON_AddNumberToObject(j, "returned_quantity", l->returned_quantity);
		cJSON_AddItemToArray(lines, j);
		total += l->unit_price * l->quantity;
	}
	cJSON_AddItemToObject(o, "total", cli_money_json(total, r->currency));
	return o;
}

static void receipt_print(const struct receipt *r)
{
	char iso[32], price[32];
	time_format_iso(r->purchased_at, iso, sizeof iso);
	printf("Receipt %s\nStore %s, register %s, bought %s, %s\n", r->receipt_id, r->store,
	       r->register_id, iso, r->currency);
	printf("%4s  %-16s %4s %8s %11s  %-14s %s\n", "line", "sku", "qty", "returned", "unit price",
	       "category", "description");
	for (int i = 0; i < r->n_lines; i++) {
		const struct receipt_line *l = &r->lines[i];
		cli_money_text(l->unit_price, r->currency, price, sizeof price);
		printf("%4d  %-16s %4d %8d %11s  %-14s %s\n", l->line, l->sku, l->quantity,
		       l->returned_quantity, price, l->category, l->description);
	}
}

int cli_receipt(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
	const char *pos[1];
	int n_pos = 0;
	if (argc < 2 || strcmp(argv[1], "show"))
		return cli_usage(ctx, "say 'show': kiosk receipt show [--json] RECEIPT_ID");
	int rc = cli_parse(ctx, argc - 1, argv + 1, opts, pos, 1, &n_pos);
	if (rc)
		return rc;
	if (n_pos != 1)
		return cli_usage(ctx, "which receipt? kiosk receipt show [--json] RECEIPT_ID");

	char path[4096];
	struct kiosk_why why = {{0}};
	struct store *s = NULL;
	struct receipt r;
	if (cli_open_existing(ctx, &s, path, sizeof path, &why))
		return cli_refuse(ctx, &why);
	rc = visit_receipt(s, pos[0], &r, &why);
	store_close(s);
	if (rc)
		return cli_refuse(ctx, &why);
	if (json)
		rc = cli_print_json(receipt_json(&r), true);
	else
		receipt_print(&r);
	receipt_free(&r);
	return rc;
}
