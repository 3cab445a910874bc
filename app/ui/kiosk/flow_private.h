/* What the flow's files share (flow.c, flow_return.c, flow_follow.c):
 * moving between screens, a notice, asking for the decision, the return's
 * questions and following a case.
 * Not for the screens: they see flow.h only. */
#ifndef KIOSK_UI_FLOW_PRIVATE_H
#define KIOSK_UI_FLOW_PRIVATE_H

#include <stdbool.h>

#include "ui/kiosk/flow.h"

/* To screen s (its notice cleared). */
void flow_go(struct flow *f, enum flow_screen s);
/* A short message on the current screen: a ui.ini key. */
void flow_notice(struct flow *f, const char *key);
/* A store call's failure rc as a notice: busy or unreachable as what it
 * is, anything else (not found, no match) as what_key. */
void flow_notice_for(struct flow *f, int rc, const char *what_key);
/* Ask for the decision and show it; a failure is a notice. */
bool flow_decide(struct flow *f, const struct flow_effects *fx);

/* flow_return.c: a tap on the item list, the reason, the customer's words
 * or the condition screen. */
bool flow_return_tap(struct flow *f, const struct flow_effects *fx, const char *id);
/* Back between the questions about different items (and from the decision
 * to the last of them): true when it was taken. */
bool flow_return_back(struct flow *f);

/* flow_follow.c: a case found by its code (scanned), or by its number and
 * the purchase receipt (typed or scanned); the follow screens' taps. */
bool flow_follow_by_code(struct flow *f, const struct flow_effects *fx, const char *case_id,
			 const char *token);
bool flow_follow_by_receipt(struct flow *f, const struct flow_effects *fx, const char *receipt,
			    bool typed);
bool flow_follow_tap(struct flow *f, const struct flow_effects *fx, const char *id);

#endif
