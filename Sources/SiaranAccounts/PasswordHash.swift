import HummingbirdBcrypt

/// bcrypt password hashes, as stored in the users file.
public enum PasswordHash {
    /// The work factor of new hashes: 2^11 rounds, about 0.15 s on one core here; slow enough that a
    /// stolen users file is expensive to guess from, fast enough for a sign-in.
    public static let defaultCost: UInt8 = 11

    public static func make(_ password: String, cost: UInt8 = defaultCost) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` is the one `hash` was made from (the hash carries its own cost and salt).
    public static func matches(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// Why `password` is not good enough, or nil.
    public static func weakness(of password: String, name: String) -> String? {
        if password.count < 10 { return "a password needs at least 10 characters" }
        if password.lowercased().contains(name.lowercased()) { return "a password must not contain the user's name" }
        if Set(password).count < 4 { return "a password needs more different characters" }
        return nil
    }
}
