/* A customer's contact for updates, as typed at the kiosk: an e-mail
 * address or a phone number. Normalised before it is saved, so every
 * sender and every counter sees one form: a phone number in E.164 (a
 * Swedish 07… number becomes +467…), an e-mail address trimmed with its
 * domain in lower case. Pure. */
#ifndef KIOSK_DOMAIN_CONTACT_H
#define KIOSK_DOMAIN_CONTACT_H

#include <stddef.h>

enum contact_channel { CONTACT_NONE, CONTACT_EMAIL, CONTACT_SMS };

/* The normal form of in into out[len] and its channel; CONTACT_NONE (out
 * "") when in is neither a plausible e-mail address nor a phone number. */
enum contact_channel contact_normalise(const char *in, char *out, size_t len);

/* "email" or "sms" (the outbox's channel names), "" for none. */
const char *contact_channel_name(enum contact_channel ch);

/* The contact as staff may see it on a screen: an e-mail address as
 * "a•••@example.se", a phone number as "+46 70•• ••• •12" (country code,
 * the first two and last two digits). */
void contact_mask(const char *normal, char *out, size_t len);

#endif
