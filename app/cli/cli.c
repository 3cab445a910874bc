/* Dispatcher: global options, configuration, help, version. */
#include "cli/cli.h"

#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/paths.h"
#include "domain/model.h"

struct command {
	const char *name;
	int (*fn)(struct cli_ctx *, int, char **);
	const char *usage;
	const char *summary;
};

static const struct command commands[] = {
	{"run", cli_run,
	 "kiosk [run] [--mode kiosk|counter] [--scanner SPEC] [--printer SPEC]\n"
	 "           [--window WxH | --fullscreen] [--dump-ui PATH]",
	 "the touchscreen kiosk (default), or the staff counter view"},
	{"scan", cli_scan, "kiosk scan [--json] DATA|-",
	 "classify and parse one scanned payload (\\r \\n \\x1d \\\\ escapes understood;\n"
	 "      - reads the raw bytes from stdin)"},
	{"import", cli_import, "kiosk import FILE",
	 "import POS receipts: CSV or ARTS POSLog XML (one file is one transaction)"},
	{"demo-data", cli_demo_data, "kiosk demo-data [--sheet PNG]",
	 "seed the database with the demo store and write the demo barcode sheet"},
	{"receipt", cli_receipt, "kiosk receipt show [--json] RECEIPT_ID",
	 "one imported receipt, its lines and what is already returned"},
	{"case", cli_case,
	 "kiosk case list [--json] [--state S] [--overdue]\n"
	 "       kiosk case show [--json] CASE_ID\n"
	 "       kiosk case update CASE_ID [--state S] [--next-step TEXT]\n"
	 "                         [--promised YYYY-MM-DD] [--note TEXT] --staff SID  (PIN on stdin)",
	 "read cases and their timelines; move a case on as a staff member"},
	{"print", cli_print, "kiosk print [--printer SPEC] CASE_ID",
	 "print or reprint a case receipt"},
	{"staff", cli_staff,
	 "kiosk staff add --name NAME --role staff|manager   (PIN on stdin)\n"
	 "       kiosk staff list [--json]\n"
	 "       kiosk staff disable STAFF_ID",
	 "manage staff members"},
	{"report", cli_report,
	 "kiosk report [--json] [--html FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
	 "service figures: how the store treats its customers"},
	{"purge", cli_purge, "kiosk purge [--json]",
	 "delete contact details of cases closed longer than the retention period"},
	{"devices", cli_devices, "kiosk devices [--usbguard] [--scanner usb:VID:PID] [--printer usb:VID:PID]",
	 "the USB devices plugged in; --usbguard: rules allowing only the kiosk's scanner and printer"},
	{"backup", cli_backup, "kiosk backup [--json] FILE",
	 "a consistent copy of this kiosk's SQLite database while it runs, for the backups\n"
	 "      (FILE is replaced whole, and only when it is an SQLite database: an earlier backup)"},
	{"audit", cli_audit, "kiosk audit verify [--json]",
	 "check the audit log's hash chain: no row changed, deleted or added around it"},
	{"offline", cli_offline, "kiosk offline sync [--once] [--json]\n"
	 "       kiosk offline status [--json]",
	 "send the cases this kiosk took offline to the chain (--db), each once, and keep its\n"
	 "      receipt cache fresh; status: what still waits ([offline] in the configuration)"},
	{"notify", cli_notify, "kiosk notify run [--once]",
	 "send the updates customers asked for (e-mail, SMS); --once: until none is due"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const char *global_help =
	"Options for every subcommand (before or after it):\n"
	"  --db PATH       the database: an SQLite file or a PostgreSQL connection string\n"
	"                  (default: [store] database, else $XDG_DATA_HOME/kiosk/kiosk.db)\n"
	"  --config PATH   store configuration (INI), read on top of assets/store.ini\n"
	"  --lang sv|en    start language (default: the store's, sv)\n"
	"Exit status: 0 success, 1 refused input or failed operation, 2 usage error.\n"
	"Environment: KIOSK_NOW=2026-11-23T10:00:00+01:00 replaces the clock;\n"
	"             KIOSK_ASSETS=DIR replaces the assets folder.\n";

static void print_help(FILE *f)
{
	fprintf(f, "kiosk %s: self-service returns and fault reports\n\nUsage:\n", KIOSK_VERSION);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %s\n      %s\n", commands[i].usage, commands[i].summary);
	fprintf(f, "  kiosk --version | --help\n\n%s", global_help);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int cli_usage(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "kiosk%s%s: ", ctx && ctx->command ? " " : "",
		ctx && ctx->command ? ctx->command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_USAGE;
}

static atomic_bool g_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	atomic_store(&g_stop, true);
}

atomic_bool *cli_stop_on_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	return &g_stop;
}

int cli_refuse(const struct cli_ctx *ctx, const struct kiosk_why *why)
{
	fprintf(stderr, "kiosk%s%s: %s\n", ctx && ctx->command ? " " : "",
		ctx && ctx->command ? ctx->command : "", why->text[0] ? why->text : "failed");
	return CLI_FAILED;
}

int cli_print_json(cJSON *json, bool pretty)
{
	char *s = pretty ? cJSON_Print(json) : cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	if (!s) {
		fprintf(stderr, "kiosk: out of memory while writing JSON\n");
		return CLI_FAILED;
	}
	puts(s);
	cJSON_free(s);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

int cli_db_path(const struct cli_ctx *ctx, char *buf, size_t len, struct kiosk_why *why)
{
	const char *conf = config_get(&ctx->cfg, "store", "database");
	if (ctx->db_opt || (conf && *conf)) {
		snprintf(buf, len, "%s", ctx->db_opt ? ctx->db_opt : conf);
		return 0;
	}
	return paths_default_db(buf, len, why);
}

int cli_open_existing(const struct cli_ctx *ctx, struct store **s, char *path, size_t len,
		      struct kiosk_why *why)
{
	int rc = cli_db_path(ctx, path, len, why);
	if (rc)
		return rc;
	if (store_target_is_file(path) && access(path, F_OK))
		return kiosk_fail(why, KIOSK_ENOTFOUND,
				  "There is no database at %s (give --db the kiosk's database, or set "
				  "[store] database in the configuration).",
				  path);
	return store_open(s, path, why);
}

int cli_parse(const struct cli_ctx *ctx, int argc, char **argv, const struct cli_opt *opts,
	      const char **pos, int max_pos, int *n_pos)
{
	int np = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) || !a[2]) {
			if (np >= max_pos)
				return cli_usage(ctx, "unexpected argument '%.60s' (see kiosk %s --help)", a,
						 ctx->command);
			pos[np++] = a;
			continue;
		}
		const char *eq = strchr(a, '=');
		size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
		const struct cli_opt *o = NULL;
		for (const struct cli_opt *p = opts; p && p->name; p++)
			if (strlen(p->name) == nlen && !strncmp(p->name, a, nlen))
				o = p;
		if (!o)
			return cli_usage(ctx, "unknown option '%.*s' (see kiosk %s --help)", (int)nlen, a,
					 ctx->command);
		if (o->flag) {
			if (eq)
				return cli_usage(ctx, "option %s takes no value", o->name);
			*o->flag = true;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return cli_usage(ctx, "option %s needs a value", o->name);
		}
	}
	if (n_pos)
		*n_pos = np;
	return 0;
}

/* Take --db/--config/--lang out of argv wherever they stand. */
static int take_globals(struct cli_ctx *ctx, int *argc, char **argv)
{
	static const char *const names[] = {"--db", "--config", "--lang"};
	const char **slots[] = {&ctx->db_opt, &ctx->config_path, &ctx->lang};
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		int hit = -1;
		const char *val = NULL;
		for (int k = 0; k < 3 && hit < 0; k++) {
			size_t n = strlen(names[k]);
			if (!strcmp(argv[i], names[k])) {
				if (i + 1 >= *argc)
					return cli_usage(ctx, "option %s needs a value", names[k]);
				hit = k;
				val = argv[++i];
			} else if (!strncmp(argv[i], names[k], n) && argv[i][n] == '=') {
				hit = k;
				val = argv[i] + n + 1;
			}
		}
		if (hit >= 0) {
			if (!*val)
				return cli_usage(ctx, "option %s needs a value", names[hit]);
			*slots[hit] = val;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int cli_main(int argc, char **argv)
{
	struct cli_ctx ctx = {0};
	struct kiosk_why why = {{0}};
	int rc = take_globals(&ctx, &argc, argv);
	if (rc)
		return rc;
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "help"))) {
		print_help(stdout);
		return CLI_OK;
	}
	if (argc >= 2 && !strcmp(argv[1], "--version")) {
		printf("kiosk %s\n", KIOSK_VERSION);
		return CLI_OK;
	}
	const struct command *cmd = NULL;
	int shift = 1;
	if (argc >= 2 && strncmp(argv[1], "--", 2)) {
		cmd = find_command(argv[1]);
		if (!cmd)
			return cli_usage(&ctx, "unknown command '%.40s' (see kiosk --help)", argv[1]);
	} else {
		cmd = find_command("run");
		shift = 0; /* options only: they belong to run */
	}
	ctx.command = cmd->name;
	int sub_argc = argc - shift;
	char **sub_argv = argv + shift;
	if (shift == 0)
		sub_argv[0] = (char *)"run";
	for (int i = 1; i < sub_argc; i++) {
		if (!strcmp(sub_argv[i], "--help") || !strcmp(sub_argv[i], "-h")) {
			printf("Usage: %s\n  %s\n\n%s", cmd->usage, cmd->summary, global_help);
			return CLI_OK;
		}
	}
	if (ctx.lang && strcmp(ctx.lang, "sv") && strcmp(ctx.lang, "en"))
		return cli_usage(&ctx, "--lang must be sv or en, not '%.16s'", ctx.lang);
	ctx.assets = paths_assets_dir();
	if (config_load(&ctx.cfg, ctx.assets, ctx.config_path, &why))
		return cli_refuse(&ctx, &why);
	if (!ctx.lang)
		ctx.lang = ctx.cfg.lang;
	rc = cmd->fn(&ctx, sub_argc, sub_argv);
	config_destroy(&ctx.cfg);
	return rc;
}

/* Read one line of stdin into pin. At a terminal the echo is turned off so
 * the PIN is not shown; from a pipe the line is read as is. */
int cli_read_pin(char *pin, size_t len, struct kiosk_why *why)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fputs("PIN: ", stderr);
	}
	char *got = fgets(pin, (int)len, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "No PIN given: write the PIN (%d to %d digits) on standard input.",
				  PIN_MIN_DIGITS, PIN_MAX_DIGITS);
	size_t n = strcspn(pin, "\r\n");
	bool whole_line = pin[n] != '\0' || feof(stdin);
	pin[n] = '\0';
	if (!whole_line)
		return kiosk_fail(why, KIOSK_EINVAL, "The PIN must be %d to %d digits.",
				  PIN_MIN_DIGITS, PIN_MAX_DIGITS);
	return 0;
}
