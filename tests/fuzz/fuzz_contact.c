/* libFuzzer target for the contact a customer types (domain/contact.h):
 * any bytes, NUL-terminated, through contact_normalise and contact_mask.
 * Checks what the senders rely on: a refusal leaves "" and CONTACT_NONE; a
 * phone number is "+" and 8 to 15 digits; an e-mail address has one "@",
 * no space and no control byte (nothing can break out of a mail header),
 * and normalising it again gives the same; the mask is terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/contact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[512], out[160], again[160], mask[200];
	if (size >= sizeof in)
		size = sizeof in - 1;
	memcpy(in, data, size);
	in[size] = 0;
	enum contact_channel ch = contact_normalise(in, out, sizeof out);
	size_t n = strnlen(out, sizeof out);
	must(n < sizeof out);
	if (ch == CONTACT_NONE) {
		must(n == 0);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		must((unsigned char)out[i] > 0x20 && out[i] != 0x7f);
	if (ch == CONTACT_SMS) {
		must(out[0] == '+' && n >= 9 && n <= 16);
		for (size_t i = 1; i < n; i++)
			must(out[i] >= '0' && out[i] <= '9');
	} else {
		const char *at = strchr(out, '@');
		must(at && at > out && !strchr(at + 1, '@'));
	}
	must(contact_normalise(out, again, sizeof again) == ch && !strcmp(out, again));
	contact_mask(out, mask, sizeof mask);
	must(strnlen(mask, sizeof mask) < sizeof mask);
	return 0;
}
