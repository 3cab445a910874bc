/* The command line: a thin shell over the other layers. The dispatcher
 * (cli.c) takes the options every subcommand understands (--db, --config,
 * --lang, anywhere on the line), loads the configuration, and calls one
 * subcommand function with the remaining words. Subcommand --help is
 * answered by the dispatcher from the table in cli.c.
 *
 * Exit status: 0 success, 1 refused input / failed operation (one line on
 * stderr), 2 usage error. */
#ifndef KIOSK_CLI_H
#define KIOSK_CLI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "core/config.h"
#include "core/date.h"
#include "core/err.h"
#include "store/store_handle.h"

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

struct cli_ctx {
	const char *command;     /* subcommand name, e.g. "case" */
	const char *db_opt;      /* --db as given, or NULL */
	const char *config_path; /* --config as given, or NULL */
	const char *lang;        /* --lang, else the store's language */
	const char *assets;      /* assets folder */
	struct kiosk_config cfg; /* loaded store configuration */
};

/* Subcommands: argv[0] is the subcommand name, global options removed. */
int cli_run(struct cli_ctx *ctx, int argc, char **argv);
int cli_scan(struct cli_ctx *ctx, int argc, char **argv);
int cli_import(struct cli_ctx *ctx, int argc, char **argv);
int cli_demo_data(struct cli_ctx *ctx, int argc, char **argv);
int cli_receipt(struct cli_ctx *ctx, int argc, char **argv);
int cli_case(struct cli_ctx *ctx, int argc, char **argv);
int cli_print(struct cli_ctx *ctx, int argc, char **argv);
int cli_staff(struct cli_ctx *ctx, int argc, char **argv);
int cli_report(struct cli_ctx *ctx, int argc, char **argv);
int cli_purge(struct cli_ctx *ctx, int argc, char **argv);
int cli_notify(struct cli_ctx *ctx, int argc, char **argv);
int cli_audit(struct cli_ctx *ctx, int argc, char **argv);
int cli_backup(struct cli_ctx *ctx, int argc, char **argv);
int cli_devices(struct cli_ctx *ctx, int argc, char **argv);
int cli_offline(struct cli_ctx *ctx, int argc, char **argv);

/* The database path: --db, else the default location (folder created). */
int cli_db_path(const struct cli_ctx *ctx, char *buf, size_t len, struct kiosk_why *why);
/* Open the database a command reads or changes but never starts: --db,
 * [store] database or the default. A file that is not there is refused in
 * one sentence (a mistyped path would otherwise become a new, empty
 * database, and the command would answer "No cases." or back it up).
 * path (len bytes) receives the target. A kiosk_err. */
int cli_open_existing(const struct cli_ctx *ctx, struct store **s, char *path, size_t len,
		      struct kiosk_why *why);

/* "kiosk CMD: reason" on stderr; returns CLI_USAGE. */
int cli_usage(const struct cli_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "kiosk CMD: why" on stderr; returns CLI_FAILED. */
int cli_refuse(const struct cli_ctx *ctx, const struct kiosk_why *why);
/* For a command that runs until stopped: SIGTERM and SIGINT set the flag
 * returned (installed once; the same flag every call). */
atomic_bool *cli_stop_on_signals(void);

/* Print a cJSON value (pretty when pretty) followed by newline, then
 * delete it. Returns CLI_OK, or CLI_FAILED if it could not be printed. */
int cli_print_json(cJSON *json, bool pretty);

/* Money in minor units as major units with the currency's decimals
 * (ISO 4217 exponent, 2 unless listed): 129900 SEK -> "1299.00". The JSON
 * form is a number that keeps its decimals. (Defined in cli_receipt.c.) */
void cli_money_text(int64_t minor, const char *currency, char *buf, size_t len);
cJSON *cli_money_json(int64_t minor, const char *currency);


/* Option table for cli_parse. A flag sets *flag; an option with a value
 * stores the word after it (or after '=') in *value. */
struct cli_opt {
	const char *name;    /* "--json" */
	const char **value;  /* non-NULL: takes a value */
	bool *flag;          /* non-NULL: a flag */
};

/* Parse argv[1..argc-1] against opts; words not starting with "--" are
 * positional and go to pos[] (at most max_pos). Returns 0, or CLI_USAGE
 * after printing the reason (unknown option, missing value, too many
 * arguments). */
int cli_parse(const struct cli_ctx *ctx, int argc, char **argv, const struct cli_opt *opts,
	      const char **pos, int max_pos, int *n_pos);

/* Read a PIN: one line of stdin (at a terminal without echo). */
int cli_read_pin(char *pin, size_t len, struct kiosk_why *why);

/* Entry point used by main(). */
int cli_main(int argc, char **argv);

#endif
