/// `/assets/siaran.css`: one small style sheet for every page, readable on a phone and a laptop.
enum StyleSheet {
    static let text = #"""
    :root { --ink: #1d2330; --muted: #667085; --line: #d9dde5; --accent: #0b6bcb; --live: #c62828; --bg: #f7f8fa; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.45 system-ui, sans-serif; color: var(--ink); background: var(--bg); }
    main { padding: 0 16px 32px; max-width: 1280px; margin: 0 auto; }
    a { color: var(--accent); }
    h1 { font-size: 1.5rem; margin: 16px 0 8px; }
    h2 { font-size: 1.1rem; margin: 16px 0 8px; }
    .bar { display: flex; gap: 16px; align-items: center; padding: 8px 16px; background: #fff; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
    .brand { font-weight: 700; text-decoration: none; color: var(--ink); }
    .bar nav a { margin-right: 12px; }
    .who { margin-left: auto; color: var(--muted); }
    .inline { display: inline; }
    button, .button { font: inherit; padding: 6px 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--ink); cursor: pointer; text-decoration: none; display: inline-block; }
    button.link { border: none; background: none; color: var(--accent); padding: 0; }
    input { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; }
    .muted { color: var(--muted); }
    .hidden { display: none !important; }
    .notice { background: #fff8e1; border: 1px solid #f0d890; padding: 8px 12px; border-radius: 6px; }
    .filters { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; }
    .filters #q { flex: 1 1 320px; }
    .cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
    .card a.thumb { display: block; aspect-ratio: 16 / 9; background: #e8ebf0; }
    .card img { width: 100%; height: 100%; object-fit: cover; display: block; }
    .card .body { padding: 8px 12px; }
    .card .title { font-weight: 600; }
    .badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: .8rem; background: var(--line); }
    .badge.live { background: var(--live); color: #fff; }
    .player-area { display: grid; grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr); gap: 16px; }
    @media (max-width: 800px) { .player-area { grid-template-columns: 1fr; } }
    video { width: 100%; background: #000; border-radius: 6px; max-height: 70vh; }
    .timeline { position: relative; height: 54px; background: #fff; border: 1px solid var(--line); border-radius: 6px; margin-top: 8px; cursor: pointer; }
    .timeline .band { position: absolute; height: 16px; border-radius: 2px; opacity: .85; }
    .timeline .row0 { top: 2px; } .timeline .row1 { top: 20px; } .timeline .row2 { top: 38px; height: 12px; }
    .timeline .mark { position: absolute; top: 38px; width: 3px; height: 12px; background: var(--ink); }
    .timeline .gap { position: absolute; top: 0; bottom: 0; background: repeating-linear-gradient(45deg, #bbb 0 4px, transparent 4px 8px); }
    .timeline .head { position: absolute; top: 0; bottom: 0; width: 2px; background: var(--live); }
    .legend { font-size: .85rem; color: var(--muted); margin: 4px 0; }
    .legend span { margin-right: 10px; }
    .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
    .side { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0 12px 12px; max-height: 80vh; overflow: auto; }
    .transcript, .agenda { list-style: none; padding: 0; margin: 0; }
    .transcript li, .agenda li { padding: 4px 6px; border-radius: 4px; cursor: pointer; }
    .transcript li.now { background: #e3f0ff; }
    .transcript time, .agenda time, .hits time { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 6px; }
    .transcript .star { border: 0; background: none; padding: 0 4px; color: var(--muted); font-size: 1rem; }
    .transcript .star.on { color: #d49b00; }
    .post { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0 12px 12px; margin-top: 16px; }
    .post-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr); gap: 16px; }
    @media (max-width: 800px) { .post-grid { grid-template-columns: 1fr; } }
    .post figure { margin: 8px 0; } .post img { max-width: 100%; border-radius: 4px; }
    .post textarea { width: 100%; box-sizing: border-box; font: inherit; line-height: 1.5; padding: 8px; border: 1px solid var(--line); border-radius: 6px; }
    .quotes { padding-left: 18px; } .quotes li { margin: 6px 0; } .quotes .who { color: var(--muted); font-size: .9rem; }
    .schedule-form { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 10px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin-bottom: 12px; }
    .schedule-form label { display: grid; gap: 4px; } .schedule-form .wide { grid-column: 1 / -1; } .schedule-form .check { display: flex; gap: 6px; align-items: center; }
    table.schedule { width: 100%; border-collapse: collapse; background: #fff; } .schedule td, .schedule th { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    .state { font-weight: 600; } .state.failed { color: var(--live); } .state.recording { color: #0a7d32; }
    mark { background: #ffe58a; padding: 0 1px; }
    .group { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin-bottom: 12px; }
    .group .mini { position: relative; height: 10px; background: #eef1f5; border-radius: 3px; margin: 6px 0; }
    .group .mini a { position: absolute; top: 0; width: 4px; height: 10px; background: var(--accent); border-radius: 1px; }
    .hits { list-style: none; padding: 0; margin: 0; }
    .hits li { padding: 6px 0; border-top: 1px solid var(--line); }
    .hits .who { color: var(--muted); font-size: .9rem; margin: 0; }
    .headers { padding-left: 18px; }
    .buttons { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
    .buttons button { padding: 14px 8px; font-size: 1.05rem; min-height: 56px; }
    .buttons button.current { background: var(--accent); color: #fff; border-color: var(--accent); }
    .buttons kbd { font-size: .75rem; opacity: .7; margin-right: 4px; }
    .row { display: flex; gap: 8px; margin: 8px 0; } .row input { flex: 1; }
    .row2 { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
    @media (max-width: 600px) { .row2 { grid-template-columns: 1fr; } }
    .status { font-variant-numeric: tabular-nums; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
    .tags { list-style: none; padding: 0; } .tags li { display: flex; gap: 8px; align-items: center; padding: 4px 0; border-top: 1px solid var(--line); flex-wrap: wrap; }
    .tags li .value { flex: 1; }
    .login { display: grid; gap: 12px; max-width: 320px; }
    .login label { display: grid; gap: 4px; }
    """#
}
