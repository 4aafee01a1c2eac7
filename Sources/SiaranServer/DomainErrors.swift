import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SiaranAccounts
import SiaranArchive
import SiaranCore

/// The one place where the archive's errors become answers: each error's HTTP status and its text
/// in the catalogue (the browser never sees the command line's advice, such as "see `siaran show`").
extension APIError {
    /// A tag or a correction that cannot be made.
    init(_ error: TagError) {
        switch error {
        case .noRecordingSession, .severalRecording:
            self.init(.conflict, key: "error.tag.notRecording")
        case .beforeRecording:
            self.init(.unprocessableContent, key: "error.tag.beforeRecording")
        case let .beyondRecording(at, end):
            self.init(.unprocessableContent, key: "error.tag.beyondRecording", ["at": ClockFormat.string(at), "end": ClockFormat.string(end)])
        case let .unknownAgendaItem(typed, available):
            self.init(.unprocessableContent, key: available.isEmpty ? "error.tag.noAgenda" : "error.tag.unknownAgendaItem",
                      ["value": typed, "agenda": available.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "; ")])
        case let .unknownSpeaker(name, roster):
            self.init(.unprocessableContent, key: "error.tag.unknownSpeaker", ["value": name, "roster": roster.joined(separator: ", ")])
        case let .ambiguousSpeaker(name, matches):
            self.init(.unprocessableContent, key: "error.tag.ambiguousSpeaker", ["value": name, "matches": matches.joined(separator: " / ")])
        case let .noSuchTag(id):
            self.init(.notFound, key: "error.tag.noSuchTag", ["id": id])
        case let .empty(what):
            self.init(.badRequest, key: "error.tag.empty", ["what": what])
        }
    }

    /// A scheduled recording that cannot be added or found: its reason as the schedule says it.
    init(_ error: ScheduleError, status: HTTPResponse.Status = .unprocessableContent) {
        self.init(status, key: "error.scheduleRefused", ["reason": error.description])
    }

    /// Any error a route did not expect: a 500 that names no file or path of the server.
    static func unexpected(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? TagError { return APIError(error) }
        if let error = error as? ScheduleError { return APIError(error) }
        return APIError(.internalServerError, key: "error.unexpected")
    }
}

/// Turns what a route throws into its answer through `APIError`: the archive's errors by their kind,
/// anything else a 500 that tells the visitor nothing of the server's files (the log has the detail).
struct DomainErrorMiddleware: RouterMiddleware {
    typealias Context = SiaranContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            let answer = APIError.unexpected(error)
            if answer.status == .internalServerError {
                logger.error("\(request.method) \(request.uri.path): \(String(describing: error))")
            }
            throw answer
        }
    }
}
