/* kiosk staff add|list|disable: manage the people who may log in at the
 * counter. A thin shell over desk_staff_* (services/desk.h): the PIN is read from stdin
 * (never argv, where `ps` and shell history would show it), checked here
 * so the refusal is one clear line, and hashed by the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "services/desk.h"
#include "store/store_handle.h"

/* add may make the database (a new store's staff come before its first
 * customer); list and disable need one that is there. */
static int open_store(struct cli_ctx *ctx, struct store **s, bool make, struct kiosk_why *why)
{
	char path[1024];
	if (!make)
		return cli_open_existing(ctx, s, path, sizeof path, why);
	int rc = cli_db_path(ctx, path, sizeof path, why);
	return rc ? rc : store_open(s, path, why);
}

/* 0 when pin is PIN_MIN_DIGITS..PIN_MAX_DIGITS digits 0-9 and nothing else. */
static int pin_check(const char *pin, struct kiosk_why *why)
{
	size_t n = strlen(pin);
	if (n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS || strspn(pin, "0123456789") != n)
		return kiosk_fail(why, KIOSK_EINVAL, "The PIN must be %d to %d digits.",
				  PIN_MIN_DIGITS, PIN_MAX_DIGITS);
	return 0;
}

/* A name is printable text: no control characters, not only spaces. */
static int name_check(const char *name, struct kiosk_why *why)
{
	size_t n = strlen(name);
	bool visible = false;
	if (n >= sizeof((struct staff_record *)0)->name)
		return kiosk_fail(why, KIOSK_EINVAL, "The name is too long (at most %zu bytes).",
				  sizeof((struct staff_record *)0)->name - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch < 0x20 || ch == 0x7f)
			return kiosk_fail(why, KIOSK_EINVAL,
					  "The name must not contain control characters.");
		if (ch != ' ')
			visible = true;
	}
	if (!visible)
		return kiosk_fail(why, KIOSK_EINVAL, "The name must not be empty.");
	return 0;
}

static int staff_add(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *role_s = NULL;
	bool json = false;
	const struct cli_opt opts[] = {
		{"--name", &name, NULL}, {"--role", &role_s, NULL}, {"--json", NULL, &json}, {0}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	if (!name || !role_s)
		return cli_usage(ctx, "staff add needs --name NAME and --role staff|manager");
	enum staff_role role;
	if (staff_role_parse(role_s, &role))
		return cli_usage(ctx, "--role must be staff or manager, not '%.20s'", role_s);

	struct kiosk_why why = {{0}};
	char pin[PIN_MAX_DIGITS + 8] = {0};
	struct kiosk_time now;
	struct store *s = NULL;
	struct staff_record rec = {0};
	if (name_check(name, &why) || cli_read_pin(pin, sizeof pin, &why) || pin_check(pin, &why) ||
	    clock_now(&now, &why) || open_store(ctx, &s, true, &why)) {
		rc = cli_refuse(ctx, &why);
		goto out;
	}
	if (desk_staff_add(s, name, role, pin, now, &rec, &why)) {
		rc = cli_refuse(ctx, &why);
		goto out;
	}
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "staff_id", rec.staff_id);
		cJSON_AddStringToObject(o, "name", rec.name);
		cJSON_AddStringToObject(o, "role", staff_role_name(rec.role));
		cJSON_AddStringToObject(o, "card_code", rec.card_code);
		rc = cli_print_json(o, true);
	} else {
		printf("staff id: %s\ncard code: %s\n", rec.staff_id, rec.card_code);
		rc = CLI_OK;
	}
out:
	/* Do not leave the PIN in a stack buffer longer than needed. */
	explicit_bzero(pin, sizeof pin);
	store_close(s);
	return rc;
}

static int staff_list(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_opt opts[] = {{"--json", NULL, &json}, {0}};
	int rc = cli_parse(ctx, argc, argv, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct kiosk_why why = {{0}};
	struct store *s = NULL;
	struct staff_record *list = NULL;
	int n = 0;
	if (open_store(ctx, &s, false, &why) || desk_staff_list(s, &list, &n, &why)) {
		store_close(s);
		return cli_refuse(ctx, &why);
	}
	store_close(s);
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		for (int i = 0; i < n; i++) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "staff_id", list[i].staff_id);
			cJSON_AddStringToObject(o, "name", list[i].name);
			cJSON_AddStringToObject(o, "role", staff_role_name(list[i].role));
			cJSON_AddBoolToObject(o, "active", list[i].active);
			cJSON_AddStringToObject(o, "card_code", list[i].card_code);
			cJSON_AddItemToArray(arr, o);
		}
		rc = cli_print_json(arr, true);
	} else {
		printf("%-8s %-8s %-9s %s\n", "ID", "ROLE", "STATUS", "NAME");
		for (int i = 0; i < n; i++)
			printf("%-8s %-8s %-9s %s\n", list[i].staff_id, staff_role_name(list[i].role),
			       list[i].active ? "active" : "disabled", list[i].name);
		rc = CLI_OK;
	}
	free(list);
	return rc;
}

static int staff_disable(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *pos[1];
	int np = 0;
	const struct cli_opt opts[] = {{0}};
	int rc = cli_parse(ctx, argc, argv, opts, pos, 1, &np);
	if (rc)
		return rc;
	if (np != 1)
		return cli_usage(ctx, "staff disable needs one STAFF_ID, e.g. S001");
	struct kiosk_why why = {{0}};
	struct kiosk_time now;
	struct store *s = NULL;
	if (clock_now(&now, &why) || open_store(ctx, &s, false, &why) ||
	    desk_staff_disable(s, pos[0], now, &why))
		rc = cli_refuse(ctx, &why);
	else
		printf("%s disabled\n", pos[0]);
	store_close(s);
	return rc;
}

/* The verbs, in the order --help lists them. */
static const struct {
	const char *verb;
	int (*fn)(struct cli_ctx *, int, char **);
} verbs[] = {
	{"add", staff_add},
	{"list", staff_list},
	{"disable", staff_disable},
};

int cli_staff(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(ctx, "say what to do: add, list or disable (see kiosk staff --help)");
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (!strcmp(argv[1], verbs[i].verb))
			return verbs[i].fn(ctx, argc - 1, argv + 1);
	return cli_usage(ctx, "unknown action '%.20s': use add, list or disable", argv[1]);
}
