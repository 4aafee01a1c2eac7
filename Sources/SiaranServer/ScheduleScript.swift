/// `/assets/schedule.js`: the schedule page: the list of scheduled recordings with their state
/// (refreshed every few seconds) and, for admins, the form that schedules one (from its agenda file
/// or its times) and the cancel buttons.
enum ScheduleScript {
    static let text = #"""
    "use strict";
    (function () {
      const admin = S.role === "admin";
      const form = document.getElementById("schedule-form");
      const message = document.getElementById("message");
      form.classList.toggle("hidden", !admin);

      function say(text, bad) {
        message.textContent = text;
        message.classList.toggle("hidden", !text);
        message.classList.toggle("bad", !!bad);
      }

      function when(r) {
        const start = new Date(r.start), end = new Date(r.end);
        const time = (d) => d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
        return start.toLocaleDateString(undefined, { dateStyle: "medium" }) + " " + time(start) + "–" + time(end)
          + " (records " + time(new Date(r.recordFrom)) + "–" + time(new Date(r.recordUntil)) + ")";
      }

      function row(r) {
        const sessions = S.el("td", {}, ...r.sessions.map((id) => S.el("div", {}, S.el("a", { href: "/sessions/" + encodeURIComponent(id), text: id }))));
        const state = S.el("td", {}, S.el("span", { class: "state " + r.state, text: r.state }),
          r.reason ? S.el("div", { class: "muted", text: r.reason }) : null,
          r.restarts ? S.el("div", { class: "muted", text: r.restarts + " restart" + (r.restarts > 1 ? "s" : "") }) : null);
        const over = ["finished", "failed", "cancelled"].includes(r.state);
        const cancel = admin && !over ? S.el("button", { text: "Cancel", onclick: async () => {
          if (!confirm("Cancel “" + r.title + "”? A running recorder is stopped and its session closed.")) return;
          try { await S.api("/api/schedule/" + encodeURIComponent(r.id) + "/cancel", { method: "POST" }); load(); } catch (error) { say(error.message, true); }
        } }) : null;
        return S.el("tr", { "data-id": r.id },
          S.el("td", {}, S.el("b", { text: r.title }), S.el("div", { class: "muted", text: r.source + (r.listen ? " (listening)" : "") })),
          S.el("td", { text: when(r) }), state, sessions, S.el("td", {}, cancel));
      }

      async function load() {
        try {
          const data = await S.api("/api/schedule");
          const body = document.getElementById("recordings");
          body.replaceChildren(...data.recordings.map(row));
          if (!data.recordings.length) body.replaceChildren(S.el("tr", {}, S.el("td", { colspan: "5", class: "muted", text: "Nothing scheduled." })));
        } catch (error) { say(error.message, true); }
      }

      const minutes = (value) => value === "" ? undefined : Number(value) * 60;
      const moment = (value) => value ? new Date(value).toISOString() : undefined;
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const file = form.elements.agendaFile.files[0];
        const body = {
          url: data.get("url"), title: data.get("title") || undefined,
          start: moment(data.get("start")), end: moment(data.get("end")),
          preRoll: minutes(data.get("preRoll")), overrun: minutes(data.get("overrun")),
          agenda: file ? await file.text() : undefined, listen: data.get("listen") === "on",
        };
        try {
          const r = await S.api("/api/schedule", { method: "POST", body });
          say("Scheduled “" + r.title + "”: " + when(r) + ".");
          form.reset();
          load();
        } catch (error) { say(error.message, true); }
      });
      load();
      setInterval(load, 5000);
    })();
    """#
}
