import CLibGit2
import Foundation

extension CommitInfo {
    /// A commit read from its raw object (`tree …`, `parent …`, `author …`, `committer …`,
    /// other headers, a blank line, the message).
    ///
    /// Logs read commits this way rather than through `git_commit_lookup`: libgit2 caches
    /// a parsed commit in the slot of its raw object, so every later history walk (merge
    /// bases, ancestry) would read it from disk again.
    init(id: ObjectID, raw: UnsafeRawBufferPointer) throws(GitError) {
        let bytes = raw.bindMemory(to: UInt8.self)
        var parents: [ObjectID] = []
        var author: Signature?, committer: Signature?
        var start = 0
        while start < bytes.count, bytes[start] != UInt8(ascii: "\n") {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = bytes[start..<end]
            start = end + 1
            // tree, encoding, gpgsig (and its continuation lines) are not needed here.
            if let value = Self.value(of: "parent ", in: line) {
                guard let parent = ObjectID(hex: value) else { throw Self.malformed(id, "a bad parent") }
                parents.append(parent)
            } else if let value = Self.value(of: "author ", in: line) {
                author = try Signature(header: value, in: id)
            } else if let value = Self.value(of: "committer ", in: line) {
                committer = try Signature(header: value, in: id)
            }
        }
        guard let author, let committer else { throw Self.malformed(id, "no author or committer") }
        var message = start < bytes.count ? String(decoding: bytes[(start + 1)...], as: UTF8.self) : ""
        // As git_commit_message: the blank lines that may open a message are not part of it.
        while message.hasPrefix("\n") { message.removeFirst() }
        self.init(
            id: id, parents: parents, author: author, committer: committer,
            summary: Self.summary(of: message), message: message,
            trailers: Repository.trailers(of: message))
    }

    /// The first paragraph on one line, as `git_commit_summary` makes it: a run of
    /// whitespace holding a line break becomes one space, trailing whitespace goes.
    static func summary(of message: String) -> String {
        var summary = String.UnicodeScalarView()
        var space: [Unicode.Scalar] = []
        let scalars = Array(message.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" && (index + 1 == scalars.count || scalars[index + 1] == "\n") { break }  // paragraph ends
            if scalar.properties.isWhitespace {
                space.append(scalar)
                continue
            }
            if !space.isEmpty {
                if space.contains("\n") { summary.append(" ") } else { summary.append(contentsOf: space) }
                space = []
            }
            summary.append(scalar)
        }
        return String(summary)
    }

    /// The rest of a header line that starts with `key` (with its space), if it does.
    private static func value(of key: StaticString, in line: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        let prefix = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        guard line.count >= prefix.count, line.prefix(prefix.count).elementsEqual(prefix) else { return nil }
        return String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
    }

    private static func malformed(_ id: ObjectID, _ what: String) -> GitError {
        .malformedCommit(commit: id.short, problem: "it has \(what)")
    }
}

extension Signature {
    /// A signature from a commit header's value: `Name <email> 1700000000 +0100`.
    fileprivate init(header: String, in commit: ObjectID) throws(GitError) {
        var out: UnsafeMutablePointer<git_signature>?
        try LibGit2.check(git_signature_from_buffer(&out, header), "read the signature of commit \(commit.short)")
        defer { git_signature_free(out) }
        self.init(out!)
    }
}
