/* libFuzzer target: a request body as the register receives it — jansson parse, then the
 * generic parser over every declared resource in create, replace and patch mode. Must never
 * crash, leak or trip a sanitizer, whatever the bytes. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "klantinteracties/klantinteracties.h"
#include "omk/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int inited;
    if (!inited) {
        if (omk_util_init())
            return 0;
        inited = 1;
    }
    json_t *body = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!body || !json_is_object(body)) {
        json_decref(body);
        return 0;
    }
    for (size_t i = 0; omk__ki_resources[i]; i++)
        for (int mode = OMK_CREATE; mode <= OMK_PATCH; mode++) {
            omk_api_ctx ctx = {.a = omk_arena_new(8 << 20), .base_url = "http://fuzz"};
            omk_row *row = NULL;
            (void)omk_res_parse(&ctx, omk__ki_resources[i], body, (omk_write_mode)mode, &row);
            omk_arena_free(ctx.a);
        }
    json_decref(body);
    return 0;
}
