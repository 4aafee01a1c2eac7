/// Numbers said in words ("dua ribu dua puluh empat", "seribu", "tiga ratus lima puluh") read as
/// their value, so that `2024` finds the captions of a briefing where it was spoken, as transcripts
/// and captioners write it. Only runs with a tens-or-more word (belas, puluh, ratus, ribu, juta…
/// or sepuluh, sebelas, seratus, seribu, sejuta) count: "dua" alone stays a word.
enum NumberWords {
    private static let units: [String: Int] = [
        "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
    ]
    private static let composites: [String: Int] = ["sepuluh": 10, "sebelas": 11, "seratus": 100]
    private static let groups: [String: Int] = ["ribu": 1_000, "juta": 1_000_000, "miliar": 1_000_000_000, "milyar": 1_000_000_000,
                                                "triliun": 1_000_000_000_000]
    private static let oneGroup: [String: Int] = ["seribu": 1_000, "sejuta": 1_000_000, "semiliar": 1_000_000_000]

    static func isNumberWord(_ word: String) -> Bool {
        units[word] != nil || composites[word] != nil || groups[word] != nil || oneGroup[word] != nil
            || word == "belas" || word == "puluh" || word == "ratus"
    }

    /// The values of the number runs among `words` (folded): each run of number words with a
    /// tens-or-more word, as digits.
    static func values(in words: [String]) -> [String] {
        var values: [String] = []
        var run: [String] = []
        func finish() {
            if let value = value(of: run) { values.append(String(value)) }
            run.removeAll()
        }
        for word in words {
            if isNumberWord(word) { run.append(word) } else if !run.isEmpty { finish() }
        }
        if !run.isEmpty { finish() }
        return values
    }

    /// The value of one run, or nil when it holds no tens-or-more word or does not read as a number.
    static func value(of run: [String]) -> Int? {
        guard run.contains(where: { units[$0] == nil }) else { return nil }
        var total = 0, current = 0
        var sawDigit = false
        for word in run {
            if let unit = units[word] {
                // "dua tiga" is two numbers, not 23: a unit after a unit ends the number.
                if sawDigit && current % 10 != 0 { return nil }
                current += unit
                sawDigit = true
            } else if let value = composites[word] {
                current += value
            } else if word == "belas" {
                guard current < 10 else { return nil }
                current += 10
            } else if word == "puluh" {
                guard current > 0, current < 10 else { return nil }
                current *= 10
            } else if word == "ratus" {
                guard current > 0, current < 10 else { return nil }
                current *= 100
            } else if let group = groups[word] {
                guard current > 0 else { return nil }
                total += current * group
                current = 0
                sawDigit = false
            } else if let group = oneGroup[word] {
                total += group
                current = 0
            }
        }
        return total + current
    }
}
