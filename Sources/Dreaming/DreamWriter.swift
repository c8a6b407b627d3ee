import Foundation
import Git
import Memory

/// Writes a checked plan as the branch `dreams/<id>`: first the record of the sessions the
/// dream read, then one commit per change, all in the object database. The working tree
/// and the index are never touched (docs/architecture.md). The commits grow on a ref
/// under `refs/reverie/building/`, and the branch appears only once the last one is
/// written: a crash leaves no dream (and no record of sessions read), never half of one.
struct DreamWriter {
    let repository: Repository
    let consolidator: String
    /// Extra `Reverie-…` trailers for every commit (`DreamPlan.trailers`).
    var trailers: [String: String] = [:]

    /// The `Reverie-Change` of the ledger commit: it records what was read, it changes no memory.
    static let ledgerKind = "sessions"

    func write(id: String, base: ObjectID, ledger: String, sessions: Int, changes: [MemoryChange],
               redactions: [Int: Int], dropped: [DroppedChange] = [], usage: TokenUsage? = nil) throws(GitError) -> ObjectID {
        let building = Self.buildingPrefix + id
        var tip = try repository.commit(
            [.write(SessionLedger.path(forDream: id), ledger)], onReference: building, base: base,
            message: ledgerMessage(id: id, sessions: sessions, dropped: dropped, usage: usage))
        for (index, change) in changes.enumerated() {
            var treeChanges: [TreeChange] = change.writes.keys.sorted().map { .write($0, change.writes[$0]!) }
            treeChanges += change.deletes.sorted().map { .delete(path: $0) }
            tip = try repository.commit(treeChanges, onReference: building, base: tip,
                                        message: message(id: id, change: change, redacted: redactions[index] ?? 0))
        }
        try repository.setReference("refs/heads/dreams/\(id)", to: tip, message: "reverie dream \(id)")
        try repository.deleteReference(building)
        return tip
    }

    static let buildingPrefix = "refs/reverie/building/"

    /// Drops what a crashed dream left under construction: no branch ever pointed at it.
    /// Only a process holding the dream lock may pass `holdingDreamLock`: then no one else
    /// can be writing these refs, and a ref lock file left there is a dead dream's.
    static func removeUnfinished(in repository: Repository, holdingDreamLock: Bool = false) throws(GitError) {
        if holdingDreamLock {
            let folder = repository.gitDirectory + "/" + buildingPrefix
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".lock") {
                unlink(folder + name)
            }
            // A dream killed while publishing its branch leaves the lock of a branch that
            // never came to be; only the dream writer creates these.
            let branches = repository.gitDirectory + "/refs/heads/dreams/"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: branches)) ?? [] where name.hasSuffix(".lock") {
                let branch = "refs/heads/dreams/" + name.dropLast(".lock".count)
                if (try? repository.tip(ofReference: branch)) ?? nil == nil { unlink(branches + name) }
            }
        }
        for reference in try repository.references(under: buildingPrefix) {
            try repository.deleteReference(reference.name)
        }
    }

    /// The first commit's message: what was read, what was left out and why, what it cost.
    func ledgerMessage(id: String, sessions: Int, dropped: [DroppedChange], usage: TokenUsage?) -> String {
        var text = "Record the \(sessions) session\(sessions == 1 ? "" : "s") dream \(id) read\n\n"
            + "The next dream reads only what came after."
        if !dropped.isEmpty {
            text += "\n\n" + Self.droppedHeading + "\n"
                + dropped.map { "- \(Self.oneLine($0.summary)): \(Self.oneLine($0.reason))" }.joined(separator: "\n")
        }
        text += "\n\nReverie-Dream: \(id)\nReverie-Change: \(Self.ledgerKind)\nReverie-Consolidator: \(consolidator)"
        if let usage { text += "\nReverie-Tokens: \(usage.trailer)" }
        text += extraTrailers
        return SecretScanner.redact(text).text
    }

    /// The plan's own trailers, one line each; a key that is not `Reverie-` and a word is left out.
    var extraTrailers: String {
        trailers.keys.sorted().filter { $0.wholeMatch(of: /Reverie-[A-Za-z-]{1,40}/) != nil }
            .map { "\n\($0): \(Self.oneLine(trailers[$0]!))" }.joined()
    }

    static let droppedHeading = "Left out of this dream:"

    /// The dropped changes a ledger commit's message lists.
    static func dropped(inMessage message: String) -> [DroppedChange] {
        guard let start = message.range(of: droppedHeading + "\n") else { return [] }
        return message[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("- ") }.map { line in
            let text = line.dropFirst(2)
            guard let colon = text.range(of: ": ") else { return DroppedChange(summary: String(text), reason: "") }
            return DroppedChange(summary: String(text[..<colon.lowerBound]), reason: String(text[colon.upperBound...]))
        }
    }

    func message(id: String, change: MemoryChange, redacted: Int) -> String {
        var text = Self.oneLine(change.summary) + "\n\n" + Self.body(change.rationale.trimmingCharacters(in: .whitespacesAndNewlines))
        if !change.evidence.isEmpty {
            text += "\n\nEvidence:\n" + change.evidence.map { "- \(Self.oneLine($0.session)): \"\(Self.oneLine($0.quote))\"" }
                .joined(separator: "\n")
        }
        var sessions: [String] = []
        // A session id is whatever a transcript says: on one line, it cannot end the trailers.
        for evidence in change.evidence where !sessions.contains(Self.oneLine(evidence.session)) {
            sessions.append(Self.oneLine(evidence.session))
        }
        text += "\n\nReverie-Dream: \(id)\nReverie-Change: \(change.kind.rawValue)\n"
        if !sessions.isEmpty { text += "Reverie-Evidence: \(sessions.joined(separator: ", "))\n" }
        if redacted > 0 { text += "Reverie-Redacted: \(redacted)\n" }
        text += "Reverie-Consolidator: \(consolidator)" + extraTrailers
        // The engine redacted the plan's texts; this holds for any caller.
        return SecretScanner.redact(text).text
    }

    /// Free text for a message body: git's trailer parser takes a line starting with `---`
    /// for the start of a patch and stops there, so such a line (a Markdown rule) is indented.
    static func body(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("---") ? " " + $0 : String($0) }.joined(separator: "\n")
    }

    /// Text on one line, for subjects, quotes and trailers.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
