import Sessions

/// Sequences of shell commands many sessions run in the same order, for a purpose, with a
/// check among them: the workflows agents converge on (`git diff`, `python -m pytest`, then
/// `git commit`).
///
/// A step is a command that did its job: failed calls are mistakes, not steps, and a retry
/// is one step with the call it repeats. Reading around (`ls`, `cat`, `grep`) and other
/// tools (`Read`, `TodoWrite`) are how an agent looks, not what a workflow does. A
/// sequence without a check (a test, lint, build, push or verification) is not worth
/// memory, nor is one that merely happens to precede another.
struct WorkflowFinder {
    struct Workflow {
        /// Each step's command head: "git diff", "python -m pytest".
        let steps: [String]
        let sessions: [String]
        /// What it is for, in words: "Before a commit".
        let purpose: String
        /// A command of the workflow as each session ran it, for evidence.
        let quotes: [(session: String, quote: String)]
    }

    let minimumSessions: Int
    let shortest = 3, longest = 6

    func find(in sessions: [Session]) -> [Workflow] {
        find(calls: sessions.map(ToolCall.calls))
    }

    /// The same, from each session's calls (computed once for every finder).
    func find(calls sessions: [[ToolCall]]) -> [Workflow] {
        var sequences: [(id: String, steps: [String])] = []
        var commands: [String: [String: String]] = [:]  // session → step → its command
        for calls in sessions {
            guard let id = calls.first?.session else { continue }
            var steps: [String] = []
            let retries = Set(calls.filter(\.failed).compactMap { MistakeFinder.retry(of: $0, in: calls)?.index })
            for call in calls
            where call.isShell && !call.failed && !retries.contains(call.index) && !Self.isLooking(call.input) {
                let step = ToolCall.head(of: call.input)
                if commands[id, default: [:]][step] == nil { commands[id, default: [:]][step] = call.input }
                if steps.last != step { steps.append(step) }
            }
            sequences.append((id, steps))
        }
        var support: [[String]: Set<String>] = [:]
        for (id, steps) in sequences where steps.count >= 2 {
            var seen = Set<[String]>()
            for length in 2...min(longest, steps.count) {
                for start in 0...(steps.count - length) {
                    let part = Array(steps[start..<start + length])
                    if seen.insert(part).inserted { support[part, default: []].insert(id) }
                }
            }
        }
        // Each step's kind, judged once.
        let checks = Set(Set(sequences.flatMap(\.steps)).filter(Self.isCheck))
        let goals = Set(Set(sequences.flatMap(\.steps)).filter(Self.isGoal))
        // A workflow's steps belong together: most sessions that take its first steps take
        // the last one too, and the other way round.
        let candidates = support.filter { steps, sessions in
            guard steps.count >= shortest, sessions.count >= minimumSessions, Set(steps).count == steps.count,
                checks.contains(steps.last!) || goals.contains(steps.last!)
            else { return false }
            // It ends where its purpose is reached: no step follows it in most of its sessions.
            var next: [String: Int] = [:]
            for (id, taken) in sequences where sessions.contains(id) {
                for start in 0..<max(0, taken.count - steps.count)
                where Array(taken[start..<start + steps.count]) == steps {
                    next[taken[start + steps.count], default: 0] += 1
                    break
                }
            }
            if let most = next.values.max(), Double(most) >= Self.cohesion * Double(sessions.count) { return false }
            // No part of it with a check is much more common than all of it: steps that merely
            // happen to come before (a habit, the fix of a mistake) are not part of it.
            for length in 2..<steps.count {
                for start in 0...(steps.count - length)
                where steps[start..<start + length].contains(where: checks.contains) {
                    if Double(sessions.count) < Self.cohesion
                        * Double(support[Array(steps[start..<start + length])]?.count ?? 0)
                    {
                        return false
                    }
                }
            }
            let parts = max(support[Array(steps.dropFirst())]?.count ?? 0, support[Array(steps.dropLast())]?.count ?? 0)
            return Double(sessions.count) >= Self.cohesion * Double(parts)
        }
        // Only maximal sequences: one inside a longer workflow says nothing more.
        let maximal = candidates.filter { steps, _ in
            !candidates.keys.contains { other in other.count > steps.count && Self.contains(other, steps) }
        }
        return maximal.map { steps, ids in
            let sorted = ids.sorted()
            let check = steps.last(where: checks.contains) ?? steps.last!
            return Workflow(
                steps: steps, sessions: sorted, purpose: Self.purpose(of: steps),
                quotes: sorted.map { ($0, commands[$0]?[check] ?? check) })
        }
        .sorted {
            ($0.sessions.count, $0.steps.count, $1.steps.joined()) > (
                $1.sessions.count, $1.steps.count, $0.steps.joined()
            )
        }
    }

    /// The share of sessions taking a sequence's shorter part that take all of it.
    static let cohesion = 0.6

    /// Commands that look at things without changing or checking anything.
    static func isLooking(_ command: String) -> Bool {
        let first = command.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        return [
            "ls", "cat", "grep", "rg", "find", "echo", "cd", "pwd", "head", "tail", "wc", "which", "tree", "sed", "awk",
            "less", "more", "file", "stat", "env", "printenv", "date", "whoami", "sleep", "true", "clear", "lsd", "fd",
        ]
        .contains(first)
    }

    /// A step that tells whether the work is right: a test, lint, build, type check,
    /// push or a verification.
    static func isCheck(_ step: String) -> Bool {
        ToolCall.isTest(step)
            || step.firstMatch(
                of:
                    /\b(?:lint|eslint|ruff|flake8|pylint|mypy|pyright|clippy|swiftlint|golangci-lint|rubocop|tsc|typecheck|check|vet|fmt|format|build|compile|make|xcodebuild|validate|verify|plan|push|curl|pr checks)\b/
            ) != nil
    }

    /// A step that reaches a goal: a commit, a push, a pull request, a release.
    static func isGoal(_ step: String) -> Bool {
        step.hasPrefix("git commit") || step.hasPrefix("git push") || step.hasPrefix("gh pr")
            || step.firstMatch(of: /\b(?:deploy|apply|release|publish)\b/) != nil
    }

    /// What the workflow is for, from where it ends.
    static func purpose(of steps: [String]) -> String {
        let last = steps.last!
        if last.hasPrefix("git commit") { return "Before a commit" }
        if last.hasPrefix("git push") { return "Before pushing" }
        if last.hasPrefix("gh pr") { return "Before opening a pull request" }
        if last.firstMatch(of: /\b(?:deploy|apply|release|publish)\b/) != nil { return "To release" }
        if ToolCall.isTest(last) { return "To test a change" }
        if last.firstMatch(of: /\b(?:build|compile|make|xcodebuild)\b/) != nil { return "To build" }
        if last.firstMatch(
            of: /\b(?:lint|eslint|ruff|flake8|pylint|clippy|swiftlint|fmt|format|check|vet|validate|plan)\b/) != nil
        {
            return "To check a change"
        }
        return "To run `\(last)`"
    }

    static func contains(_ sequence: [String], _ part: [String]) -> Bool {
        guard part.count <= sequence.count else { return false }
        return (0...(sequence.count - part.count)).contains { Array(sequence[$0..<$0 + part.count]) == part }
    }
}
