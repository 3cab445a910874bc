/* kiosk run: open the devices and the database, then hand over to the UI
 * (app/ui). Everything here is wiring; the screens live in app/ui. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "domain/case_receipt.h"
#include "drivers/printer.h"
#include "drivers/scanner.h"
#include "services/notify/notify.h"
#include "services/purge.h"
#include "services/offline.h"
#include "store/store_handle.h"
#include "ui/modes.h"
#include "ui/toolkit/ui.h"

static int parse_window(const char *s, int *w, int *h)
{
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	const char *p = end + 1;
	long b = strtol(p, &end, 10);
	if (end == p || *end || a < 320 || b < 320 || a > 8192 || b > 8192)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

/* Refuse a --dump-ui path that cannot be written before any window opens
 * (the dump is written next to it as PATH.tmp, then renamed). */
static int dump_writable(const char *path, struct kiosk_why *why)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return kiosk_fail(why, KIOSK_EINVAL, "cannot write the UI tree to %.200s: %s", path,
				  strerror(errno));
	close(fd);
	unlink(tmp);
	return 0;
}

static const char *font_or_default(const char *cfg_path, const char *fallback)
{
	return cfg_path && *cfg_path ? cfg_path : fallback;
}

int cli_run(struct cli_ctx *cli, int argc, char **argv)
{
	const char *mode_name = "kiosk", *scanner_spec = "auto", *printer_spec = "auto";
	const char *window = NULL, *dump = NULL;
	bool fullscreen = false;
	const struct cli_opt opts[] = {
		{"--mode", &mode_name, NULL},       {"--scanner", &scanner_spec, NULL},
		{"--printer", &printer_spec, NULL}, {"--window", &window, NULL},
		{"--fullscreen", NULL, &fullscreen}, {"--dump-ui", &dump, NULL},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(cli, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	const struct ui_mode_ops *mode = ui_mode_find(mode_name);
	if (!mode)
		return cli_usage(cli, "--mode must be kiosk or counter, not '%.20s'", mode_name);
	/* before the scanner, printer and sender threads start */
	ui_hold_stop_signals();
	struct ui_run_opts ro = {.fullscreen = fullscreen, .dump_path = dump};
	if (window && fullscreen)
		return cli_usage(cli, "give either --window WxH or --fullscreen, not both");
	if (window && parse_window(window, &ro.win_w, &ro.win_h))
		return cli_usage(cli, "--window wants WIDTHxHEIGHT between 320 and 8192, e.g. 1080x1920, not '%.20s'",
				 window);
	ro.font_path = font_or_default(config_get(&cli->cfg, "kiosk", "font"),
				       "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	ro.font_bold_path = font_or_default(config_get(&cli->cfg, "kiosk", "font_bold"),
					    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
	if (access(ro.font_path, R_OK))
		return cli_usage(cli, "cannot read the font %.200s (set [kiosk] font in the store configuration)",
				 ro.font_path);

	struct kiosk_why why = {{0}};
	if (dump && dump_writable(dump, &why))
		return cli_usage(cli, "%s", why.text);
	struct ui_ctx ctx = {.cfg = &cli->cfg, .assets = cli->assets, .modes = ui_modes};
	ctx.kiosk_name = config_get_str(&cli->cfg, "kiosk", "name", "kiosk");
	char db[4096];
	if (cli_db_path(cli, db, sizeof db, &why))
		return cli_refuse(cli, &why);
	if (i18n_create(&ctx.tr_sv, cli->assets, "sv", &why) ||
	    i18n_create(&ctx.tr_en, cli->assets, "en", &why)) {
		rc = cli_refuse(cli, &why);
		goto out;
	}
	ctx.tr = !strcmp(cli->lang, "en") ? ctx.tr_en : ctx.tr_sv;
	snprintf(ctx.lang, sizeof ctx.lang, "%s", !strcmp(cli->lang, "en") ? "en" : "sv");
	/* A spec that makes no sense is a usage error; a device that fails is not. */
	if ((rc = scanner_create(&ctx.scanner, scanner_spec, ui_wake_cb, &ctx, &why))) {
		rc = rc == KIOSK_EINVAL ? cli_usage(cli, "%s", why.text) : cli_refuse(cli, &why);
		goto out;
	}
	if ((rc = scanner_set_layout(ctx.scanner, config_get_str(&cli->cfg, "scanner", "layout", "us"),
				     &why))) {
		rc = cli_refuse(cli, &why);
		goto out;
	}
	/* the store's settings that this process reads later, checked now:
	 * refused before anything is opened */
	int paper_dots;
	long notify_poll_ms;
	if ((rc = receipt_paper_dots(&cli->cfg, &paper_dots, &why)) ||
	    (rc = config_int(&cli->cfg, "notify", "poll_ms", 2000, 100, 600000, &notify_poll_ms,
			     &why))) {
		rc = cli_refuse(cli, &why);
		goto out;
	}
	if ((rc = printer_create(&ctx.printer, printer_spec, paper_dots, &why))) {
		rc = rc == KIOSK_EINVAL ? cli_usage(cli, "%s", why.text) : cli_refuse(cli, &why);
		goto out;
	}
	/* the database last: refused options above leave no new file behind */
	ctx.db_path = db;
	/* A kiosk with an offline journal starts without the chain's
	 * database too (it tries again between customers); anything else
	 * needs its database. */
	if (!strcmp(mode_name, "kiosk") &&
	    offline_open(&ctx.offline, &cli->cfg, cli->assets, &why)) {
		rc = cli_refuse(cli, &why);
		goto out;
	}
	if ((rc = store_open(&ctx.store, db, &why)) &&
	    !(ctx.offline && offline_unreachable(rc))) {
		rc = cli_refuse(cli, &why);
		goto out;
	}
	if (rc)
		fprintf(stderr, "kiosk run: %s Cases are taken into the offline journal.\n",
			why.text);
	rc = 0;
	/* Contact details of cases closed past the retention period go at
	 * every start of a kiosk with its own file, as well as with `kiosk
	 * purge`. A shared (PostgreSQL) database is purged by the store's
	 * server (`kiosk purge` on a timer): a kiosk's role may not clear
	 * contact details, and a hundred kiosks need not all do it. */
	struct kiosk_time now;
	int n_purged = 0;
	if (clock_now(&now, &why) ||
	    (ctx.store && !store_is_shared(ctx.store) &&
	     purge_contacts(ctx.store, &cli->cfg, now, &n_purged, &why))) {
		rc = cli_refuse(cli, &why);
		goto out;
	}
	ctx.mode = mode;
	if (mode->init && mode->init(&ctx, &why)) {
		rc = cli_refuse(cli, &why);
		goto out;
	}
	/* the counter's process sends the customers' updates when the store
	 * has set up a channel (a store server may run `kiosk notify run`) */
	struct notify_thread *sender = NULL;
	if (!strcmp(mode_name, "counter") &&
	    (notify_channel_configured(&cli->cfg, CONTACT_EMAIL) ||
	     notify_channel_configured(&cli->cfg, CONTACT_SMS)) &&
	    notify_thread_start(&sender, ctx.store, &cli->cfg, cli->assets,
				(int)notify_poll_ms, &why)) {
		rc = cli_refuse(cli, &why);
		goto out;
	}
	rc = ui_run(&ctx, &ro, &why) ? cli_refuse(cli, &why) : CLI_OK;
	notify_thread_stop(sender);
	if (ctx.mode->destroy) /* the mode running at the end (it may have switched) */
		ctx.mode->destroy(&ctx);
out:
	printer_destroy(ctx.printer);
	if (ctx.scanner)
		scanner_destroy(ctx.scanner);
	store_close(ctx.store);
	offline_close(ctx.offline);
	i18n_destroy(ctx.tr_sv);
	i18n_destroy(ctx.tr_en);
	return rc;
}
