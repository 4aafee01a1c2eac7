import Foundation
import HTTPTypes
import Hummingbird

/// The address a request comes from: the peer's, or, when the peer is a reverse proxy the server was
/// told to trust (`--trusted-proxy`), the address that proxy put in `X-Forwarded-For`. From any
/// other peer the header is ignored (anyone can send it).
struct ClientAddress: Sendable {
    let trustedProxies: Set<String>

    func of(_ request: Request, peer: String?) -> String {
        guard let peer else { return "unknown" }
        guard trustedProxies.contains(peer) else { return peer }
        // The proxy appends the address it saw; addresses before it are the client's word. Reading from
        // the right, the first one that is not a trusted proxy is the client.
        let forwarded = request.headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for address in forwarded.reversed() where !trustedProxies.contains(address) {
            return Self.isAddress(address) ? address : peer
        }
        return peer
    }

    /// Whether `text` is an IPv4 or IPv6 address (and nothing else a header might carry).
    static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
