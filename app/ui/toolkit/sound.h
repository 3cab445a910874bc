/* The kiosk's sound for speech (sound_sdl.c, SDL audio): the speech
 * thread feeds samples to an output; the main thread tells it of outputs
 * that come and go (headphones plugged in or out), and the next sentence
 * is heard in the new one. One sound per window; the platform owns it. */
#ifndef KIOSK_UI_SOUND_H
#define KIOSK_UI_SOUND_H

#include <stdbool.h>
#include <stdint.h>

struct ui_sound;

/* NULL when out of memory (speech is then silent). */
struct ui_sound *ui_sound_create(void);
/* Start SDL's sound (after the first frame, not to keep it waiting): from
 * now on outputs that appear are news; those there now are not. No sound
 * device is no error: speech stays silent. */
void ui_sound_start(struct ui_sound *s);
/* speech.h's sink (arg: the ui_sound), on the speech thread. */
void ui_sound_sink(void *arg, const int16_t *pcm, int n, int rate, int first);
/* An SDL_AUDIODEVICEADDED (added, which = the device index) or
 * SDL_AUDIODEVICEREMOVED (which = the opened device's id) event. true
 * when an output was plugged in: speech is wanted, in it. */
bool ui_sound_device(struct ui_sound *s, uint32_t which, bool iscapture, bool added);
void ui_sound_destroy(struct ui_sound *s);

#endif
