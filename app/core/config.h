/* Store configuration: INI files read with inih. assets/store.ini holds the
 * defaults; --config PATH is read on top of it (later values win).
 * Every module reads its own keys through config_get*; the few keys every
 * part needs are also parsed into typed fields. */
#ifndef KIOSK_CORE_CONFIG_H
#define KIOSK_CORE_CONFIG_H

#include <stdbool.h>
#include "core/err.h"

struct config_entry {
	char *section;
	char *key;
	char *value;
};

/* Receipt barcode layout (interfaces.md §6): prefix + fixed-width digits. */
struct receipt_code_layout {
	char prefix[8];
	int store_digits;
	int register_digits;
	int seq_digits;       /* date is always YYYYMMDD between register and seq */
};

struct kiosk_config {
	struct config_entry *entries; /* owned */
	int n_entries;
	int cap_entries;
	/* typed shortcuts, filled by config_load */
	char store_id[16];
	char store_name[96];
	char lang[8];
	char currency[8];
	struct receipt_code_layout receipt_code;
};

/* Read assets_dir/store.ini, then override_path when not NULL. On failure
 * why names the file and line. Caller frees with config_destroy. */
int config_load(struct kiosk_config *cfg, const char *assets_dir,
		const char *override_path, struct kiosk_why *why);
/* Read one INI file on top of what is loaded. */
int config_read_file(struct kiosk_config *cfg, const char *path, struct kiosk_why *why);
/* Parse INI text (for tests and embedded defaults). */
int config_read_string(struct kiosk_config *cfg, const char *text, struct kiosk_why *why);
void config_destroy(struct kiosk_config *cfg);

/* Lookups: NULL / fallback when absent. Values are owned by cfg. */
const char *config_get(const struct kiosk_config *cfg, const char *section, const char *key);
const char *config_get_str(const struct kiosk_config *cfg, const char *section,
			   const char *key, const char *fallback);
/* A whole number at [section] key from min to max, or fallback when the
 * key is absent: 0, or KIOSK_EINVAL with "[section] key must be a whole
 * number from min to max, not "value"" (a typo never stands in for the
 * default unsaid). */
int config_int(const struct kiosk_config *cfg, const char *section, const char *key,
	       long fallback, long min, long max, long *out, struct kiosk_why *why);
/* Call fn for every distinct section whose name starts with prefix (e.g.
 * "category."), in file order. */
void config_each_section(const struct kiosk_config *cfg, const char *prefix,
			 void (*fn)(const char *section, void *arg), void *arg);

#endif
