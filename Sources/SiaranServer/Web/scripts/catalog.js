"use strict";
// The national catalog (admins of the national server): every office, its last contact (the push it
// last reported) in the office's own time, what it has not pushed yet, its errors; offices silent for over a day flagged.
(function () {
  const list = document.getElementById("offices"), state = document.getElementById("catalog-state");
  function office(o, own) {
    const p = o.push;
    const badges = [];
    if (o.silent) badges.push(S.el("span", { class: "badge alarm silent", text: S.t("catalog.silent") }));
    if (o.failing) badges.push(S.el("span", { class: "badge alarm failing", text: S.t("catalog.failingBadge") }));
    const head = S.el("div", { class: "title" }, S.el("b", { class: "name", text: o.name }), " ",
      o.seesAll ? S.el("span", { class: "muted", text: "— " + S.t("catalog.national") }) : "", " ",
      o.name === own ? S.el("span", { class: "badge", text: S.t("catalog.own") }) : "", " ", ...badges);
    const lines = [S.el("div", { class: "counts", text: S.t("catalog.sessions", { sessions: S.decimal(o.sessions), rows: S.decimal(o.rows) }) })];
    if (!p) {
      lines.push(S.el("div", { class: "muted report", text: S.t("catalog.noReport") }));
    } else {
      lines.push(S.el("div", { class: "report", text: S.t("catalog.reported", { when: o.reportedText }) }));
      // A silent office's report says how things stood at its last contact, not now.
      lines.push(S.el("div", { class: "waiting", text: (o.silent ? S.t("catalog.atThatTime") + " " : "") + (p.sessionsBehind || p.removalsBehind
        ? S.t("catalog.waiting", { sessions: S.decimal(p.sessionsBehind), rows: S.decimal(p.rowsBehind) })
          + (p.removalsBehind ? " " + S.t("catalog.removals", { count: S.decimal(p.removalsBehind) }) : "")
        : S.t("catalog.nothingWaiting")) }));
      if (o.silent) lines.push(S.el("div", { class: "muted silence", text: S.t("catalog.silentNote") }));
      if (p.lastError) {
        lines.push(S.el("div", { class: o.failing ? "error failing" : "muted error",
          text: S.t(o.failing ? "catalog.failing" : "catalog.lastError", { when: o.lastFailureText, error: p.lastError }) }));
      }
    }
    return S.el("li", { class: "card branch" + (o.silent || o.failing ? " alarm" : ""), "data-office": o.name }, head, ...lines);
  }
  function show(report) {
    document.getElementById("catalog-explain").textContent = S.t("catalog.explain", { hours: S.decimal(report.silentAfterHours) });
    const silent = report.offices.filter((o) => o.silent).length, failing = report.offices.filter((o) => o.failing).length;
    document.getElementById("catalog-summary").textContent = S.t("catalog.summary", { offices: S.decimal(report.offices.length), silent: S.decimal(silent), failing: S.decimal(failing) });
    if (!report.offices.length) {
      list.replaceChildren(S.el("li", { class: "muted empty", text: S.t("catalog.empty") }));
      return;
    }
    // The offices needing attention first, then by name.
    const order = (o) => (o.silent || o.failing ? 0 : 1);
    list.replaceChildren(...report.offices.slice().sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name)).map((o) => office(o, report.own)));
  }
  S.api("/api/catalog/status").then(show).catch((error) => { state.textContent = error.message; });
})();
