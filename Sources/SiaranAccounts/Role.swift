/// What a user of the web companion may do. Each role may do everything the ones before it may.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Browse, play, search, download clips and reports.
    case viewer
    /// Also tag live sessions and correct tags, star quotes.
    case tagger
    /// Also schedule recordings and manage what the server runs.
    case admin

    private var rank: Int { Role.allCases.firstIndex(of: self)! }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether this role includes what `needed` may do.
    public func allows(_ needed: Role) -> Bool { self >= needed }
}
