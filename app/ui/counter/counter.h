/* The staff counter view (`kiosk run --mode counter`): staff log in with a
 * staff card and PIN, see every case, and act on it. Registered with the
 * mode registry (../modes.c) through this header. */
#ifndef KIOSK_UI_COUNTER_H
#define KIOSK_UI_COUNTER_H

#include "ui/toolkit/ui.h"

extern const struct ui_mode_ops counter_mode_ops;

#endif
