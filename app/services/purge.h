/* Privacy: the contact details of cases closed longer than the store keeps
 * them ([privacy] contact_retention_days, 30 unless set) are removed, with
 * their unsent messages; each purged case gets a timeline event "purge"
 * and the case itself stays. Run at each start of a kiosk with its own
 * database, and by `kiosk purge` on a store's server. */
#ifndef KIOSK_SERVICES_PURGE_H
#define KIOSK_SERVICES_PURGE_H

#include "core/config.h"
#include "core/date.h"
#include "core/err.h"
#include "store/store_handle.h"

/* The retention in days and the cut-off it gives at now (cases closed
 * before it are purged); KIOSK_EINVAL for a retention out of 0..3650. */
int purge_cutoff(const struct kiosk_config *cfg, struct kiosk_time now, long *days,
		 struct kiosk_time *cutoff, struct kiosk_why *why);
/* Purge at now; *n cases. */
int purge_contacts(struct store *s, const struct kiosk_config *cfg, struct kiosk_time now,
		   int *n, struct kiosk_why *why);

#endif
