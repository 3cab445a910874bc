/* The audit chain's link (audit_link.h). */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/audit_link.h"

void audit_link(const unsigned char *prev, size_t prev_n, int64_t at_s, int64_t at_off,
		const char *actor, const char *action, const char *detail,
		unsigned char out[AUDIT_LINK_BYTES])
{
	crypto_hash_sha256_state h;
	char num[24];
	crypto_hash_sha256_init(&h);
	if (prev && prev_n)
		crypto_hash_sha256_update(&h, prev, prev_n);
	int n = snprintf(num, sizeof num, "%" PRId64, at_s);
	crypto_hash_sha256_update(&h, (const unsigned char *)num, (size_t)n + 1);
	n = snprintf(num, sizeof num, "%" PRId64, at_off);
	crypto_hash_sha256_update(&h, (const unsigned char *)num, (size_t)n + 1);
	const char *text[3] = {actor ? actor : "", action ? action : "", detail ? detail : ""};
	for (int i = 0; i < 3; i++)
		crypto_hash_sha256_update(&h, (const unsigned char *)text[i],
					  strlen(text[i]) + (i < 2));
	crypto_hash_sha256_final(&h, out);
}
