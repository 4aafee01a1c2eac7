import Foundation
import HTTPTypes
import Hummingbird

/// An error a route answers with: a status and a message that says what was wrong and what to do,
/// as JSON `{"error": "…"}` (pages turn it into HTML).
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code) \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(["error": message])
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func notSignedIn() -> APIError { APIError(.unauthorized, "sign in first (POST /api/login, or the page /login)") }
    static func forbidden(_ needed: String) -> APIError { APIError(.forbidden, "this needs the \(needed) role; ask an admin (`siaran user role NAME \(needed)`)") }
    static func badCSRF() -> APIError {
        APIError(.forbidden, "missing or wrong CSRF token: send the X-CSRF-Token header (GET /api/me gives it) or the form's csrf field")
    }
}
