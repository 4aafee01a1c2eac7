"use strict";
// The trash (admins): deleted sessions, kept for their days, each restorable.
(function () {
  const list = document.getElementById("trash"), state = document.getElementById("trash-state");
  function show(view) {
    document.getElementById("trash-explain").textContent = S.t("trash.explain", { days: S.decimal(view.days) });
    if (!view.trash.length) {
      list.replaceChildren(S.el("li", { class: "muted empty", text: S.t("trash.empty") }));
      return;
    }
    list.replaceChildren(...view.trash.map((s) => S.el("li", { class: "card", "data-id": s.id },
      S.el("b", { text: s.title }), " ", S.el("span", { class: "muted", text: s.id }),
      S.el("div", { class: "muted", text: S.t("trash.deleted", { when: S.date(s.deletedAt), who: s.deletedBy || "—", purge: S.date(s.purgeAfter, "date") }) }),
      S.el("button", { class: "restore", type: "button", text: S.t("trash.restore"), onclick: () => restore(s) }))));
    // Come from a link to one of them (/trash#ID, the retention page): that one is shown and marked.
    const wanted = decodeURIComponent(location.hash.slice(1));
    const target = wanted && [...list.children].find((li) => li.dataset.id === wanted);
    if (target) { target.classList.add("target"); target.scrollIntoView({ block: "center" }); }
  }
  async function restore(s) {
    try {
      show(await S.api("/api/trash/" + encodeURIComponent(s.id) + "/restore", { method: "POST" }));
      state.replaceChildren(S.t("trash.restored", { title: s.title }) + " ",
        S.el("a", { href: "/sessions/" + encodeURIComponent(s.id), text: S.t("trash.open") }));
    } catch (error) {
      state.textContent = error.message;
    }
  }
  S.api("/api/trash").then(show).catch((error) => { state.textContent = error.message; });
})();
