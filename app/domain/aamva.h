/* AAMVA DL/ID card design standard: the PDF417 on the back of North
 * American driving licences and ID cards. Part of scan_parse; pure. */
#ifndef KIOSK_DOMAIN_AAMVA_H
#define KIOSK_DOMAIN_AAMVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "domain/scan.h"

/* Does the payload start with the AAMVA compliance indicator "@\n\x1e\r"? */
bool aamva_candidate(const uint8_t *data, size_t len);

/* Parse the header, the subfile designators and the first DL or ID
 * subfile. Returns 0 and fills out, or KIOSK_EINVAL with one sentence in
 * err naming what is wrong. */
int aamva_parse(const uint8_t *data, size_t len, int64_t today, struct scan_id_document *out,
		char *err, size_t errlen);

#endif
