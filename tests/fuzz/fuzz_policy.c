/* libFuzzer target: the return and warranty policy. The input is a store
 * INI (read on top of the demo store, as --config is), a NUL byte, then
 * bytes that make up a return or fault request. Beyond "does not crash"
 * (UBSan watches the day and money arithmetic): a loaded policy holds only
 * sane numbers, a refusal says why and leaves the decision untouched, and
 * every decision has a rule, filled sentences, valid JSON details, an
 * amount that is not negative and a promised day not before today. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "domain/policy.h"

/* Compiled in so libFuzzer's coverage sees the policy (see fuzz_csv.c). */
#include "../../app/domain/policy.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct bytes {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct bytes *b, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++) {
		v = v << 8 | (b->n ? *b->p : 0);
		if (b->n) {
			b->p++;
			b->n--;
		}
	}
	return v;
}

static void check_decision(const struct decision *d, int64_t today)
{
	if ((unsigned)d->outcome >= OUTCOME_COUNT || !d->rule[0] || !d->explanation[0] ||
	    !d->next_step[0] || strchr(d->explanation, '{') || strchr(d->next_step, '{') ||
	    d->amount < 0 || d->promised_day < today)
		abort();
	cJSON *j = cJSON_Parse(d->details);
	if (!cJSON_IsObject(j))
		abort();
	cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct i18n *t;
	static const char *const cats[] = {"electronics", "clothing", "furniture",
					   "hygiene",     "garden",   ""};
	if (!t && i18n_create(&t, paths_assets_dir(), "en", NULL))
		abort();
	const uint8_t *nul = memchr(data, 0, size);
	size_t ini_len = nul ? (size_t)(nul - data) : size;
	char *ini = malloc(ini_len + 1);
	memcpy(ini, data, ini_len);
	ini[ini_len] = 0;
	struct bytes b = {nul ? nul + 1 : data + size, nul ? size - ini_len - 1 : 0};

	struct kiosk_config cfg;
	struct policy p;
	struct kiosk_why why = {{0}};
	if (config_load(&cfg, paths_assets_dir(), NULL, &why))
		abort();
	if (config_read_string(&cfg, ini, &why) || policy_load(&p, &cfg, &why)) {
		if (!why.text[0])
			abort();
		goto out;
	}
	for (int i = -1; i < p.n_cats; i++) {
		const struct policy_category *c = i < 0 ? &p.fallback : &p.cats[i];
		if (c->window_days < 0 || c->window_days > MAX_WINDOW_DAYS)
			abort();
	}
	if (p.presumption_years > p.responsibility_years || p.no_receipt_credit_limit < 0)
		abort();

	unsigned flags = (unsigned)take(&b, 1);
	int64_t purchase = 20000 + (int64_t)take(&b, 2);
	int64_t today = purchase + (int16_t)take(&b, 2);
	struct decision d = {.rule = "untouched"};
	int rc;
	if (flags & 4) {
		struct fault_request fr = {flags & 1, purchase, today};
		rc = policy_decide_fault(&p, &fr, t, &d, &why);
	} else {
		struct policy_line lines[POLICY_MAX_LINES + 2];
		struct return_request rr = {flags & 1, purchase, today, flags & 2,
					    (int32_t)take(&b, 4), (int)(take(&b, 1) % 67), lines,
				    (flags & 4) != 0};
		for (int i = 0; i < rr.n_lines; i++) {
			struct policy_line *l = &lines[i];
			memset(l, 0, sizeof *l);
			l->line = (int)take(&b, 1);
			strcpy(l->category, cats[take(&b, 1) % 6]);
			l->unit_price = (int64_t)(int32_t)take(&b, 4) * (int64_t)take(&b, 1);
			l->quantity = (int16_t)take(&b, 2);
			l->quantity_left = (int16_t)take(&b, 2);
			l->condition = (enum item_condition)(take(&b, 1) % (COND_COUNT + 1));
			l->reason = (enum return_reason)(take(&b, 1) % (REASON_COUNT + 1));
		}
		rc = policy_decide_return(&p, &rr, t, &d, &why);
	}
	if (rc) {
		if (!why.text[0] || strcmp(d.rule, "untouched"))
			abort();
	} else {
		check_decision(&d, today);
	}
out:
	config_destroy(&cfg);
	free(ini);
	return 0;
}
