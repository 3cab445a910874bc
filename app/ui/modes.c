/* The mode registry: the customer kiosk and the staff counter. */
#include "ui/ui.h"

#include <string.h>

#include "ui/counter.h"

extern const struct ui_mode_ops kiosk_mode_ops;

const struct ui_mode_ops *ui_mode_find(const char *name)
{
	if (!strcmp(name, "kiosk"))
		return &kiosk_mode_ops;
	if (!strcmp(name, "counter"))
		return &counter_mode_ops;
	return NULL;
}
