"use strict";
// The alerts page: the user's saved searches (delete, a new private feed link) and their recent alerts.
(function () {
  const searches = document.getElementById("saved-searches"), list = document.getElementById("alerts");
  const state = document.getElementById("alerts-state");
  const filterNames = ["speaker", "topic", "agenda", "office", "since", "until"];

  function describe(search) {
    const parts = filterNames.filter((name) => search.filters[name]).map((name) => S.t("filter." + ({ since: "from", until: "to" }[name] || name)) + ": " + search.filters[name]);
    return parts.join(" · ");
  }
  function feedLink(path) {
    const url = location.origin + path;
    return S.el("div", { class: "feed-link" }, S.t("alerts.feedOnce") + " ", S.el("a", { href: url, text: url }));
  }
  function showSearches(view) {
    if (!view.searches.length) {
      searches.replaceChildren(S.el("li", { class: "muted empty", text: S.t("alerts.none") }));
      return;
    }
    searches.replaceChildren(...view.searches.map((search) => {
      const item = S.el("li", { class: "card", "data-id": search.id },
        S.el("b", { text: search.query }), " ", S.el("span", { class: "muted", text: describe(search) }),
        S.el("div", { class: "muted", text: S.t("alerts.since", { when: S.date(search.createdAt) }) }));
      item.append(
        S.el("button", { type: "button", class: "feed", text: S.t("alerts.newFeed"), onclick: async () => {
          try {
            const answer = await S.api("/api/alerts/" + encodeURIComponent(search.id) + "/feed", { method: "POST" });
            item.querySelector(".feed-link")?.remove();
            item.append(feedLink(answer.feed));
          } catch (error) { state.textContent = error.message; }
        } }), " ",
        S.el("button", { type: "button", class: "danger delete", text: S.t("alerts.delete"), onclick: async () => {
          try {
            await S.api("/api/alerts/" + encodeURIComponent(search.id), { method: "DELETE" });
            state.textContent = S.t("alerts.deleted", { query: search.query });
            load();
          } catch (error) { state.textContent = error.message; }
        } }));
      return item;
    }));
  }
  function alertItem(alert) {
    return S.el("li", { class: "card" },
      S.el("b", { text: alert.query }), " → ",
      S.el("a", { href: "/sessions/" + encodeURIComponent(alert.session) + "?t=" + Math.floor(alert.seconds), text: alert.title + " " + S.clock(alert.seconds) }),
      S.el("div", {}, S.highlighted(alert.snippet)),
      S.el("div", { class: "muted", text: [alert.speaker, alert.agenda, S.date(alert.raisedAt)].filter(Boolean).join(" · ") }));
  }
  function showAlerts(view) {
    list.replaceChildren(...(view.alerts.length ? view.alerts.map(alertItem) : [S.el("li", { class: "muted empty", text: S.t("alerts.nothingYet") })]));
  }
  async function load() {
    try {
      const view = await S.api("/api/alerts");
      showSearches(view);
      showAlerts(view);
    } catch (error) { state.textContent = error.message; }
  }
  document.addEventListener("siaran:alert", (event) => {
    list.querySelector(".empty")?.remove();
    list.prepend(alertItem(event.detail));
  });
  load();
})();
