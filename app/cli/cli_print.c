/* kiosk print [--printer SPEC] CASE_ID: (re)print a case receipt. A
 * reprint carries a new case code (only a hash of the code is stored, so
 * the old one cannot be printed again; the old paper's code stops
 * working). The result is recorded on the case either way. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "domain/case_receipt.h"
#include "drivers/printer.h"
#include "services/receipt_print.h"
#include "store/store_handle.h"

int cli_print(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *spec = NULL;
	const struct cli_opt opts[] = {{"--printer", &spec, NULL}, {NULL, NULL, NULL}};
	const char *pos[1];
	int n_pos = 0;
	int rc = cli_parse(ctx, argc, argv, opts, pos, 1, &n_pos);
	if (rc)
		return rc;
	if (n_pos != 1)
		return cli_usage(ctx, "give the case number, e.g. kiosk print K-000123");
	if (!spec)
		spec = "auto"; /* as kiosk run */

	struct kiosk_why why = {""};
	struct kiosk_time now;
	int dots;
	if ((rc = clock_now(&now, &why)) || (rc = receipt_paper_dots(&ctx->cfg, &dots, &why)))
		return cli_refuse(ctx, &why);
	char path[1024];
	struct store *s = NULL;
	if ((rc = cli_open_existing(ctx, &s, path, sizeof path, &why)))
		return cli_refuse(ctx, &why);
	struct printer *p = NULL;
	rc = printer_create(&p, spec, dots, &why);
	if (!rc) {
		rc = receipt_print_case(s, p, &ctx->cfg, ctx->assets, pos[0], NULL, now, &why);
	} else if (rc != KIOSK_EINVAL) {
		/* The printer is there in the spec but cannot be reached: that is a
		 * failed print of this case, for staff to see (a mistyped spec is
		 * not). An unknown case leaves nothing to record on. */
		receipt_print_unreachable(s, pos[0], why.text, now);
	}
	printer_destroy(p);
	store_close(s);
	if (rc)
		return cli_refuse(ctx, &why);
	printf("Printed the receipt of case %s (%s).\n", pos[0], spec);
	return CLI_OK;
}
