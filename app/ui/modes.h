/* The modes a kiosk program can run: the customer kiosk and the staff
 * counter. The one place above both; whoever starts the UI (cli_run.c)
 * finds the first mode here and hands the list to the toolkit
 * (ctx->modes), which switches between them by name. */
#ifndef KIOSK_UI_MODES_H
#define KIOSK_UI_MODES_H

#include "ui/toolkit/ui.h"

/* "kiosk", "counter", then NULL. */
extern const struct ui_mode_ops *const ui_modes[];

/* The mode of that name in ui_modes, or NULL. */
const struct ui_mode_ops *ui_mode_find(const char *name);

#endif
