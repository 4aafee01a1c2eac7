import Foundation

/// The web companion's own files (`Sources/SiaranServer/Web/`: scripts, the style sheet, the page
/// templates and the message catalogues), compiled into the server by the WebAssetsPlugin and
/// served under content-hashed names (`/assets/common.1f2e3d4c5b6a.js`), so a browser caches each
/// for a year and an upgrade is fetched at once.
enum WebAssets {
    struct Asset: Sendable {
        /// The file's name under `/assets/` without its hash (`common.js`).
        var name: String
        var type: String
        var bytes: Data
        /// `/assets/NAME.HASH.EXT`.
        var url: String
    }

    /// Every file under Web/, by its path there (`scripts/common.js`).
    static let files: [String: Data] = WebFiles.base64.reduce(into: [:]) { files, pair in
        files[pair.key] = Data(base64Encoded: pair.value) ?? Data()
    }

    /// The text of one file under Web/ (empty when there is none: a build mistake the tests catch).
    static func text(_ path: String) -> String {
        files[path].map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The page templates, by name (`templates/session.mustache` → `session`).
    static var templates: [String: String] {
        var templates: [String: String] = [:]
        for (path, data) in files where path.hasPrefix("templates/") && path.hasSuffix(".mustache") {
            templates[String(path.dropFirst("templates/".count).dropLast(".mustache".count))] = String(decoding: data, as: UTF8.self)
        }
        return templates
    }

    /// What `/assets/` serves: the scripts and style sheets, and one script per message catalogue
    /// (`messages-id.js`: `S.t` reads it), each under its hashed and its plain name.
    static let served: [String: Asset] = {
        var assets: [Asset] = []
        for (path, data) in files {
            let name = String(path.split(separator: "/").last ?? "")
            if path.hasPrefix("scripts/") && name.hasSuffix(".js") {
                assets.append(asset(name, "text/javascript; charset=utf-8", data))
            } else if path.hasPrefix("styles/") && name.hasSuffix(".css") {
                assets.append(asset(name, "text/css; charset=utf-8", data))
            }
        }
        for language in Language.allCases {
            let json = (try? JSONSerialization.data(withJSONObject: Messages.catalogue(language), options: [.sortedKeys])) ?? Data("{}".utf8)
            let script = Data("\"use strict\";\nwindow.SiaranMessages = ".utf8) + json + Data(";\n".utf8)
            assets.append(asset("messages-\(language.rawValue).js", "text/javascript; charset=utf-8", script))
        }
        var byName: [String: Asset] = [:]
        for asset in assets {
            byName[asset.name] = asset
            byName[String(asset.url.dropFirst("/assets/".count))] = asset
        }
        return byName
    }()

    /// The hashed address of the asset called `name` (`common.js`).
    static func url(_ name: String) -> String { served[name]?.url ?? "/assets/" + name }

    private static func asset(_ name: String, _ type: String, _ bytes: Data) -> Asset {
        let dot = name.lastIndex(of: ".") ?? name.endIndex
        let hashed = name[..<dot] + "." + contentHash(bytes) + name[dot...]
        return Asset(name: name, type: type, bytes: bytes, url: "/assets/" + hashed)
    }

    /// 64-bit FNV-1a of the bytes, as 12 hex digits: enough to tell versions of one file apart.
    static func contentHash(_ bytes: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(String(hash, radix: 16).leftPadded(to: 16).prefix(12))
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
