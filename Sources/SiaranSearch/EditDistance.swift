/// How far apart two words are, in edits: insert, delete or replace a letter, or swap two neighbours
/// (the optimal-string-alignment distance, so `pemliu` is one edit from `pemilu`).
public enum EditDistance {
    /// The distance between `a` and `b`, or nil when it exceeds `limit` (stops early).
    public static func between(_ a: String, _ b: String, limit: Int) -> Int? {
        var measurer = Measurer()
        return measurer.distance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: limit)
    }

    /// Measures many pairs without allocating for each (a vocabulary scan for "did you mean").
    public struct Measurer {
        private var previous2: [Int] = []
        private var previous: [Int] = []
        private var current: [Int] = []

        public init() {}

        /// The distance between `a` and `b` (any letters: Unicode scalars, or the UTF-8 bytes of
        /// folded ASCII words), or nil when it exceeds `limit`.
        public mutating func distance<A: RandomAccessCollection, B: RandomAccessCollection>(_ a: A, _ b: B, limit: Int) -> Int?
        where A.Element: Equatable, B.Element == A.Element, A.Index == Int, B.Index == Int {
            let n = a.count, m = b.count
            if abs(n - m) > limit { return nil }
            if n == 0 || m == 0 { return max(n, m) <= limit ? max(n, m) : nil }
            let a0 = a.startIndex, b0 = b.startIndex
            if current.count < m + 1 {
                previous2 = [Int](repeating: 0, count: m + 1)
                previous = previous2
                current = previous2
            }
            for j in 0...m { previous[j] = j }
            for i in 1...n {
                current[0] = i
                var rowBest = i
                let ai = a[a0 + i - 1]
                for j in 1...m {
                    let bj = b[b0 + j - 1]
                    var value = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ai == bj ? 0 : 1))
                    if i > 1, j > 1, ai == b[b0 + j - 2], a[a0 + i - 2] == bj { value = Swift.min(value, previous2[j - 2] + 1) }
                    current[j] = value
                    rowBest = Swift.min(rowBest, value)
                }
                if rowBest > limit { return nil }
                swap(&previous2, &previous)
                swap(&previous, &current)
            }
            return previous[m] <= limit ? previous[m] : nil
        }
    }

    /// The typos a word of this many letters may hold and still be corrected, as Meilisearch allows:
    /// none below 5 letters (too many short words are one edit apart), 1 from 5, 2 from 9.
    public static func typosAllowed(letters: Int) -> Int {
        letters >= 9 ? 2 : letters >= 5 ? 1 : 0
    }
}
