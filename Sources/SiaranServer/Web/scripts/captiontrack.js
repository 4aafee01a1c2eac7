"use strict";
// The session's captions as the video's own text track (issue 32): the player's captions button
// (CC) shows them over the picture, full screen included. Chromium's HLS player does not read a
// master playlist's subtitle rendition, so the page fills the track itself from the lines it already
// has: the transcript (session.js) and the live captions (livecaptions.js). Off until the viewer
// switches it on. With the MP4 stream (no native HLS) the video's clock starts at the moment
// asked for, so the cues are shifted by it.
(function () {
  const video = document.getElementById("video");
  if (!video || typeof VTTCue === "undefined" || !video.addTextTrack) return;
  // Made at the first lines (this script runs before the page's messages are loaded).
  let track = null;
  const known = new Map();
  let shift = 0;

  function cueOf(line) {
    const start = line.start - shift;
    const end = Math.max(line.end || line.start + 3, line.start + 0.5) - shift;
    return end > 0 ? new VTTCue(Math.max(0, start), end, line.text) : null;
  }

  function ready() {
    if (!track) {
      track = video.addTextTrack("captions", S.t("captions.track"), "id");
      track.mode = "hidden";
    }
    return track;
  }

  function add(lines) {
    ready();
    for (const line of lines || []) {
      if (!line || !line.text) continue;
      const key = line.start.toFixed(3) + "|" + line.text;
      if (known.has(key)) continue;
      const cue = cueOf(line);
      known.set(key, { line, cue });
      if (cue) track.addCue(cue);
    }
  }

  function setShift(seconds) {
    if (seconds === shift) return;
    shift = seconds;
    ready();
    for (const entry of known.values()) {
      if (entry.cue) track.removeCue(entry.cue);
      entry.cue = cueOf(entry.line);
      if (entry.cue) track.addCue(entry.cue);
    }
  }

  window.siaranCaptionTrack = { add, setShift, get track() { return ready(); } };
})();
