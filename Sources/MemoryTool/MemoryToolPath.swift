import Foundation
import Memory

/// A path the model gave, checked and mapped into the memory repo: `/memories/x` → `x`.
///
/// Every path passes the repo's one set of rules (`RepoPath`, that is `TreePath.validate`)
/// and a few the model's side needs on top: only under `/memories`, no traversal in any
/// spelling (`..`, `..\`, percent-encoded), no control characters, nothing hidden (`.git`,
/// `.reverie/`, `.gitignore`), bounded length (docs/architecture.md).
struct MemoryToolPath: Hashable {
    /// The longest path taken, in UTF-8 bytes; far beyond any memory file's name.
    static let maxBytes = 1024
    /// The longest name, as on Linux file systems (NAME_MAX).
    static let maxNameBytes = 255

    /// Repo-relative; nil for `/memories` itself.
    let repoPath: RepoPath?

    var isRoot: Bool { repoPath == nil }
    /// The path as answers show it: `/memories` or `/memories/x`, never a trailing slash.
    var shown: String { repoPath.map { "\(Texts.root)/\($0.value)" } ?? Texts.root }
    var isMarkdown: Bool { repoPath?.value.hasSuffix(".md") ?? false }

    init(_ repoPath: RepoPath?) { self.repoPath = repoPath }

    /// The repo-relative path `relative`, checked as if the model had written it.
    init(relative: String) throws(ToolFailure) {
        self = try Self(checking: "\(Texts.root)/\(relative)")
    }

    init(checking raw: String) throws(ToolFailure) {
        func refuse(_ reason: String) -> ToolFailure { ToolFailure(Texts.pathRefused(raw, reason)) }

        if raw.utf8.count > Self.maxBytes { throw refuse("it is longer than \(Self.maxBytes) bytes") }
        if raw.utf8.contains(0) { throw refuse("it contains a NUL byte") }
        if raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw refuse("it contains a control character (such as a line break or a tab)")
        }
        // Traversal first, in every spelling a later decoder or another OS might honour.
        if Self.decoded(raw).split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..") {
            throw ToolFailure(Texts.escapes(raw))
        }
        if raw.contains("\\") { throw refuse("it contains a backslash; separate folders with /") }
        if Self.hasPercentEscape(raw) {
            throw refuse("it contains percent-encoded characters; write names as they are, not URL-encoded")
        }
        guard raw == Texts.root || raw.hasPrefix(Texts.root + "/") else {
            throw ToolFailure(Texts.outsideMemories(raw))
        }
        var relative = raw.dropFirst(Texts.root.count + 1)
        if relative.hasPrefix("/") { throw refuse("it has a double '/'") }
        if relative.last == "/" { relative = relative.dropLast() }  // a folder, spelled with its slash
        guard !relative.isEmpty else {
            self.init(nil)
            return
        }
        let path: RepoPath
        do throws(MemoryError) {
            path = try RepoPath(String(relative))
        } catch {
            if case .invalidPath(_, let reason) = error { throw refuse(reason) }
            throw refuse("\(error)")
        }
        let names = path.value.split(separator: "/")
        if names.contains(where: { $0.utf8.count > Self.maxNameBytes }) {
            throw refuse("a name in it is longer than \(Self.maxNameBytes) bytes")
        }
        if names[0].lowercased() == ".reverie" {
            throw refuse(".reverie holds Reverie's settings, not memory")
        }
        if names.contains(where: { $0.hasPrefix(".") }) {
            throw refuse("hidden files and folders (names starting with '.') are not memory")
        }
        self.init(path)
    }

    /// `raw` with percent-escapes undone, a few times over (`%252e` is `%2e` once decoded).
    private static func decoded(_ raw: String) -> String {
        var text = raw
        for _ in 0..<3 {
            guard let next = text.removingPercentEncoding, next != text else { break }
            text = next
        }
        return text
    }

    private static func hasPercentEscape(_ raw: String) -> Bool {
        let bytes = Array(raw.utf8)
        func isHex(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
        guard bytes.count >= 3 else { return false }
        for index in 0..<(bytes.count - 2) where bytes[index] == UInt8(ascii: "%") {
            if isHex(bytes[index + 1]) && isHex(bytes[index + 2]) { return true }
        }
        return false
    }
}
