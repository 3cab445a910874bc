/* kiosk purge: placeholder until its issue lands (prints a refusal). */
#include <stdio.h>
#include "cli/cli.h"

int cli_purge(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kiosk %s: this command is not available in this build yet\n", ctx->command);
	return CLI_FAILED;
}
