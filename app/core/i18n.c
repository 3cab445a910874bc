/* Translation tables from INI files (inih), one folder per language. */
#include "core/i18n.h"

#include <dirent.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct i18n_entry {
	char *key;
	char *text;
};

struct i18n {
	char lang[8];
	struct i18n_entry *v;
	size_t n, cap;
};

static int add_entry(struct i18n *t, const char *section, const char *name, const char *value)
{
	size_t klen = strlen(section) + strlen(name) + 2;
	char *key = malloc(klen);
	if (!key)
		return -1;
	snprintf(key, klen, "%s.%s", section, name);
	for (size_t i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].key, key)) {
			char *nt = strdup(value);
			free(key);
			if (!nt)
				return -1;
			free(t->v[i].text);
			t->v[i].text = nt;
			return 0;
		}
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct i18n_entry *nv = realloc(t->v, cap * sizeof *nv);
		if (!nv) {
			free(key);
			return -1;
		}
		t->v = nv;
		t->cap = cap;
	}
	t->v[t->n].key = key;
	t->v[t->n].text = strdup(value);
	if (!t->v[t->n].text) {
		free(key);
		return -1;
	}
	t->n++;
	return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	return add_entry(user, section, name, value) == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int i18n_create(struct i18n **out, const char *assets_dir, const char *lang,
		struct kiosk_why *why)
{
	char dir[4096];
	char *names[64];
	int n_names = 0, rc = 0;
	if (strcmp(lang, "sv") && strcmp(lang, "en"))
		return kiosk_fail(why, KIOSK_EINVAL, "language must be sv or en, not %.16s", lang);
	snprintf(dir, sizeof dir, "%s/lang/%s", assets_dir, lang);
	DIR *d = opendir(dir);
	if (!d)
		return kiosk_fail(why, KIOSK_EIO, "cannot open translations in %s", dir);
	struct i18n *t = calloc(1, sizeof *t);
	if (!t) {
		closedir(d);
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	}
	snprintf(t->lang, sizeof t->lang, "%s", lang);
	struct dirent *e;
	while ((e = readdir(d)) && n_names < 64) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".ini"))
			names[n_names++] = strdup(e->d_name);
	}
	closedir(d);
	/* Sorted so that the result does not depend on directory order. */
	qsort(names, (size_t)n_names, sizeof names[0], by_name);
	for (int i = 0; i < n_names; i++) {
		char path[4352];
		if (!names[i]) {
			rc = kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		int r = ini_parse(path, handler, t);
		if (r != 0 && rc == 0)
			rc = kiosk_fail(why, KIOSK_EINVAL, "translation file %s: error on line %d", path, r);
		free(names[i]);
	}
	if (rc) {
		i18n_destroy(t);
		return rc;
	}
	*out = t;
	return 0;
}

void i18n_destroy(struct i18n *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].text);
	}
	free(t->v);
	free(t);
}

const char *i18n_lang(const struct i18n *t)
{
	return t->lang;
}

const char *i18n_get(const struct i18n *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].key, key))
			return t->v[i].text;
	return key;
}

size_t i18n_count(const struct i18n *t)
{
	return t->n;
}

const char *i18n_key_at(const struct i18n *t, size_t i)
{
	return i < t->n ? t->v[i].key : NULL;
}

size_t i18n_fill(char *out, size_t len, const char *tmpl, const char *const *kv)
{
	size_t o = 0;
	if (!len)
		return 0;
	for (const char *p = tmpl; *p && o + 1 < len;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *val = NULL;
		if (close && kv) {
			size_t nlen = (size_t)(close - p - 1);
			for (const char *const *k = kv; k[0] && k[1]; k += 2)
				if (strlen(k[0]) == nlen && !strncmp(k[0], p + 1, nlen)) {
					val = k[1];
					break;
				}
		}
		if (val) {
			while (*val && o + 1 < len)
				out[o++] = *val++;
			p = close + 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = 0;
	return o;
}
