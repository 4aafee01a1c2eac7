"use strict";
// "Copy link to this moment" and "clip" beside every transcript line and every search hit. Loaded
// before the page's own script; uses the common script (S) only when a button is pressed.
(function () {
  const page = (session, seconds) => "/sessions/" + encodeURIComponent(session) + "?t=" + Math.floor(seconds);
  const clipURL = (session, from, to) => "/api/sessions/" + encodeURIComponent(session) + "/clip?from=" + from.toFixed(1) + "&to=" + to.toFixed(1);

  // One status line at the foot of the screen for what a button did (or the link to copy by hand).
  function say(...nodes) {
    let note = document.getElementById("moment-note");
    if (!note) {
      note = S.el("p", { id: "moment-note", class: "toast", role: "status" });
      document.body.append(note);
    }
    note.replaceChildren(...nodes);
    note.classList.remove("hidden");
    clearTimeout(say.timer);
    say.timer = setTimeout(() => note.classList.add("hidden"), 6000);
  }

  async function copy(session, seconds) {
    const link = location.origin + page(session, seconds);
    try { await navigator.clipboard.writeText(link); } catch (_) {
      // Without clipboard access (an insecure origin), the link is shown to copy by hand.
      say(S.el("a", { href: link, text: link }));
      return;
    }
    say(S.t("session.linkCopied", { at: S.clock(seconds) }));
  }

  // A small dialog: the range around the moment (−10 s/+20 s), adjustable, and its download link.
  function clip(session, seconds, duration) {
    const from = S.el("input", { name: "from", size: "8", inputmode: "numeric", value: S.clock(Math.max(0, seconds - 10)) });
    const end = duration ? Math.min(seconds + 20, duration) : seconds + 20;
    const to = S.el("input", { name: "to", size: "8", inputmode: "numeric", value: S.clock(Math.max(end, seconds + 1)) });
    const problem = S.el("p", { class: "notice hidden" });
    const download = S.el("a", { class: "button clip-download", download: "" , text: S.t("session.clip") });
    const update = () => {
      const a = S.parseClock(from.value), b = S.parseClock(to.value);
      const ok = Number.isFinite(a) && Number.isFinite(b) && b > a;
      problem.textContent = ok ? "" : S.t("session.clipOrder");
      problem.classList.toggle("hidden", ok);
      download.classList.toggle("disabled", !ok);
      if (ok) download.href = clipURL(session, a, b); else download.removeAttribute("href");
    };
    from.addEventListener("input", update);
    to.addEventListener("input", update);
    const dialog = S.el("dialog", { class: "clip-dialog" },
      S.el("h3", { text: S.t("moment.clipHeading", { at: S.clock(seconds) }) }),
      S.el("div", { class: "actions" },
        S.el("label", {}, S.t("session.clipFrom"), " ", from), S.el("label", {}, S.t("session.clipTo"), " ", to)),
      problem,
      S.el("p", { class: "muted", text: S.t("moment.clipNote") }),
      S.el("div", { class: "actions" }, download,
        S.el("button", { type: "button", class: "clip-close", text: S.t("moment.close"), onclick: () => dialog.close() })));
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    update();
    dialog.showModal();
    return dialog;
  }

  /// The two buttons for the moment `seconds` of `session` (`duration` bounds the clip when known).
  function actions(session, seconds, duration) {
    const stop = (handler) => (event) => { event.preventDefault(); event.stopPropagation(); handler(); };
    return S.el("span", { class: "moment-actions" },
      S.el("a", { class: "tool moment-link", href: page(session, seconds), title: S.t("session.copyLink"), "aria-label": S.t("session.copyLink"),
        text: "↗", onclick: stop(() => copy(session, seconds)) }),
      S.el("button", { type: "button", class: "tool moment-clip", title: S.t("moment.clip"), "aria-label": S.t("moment.clip"),
        text: "✂", onclick: stop(() => clip(session, seconds, duration)) }));
  }

  window.siaranMoments = { page, copy, clip, actions };
  // On the session page: beside every transcript line (session.js calls these for each line).
  (window.siaranLineDecorators = window.siaranLineDecorators || []).push((row, line) => {
    if (!row.classList.contains("editing")) row.append(actions(S.session, line.start, window.siaranTranscript && window.siaranTranscript.duration));
  });
})();
