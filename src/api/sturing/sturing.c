/* Steering on data (/sturing/api/v1): the capability's API description and its table of
 * routes, gathered from its parts (kpis.c, doelen.c). Read-only after start-up. */
#include <string.h>

#include "omk/util.h"
#include "sturing/sturing.h"

const omk_api_info omk__st_api = {ST_BASE, "0.1.0", NULL, 0};

static omk_rc st_openapi(omk_req *req)
{
    return omk_req_reply(req, 200, "application/json", omk__openapi_sturing,
                         omk__openapi_sturing_len);
}

size_t omk__sturing_routes(omk_route *out, size_t cap)
{
    const omk_route own[] = {
        {"GET", ST_BASE "/openapi.json", st_openapi, NULL, &omk__st_api, OMK_ROUTE_PUBLIC, 0,
         NULL},
    };
    size_t n = 0;
    for (size_t i = 0; i < OMK_COUNT(own) && n < cap; i++)
        out[n++] = own[i];
    n += omk__st_kpi_routes(out + n, cap - n);
    n += omk__st_doel_routes(out + n, cap - n);
    return n;
}
