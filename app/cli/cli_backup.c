/* kiosk backup FILE: a consistent copy of a kiosk's own database (SQLite)
 * while it runs, for the store's backups (services/backup.h). One line on
 * stdout says where and how large; --json for scripts. */
#include <stdio.h>

#include "cli/cli.h"
#include "services/backup.h"

int cli_backup(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
	const char *pos[1];
	int n_pos = 0;
	int rc = cli_parse(ctx, argc, argv, opts, pos, 1, &n_pos);
	if (rc)
		return rc;
	if (n_pos != 1)
		return cli_usage(ctx, "give the file to write the backup to (see kiosk backup --help)");
	struct kiosk_why why = {{0}};
	char db[4096];
	struct store *s = NULL;
	int64_t bytes = 0;
	if (cli_open_existing(ctx, &s, db, sizeof db, &why))
		return cli_refuse(ctx, &why);
	rc = backup_database(s, db, pos[0], &bytes, &why);
	store_close(s);
	if (rc)
		return cli_refuse(ctx, &why);
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "backup", pos[0]);
		cJSON_AddNumberToObject(o, "bytes", (double)bytes);
		return cli_print_json(o, true);
	}
	printf("Backed up the database to %s (%.1f MB).\n", pos[0], (double)bytes / 1e6);
	return CLI_OK;
}
