"use strict";
(function () {
  const id = S.session;
  const video = document.getElementById("video");
  const params = S.query();
  let detail = null, lines = [], duration = 0;

  // Native HLS where the browser has it; otherwise the MP4 stream, started at the moment wanted.
  const native = !params.has("mp4") && video.canPlayType("application/vnd.apple.mpegurl") !== "";
  let offset = 0;
  const player = {
    mode: native ? "hls" : "mp4",
    time() { return native ? video.currentTime : offset + video.currentTime; },
    seek(t, play = true) {
      t = Math.max(0, Math.min(t, duration || t));
      if (native) {
        video.currentTime = t;
      } else {
        offset = t;
        if (window.siaranCaptionTrack) window.siaranCaptionTrack.setShift(t);
        video.src = "/api/sessions/" + encodeURIComponent(id) + "/playback.mp4?start=" + t.toFixed(1);
      }
      if (play) video.play().catch(() => {});
    },
  };
  window.siaranPlayer = player;
  document.getElementById("playback-note").textContent =
    native ? "" : S.t("session.mp4Note");

  function facts(d) {
    const s = d.session;
    const bits = [S.date(s.startedAt || s.createdAt), S.clock(s.duration)];
    if (s.live) bits.push(S.t("session.recordingNow"));
    else if (s.state !== "complete") bits.push(S.t("state." + s.state));
    if (d.gaps.length) bits.push(S.count("count.gaps", d.gaps.length));
    if (s.speakers.length) bits.push(s.speakers.join(", "));
    return bits.join(" · ");
  }

  function timeline(d) {
    const bar = document.getElementById("timeline");
    const total = Math.max(duration, 1);
    const pct = (t) => (100 * Math.max(0, Math.min(t, total)) / total) + "%";
    const band = (row, start, end, colour, title) => S.el("div", { class: "band row" + row, title,
      style: "left:" + pct(start) + ";width:" + pct(Math.max(end - start, total / 500)) + ";background:" + colour });
    const nodes = [];
    for (const turn of d.timeline.speakerTurns) nodes.push(band(0, turn.start, turn.end, S.colour(turn.value), turn.value + " " + S.clock(turn.start)));
    for (const item of d.timeline.agendaItems) nodes.push(band(1, item.start, item.end, S.colour("agenda" + item.value), item.value));
    for (const m of d.timeline.topics.concat(d.timeline.notes)) nodes.push(S.el("div", { class: "mark", title: m.value + " " + S.clock(m.at), style: "left:" + pct(m.at) }));
    for (const g of d.gaps) nodes.push(S.el("div", { class: "gap", title: S.t("session.gap", { reason: g.reason, seconds: Math.round(g.duration) }), style: "left:" + pct(g.at) + ";width:4px" }));
    nodes.push(S.el("div", { class: "head", id: "playhead" }));
    bar.replaceChildren(...nodes);
    bar.onclick = (event) => {
      const box = bar.getBoundingClientRect();
      player.seek(total * (event.clientX - box.left) / box.width);
    };
    const names = [...new Set(d.timeline.speakerTurns.map((t) => t.value))];
    document.getElementById("legend").replaceChildren(...names.map((n) =>
      S.el("span", {}, S.el("i", { style: "background:" + S.colour(n) }), n)));
  }

  // The agenda: each item at its moment in the session (a link), and beside it, apart, its planned
  // clock time from the agenda file ("direncanakan 10.15"); an item never tagged has no moment.
  function agenda(d) {
    const list = document.getElementById("agenda");
    const started = new Map(d.timeline.agendaItems.map((i) => [i.value, i.start]));
    const items = (d.agenda && d.agenda.agenda) || [];
    list.replaceChildren(...items.map((item) => {
      const at = started.get(item.title);
      return S.el("li", { onclick: at !== undefined ? () => player.seek(at) : null, class: at === undefined ? "untagged" : null },
        S.el("time", { text: at !== undefined ? S.clock(at) : "–" }), item.title,
        item.plannedStart ? S.el("small", { class: "muted planned", text: " · " + S.t("session.planned", { time: String(item.plannedStart).replace(":", S.lang === "en" ? ":" : ".") }) }) : null);
    }));
    if (!items.length) list.replaceChildren(S.el("li", { class: "muted", text: S.t("session.noAgenda") }));
  }

  const writer = S.writer;

  // The agenda's day differs from the recording's (an agenda file from another briefing): say so
  // with both days, which one the report and the post print, and let a writer choose.
  function agendaDate(d) {
    const box = document.getElementById("agenda-date");
    const check = d.agendaDate;
    box.classList.toggle("hidden", !(check && check.differs));
    if (!check || !check.differs) return;
    const noon = (day) => new Date(day + "T12:00:00Z");
    const written = (day) => new Intl.DateTimeFormat(S.lang === "en" ? "en-GB" : "id-ID", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(noon(day));
    const choose = (choice) => async () => {
      try { apply(await S.api("/api/sessions/" + encodeURIComponent(id) + "/agenda-date", { method: "PUT", body: { choice } }), false); }
      catch (error) { box.textContent = error.message; }
    };
    box.replaceChildren(
      S.t("session.agendaDate", { agenda: written(check.agendaDay), recording: written(check.recordingDay) }), " ",
      S.t("session.agendaDateStands." + check.stands), " ", check.chosen ? S.t("session.agendaDateChosen") : "",
      writer ? S.el("span", { class: "choices" },
        S.el("button", { id: "use-recording-date", class: check.stands === "recording" ? "current" : null, text: S.t("session.useRecordingDate"), onclick: choose("recording") }),
        S.el("button", { id: "use-agenda-date", class: check.stands === "agenda" ? "current" : null, text: S.t("session.useAgendaDate"), onclick: choose("agenda") })) : null);
  }
  let post = null, postDirty = false;
  const starred = (line) => post && post.quotes.some((q) => Math.abs(q.at - line.start) < 0.05);

  function momentLink(seconds) {
    return location.origin + "/sessions/" + encodeURIComponent(id) + "?t=" + Math.floor(seconds);
  }
  async function copyMoment(seconds) {
    const link = momentLink(seconds), note = document.getElementById("playback-note");
    try { await navigator.clipboard.writeText(link); } catch (_) {
      // Without clipboard access (an insecure origin), the link is shown to copy by hand.
      note.replaceChildren(S.el("a", { href: link, text: link }));
      return;
    }
    note.textContent = S.t("session.linkCopied", { at: S.clock(seconds) });
  }

  function transcript() {
    if (window.siaranCaptionTrack) window.siaranCaptionTrack.add(lines);
    const list = document.getElementById("transcript");
    list.replaceChildren(...lines.map((line, i) => {
      const row = S.el("li", { "data-i": i, onclick: () => player.seek(line.start) },
        S.el("time", { text: S.clock(line.start) }), line.voice ? S.el("b", { text: line.voice + ": " }) : null, S.el("span", { class: "text", text: line.text }),
        writer ? S.el("button", { class: "star" + (starred(line) ? " on" : ""), title: S.t("post.starTitle"),
          "aria-label": S.t("post.starTitle"), "aria-pressed": starred(line) ? "true" : "false", text: starred(line) ? "★" : "☆",
          onclick: (event) => { event.stopPropagation(); star(line); } }) : null);
      for (const decorate of siaranTranscript.decorators) decorate(row, line, i);
      return row;
    }));
    if (!lines.length) list.replaceChildren(S.el("li", { class: "muted", text: S.t("session.noTranscript") }));
  }
  // The transcript's other tools (transcript-edit.js, moment-actions.js) add to each line and may replace the lines.
  const siaranTranscript = window.siaranTranscript = {
    player, decorators: window.siaranLineDecorators = window.siaranLineDecorators || [], momentLink, copyMoment,
    get lines() { return lines; },
    get duration() { return duration; },
    set(next) { lines = next; current = -1; transcript(); },
    refresh() { transcript(); },
  };

  let current = -1, userScrolled = 0;
  document.getElementById("transcript").addEventListener("wheel", () => { userScrolled = Date.now(); });
  function follow() {
    const t = player.time();
    const head = document.getElementById("playhead");
    if (head && duration) head.style.left = (100 * Math.min(t, duration) / duration) + "%";
    let i = -1;
    for (let k = 0; k < lines.length && lines[k].start <= t; k++) if (lines[k].end > t || k === lines.length - 1 || lines[k + 1].start > t) i = k;
    if (i === current) return;
    const list = document.getElementById("transcript");
    if (current >= 0 && list.children[current]) list.children[current].classList.remove("now");
    current = i;
    if (i >= 0 && list.children[i]) {
      list.children[i].classList.add("now");
      // Scroll the transcript box only, never the page: on a phone the player stays in view.
      if (Date.now() - userScrolled > 5000) {
        const row = list.children[i], box = list.closest(".side") || list;
        if (box.scrollHeight > box.clientHeight) box.scrollTop = row.offsetTop - box.offsetTop - box.clientHeight / 3;
      }
    }
  }
  video.addEventListener("timeupdate", follow);

  function links(d) {
    const base = "/api/sessions/" + encodeURIComponent(id);
    document.getElementById("report-md").href = base + "/report?format=md";
    document.getElementById("report-html").href = base + "/report?format=html";
    for (const format of ["txt", "srt", "vtt"]) document.getElementById("export-" + format).href = base + "/transcript?format=" + format;
    // "Copy link to this moment": the page's address at the playhead (?t=), for anyone the session's rules allow.
    document.getElementById("copy-link").onclick = () => copyMoment(player.time());
    const live = document.getElementById("live-link");
    live.href = "/sessions/" + encodeURIComponent(id) + "/live";
    live.classList.toggle("hidden", !(d.session.live && (S.role === "tagger" || S.role === "admin")));
    const from = document.getElementById("clip-from"), to = document.getElementById("clip-to");
    const clip = document.getElementById("clip");
    clip.onclick = (event) => {
      const a = from.value ? S.parseClock(from.value) : player.time();
      const b = to.value ? S.parseClock(to.value) : Math.min(a + 30, duration);
      if (!(b > a)) { event.preventDefault(); document.getElementById("playback-note").textContent = S.t("session.clipOrder"); return; }
      clip.href = base + "/clip?from=" + a.toFixed(1) + "&to=" + b.toFixed(1);
    };
  }

  function apply(d, first) {
    detail = d;
    duration = d.session.duration;
    document.getElementById("title").textContent = d.session.title;
    document.getElementById("facts").textContent = facts(d);
    timeline(d);
    agenda(d);
    agendaDate(d);
    links(d);
    // The voices' suggestions (voices.js) follow every state of the session.
    window.siaranSession.detail = d;
    if (window.siaranVoices) window.siaranVoices.show(d);
    if (first) {
      if (d.session.thumbnail) video.poster = d.session.thumbnail;
      // A session still recording opens near its live edge (scrub back on the timeline); a
      // deep link opens at its moment.
      const start = params.has("t") ? Number(params.get("t")) : (d.session.live ? Math.max(0, d.session.duration - 6) : 0);
      if (native) {
        // The master playlist: the media with the captions as a subtitle rendition, for players that read it.
        video.src = "/api/sessions/" + encodeURIComponent(id) + "/master.m3u8";
        if (start > 0) {
          video.addEventListener("loadedmetadata", () => player.seek(start), { once: true });
        }
      } else {
        player.seek(start, start > 0);
      }
      if (start > 0) video.play().catch(() => { video.muted = true; video.play().catch(() => {}); });
    }
  }

  window.siaranSession = { detail: null, apply: (d) => apply(d, false), showPost: (p) => showPost(p) };

  // The news post: starred quotes, the photo, the draft or the edited text.
  const postBase = () => "/api/sessions/" + encodeURIComponent(id) + "/post";
  function showPost(p) {
    post = p;
    const quotes = document.getElementById("quotes");
    quotes.replaceChildren(...p.quotes.map((q) => S.el("li", {},
      S.el("a", { href: "?t=" + Math.floor(q.at), onclick: (event) => { event.preventDefault(); player.seek(q.at); }, text: S.clock(q.at) }), " ",
      "“" + q.text + "” ", S.el("span", { class: "who", text: (q.speaker || S.t("post.speakerUnknown")) + (q.machine ? " · " + S.t("post.machineQuote") : "") }),
      " ", writer ? S.el("button", { class: "link", text: S.t("post.removeQuote"), onclick: () => postWrite("/quotes/" + encodeURIComponent(q.id), "DELETE") }) : null)));
    if (!p.quotes.length) quotes.replaceChildren(S.el("li", { class: "muted empty", text: writer ? S.t("post.noQuotesWriter") : S.t("post.noQuotes") }));
    const figure = document.getElementById("post-photo");
    figure.classList.toggle("hidden", !p.photo);
    if (p.photo) {
      document.getElementById("post-photo-img").src = p.photo.url + "?v=" + encodeURIComponent(p.updatedAt || "");
      document.getElementById("post-photo-note").textContent = S.t("post.frameAt", { at: S.clock(p.photo.at) });
    }
    const area = document.getElementById("post-text");
    if (!postDirty) area.value = p.text !== null && p.text !== undefined ? p.text : p.draft;
    area.readOnly = !writer;
    document.getElementById("post-state").textContent = p.text != null
      ? (p.editedBy ? S.t("post.editedBy", { name: p.editedBy }) : S.t("post.edited"))
      : S.t("post.draft");
    document.getElementById("post-md").href = postBase() + "/export?format=md";
    document.getElementById("post-html").href = postBase() + "/export?format=html";
    transcript();
  }
  // Writes a change; `saved` says the textarea's text is now the server's (only once it answered).
  async function postWrite(path, method, body, saved) {
    try {
      const answer = await S.api(postBase() + path, { method, body });
      if (saved) postDirty = false;
      showPost(answer);
    } catch (error) {
      document.getElementById("post-state").textContent = error.message + (postDirty ? " " + S.t("post.unsaved") : "");
    }
  }
  function star(line) {
    const existing = post && post.quotes.find((q) => Math.abs(q.at - line.start) < 0.05);
    if (existing) postWrite("/quotes/" + encodeURIComponent(existing.id), "DELETE");
    else postWrite("/quotes", "POST", { at: line.start, file: line.file });
  }
  document.getElementById("post-text").addEventListener("input", () => { postDirty = true; });
  for (const node of document.querySelectorAll("#post .writer")) node.classList.toggle("hidden", !writer);
  document.getElementById("photo-pick").onclick = () => postWrite("/photo", "PUT", { at: Math.round(player.time() * 10) / 10 });
  document.getElementById("post-save").onclick = () => {
    postWrite("/text", "PUT", { text: document.getElementById("post-text").value }, true);
  };
  document.getElementById("post-redraft").onclick = () => {
    if (!confirm(S.t("post.confirmRedraft"))) return;
    postWrite("/text", "PUT", { text: null }, true);
  };

  async function load() {
    const d = await S.api("/api/sessions/" + encodeURIComponent(id));
    apply(d, true);
    lines = (await S.api("/api/sessions/" + encodeURIComponent(id) + "/transcript")).lines;
    transcript();
    showPost(await S.api(postBase()));
    if (d.session.live) {
      const updates = S.updates("/api/sessions/" + encodeURIComponent(id) + "/updates");
      // Live captions (livecaptions.js) follow the same stream.
      window.siaranSession.updates = updates;
      if (window.siaranCaptions) window.siaranCaptions.follow(updates);
      updates.addEventListener("session", async (event) => {
        apply(JSON.parse(event.data), false);
        lines = (await S.api("/api/sessions/" + encodeURIComponent(id) + "/transcript")).lines;
        transcript();
      });
    } else S.alertsOnly();
  }
  load().catch((error) => { S.alertsOnly(); document.getElementById("facts").textContent = error.message; });
})();
