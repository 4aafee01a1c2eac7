import Hummingbird

/// `/assets/…`: the style sheet, scripts and message catalogues every page loads, served by Siaran
/// itself (no CDN). A hashed name (`common.1f2e3d4c5b6a.js`) is cached for a year (it never changes);
/// the plain name (`common.js`) must be asked again each time.
struct AssetRoutes {
    func add(to router: Router<SiaranContext>) {
        router.get("/assets/:name") { _, context in
            guard let name = context.parameters.get("name"), let asset = WebAssets.served[name] else {
                throw APIError(.notFound, key: "error.noAsset")
            }
            let caching = "/assets/" + name == asset.url ? "public, max-age=31536000, immutable" : "no-cache"
            return Response(status: .ok, headers: [.contentType: asset.type, .cacheControl: caching],
                            body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
    }
}
