/* kiosk purge [--json]: delete the contact details of cases closed longer
 * than the retention period ([privacy] contact_retention_days in the store
 * configuration, 30 days unless set). Each purged case gets a timeline
 * event "purge"; the case itself stays. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "store/store.h"

#define DEFAULT_RETENTION_DAYS 30
#define MAX_RETENTION_DAYS 3650

int cli_purge(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct kiosk_why why = {{0}};
	long days = config_get_int(&ctx->cfg, "privacy", "contact_retention_days",
				   DEFAULT_RETENTION_DAYS);
	if (days < 0 || days > MAX_RETENTION_DAYS) {
		kiosk_fail(&why, KIOSK_EINVAL,
			   "[privacy] contact_retention_days must be 0 to %d days, not %ld.",
			   MAX_RETENTION_DAYS, days);
		return cli_refuse(ctx, &why);
	}
	struct kiosk_time now;
	if (clock_now(&now, &why))
		return cli_refuse(ctx, &why);
	struct kiosk_time cutoff = {now.unix_s - (int64_t)days * 86400, now.offset_min};

	char path[4096];
	struct store *s = NULL;
	int n = 0;
	if (cli_db_path(ctx, path, sizeof path, &why) || store_open(&s, path, &why))
		return cli_refuse(ctx, &why);
	rc = store_purge_contacts_at(s, cutoff, now, &n, &why);
	store_close(s);
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
