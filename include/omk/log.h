/* Logging to stderr: human lines for events, one JSON line per HTTP request (access log).
 * Thread-safe (each line is written with one fwrite). */
#ifndef OMK_LOG_H
#define OMK_LOG_H

void omk_log_info(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void omk_log_error(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes `line` (without newline) plus a newline atomically. */
void omk_log_line(const char *line);

#endif
