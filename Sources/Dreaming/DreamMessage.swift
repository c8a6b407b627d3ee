import Git
import Memory

/// The commit messages of dreams and of what people do with them, written and read in one
/// place: a subject a person scans in `git log --oneline`, a body saying why, and
/// `Reverie-*` trailers (`ReverieTrailer`) that Reverie reads back. Every message passes
/// the secret scanner, whoever built its parts.
enum DreamMessage {
    /// The `Reverie-Change` of a dream's first commit: it records what was read, it changes no memory.
    static let recordKind = "sessions"
    static let droppedHeading = "Left out of this dream:"

    /// A dream's first commit: what was read, what was left out and why, what it cost.
    static func record(
        dream id: String, sessions: Int, dropped: [DroppedChange], usage: TokenUsage?,
        consolidator: String, extra: [String: String]
    ) -> String {
        var text =
            "Record the \(sessions) session\(sessions == 1 ? "" : "s") dream \(id) read\n\n"
            + "The next dream reads only what came after."
        if !dropped.isEmpty {
            text +=
                "\n\n" + droppedHeading + "\n"
                + dropped.map { "- \(oneLine($0.summary)): \(oneLine($0.reason))" }.joined(separator: "\n")
        }
        var trailers = [
            ReverieTrailer.dream.line(id), ReverieTrailer.change.line(recordKind),
            ReverieTrailer.consolidator.line(consolidator),
        ]
        if let usage { trailers.append(ReverieTrailer.tokens.line(usage.trailer)) }
        return SecretScanner.redact(text + "\n\n" + (trailers + extraLines(extra)).joined(separator: "\n")).text
    }

    /// One change of a dream: its summary, rationale and evidence, then its trailers.
    static func change(
        _ change: MemoryChange, dream id: String, redacted: Int, consolidator: String,
        extra: [String: String]
    ) -> String {
        var text =
            oneLine(change.summary) + "\n\n" + body(change.rationale.trimmingCharacters(in: .whitespacesAndNewlines))
        if !change.evidence.isEmpty {
            text +=
                "\n\nEvidence:\n"
                + change.evidence.map { "- \(oneLine($0.session)): \"\(oneLine($0.quote))\"" }
                .joined(separator: "\n")
        }
        var sessions: [String] = []
        // A session id is whatever a transcript says: on one line, it cannot end the trailers.
        for evidence in change.evidence where !sessions.contains(oneLine(evidence.session)) {
            sessions.append(oneLine(evidence.session))
        }
        var trailers = [ReverieTrailer.dream.line(id), ReverieTrailer.change.line(change.kind.rawValue)]
        if !sessions.isEmpty { trailers.append(ReverieTrailer.evidence.line(sessions.joined(separator: ", "))) }
        if redacted > 0 { trailers.append(ReverieTrailer.redacted.line(String(redacted))) }
        trailers.append(ReverieTrailer.consolidator.line(consolidator))
        // The engine redacted the plan's texts; this holds for any caller.
        return SecretScanner.redact(text + "\n\n" + (trailers + extraLines(extra)).joined(separator: "\n")).text
    }

    /// The merge of a whole dream into main.
    static func merge(dream id: String, summaries: [String]) -> String {
        """
        Dream \(id): \(summaries.count) change\(summaries.count == 1 ? "" : "s")

        \(summaries.map { "- \($0)" }.joined(separator: "\n"))

        \(ReverieTrailer.dream.line(id))
        \(ReverieTrailer.merge.line("all"))
        """
    }

    /// The chosen changes of a dream, cherry-picked onto main in one commit.
    static func merge(dream id: String, chosen: [Int], of summaries: [String]) -> String {
        let numbers = chosen.map(String.init).joined(separator: ", ")
        return """
            Dream \(id): changes \(numbers) of \(summaries.count)

            \(chosen.map { "- \(summaries[$0 - 1])" }.joined(separator: "\n"))

            \(ReverieTrailer.dream.line(id))
            \(ReverieTrailer.merge.line(numbers))
            """
    }

    /// The rollback of a merged dream; `undone` says which commits it reverts.
    static func rollback(dream id: String, undone: String) -> String {
        """
        Roll back dream \(id)

        Reverts \(undone), with a new commit: history keeps both.
        The record of the sessions it read stays, so they are not dreamt again.

        \(ReverieTrailer.rollback.line(id))
        """
    }

    /// The rollback of a Claude Code consolidation.
    static func rollback(consolidation commit: CommitInfo) -> String {
        """
        Roll back Claude Code's consolidation \(commit.id.short)

        Reverts \(commit.id.short) (\(commit.summary)) with a new commit: history keeps both,
        and edits made since stay.

        \(ReverieTrailer.rollbackOf.line(commit.id.hex))
        """
    }

    /// `rollback --to`: memory as of `target`, which named `commit`.
    static func restore(_ target: String, commit: ObjectID) -> String {
        """
        Restore memory as of \(target) (\(commit.short))

        The files are as they were then; the history since stays.

        \(ReverieTrailer.restore.line(commit.hex))
        """
    }

    // MARK: - Reading back

    /// A change's rationale: its message without the subject and the trailers.
    static func rationale(of commit: CommitInfo) -> String {
        commit.message.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            .prefix { !$0.hasPrefix("Reverie-") }.joined(separator: "\n").trimmingCharacters(
                in: .whitespacesAndNewlines)
    }

    /// The dropped changes a dream's first commit lists.
    static func dropped(inRecord message: String) -> [DroppedChange] {
        guard let start = message.range(of: droppedHeading + "\n") else { return [] }
        return message[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("- ") }.map { line in
            let text = line.dropFirst(2)
            guard let colon = text.range(of: ": ") else { return DroppedChange(summary: String(text), reason: "") }
            return DroppedChange(summary: String(text[..<colon.lowerBound]), reason: String(text[colon.upperBound...]))
        }
    }

    // MARK: - Text

    /// A plan's own trailers, one line each; a key that is not `Reverie-` and a word is left out.
    static func extraLines(_ trailers: [String: String]) -> [String] {
        trailers.keys.sorted().filter { $0.wholeMatch(of: /Reverie-[A-Za-z-]{1,40}/) != nil }
            .map { "\($0): \(oneLine(trailers[$0]!))" }
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
