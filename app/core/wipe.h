/* Wiping memory that held a customer's details (an ID's name and number, a
 * typed text, a contact): a store the compiler cannot drop as dead. One
 * function for every layer, so "forgotten" means the same everywhere. */
#ifndef KIOSK_CORE_WIPE_H
#define KIOSK_CORE_WIPE_H

#include <stddef.h>

/* Zero n bytes at p (p may be NULL when n is 0). */
void mem_wipe(void *p, size_t n);

/* Zero the whole heap block p (from malloc) and free it; NULL is fine. */
void mem_wipe_free(void *p);

#endif
