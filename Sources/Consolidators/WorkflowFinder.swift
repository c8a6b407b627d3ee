import Sessions

/// Sequences of tool calls many sessions share: the workflows agents converge on.
///
/// Failed calls are mistakes, not steps, and are left out. Steps most sessions take again
/// and again (a `grep`, a `Read`) are background: a workflow may pass through them but
/// does not start or end with one, or every workflow would grow a `grep` at each end.
struct WorkflowFinder {
    struct Workflow {
        let steps: [String]
        let sessions: [String]
    }

    let minimumSessions: Int
    let shortest = 3, longest = 6

    func find(in sessions: [Session]) -> [Workflow] {
        find(calls: sessions.map(ToolCall.calls))
    }

    /// The same, from each session's calls (computed once for every finder).
    func find(calls sessions: [[ToolCall]]) -> [Workflow] {
        var sequences: [(id: String, labels: [String])] = []
        var sessionsWith: [String: Int] = [:]
        var uses: [String: Int] = [:]
        for calls in sessions {
            guard let id = calls.first?.session else { continue }
            var labels: [String] = []
            for call in calls where !call.failed {
                uses[call.label, default: 0] += 1
                if labels.last != call.label { labels.append(call.label) }
            }
            sequences.append((id, labels))
            for label in Set(labels) { sessionsWith[label, default: 0] += 1 }
        }
        // In most sessions, and used twice or more in each on average.
        let background = Set(sessionsWith.filter { label, count in
            sessions.count >= 4 && count * 2 >= sessions.count && uses[label]! >= 2 * count
        }.keys)
        var support: [[String]: Set<String>] = [:]
        for (id, labels) in sequences where labels.count >= 2 {
            var seen = Set<[String]>()
            for length in 2...min(longest, labels.count) {
                for start in 0...(labels.count - length) {
                    let steps = Array(labels[start..<start + length])
                    if seen.insert(steps).inserted { support[steps, default: []].insert(id) }
                }
            }
        }
        // A workflow's steps belong together: most sessions that take its first steps take
        // the last one too, and the other way round. A step that only happens to precede
        // a workflow now and then (the fix of some mistake) is not part of it.
        let candidates = support.filter { steps, sessions in
            guard steps.count >= shortest, sessions.count >= minimumSessions, Set(steps).count >= shortest,
                  !background.contains(steps.first!), !background.contains(steps.last!) else { return false }
            let parts = max(support[Array(steps.dropFirst())]?.count ?? 0, support[Array(steps.dropLast())]?.count ?? 0)
            return Double(sessions.count) >= Self.cohesion * Double(parts)
        }
        // Only maximal sequences: one inside a longer workflow says nothing more.
        let maximal = candidates.filter { steps, _ in
            !candidates.keys.contains { other in other.count > steps.count && Self.contains(other, steps) }
        }
        return maximal.map { Workflow(steps: $0.key, sessions: $0.value.sorted()) }
            .sorted { ($0.sessions.count, $0.steps.count, $1.steps.joined()) > ($1.sessions.count, $1.steps.count, $0.steps.joined()) }
    }

    /// The share of sessions taking a sequence's shorter part that take all of it.
    static let cohesion = 0.6

    static func contains(_ sequence: [String], _ part: [String]) -> Bool {
        guard part.count <= sequence.count else { return false }
        return (0...(sequence.count - part.count)).contains { Array(sequence[$0..<$0 + part.count]) == part }
    }
}
