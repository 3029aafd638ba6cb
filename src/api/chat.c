/* Web chat (/kanalen/api/v1/chat/...): placeholder for delivery to the resident's stream. */
#include "kanalen_int.h"

omk_rc omk__chat_deliver(omk_arena *a, const omk_row *gesprek, const char *bericht_json);

omk_rc omk__chat_deliver(omk_arena *a, const omk_row *gesprek, const char *bericht_json)
{
    (void)a;
    (void)gesprek;
    (void)bericht_json;
    return OMK_OK;
}
