/* kiosk purge [--json]: delete the contact details of cases closed longer
 * than the retention period ([privacy] contact_retention_days in the store
 * configuration, 30 days unless set). Each purged case gets a timeline
 * event "purge"; the case itself stays. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "services/purge.h"

int cli_purge(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct kiosk_why why = {{0}};
	struct kiosk_time now, cutoff;
	long days;
	if (clock_now(&now, &why) || purge_cutoff(&ctx->cfg, now, &days, &cutoff, &why))
		return cli_refuse(ctx, &why);

	char path[4096];
	struct store *s = NULL;
	int n = 0;
	if (cli_open_existing(ctx, &s, path, sizeof path, &why))
		return cli_refuse(ctx, &why);
	rc = purge_contacts(s, &ctx->cfg, now, &n, &why);
	store_close(s);
	if (rc && n > 0) {
		fprintf(stderr,
			"kiosk purge: %s (%d case%s purged before that; run it again for the rest)\n",
			why.text, n, n == 1 ? " was" : "s were");
		return CLI_FAILED;
	}
	if (rc)
		return cli_refuse(ctx, &why);

	char iso[32];
	time_format_iso(cutoff, iso, sizeof iso);
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "purged", n);
		cJSON_AddNumberToObject(o, "retention_days", (double)days);
		cJSON_AddStringToObject(o, "closed_before", iso);
		return cli_print_json(o, true);
	}
	printf("Removed contact details from %d case%s closed before %s (retention %ld days).\n", n,
	       n == 1 ? "" : "s", iso, days);
	return CLI_OK;
}
