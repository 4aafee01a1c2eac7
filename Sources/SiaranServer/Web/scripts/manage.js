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
