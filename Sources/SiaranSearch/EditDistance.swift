/// How far apart two words are, in edits: insert, delete or replace a letter, or swap two neighbours
/// (the optimal-string-alignment distance, so `pemliu` is one edit from `pemilu`).
public enum EditDistance {
    /// The distance between `a` and `b`, or nil when it exceeds `limit` (stops early).
    public static func between(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) <= limit ? max(a.count, b.count) : nil }
        let width = b.count + 1
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            var rowBest = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowBest = min(rowBest, value)
            }
            if rowBest > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }

    public static func between(_ a: String, _ b: String, limit: Int) -> Int? {
        between(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: limit)
    }

    /// The typos a word of this many letters may hold and still be corrected, as Meilisearch allows:
    /// none below 5 letters (too many short words are one edit apart), 1 from 5, 2 from 9.
    public static func typosAllowed(letters: Int) -> Int {
        letters >= 9 ? 2 : letters >= 5 ? 1 : 0
    }
}
