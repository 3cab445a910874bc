/* The ids of the customer kiosk's controls, in one place: the screens
 * (kiosk_screens.c) give their widgets these ids and the flow (flow*.c,
 * kiosk_mode.c) acts on the same names, so a control and what it does
 * cannot drift apart (a misspelt name does not compile). They are also
 * the ids of the UI tree (`--dump-ui`) that tests tap by. The choices
 * that come in lists (fault kinds, return reasons) are named by flow.h's
 * flow_fault_id() and flow_reason_id(); rows by KID_LINE_FMT and
 * KID_ITEM_FMT with their number from 1. */
#ifndef KIOSK_UI_KIOSK_IDS_H
#define KIOSK_UI_KIOSK_IDS_H

/* on every screen (and the framework's "talk", ui.h) */
#define KID_TALK "talk"
#define KID_BACK "back"
#define KID_NEXT "next"
#define KID_CALL_WITHDRAW "call_withdraw"
#define KID_STILL_HERE "still_here"
#define KID_PAGE_PREV "page_prev"
#define KID_PAGE_NEXT "page_next"
/* leaving: the visit ends and everything typed or read is wiped */
#define KID_NOT_ME "not_me"
#define KID_CANCEL "cancel"
#define KID_FINISH "finish"
/* start, choose, confirm */
#define KID_RETURN "return"
#define KID_FAULT "fault"
#define KID_FOLLOW "follow"
#define KID_CONTINUE "continue"
/* identifying */
#define KID_NO_RECEIPT "no_receipt"
#define KID_SKIP_ID "skip_id"
/* follow my case without the paper */
#define KID_LOST_PAPER "lost_paper"
/* a return's questions */
#define KID_COND_UNOPENED "cond_unopened"
#define KID_COND_USED "cond_used"
#define KID_LINE_FMT "line_%d"
/* a fault */
#define KID_NOT_LISTED "not_listed"
#define KID_FAULT_OTHER "fault_other"
#define KID_ITEM_FMT "item_%d"
/* the decision and after */
#define KID_CONFIRM "confirm"
#define KID_CONTACT_YES "contact_yes"
#define KID_CONTACT_NO "contact_no"
#define KID_SAVE "save"

#endif
