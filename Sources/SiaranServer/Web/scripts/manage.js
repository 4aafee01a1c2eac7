"use strict";
// The session page's "Kelola sesi" panel (admins only): rename, edit the description, delete to the trash.
(function () {
  const panel = document.getElementById("manage");
  if (!panel || S.role !== "admin") return;
  panel.classList.remove("hidden");
  const base = "/api/sessions/" + encodeURIComponent(S.session);
  const state = document.getElementById("manage-state");
  const title = document.getElementById("manage-title"), description = document.getElementById("manage-description");
  title.value = document.getElementById("title").textContent;
  S.api(base).then((d) => { description.value = (d.agenda && d.agenda.description) || ""; }).catch(() => {});
  document.getElementById("rename-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const answer = await S.api(base + "/title", { method: "PUT", body: { title: title.value } });
      document.getElementById("title").textContent = answer.title;
      title.value = answer.title;
      state.textContent = S.t("manage.renamed");
    } catch (error) {
      state.textContent = error.message;
    }
  });
  document.getElementById("describe-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await S.api(base + "/description", { method: "PUT", body: { description: description.value } });
      state.textContent = S.t("manage.described");
    } catch (error) {
      state.textContent = error.message;
    }
  });
  // Join with another session of the same briefing (an outage split it).
  const other = document.getElementById("merge-with");
  S.api("/api/sessions").then((list) => {
    other.append(...list.sessions.filter((s) => s.id !== S.session && !s.live)
      .map((s) => S.el("option", { value: s.id, text: s.title + " · " + S.date(s.startedAt || s.createdAt) })));
  }).catch(() => {});
  document.getElementById("merge-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!other.value) return;
    const names = { title: document.getElementById("title").textContent, other: other.selectedOptions[0].textContent };
    if (!confirm(S.t("manage.confirmMerge", names))) return;
    try {
      const joined = await S.api(base + "/merge", { method: "POST", body: { with: other.value } });
      state.textContent = S.t("manage.merged");
      location.href = "/sessions/" + encodeURIComponent(joined.id);
    } catch (error) {
      state.textContent = error.message;
    }
  });
  // Pin: retention never deletes a pinned session.
  const pin = document.getElementById("manage-pin"), pinState = document.getElementById("pin-state");
  function showPin(view) {
    pin.dataset.pinned = view.pinned ? "1" : "";
    pin.textContent = view.pinned ? S.t("manage.unpin") : S.t("manage.pin");
    pinState.textContent = view.pinned ? S.t("manage.pinnedState") : S.t("manage.unpinnedState");
  }
  S.api(base + "/pin").then(showPin).catch(() => {});
  pin.onclick = async () => {
    try {
      showPin(await S.api(base + "/pin", { method: "PUT", body: { pinned: !pin.dataset.pinned } }));
    } catch (error) {
      state.textContent = error.message;
    }
  };
  document.getElementById("manage-delete").onclick = async () => {
    if (!confirm(S.t("manage.confirmDelete", { title: document.getElementById("title").textContent }))) return;
    try {
      await S.api(base, { method: "DELETE" });
      location.href = "/trash";
    } catch (error) {
      state.textContent = error.message;
    }
  };
})();
