/* kiosk demo-data [--sheet PNG]: seed the demo store (app/services/demo.h)
 * and write the printable sheet of its codes, by default demo-sheet.png
 * next to the database file (in the current folder for a PostgreSQL
 * database). */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "services/demo.h"
#include "store/store_handle.h"

/* dirname(db)/demo-sheet.png */
static void default_sheet(const char *db, char *buf, size_t len)
{
	if (!store_target_is_file(db)) {
		snprintf(buf, len, "demo-sheet.png");
		return;
	}
	char copy[4096];
	snprintf(copy, sizeof copy, "%s", db);
	snprintf(buf, len, "%s/demo-sheet.png", dirname(copy));
}

int cli_demo_data(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *sheet_opt = NULL;
	const struct cli_opt opts[] = {{"--sheet", &sheet_opt, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct kiosk_why why = {{0}};
	char db[4096], sheet[4200];
	struct kiosk_time now;
	if (cli_db_path(ctx, db, sizeof db, &why) || clock_now(&now, &why))
		return cli_refuse(ctx, &why);
	if (sheet_opt)
		snprintf(sheet, sizeof sheet, "%s", sheet_opt);
	else
		default_sheet(db, sheet, sizeof sheet);

	struct i18n *t = NULL;
	struct store *s = NULL;
	struct demo_result res;
	if (i18n_create(&t, ctx->assets, ctx->lang, &why) || store_open(&s, db, &why) ||
	    demo_seed(s, &ctx->cfg, t, now, &res, &why) ||
	    demo_sheet_write(&res, &ctx->cfg, t, sheet, &why)) {
		rc = cli_refuse(ctx, &why);
		goto out;
	}
	char anchor[16];
	date_format(res.anchor_day, anchor, sizeof anchor);
	printf("demo store %s (relative to %s): %d receipts (%d new), %d staff added, "
	       "%d cases (%d new), %d calls added\n",
	       ctx->cfg.store_id, anchor, res.n_receipts, res.n_new_receipts, res.n_new_staff,
	       res.n_cases, res.n_new_cases, res.n_new_calls);
	printf("demo sheet: %s\n", sheet);
	rc = fflush(stdout) ? CLI_FAILED : CLI_OK;
out:
	store_close(s);
	i18n_destroy(t);
	return rc;
}
