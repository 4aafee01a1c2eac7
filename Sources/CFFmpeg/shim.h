#ifndef SIARAN_CFFMPEG_SHIM_H
#define SIARAN_CFFMPEG_SHIM_H

// The libav headers Siaran uses, plus what Swift cannot import by itself:
// function-like and compound-literal macros, and the variadic logging callback.

#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/dict.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <libavutil/imgutils.h>
#include <string.h>
#include <stdio.h>
#include <stdarg.h>

static inline int siaran_averror(int posix_errno) { return AVERROR(posix_errno); }
static const int SIARAN_AVERROR_EOF = AVERROR_EOF;
static const int SIARAN_AVERROR_EXIT = AVERROR_EXIT;
static const int SIARAN_AVERROR_EAGAIN = AVERROR(EAGAIN);
static const int SIARAN_AVERROR_INVALIDDATA = AVERROR_INVALIDDATA;
static const int64_t SIARAN_NOPTS_VALUE = AV_NOPTS_VALUE;
static const int SIARAN_AVSEEK_SIZE = AVSEEK_SIZE;
static const int SIARAN_PKT_FLAG_KEY = AV_PKT_FLAG_KEY;
static const int SIARAN_PKT_FLAG_CORRUPT = AV_PKT_FLAG_CORRUPT;

/// syncfs(2) is a GNU extension the Glibc module does not import.
extern int syncfs(int fd);
static inline int siaran_syncfs(int fd) { return syncfs(fd); }

static inline AVRational siaran_time_base_q(void) { return (AVRational){1, AV_TIME_BASE}; }

/// Receives one formatted libav log line; set by Swift, called from siaran_log_forward.
typedef void (*siaran_log_sink)(int level, const char *line);

static siaran_log_sink siaran_current_log_sink = 0;

/// Called for each push libav accepted although its RTMP application/stream key or RTSP path was
/// not the one listened for (libav only logs these). It counts in Swift: a count kept here, as a C
/// `static`, was compiled away in the release build (see LibavLogging).
typedef void (*siaran_mismatch_sink)(void);

static siaran_mismatch_sink siaran_current_mismatch_sink = 0;

/// Called when libav's HLS demuxer reloads a live playlist whose media sequence went back (an
/// encoder restarted): libav then waits for the old sequence number to come round again.
static siaran_mismatch_sink siaran_current_restart_sink = 0;

static inline void siaran_log_forward(void *avcl, int level, const char *fmt, va_list args) {
    if (fmt && (strncmp(fmt, "App field don't match up", 24) == 0 || strncmp(fmt, "Unexpected stream", 17) == 0
                || strncmp(fmt, "App field not found in connect", 30) == 0 || strncmp(fmt, "WARNING: Path", 13) == 0)) {
        if (siaran_current_mismatch_sink) siaran_current_mismatch_sink();
    }
    if (fmt && strncmp(fmt, "Media sequence changed unexpectedly", 35) == 0 && siaran_current_restart_sink) siaran_current_restart_sink();
    if (level > av_log_get_level() || siaran_current_log_sink == 0) return;
    char line[1024];
    int print_prefix = 1;
    av_log_format_line2(avcl, level, fmt, args, line, sizeof line, &print_prefix);
    siaran_current_log_sink(level, line);
}

/// Routes libav's own log output through `sink` (which must redact secrets), or silences it (the
/// forwarder stays installed: it watches for mismatched pushes at every level).
static inline void siaran_install_log_sink(siaran_log_sink sink, siaran_mismatch_sink mismatch, siaran_mismatch_sink restart, int level) {
    siaran_current_log_sink = sink;
    siaran_current_mismatch_sink = mismatch;
    siaran_current_restart_sink = restart;
    av_log_set_level(sink ? level : AV_LOG_QUIET);
    av_log_set_callback(siaran_log_forward);
}

#endif
