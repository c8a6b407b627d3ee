// The generator lives in the product (the planted corpus of `reverie eval` uses it); every
// test that imports TestSupport sees it as before.
@_exported import Seeded

extension SeededRandom {
    public static let alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    /// `count` characters drawn from `alphabet`, the same for the same seed: fake keys that
    /// look random to a scanner, built at run time so the repository holds none.
    public static func text(_ alphabet: String, _ count: Int, seed: UInt64 = 7) -> String {
        var random = SeededRandom(seed: seed &+ UInt64(count) &* 31 &+ UInt64(alphabet.count))
        let characters = Array(alphabet)
        return String((0..<count).map { _ in random.pick(characters) })
    }
}
