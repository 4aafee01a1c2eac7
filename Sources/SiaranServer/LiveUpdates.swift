import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SiaranArchive
import SiaranCore

/// Server-Sent Events: `GET /api/sessions/{id}/updates` sends the session (event `session`) and its
/// tags (event `tags`) whenever its manifest or event log changes, so the session page and live
/// console follow new segments, tags and the recorder's state, and the newest caption lines (event
/// `captions`: live captions within seconds, `LiveCaptionLines`) whenever a caption file changes, and the words heard but not
/// confirmed yet (event `tail`, `LiveTailSeen`) as the recorder replaces them; `GET /api/updates` sends the session
/// list (event `sessions`) when the archive changes. `?limit=N` ends the stream after N events.
/// `?alerts=OPENED` (the page's opening, ms since 1970) adds a signed-in user's alerts raised since
/// (event `alert`, `AlertWatch`), so a page with such a stream needs no second one for them.
/// A stream ends when its sign-in does (signed out, user removed, password changed: checked before
/// every poll), and a visitor may hold only a few open at once.
struct LiveUpdates {
    let archive: Archive
    let gate: Gate
    let routes: SessionRoutes
    let checks: SignInCheck
    let open: StreamCounter
    /// How often files are looked at.
    var pollInterval: Duration = .milliseconds(500)
    /// A comment line this often keeps proxies from closing a quiet stream.
    var keepAlive: TimeInterval = 15

    func add(to router: Router<SiaranContext>) {
        router.get("/api/sessions/:id/updates") { request, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let limit = try SearchRoutes.number(request.form["limit"], "limit", default: .max, range: 1...Int.max)
            return try stream(limit: limit, context, alerts: alertWatch(request, context)) { (last: (String?, String?, String?, LiveTailSeen)?) in
                let captions = [archive.liveCaptionsPath(of: id), archive.machineTranscriptPath(of: id)].map { fileStamp($0) ?? "-" }.joined(separator: "|")
                let tail = LiveTailSeen.look(archive: archive, id: id, last: last?.3)
                let now = (fileStamp(archive.manifestPath(of: id)), fileStamp(archive.eventsPath(of: id)), Optional(captions), tail.seen)
                // The first look sends both; later ones what changed.
                let manifestChanged = last == nil || now.0 != last?.0
                let eventsChanged = last == nil || now.1 != last?.1
                var events: [(String, Data)] = []
                if manifestChanged || eventsChanged, let details = try? SessionDetails(archive: archive, id: id) {
                    events.append(("session", try JSONCoding.encoder(pretty: false).encode(SessionDetailView(archive: archive, details: details, zone: routes.zone, signedIn: context.visitor.role != nil))))
                }
                if eventsChanged {
                    events.append(("tags", try JSONCoding.encoder(pretty: false).encode(TagList(archive: archive, id: id))))
                }
                // (Not at all for a session without a transcript or live captions.)
                if now.2 != last?.2 && now.2 != "-|-" {
                    events.append(("captions", try JSONCoding.encoder(pretty: false).encode(CaptionTail(archive: archive, id: id))))
                }
                if let words = tail.changed { events.append(("tail", try JSONCoding.encoder(pretty: false).encode(["words": words]))) }
                return (now, events)
            }
        }
        router.get("/api/updates") { request, context in
            try gate.require(.viewer, context)
            let limit = try SearchRoutes.number(request.form["limit"], "limit", default: .max, range: 1...Int.max)
            let visible = context.visibleSessions
            return try stream(limit: limit, context, alerts: alertWatch(request, context)) { (last: (String, Int)?) in
                // The change marker moves with every manifest, tag and caption change Siaran makes;
                // a live session's length grows between them, so while one is live the list is resent every few polls.
                // (Whether one is live is read from the locks folder; the sessions themselves only when something is to be sent.)
                let marker = archive.changeMarker()
                let tick = Int(Date().timeIntervalSince1970 / 5)
                let live = !Tagger(archive: archive).recordingSessions().isEmpty
                let now = (marker, live ? tick : 0)
                guard last == nil || now.0 != last?.0 || now.1 != last?.1 else { return (last, []) }
                return (now, [("sessions", try JSONCoding.encoder(pretty: false).encode(["sessions": routes.summaries().filter { visible?.contains($0.id) != false }]))])
            }
        }
    }

    /// The signed-in user's alerts when the page asks for them (`?alerts=`); anonymous visitors have none.
    private func alertWatch(_ request: Request, _ context: SiaranContext) -> AlertWatch? {
        guard let opened = request.form["alerts"], context.visitor.role != nil, let user = context.visitor.name else { return nil }
        return AlertWatch(books: AlertBooks(archive: archive), user: user, since: AlertWatch.since(opened))
    }

    /// A page's event stream carrying the user's alerts too when `alerts` is given.
    func stream<State: Sendable>(limit: Int, _ context: SiaranContext, alerts: AlertWatch?,
                                 poll: @escaping @Sendable (State?) throws -> (State?, [(String, Data)])) throws -> Response {
        guard let alerts else { return try stream(limit: limit, context, poll: poll) }
        return try stream(limit: limit, context) { (last: CarriedAlerts<State>?) in
            let (page, events) = try poll(last?.page)
            let (seen, raised) = try alerts.poll(last?.alerts)
            return (CarriedAlerts(page: page, alerts: seen), events + raised)
        }
    }

    /// An event stream: `poll` is given what it last saw and answers what it sees now and the events to send.
    func stream<State: Sendable>(limit: Int, _ context: SiaranContext,
                                         poll: @escaping @Sendable (State?) throws -> (State?, [(String, Data)])) throws -> Response {
        let interval = pollInterval, keepAlive = keepAlive
        let visitor = context.visitorKey, token = context.signInToken, checks = checks, open = open
        try open.take(visitor)
        let body = ResponseBody { writer in
            defer { open.release(visitor) }
            var seen: State? = nil
            var sent = 0
            var quietSince = Date()
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            while sent < limit {
                // Signed out or removed since the stream began: nothing more is sent (the page's reconnect gets 401).
                if let token, checks.signedIn(token: token, refresh: false) == nil { break }
                let (now, events) = try poll(seen)
                seen = now
                for (name, data) in events where sent < limit {
                    var buffer = ByteBuffer(string: "event: \(name)\ndata: ")
                    buffer.writeBytes(data)
                    buffer.writeString("\n\n")
                    try await writer.write(buffer)
                    sent += 1
                    quietSince = Date()
                }
                if sent >= limit { break }
                if Date().timeIntervalSince(quietSince) >= keepAlive {
                    try await writer.write(ByteBuffer(string: ": still here\n\n"))
                    quietSince = Date()
                }
                try await Task.sleep(for: interval)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store",
                                               HTTPField.Name("X-Accel-Buffering")!: "no"], body: body)
    }
}

/// What a page's stream last saw of its own and of the user's alerts.
struct CarriedAlerts<Page: Sendable>: Sendable {
    var page: Page?
    var alerts: AlertStreamState?
}

/// The newest caption lines of a session (final transcript, then live lines it has not reached).
struct CaptionTail: Encodable {
    var lines: [TranscriptLine]

    init(archive: Archive, id: String, count: Int = 8) {
        lines = Array(archive.transcript(of: id).suffix(count))
    }
}

/// Size and modification time of a file, or nil; enough to notice a change.
func fileStamp(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
}
