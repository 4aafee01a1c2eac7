"use strict";
// Transcript correction on the session page. Every line says who corrected it and when; a tagger
// edits a line in place (Enter saves and opens the next line, Esc cancels), splits it at the caret,
// merges it with the next line, or fixes its speaker. The machine's text stays in the caption file.
(function () {
  const T = window.siaranTranscript;
  if (!T) return;
  const base = "/api/sessions/" + encodeURIComponent(S.session) + "/transcript/corrections";
  const key = (line) => line.file + "@" + line.start;
  const who = (author) => String(author || "").replace(/^web:/, "");
  let editing = null; // { key, draft, speaker, message }

  // Who corrected the line, when (in the office's zone), and the machine's text on hover.
  function provenance(row, line) {
    if (!line.correctedBy && !line.correctedAt) return;
    row.classList.add("corrected");
    row.append(S.el("small", { class: "muted by", title: S.t("correct.original", { text: line.original || "" }),
      text: " · " + S.t("correct.by", { name: who(line.correctedBy) || "?", when: S.date(line.correctedAt) }) }));
  }

  async function send(body) {
    return S.api(base, { method: "POST", body });
  }

  function startEditing(line, message) {
    editing = line ? { key: key(line), message } : null;
    T.refresh();
  }

  // Saves the speaker and the text if they changed; `moveOn` opens the next line afterwards.
  async function save(line, text, speaker, moveOn, note) {
    let answer = null;
    try {
      if (speaker.trim() !== (line.voice || "")) answer = await send({ action: "speaker", file: line.file, at: line.start, speaker });
      if (text.trim() !== line.text) answer = await send({ action: "edit", file: line.file, at: line.start, text });
    } catch (error) {
      note.textContent = error.message;
      return false;
    }
    const lines = answer ? answer.lines : T.lines;
    const index = lines.findIndex((l) => key(l) === key(line));
    editing = moveOn && index >= 0 && index + 1 < lines.length ? { key: key(lines[index + 1]) } : null;
    if (answer) T.set(answer.lines); else T.refresh();
    if (!moveOn) document.getElementById("playback-note").textContent = answer ? S.t("correct.saved", { at: S.clock(line.start) }) : "";
    return true;
  }

  async function structural(line, body, note) {
    try {
      const answer = await send(Object.assign({ file: line.file, at: line.start }, body));
      editing = { key: key(line) };
      T.set(answer.lines);
    } catch (error) { note.textContent = error.message; }
  }

  function open(row, line) {
    row.classList.add("editing");
    const note = S.el("span", { class: "muted hint", role: "status", text: editing.message || S.t("correct.hint") });
    const speaker = S.el("input", { class: "line-speaker", placeholder: S.t("correct.speaker"), "aria-label": S.t("correct.speaker") });
    speaker.value = editing.speaker !== undefined ? editing.speaker : (line.voice || "");
    const input = S.el("textarea", { class: "line-text", rows: "2", "aria-label": S.t("correct.textLabel") });
    input.value = editing.draft !== undefined ? editing.draft : line.text;
    input.addEventListener("input", () => { editing.draft = input.value; });
    speaker.addEventListener("input", () => { editing.speaker = speaker.value; });
    const keys = (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); save(line, input.value, speaker.value, true, note); }
      else if (event.key === "Escape") { event.preventDefault(); startEditing(null); }
    };
    input.addEventListener("keydown", keys);
    speaker.addEventListener("keydown", keys);
    const button = (name, text, action) => S.el("button", { type: "button", class: "correct-" + name, text, onclick: action });
    const split = async () => {
      const caret = input.selectionStart;
      // The text as typed is saved first; the caret counts in it, past the spaces trimmed at its start.
      const lead = input.value.length - input.value.trimStart().length;
      if (!(await save(line, input.value, speaker.value, false, note))) return;
      editing = { key: key(line) };
      await structural(line, { action: "split", caret: caret - lead }, note);
    };
    const form = S.el("div", { class: "line-editor", onclick: (event) => event.stopPropagation() },
      S.el("div", { class: "line-fields" }, speaker, input),
      S.el("div", { class: "actions" },
        button("save", S.t("common.save"), () => save(line, input.value, speaker.value, false, note)),
        button("split", S.t("correct.split"), split),
        button("merge", S.t("correct.merge"), () => structural(line, { action: "merge" }, note)),
        button("cancel", S.t("common.cancel"), () => startEditing(null)),
        note));
    row.replaceChildren(S.el("time", { text: S.clock(line.start) }), form);
    if (document.activeElement !== speaker) setTimeout(() => { if (editing && editing.key === key(line)) input.focus(); }, 0);
    row.scrollIntoView({ block: "nearest" });
  }

  T.decorators.push((row, line) => {
    if (S.writer && editing && editing.key === key(line)) { open(row, line); return; }
    provenance(row, line);
    if (!S.writer) return;
    row.append(S.el("button", { type: "button", class: "edit", title: S.t("correct.edit"), "aria-label": S.t("correct.edit"), text: "✎",
      onclick: (event) => { event.stopPropagation(); startEditing(line); } }));
  });
  T.refresh();
})();
