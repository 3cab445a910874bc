/* kiosk import FILE: POS receipts from CSV or ARTS POSLog, all or nothing.
 * Progress is one updating line on stderr, and only where someone watches
 * it (a terminal: in a log or a pipe the carriage returns are noise); that
 * it waits for another import is one line wherever stderr goes (a nightly
 * job's log says why it took longer). The summary goes to stdout so
 * scripts can read it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "services/import.h"

struct progress {
	const char *path;
	bool tty;
	int last_pct;
	enum import_phase last_phase;
	bool shown;
};

static void show_progress(void *arg, enum import_phase phase, size_t done, size_t total)
{
	struct progress *p = arg;
	if (phase == IMPORT_PHASE_WAIT) {
		if (p->shown) /* after the progress line, not over it */
			fputc('\n', stderr);
		p->shown = false;
		fprintf(stderr, "kiosk import: %s: waiting for another import to finish "
				"(up to %zu seconds)\n", p->path, total);
		fflush(stderr);
		return;
	}
	if (!p->tty)
		return;
	int pct = total ? (int)(done * 100 / total) : 100;
	if (p->shown && phase == p->last_phase && pct == p->last_pct)
		return;
	p->last_pct = pct;
	p->last_phase = phase;
	p->shown = true;
	if (phase == IMPORT_PHASE_READ)
		fprintf(stderr, "\rimporting %s: %3d%%          ", p->path, pct);
	else
		fprintf(stderr, "\rsaving receipts: %zu of %zu (%d%%)   ", done, total, pct);
	fflush(stderr);
}

int cli_import(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *pos[1];
	int n_pos = 0;
	struct kiosk_why why = {{0}};
	int rc = cli_parse(ctx, argc, argv, NULL, pos, 1, &n_pos);
	if (rc)
		return rc;
	if (n_pos != 1)
		return cli_usage(ctx, "give one file to import (see kiosk import --help)");
	const char *path = pos[0];
	char db[4096];
	if (cli_db_path(ctx, db, sizeof db, &why))
		return cli_refuse(ctx, &why);
	struct progress prog = {.path = path, .tty = isatty(STDERR_FILENO)};

	struct store *s = NULL;
	if (store_open(&s, db, &why))
		return cli_refuse(ctx, &why);
	struct import_summary sum;
	rc = import_file(s, &ctx->cfg, path, show_progress, &prog, &sum, &why);
	store_close(s);
	if (prog.shown)
		fputc('\n', stderr);
	if (rc) {
		fprintf(stderr, "kiosk import: %s: %s (nothing was imported)\n", path, why.text);
		return CLI_FAILED;
	}
	printf("%s: %s, %d receipt%s with %ld line%s, %d new receipt%s\n", path,
	       import_format_name(sum.format), sum.n_receipts, sum.n_receipts == 1 ? "" : "s",
	       sum.n_lines, sum.n_lines == 1 ? "" : "s", sum.n_new, sum.n_new == 1 ? "" : "s");
	return fflush(stdout) ? CLI_FAILED : CLI_OK;
}
