/* The mode registry. The kiosk mode is always here. The counter mode is
 * found when app/ui/counter.h exists (it declares counter_mode_ops, defined
 * in app/ui/counter.c); until then `--mode counter` is refused with a
 * reason. __has_include keeps the build green either way without a CMake
 * switch, and a strong reference makes the linker pull counter.o from the
 * static library (a weak one would not). */
#include "ui/ui.h"

#include <string.h>

#if defined(__has_include)
#if __has_include("ui/counter.h")
#include "ui/counter.h"
#define KIOSK_HAVE_COUNTER 1
#endif
#endif

extern const struct ui_mode_ops kiosk_mode_ops;

const struct ui_mode_ops *ui_mode_find(const char *name)
{
	if (!strcmp(name, "kiosk"))
		return &kiosk_mode_ops;
#ifdef KIOSK_HAVE_COUNTER
	if (!strcmp(name, "counter"))
		return &counter_mode_ops;
#endif
	return NULL;
}
