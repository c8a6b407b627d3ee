import Foundation

/// What this machine pulled from one store (`.git/reverie/store-<id>.json`): the newest
/// version time read and the versions seen at it, each memory's file, and the store's
/// `content_sha256` of each file as last seen (the precondition of the next push).
struct StoreCursor: Codable, Equatable {
    var through: String?
    var seenAtThrough: [String] = []
    /// Memory id → repo file.
    var files: [String: String] = [:]
    /// Repo file → the store's content_sha256.
    var hashes: [String: String] = [:]

    static func load(from path: String) -> StoreCursor {
        guard let data = FileManager.default.contents(atPath: path),
            let cursor = try? JSONDecoder().decode(StoreCursor.self, from: data)
        else { return StoreCursor() }
        return cursor
    }

    /// Written whole, then renamed: a crash leaves the old cursor or the new one.
    func save(to path: String) throws(StoreError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .repository(message: "could not save the store cursor \(path): \(error.localizedDescription)")
        }
    }

    /// Records that versions up to `versions`' newest were read.
    mutating func advance(past versions: [MemoryVersion]) {
        guard let newest = versions.map(\.createdAt).max() else { return }
        let atNewest = versions.filter { $0.createdAt == newest }.map(\.id)
        seenAtThrough = newest == through ? Array(Set(seenAtThrough + atNewest)).sorted() : atNewest.sorted()
        through = newest
    }
}
