/* The mode registry (modes.h). */
#include "ui/modes.h"

#include "ui/counter/counter.h"
#include "ui/kiosk/kiosk_mode.h"

const struct ui_mode_ops *const ui_modes[] = {&kiosk_mode_ops, &counter_mode_ops, NULL};

const struct ui_mode_ops *ui_mode_find(const char *name)
{
	return ui_mode_named(ui_modes, name);
}
