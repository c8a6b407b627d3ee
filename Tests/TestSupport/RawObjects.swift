import Foundation

/// Writes git objects byte by byte into a repository, as `git hash-object --literally`
/// does: trees that no git command would make (an entry named `..` or `a/b`, a `.git`
/// folder, links out of the repository), to check that they are refused.
public struct RawObjects {
    /// One tree entry as git stores it: an octal mode without leading zeros, a name, an id.
    public struct Entry: Sendable {
        public let mode: String
        public let name: String
        public let id: String

        public init(mode: String, name: String, id: String) {
            self.mode = mode
            self.name = name
            self.id = id
        }

        public static func file(_ name: String, _ id: String) -> Entry { Entry(mode: "100644", name: name, id: id) }
        public static func folder(_ name: String, _ id: String) -> Entry { Entry(mode: "40000", name: name, id: id) }
        public static func link(_ name: String, _ id: String) -> Entry { Entry(mode: "120000", name: name, id: id) }
    }

    public let repository: Scratch

    public init(_ repository: Scratch) {
        self.repository = repository
    }

    /// A blob holding `text`; its id.
    public func blob(_ text: String) throws -> String {
        try write(Data(text.utf8), type: "blob")
    }

    /// A tree holding exactly `entries` (sorted by name, as git would, but otherwise as given).
    public func tree(_ entries: [Entry]) throws -> String {
        var data = Data()
        for entry in entries.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            data.append(contentsOf: Array("\(entry.mode) \(entry.name)".utf8) + [0])
            data.append(contentsOf: try Self.bytes(ofHex: entry.id))
        }
        return try write(data, type: "tree")
    }

    /// The root entries of a revision's tree.
    public func entries(of revision: String) throws -> [Entry] {
        try repository.git("ls-tree", revision).split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            let fields = parts[0].split(separator: " ")
            return Entry(mode: String(fields[0].drop { $0 == "0" }), name: String(parts[1]), id: String(fields[2]))
        }
    }

    /// A commit on `parent` whose tree is the parent's with `entry` added at the root, or
    /// `tree` when given; with Reverie's trailers for `dream`, so it reads as the dream's.
    public func commit(adding entry: Entry?, onto parent: String, dream: String?, tree: String? = nil) throws -> String
    {
        let root =
            try tree
            ?? self.tree(try entries(of: parent).filter { $0.name != entry?.name } + (entry.map { [$0] } ?? []))
        var message = "Record a crafted change\n\nMade with git plumbing."
        if let dream {
            message += "\n\nReverie-Dream: \(dream)\nReverie-Change: mistake\nReverie-Consolidator: test/fixed"
        }
        return try repository.git("commit-tree", root, "-p", parent, "-m", message).trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    private func write(_ data: Data, type: String) throws -> String {
        let file = repository.url(".git/raw-object-\(UUID().uuidString)")
        try data.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try repository.git("hash-object", "-w", "--literally", "-t", type, file)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func bytes(ofHex hex: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { throw CocoaError(.formatting) }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
