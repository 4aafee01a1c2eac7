import Foundation
import HTTPTypes
import Hummingbird
import SiaranCore

/// Building answers: JSON in Siaran's encoding (ISO 8601 dates, sorted keys), HTML, redirects.
enum Reply {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONCoding.encoder(pretty: false).encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           .contentSecurityPolicy: contentSecurityPolicy],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, type: String, download: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        if let download { headers[.contentDisposition] = contentDisposition(download) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A download's `Content-Disposition` for any file name (RFC 6266): `filename*` carries the name
    /// percent-encoded as UTF-8, `filename` a plain-ASCII stand-in for old clients; a quote, backslash,
    /// semicolon or line break in a folder's name cannot break out of the header.
    static func contentDisposition(_ name: String, kind: String = "attachment") -> String {
        let plain = String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .rfc5987AttributeCharacters) ?? plain
        return "\(kind); filename=\"\(plain)\"; filename*=UTF-8''\(encoded)"
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// Pages run only Siaran's own scripts and styles, load nothing from elsewhere, and may not be framed.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
}

extension Request {
    /// The body decoded from JSON or from an HTML form (`application/x-www-form-urlencoded`).
    func decodeBody<T: Decodable>(_ type: T.Type, limit: Int = 64 * 1024) async throws -> T {
        let buffer: ByteBuffer
        do { buffer = try await body.collect(upTo: limit) } catch {
            throw APIError(.contentTooLarge, "the request body is larger than \(limit / 1024) KiB")
        }
        let contentType = headers[.contentType] ?? ""
        do {
            if contentType.hasPrefix("application/x-www-form-urlencoded") {
                return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer))
            }
            return try JSONCoding.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError(.badRequest, "the request body is not what this endpoint takes: \(Self.explain(error))")
        } catch {
            throw APIError(.badRequest, "the request body cannot be read: \(error)")
        }
    }

    static func explain(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): return "'\(key.stringValue)' is missing"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "'\(path)': ") + context.debugDescription
        @unknown default: return "\(error)"
        }
    }

    /// Whether a write comes from another site (its Origin names another host): refused whatever it carries.
    var isCrossSite: Bool {
        guard let origin = headers[.origin], let host = head.authority ?? headers[.host] else { return false }
        guard let url = URL(string: origin), let originHost = url.host else { return true }
        let port = url.port.map { ":\($0)" } ?? ""
        return originHost + port != host
    }
}

extension CharacterSet {
    /// RFC 5987's attr-char: what may stand unencoded in `filename*`.
    static let rfc5987AttributeCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")
}

extension HTTPField.Name {
    static let host = HTTPField.Name("Host")!
}
