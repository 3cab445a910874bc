/* kiosk scan [--json] DATA: a thin shell over scan_parse. DATA is what a
 * scanner delivers, with \r \n \xHH \\ escapes; "-" reads the raw bytes
 * from stdin instead (for payloads no command line can carry). The case
 * token is never printed: it proves possession of the printed receipt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/scan.h"

/* Read at most cap bytes of stdin; one byte more than SCAN_MAX_BYTES is
 * enough for scan_parse to refuse a payload as too long. */
static size_t read_stdin(uint8_t *buf, size_t cap)
{
	size_t n = 0, got;
	while (n < cap && (got = fread(buf + n, 1, cap - n, stdin)) > 0)
		n += got;
	return n;
}

static void add_date(cJSON *o, const char *name, int64_t days)
{
	char d[16];
	date_format(days, d, sizeof(d));
	cJSON_AddStringToObject(o, name, d);
}

static cJSON *result_json(const struct scan_result *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", scan_kind_name(r->kind));
	cJSON_AddBoolToObject(o, "valid", r->valid);
	if (!r->valid) {
		cJSON_AddStringToObject(o, "error", r->error);
		return o;
	}
	const struct scan_id_document *id = &r->u.id;
	switch (r->kind) {
	case SCAN_RECEIPT:
		cJSON_AddStringToObject(o, "receipt_id", r->u.receipt.receipt_id);
		cJSON_AddStringToObject(o, "store", r->u.receipt.store);
		cJSON_AddStringToObject(o, "register", r->u.receipt.register_id);
		add_date(o, "date", r->u.receipt.date);
		cJSON_AddStringToObject(o, "seq", r->u.receipt.seq);
		break;
	case SCAN_ID_DOCUMENT:
		cJSON_AddStringToObject(o, "format", id_format_name(id->format));
		cJSON_AddStringToObject(o, "document_type", id->document_type);
		cJSON_AddStringToObject(o, "issuer", id->issuer);
		cJSON_AddStringToObject(o, "document_number", id->document_number);
		add_date(o, "birth_date", id->birth_date);
		add_date(o, "expiry_date", id->expiry_date);
		cJSON_AddStringToObject(o, "surname", id->surname);
		cJSON_AddStringToObject(o, "given_names", id->given_names);
		cJSON_AddBoolToObject(o, "expired", id->expired);
		if (id->personal_number[0])
			cJSON_AddStringToObject(o, "personal_number", id->personal_number);
		break;
	case SCAN_CASE:
		cJSON_AddStringToObject(o, "case_id", r->u.case_code.case_id);
		break;
	case SCAN_STAFF:
		cJSON_AddStringToObject(o, "staff_id", r->u.staff.staff_id);
		break;
	case SCAN_PRODUCT:
		cJSON_AddStringToObject(o, "gtin", r->u.product.gtin);
		break;
	case SCAN_UNKNOWN:
		break;
	}
	return o;
}

static void print_summary(const struct scan_result *r)
{
	char a[16], b[16];
	const struct scan_id_document *id = &r->u.id;
	switch (r->kind) {
	case SCAN_RECEIPT:
		date_format(r->u.receipt.date, a, sizeof(a));
		printf("receipt %s: store %s, register %s, %s, number %s\n", r->u.receipt.receipt_id,
		       r->u.receipt.store, r->u.receipt.register_id, a, r->u.receipt.seq);
		break;
	case SCAN_ID_DOCUMENT:
		date_format(id->birth_date, a, sizeof(a));
		date_format(id->expiry_date, b, sizeof(b));
		printf("%s %s %s from %s: %s, %s; born %s; %s %s%s%s\n", id_format_name(id->format),
		       id->document_type, id->document_number, id->issuer, id->surname,
		       id->given_names[0] ? id->given_names : "(no given name)", a,
		       id->expired ? "expired" : "valid until", b,
		       id->personal_number[0] ? "; personal number " : "", id->personal_number);
		break;
	case SCAN_CASE:
		printf("case %s\n", r->u.case_code.case_id);
		break;
	case SCAN_STAFF:
		printf("staff card %s\n", r->u.staff.staff_id);
		break;
	case SCAN_PRODUCT:
		printf("product %s\n", r->u.product.gtin);
		break;
	case SCAN_UNKNOWN:
		break;
	}
}

int cli_scan(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
	const char *pos[1];
	int npos = 0;
	int rc = cli_parse(ctx, argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc;
	if (npos != 1)
		return cli_usage(ctx, "needs the scanned DATA (see kiosk scan --help)");
	struct kiosk_why why;
	struct kiosk_time now;
	if (clock_now(&now, &why))
		return cli_refuse(ctx, &why);

	bool from_stdin = !strcmp(pos[0], "-");
	size_t cap = from_stdin ? SCAN_MAX_BYTES + 1 : strlen(pos[0]) + 1;
	uint8_t *data = malloc(cap);
	if (!data) {
		kiosk_fail(&why, KIOSK_ENOMEM, "out of memory");
		return cli_refuse(ctx, &why);
	}
	long n = from_stdin ? (long)read_stdin(data, cap) : scan_unescape(pos[0], data, cap);
	if (n < 0) {
		free(data);
		return cli_usage(ctx, "DATA has a malformed escape (use \\r, \\n, \\xHH or \\\\)");
	}
	struct scan_result r;
	scan_parse(data, (size_t)n, &ctx->cfg.receipt_code, time_local_days(now), &r);
	free(data);

	if (json) {
		rc = cli_print_json(result_json(&r), false);
		return rc ? rc : r.valid ? CLI_OK : CLI_FAILED;
	}
	if (!r.valid) {
		kiosk_fail(&why, KIOSK_EINVAL, "%s", r.error);
		return cli_refuse(ctx, &why);
	}
	print_summary(&r);
	return CLI_OK;
}
