"use strict";
(function () {
  const form = document.getElementById("filters");
  const list = document.getElementById("sessions");
  const status = document.getElementById("status");
  S.fillForm(form, S.query());

  function card(s) {
    const link = "/sessions/" + encodeURIComponent(s.id);
    const thumb = s.thumbnail ? S.el("img", { src: s.thumbnail, alt: "", loading: "lazy" }) : null;
    const badge = s.live ? S.el("span", { class: "badge live", text: S.t("state.live") })
                         : (s.state !== "complete" ? S.el("span", { class: "badge", text: S.t("state." + s.state) }) : null);
    // Pinned: retention never deletes it.
    const pin = s.pinned ? S.el("span", { class: "badge pinned", title: S.t("archive.pinnedTitle"), text: S.t("archive.pinned") }) : null;
    return S.el("li", { class: "card", "data-id": s.id },
      S.el("a", { class: "thumb", href: link, "aria-label": s.title }, thumb),
      S.el("div", { class: "body" },
        S.el("div", {}, S.el("a", { class: "title", href: link, text: s.title }), " ", badge, pin ? " " : null, pin),
        S.el("div", { class: "muted", text: S.date(s.startedAt || s.createdAt) + " · " + S.clock(s.duration)
                                          + (s.gaps ? " · " + S.count("count.gaps", s.gaps) : "") }),
        s.speakers.length ? S.el("div", { class: "muted", text: s.speakers.join(", ") }) : null,
        s.live && S.writer ? S.el("a", { class: "button", href: link + "/live", text: S.t("session.liveConsole") }) : null));
  }

  function show(sessions) {
    list.replaceChildren(...sessions.map(card));
    status.textContent = sessions.length ? S.count("count.sessions", sessions.length) : S.t("archive.none");
  }

  async function load() {
    try {
      const data = await S.api("/api/sessions?" + S.formParams(form));
      show(data.sessions);
    } catch (error) { status.textContent = error.message; }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    history.replaceState(null, "", "?" + S.formParams(form));
    load();
  });
  load();
  const updates = S.updates("/api/updates");
  updates.addEventListener("sessions", () => load());
})();
