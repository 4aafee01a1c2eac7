"use strict";
(function () {
  const admin = S.role === "admin";
  const form = document.getElementById("schedule-form");
  const message = document.getElementById("message");
  form.classList.toggle("hidden", !admin);

  function say(text, bad) {
    message.textContent = text;
    message.classList.toggle("hidden", !text);
    message.classList.toggle("bad", !!bad);
  }

  // "Rabu, 15 September 2021, 09.00 WIB – 12.00 WIB (merekam 08.55 WIB – 12.30 WIB)", in the office's zone.
  function when(r) {
    const time = (iso) => S.date(iso, "time");
    return S.date(r.start, "date") + ", " + time(r.start) + " – " + time(r.end)
      + " " + S.t("schedule.records", { from: time(r.recordFrom), until: time(r.recordUntil) });
  }

  function row(r) {
    const sessions = S.el("td", {}, ...r.sessions.map((id) => S.el("div", {}, S.el("a", { href: "/sessions/" + encodeURIComponent(id), text: id }))));
    const state = S.el("td", {}, S.el("span", { class: "state " + r.state, text: S.t("schedule.state." + r.state) }),
      r.reason ? S.el("div", { class: "muted", text: r.reason }) : null,
      r.restarts ? S.el("div", { class: "muted", text: S.count("count.restarts", r.restarts) }) : null);
    const over = ["finished", "failed", "cancelled"].includes(r.state);
    const cancel = admin && !over ? S.el("button", { text: S.t("schedule.cancel"), onclick: async () => {
      if (!confirm(S.t("schedule.confirmCancel", { title: r.title }))) return;
      try { await S.api("/api/schedule/" + encodeURIComponent(r.id) + "/cancel", { method: "POST" }); load(); } catch (error) { say(error.message, true); }
    } }) : null;
    return S.el("tr", { "data-id": r.id },
      S.el("td", {}, S.el("b", { text: r.title }), S.el("div", { class: "muted source", text: r.source + (r.listen ? " " + S.t("schedule.listening") : "") })),
      S.el("td", { text: when(r) }), state, sessions, S.el("td", {}, cancel));
  }

  async function load() {
    try {
      const data = await S.api("/api/schedule");
      const body = document.getElementById("recordings");
      body.replaceChildren(...data.recordings.map(row));
      if (!data.recordings.length) body.replaceChildren(S.el("tr", {}, S.el("td", { colspan: "5", class: "muted", text: S.t("schedule.none") })));
    } catch (error) { say(error.message, true); }
  }

  const minutes = (value) => value === "" ? undefined : Number(value) * 60;
  // The form's times are the office's (its zone is named beside them), whatever this device's zone.
  const moment = (value) => { const d = S.fromLocalInput(value); return d ? d.toISOString() : undefined; };
  document.getElementById("zone-name").textContent = S.zoneName(new Date()) + (S.zone ? " (" + S.zone + ")" : "");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const file = form.elements.agendaFile.files[0];
    const body = {
      url: data.get("url"), title: data.get("title") || undefined,
      start: moment(data.get("start")), end: moment(data.get("end")),
      preRoll: minutes(data.get("preRoll")), overrun: minutes(data.get("overrun")),
      agenda: file ? await file.text() : (sessionStorage.getItem("siaran.agendaYaml") || undefined), listen: data.get("listen") === "on",
    };
    try {
      const r = await S.api("/api/schedule", { method: "POST", body });
      say(S.t("schedule.scheduled", { title: r.title, when: when(r) }));
      sessionStorage.removeItem("siaran.agendaYaml");
      document.getElementById("agenda-draft").textContent = "";
      form.reset();
      load();
    } catch (error) { say(error.message, true); }
  });
  // An agenda built in the editor (/agenda) comes back here, used unless a file is chosen.
  if (sessionStorage.getItem("siaran.agendaYaml")) document.getElementById("agenda-draft").textContent = S.t("agendaEditor.draftReady");
  load();
  setInterval(load, 5000);
})();
