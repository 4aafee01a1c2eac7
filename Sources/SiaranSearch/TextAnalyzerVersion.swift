extension TextAnalyzer {
    /// Changes whenever the tokens the analyzer produces change (a catalog made by another is rebuilt).
    public static let version = "snowball-1"
}
