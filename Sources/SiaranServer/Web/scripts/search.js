"use strict";
(function () {
  const form = document.getElementById("search-form");
  const results = document.getElementById("results");
  const notice = document.getElementById("notice");
  const headers = document.getElementById("headers");
  const officeSelect = document.getElementById("office");
  let durations = null;
  /// This server's office (a shared catalog); hits of other offices play from their own servers.
  let ownOffice = null;

  async function loadOffices() {
    try {
      const list = await S.api("/api/offices");
      ownOffice = list.own || null;
      const wanted = S.query().get("office");
      if (!ownOffice || !list.offices.length) return;
      officeSelect.append(...list.offices.map((o) => S.el("option", { value: o.name, text: o.name + " (" + o.sessions + ")" })));
      if (wanted) officeSelect.value = wanted;
      officeSelect.classList.remove("hidden");
    } catch (_) {}
  }

  function elsewhere(item) { return item.office && ownOffice && item.office !== ownOffice; }
  function officeLabel(item) {
    if (!item.office) return null;
    return S.el("span", { class: "office" + (item.officeOffline ? " offline" : ""),
      text: S.t("search.office", { office: item.office }) + (item.officeOffline ? " · " + S.t("search.offline") : "") });
  }

  async function sessionLengths() {
    if (durations) return durations;
    durations = new Map();
    try {
      for (const s of (await S.api("/api/sessions")).sessions) durations.set(s.id, s.duration);
    } catch (_) {}
    return durations;
  }

  /// A session's page: here, or on the server of the office that recorded it.
  function sessionLink(item) {
    const page = "/sessions/" + encodeURIComponent(item.session);
    if (!elsewhere(item)) return page;
    if (item.link || item.officeOffline) return item.link || null;
    return /^https?:\/\//.test(item.playFrom || "") ? item.playFrom.replace(/\/+$/, "") + page : null;
  }
  function hitLink(hit) {
    if (hit.link) return hit.link;
    const page = sessionLink(hit);
    return page && page + "?t=" + Math.floor(hit.seconds);
  }

  function say(result) {
    const bits = [];
    if (result.corrections.length) bits.push(S.t("search.didYouMean", { words: result.corrections.map((c) => c.to).join(" ") }));
    if (result.partial) bits.push(result.missing.length ? S.t("search.partialMissing", { words: result.missing.join(", ") }) : S.t("search.partial"));
    if (result.expansions.length) bits.push(S.t("search.expanded", { list: result.expansions.map((e) => e.from + " → " + e.to).join("; ") }));
    notice.textContent = bits.join(" ");
    notice.classList.toggle("hidden", bits.length === 0);
  }

  async function show(result) {
    say(result);
    headers.replaceChildren(...result.sessions.map((s) => S.el("li", {},
      S.el("a", { href: sessionLink(s), text: s.title }), " ", officeLabel(s), " ",
      S.el("span", { class: "muted", text: "(" + s.matched.map((m) => S.t("matched." + m)).join(", ") + ") " }), ...S.highlighted(s.snippet))));
    const lengths = await sessionLengths();
    const groups = new Map();
    for (const hit of result.hits) {
      const key = (hit.office || "") + "/" + hit.session;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(hit);
    }
    const nodes = [];
    for (const hits of groups.values()) {
      // A mark past the session's media (captions can run on after it) sits at the end of the bar.
      const length = Math.max((!elsewhere(hits[0]) && lengths.get(hits[0].session)) || hits[hits.length - 1].seconds || 0, 1);
      const place = (seconds) => Math.min(100, Math.max(0, 100 * seconds / length));
      const mini = S.el("div", { class: "mini", "aria-hidden": "true" }, hits.map((hit) =>
        S.el("a", { href: hitLink(hit), title: S.clock(hit.seconds), style: "left:calc(" + place(hit.seconds) + "% - " + (place(hit.seconds) * 0.04).toFixed(2) + "px)" })));
      nodes.push(S.el("section", { class: "group" },
        S.el("h2", {}, S.el("a", { href: sessionLink(hits[0]), text: hits[0].title }), " ",
          S.el("small", { class: "muted", text: S.date(hits[0].date) }), " ", officeLabel(hits[0])),
        mini,
        S.el("ul", { class: "hits" }, hits.map((hit) => S.el("li", {},
          S.el("a", { class: "hit", href: hitLink(hit) }, S.el("time", { text: S.clock(hit.seconds) })),
          S.el("span", {}, ...S.highlighted(hit.snippet)),
          // Share and clip a moment of this server's sessions (another office's hit opens over its own link).
          window.siaranMoments && !elsewhere(hit) ? siaranMoments.actions(hit.session, hit.seconds, lengths.get(hit.session)) : null,
          S.el("p", { class: "who", text: [hit.speaker, hit.agenda, hit.matched === "transcript" ? S.t("search.machine") : null].filter(Boolean).join(" · ") }))))));
    }
    if (!nodes.length && !result.sessions.length) nodes.push(S.el("p", { class: "muted", text: S.t("search.nothing") }));
    results.replaceChildren(...nodes);
  }

  async function run() {
    const params = S.formParams(form);
    if (!params.get("q")) return;
    history.replaceState(null, "", "?" + params);
    results.replaceChildren(S.el("p", { class: "muted", text: S.t("search.searching") }));
    try { await show(await S.api("/api/search?" + params)); }
    catch (error) { results.replaceChildren(S.el("p", { class: "notice", text: error.message })); }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  const saveAlert = document.getElementById("save-alert");
  if (saveAlert) saveAlert.addEventListener("click", async () => {
    const state = document.getElementById("alert-saved");
    const body = Object.fromEntries(S.formParams(form));
    state.classList.remove("hidden");
    try {
      await S.api("/api/alerts", { method: "POST", body: Object.assign({ q: "" }, body) });
      state.replaceChildren(S.t("alerts.saved", { query: body.q }) + " ", S.el("a", { href: "/alerts", text: S.t("alerts.open") }));
    } catch (error) {
      state.textContent = error.message;
    }
  });
  officeSelect.addEventListener("change", () => run());
  S.fillForm(form, S.query());
  loadOffices().then(run);
})();
