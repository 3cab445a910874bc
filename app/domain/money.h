/* Money as people read it, in one place for every screen and paper: the
 * kiosk, the counter, the policy's sentences and the printed receipt. The
 * form comes from the language ([money] in lang/LANG/common.ini): "1 299
 * kr" and "49,50 kr" in Swedish (a no-break space between thousands),
 * "SEK 1,299" and "SEK 49.50" in English. (Machine output, the CLI's
 * tables and JSON, writes plain "1299.00" with cli_money_text.) Pure. */
#ifndef KIOSK_DOMAIN_MONEY_H
#define KIOSK_DOMAIN_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/i18n.h"

/* minor units of currency (ISO 4217) into buf. A language may name the
 * currency ("money.currency_SEK = kr"); otherwise the code is shown. */
void money_format(const struct i18n *t, int64_t minor, const char *currency, char *buf,
		  size_t len);

#endif
