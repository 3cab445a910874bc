/* The store's words: assets/lang/LANG/NAME.ini, every file of the folder,
 * keys addressed as "section.key". Text lives in assets, never in code.
 * A missing key returns the key itself, so a gap is visible, not blank. */
#ifndef KIOSK_CORE_I18N_H
#define KIOSK_CORE_I18N_H

#include <stddef.h>
#include "core/err.h"

struct i18n;

/* Load every assets_dir/lang/LANG/NAME.ini. Caller frees with i18n_destroy. */
int i18n_create(struct i18n **out, const char *assets_dir, const char *lang,
		struct kiosk_why *why);
void i18n_destroy(struct i18n *t);

const char *i18n_lang(const struct i18n *t);
/* Text for "section.key"; owned by t. */
const char *i18n_get(const struct i18n *t, const char *key);
/* Number of keys loaded (for tests: sv and en must match). */
size_t i18n_count(const struct i18n *t);
/* The i-th key, for comparing languages. */
const char *i18n_key_at(const struct i18n *t, size_t i);

/* Replace {name} placeholders in tmpl by values from a NULL-terminated
 * name, value, name, value ... list. Unknown placeholders stay as written.
 * Always NUL-terminates; truncates to len. Returns the length written. */
size_t i18n_fill(char *out, size_t len, const char *tmpl, const char *const *kv);

#endif
