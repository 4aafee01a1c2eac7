"use strict";
const S = {
  session: document.body.dataset.session || "",
  role: document.body.dataset.role || "",
  csrf: document.body.dataset.csrf || "",
  lang: document.body.dataset.lang || "id",
  zone: document.body.dataset.zone || undefined,
  writer: ["tagger", "admin"].includes(document.body.dataset.role || ""),
  touch: window.matchMedia("(pointer: coarse)").matches,
  clockOffset: 0,

  /// The catalogue's text for `key` (messages-LANG.js), `{name}` replaced from `values`.
  t(key, values = {}) {
    const text = (window.SiaranMessages || {})[key];
    if (text === undefined) return key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  },
  /// "1 celah" / "2 gaps": the catalogue's KEY.one or KEY.other, `n` grouped as the page's language writes it.
  count(key, n) { return S.t(key + (n === 1 ? ".one" : ".other"), { n: S.decimal(n) }); },

  async api(path, options = {}) {
    const init = { method: options.method || "GET", headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    if (init.method !== "GET") init.headers["X-CSRF-Token"] = S.csrf;
    const response = await fetch(path, init);
    const type = response.headers.get("Content-Type") || "";
    const data = type.startsWith("application/json") ? await response.json() : null;
    if (!response.ok) throw new Error((data && data.error) || ("HTTP " + response.status));
    return data;
  },

  /// Maps this browser's clock to the server's (tags land at the moment of the press).
  async syncClock() {
    let best = null;
    for (let i = 0; i < 3; i++) {
      const sent = Date.now();
      const data = await S.api("/api/clock");
      const got = Date.now();
      const trip = got - sent;
      if (best === null || trip < best.trip) best = { trip, offset: data.now - (sent + got) / 2 };
    }
    S.clockOffset = best.offset;
  },
  serverNow() { return Date.now() + S.clockOffset; },

  clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    const two = (n) => String(n).padStart(2, "0");
    return (h ? h + ":" + two(m) : String(m)) + ":" + two(s);
  },
  parseClock(text) {
    if (!text) return NaN;
    const parts = String(text).trim().split(":").map(Number);
    return parts.reduce((total, part) => total * 60 + part, 0);
  },
  /// The office's zone name for a moment: WIB, WITA, WIT, else UTC+H (from the zone's offset then).
  zoneName(date) {
    const part = new Intl.DateTimeFormat("en-GB", { timeZone: S.zone, timeZoneName: "longOffset" })
      .formatToParts(date).find((p) => p.type === "timeZoneName");
    const offset = part ? part.value.replace("GMT", "") : "";
    return { "+07:00": "WIB", "+08:00": "WITA", "+09:00": "WIT" }[offset] || ("UTC" + (offset || ""));
  },
  /// "Rabu, 15 September 2021, 09.00 WIB" (English: "Wednesday, 15 September 2021, 09:00 WIB"),
  /// in the office's zone; `part` "date" or "time" gives one half.
  date(iso, part) {
    if (!iso) return "";
    const d = iso instanceof Date ? iso : new Date(iso);
    if (isNaN(d)) return "";
    const locale = S.lang === "en" ? "en-GB" : "id-ID";
    const pieces = {};
    for (const p of new Intl.DateTimeFormat(locale, { timeZone: S.zone, weekday: "long", day: "numeric", month: "long", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(d)) pieces[p.type] = p.value;
    const day = pieces.weekday + ", " + pieces.day + " " + pieces.month + " " + pieces.year;
    const time = pieces.hour + (S.lang === "en" ? ":" : ".") + pieces.minute + " " + S.zoneName(d);
    return part === "date" ? day : part === "time" ? time : day + ", " + time;
  },
  /// The calendar day (YYYY-MM-DD) of a moment in the office's zone.
  day(iso) {
    const d = iso instanceof Date ? iso : new Date(iso);
    const pieces = {};
    for (const p of new Intl.DateTimeFormat("en-CA", { timeZone: S.zone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(d)) pieces[p.type] = p.value;
    return pieces.year + "-" + pieces.month + "-" + pieces.day;
  },
  /// A `datetime-local` value ("2026-12-07T09:00"), read as a moment in the office's zone.
  fromLocalInput(value) {
    if (!value) return undefined;
    const asUTC = new Date(value + ":00Z");
    if (isNaN(asUTC)) return undefined;
    // The zone's offset at that moment (twice: a moment near a change of offset settles).
    let guess = asUTC;
    for (let i = 0; i < 2; i++) guess = new Date(asUTC.getTime() - S.offsetMinutes(guess) * 60000);
    return guess;
  },
  offsetMinutes(date) {
    const part = new Intl.DateTimeFormat("en-GB", { timeZone: S.zone, timeZoneName: "longOffset" })
      .formatToParts(date).find((p) => p.type === "timeZoneName");
    const match = /([+-])(\d\d):(\d\d)/.exec(part ? part.value : "");
    return match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  },
  /// `n` with `places` decimals as the page's language writes numbers ("1,5" and "120.000" in
  /// Indonesian, "1.5" and "120,000" in English): every count and decimal a page shows goes through here.
  decimal(n, places = 0) {
    return new Intl.NumberFormat(S.lang === "en" ? "en-US" : "id-ID", { minimumFractionDigits: places, maximumFractionDigits: places }).format(n);
  },
  bytes(n) {
    if (n == null) return "?";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    // A no-break space: "1,1" and "KB" stay on one line.
    return S.decimal(n, i ? 1 : 0) + "\u00a0" + units[i];
  },

  el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      // Through the CSS object model: the page's Content-Security-Policy refuses style attributes.
      else if (key === "style") for (const rule of String(value).split(";")) {
        const colon = rule.indexOf(":");
        if (colon > 0) node.style.setProperty(rule.slice(0, colon).trim(), rule.slice(colon + 1).trim());
      }
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  },

  /// A snippet with its matched words in «guillemets», as text with <mark>s.
  highlighted(snippet) {
    const parts = String(snippet || "").split(/«|»/);
    return parts.map((part, i) => i % 2 ? S.el("mark", { text: part }) : document.createTextNode(part));
  },

  /// A colour per name: the first names seen take well-separated hues (12 of them, alternating
  /// lightness), so two speakers never share a near-identical colour; later ones fall back to a hash.
  palette: ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"],
  colours: new Map(),
  colour(name) {
    name = String(name);
    if (!S.colours.has(name)) {
      if (S.colours.size < S.palette.length) S.colours.set(name, S.palette[S.colours.size]);
      else {
        let hash = 0;
        for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
        S.colours.set(name, "hsl(" + (hash % 360) + " 55% 55%)");
      }
    }
    return S.colours.get(name);
  },

  query() { return new URLSearchParams(location.search); },
  formParams(form) {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (String(value).trim()) params.set(key, String(value).trim());
    return params;
  },
  /// Fills a form from the address's parameters; its extra filters open when one of them is set.
  fillForm(form, params) {
    for (const input of form.elements) if (input.name && params.has(input.name)) input.value = params.get(input.name);
    const more = form.querySelector("details.more");
    if (more && [...more.querySelectorAll("input")].some((input) => input.value)) more.open = true;
  },
};

// A signed-in user is told on every page when one of their saved searches matches new material.
// Each page holds one event stream (a visitor may hold only a few at once): a page that follows live
// updates opens its stream with S.updates, which carries the alerts too; the others open one of alerts
// alone. The archive, the live console and a live session's page open theirs as they load; the session
// page calls S.alertsOnly when the session is not live.
(function () {
  const signedIn = !!document.body.dataset.user && !!window.EventSource;
  const opened = Date.now();
  let carried = false;
  S.updates = (url) => {
    carried = true;
    const stream = new EventSource(signedIn ? url + (url.includes("?") ? "&" : "?") + "alerts=" + opened : url);
    if (signedIn) stream.addEventListener("alert", shown);
    return stream;
  };
  S.alertsOnly = () => {
    if (!signedIn || carried) return;
    carried = true;
    listen();
  };
  const listen = () => {
    const stream = new EventSource("/api/alerts/updates?since=" + opened);
    // Refused (too many open pages a moment ago): the browser gives up, so try again a little later.
    stream.onerror = () => { if (stream.readyState === EventSource.CLOSED) setTimeout(listen, 5000); };
    stream.addEventListener("alert", shown);
  };
  const seen = new Set();
  const shown = (event) => {
    const alert = JSON.parse(event.data);
    if (seen.has(alert.id)) return;
    seen.add(alert.id);
    let box = document.querySelector(".alert-notes");
    if (!box) document.body.append(box = S.el("div", { class: "alert-notes", role: "status", "aria-live": "polite" }));
    const note = S.el("div", { class: "alert-note" },
      S.el("button", { type: "button", class: "link", "aria-label": S.t("alerts.dismiss"), text: "×", onclick: () => note.remove() }),
      S.el("b", { text: S.t("alerts.notice", { query: alert.query }) }), " ",
      S.el("a", { href: "/sessions/" + encodeURIComponent(alert.session) + "?t=" + Math.floor(alert.seconds),
        text: alert.title + " " + S.clock(alert.seconds) }),
      S.el("div", {}, S.highlighted(alert.snippet)));
    box.append(note);
    document.dispatchEvent(new CustomEvent("siaran:alert", { detail: alert }));
  };
  if (!["archive", "live", "session"].includes(document.body.dataset.page)) S.alertsOnly();
})();
