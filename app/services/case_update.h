/* Staff moving a case on (issue 11, point 5): the state, the next step
 * and its promised date, a note, as one staff member who has shown card
 * and PIN. The same desk service as the counter's (desk.h), so the same
 * timeline events, audit rows and messages to the customer. Used by `kiosk case
 * update` (a repair workshop's system or a script). */
#ifndef KIOSK_SERVICES_CASE_UPDATE_H
#define KIOSK_SERVICES_CASE_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "domain/model.h"
#include "services/desk.h"
#include "store/store_handle.h"

struct case_update {
	const char *case_id;
	bool set_state;
	enum case_state state;
	const char *next_step;    /* NULL: keep */
	bool set_promised;
	int64_t promised_day;     /* with set_promised; 0: no date */
	const char *note;         /* NULL: none */
};

/* Log staff_id in with pin (the card's rules: five wrong PINs lock it),
 * then apply u in this order: state, next step and date, note. Nothing is
 * changed when the login fails or u asks for nothing. */
int case_update_apply(struct store *s, const struct desk_rules *rules, const char *staff_id,
		      const char *pin, const struct case_update *u, struct kiosk_time now,
		      struct kiosk_why *why);

#endif
