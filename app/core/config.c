/* INI configuration on inih: a flat list of (section, key, value). */
#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int entry_set(struct kiosk_config *cfg, const char *s, const char *k, const char *v)
{
	for (int i = 0; i < cfg->n_entries; i++) {
		struct config_entry *e = &cfg->entries[i];
		if (!strcmp(e->section, s) && !strcmp(e->key, k)) {
			char *nv = strdup(v);
			if (!nv)
				return -1;
			free(e->value);
			e->value = nv;
			return 0;
		}
	}
	if (cfg->n_entries == cfg->cap_entries) {
		int cap = cfg->cap_entries ? cfg->cap_entries * 2 : 64;
		struct config_entry *ne = realloc(cfg->entries, (size_t)cap * sizeof *ne);
		if (!ne)
			return -1;
		cfg->entries = ne;
		cfg->cap_entries = cap;
	}
	struct config_entry *e = &cfg->entries[cfg->n_entries];
	e->section = strdup(s);
	e->key = strdup(k);
	e->value = strdup(v);
	if (!e->section || !e->key || !e->value) {
		free(e->section);
		free(e->key);
		free(e->value);
		return -1;
	}
	cfg->n_entries++;
	return 0;
}

static int config_ini_handler(void *user, const char *section, const char *name, const char *value)
{
	return entry_set(user, section, name, value) == 0;
}

static void copy_field(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

static int fill_typed(struct kiosk_config *cfg, struct kiosk_why *why)
{
	copy_field(cfg->store_id, sizeof cfg->store_id, config_get_str(cfg, "store", "id", "0042"));
	copy_field(cfg->store_name, sizeof cfg->store_name,
		   config_get_str(cfg, "store", "name", "Kiosk demo store"));
	copy_field(cfg->lang, sizeof cfg->lang, config_get_str(cfg, "store", "language", "sv"));
	copy_field(cfg->currency, sizeof cfg->currency, config_get_str(cfg, "store", "currency", "SEK"));
	struct receipt_code_layout *l = &cfg->receipt_code;
	copy_field(l->prefix, sizeof l->prefix, config_get_str(cfg, "receipt_barcode", "prefix", "RS"));
	long store, reg, seq;
	int rc = config_int(cfg, "receipt_barcode", "store_digits", 4, 1, 8, &store, why);
	if (!rc)
		rc = config_int(cfg, "receipt_barcode", "register_digits", 3, 1, 6, &reg, why);
	if (!rc)
		rc = config_int(cfg, "receipt_barcode", "seq_digits", 6, 1, 12, &seq, why);
	if (rc)
		return rc;
	l->store_digits = (int)store;
	l->register_digits = (int)reg;
	l->seq_digits = (int)seq;
	if (strcmp(cfg->lang, "sv") && strcmp(cfg->lang, "en"))
		return kiosk_fail(why, KIOSK_EINVAL, "store language must be sv or en, not %s", cfg->lang);
	return 0;
}

/* A store's configuration is a few kilobytes; this is far beyond any. */
#define CONFIG_MAX_BYTES (1u << 20)

int config_read_file(struct kiosk_config *cfg, const char *path, struct kiosk_why *why)
{
	/* read only a regular file of bounded size, from the descriptor that
	 * was checked: /dev/zero would never end, a folder is no INI */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0)
		return kiosk_fail(why, KIOSK_EIO, "cannot read configuration %s: %s", path,
				  strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return kiosk_fail(why, KIOSK_EINVAL, "configuration %s is not a regular file", path);
	}
	if ((uintmax_t)st.st_size > CONFIG_MAX_BYTES) {
		close(fd);
		return kiosk_fail(why, KIOSK_EINVAL, "configuration %s is larger than %u KiB", path,
				  CONFIG_MAX_BYTES >> 10);
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return kiosk_fail(why, KIOSK_EIO, "cannot read configuration %s", path);
	}
	int rc = ini_parse_file(f, config_ini_handler, cfg);
	fclose(f);
	if (rc < 0)
		return kiosk_fail(why, KIOSK_EIO, "cannot read configuration %s", path);
	if (rc > 0)
		return kiosk_fail(why, KIOSK_EINVAL, "configuration %s: error on line %d", path, rc);
	return fill_typed(cfg, why);
}

int config_read_string(struct kiosk_config *cfg, const char *text, struct kiosk_why *why)
{
	int rc = ini_parse_string(text, config_ini_handler, cfg);
	if (rc != 0)
		return kiosk_fail(why, KIOSK_EINVAL, "configuration: error on line %d", rc);
	return fill_typed(cfg, why);
}

int config_load(struct kiosk_config *cfg, const char *assets_dir, const char *override_path,
		struct kiosk_why *why)
{
	char path[4096];
	memset(cfg, 0, sizeof *cfg);
	snprintf(path, sizeof path, "%s/store.ini", assets_dir);
	int rc = config_read_file(cfg, path, why);
	if (rc == 0 && override_path)
		rc = config_read_file(cfg, override_path, why);
	if (rc)
		config_destroy(cfg);
	return rc;
}

void config_destroy(struct kiosk_config *cfg)
{
	for (int i = 0; i < cfg->n_entries; i++) {
		free(cfg->entries[i].section);
		free(cfg->entries[i].key);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	memset(cfg, 0, sizeof *cfg);
}

const char *config_get(const struct kiosk_config *cfg, const char *section, const char *key)
{
	for (int i = 0; i < cfg->n_entries; i++)
		if (!strcmp(cfg->entries[i].section, section) && !strcmp(cfg->entries[i].key, key))
			return cfg->entries[i].value;
	return NULL;
}

const char *config_get_str(const struct kiosk_config *cfg, const char *section,
			   const char *key, const char *fallback)
{
	const char *v = config_get(cfg, section, key);
	return v ? v : fallback;
}

int config_int(const struct kiosk_config *cfg, const char *section, const char *key,
	       long fallback, long min, long max, long *out, struct kiosk_why *why)
{
	const char *v = config_get(cfg, section, key);
	if (!v) {
		*out = fallback;
		return 0;
	}
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max)
		return kiosk_fail(why, KIOSK_EINVAL,
				  "[%s] %s must be a whole number from %ld to %ld, not \"%.32s\"",
				  section, key, min, max, v);
	*out = n;
	return 0;
}

void config_each_section(const struct kiosk_config *cfg, const char *prefix,
			 void (*fn)(const char *section, void *arg), void *arg)
{
	size_t plen = strlen(prefix);
	for (int i = 0; i < cfg->n_entries; i++) {
		const char *s = cfg->entries[i].section;
		if (strncmp(s, prefix, plen))
			continue;
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = !strcmp(cfg->entries[j].section, s);
		if (!seen)
			fn(s, arg);
	}
}
