/* kiosk audit verify [--json]: check the audit log's hash chain. Exit 0
 * when intact, 1 with one line per problem on stderr (at most 50, then a
 * count), or when the database cannot be read. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "services/audit.h"

#define MAX_SHOWN 50

struct problems {
	const struct cli_ctx *ctx;
	cJSON *list; /* --json: the sentences */
	int64_t seen;
};

static void on_problem(void *arg, const char *sentence)
{
	struct problems *p = arg;
	if (p->seen++ >= MAX_SHOWN)
		return;
	if (p->list)
		cJSON_AddItemToArray(p->list, cJSON_CreateString(sentence));
	else
		fprintf(stderr, "kiosk %s: %s\n", p->ctx->command, sentence);
}

int cli_audit(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const char *pos[1];
	int n_pos = 0;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, pos, 1, &n_pos);
	if (rc)
		return rc;
	if (n_pos != 1 || strcmp(pos[0], "verify") != 0)
		return cli_usage(ctx, "expected: kiosk audit verify [--json]");

	struct kiosk_why why = {{0}};
	char path[4096];
	struct store *s = NULL;
	if (cli_open_existing(ctx, &s, path, sizeof path, &why))
		return cli_refuse(ctx, &why);
	struct problems p = {ctx, json ? cJSON_CreateArray() : NULL, 0};
	struct audit_verdict v;
	rc = audit_verify(s, on_problem, &p, &v, &why);
	store_close(s);
	if (rc) {
		cJSON_Delete(p.list);
		return cli_refuse(ctx, &why);
	}
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddBoolToObject(o, "intact", v.problems == 0);
		cJSON_AddNumberToObject(o, "rows", (double)v.rows);
		cJSON_AddNumberToObject(o, "links", (double)v.links);
		cJSON_AddNumberToObject(o, "head_seq", (double)v.head_seq);
		cJSON_AddStringToObject(o, "head", v.head_hex);
		cJSON_AddNumberToObject(o, "problem_count", (double)v.problems);
		cJSON_AddItemToObject(o, "problems", p.list);
		rc = cli_print_json(o, true);
		return rc ? rc : v.problems ? CLI_FAILED : CLI_OK;
	}
	if (v.problems) {
		if (v.problems > MAX_SHOWN)
			fprintf(stderr, "kiosk %s: … and %" PRId64 " more problems.\n", ctx->command,
				v.problems - MAX_SHOWN);
		fprintf(stderr, "kiosk %s: the audit log is NOT intact: %" PRId64 " problem%s in %" PRId64
				" rows.\n",
			ctx->command, v.problems, v.problems == 1 ? "" : "s", v.rows);
		return CLI_FAILED;
	}
	printf("The audit log is intact: %" PRId64 " row%s, each chained to the one before.\n", v.rows,
	       v.rows == 1 ? "" : "s");
	if (v.head_seq)
		printf("Head: link %" PRId64 " %s (keep it: a log cut back to before it shows a "
		       "different head).\n",
		       v.head_seq, v.head_hex);
	return CLI_OK;
}
