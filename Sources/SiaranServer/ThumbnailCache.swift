import Foundation

/// Thumbnails made for the archive page and the player, kept in `<archive>/.cache/thumbnails/`:
/// at most `capacity` files, so that asking for every distinct moment and width cannot fill the
/// disk; past it the oldest are removed (a removed one is made again when asked for).
struct ThumbnailCache: Sendable {
    let folder: String
    let capacity: Int

    func path(session id: String, at: Double, width: Int) -> String {
        folder + "/\(id)-\(Int(at * 10))-\(width).jpg"
    }

    /// Removes the oldest thumbnails beyond `capacity`.
    func trim() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder), names.count > capacity else { return }
        let dated = names.filter { $0.hasSuffix(".jpg") }.map { name -> (String, Date) in
            let date = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.modificationDate] as? Date) ?? .distantPast
            return (name, date)
        }.sorted { $0.1 < $1.1 }
        for (name, _) in dated.prefix(max(0, dated.count - capacity)) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }
}
