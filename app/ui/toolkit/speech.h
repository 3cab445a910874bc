/* Speech output with espeak-ng (EN 301 549: a self-service terminal reads
 * its screens and the buttons tapped). Synthesis runs on its own thread in
 * espeak's synchronous retrieval mode, so it never blocks the UI and never
 * needs a sound device itself; the samples go to a sink the platform
 * provides (an SDL audio queue). A newer text replaces an unfinished one.
 * Built without espeak-ng (no KIOSK_HAVE_ESPEAK), create fails softly. */
#ifndef KIOSK_UI_SPEECH_H
#define KIOSK_UI_SPEECH_H

#include <stdint.h>
#include "core/err.h"

struct speech;

/* pcm: mono signed 16-bit at rate Hz; called on the speech thread.
 * first is true for the first chunk of a new text (drop what is queued). */
typedef void (*speech_sink_fn)(void *arg, const int16_t *pcm, int n, int rate, int first);

int speech_create(struct speech **out, speech_sink_fn sink, void *arg, struct kiosk_why *why);
void speech_destroy(struct speech *s);
/* Read text (UTF-8) in lang ("sv"/"en") now, cutting what is being read
 * and dropping what waits. Returns at once. */
void speech_say(struct speech *s, const char *lang, const char *text);
/* Stop reading and wipe every waiting text. */
void speech_clear(struct speech *s);
/* Read text after what is being read and waiting (at most 4 wait). */
void speech_say_next(struct speech *s, const char *lang, const char *text);

#endif
