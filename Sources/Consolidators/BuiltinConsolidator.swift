import Dreaming
import Foundation
import Memory
import Sessions

/// The default consolidator: offline, deterministic, explainable. It finds recurring
/// mistakes, converging workflows and team preferences in the sessions, writes each as
/// an entry that cites its sessions, and keeps `MEMORY.md` as the index. The same input
/// always gives the same plan, byte for byte.
public struct BuiltinConsolidator: Consolidator {
    public let name = "builtin/1"
    /// A pattern counts when this many sessions show it.
    public let minimumSessions: Int
    /// Entries Reverie wrote that no session reinforced for this many days go to archive/.
    public let archiveAfterDays: Int
    /// How memory is laid out (`[memory] layout`): Claude Code's auto memory gets its files'
    /// front matter and its own index kept.
    public let layout: MemoryLayout

    public init(minimumSessions: Int = 2, archiveAfterDays: Int = 90, layout: MemoryLayout = .plain) {
        self.minimumSessions = minimumSessions
        self.archiveAfterDays = archiveAfterDays
        self.layout = layout
    }

    /// The consolidator as `[dream]` and `[memory] layout` in `.reverie/config.toml` set it up.
    public init(settings: ReverieConfig.Dream, layout: MemoryLayout = .plain) {
        self.init(minimumSessions: settings.patternMinSessions, archiveAfterDays: settings.archiveAfterDays, layout: layout)
    }

    /// Claude Code's memory type for a file of this kind, in its layout only.
    func claudeCodeType(_ type: String) -> String? { layout == .claudeCode ? type : nil }

    static let mistakesPath = "mistakes.md", workflowsPath = "workflows.md", preferencesPath = "preferences.md"
    static let indexPath = "MEMORY.md"

    public func plan(_ input: DreamInput) async throws -> DreamPlan {
        var texts = input.memory.texts
        var changes: [MemoryChange] = []
        // The sessions of the patterns only: later dreams see only new events, so counts add up.
        let sessions = input.sessions.sorted { $0.id < $1.id }
        let calls = sessions.map(ToolCall.calls)

        var mistakes = EntryFile(path: Self.mistakesPath, existing: texts[Self.mistakesPath], title: "Recurring mistakes",
                                 description: "Tool errors agents hit again and again, and what fixed them", type: claudeCodeType("feedback"))
        for mistake in MistakeFinder(minimumSessions: minimumSessions).find(calls: calls) {
            let marker = EntryFile.marker("mistake", Signature.hash(mistake.signature))
            let old = mistakes.line(with: marker)
            let before = EntryFile.counts(in: old)
            let times = before.times + mistake.occurrences, count = before.sessions + mistake.sessions.count
            let fix = mistake.fix.map { " Fix: \($0)." } ?? ""
            let line = "- \(mistake.what) fails: `\(mistake.example.replacingOccurrences(of: "`", with: "'"))`.\(fix) "
                + "(\(EntryFile.plural(times, "time")) in \(EntryFile.plural(count, "session")), last \(EntryFile.day(mistake.last))) \(marker)"
            guard line != old else { continue }
            mistakes.upsert(line, marker: marker)
            texts[mistakes.path] = mistakes.text
            changes.append(MemoryChange(
                kind: old == nil ? .mistake : .update, writes: [mistakes.path: mistakes.text],
                summary: old == nil ? "Record a recurring mistake: \(mistake.what) fails" : "Reinforce a mistake: \(mistake.what) fails",
                rationale: "\(mistake.what) failed \(EntryFile.plural(mistake.occurrences, "time")) across "
                    + "\(EntryFile.plural(mistake.sessions.count, "session")) with the same error"
                    + (mistake.fix.map { "; the sessions show the fix: \($0)." } ?? "; no session shows a fix yet."),
                evidence: mistake.quotes.map { Evidence(session: $0.session, quote: $0.quote) }))
        }

        var workflows = EntryFile(path: Self.workflowsPath, existing: texts[Self.workflowsPath], title: "Workflows",
                                  description: "Sequences of steps agents converge on across sessions", type: claudeCodeType("project"))
        for workflow in WorkflowFinder(minimumSessions: minimumSessions).find(calls: calls) {
            let marker = EntryFile.marker("workflow", Signature.hash(workflow.steps.joined(separator: "\n")))
            let old = workflows.line(with: marker)
            let before = EntryFile.counts(in: old)
            let count = before.sessions + workflow.sessions.count
            let line = "- " + workflow.steps.map { "`\($0)`" }.joined(separator: " → ")
                + " (seen in \(EntryFile.plural(count, "session"))) \(marker)"
            guard line != old else { continue }
            workflows.upsert(line, marker: marker)
            texts[workflows.path] = workflows.text
            changes.append(MemoryChange(
                kind: old == nil ? .workflow : .update, writes: [workflows.path: workflows.text],
                summary: "\(old == nil ? "Record" : "Reinforce") a workflow: " + workflow.steps.joined(separator: " → ").prefix(80),
                rationale: "\(EntryFile.plural(workflow.sessions.count, "session")) ran these steps in this order; "
                    + "no longer sequence is shared as widely.",
                evidence: workflow.sessions.map { Evidence(session: $0, quote: workflow.steps.joined(separator: " → ")) }))
        }

        var preferences = EntryFile(path: Self.preferencesPath, existing: texts[Self.preferencesPath], title: "Team preferences",
                                    description: "What people asked agents to always or never do, stated in several sessions",
                                    type: claudeCodeType("feedback"))
        var archive = EntryFile(path: "archive/" + Self.preferencesPath, existing: texts["archive/" + Self.preferencesPath],
                                title: "Archived preferences", description: "Preferences replaced by later, contrary ones")
        for preference in PreferenceFinder(minimumSessions: minimumSessions).find(in: sessions) {
            let marker = EntryFile.marker("preference", Signature.hash(preference.tokens.sorted().joined(separator: " ")
                                                                        + (preference.negative ? " -" : " +")))
            let old = preferences.line(with: marker)
            let before = EntryFile.counts(in: old)
            let count = before.sessions + preference.sessions.count
            let line = "- \(preference.text) (seen in \(EntryFile.plural(count, "session")), "
                + "by \(preference.users.joined(separator: ", ")), last \(EntryFile.day(preference.last))) \(marker)"
            guard line != old else { continue }
            var writes: [String: String] = [:]
            var rationale = "Said by \(EntryFile.plural(preference.users.count, "person")) in "
                + "\(EntryFile.plural(preference.sessions.count, "session"))."
            for replaced in preference.replaces {
                rationale += " It replaces an earlier, contrary statement in these sessions: \"\(replaced)\"."
            }
            // An entry already in memory that says the opposite goes to the archive, with a note.
            for oldLine in preferences.text.split(separator: "\n").map(String.init)
            where oldLine.contains("<!-- reverie:preference:") && !oldLine.contains(marker) {
                let said = oldLine.dropFirst(2).components(separatedBy: " (seen in").first ?? ""
                let words = PreferenceFinder.words(said)
                let tokens = Set(words.filter { !PreferenceFinder.stopwords.contains($0) && !PreferenceFinder.negations.contains($0) })
                let negative = words.contains { PreferenceFinder.negations.contains($0) }
                guard negative != preference.negative, PreferenceFinder.jaccard(tokens, preference.tokens) >= 0.5 else { continue }
                preferences.remove(lineWith: oldLine)
                archive.upsert(oldLine.replacingOccurrences(of: "<!-- reverie:", with: "<!-- archived reverie:")
                                + " — replaced \(EntryFile.day(preference.last)) by: \(preference.text)", marker: oldLine)
                writes[archive.path] = archive.text
                texts[archive.path] = archive.text
                rationale += " It replaces the contrary preference \"\(said)\", now in archive/preferences.md."
            }
            preferences.upsert(line, marker: marker)
            texts[preferences.path] = preferences.text
            writes[preferences.path] = preferences.text
            changes.append(MemoryChange(
                kind: old == nil ? .preference : .update, writes: writes,
                summary: "\(old == nil ? "Record" : "Reinforce") a team preference: \(preference.text.prefix(70))",
                rationale: rationale, evidence: preference.quotes.map { Evidence(session: $0.session, quote: $0.quote) }))
        }

        // Staleness is judged against the newest session, not the clock: the same input
        // gives the same dream whenever it runs.
        let now = sessions.compactMap { $0.ended ?? $0.started }.max()
        changes += Restructuring(archiveAfterDays: archiveAfterDays)
            .changes(texts: &texts, humanEdits: Set(input.humanEdits), now: now)

        if layout == .claudeCode {
            if let change = ClaudeCodeIndex.change(written: Set(changes.flatMap(\.paths)), texts: texts) { changes.append(change) }
        } else if let index = MemoryIndex.text(for: texts, existing: texts[Self.indexPath]), index != texts[Self.indexPath] {
            changes.append(MemoryChange(
                kind: .index, writes: [Self.indexPath: index], summary: "Update the memory index",
                rationale: "MEMORY.md lists every memory file with a one-line description, so an agent reads one file to know where to look."))
        }
        return DreamPlan(changes: changes)
    }
}
