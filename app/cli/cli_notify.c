/* kiosk notify run [--once]: send the messages customers asked for (the
 * outbox), for a store server that runs the sender on its own. Without
 * --once it runs until SIGTERM or SIGINT; with --once it returns when
 * nothing more is due now (a message waiting for a retry later stays). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "services/notify/notify.h"

/* How often an idle sender asks the outbox again, by default. */
#define POLL_MS_DEFAULT 2000

static int notify_cmd_run(struct cli_ctx *ctx, int argc, char **argv)
{
	bool once = false;
	const struct cli_opt opts[] = {{"--once", NULL, &once}, {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct kiosk_why why = {{0}};
	long poll_ms;
	if (config_int(&ctx->cfg, "notify", "poll_ms", POLL_MS_DEFAULT, 100, 600000, &poll_ms, &why))
		return cli_refuse(ctx, &why);
	char path[4096];
	struct store *s = NULL;
	struct notify *n = NULL;
	if (cli_db_path(ctx, path, sizeof path, &why) || store_open(&s, path, &why) ||
	    notify_create(&n, s, &ctx->cfg, ctx->assets, &why)) {
		store_close(s);
		return cli_refuse(ctx, &why);
	}
	struct notify_result r = {0};
	rc = notify_run(n, once, (int)poll_ms, cli_stop_on_signals(), &r, &why);
	notify_destroy(n);
	store_close(s);
	if (rc)
		return cli_refuse(ctx, &why);
	printf("sent %d, to try again later %d, failed %d, late cases given a new date %d\n",
	       r.sent, r.retried, r.failed, r.late);
	return fflush(stdout) ? CLI_FAILED : CLI_OK;
}

int cli_notify(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "run"))
		return cli_usage(ctx, "say what to do: run (see kiosk notify --help)");
	return notify_cmd_run(ctx, argc - 1, argv + 1);
}
