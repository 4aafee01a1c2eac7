"use strict";
// Who did what on the session page: every tag, transcript correction, starred quote and post edit,
// newest first, with who did it and when (in the office's zone). For signed-in visitors only.
(function () {
  const box = document.getElementById("history");
  if (!box || !S.role || !window.siaranTranscript) return;
  const base = "/api/sessions/" + encodeURIComponent(S.session);
  const who = (author) => String(author || "?").replace(/^web:/, "");
  const list = document.getElementById("history-list");

  async function render() {
    const [tags, post] = await Promise.all([S.api(base + "/tags").catch(() => ({ tags: [] })), S.api(base + "/post").catch(() => null)]);
    const entries = [];
    for (const t of tags.tags) {
      if (t.author || t.taggedAt) entries.push({ when: t.taggedAt, at: t.at, by: t.author, what: S.t("history.tag", { kind: S.t("kind." + t.kind), value: t.value }) });
    }
    for (const line of window.siaranTranscript.lines) {
      if (line.correctedBy || line.correctedAt) entries.push({ when: line.correctedAt, at: line.start, by: line.correctedBy, what: S.t("history.correction", { text: line.text }) });
    }
    for (const q of (post && post.quotes) || []) {
      if (q.starredBy) entries.push({ when: q.starredAt, at: q.at, by: q.starredBy, what: S.t("history.star", { text: q.text }) });
    }
    if (post && post.text != null && post.editedBy) entries.push({ when: post.updatedAt, by: post.editedBy, what: S.t("history.postEdit") });
    entries.sort((a, b) => String(b.when || "").localeCompare(String(a.when || "")));
    list.replaceChildren(...entries.map((e) => S.el("li", {},
      e.at !== undefined ? S.el("a", { href: "?t=" + Math.floor(e.at), text: S.clock(e.at),
        onclick: (event) => { event.preventDefault(); window.siaranTranscript.player.seek(e.at); } }) : null, " ", e.what,
      S.el("small", { class: "muted by", text: " · " + S.t("history.by", { name: who(e.by), when: e.when ? S.date(e.when) : "–" }) }))));
    if (!entries.length) list.replaceChildren(S.el("li", { class: "muted", text: S.t("history.none") }));
    box.classList.remove("hidden");
  }

  // Again whenever the transcript or the quotes change on the page (a correction, a star, a tag's update).
  let timer = null;
  const again = () => { clearTimeout(timer); timer = setTimeout(() => render().catch(() => {}), 400); };
  const watch = new MutationObserver(again);
  for (const id of ["transcript", "quotes", "timeline"]) {
    const node = document.getElementById(id);
    if (node) watch.observe(node, { childList: true });
  }
  again();
})();
