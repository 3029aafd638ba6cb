/* Logging to stderr: human lines for events, one JSON line per HTTP request (access log).
 * Thread-safe (each line or batch is written with one fwrite). */
#ifndef OMK_LOG_H
#define OMK_LOG_H

void omk_log_info(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void omk_log_error(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes `line` (without newline) plus a newline atomically. */
void omk_log_line(const char *line);

/* Access-log lines (one per request). While an access log is started they are collected and
 * written by a background thread every 100 ms, or at once when 64 KB are waiting: one write
 * per batch instead of one system call per request (nginx's `access_log … buffer=` does the
 * same). A crash loses at most the last 100 ms of access lines; events and errors
 * (omk_log_info/error) are never held back. Without a started access log, lines are written
 * at once. Start and stop nest (a count); the last stop writes what is waiting. */
void omk_log_access(const char *line);
int omk_log_access_start(void); /* 0 on success */
void omk_log_access_stop(void);

#endif
