/*
 * style.c - the warm frame shade of a function: an FNV-1a hash of its
 * name, so a function keeps its colour across frames, zooms and runs;
 * and the shade of a change in a differential graph.
 */
#include "config.h"

#include <math.h>

#include "style.h"

uint8_t style_frame(const char *name)
{
	uint32_t h = 2166136261u;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	h ^= h >> 15;
	return (uint8_t)(COL_FRAME_HOT + h % COL_FRAME_SHADES);
}

uint8_t style_diff(double delta, double noise)
{
	static const double steps[COL_DIFF_SHADES - 1] = {2, 5, 10};
	double m = fabs(delta);
	int k = 0;

	if (m < noise || m == 0)
		return COL_DIFF_SAME;
	while (k < COL_DIFF_SHADES - 1 && m >= steps[k])
		k++;
	return (uint8_t)((delta > 0 ? COL_DIFF_MORE : COL_DIFF_LESS) + k);
}
