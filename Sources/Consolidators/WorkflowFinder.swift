import Sessions

/// Sequences of tool calls many sessions share: the workflows agents converge on.
struct WorkflowFinder {
    struct Workflow {
        let steps: [String]
        let sessions: [String]
    }

    let minimumSessions: Int
    let longest = 6

    func find(in sessions: [Session]) -> [Workflow] {
        var support: [[String]: Set<String>] = [:]
        for session in sessions {
            var labels: [String] = []
            for call in ToolCall.calls(in: session) where labels.last != call.label { labels.append(call.label) }
            guard labels.count >= 2 else { continue }
            var seen = Set<[String]>()
            for length in 2...min(longest, labels.count) {
                for start in 0...(labels.count - length) {
                    let steps = Array(labels[start..<start + length])
                    if Set(steps).count > 1, seen.insert(steps).inserted { support[steps, default: []].insert(session.id) }
                }
            }
        }
        let frequent = support.filter { $0.value.count >= minimumSessions }
        // Only maximal sequences: one inside a longer frequent sequence says nothing more.
        let maximal = frequent.filter { steps, _ in
            !frequent.keys.contains { other in other.count > steps.count && Self.contains(other, steps) }
        }
        return maximal.map { Workflow(steps: $0.key, sessions: $0.value.sorted()) }
            .sorted { ($0.sessions.count, $0.steps.count, $1.steps.joined()) > ($1.sessions.count, $1.steps.count, $0.steps.joined()) }
    }

    static func contains(_ sequence: [String], _ part: [String]) -> Bool {
        guard part.count <= sequence.count else { return false }
        return (0...(sequence.count - part.count)).contains { Array(sequence[$0..<$0 + part.count]) == part }
    }
}
