"use strict";
(function () {
  const form = document.getElementById("search-form");
  const results = document.getElementById("results");
  const notice = document.getElementById("notice");
  const headers = document.getElementById("headers");
  let durations = null;

  async function sessionLengths() {
    if (durations) return durations;
    durations = new Map();
    try {
      for (const s of (await S.api("/api/sessions")).sessions) durations.set(s.id, s.duration);
    } catch (_) {}
    return durations;
  }

  function hitLink(hit) { return "/sessions/" + encodeURIComponent(hit.session) + "?t=" + Math.floor(hit.seconds); }

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
      S.el("a", { href: "/sessions/" + encodeURIComponent(s.session), text: s.title }), " ",
      S.el("span", { class: "muted", text: "(" + s.matched.map((m) => S.t("matched." + m)).join(", ") + ") " }), ...S.highlighted(s.snippet))));
    const lengths = await sessionLengths();
    const groups = new Map();
    for (const hit of result.hits) {
      if (!groups.has(hit.session)) groups.set(hit.session, []);
      groups.get(hit.session).push(hit);
    }
    const nodes = [];
    for (const [session, hits] of groups) {
      // A mark past the session's media (captions can run on after it) sits at the end of the bar.
      const length = Math.max(lengths.get(session) || 0, 1);
      const place = (seconds) => Math.min(100, Math.max(0, 100 * seconds / length));
      const mini = S.el("div", { class: "mini", "aria-hidden": "true" }, hits.map((hit) =>
        S.el("a", { href: hitLink(hit), title: S.clock(hit.seconds), style: "left:calc(" + place(hit.seconds) + "% - " + (place(hit.seconds) * 0.04).toFixed(2) + "px)" })));
      nodes.push(S.el("section", { class: "group" },
        S.el("h2", {}, S.el("a", { href: "/sessions/" + encodeURIComponent(session), text: hits[0].title }), " ",
          S.el("small", { class: "muted", text: S.date(hits[0].date) })),
        mini,
        S.el("ul", { class: "hits" }, hits.map((hit) => S.el("li", {},
          S.el("a", { class: "hit", href: hitLink(hit) }, S.el("time", { text: S.clock(hit.seconds) })),
          S.el("span", {}, ...S.highlighted(hit.snippet)),
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
  S.fillForm(form, S.query());
  run();
})();
