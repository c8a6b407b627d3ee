import Dreaming

/// What one change of a plan does to memory, replayed in order from the memory the plan
/// started from. A change writes whole files, and the built-in consolidator's files hold
/// every earlier entry too: only the lines a change adds or takes out are its own.
struct ChangeEffect {
    let change: MemoryChange
    /// Lines it adds, in every file it writes (archive files included), with the file.
    let added: [(path: String, line: String)]
    /// Lines it takes out, with the file they were in.
    let removed: [(path: String, line: String)]
    /// Memory once it is applied.
    let after: [String: String]

    static func replay(_ plan: DreamPlan, on memory: [String: String]) -> [ChangeEffect] {
        var texts = memory
        return plan.changes.map { change in
            var added: [(path: String, line: String)] = [], removed: [(path: String, line: String)] = []
            for path in change.paths {
                let before = lines(texts[path]), now = lines(change.writes[path])
                added += difference(now, before).map { (path, $0) }
                removed += difference(before, now).map { (path, $0) }
                texts[path] = change.writes[path]
            }
            return ChangeEffect(change: change, added: added, removed: removed, after: texts)
        }
    }

    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(separator: "\n").map(String.init)
    }

    /// The lines of `a` that `b` does not hold, counted: a line written twice where it was once is added once.
    static func difference(_ a: [String], _ b: [String]) -> [String] {
        var left: [String: Int] = [:]
        for line in b { left[line, default: 0] += 1 }
        return a.filter { line in
            guard let count = left[line], count > 0 else { return true }
            left[line] = count - 1
            return false
        }
    }
}
