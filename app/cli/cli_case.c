/* kiosk case list [--json] [--state S] [--overdue]
 * kiosk case show [--json] CASE_ID
 *
 * Read-only views of the cases for store IT and the counter
 * (interfaces.md §3b). What is shown: the case, its lines, the decision
 * with the rule and numbers behind it, the timeline. The contact the
 * customer left for updates is shown by "case show" (the counter needs it
 * to reach the customer; it is only there with consent and is purged after
 * the retention period) but never by "case list". Never shown: the case
 * token (only its hash is stored) and the ID-document hash (only whether
 * there was one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/wipe.h"
#include "services/case_update.h"
#include "services/desk.h"
#include "store/store_handle.h"

static void add_time(cJSON *o, const char *key, struct kiosk_time t)
{
	char iso[32];
	time_format_iso(t, iso, sizeof iso);
	cJSON_AddStringToObject(o, key, iso);
}

static void add_day_or_null(cJSON *o, const char *key, int64_t day)
{
	char buf[16];
	if (day <= 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	date_format(day, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
	if (v && *v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* The fields of "case list" (and the head of "case show"). */
static cJSON *case_summary_json(const struct case_record *c, const char *currency)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "case_id", c->case_id);
	cJSON_AddStringToObject(o, "kind", case_kind_name(c->kind));
	cJSON_AddStringToObject(o, "state", case_state_name(c->state));
	add_time(o, "created_at", c->created_at);
	add_day_or_null(o, "promised_at", c->decision.promised_day);
	cJSON_AddBoolToObject(o, "overdue", c->overdue);
	cJSON_AddBoolToObject(o, "taken_offline", c->taken_offline);
	add_time(o, "updated_at", c->updated_at);
	cJSON_AddStringToObject(o, "store", c->store);
	add_str_or_null(o, "receipt_id", c->receipt_id);
	cJSON_AddStringToObject(o, "outcome", case_outcome_name(c->decision.outcome));
	cJSON_AddItemToObject(o, "amount", cli_money_json(c->decision.amount, currency));
	cJSON_AddStringToObject(o, "currency", currency);
	cJSON_AddStringToObject(o, "lang", c->lang);
	cJSON_AddBoolToObject(o, "wants_updates", c->wants_updates);
	cJSON_AddBoolToObject(o, "receipt_printed", c->receipt_printed);
	return o;
}

static cJSON *case_full_json(const struct case_record *c, const struct case_event *ev, int n_ev,
			     const char *currency)
{
	cJSON *o = case_summary_json(c, currency);
	cJSON_AddStringToObject(o, "product", c->product);
	cJSON_AddStringToObject(o, "customer_text", c->customer_text);
	add_str_or_null(o, "contact", c->contact);
	cJSON_AddBoolToObject(o, "has_id_document", c->id_hash[0] != 0);
	cJSON *lines = cJSON_AddArrayToObject(o, "lines");
	for (int i = 0; i < c->n_lines; i++) {
		const struct case_line *l = &c->lines[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "line", i + 1);
		if (l->receipt_line > 0)
			cJSON_AddNumberToObject(j, "receipt_line", l->receipt_line);
		else
			cJSON_AddNullToObject(j, "receipt_line");
		cJSON_AddStringToObject(j, "sku", l->sku);
		cJSON_AddStringToObject(j, "description", l->description);
		cJSON_AddNumberToObject(j, "quantity", l->quantity);
		cJSON_AddItemToObject(j, "unit_price", cli_money_json(l->unit_price, currency));
		cJSON_AddStringToObject(j, "category", l->category);
		cJSON_AddStringToObject(j, "reason", return_reason_name(l->reason));
		cJSON_AddStringToObject(j, "condition", item_condition_name(l->condition));
		cJSON_AddItemToArray(lines, j);
	}
	const struct decision *d = &c->decision;
	cJSON *dj = cJSON_AddObjectToObject(o, "decision");
	cJSON_AddStringToObject(dj, "outcome", case_outcome_name(d->outcome));
	cJSON_AddStringToObject(dj, "rule", d->rule);
	cJSON_AddStringToObject(dj, "explanation", d->explanation);
	/* details are the numbers as compact JSON; kept as text if they are not */
	cJSON *details = d->details[0] ? cJSON_Parse(d->details) : NULL;
	if (details)
		cJSON_AddItemToObject(dj, "details", details);
	else
		cJSON_AddStringToObject(dj, "details", d->details);
	cJSON_AddItemToObject(dj, "amount", cli_money_json(d->amount, currency));
	cJSON_AddStringToObject(o, "next_step", d->next_step);
	cJSON *tl = cJSON_AddArrayToObject(o, "timeline");
	for (int i = 0; i < n_ev; i++) {
		cJSON *j = cJSON_CreateObject();
		add_time(j, "at", ev[i].at);
		cJSON_AddStringToObject(j, "actor", ev[i].actor);
		cJSON_AddStringToObject(j, "event", ev[i].event);
		cJSON_AddStringToObject(j, "text", ev[i].text);
		cJSON_AddItemToArray(tl, j);
	}
	return o;
}

/* The messages sent (or waiting) to the customer: what, how, when, how it
 * went. The text sent is in the outbox, not here. */
static void messages_json(cJSON *o, const struct outbox_msg *m, int n)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "messages");
	for (int i = 0; i < n; i++) {
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "kind", m[i].kind);
		add_str_or_null(j, "state", m[i].state_to);
		cJSON_AddStringToObject(j, "channel", m[i].channel);
		cJSON_AddStringToObject(j, "recipient", m[i].recipient);
		cJSON_AddStringToObject(j, "msg_id", m[i].msg_id);
		add_time(j, "created_at", m[i].created_at);
		cJSON_AddStringToObject(j, "status", m[i].status);
		cJSON_AddNumberToObject(j, "attempts", m[i].attempts);
		if (m[i].sent_s)
			add_time(j, "sent_at", (struct kiosk_time){m[i].sent_s,
								   m[i].created_at.offset_min});
		else
			cJSON_AddNullToObject(j, "sent_at");
		add_str_or_null(j, "last_error", m[i].last_error);
		cJSON_AddItemToArray(arr, j);
	}
}

/* `case list` writes each case as the store hands it over, so the list
 * costs the same memory for ten cases or a million. */
struct list_out {
	bool json;
	const char *currency;
	int n;
};

static int list_row(void *arg, const struct case_record *c)
{
	struct list_out *o = arg;
	if (o->json) {
		cJSON *j = case_summary_json(c, o->currency);
		char *s = j ? cJSON_Print(j) : NULL;
		cJSON_Delete(j);
		if (!s)
			return KIOSK_ENOMEM;
		printf("%s%s", o->n ? ", " : "[", s);
		cJSON_free(s);
	} else {
		if (!o->n)
			printf("%-9s %-6s %-18s %-16s %s\n", "case", "kind", "state", "created",
			       "promised");
		char created[32], promised[16] = "-";
		time_format_iso(c->created_at, created, sizeof created);
		created[16] = 0; /* YYYY-MM-DDTHH:MM */
		created[10] = ' ';
		if (c->decision.promised_day > 0)
			date_format(c->decision.promised_day, promised, sizeof promised);
		printf("%-9s %-6s %-18s %-16s %s%s\n", c->case_id, case_kind_name(c->kind),
		       case_state_name(c->state), created, promised, c->overdue ? " OVERDUE" : "");
	}
	o->n++;
	return 0;
}

static void case_show_print(const struct case_record *c, const struct case_event *ev, int n_ev,
			    const char *currency)
{
	char t[32], money[32], day[16] = "-";
	time_format_iso(c->created_at, t, sizeof t);
	printf("Case %s (%s), %s%s\n", c->case_id, case_kind_name(c->kind),
	       case_state_name(c->state), c->overdue ? ", OVERDUE" : "");
	printf("Created:   %s, store %s, language %s\n", t, c->store, c->lang);
	printf("Receipt:   %s\n", c->receipt_id[0] ? c->receipt_id : "none");
	if (c->product[0])
		printf("Product:   %s\n", c->product);
	if (c->customer_text[0])
		printf("Customer:  %s\n", c->customer_text);
	printf("Contact:   %s\n", c->contact[0] ? c->contact : "none");
	for (int i = 0; i < c->n_lines; i++) {
		const struct case_line *l = &c->lines[i];
		cli_money_text(l->unit_price, currency, money, sizeof money);
		printf("Item %d:    %d x %s %s at %s %s (%s, %s)\n", i + 1, l->quantity, l->sku,
		       l->description, money, currency, return_reason_name(l->reason),
		       item_condition_name(l->condition));
	}
	const struct decision *d = &c->decision;
	cli_money_text(d->amount, currency, money, sizeof money);
	printf("Decision:  %s, %s %s, rule %s\n", case_outcome_name(d->outcome), money, currency,
	       d->rule[0] ? d->rule : "-");
	if (d->explanation[0])
		printf("Why:       %s\n", d->explanation);
	if (d->details[0])
		printf("Numbers:   %s\n", d->details);
	if (d->promised_day > 0)
		date_format(d->promised_day, day, sizeof day);
	printf("Next step: %s (promised by %s)\n", d->next_step[0] ? d->next_step : "-", day);
	printf("Printed:   %s\nTimeline:\n", c->receipt_printed ? "yes" : "no");
	for (int i = 0; i < n_ev; i++) {
		time_format_iso(ev[i].at, t, sizeof t);
		printf("  %s  %-14s %-12s %s\n", t, ev[i].actor, ev[i].event, ev[i].text);
	}
}

static int today_of(const struct cli_ctx *ctx, int64_t *today)
{
	struct kiosk_time now;
	struct kiosk_why why = {{0}};
	if (clock_now(&now, &why))
		return cli_refuse(ctx, &why);
	*today = time_local_days(now);
	return 0;
}

/* Opened only after the words are understood, so a typo never creates a
 * database file. */
static int open_store(const struct cli_ctx *ctx, struct store **s)
{
	char path[4096];
	struct kiosk_why why = {{0}};
	if (cli_open_existing(ctx, s, path, sizeof path, &why))
		return cli_refuse(ctx, &why);
	return 0;
}

static int case_list(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false, overdue = false;
	const char *state = NULL;
	const struct cli_opt opts[] = {{"--json", NULL, &json},
				       {"--state", &state, NULL},
				       {"--overdue", NULL, &overdue},
				       {NULL, NULL, NULL}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct case_filter f = {.overdue_only = overdue};
	if (state) {
		if (case_state_parse(state, &f.state))
			return cli_usage(ctx,
					 "unknown state '%.32s' (registered, waiting_for_staff, approved, "
					 "refused, at_repair, back_from_repair, ready_for_pickup, closed)",
					 state);
		f.by_state = true;
	}
	struct store *s = NULL;
	if ((rc = today_of(ctx, &f.today)) || (rc = open_store(ctx, &s)))
		return rc;
	struct kiosk_why why = {{0}};
	struct list_out out = {json, ctx->cfg.currency, 0};
	rc = desk_case_each(s, &f, list_row, &out, &why);
	store_close(s);
	if (rc == KIOSK_ENOMEM)
		kiosk_fail(&why, rc, "Out of memory while writing the list.");
	if (rc)
		return cli_refuse(ctx, &why);
	if (json)
		puts(out.n ? "]" : "[]");
	else if (!out.n)
		printf("No cases.\n");
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

static int case_show(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
	const char *pos[1];
	int n_pos = 0;
	int rc = cli_parse(ctx, argc, argv, opts, pos, 1, &n_pos);
	if (rc)
		return rc;
	if (n_pos != 1)
		return cli_usage(ctx, "which case? kiosk case show [--json] CASE_ID");
	int64_t today = 0;
	struct store *s = NULL;
	if ((rc = today_of(ctx, &today)) || (rc = open_store(ctx, &s)))
		return rc;
	struct kiosk_why why = {{0}};
	struct desk_case d;
	rc = desk_case_open(s, pos[0], today, &d, &why);
	store_close(s);
	if (rc) {
		desk_case_free(&d);
		return cli_refuse(ctx, &why);
	}
	if (json) {
		cJSON *o = case_full_json(&d.c, d.events, d.n_events, ctx->cfg.currency);
		messages_json(o, d.msgs, d.n_msgs);
		rc = cli_print_json(o, true);
	} else {
		case_show_print(&d.c, d.events, d.n_events, ctx->cfg.currency);
	}
	desk_case_free(&d);
	return rc;
}

/* kiosk case update ID [--state S] [--next-step TEXT] [--promised DATE]
 * [--note TEXT] --staff SID, the staff member's PIN on stdin. */
static int case_update_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *state = NULL, *next = NULL, *promised = NULL, *note = NULL, *staff = NULL;
	const struct cli_opt opts[] = {{"--state", &state, NULL},       {"--next-step", &next, NULL},
				       {"--promised", &promised, NULL}, {"--note", &note, NULL},
				       {"--staff", &staff, NULL},       {NULL, NULL, NULL}};
	const char *pos[1];
	int n_pos = 0;
	int rc = cli_parse(ctx, argc, argv, opts, pos, 1, &n_pos);
	if (rc)
		return rc;
	if (n_pos != 1 || !staff)
		return cli_usage(ctx, "kiosk case update CASE_ID [--state S] [--next-step TEXT]"
				      " [--promised YYYY-MM-DD] [--note TEXT] --staff STAFF_ID");
	struct case_update u = {.case_id = pos[0], .next_step = next, .note = note};
	if (state && (u.set_state = true, case_state_parse(state, &u.state)))
		return cli_usage(ctx, "unknown state '%.30s'", state);
	if (promised && (u.set_promised = true, date_parse(promised, &u.promised_day)))
		return cli_usage(ctx, "--promised wants a date YYYY-MM-DD, not '%.30s'", promised);
	struct kiosk_why why = {{0}};
	char pin[64];
	struct kiosk_time now;
	if (cli_read_pin(pin, sizeof pin, &why) || clock_now(&now, &why))
		return cli_refuse(ctx, &why);
	struct store *s = NULL;
	if ((rc = open_store(ctx, &s))) {
		mem_wipe(pin, sizeof pin);
		return rc;
	}
	struct policy pol;
	struct i18n *sv = NULL, *en = NULL;
	if (!(rc = policy_load(&pol, &ctx->cfg, &why)) &&
	    !(rc = i18n_create(&sv, ctx->assets, "sv", &why)) &&
	    !(rc = i18n_create(&en, ctx->assets, "en", &why))) {
		struct desk_rules rules = {&pol, sv, en};
		rc = case_update_apply(s, &rules, staff, pin, &u, now, &why);
	}
	i18n_destroy(sv);
	i18n_destroy(en);
	mem_wipe(pin, sizeof pin);
	store_close(s);
	if (rc)
		return cli_refuse(ctx, &why);
	printf("%s updated\n", u.case_id);
	return fflush(stdout) ? CLI_FAILED : CLI_OK;
}

int cli_case(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "update"))
		return case_update_cmd(ctx, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return case_list(ctx, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return case_show(ctx, argc - 1, argv + 1);
	return cli_usage(ctx, "say 'list', 'show' or 'update' (see kiosk case --help)");
}
