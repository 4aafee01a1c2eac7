/// `/assets/live.js`: the live console: a big button per roster speaker and agenda item (number keys),
/// topic and note fields, the last tags with undo/move/retag, the recording's status. A tag is
/// stamped with the moment of the press (on the server's clock), before it is sent.
enum LiveScript {
    static let text = #"""
    "use strict";
    (function () {
      const id = S.session;
      const base = "/api/sessions/" + encodeURIComponent(id);
      const message = document.getElementById("message");
      let detail = null;

      function say(text, bad) {
        message.textContent = text;
        message.classList.toggle("hidden", !text);
        message.style.borderColor = bad ? "#c62828" : "";
        if (text && !bad) setTimeout(() => { if (message.textContent === text) say(""); }, 4000);
      }

      async function tag(kind, value) {
        const pressedAt = S.serverNow();
        try {
          const written = await S.api(base + "/tags", { method: "POST", body: { kind, value, pressedAt } });
          say("Tagged " + kind + " " + written.event.value + " at " + S.clock(written.event.media) + (written.warnings.length ? " (" + written.warnings.join("; ") + ")" : ""));
        } catch (error) { say(error.message, true); }
      }

      async function correct(target, body) {
        try { await S.api(base + "/tags/" + encodeURIComponent(target), { method: "POST", body }); say("Corrected."); }
        catch (error) { say(error.message, true); }
      }

      // The buttons are built once per roster and agenda (a press must never hit a button being
      // replaced); later updates only move the "current" mark.
      let builtFor = "";
      function buttons(d) {
        const speakers = ((d.agenda && d.agenda.speakers) || []).map((p) => p.name);
        const items = ((d.agenda && d.agenda.agenda) || []).map((item) => item.title);
        const key = JSON.stringify([speakers, items]);
        if (key !== builtFor) {
          builtFor = key;
          document.getElementById("speakers").replaceChildren(...speakers.map((name, i) =>
            S.el("button", { "data-value": name, onclick: () => tag("speaker", name) }, i < 9 ? S.el("kbd", { text: String(i + 1) }) : null, name)));
          document.getElementById("agenda-buttons").replaceChildren(...items.map((title, i) =>
            S.el("button", { "data-value": title, onclick: () => tag("agenda", String(i + 1)) }, i < 9 ? S.el("kbd", { text: "⇧" + (i + 1) }) : null, title)));
        }
        const last = (list) => list.length ? list[list.length - 1].value : null;
        const current = last(d.timeline.speakerTurns), running = last(d.timeline.agendaItems);
        for (const b of document.querySelectorAll("#speakers button")) b.classList.toggle("current", b.dataset.value === current);
        for (const b of document.querySelectorAll("#agenda-buttons button")) b.classList.toggle("current", b.dataset.value === running);
      }

      function status(d) {
        const r = d.recording;
        const line = document.getElementById("status");
        if (!r) { line.textContent = "Not recording (" + d.session.state + "). Tags still land on the session's timeline."; return; }
        line.textContent = "● Recording " + S.clock(r.elapsed) + " · " + (r.bitrate ? (r.bitrate / 1e6).toFixed(2) + " Mbit/s" : "–")
          + " · " + r.gaps + " gap" + (r.gaps === 1 ? "" : "s") + " · " + r.reconnects + " reconnect" + (r.reconnects === 1 ? "" : "s")
          + " · disk free " + S.bytes(r.diskFreeBytes);
      }

      function tags(list) {
        document.getElementById("tags").replaceChildren(...list.tags.slice(0, 12).map((t) => S.el("li", {},
          S.el("time", { text: S.clock(t.at) }), S.el("span", { class: "muted", text: t.kind }), S.el("span", { class: "value", text: t.value }),
          S.el("button", { onclick: () => correct(t.id, { action: "delete" }), text: "Undo" }),
          S.el("button", { text: "Move", onclick: () => {
            const at = S.parseClock(prompt("Move to (H:MM:SS or seconds)", S.clock(t.at)));
            if (!isNaN(at)) correct(t.id, { action: "move", at });
          } }),
          S.el("button", { text: "Retag", onclick: () => {
            const value = prompt("New value", t.value);
            if (value) correct(t.id, { action: "retag", value });
          } }))));
      }

      for (const [formId, kind] of [["topic", "topic"], ["note", "note"], ["other-speaker", "speaker"]]) {
        const form = document.getElementById(formId);
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          const value = form.elements.value.value.trim();
          if (value) { tag(kind, value); form.reset(); }
        });
      }

      document.addEventListener("keydown", (event) => {
        if (event.target.closest("input, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
        const digit = event.code.startsWith("Digit") ? Number(event.code.slice(5)) : NaN;
        if (!(digit >= 1 && digit <= 9) || !detail) return;
        event.preventDefault();
        if (event.shiftKey) {
          const items = (detail.agenda && detail.agenda.agenda) || [];
          if (digit <= items.length) tag("agenda", String(digit));
        } else {
          const speakers = (detail.agenda && detail.agenda.speakers) || [];
          if (digit <= speakers.length) tag("speaker", speakers[digit - 1].name);
        }
      });

      function apply(d) { detail = d; buttons(d); status(d); }

      async function start() {
        await S.syncClock();
        apply(await S.api(base));
        tags(await S.api(base + "/tags"));
        const updates = new EventSource(base + "/updates");
        updates.addEventListener("session", (event) => apply(JSON.parse(event.data)));
        updates.addEventListener("tags", (event) => tags(JSON.parse(event.data)));
        updates.onerror = () => { document.getElementById("status").textContent = "Reconnecting to the server…"; };
        setInterval(() => S.syncClock().catch(() => {}), 60000);
      }
      start().catch((error) => say(error.message, true));
    })();
    """#
}
