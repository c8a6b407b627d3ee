import Git
import Memory

/// What the commands that change main or a dream tell the team's remote, when one is set
/// (`[remote]`): the change is pushed at once; offline, a warning says the daemon or the
/// next `reverie sync` catches up, and the command itself has succeeded.
enum TeamPush {
    /// One round of sync after main changed here (an approval, a rollback, a dream merged).
    static func afterChange(_ memory: MemoryRepo, json: Bool = false) {
        guard let sync = try? TeamSync(memory: memory) else { return }
        let report = sync.round(in: memory.repository)
        if let error = report.error {
            Output.warn("warning: not synced with \(sync.settings.name): \(error)")
        } else if !report.pushed.isEmpty {
            say(json, "Pushed \(report.pushed.joined(separator: ", ")) to \(sync.settings.name).")
        }
    }

    /// Brings the team's memory in before a dream, with `sync = "auto"`: a dream sees what
    /// the team has.
    static func beforeDream(_ memory: MemoryRepo) {
        guard let sync = try? TeamSync(memory: memory), sync.settings.sync == .auto else { return }
        let report = sync.round(in: memory.repository)
        if let error = report.error { Output.warn("warning: dreaming without the team's latest memory: \(error)") }
    }

    /// Pushes a dream's branch for review as a pull request (`push_dreams`).
    static func publish(dream id: String, in memory: MemoryRepo, json: Bool = false) {
        guard let sync = try? TeamSync(memory: memory) else { return }
        do {
            guard let pushed = try sync.publish(dream: id, in: memory.repository) else { return }
            say(
                json,
                "Pushed \(pushed.branch) to \(sync.settings.name)"
                    + (pushed.compareURL.map { "; open a pull request: \($0)" } ?? "."))
        } catch {
            Output.warn("warning: dreams/\(id) not pushed yet (`reverie sync` pushes it): \(error)")
        }
    }

    /// A line for the person: on standard output, or beside JSON on standard error.
    private static func say(_ json: Bool, _ text: String) {
        if json { Output.warn(text) } else { Output.write(text) }
    }

    /// Deletes a rejected dream's branch on the remote (it stays here under refs/reverie/rejected/).
    static func dropDream(_ id: String, in memory: MemoryRepo) {
        guard let sync = try? TeamSync(memory: memory) else { return }
        do {
            try sync.deleteRemote(branch: DreamRef.shortBranch(id), in: memory.repository)
        } catch {
            Output.warn("warning: dreams/\(id) is still on \(sync.settings.name): \(error)")
        }
    }
}
