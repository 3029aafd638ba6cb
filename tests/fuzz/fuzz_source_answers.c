/* libFuzzer target: whatever a source system answers (BRP, Zaken, KvK) as the klantbeeld maps
 * it under every combination of views, and the same bytes as a phone number or e-mail address
 * for the digital-address search key. Must never crash, leak or trip a sanitizer. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "klantbeeld/klantbeeld.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    char key[128];
    (void)omk__contact_key("telefoonnummer", text, key, sizeof key);
    (void)omk__contact_key("email", text, key, sizeof key);
    free(text);

    json_t *answer = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!answer)
        return 0;
    static const unsigned views[] = {0, OMK_ZIE_PERSOON, OMK_ZIE_PERSOON | OMK_ZIE_ADRES,
                                     OMK_ZIE_PERSOON | OMK_ZIE_ADRES | OMK_ZIE_GEHEIM_ADRES};
    for (int b = 0; b < OMK_BRON_COUNT; b++)
        for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
            json_t *out = omk__klantbeeld_map((omk_bron)b, answer, views[v]);
            char *s = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
            free(s);
            json_decref(out);
        }
    json_decref(answer);
    return 0;
}
