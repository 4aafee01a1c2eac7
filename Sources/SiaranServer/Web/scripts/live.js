"use strict";
(function () {
  const id = S.session;
  const base = "/api/sessions/" + encodeURIComponent(id);
  const message = document.getElementById("message");
  let detail = null;

  function say(text, bad) {
    message.textContent = text;
    message.classList.toggle("hidden", !text);
    message.style.borderColor = bad ? "#c62828" : "";
    if (text && !bad) setTimeout(() => { if (message.textContent === text) say(""); }, 4000);
  }

  async function tag(kind, value) {
    const pressedAt = S.serverNow();
    try {
      const written = await S.api(base + "/tags", { method: "POST", body: { kind, value, pressedAt } });
      say(S.t("live.tagged", { kind: S.t("kind." + kind), value: written.event.value, at: S.clock(written.event.media) })
        + (written.warnings.length ? " (" + written.warnings.join("; ") + ")" : ""));
    } catch (error) { say(error.message, true); }
  }

  async function correct(target, body) {
    try { await S.api(base + "/tags/" + encodeURIComponent(target), { method: "POST", body }); say(S.t("live.corrected")); return true; }
    catch (error) { say(error.message, true); return false; }
  }

  // The buttons are built once per roster and agenda (a press must never hit a button being
  // replaced); later updates only move the "current" mark.
  let builtFor = "";
  function buttons(d) {
    const speakers = ((d.agenda && d.agenda.speakers) || []).map((p) => p.name);
    const items = ((d.agenda && d.agenda.agenda) || []).map((item) => item.title);
    const key = JSON.stringify([speakers, items]);
    if (key !== builtFor) {
      builtFor = key;
      document.getElementById("speakers").replaceChildren(...speakers.map((name, i) =>
        S.el("button", { "data-value": name, onclick: () => tag("speaker", name) }, i < 9 ? S.el("kbd", { text: String(i + 1) }) : null, name)));
      if (!speakers.length) document.getElementById("speakers").replaceChildren(S.el("p", { class: "muted", text: S.t("live.noRoster") }));
      document.getElementById("agenda-buttons").replaceChildren(...items.map((title, i) =>
        S.el("button", { "data-value": title, onclick: () => tag("agenda", String(i + 1)) }, i < 9 ? S.el("kbd", { text: "⇧" + (i + 1) }) : null, title)));
    }
    const last = (list) => list.length ? list[list.length - 1].value : null;
    const current = last(d.timeline.speakerTurns), running = last(d.timeline.agendaItems);
    for (const b of document.querySelectorAll("#speakers button")) b.classList.toggle("current", b.dataset.value === current);
    for (const b of document.querySelectorAll("#agenda-buttons button")) b.classList.toggle("current", b.dataset.value === running);
  }

  function status(d) {
    const r = d.recording;
    const line = document.getElementById("status");
    // A session that is no longer recording takes no tags here (a tag past its end is refused):
    // its tags are corrected on the session page.
    const over = !r && !d.session.live;
    document.body.classList.toggle("ended", over);
    for (const control of document.querySelectorAll("#speakers button, #agenda-buttons button, form.row input, form.row button")) control.disabled = over;
    if (!r) {
      line.textContent = over ? S.t("live.ended", { state: S.t("state." + d.session.state), length: S.clock(d.session.duration) }) : S.t("live.waiting");
      return;
    }
    line.textContent = S.t("live.recording", { elapsed: S.clock(r.elapsed), bitrate: r.bitrate ? S.decimal(r.bitrate / 1e6, 2) + " Mbit/s" : "–",
      gaps: S.count("count.gaps", r.gaps), reconnects: S.count("count.reconnects", r.reconnects), disk: S.bytes(r.diskFreeBytes) });
  }

  // Each tag has one "Change" button; it opens an editor in the page (moment and value, save,
  // delete, cancel) instead of the browser's prompt().
  let editing = null, waiting = null;
  function editor(t) {
    const at = S.el("input", { value: S.clock(t.at), inputmode: "numeric", "aria-label": S.t("live.moveTo"), size: "8" });
    const value = S.el("input", { value: t.value, "aria-label": S.t("live.newValue") });
    const form = S.el("form", { class: "edit" }, at, value,
      S.el("button", { text: S.t("common.save") }),
      S.el("button", { type: "button", class: "danger", text: S.t("live.delete"), onclick: async () => { if (await correct(t.id, { action: "delete" })) close(); } }),
      S.el("button", { type: "button", text: S.t("common.cancel"), onclick: () => close() }));
    function close() {
      editing = null;
      form.remove();
      if (waiting) { const list = waiting; waiting = null; tags(list); }
    }
    form.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const moment = S.parseClock(at.value), text = value.value.trim();
      if (isNaN(moment)) { say(S.t("live.badMoment"), true); return; }
      let ok = true;
      if (Math.abs(moment - t.at) >= 0.5) ok = await correct(t.id, { action: "move", at: moment });
      if (ok && text && text !== t.value) ok = await correct(t.id, { action: "retag", value: text });
      if (ok) close();
    });
    return form;
  }
  function tags(list) {
    // While a tag is being edited the list waits (the editor keeps what was typed).
    if (editing) { waiting = list; return; }
    document.getElementById("tags").replaceChildren(...list.tags.slice(0, 12).map((t) => {
      const item = S.el("li", { "data-id": t.id },
        S.el("time", { text: S.clock(t.at) }), S.el("span", { class: "muted", text: S.t("kind." + t.kind) }), S.el("span", { class: "value", text: t.value }),
        t.author ? S.el("small", { class: "muted author", text: S.t("live.by", { name: String(t.author).replace(/^web:/, ""), time: t.taggedAt ? S.date(t.taggedAt, "time") : "" }) }) : null,
        S.el("button", { class: "change", text: S.t("live.change"), onclick: () => {
          if (editing) return;
          editing = t.id;
          item.append(editor(t));
          item.querySelector("form.edit input").focus();
        } }));
      return item;
    }));
  }

  for (const [formId, kind] of [["topic", "topic"], ["note", "note"], ["other-speaker", "speaker"]]) {
    const form = document.getElementById(formId);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = form.elements.value.value.trim();
      if (value) { tag(kind, value); form.reset(); }
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const digit = event.code.startsWith("Digit") ? Number(event.code.slice(5)) : NaN;
    if (!(digit >= 1 && digit <= 9) || !detail) return;
    event.preventDefault();
    if (event.shiftKey) {
      const items = (detail.agenda && detail.agenda.agenda) || [];
      if (digit <= items.length) tag("agenda", String(digit));
    } else {
      const speakers = (detail.agenda && detail.agenda.speakers) || [];
      if (digit <= speakers.length) tag("speaker", speakers[digit - 1].name);
    }
  });

  function apply(d) {
    detail = d; buttons(d); status(d);
    // The voices' suggestions (voices.js) follow every state of the session.
    window.siaranSession.detail = d;
    if (window.siaranVoices) window.siaranVoices.show(d);
  }
  window.siaranSession = { detail: null, apply };

  async function start() {
    await S.syncClock();
    apply(await S.api(base));
    tags(await S.api(base + "/tags"));
    const updates = S.updates(base + "/updates");
    // Live captions (livecaptions.js) follow the same stream.
    window.siaranSession.updates = updates;
    if (window.siaranCaptions) window.siaranCaptions.follow(updates);
    updates.addEventListener("session", (event) => apply(JSON.parse(event.data)));
    updates.addEventListener("tags", (event) => tags(JSON.parse(event.data)));
    updates.onerror = () => { document.getElementById("status").textContent = S.t("live.reconnecting"); };
    setInterval(() => S.syncClock().catch(() => {}), 60000);
  }
  start().catch((error) => { S.alertsOnly(); say(error.message, true); });
})();
