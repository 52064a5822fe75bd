/*
 * flametop.h - the public API of libflametop, the flametop runtime.
 *
 * A program linked with -lflametop (or started with the runtime preloaded)
 * samples itself into shared memory when the environment has FLAMETOP=1;
 * see flametop(3) for the FLAMETOP_* settings.  Nothing here is needed to
 * be profiled: the API only adds what the runtime cannot see by itself.
 */
#ifndef FLAMETOP_H
#define FLAMETOP_H

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if the runtime is sampling this process (segment published), else 0. */
int flametop_active(void);

#ifdef __cplusplus
}
#endif

#endif
