/* kiosk offline sync [--once] [--json] | status [--json]: the kiosk's
 * offline journal ([offline] in the store configuration; --db is the
 * chain's database).
 *
 * sync sends the cases taken offline to the chain, oldest first, each once,
 * and keeps the journal's receipt cache fresh. Without --once it runs
 * until SIGTERM or SIGINT, waiting out the chain's absences; with --once it
 * makes one pass and says what it did. A kiosk runs it beside `kiosk run`
 * (assets/deploy/systemd/kiosk-sync.service). status says what waits. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "domain/policy.h"
#include "services/offline.h"
#include "store/store_handle.h"

#define POLL_MS_DEFAULT 2000
#define REFRESH_MINUTES_DEFAULT 30
/* Cases sent per pass before the cache and the signals get a look. */
#define PASS_MAX 200

/* Sleeps ms unless stop is (or becomes, by a signal) set. */
static void sleep_ms(long ms, const atomic_bool *stop)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (!atomic_load(stop) && nanosleep(&ts, &ts))
		;
}

struct sync_totals {
	struct offline_replay_result r;
	int sent, already, to_staff, cached;
};

/* One pass: connect if needed, send, refresh when due. */
static int pass(struct cli_ctx *ctx, struct offline *o, struct store **chain,
		const struct policy *p, bool refresh, struct sync_totals *t,
		struct kiosk_why *why)
{
	struct kiosk_time now;
	char path[4096];
	int rc = clock_now(&now, why);
	if (rc)
		return rc;
	if (!*chain && ((rc = cli_db_path(ctx, path, sizeof path, why)) ||
			(rc = store_open(chain, path, why))))
		return rc;
	if ((rc = offline_replay(o, *chain, p, now, PASS_MAX, &t->r, why)))
		return rc;
	t->sent += t->r.sent;
	t->already += t->r.already;
	t->to_staff += t->r.to_staff;
	if (refresh) {
		int n = 0;
		if ((rc = offline_refresh(o, *chain, now, &n, why)))
			return rc;
		t->cached = n;
	}
	return 0;
}

static int print_result(const struct sync_totals *t, bool json)
{
	if (json) {
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "sent", t->sent);
		cJSON_AddNumberToObject(j, "already_there", t->already);
		cJSON_AddNumberToObject(j, "to_staff", t->to_staff);
		cJSON_AddNumberToObject(j, "waiting", (double)t->r.left);
		cJSON_AddNumberToObject(j, "receipts_cached", t->cached);
		return cli_print_json(j, true);
	}
	printf("sent %d (for staff: %d), already there %d, still waiting %lld, receipts cached %d\n",
	       t->sent, t->to_staff, t->already, (long long)t->r.left, t->cached);
	return fflush(stdout) ? CLI_FAILED : CLI_OK;
}

/* A kiosk without [offline] journal is a configuration to fix, not a
 * failure to retry: a usage error (kiosk-sync.service then stays stopped,
 * RestartPreventExitStatus=2). */
static bool has_journal(const struct cli_ctx *ctx)
{
	return config_get_str(&ctx->cfg, "offline", "journal", "")[0] != '\0';
}

static int no_journal(const struct cli_ctx *ctx)
{
	return cli_usage(ctx, "this kiosk has no offline journal: set [offline] journal and "
			      "kiosk_number in its configuration");
}

static int offline_sync(struct cli_ctx *ctx, int argc, char **argv)
{
	bool once = false, json = false;
	const struct cli_opt opts[] = {
		{"--once", NULL, &once}, {"--json", NULL, &json}, {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct kiosk_why why = {{0}};
	long poll_ms, refresh_min;
	if (config_int(&ctx->cfg, "offline", "poll_ms", POLL_MS_DEFAULT, 100, 600000, &poll_ms,
		       &why) ||
	    config_int(&ctx->cfg, "offline", "refresh_minutes", REFRESH_MINUTES_DEFAULT, 1, 1440,
		       &refresh_min, &why))
		return cli_refuse(ctx, &why);
	struct policy p;
	struct offline *o = NULL;
	if (!has_journal(ctx))
		return no_journal(ctx);
	if (policy_load(&p, &ctx->cfg, &why) || offline_open(&o, &ctx->cfg, ctx->assets, &why))
		return cli_refuse(ctx, &why);
	atomic_bool *stop = cli_stop_on_signals();
	struct store *chain = NULL;
	struct sync_totals t = {0};
	int64_t next_refresh = 0;
	bool more;
	do {
		int64_t now_ms = clock_mono_ms();
		bool refresh = now_ms >= next_refresh;
		rc = pass(ctx, o, &chain, &p, refresh, &t, &why);
		if (!rc && refresh)
			next_refresh = now_ms + refresh_min * 60000;
		if (rc && !once)
			fprintf(stderr, "kiosk offline: %s\n", why.text); /* and wait */
		/* a pass sends PASS_MAX at most: go on at once while it can */
		more = !rc && t.r.left > 0 && t.r.sent + t.r.already > 0;
		if (!once && !more)
			sleep_ms(poll_ms, stop);
	} while ((more || !once) && !atomic_load(stop));
	store_close(chain);
	offline_close(o);
	if (rc && once)
		return cli_refuse(ctx, &why);
	return print_result(&t, json);
}

static int offline_status(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct kiosk_why why = {{0}};
	struct offline *o = NULL;
	int64_t n = 0;
	struct kiosk_time oldest = {0};
	if (!has_journal(ctx))
		return no_journal(ctx);
	if (offline_open(&o, &ctx->cfg, ctx->assets, &why) ||
	    offline_pending(o, &n, &oldest, &why)) {
		offline_close(o);
		return cli_refuse(ctx, &why);
	}
	offline_close(o);
	char iso[32] = "";
	if (oldest.unix_s)
		time_format_iso(oldest, iso, sizeof iso);
	if (json) {
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "waiting", (double)n);
		if (iso[0])
			cJSON_AddStringToObject(j, "oldest", iso);
		else
			cJSON_AddNullToObject(j, "oldest");
		return cli_print_json(j, true);
	}
	if (n)
		printf("%lld case%s taken offline wait%s to be sent, the oldest from %s\n",
		       (long long)n, n == 1 ? "" : "s", n == 1 ? "s" : "", iso);
	else
		printf("no case waits to be sent\n");
	return CLI_OK;
}

int cli_offline(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "sync"))
		return offline_sync(ctx, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "status"))
		return offline_status(ctx, argc - 1, argv + 1);
	return cli_usage(ctx, "say what to do: sync or status (see kiosk offline --help)");
}
