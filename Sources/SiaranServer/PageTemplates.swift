/// The pages' HTML, as Mustache templates (every `{{value}}` is HTML-escaped). Each page is a shell
/// that its script fills from the JSON API; nothing is loaded from anywhere but this server.
enum PageTemplates {
    static let all: [String: String] = [
        "head": head, "foot": foot, "archive": archive, "session": session, "search": search, "live": live, "login": login, "problem": problem, "schedule": schedule,
    ]

    static let head = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · Siaran</title>
    <link rel="stylesheet" href="/assets/siaran.css">
    <link rel="icon" href="data:,">
    </head>
    <body data-page="{{page}}" data-session="{{session}}" data-role="{{role}}" data-csrf="{{csrf}}">
    <header class="bar">
      <a class="brand" href="/">Siaran</a>
      <nav><a href="/">Archive</a> <a href="/search">Search</a> <a href="/schedule">Schedule</a></nav>
      <span class="who">{{#name}}{{name}} ({{role}})
        <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="link">Sign out</button></form>
      {{/name}}{{^name}}<a href="/login">Sign in</a>{{/name}}</span>
    </header>
    <main>
    """

    static let foot = """
    </main>
    <script src="/assets/common.js"></script>
    {{#script}}<script src="/assets/{{script}}.js"></script>{{/script}}
    </body>
    </html>
    """

    static let archive = """
    {{> head}}
    <h1>Sessions</h1>
    <form id="filters" class="filters">
      <input name="q" placeholder="Title" aria-label="Title">
      <input name="speaker" placeholder="Speaker" aria-label="Speaker">
      <input name="topic" placeholder="Topic" aria-label="Topic">
      <label>From <input type="date" name="since"></label>
      <label>To <input type="date" name="until"></label>
      <button>Filter</button>
    </form>
    <p id="status" class="muted">Loading…</p>
    <ul id="sessions" class="cards"></ul>
    {{> foot}}
    """

    static let session = """
    {{> head}}
    <h1 id="title">{{title}}</h1>
    <p id="facts" class="muted"></p>
    <div class="player-area">
      <div class="player">
        <video id="video" controls playsinline preload="metadata"></video>
        <div id="timeline" class="timeline" aria-label="Timeline"></div>
        <div id="legend" class="legend"></div>
        <div class="actions">
          <label>Clip from <input id="clip-from" size="8"></label>
          <label>to <input id="clip-to" size="8"></label>
          <a id="clip" class="button" href="#">Download clip</a>
          <a id="report-md" class="button" href="#">Report (md)</a>
          <a id="report-html" class="button" href="#">Report (html)</a>
          <a id="live-link" class="button hidden" href="#">Live console</a>
        </div>
        <p id="playback-note" class="muted"></p>
      </div>
      <aside class="side">
        <h2>Transcript</h2>
        <ol id="transcript" class="transcript"></ol>
        <h2>Agenda</h2>
        <ol id="agenda" class="agenda"></ol>
      </aside>
    </div>
    <section id="post" class="post">
      <h2>News post</h2>
      <p class="muted">Star lines of the transcript (☆) as quotes and pick a frame as the photo; Siaran drafts the post in Indonesian from the agenda, the roles and who spoke.</p>
      <div class="post-grid">
        <div>
          <figure id="post-photo" class="hidden"><img id="post-photo-img" alt="The post's photo"><figcaption id="post-photo-note" class="muted"></figcaption></figure>
          <button id="photo-pick" class="writer">Use this frame as the photo</button>
          <h3>Quotes</h3>
          <ol id="quotes" class="quotes"></ol>
        </div>
        <div>
          <textarea id="post-text" rows="18" aria-label="The news post"></textarea>
          <div class="actions">
            <button id="post-save" class="writer">Save</button>
            <button id="post-redraft" class="writer">Draft again</button>
            <a id="post-md" class="button" href="#">Download .md</a>
            <a id="post-html" class="button" href="#">Download .html</a>
            <span id="post-state" class="muted"></span>
          </div>
        </div>
      </div>
    </section>
    {{> foot}}
    """

    static let search = """
    {{> head}}
    <h1>Search</h1>
    <form id="search-form" class="filters">
      <input name="q" id="q" placeholder="e.g. hoaks, &quot;daftar pemilih&quot;, sosialisasi -rapat" aria-label="Search" autofocus>
      <input name="speaker" placeholder="Speaker" aria-label="Speaker">
      <input name="topic" placeholder="Topic" aria-label="Topic">
      <input name="agenda" placeholder="Agenda item" aria-label="Agenda item">
      <label>From <input type="date" name="since"></label>
      <label>To <input type="date" name="until"></label>
      <button>Search</button>
    </form>
    <p id="notice" class="notice hidden"></p>
    <ul id="headers" class="headers"></ul>
    <div id="results"></div>
    {{> foot}}
    """

    static let live = """
    {{> head}}
    <h1 id="title">{{title}}</h1>
    <p id="status" class="status">Connecting…</p>
    <section>
      <h2>Speaker <small class="muted">(keys 1–9)</small></h2>
      <div id="speakers" class="buttons"></div>
      <form id="other-speaker" class="row"><input name="value" placeholder="Someone else"><button>Tag</button></form>
    </section>
    <section>
      <h2>Agenda <small class="muted">(Shift + 1–9)</small></h2>
      <div id="agenda-buttons" class="buttons"></div>
    </section>
    <section class="row2">
      <form id="topic" class="row"><input name="value" placeholder="Topic" aria-label="Topic"><button>Topic</button></form>
      <form id="note" class="row"><input name="value" placeholder="Note" aria-label="Note"><button>Note</button></form>
    </section>
    <p id="message" class="notice hidden"></p>
    <section>
      <h2>Last tags</h2>
      <ol id="tags" class="tags"></ol>
    </section>
    <p><a id="session-link" href="/sessions/{{session}}">Session page</a></p>
    {{> foot}}
    """

    static let schedule = """
    {{> head}}
    <h1>Scheduled recordings</h1>
    <p class="muted">The server starts a recorder before each briefing (pre-roll), waits for the stream, stops after the end plus overrun, and starts a new recorder if one dies. The schedule is kept in the archive, so a restart loses nothing.</p>
    <form id="schedule-form" class="schedule-form hidden">
      <label>Stream address <input name="url" required placeholder="https://…/watch?v=…, rtmp://…, srt://…, https://…/index.m3u8"></label>
      <label>Title <input name="title" placeholder="From the agenda file when empty"></label>
      <label>Start <input name="start" type="datetime-local"></label>
      <label>End <input name="end" type="datetime-local"></label>
      <label>Pre-roll (minutes) <input name="preRoll" type="number" min="0" max="120" value="5"></label>
      <label>Overrun (minutes) <input name="overrun" type="number" min="0" max="240" value="30"></label>
      <label class="wide">Agenda file (YAML; its date and start are used when Start is empty) <input name="agendaFile" type="file" accept=".yaml,.yml,text/yaml"></label>
      <label class="check"><input name="listen" type="checkbox"> Listen for a pushed stream (RTMP/SRT push)</label>
      <button>Schedule</button>
    </form>
    <p id="message" class="notice hidden"></p>
    <table class="schedule"><thead><tr><th>Briefing</th><th>When</th><th>State</th><th>Sessions</th><th></th></tr></thead><tbody id="recordings"></tbody></table>
    {{> foot}}
    """

    static let login = """
    {{> head}}
    <h1>Sign in</h1>
    {{#failed}}<p class="notice">{{failed}}</p>{{/failed}}
    <form method="post" action="/login" class="login">
      <input type="hidden" name="next" value="{{next}}">
      <label>Name <input name="name" autocomplete="username" required autofocus></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button>Sign in</button>
    </form>
    {{> foot}}
    """

    static let problem = """
    {{> head}}
    <h1>{{heading}}</h1>
    <p>{{message}}</p>
    <p><a href="/">Back to the archive</a></p>
    {{> foot}}
    """
}
