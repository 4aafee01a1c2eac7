"use strict";
// Live captions (issue 32): the newest lines of a live session's captions (the final transcript,
// then the live lines it has not reached yet), from the page's live updates (event `captions`),
// shown under the video of the session page and in the live console. A writer stars a line as a
// quote at once, as transcript lines are starred.
(function () {
  const box = document.getElementById("live-captions");
  if (!box) return;
  const id = S.session;
  const list = box.querySelector("ol");
  const note = box.querySelector("p");
  const writer = S.role === "tagger" || S.role === "admin";
  const starred = new Set();
  let shown = [];
  const key = (line) => line.file + "@" + line.start.toFixed(3);

  function show(lines) {
    shown = lines;
    if (window.siaranCaptionTrack) window.siaranCaptionTrack.add(lines);
    box.classList.remove("hidden");
    if (!lines.length) { list.replaceChildren(S.el("li", { class: "muted", text: S.t("captions.waiting") })); return; }
    list.replaceChildren(...lines.map((line) => {
      const on = starred.has(key(line));
      return S.el("li", { "data-file": line.file, "data-start": String(line.start) },
        S.el("time", { text: S.clock(line.start) }), " ",
        line.file === "asr-live.vtt" ? S.el("small", { class: "muted", text: S.t("captions.liveMark") + " " }) : null,
        S.el("span", { class: "text", text: line.text }),
        writer ? S.el("button", { type: "button", class: "star" + (on ? " on" : ""), title: S.t("post.starTitle"),
          "aria-label": S.t("post.starTitle"), "aria-pressed": on ? "true" : "false", text: on ? "★" : "☆",
          onclick: () => star(line) }) : null);
    }));
    list.scrollTop = list.scrollHeight;
  }

  async function star(line) {
    try {
      const post = await S.api("/api/sessions/" + encodeURIComponent(id) + "/post/quotes",
        { method: "POST", body: { at: line.start, file: line.file } });
      starred.add(key(line));
      note.textContent = "";
      if (window.siaranSession && window.siaranSession.showPost) window.siaranSession.showPost(post);
      show(shown);
    } catch (error) { note.textContent = error.message; }
  }

  function follow(updates) {
    updates.addEventListener("captions", (event) => show(JSON.parse(event.data).lines));
  }
  window.siaranCaptions = { follow };
  if (window.siaranSession && window.siaranSession.updates) follow(window.siaranSession.updates);
})();
