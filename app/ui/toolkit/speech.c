/* espeak-ng on a worker thread; see speech.h. When KIOSK_SPEECH_LOG names a
 * file, every text is appended as "lang<TAB>samples<TAB>done|cut<TAB>text"
 * (cut: a newer text replaced it), so tests can hear without a loudspeaker. */
#include "ui/toolkit/speech.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef KIOSK_HAVE_ESPEAK
#include <espeak-ng/speak_lib.h>
#endif

#define SPEECH_QUEUE 4

struct speech {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	unsigned gen;            /* bumped by speech_say: cuts the text being read */
	/* texts waiting to be read, oldest first */
	int n_queued;
	char q_lang[SPEECH_QUEUE][4];
	char q_text[SPEECH_QUEUE][2048];
	speech_sink_fn sink;
	void *arg;
	int rate;
	long samples;            /* of the current text */
	bool first;
	unsigned cur_gen;
};

#ifdef KIOSK_HAVE_ESPEAK
/* espeak's callback has no user pointer besides per-utterance user_data. */
static int on_samples(short *wav, int n, espeak_EVENT *ev)
{
	struct speech *s = ev ? ev->user_data : NULL;
	if (!s)
		return 0;
	pthread_mutex_lock(&s->mu);
	bool cancelled = s->stop || s->gen != s->cur_gen;
	pthread_mutex_unlock(&s->mu);
	if (cancelled)
		return 1; /* abort this synthesis */
	if (wav && n > 0) {
		s->sink(s->arg, wav, n, s->rate, s->first);
		s->first = false;
		s->samples += n;
	}
	return 0;
}

static void *worker(void *arg)
{
	struct speech *s = arg;
	char text[2048], lang[4];
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!s->n_queued && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->stop)
			break;
		s->cur_gen = s->gen;
		memcpy(text, s->q_text[0], sizeof text);
		memcpy(lang, s->q_lang[0], sizeof lang);
		s->n_queued--;
		memmove(s->q_text[0], s->q_text[1], sizeof s->q_text[0] * (size_t)s->n_queued);
		memmove(s->q_lang[0], s->q_lang[1], sizeof s->q_lang[0] * (size_t)s->n_queued);
		pthread_mutex_unlock(&s->mu);

		s->samples = 0;
		s->first = true;
		espeak_SetVoiceByName(lang);
		espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, s);
		pthread_mutex_lock(&s->mu);
		bool cancelled = s->gen != s->cur_gen;
		pthread_mutex_unlock(&s->mu);
		const char *log = getenv("KIOSK_SPEECH_LOG");
		if (log && *log) {
			FILE *f = fopen(log, "a");
			if (f) {
				fprintf(f, "%s\t%ld\t%s\t%s\n", lang, s->samples,
					cancelled ? "cut" : "done", text);
				fclose(f);
			}
		}
		/* what was read may be personal ("Hello Anna"): do not keep it */
		volatile char *v = text;
		for (size_t i = 0; i < sizeof text; i++)
			v[i] = 0;
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}
#endif

int speech_create(struct speech **out, speech_sink_fn sink, void *arg, struct kiosk_why *why)
{
#ifdef KIOSK_HAVE_ESPEAK
	/* Synchronous: espeak calls on_samples from espeak_Synth on our thread
	 * and opens no audio device of its own. */
	int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, NULL, 0);
	if (rate <= 0)
		return kiosk_fail(why, KIOSK_EDEVICE, "speech is not available (espeak-ng did not start)");
	espeak_SetSynthCallback(on_samples);
	espeak_SetParameter(espeakRATE, 150, 0); /* a little slower than default */
	struct speech *s = calloc(1, sizeof *s);
	if (!s)
		return kiosk_fail(why, KIOSK_ENOMEM, "out of memory");
	s->sink = sink;
	s->arg = arg;
	s->rate = rate;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->thread, NULL, worker, s)) {
		free(s);
		return kiosk_fail(why, KIOSK_EIO, "cannot start the speech thread");
	}
	*out = s;
	return 0;
#else
	(void)sink, (void)arg, (void)out;
	return kiosk_fail(why, KIOSK_EDEVICE, "speech is not available in this build");
#endif
}

void speech_destroy(struct speech *s)
{
	if (!s)
		return;
#ifdef KIOSK_HAVE_ESPEAK
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	espeak_Terminate();
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
#endif
	free(s);
}

static void enqueue(struct speech *s, const char *lang, const char *text, bool cut)
{
	if (!s || !text || !*text)
		return;
	pthread_mutex_lock(&s->mu);
	if (cut) {
		s->gen++;
		s->n_queued = 0;
	}
	if (s->n_queued == SPEECH_QUEUE) { /* full: the oldest waiting text goes */
		s->n_queued--;
		memmove(s->q_text[0], s->q_text[1], sizeof s->q_text[0] * (size_t)s->n_queued);
		memmove(s->q_lang[0], s->q_lang[1], sizeof s->q_lang[0] * (size_t)s->n_queued);
	}
	snprintf(s->q_text[s->n_queued], sizeof s->q_text[0], "%s", text);
	snprintf(s->q_lang[s->n_queued], sizeof s->q_lang[0], "%s", lang);
	s->n_queued++;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void speech_clear(struct speech *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->gen++;
	s->n_queued = 0;
	volatile char *v = &s->q_text[0][0];
	for (size_t i = 0; i < sizeof s->q_text; i++)
		v[i] = 0;
	pthread_mutex_unlock(&s->mu);
}

void speech_say(struct speech *s, const char *lang, const char *text)
{
	enqueue(s, lang, text, true);
}

void speech_say_next(struct speech *s, const char *lang, const char *text)
{
	enqueue(s, lang, text, false);
}
