"use strict";
// The office's settings (admins): voice recognition on or off, with what it means for privacy, and the
// voice library: everyone enrolled, each removable at once (their voice vectors deleted from this machine).
(function () {
  const box = document.getElementById("voices-enabled"), status = document.getElementById("voices-status");
  const list = document.getElementById("library"), state = document.getElementById("library-state");
  function show(view) {
    box.checked = view.enabled;
    status.textContent = (view.enabled ? S.t("settings.on") : S.t("settings.off"))
      + (view.changedBy ? " " + S.t("settings.changedBy", { name: String(view.changedBy).replace(/^web:/, ""), when: S.date(view.changedAt) }) : "");
    if (!view.people.length) {
      list.replaceChildren(S.el("li", { class: "muted empty", text: S.t("settings.nobody") }));
      return;
    }
    list.replaceChildren(...view.people.map((p) => S.el("li", { class: "card person", "data-name": p.name },
      S.el("b", { text: p.name }), " ", S.el("span", { class: "muted", text: S.count("count.voiceSamples", p.samples) + " · " + S.t("settings.lastEnrolled", { when: S.date(p.lastEnrolled) }) }),
      S.el("div", {}, S.el("button", { class: "danger forget", type: "button", text: S.t("settings.forget"), onclick: () => forget(p) })))));
  }
  async function forget(p) {
    if (!confirm(S.t("settings.confirmForget", { name: p.name }))) return;
    try {
      show(await S.api("/api/voices/people/" + encodeURIComponent(p.name), { method: "DELETE" }));
      state.textContent = S.t("settings.forgotten", { name: p.name });
    } catch (error) {
      state.textContent = error.message;
    }
  }
  document.getElementById("voices-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try { show(await S.api("/api/voices", { method: "PUT", body: { enabled: box.checked } })); }
    catch (error) { status.textContent = error.message; }
  });
  S.api("/api/voices").then(show).catch((error) => { status.textContent = error.message; });
})();
