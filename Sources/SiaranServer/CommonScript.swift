/// `/assets/common.js`: what every page's script uses: the API with the CSRF token, clock formatting,
/// building elements without HTML strings (no injected markup), snippet highlighting.
enum CommonScript {
    static let text = #"""
    "use strict";
    const S = {
      session: document.body.dataset.session || "",
      role: document.body.dataset.role || "",
      csrf: document.body.dataset.csrf || "",
      clockOffset: 0,

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
      date(iso) {
        if (!iso) return "";
        const d = new Date(iso);
        return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      },
      bytes(n) {
        if (n == null) return "?";
        const units = ["B", "KB", "MB", "GB", "TB"];
        let i = 0;
        while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
        return n.toFixed(i ? 1 : 0) + " " + units[i];
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

      colour(name) {
        let hash = 0;
        for (const ch of String(name)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
        return "hsl(" + (hash % 360) + " 60% 62%)";
      },

      query() { return new URLSearchParams(location.search); },
      formParams(form) {
        const params = new URLSearchParams();
        for (const [key, value] of new FormData(form)) if (String(value).trim()) params.set(key, String(value).trim());
        return params;
      },
      fillForm(form, params) {
        for (const input of form.elements) if (input.name && params.has(input.name)) input.value = params.get(input.name);
      },
    };
    """#
}
