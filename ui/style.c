/*
 * style.c - the warm frame shade of a function: an FNV-1a hash of its
 * name, so a function keeps its colour across frames, zooms and runs.
 */
#include "config.h"

#include "style.h"

uint8_t style_frame(const char *name)
{
	uint32_t h = 2166136261u;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	h ^= h >> 15;
	return (uint8_t)(COL_FRAME_HOT + h % COL_FRAME_SHADES);
}
