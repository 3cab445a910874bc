/* The keyed hash of an ID document: HMAC-SHA256 (libsodium
 * crypto_auth_hmacsha256) of the normalised issuer and document number.
 * It lets the store count store credit given without a receipt per person
 * without keeping the number, name or birth date. The key lives outside
 * the database, in a file of its own (mode 0600, random bytes, created on
 * first use), so a copy of the database alone cannot be searched for a
 * known document number. */
#ifndef KIOSK_SERVICES_ID_HASH_H
#define KIOSK_SERVICES_ID_HASH_H

#include <stddef.h>
#include "core/config.h"
#include "core/err.h"

#define ID_HASH_HEX 65 /* 64 lowercase hex digits + NUL */

struct id_hasher;

/* Where the key file is: [privacy] key_file when set, else kiosk.key in
 * the folder of db_path. */
int id_hash_key_path(const struct kiosk_config *cfg, const char *db_path, char *buf,
		     size_t len, struct kiosk_why *why);

/* Load the key from key_path, creating it (random bytes, mode 0600) when
 * it does not exist. A key file of the wrong size, or one that others may
 * read, is refused. Free with id_hash_close (which wipes the key). */
int id_hash_open(struct id_hasher **out, const char *key_path, struct kiosk_why *why);
void id_hash_close(struct id_hasher *h);

/* Hash of issuer (ISO 3166 alpha-3, as in the MRZ) and document number.
 * Both are normalised first (upper case; spaces, '-' and MRZ filler '<'
 * removed), so the same document read two ways gives the same hash.
 * Empty fields after normalising are refused. */
int id_hash_compute(const struct id_hasher *h, const char *issuer, const char *document_number,
		    char out_hex[ID_HASH_HEX], struct kiosk_why *why);

#endif
