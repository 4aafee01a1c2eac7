"use strict";
// Suggested speaker turns (issue #31: Siaran's voices worker), on the session page and the live console.
// Each is drawn on the timeline dashed and lighter than the officers' tags and listed under "Saran suara"
// with a one-click answer: "Sepertinya Ilham Saputra — Ya / Orang lain" (an unnamed voice: "Suara 2 —
// siapa?"). "Ya" tags the suggested person at the turn's start, "Orang lain" opens a name field with the
// roster's names; either closes the suggestion, as "Abaikan" does. The page's own script hands every
// state of the session to `window.siaranVoices.show` (the live console's come through its update stream).
(function () {
  const box = document.getElementById("voices");
  if (!box) return;
  const list = document.getElementById("voice-list");
  const base = "/api/sessions/" + encodeURIComponent(S.session) + "/voices/";
  let detail = null, asking = null; // asking: { id, draft } — the suggestion whose name field is open
  // The open suggestions (`timeline.suggestedTurns`: an officer's tag may cut one into pieces of one id),
  // as the officer answers them: one row per stretch of one voice, since the engine suggests a long turn
  // in several consecutive parts (one person, or one unnamed voice, less than 1.5 s apart); `person` is
  // null for an unnamed voice, `ids` every suggestion the row answers.
  const pieces = () => (detail && detail.timeline.suggestedTurns) || [];
  function suggestions() {
    const byId = new Map();
    for (const p of pieces()) {
      const s = byId.get(p.id);
      if (s) { s.start = Math.min(s.start, p.start); s.end = Math.max(s.end, p.end); }
      else byId.set(p.id, { id: p.id, ids: [p.id], start: p.start, end: p.end, person: p.value || null, voice: p.voice });
    }
    const rows = [];
    for (const s of [...byId.values()].sort((a, b) => a.start - b.start)) {
      const last = rows[rows.length - 1];
      const same = last && last.person === s.person && (s.person || last.voice === s.voice) && s.start - last.end < 1.5;
      if (same) { last.ids.push(s.id); last.end = Math.max(last.end, s.end); } else rows.push(s);
    }
    return rows;
  }
  const said = (s) => s.person ? S.t("voices.soundsLike", { name: s.person }) : S.t("voices.who", { n: s.voice });
  const player = () => window.siaranTranscript && window.siaranTranscript.player;

  // The roster's names and earlier sessions' people, for the name field (as the agenda editor suggests them).
  function names(typed) {
    const roster = ((detail && detail.agenda) ? (detail.agenda.speakers || []).concat(detail.agenda.participants || []) : []).map((p) => p.name);
    const options = document.getElementById("voice-names");
    options.replaceChildren(...roster.map((name) => S.el("option", { value: name })));
    if (typed && typed.length >= 2) {
      S.api("/api/people?q=" + encodeURIComponent(typed)).then((answer) => {
        const more = answer.people.map((p) => p.name).filter((name) => !roster.includes(name));
        options.replaceChildren(...roster.concat(more).map((name) => S.el("option", { value: name })));
      }).catch(() => {});
    }
  }

  // Answers every suggestion of the row, in time order (each a speaker tag at its start, or a delete).
  async function answer(s, body, note) {
    let answered = null;
    try {
      for (const id of s.ids) {
        // A confirmation of a stretch's first part names the whole stretch (the officer's tag wins over
        // the voice turn it falls in), so its later parts may be answered already: that is no error.
        try { answered = await S.api(base + encodeURIComponent(id), { method: "POST", body }); }
        catch (error) { if (!answered) throw error; }
      }
      asking = null;
      note.textContent = "";
      const state = document.getElementById("voice-state");
      state.textContent = body.action === "dismiss" ? S.t("voices.dismissed") : S.t("voices.confirmed", { name: body.value || s.person, at: S.clock(s.start) });
    } catch (error) { note.textContent = error.message; }
    if (answered) { if (window.siaranSession) window.siaranSession.apply(answered.session); else show(answered.session); }
  }

  function ask(s, note) {
    const input = S.el("input", { name: "person", list: "voice-names", autocomplete: "off", placeholder: S.t("voices.nameLabel"), "aria-label": S.t("voices.nameLabel") });
    input.value = asking.draft || "";
    input.addEventListener("input", () => { asking.draft = input.value; names(input.value); });
    input.addEventListener("keydown", (event) => { if (event.key === "Escape") { asking = null; render(); } });
    const form = S.el("form", { class: "voice-name" }, input,
      S.el("button", { class: "voice-save", text: S.t("voices.tagName") }),
      S.el("button", { type: "button", class: "voice-cancel", text: S.t("common.cancel"), onclick: () => { asking = null; render(); } }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) { note.textContent = S.t("voices.nameNeeded"); return; }
      answer(s, { action: "confirm", value }, note);
    });
    names(input.value);
    setTimeout(() => { if (document.activeElement !== input) input.focus(); }, 0);
    return form;
  }

  function item(s) {
    const note = S.el("span", { class: "muted hint", role: "status" });
    // The session page plays from there; the live console's link opens the session page there.
    const time = S.el("a", { href: "/sessions/" + encodeURIComponent(S.session) + "?t=" + Math.floor(s.start), text: S.clock(s.start) + "–" + S.clock(s.end),
      onclick: (event) => { const p = player(); if (p) { event.preventDefault(); p.seek(s.start); } } });
    const row = S.el("li", { "data-id": s.id, "data-ids": s.ids.join(" "), class: "voice" + (s.person ? "" : " unnamed") },
      time, " ", S.el("span", { class: "said", text: said(s) }));
    if (!S.writer) { row.append(note); return row; }
    if (asking && asking.id === s.id) {
      row.append(ask(s, note), note);
      return row;
    }
    const other = () => { asking = { id: s.id, draft: "" }; render(); };
    row.append(S.el("span", { class: "choices" },
      s.person ? S.el("button", { class: "voice-yes", text: S.t("voices.yes"), onclick: () => answer(s, { action: "confirm" }, note) }) : null,
      S.el("button", { class: "voice-other", text: s.person ? S.t("voices.someoneElse") : S.t("voices.name"), onclick: other }),
      S.el("button", { class: "voice-dismiss link", text: S.t("voices.dismiss"), onclick: () => answer(s, { action: "dismiss" }, note) })), note);
    return row;
  }

  let drawn = "";
  function render() {
    const open = suggestions();
    // While a name is being typed the list keeps that row (a live update must not take the field away).
    const kept = asking && open.some((s) => s.id === asking.id);
    if (!kept) asking = null;
    box.classList.toggle("hidden", !open.length);
    // The live console's updates come every few seconds: the list is drawn again only when it changed,
    // so a name being typed keeps its field, caret and suggestions.
    const key = JSON.stringify([open, asking && asking.id]);
    if (key === drawn) return;
    drawn = key;
    list.replaceChildren(...open.slice().sort((a, b) => (document.body.dataset.page === "live" ? b.start - a.start : a.start - b.start)).map(item));
  }

  // Dashed, lighter bands on the speakers' row of the timeline, and a legend entry "saran suara".
  function timeline() {
    const bar = document.getElementById("timeline");
    if (!bar || !detail) return;
    for (const old of bar.querySelectorAll(".band.suggested")) old.remove();
    const total = Math.max(detail.session.duration, 1);
    const pct = (t) => (100 * Math.max(0, Math.min(t, total)) / total) + "%";
    for (const p of pieces()) {
      const s = { person: p.value || null, voice: p.voice }, colour = s.person ? S.colour(s.person) : "#777";
      bar.append(S.el("div", { class: "band suggested row0", "data-id": p.id, title: S.t("voices.label") + ": " + said(s) + " " + S.clock(p.start),
        style: "left:" + pct(p.start) + ";width:" + pct(Math.max(p.end - p.start, total / 500)) + ";border-color:" + colour }));
    }
    const legend = document.getElementById("legend");
    if (legend && pieces().length && !legend.querySelector(".suggested")) {
      legend.append(S.el("span", { class: "suggested" }, S.el("i", { class: "suggested" }), S.t("voices.label")));
    }
  }

  // Transcript lines with no speaker of their own say who was speaking then, all told
  // (`timeline.effectiveTurns`: the officer's tags win; a suggestion still open is marked as one).
  function speakerAt(t) {
    if (!detail) return null;
    const turn = (detail.timeline.effectiveTurns || []).find((e) => e.start <= t && t < e.end);
    return turn && turn.value ? { name: turn.value, suggested: !!turn.suggested } : null;
  }
  if (window.siaranTranscript) {
    window.siaranTranscript.decorators.push((row, line) => {
      if (line.voice || row.classList.contains("editing")) return;
      const who = speakerAt(line.start), text = row.querySelector(".text");
      if (!who || !text) return;
      text.before(S.el("b", { class: "said-by" + (who.suggested ? " suggested" : ""), title: who.suggested ? S.t("voices.label") : null,
        text: who.name + (who.suggested ? "?" : "") + ": " }));
    });
  }

  function show(d) {
    detail = d;
    render();
    timeline();
    if (window.siaranTranscript && window.siaranTranscript.lines.length) window.siaranTranscript.refresh();
  }
  window.siaranVoices = { show };
  if (window.siaranSession && window.siaranSession.detail) show(window.siaranSession.detail);
})();
