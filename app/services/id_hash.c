/* Keyed ID-document hash and its key file (see id_hash.h). */
#include "services/id_hash.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct id_hasher {
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
};

/* Upper-case letters and digits; the separators people and MRZs put in
 * document numbers are dropped. Anything else is refused. */
#define NORM_MAX 64

int id_hash_key_path(const struct kiosk_config *cfg, const char *db_path, char *buf,
		     size_t len, struct kiosk_why *why)
{
	const char *k = cfg ? config_get(cfg, "privacy", "key_file") : NULL;
	int n;
	if (k && *k) {
		n = snprintf(buf, len, "%s", k);
	} else {
		const char *slash = db_path ? strrchr(db_path, '/') : NULL;
		if (!db_path || !*db_path)
			return kiosk_fail(why, KIOSK_EINVAL, "no database path to put the key file beside");
		if (!store_target_is_file(db_path))
			return kiosk_fail(why, KIOSK_EINVAL,
					  "with a PostgreSQL database, set [privacy] key_file: every kiosk "
					  "of the chain needs the same ID key, and it must not be in the "
					  "database");
		if (slash)
			n = snprintf(buf, len, "%.*s/kiosk.key", (int)(slash - db_path), db_path);
		else
			n = snprintf(buf, len, "kiosk.key");
	}
	if (n < 0 || (size_t)n >= len)
		return kiosk_fail(why, KIOSK_EINVAL, "the key file path is too long");
	return 0;
}

static int read_key(int fd, const char *path, unsigned char *key, struct kiosk_why *why)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return kiosk_fail(why, KIOSK_EIO, "cannot read the key file %s: %s", path,
				  strerror(errno));
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return kiosk_fail(why, KIOSK_EDENIED,
				  "the key file %s may be read by others: run chmod 600 on it", path);
	if (st.st_size != crypto_auth_hmacsha256_KEYBYTES)
		return kiosk_fail(why, KIOSK_EINVAL, "the key file %s must hold %d bytes, not %lld",
				  path, crypto_auth_hmacsha256_KEYBYTES, (long long)st.st_size);
	size_t got = 0;
	while (got < crypto_auth_hmacsha256_KEYBYTES) {
		ssize_t r = read(fd, key + got, crypto_auth_hmacsha256_KEYBYTES - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return kiosk_fail(why, KIOSK_EIO, "cannot read the key file %s", path);
		got += (size_t)r;
	}
	return 0;
}

/* Write a new key to a private temporary file and link it into place:
 * link() fails when another process made the key first, and then that key
 * is used, so two kiosks starting together agree on one key and nobody
 * ever reads a half-written file. 0 created, 1 someone else's exists. */
static int create_key(const char *path, struct kiosk_why *why)
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
	char tmp[4200];
	int rc = 0;
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return kiosk_fail(why, KIOSK_EIO, "cannot create the key file %s: %s", path,
				  strerror(errno));
	crypto_auth_hmacsha256_keygen(key);
	if (fchmod(fd, 0600) < 0 || write(fd, key, sizeof key) != (ssize_t)sizeof key ||
	    fsync(fd) < 0)
		rc = kiosk_fail(why, KIOSK_EIO, "cannot write the key file %s: %s", path,
				strerror(errno));
	sodium_memzero(key, sizeof key);
	close(fd);
	if (!rc && link(tmp, path) < 0) {
		if (errno == EEXIST)
			rc = 1;
		else
			rc = kiosk_fail(why, KIOSK_EIO, "cannot create the key file %s: %s", path,
					strerror(errno));
	}
	unlink(tmp);
	return rc;
}

int id_hash_open(struct id_hasher **out, const char *key_path, struct kiosk_why *why)
{
	if (sodium_init() < 0)
		return kiosk_fail(why, KIOSK_EIO, "libsodium could not start");
	int fd = open(key_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		int rc = create_key(key_path, why);
		if (rc < 0)
			return rc;
		fd = open(key_path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return kiosk_fail(why, KIOSK_EIO, "cannot open the key file %s: %s", key_path,
				  strerror(errno));
	struct id_hasher *h = sodium_malloc(sizeof *h);
	if (!h) {
		close(fd);
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	}
	int rc = read_key(fd, key_path, h->key, why);
	close(fd);
	if (rc) {
		sodium_free(h);
		return rc;
	}
	*out = h;
	return 0;
}

void id_hash_close(struct id_hasher *h)
{
	if (h)
		sodium_free(h); /* wipes the memory */
}

static int normalise(const char *in, const char *what, char *out, struct kiosk_why *why)
{
	size_t o = 0;
	for (const char *c = in ? in : ""; *c; c++) {
		char ch = *c;
		if (ch == ' ' || ch == '-' || ch == '<')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
			return kiosk_fail(why, KIOSK_EINVAL,
					  "the %s may hold only letters and digits", what);
		if (o + 1 >= NORM_MAX)
			return kiosk_fail(why, KIOSK_EINVAL, "the %s is too long", what);
		out[o++] = ch;
	}
	out[o] = 0;
	if (!o)
		return kiosk_fail(why, KIOSK_EINVAL, "the %s is missing", what);
	return 0;
}

int id_hash_compute(const struct id_hasher *h, const char *issuer, const char *document_number,
		    char out_hex[ID_HASH_HEX], struct kiosk_why *why)
{
	char iss[NORM_MAX], num[NORM_MAX], msg[2 * NORM_MAX + 1];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	int rc = normalise(issuer, "document's issuer", iss, why);
	if (!rc)
		rc = normalise(document_number, "document number", num, why);
	if (rc)
		return rc;
	/* The ':' keeps "SWE"+"1234" apart from "SW"+"E1234". */
	int n = snprintf(msg, sizeof msg, "%s:%s", iss, num);
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, h->key);
	sodium_bin2hex(out_hex, ID_HASH_HEX, mac, sizeof mac);
	sodium_memzero(msg, sizeof msg);
	sodium_memzero(num, sizeof num);
	return 0;
}
