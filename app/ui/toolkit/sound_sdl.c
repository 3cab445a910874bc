/* Sound for speech over SDL audio (sound.h). The device is opened and fed
 * on the speech thread; the main thread only names the output wanted. mu
 * guards both. */
#include "ui/toolkit/sound.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>

struct ui_sound {
	SDL_mutex *mu;
	SDL_AudioDeviceID dev; /* opened on first speech */
	int rate;
	char name[256];        /* the output wanted, "" = the default */
	bool reopen;           /* the main thread asks for another output */
	bool started;
};

struct ui_sound *ui_sound_create(void)
{
	struct ui_sound *s = calloc(1, sizeof *s);
	if (s && !(s->mu = SDL_CreateMutex())) {
		free(s);
		s = NULL;
	}
	return s;
}

void ui_sound_start(struct ui_sound *s)
{
	if (!s || s->started || SDL_InitSubSystem(SDL_INIT_AUDIO))
		return;
	SDL_PumpEvents();
	SDL_FlushEvent(SDL_AUDIODEVICEADDED);
	SDL_LockMutex(s->mu);
	s->started = true;
	SDL_UnlockMutex(s->mu);
}

void ui_sound_sink(void *arg, const int16_t *pcm, int n, int rate, int first)
{
	struct ui_sound *s = arg;
	if (!s)
		return;
	SDL_LockMutex(s->mu);
	if (s->started && (!s->dev || s->rate != rate || s->reopen)) {
		if (s->dev)
			SDL_CloseAudioDevice(s->dev);
		SDL_AudioSpec want = {.freq = rate, .format = AUDIO_S16SYS, .channels = 1,
				      .samples = 2048};
		s->dev = SDL_OpenAudioDevice(s->name[0] ? s->name : NULL, 0, &want, NULL, 0);
		if (!s->dev && s->name[0]) /* gone again: the default */
			s->dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
		s->rate = rate;
		s->reopen = false;
		if (s->dev)
			SDL_PauseAudioDevice(s->dev, 0);
	}
	if (s->dev) {
		if (first)
			SDL_ClearQueuedAudio(s->dev);
		SDL_QueueAudio(s->dev, pcm, (Uint32)n * 2);
	}
	SDL_UnlockMutex(s->mu);
}

bool ui_sound_device(struct ui_sound *s, uint32_t which, bool iscapture, bool added)
{
	if (!s || iscapture)
		return false;
	SDL_LockMutex(s->mu);
	if (added) {
		const char *name = SDL_GetAudioDeviceName((int)which, 0);
		snprintf(s->name, sizeof s->name, "%s", name ? name : "");
		s->reopen = true;
	} else if (s->dev && which == s->dev) {
		s->name[0] = '\0';
		s->reopen = true;
	}
	SDL_UnlockMutex(s->mu);
	return added;
}

void ui_sound_destroy(struct ui_sound *s)
{
	if (!s)
		return;
	if (s->dev)
		SDL_CloseAudioDevice(s->dev);
	SDL_DestroyMutex(s->mu);
	free(s);
}
