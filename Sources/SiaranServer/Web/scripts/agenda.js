"use strict";
// The agenda and roster editor: people (with role and organisation, suggested from earlier sessions'
// rosters), agenda items (planned time, speakers), or a start from an earlier briefing's agenda; saved
// to the session (the live console's buttons), or handed to the schedule form; YAML in and out.
(function () {
  const form = document.getElementById("agenda-form");
  const people = document.getElementById("people"), items = document.getElementById("items");
  const state = document.getElementById("agenda-state");
  const say = (text, bad) => { state.textContent = text; state.classList.remove("hidden"); state.classList.toggle("bad", !!bad); };
  const fields = ["title", "organiser", "date", "start", "end", "place", "description"];
  let extra = {};  // what the editor does not show (language, aliases, item descriptions) is kept as it was

  const input = (name, value, attributes = {}) => S.el("input", { name, value: value || "", ...attributes });
  function personRow(p = {}, kind = "speaker") {
    const remove = S.el("button", { type: "button", class: "link", text: S.t("agendaEditor.remove") });
    const name = input("name", p.name, { list: "people-suggestions", placeholder: S.t("agendaEditor.name"), "aria-label": S.t("agendaEditor.name"), autocomplete: "off" });
    const row = S.el("li", { class: "person" }, name,
      input("role", p.role, { placeholder: S.t("agendaEditor.role"), "aria-label": S.t("agendaEditor.role") }),
      input("organisation", p.organisation, { placeholder: S.t("agendaEditor.organisation"), "aria-label": S.t("agendaEditor.organisation") }),
      S.el("select", { name: "kind", "aria-label": S.t("agendaEditor.kind") },
        S.el("option", { value: "speaker", text: S.t("agendaEditor.speaker") }), S.el("option", { value: "participant", text: S.t("agendaEditor.participant") })),
      remove);
    row.querySelector("[name=kind]").value = kind;
    row.dataset.aliases = JSON.stringify(p.aliases || []);
    remove.onclick = () => { row.remove(); rosterNames(); };
    name.addEventListener("input", () => suggest(name.value));
    name.addEventListener("change", () => { fillFromSuggestion(row); rosterNames(); });
    return row;
  }
  function itemRow(item = {}) {
    const remove = S.el("button", { type: "button", class: "link", text: S.t("agendaEditor.remove") });
    const row = S.el("li", { class: "item" },
      input("title", item.title, { placeholder: S.t("agendaEditor.itemTitle"), "aria-label": S.t("agendaEditor.itemTitle") }),
      input("plannedStart", item.plannedStart, { placeholder: S.t("agendaEditor.planned"), "aria-label": S.t("agendaEditor.planned") }),
      input("speakers", (item.speakers || []).join(", "), { list: "roster-names", placeholder: S.t("agendaEditor.itemSpeakers"), "aria-label": S.t("agendaEditor.itemSpeakers") }),
      remove);
    row.dataset.description = item.description || "";
    remove.onclick = () => row.remove();
    return row;
  }

  // Suggestions from earlier rosters, as the name is typed.
  let suggestions = [], pending = null;
  function suggest(typed) {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      try {
        suggestions = (await S.api("/api/people?q=" + encodeURIComponent(typed))).people;
        document.getElementById("people-suggestions").replaceChildren(...suggestions.map((p) =>
          S.el("option", { value: p.name, label: [p.role, p.organisation].filter(Boolean).join(" — ") })));
      } catch (_) { /* suggestions are a help, not a need */ }
    }, 200);
  }
  function fillFromSuggestion(row) {
    const name = row.querySelector("[name=name]").value.trim();
    const known = suggestions.find((p) => p.name === name);
    if (!known) return;
    for (const field of ["role", "organisation"]) {
      const box = row.querySelector("[name=" + field + "]");
      if (!box.value && known[field]) box.value = known[field];
    }
  }
  function rosterNames() {
    document.getElementById("roster-names").replaceChildren(...[...people.querySelectorAll("[name=name]")]
      .map((box) => box.value.trim()).filter(Boolean).map((name) => S.el("option", { value: name })));
  }

  function show(agenda) {
    extra = { language: agenda.language || null };
    for (const field of fields) form.elements[field].value = agenda[field] || "";
    people.replaceChildren(...(agenda.speakers || []).map((p) => personRow(p, "speaker")),
      ...(agenda.participants || []).map((p) => personRow(p, "participant")));
    items.replaceChildren(...(agenda.agenda || []).map(itemRow));
    rosterNames();
  }
  function model() {
    const text = (value) => (value || "").trim() || null;
    const agenda = { speakers: [], participants: [], agenda: [], language: extra.language };
    for (const field of fields) agenda[field] = text(form.elements[field].value);
    for (const row of people.children) {
      const name = text(row.querySelector("[name=name]").value);
      if (!name) continue;
      const person = { name, role: text(row.querySelector("[name=role]").value), organisation: text(row.querySelector("[name=organisation]").value),
        aliases: JSON.parse(row.dataset.aliases || "[]") };
      (row.querySelector("[name=kind]").value === "participant" ? agenda.participants : agenda.speakers).push(person);
    }
    for (const row of items.children) {
      const title = text(row.querySelector("[name=title]").value);
      if (!title) continue;
      agenda.agenda.push({ title, plannedStart: text(row.querySelector("[name=plannedStart]").value), description: row.dataset.description || null,
        speakers: row.querySelector("[name=speakers]").value.split(",").map((s) => s.trim()).filter(Boolean) });
    }
    return agenda;
  }

  document.getElementById("add-person").onclick = () => { const row = personRow(); people.append(row); row.querySelector("input").focus(); };
  document.getElementById("add-item").onclick = () => { const row = itemRow(); items.append(row); row.querySelector("input").focus(); };

  // Start from an earlier briefing's agenda.
  const from = document.getElementById("start-from");
  S.api("/api/sessions").then((list) => {
    from.append(...list.sessions.filter((s) => s.id !== S.session).map((s) => S.el("option", { value: s.id, text: s.title + " · " + S.date(s.startedAt || s.createdAt, "date") })));
  }).catch(() => {});
  from.addEventListener("change", async () => {
    if (!from.value) return;
    try {
      show(await S.api("/api/sessions/" + encodeURIComponent(from.value) + "/agenda"));
      say(S.t("agendaEditor.loaded", { title: from.selectedOptions[0].textContent }));
    } catch (error) { say(error.message, true); }
  });

  // YAML in and out (the agenda file's format).
  document.getElementById("import-yaml").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      show(await S.api("/api/agenda/yaml", { method: "POST", body: { yaml: await file.text() } }));
      say(S.t("agendaEditor.imported", { file: file.name }));
    } catch (error) { say(error.message, true); }
    event.target.value = "";
  });
  async function yaml() {
    const response = await fetch("/api/agenda/export", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": S.csrf }, body: JSON.stringify(model()) });
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      throw new Error((data && data.error) || ("HTTP " + response.status));
    }
    return response.text();
  }
  document.getElementById("export-yaml").onclick = async () => {
    try {
      const link = S.el("a", { href: URL.createObjectURL(new Blob([await yaml()], { type: "application/yaml" })), download: (S.session || "agenda") + ".yaml" });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) { say(error.message, true); }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      if (S.session) {
        show(await S.api("/api/sessions/" + encodeURIComponent(S.session) + "/agenda", { method: "PUT", body: model() }));
        say(S.t("agendaEditor.saved"));
      } else {
        sessionStorage.setItem("siaran.agendaYaml", await yaml());
        location.href = "/schedule";
      }
    } catch (error) { say(error.message, true); }
  });

  if (S.session) {
    S.api("/api/sessions/" + encodeURIComponent(S.session) + "/agenda").then(show).catch((error) => say(error.message, true));
  } else {
    show({});
  }
})();
