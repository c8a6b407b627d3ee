import Foundation
import Sessions

/// Tool errors that recur across sessions, grouped by signature, with the fix the
/// transcripts show when they show one.
struct MistakeFinder {
    struct Mistake {
        let signature: String
        let what: String
        let example: String
        let occurrences: Int
        let sessions: [String]
        let last: Date?
        let fix: String?
        let quotes: [(session: String, quote: String)]
    }

    let minimumSessions: Int

    func find(in sessions: [Session]) -> [Mistake] {
        find(calls: sessions.map(ToolCall.calls))
    }

    /// The same, from each session's calls (computed once for every finder).
    func find(calls sessions: [[ToolCall]]) -> [Mistake] {
        struct Occurrence { let call: ToolCall; let fix: String? }
        var groups: [String: [Occurrence]] = [:]
        for calls in sessions {
            for call in calls where call.failed {
                let subject = ToolCall.shellTools.contains(call.tool) ? "\(call.tool) `\(ToolCall.head(of: call.input))`" : call.tool
                let signature = "\(subject): \(Signature.normalize(call.errorLine))"
                groups[signature, default: []].append(Occurrence(call: call, fix: fix(after: call, in: calls)))
            }
        }
        return groups.compactMap { signature, occurrences -> Mistake? in
            let sessions = Set(occurrences.map(\.call.session)).sorted()
            guard sessions.count >= minimumSessions else { return nil }
            let fixes = Dictionary(grouping: occurrences.compactMap(\.fix), by: { $0 }).mapValues(\.count)
            let fix = fixes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first?.key
            let first = occurrences[0].call
            let subject = String(signature.prefix { $0 != ":" })
            var quotes: [(String, String)] = []
            for session in sessions {
                if let call = occurrences.first(where: { $0.call.session == session })?.call { quotes.append((session, call.errorLine)) }
            }
            return Mistake(signature: signature, what: subject, example: first.errorLine, occurrences: occurrences.count,
                           sessions: sessions, last: occurrences.compactMap(\.call.time).max(), fix: fix, quotes: quotes)
        }.sorted { ($0.sessions.count, $1.signature) > ($1.sessions.count, $0.signature) }
    }

    /// What worked instead. For a shell command: the next command that runs the same
    /// program without the same error (`pytest` → `python -m pytest`). For other tools: the
    /// next successful call of the tool, with what had to come first (Read before Edit).
    func fix(after failure: ToolCall, in calls: [ToolCall]) -> String? {
        let later = calls.dropFirst(failure.index + 1)
        if ToolCall.shellTools.contains(failure.tool) {
            let program = failure.input.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
            guard !program.isEmpty, let next = later.first(where: { call in
                ToolCall.shellTools.contains(call.tool) && call.input != failure.input && call.input.contains(program)
                    && (!call.failed || Signature.normalize(call.errorLine) != Signature.normalize(failure.errorLine))
            }) else { return nil }
            let head = ToolCall.head(of: next.input), failedHead = ToolCall.head(of: failure.input)
            let shown = head != failedHead ? head : String(next.input.split(whereSeparator: \.isNewline).first?.prefix(120) ?? "")
            return "`\(shown)`"
        }
        guard let success = later.first(where: { $0.tool == failure.tool && !$0.failed }) else { return nil }
        let between = calls[(failure.index + 1)..<success.index].map(\.tool).filter { $0 != failure.tool }
        if let first = between.first { return "call \(first) before \(failure.tool)" }
        return nil
    }
}
