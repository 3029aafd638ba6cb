/* libFuzzer target: the query-string parser (outside input on every request). Checks the
 * parser's promise: on success every key and value is NUL-free UTF-8. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omk/http.h"
#include "omk/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    omk_arena *a = omk_arena_new(16 << 20);
    omk_qparam *q = NULL;
    size_t n = 0;
    if (omk_query_parse(a, (const char *)data, size, &q, &n) == OMK_OK)
        for (size_t i = 0; i < n; i++)
            if (!omk_utf8_valid(q[i].key, strlen(q[i].key)) ||
                !omk_utf8_valid(q[i].value, strlen(q[i].value)))
                abort();
    omk_arena_free(a);
    return 0;
}
