/* The customer kiosk (`kiosk run`, the default mode): a walk-in customer
 * identifies with a receipt or an ID document, registers a return or a
 * fault report, or follows a case. Registered in ../modes.c. */
#ifndef KIOSK_UI_KIOSK_MODE_H
#define KIOSK_UI_KIOSK_MODE_H

#include "ui/toolkit/ui.h"

extern const struct ui_mode_ops kiosk_mode_ops;

#endif
