/* How the counter says things: times, waits, a timeline event and who
 * wrote it, in the staff's language (assets/lang). Used by the screens
 * (counter_screens.c) and the counter's logic (counter.c). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui/counter/counter_private.h"

void counter_format_time(struct kiosk_time t, char *buf, size_t len)
{
	char iso[32];
	time_format_iso(t, iso, sizeof iso);
	snprintf(buf, len, "%.10s %.5s", iso, iso + 11);
}

void counter_format_wait(const struct ui_ctx *ctx, int64_t secs, char *buf, size_t len)
{
	int64_t m = secs < 0 ? 0 : secs / 60;
	char d[24], h[24], mm[24];
	snprintf(d, sizeof d, "%lld", (long long)(m / (24 * 60)));
	snprintf(h, sizeof h, "%lld", (long long)(m / 60));
	snprintf(mm, sizeof mm, "%lld", (long long)(m < 60 ? m : m % 60));
	const char *kv[] = {"d", d, "h", h, "m", mm, NULL};
	const char *key = m < 60 ? "counter.wait_minutes" : m < 24 * 60 ? "counter.wait_hours"
			  : m < 48 * 60 ? "counter.wait_day" : "counter.wait_days";
	ui_trf(ctx, buf, len, key, kv);
}

/* s up to the first occurrence of sep (all of s without one) into out;
 * the rest after sep, or NULL. */
static const char *split_at(const char *s, const char *sep, char *out, size_t len)
{
	const char *at = strstr(s, sep);
	size_t n = at ? (size_t)(at - s) : strlen(s);
	snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), s);
	return at ? at + strlen(sep) : NULL;
}

void counter_event_words(const struct ui_ctx *ctx, const char *event, const char *text,
			 char *buf, size_t len)
{
	char head[64], key[64], a[40] = "", b[40] = "";
	const char *rest;
	if (!strcmp(event, "state")) { /* "STATE" or "STATE: text" */
		rest = split_at(text, ": ", head, sizeof head);
		const char *kv[] = {"state", counter_name(ctx, "state_", head), "text",
				    rest ? rest : "", NULL};
		ui_trf(ctx, buf, len, rest ? "counter.event_state_text" : "counter.event_state", kv);
	} else if (!strcmp(event, "override")) { /* "OUTCOME (rule): reason" */
		split_at(text, " (", head, sizeof head);
		rest = strstr(text, "): ");
		const char *kv[] = {"outcome", counter_name(ctx, "outcome_", head), "text",
				    rest ? rest + 3 : "", NULL};
		ui_trf(ctx, buf, len, "counter.event_override", kv);
	} else if (!strcmp(event, "registered")) { /* "Return registered: OUTCOME (rule)" */
		rest = strstr(text, ": ");
		split_at(rest ? rest + 2 : "", " (", head, sizeof head);
		const char *kv[] = {"outcome", counter_name(ctx, "outcome_", head), NULL};
		ui_trf(ctx, buf, len, "counter.event_registered", kv);
	} else if (!strcmp(event, "promise")) { /* "next step (by DATE)" */
		char next[600];
		rest = split_at(text, " (by ", next, sizeof next);
		if (rest)
			split_at(rest, ")", a, sizeof a);
		const char *kv[] = {"next", next, "date", a, NULL};
		ui_trf(ctx, buf, len, "counter.event_promise", kv);
	} else if (!strcmp(event, "late")) { /* "by OLD, now by NEW" */
		if (sscanf(text, "by %39[^,], now by %39s", a, b) != 2)
			a[0] = b[0] = '\0';
		const char *kv[] = {"was", a, "now", b, NULL};
		ui_trf(ctx, buf, len, "counter.event_late", kv);
	} else if (!strcmp(event, "offline_conflict")) {
		/* the rule that broke on the way, in the counter's words */
		const char *why = strstr(text, "left to return") ? "counter.offline_reason_returned"
				  : strstr(text, "Credit was given") ? "counter.offline_reason_credit"
				  : strstr(text, "not in the database") ? "counter.offline_reason_receipt"
									: "counter.offline_reason_other";
		const char *kv[] = {"reason", ui_tr(ctx, why), NULL};
		ui_trf(ctx, buf, len, "counter.event_offline_conflict", kv);
	} else if (!strcmp(event, "note")) {
		const char *kv[] = {"text", text, NULL};
		ui_trf(ctx, buf, len, "counter.event_note", kv);
	} else if (!strcmp(event, "contact")) { /* "updates by CHANNEL" */
		const char *ch = strncmp(text, "updates by ", 11) ? text : text + 11;
		const char *kv[] = {"channel", counter_name(ctx, "channel_", ch), NULL};
		ui_trf(ctx, buf, len, "counter.event_contact", kv);
	} else if (!strcmp(event, "printed") || !strcmp(event, "print_failed") ||
		   !strcmp(event, "code_renewed") || !strcmp(event, "viewed") ||
		   !strcmp(event, "contact_removed") || !strcmp(event, "purge") ||
		   !strcmp(event, "offline")) {
		/* the store's own texts for these are not for reading: the word is */
		snprintf(key, sizeof key, "counter.event_%s", event);
		snprintf(buf, len, "%s", ui_tr(ctx, key));
	} else {
		const char *kv[] = {"event", event, NULL};
		ui_trf(ctx, buf, len, "counter.event_other", kv);
	}
}

const char *counter_actor_words(const struct ui_ctx *ctx, const char *actor)
{
	if (!strncmp(actor, "staff:", 6))
		return actor + 6;
	if (!strcmp(actor, "kiosk") || !strcmp(actor, "printer") || !strcmp(actor, "system"))
		return counter_name(ctx, "actor_", actor);
	return actor;
}

const char *counter_name(const struct ui_ctx *ctx, const char *prefix, const char *name)
{
	char key[80];
	snprintf(key, sizeof key, "counter.%s%s", prefix, name);
	return ui_tr(ctx, key);
}
