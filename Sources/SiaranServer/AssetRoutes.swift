import Hummingbird

/// `/assets/…`: the style sheet and scripts every page loads, served by Siaran itself (no CDN).
struct AssetRoutes {
    static let assets: [String: (type: String, text: String)] = [
        "siaran.css": ("text/css; charset=utf-8", StyleSheet.text),
        "common.js": ("text/javascript; charset=utf-8", CommonScript.text),
        "archive.js": ("text/javascript; charset=utf-8", ArchiveScript.text),
        "session.js": ("text/javascript; charset=utf-8", SessionScript.text),
        "search.js": ("text/javascript; charset=utf-8", SearchScript.text),
        "live.js": ("text/javascript; charset=utf-8", LiveScript.text),
        "schedule.js": ("text/javascript; charset=utf-8", ScheduleScript.text),
    ]

    func add(to router: Router<SiaranContext>) {
        router.get("/assets/:name") { _, context in
            guard let name = context.parameters.get("name"), let asset = Self.assets[name] else {
                throw APIError(.notFound, "no such asset")
            }
            return Response(status: .ok, headers: [.contentType: asset.type, .cacheControl: "public, max-age=300"],
                            body: .init(byteBuffer: ByteBuffer(string: asset.text)))
        }
    }
}
