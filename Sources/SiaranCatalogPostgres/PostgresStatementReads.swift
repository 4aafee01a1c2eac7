// A statement's reads that several of its arms share (`WITH name AS MATERIALIZED (…)`): each written
// once, under a name its key gives, and read by every arm that names it.
extension PostgresCatalog {
    struct StatementReads<Key: Hashable> {
        /// What the reads' names begin with (`newest` → `newest_0`, `newest_1`, …).
        let prefix: String
        private var names: [Key: String] = [:]
        /// The reads in the order first named: `name AS MATERIALIZED (…)`.
        private(set) var reads: [String] = []

        init(_ prefix: String) { self.prefix = prefix }

        /// The name of `key`'s read, written by `select` (the read's SQL) the first time it is named.
        mutating func name(_ key: Key, _ select: () -> String) -> String {
            if let name = names[key] { return name }
            let name = "\(prefix)_\(reads.count)"
            names[key] = name
            reads.append("\(name) AS MATERIALIZED (\(select()))")
            return name
        }
    }
}
