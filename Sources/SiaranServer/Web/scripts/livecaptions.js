"use strict";
// Live captions (issue 32): the newest lines of a live session's captions (the final transcript,
// then the live lines it has not reached yet), from the page's live updates (event `captions`),
// shown under the video of the session page and in the live console. A writer stars a line as a
// quote at once, as transcript lines are starred. The words heard but not agreed yet (event `tail`)
// are shown greyed where they were said, marked "unconfirmed" for screen readers, never starrable;
// each tail replaces the last, and a word a shown line covers is agreed already.
(function () {
  const box = document.getElementById("live-captions");
  if (!box) return;
  const id = S.session;
  const list = box.querySelector("ol");
  const note = box.querySelector("p");
  const writer = S.role === "tagger" || S.role === "admin";
  const starred = new Set();
  let shown = [], tail = [];
  const key = (line) => line.file + "@" + line.start.toFixed(3);

  function show(lines) {
    shown = lines;
    if (window.siaranCaptionTrack) window.siaranCaptionTrack.add(lines);
    box.classList.remove("hidden");
    render();
  }

  // The tail's words in runs, each placed where it was said: words a shown line covers are dropped
  // (agreed since), so are words older than the first line shown; a run ends where a line or a pause of 2 s comes between.
  function runs() {
    const first = shown.length ? shown[0].start - 0.05 : -Infinity;
    const words = tail.filter((w) => w.start >= first && !shown.some((l) => w.start >= l.start - 0.05 && w.start < l.end));
    const out = [];
    for (const w of words) {
      const run = out[out.length - 1];
      const prev = run && run.words[run.words.length - 1];
      if (!prev || w.start - prev.end > 2 || shown.some((l) => l.start > prev.start && l.start <= w.start)) out.push({ start: w.start, words: [w] });
      else run.words.push(w);
    }
    return out;
  }

  function render() {
    const pending = runs();
    if (!shown.length && !pending.length && box.classList.contains("hidden")) return;
    box.classList.remove("hidden");
    if (!shown.length && !pending.length) { list.replaceChildren(S.el("li", { class: "muted", text: S.t("captions.waiting") })); return; }
    const items = shown.map((line) => {
      const on = starred.has(key(line));
      return { at: line.start, node: S.el("li", { "data-file": line.file, "data-start": String(line.start) },
        S.el("time", { text: S.clock(line.start) }), " ",
        line.file === "asr-live.vtt" ? S.el("small", { class: "muted", text: S.t("captions.liveMark") + " " }) : null,
        S.el("span", { class: "text", text: line.text }),
        writer ? S.el("button", { type: "button", class: "star" + (on ? " on" : ""), title: S.t("post.starTitle"),
          "aria-label": S.t("post.starTitle"), "aria-pressed": on ? "true" : "false", text: on ? "★" : "☆",
          onclick: () => star(line) }) : null) };
    }).concat(pending.map((run) => ({ at: run.start, node: S.el("li", { class: "tail", "data-start": String(run.start) },
      S.el("time", { text: S.clock(run.start) }), " ",
      S.el("span", { class: "vh", text: S.t("captions.unconfirmed") + ": " }),
      S.el("span", { class: "text", title: S.t("captions.unconfirmedTitle"), text: run.words.map((w) => w.text.trim()).join(" ") })) })));
    items.sort((a, b) => a.at - b.at);
    list.replaceChildren(...items.map((item) => item.node));
    list.scrollTop = list.scrollHeight;
  }

  async function star(line) {
    try {
      const post = await S.api("/api/sessions/" + encodeURIComponent(id) + "/post/quotes",
        { method: "POST", body: { at: line.start, file: line.file } });
      starred.add(key(line));
      note.textContent = "";
      if (window.siaranSession && window.siaranSession.showPost) window.siaranSession.showPost(post);
      render();
    } catch (error) { note.textContent = error.message; }
  }

  function follow(updates) {
    updates.addEventListener("captions", (event) => show(JSON.parse(event.data).lines));
    updates.addEventListener("tail", (event) => { tail = JSON.parse(event.data).words || []; render(); });
    // A stream opened again sends the current tail, if any: the one shown before may be stale.
    updates.addEventListener("open", () => { if (tail.length) { tail = []; render(); } });
  }
  window.siaranCaptions = { follow };
  if (window.siaranSession && window.siaranSession.updates) follow(window.siaranSession.updates);
})();
