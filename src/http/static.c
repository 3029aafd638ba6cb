/* Static files of the web UI: maps a request path to a file under the web directory, refuses
 * anything that could leave it, and answers with the file's content type, the pages' CSP and
 * caching headers (ETag revalidation; long-lived for vendored assets). Runs on worker
 * threads; keeps no state. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_int.h"

#define MAX_STATIC_PATH 256

const char omk__page_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

static const struct {
    const char *ext, *type;
} TYPES[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strcmp(dot, TYPES[i].ext) == 0)
            return TYPES[i].type;
    return NULL;
}

bool omk__static_wants(const omk_req *req, const char *web_dir)
{
    if (!web_dir || req->api)
        return false;
    return strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
}

/* A path is acceptable when every segment is non-empty, does not start with '.', and holds
 * only letters, digits and "-_.". */
static bool safe_path(const char *p)
{
    size_t n = strlen(p);
    if (n < 2 || n > MAX_STATIC_PATH || p[0] != '/')
        return false;
    for (const char *s = p; *s; s++) {
        if (*s == '/') {
            if (s[1] == '/' || s[1] == '.' || s[1] == 0)
                return false;
            continue;
        }
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

/* Vendored NL Design System assets and fonts never change under one name during a release. */
static const char *cache_control(const char *path)
{
    if (strncmp(path, "/vendor/", 8) == 0)
        return "public, max-age=86400";
    return "no-cache";
}

omk_rc omk__static_serve(omk_req *req, const char *web_root)
{
    const char *path = req->path;
    if (!safe_path(path) || strncmp(path, "/node_modules", 13) == 0)
        return OMK_NOTFOUND;
    const char *last = strrchr(path, '/');
    const char *file = strchr(last, '.') ? path : omk_arena_printf(req->a, "%s.html", path);
    const char *ctype = file ? content_type(file) : NULL;
    if (!ctype)
        return OMK_NOTFOUND;
    char *full = omk_arena_printf(req->a, "%s%s", web_root, file);
    if (!full)
        return OMK_NOMEM;
    char *real = realpath(full, NULL);
    size_t rn = strlen(web_root);
    bool inside = real && strncmp(real, web_root, rn) == 0 && real[rn] == '/';
    int fd = inside ? open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
    free(real);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return OMK_NOTFOUND;
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    const char *inm = omk_req_header(req, "If-None-Match");
    bool fresh = inm && strcmp(inm, etag) == 0;
    struct MHD_Response *r =
        fresh ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)
              : MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (fresh || !r)
        close(fd);
    if (!r)
        return OMK_NOMEM;
    omk__http_common_headers(req, r, ctype, omk__page_csp, cache_control(path));
    MHD_add_response_header(r, "ETag", etag);
    int status = fresh ? 304 : 200;
    enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)status, r);
    MHD_destroy_response(r);
    req->replied = true;
    req->status = status;
    req->bytes = fresh ? 0 : (size_t)st.st_size;
    return ok == MHD_YES ? OMK_OK : OMK_IO;
}
