import Foundation
import HTTPTypes
import Hummingbird

/// An error a route answers with: a status and a message that says what was wrong and what to do,
/// as JSON `{"error": "…", "code": "…"}` in the visitor's language (pages show `error` as it is).
/// A message from the catalogue has a `key` (its `code`); one without is shown as written.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// The message in English (logs, tests, and clients that read no catalogue).
    public var message: String
    public var headers: HTTPFields = [:]
    var key: String?
    var arguments: [String: String] = [:]

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// An error whose text is the catalogue's `key` (Web/messages), `{name}`s filled from `arguments`.
    init(_ status: HTTPResponse.Status, key: String, _ arguments: [String: String] = [:]) {
        self.status = status
        self.key = key
        self.arguments = arguments
        message = Messages.text(key, .english, arguments)
    }

    public var description: String { "\(status.code) \(message)" }

    /// The message in `language`.
    func text(in language: Language) -> String {
        key.map { Messages.text($0, language, arguments) } ?? message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let language = (context as? SiaranContext)?.visitor.language ?? Language.preferred(by: request.headers[.acceptLanguage])
        var body = ["error": text(in: language)]
        if let key { body["code"] = key }
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(body))))
    }

    static func notSignedIn() -> APIError { APIError(.unauthorized, key: "error.notSignedIn") }
    static func forbidden(_ needed: String) -> APIError { APIError(.forbidden, key: "error.forbidden", ["role": needed]) }
    static func badCSRF() -> APIError { APIError(.forbidden, key: "error.badCSRF") }
}
