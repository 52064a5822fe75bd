/*
 * json.h - a small JSON reader for the profile formats that are JSON
 * (speedscope): the whole text parsed into a tree of values.
 *
 * The input is untrusted: nesting is bounded (JSON_DEPTH_MAX), every
 * value costs at least one byte of input, so memory stays proportional
 * to the input; strings are decoded (escapes, \uXXXX with surrogate
 * pairs) into UTF-8, a NUL or an unpaired surrogate becoming U+FFFD.
 * Numbers are read as doubles.  An error names the byte offset where
 * the text stopped being JSON.
 *
 * Values are addressed by pointers that stay valid until json_free.
 */
#ifndef FT_JSON_H
#define FT_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_DEPTH_MAX 64

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

struct json_value {
	enum json_type type;
	uint32_t n;   /* array, object: how many members */
	double num;   /* number */
	size_t str;   /* string: offset of its text in the document's pool */
	size_t key;   /* a member of an object: offset of its name */
	size_t child; /* array, object: index of the first member + 1 (0: none) */
	size_t next;  /* the next member of the parent + 1 (0: none) */
	size_t last;  /* while parsing: the last member + 1 */
};

struct json;

/* Parses text[0, len): 0 and *out (free with json_free), or -EINVAL
 * with why in err ("offset 120: expected ':'"), or -ENOMEM. */
int json_parse(const char *text, size_t len, struct json **out, char *err, size_t errlen);
void json_free(struct json *j); /* NULL is a no-op */

const struct json_value *json_root(const struct json *j);
/* The member of object o named key (the first of that name), or NULL
 * (also when o is NULL or not an object). */
const struct json_value *json_get(const struct json *j, const struct json_value *o,
				  const char *key);
/* The first member of an array or object, and the one after v; NULL at
 * the end (or for NULL). */
const struct json_value *json_first(const struct json *j, const struct json_value *v);
const struct json_value *json_next(const struct json *j, const struct json_value *v);
/* A string's text (NUL-terminated UTF-8), or NULL when v is not a string. */
const char *json_string(const struct json *j, const struct json_value *v);

#endif
