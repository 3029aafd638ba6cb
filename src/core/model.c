/* Look-ups over the declared resource tables. */
#include <string.h>

#include "omk/model.h"

int omk_model_field_index(const omk_resource *r, const char *json)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strcmp(r->fields[i].json, json) == 0)
            return (int)i;
    return -1;
}

/* True when `word` is one of the '|'-separated alternatives in `list`. */
static bool in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, word, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

bool omk_model_field_applies(const omk_field *f, const char *disc)
{
    if (!f->variant)
        return true;
    return disc && in_list(f->variant, disc);
}

bool omk_model_choice_valid(const omk_field *f, const char *v)
{
    for (const char *const *c = f->choices; c && *c; c++)
        if (strcmp(*c, v) == 0)
            return true;
    return false;
}
