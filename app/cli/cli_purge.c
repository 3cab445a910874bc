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

/* The cut-off: now minus [privacy] contact_retention_days. */
static int retention_cutoff(const struct cli_ctx *ctx, struct kiosk_time now, long *days,
			    struct kiosk_time *cutoff, struct kiosk_why *why)
{
	*days = config_get_int(&ctx->cfg, "privacy", "contact_retention_days",
			       DEFAULT_RETENTION_DAYS);
	if (*days < 0 || *days > MAX_RETENTION_DAYS)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[privacy] contact_retention_days must be 0 to %d days, not %ld.",
				  MAX_RETENTION_DAYS, *days);
	cutoff->unix_s = now.unix_s - (int64_t)*days * 86400;
	cutoff->offset_min = now.offset_min;
	return 0;
}

int cli_purge_contacts(const struct cli_ctx *ctx, struct store *s, struct kiosk_time now,
		       int *n, struct kiosk_why *why)
{
	long days;
	struct kiosk_time cutoff;
	*n = 0;
	int rc = retention_cutoff(ctx, now, &days, &cutoff, why);
	return rc ? rc : store_purge_contacts_at(s, cutoff, now, n, why);
}

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
	if (clock_now(&now, &why) || retention_cutoff(ctx, now, &days, &cutoff, &why))
		return cli_refuse(ctx, &why);

	char path[4096];
	struct store *s = NULL;
	int n = 0;
	if (cli_db_path(ctx, path, sizeof path, &why) || store_open(&s, path, &why))
		return cli_refuse(ctx, &why);
	rc = cli_purge_contacts(ctx, s, now, &n, &why);
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
