#!/usr/bin/env python3
"""A cheap loopback source of many live HLS streams, for benchmarks and soak runs.

Serves pre-encoded segments (seg000.ts, seg001.ts, ... in --segments) through sliding live
playlists: /live/N/index.m3u8 for any N advances one segment every --segment-duration seconds
of wall-clock time, looping over the files (with EXT-X-DISCONTINUITY at each loop). Every stream
shares the same files, so 100 streams cost almost nothing to produce. Binds 127.0.0.1 only.
"""
import argparse
import os
import re
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--segments", required=True, help="folder with segNNN.ts files")
parser.add_argument("--segment-duration", type=float, default=6.0)
parser.add_argument("--window", type=int, default=5)
parser.add_argument("--control", help="file holding the mode: ok, 404, 500 or freeze (playlist stops advancing)")
args = parser.parse_args()

files = sorted(f for f in os.listdir(args.segments) if re.fullmatch(r"seg\d+\.ts", f))
data = [open(os.path.join(args.segments, f), "rb").read() for f in files]
started = time.time() - args.segment_duration * args.window
frozen_at = None
playlist_re = re.compile(r"^/live/(\d+)/index\.m3u8$")
segment_re = re.compile(r"^/live/(\d+)/(\d+)\.ts$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def send(self, body, kind):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the recorder went away (stopped or reconnecting)

    def mode(self):
        try:
            return open(args.control).read().strip() if args.control else "ok"
        except OSError:
            return "ok"

    def do_GET(self):
        global frozen_at
        mode = self.mode()
        if mode in ("404", "500"):
            self.send_error(int(mode))
            return
        if playlist_re.match(self.path):
            now = time.time()
            if mode == "freeze":
                frozen_at = frozen_at or now
                now = frozen_at
            else:
                frozen_at = None
            newest = int((now - started) / args.segment_duration)
            first = max(0, newest - args.window + 1)
            lines = ["#EXTM3U", "#EXT-X-VERSION:3",
                     "#EXT-X-TARGETDURATION:%d" % round(args.segment_duration),
                     "#EXT-X-MEDIA-SEQUENCE:%d" % first,
                     "#EXT-X-DISCONTINUITY-SEQUENCE:%d" % (first // len(data))]
            for k in range(first, newest + 1):
                if k % len(data) == 0 and k != first:
                    lines.append("#EXT-X-DISCONTINUITY")
                lines.append("#EXTINF:%.3f," % args.segment_duration)
                lines.append("%d.ts" % k)
            self.send(("\n".join(lines) + "\n").encode(), "application/vnd.apple.mpegurl")
            return
        m = segment_re.match(self.path)
        if m:
            self.send(data[int(m.group(2)) % len(data)], "video/mp2t")
            return
        self.send_error(404)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def handle_error(self, request, client_address):
        pass  # a recorder that hung up mid-request is not news


Server(("127.0.0.1", args.port), Handler).serve_forever()
