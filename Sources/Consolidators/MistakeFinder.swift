import Foundation
import Sessions

/// Tool errors that recur across sessions, grouped by the line that names their cause,
/// with the fix the transcripts show when a retry that did the same job succeeded.
///
/// A failure is what the transcript says failed; probes that answer "no" (a `grep` with
/// no match, an `ls` of a missing folder, a call the agent said would fail) and test runs
/// that report failing tests (the red of a red-green loop) are ordinary work, not mistakes.
struct MistakeFinder {
    struct Mistake {
        /// The cause's line with what differs between occurrences masked.
        let signature: String
        /// What failed: the commands (`` `pytest` ``) or tools (`Edit`, `Write`).
        let what: String
        /// The cause's line as one session wrote it.
        let example: String
        let occurrences: Int
        let sessions: [String]
        let first: Date?
        let last: Date?
        /// What worked instead, whole, when the sessions show it.
        let fix: String?
        let quotes: [(session: String, quote: String)]
    }

    let minimumSessions: Int

    func find(in sessions: [Session]) -> [Mistake] {
        find(calls: sessions.map(ToolCall.calls))
    }

    /// The same, from each session's calls (computed once for every finder).
    func find(calls sessions: [[ToolCall]]) -> [Mistake] {
        struct Occurrence {
            let call: ToolCall
            let line: String
            let fix: String?
        }
        var groups: [String: [Occurrence]] = [:]
        for calls in sessions {
            for call in calls where Self.isMistake(call) {
                let line = call.errorLine
                groups[Signature.normalize(line), default: []].append(
                    Occurrence(call: call, line: line, fix: fix(after: call, in: calls)))
            }
        }
        return groups.compactMap { signature, occurrences -> Mistake? in
            let sessions = Set(occurrences.map(\.call.session)).sorted()
            guard sessions.count >= minimumSessions else { return nil }
            // The fix most retries show, as one of them wrote it.
            var fixes: [String: [String]] = [:]
            for fix in occurrences.compactMap(\.fix) { fixes[Signature.normalize(fix), default: []].append(fix) }
            let fix = fixes.values.sorted { ($0.count, $1[0]) > ($1.count, $0[0]) }.first?.first
            let subjects = Set(
                occurrences.map { $0.call.isShell ? "`\(ToolCall.head(of: $0.call.input))`" : $0.call.tool }
            ).sorted()
            var quotes: [(String, String)] = []
            for session in sessions {
                if let occurrence = occurrences.first(where: { $0.call.session == session }) {
                    quotes.append((session, occurrence.line))
                }
            }
            let times = occurrences.compactMap(\.call.time)
            return Mistake(
                signature: signature, what: subjects.prefix(3).joined(separator: ", "), example: occurrences[0].line,
                occurrences: occurrences.count, sessions: sessions, first: times.min(), last: times.max(),
                fix: fix, quotes: quotes)
        }.sorted { ($0.sessions.count, $1.signature) > ($1.sessions.count, $0.signature) }
    }

    static func isMistake(_ call: ToolCall) -> Bool {
        call.failed && !call.isProbe && !call.reportsFailingTests
    }

    /// What worked instead: the next successful call in the same turn of the person's that
    /// did the same job. For a shell command, one that holds every word of the failed one
    /// but its flags (`pytest tests` → `python -m pytest tests`), written whole. For another
    /// tool, the same tool on the same target, with the call on that target that had to
    /// come first (Read before Edit). Nothing else is a fix.
    func fix(after failure: ToolCall, in calls: [ToolCall]) -> String? {
        if failure.isShell {
            guard let retry = Self.retry(of: failure, in: calls) else { return nil }
            let command = retry.input.split(whereSeparator: \.isNewline).first.map(String.init) ?? retry.input
            return command.count > 160 ? nil : "`\(command.replacingOccurrences(of: "`", with: "'"))`"
        }
        let later = calls.dropFirst(failure.index + 1).prefix { $0.turn == failure.turn }.prefix(12)
        guard let target = failure.target,
            let retry = later.first(where: { $0.tool == failure.tool && $0.target == target && !$0.failed })
        else { return nil }
        let before = calls[(failure.index + 1)..<retry.index].first {
            $0.tool != failure.tool && $0.target == target && !$0.failed
        }
        return before.map { "call \($0.tool) on the same file first" }
    }

    /// The shell command after a failed one, in the same turn, that succeeded at the same
    /// job: it holds every word of the failed command but its flags, and is not the same command.
    static func retry(of failure: ToolCall, in calls: [ToolCall]) -> ToolCall? {
        let job = jobWords(failure.input)
        guard failure.isShell, !job.isEmpty else { return nil }
        return calls.dropFirst(failure.index + 1).prefix { $0.turn == failure.turn }.prefix(12).first { call in
            call.isShell && !call.failed && call.input != failure.input && job.isSubset(of: Set(words(call.input)))
                && !call.isProbe
        }
    }

    static func words(_ command: String) -> [String] {
        // A command's job is in its first line; a heredoc after it is data.
        let command = command.prefix { $0 != "\n" }.prefix(400)
        return command.split { $0.isWhitespace || $0 == ";" || $0 == "&" || $0 == "|" }.map(String.init)
    }

    /// A command's words but its flags and what only sets up the shell (`cd x &&`).
    static func jobWords(_ command: String) -> Set<String> {
        var words = words(command)
        if words.count > 2, words[0] == "cd" { words.removeFirst(2) }
        return Set(words.filter { !$0.hasPrefix("-") })
    }
}
