import Dreaming
import Foundation
import Memory
import Sessions

/// The default consolidator: offline, deterministic, explainable. It finds recurring
/// mistakes, converging workflows and team preferences in the sessions, writes each as
/// an entry that cites its sessions, and keeps `MEMORY.md` as the index. The same input
/// always gives the same plan, byte for byte.
public struct BuiltinConsolidator: Consolidator {
    /// Named in every dream commit it makes; the number changes when its output would.
    public let name = "builtin/1"
    /// A pattern counts when this many sessions show it.
    public let minimumSessions: Int
    /// Entries Reverie wrote that no session reinforced for this many days go to archive/.
    public let archiveAfterDays: Int
    /// How memory is laid out (`[memory] layout`): Claude Code's auto memory gets its files'
    /// front matter and its own index kept.
    public let layout: MemoryLayout

    /// A consolidator with explicit thresholds and layout.
    public init(minimumSessions: Int = 2, archiveAfterDays: Int = 90, layout: MemoryLayout = .plain) {
        self.minimumSessions = minimumSessions
        self.archiveAfterDays = archiveAfterDays
        self.layout = layout
    }

    /// The consolidator as `[dream]` and `[memory] layout` in `.reverie/config.toml` set it up.
    public init(settings: ReverieConfig.Dream, layout: MemoryLayout = .plain) {
        self.init(
            minimumSessions: settings.patternMinSessions, archiveAfterDays: settings.archiveAfterDays, layout: layout)
    }

    /// Claude Code's memory type for a file of this kind, in its layout only.
    func claudeCodeType(_ type: String) -> String? { layout == .claudeCode ? type : nil }

    static let mistakesPath = "mistakes.md", workflowsPath = "workflows.md", preferencesPath = "preferences.md"
    static let indexPath = "MEMORY.md"

    /// The plan for `input`: the same input always gives the same plan, byte for byte.
    public func plan(_ input: DreamInput) async throws -> DreamPlan {
        var texts = input.memory.texts
        var changes: [MemoryChange] = []
        // Entries Reverie wrote that these sessions bear out, new or found again: a person's
        // own line is never one (it is not in any dream's record), so it is never archived.
        var reinforced: [String] = []
        func foundAgain(_ line: String?) {
            if let line, input.reinforced[line.trimmingCharacters(in: .whitespaces)] != nil { reinforced.append(line) }
        }
        // In a fixed order: the same sessions give the same plan whatever order they came in.
        let sessions = input.sessions.sorted { $0.id < $1.id }
        let calls = sessions.map(ToolCall.calls)

        // Entries say what an agent needs and nothing else: counts, dates and sessions go
        // to the commit (rationale and evidence). A later dream finds an entry by what it
        // says, so reading the same sessions again changes nothing.
        var mistakes = EntryFile(
            path: Self.mistakesPath, existing: texts[Self.mistakesPath], title: "Recurring mistakes",
            description: "Tool errors agents hit again and again, and what fixed them", type: claudeCodeType("feedback")
        )
        for mistake in MistakeFinder(minimumSessions: minimumSessions).find(calls: calls) {
            let old = mistakes.entry { line in
                EntryFile.codeSpans(in: line).contains { Signature.normalize($0) == mistake.signature }
            }
            let verb = mistake.what.contains(",") ? "fail" : "fails"
            let example = mistake.example.replacingOccurrences(of: "`", with: "'")
            let line =
                "- \(mistake.what) \(verb): `\(example)`" + (example.hasSuffix(".") ? "" : ".")
                + (mistake.fix.map { $0.hasPrefix("`") ? " Worked instead: \($0)." : " Fix: \($0)." } ?? "")
            // A fix found now completes an entry written without one; an entry a person reworded stays theirs.
            guard
                old == nil
                    || old != line && !old!.contains(" Worked instead: ") && !old!.contains(" Fix: ")
                        && mistake.fix != nil
            else {
                foundAgain(old)
                continue
            }
            mistakes.upsert(line, replacing: old)
            reinforced.append(line)
            texts[mistakes.path] = mistakes.text
            changes.append(
                MemoryChange(
                    kind: old == nil ? .mistake : .update, writes: [mistakes.path: mistakes.text],
                    summary: old == nil
                        ? "Record a recurring mistake: \(mistake.what) \(verb)"
                        : "Add the fix to a mistake: \(mistake.what) \(verb)",
                    rationale: "\(mistake.what) failed \(EntryFile.plural(mistake.occurrences, "time")) across "
                        + "\(EntryFile.plural(mistake.sessions.count, "session")) (\(EntryFile.span(mistake.first, mistake.last))) with the same cause"
                        + (mistake.fix.map { "; a retry that did the same job worked: \($0)." }
                            ?? "; no retry that did the same job worked, so no fix is written."),
                    evidence: mistake.quotes.map { Evidence(session: $0.session, quote: $0.quote) }))
        }

        var workflows = EntryFile(
            path: Self.workflowsPath, existing: texts[Self.workflowsPath], title: "Workflows",
            description: "Sequences of steps agents converge on across sessions", type: claudeCodeType("project"))
        for workflow in WorkflowFinder(minimumSessions: minimumSessions).find(calls: calls) {
            let spans = workflow.steps.map { "`\($0)`" }
            if let old = workflows.entry(where: { line in
                WorkflowFinder.contains(EntryFile.codeSpans(in: line), workflow.steps)
            }) {
                foundAgain(old)
                continue
            }
            let line = "- \(workflow.purpose): " + spans.dropLast().joined(separator: ", ") + ", then \(spans.last!)."
            workflows.upsert(line, replacing: nil)
            reinforced.append(line)
            texts[workflows.path] = workflows.text
            changes.append(
                MemoryChange(
                    kind: .workflow, writes: [workflows.path: workflows.text],
                    summary: "Record a workflow: \(workflow.purpose.lowercased()), "
                        + workflow.steps.joined(separator: " → ").prefix(70),
                    rationale:
                        "\(EntryFile.plural(workflow.sessions.count, "session")) ran these commands in this order, each one succeeding, "
                        + "with a check among them; no longer sequence is shared as widely.",
                    evidence: workflow.quotes.map { Evidence(session: $0.session, quote: $0.quote) }))
        }

        var preferences = EntryFile(
            path: Self.preferencesPath, existing: texts[Self.preferencesPath], title: "Team preferences",
            description: "What people asked agents to always or never do, stated in several sessions",
            type: claudeCodeType("feedback"))
        var archive = EntryFile(
            path: "archive/" + Self.preferencesPath, existing: texts["archive/" + Self.preferencesPath],
            title: "Archived preferences", description: "Preferences replaced by later, contrary ones")
        for preference in PreferenceFinder(minimumSessions: minimumSessions).find(in: sessions) {
            func said(_ line: String) -> String { EntryFile.text(of: line) }
            if let old = preferences.entry(where: { line in
                PreferenceFinder.isNegative(said(line)) == preference.negative
                    && PreferenceFinder.same(PreferenceFinder.tokens(said(line)), preference.tokens)
            }) {
                foundAgain(old)
                continue
            }
            let line = "- \(preference.text)."
            var writes: [String: String] = [:]
            var rationale =
                "Said by \(EntryFile.plural(preference.users.count, "person")) (\(preference.users.joined(separator: ", "))) in "
                + "\(EntryFile.plural(preference.sessions.count, "session")) (\(EntryFile.span(preference.first, preference.last)))."
            for replaced in preference.replaces {
                rationale += " It replaces an earlier, contrary statement in these sessions: \"\(replaced)\"."
            }
            // An entry already in memory that says the opposite goes to the archive, with a note.
            for oldLine in preferences.entries
            where PreferenceFinder.isNegative(said(oldLine)) != preference.negative
                && PreferenceFinder.same(PreferenceFinder.tokens(said(oldLine)), preference.tokens)
            {
                preferences.remove(oldLine)
                archive.upsert(
                    oldLine + " — replaced \(EntryFile.day(preference.last)) by: \(preference.text)", replacing: nil)
                writes[archive.path] = archive.text
                texts[archive.path] = archive.text
                rationale += " It replaces the contrary preference \"\(said(oldLine))\", now in archive/preferences.md."
            }
            preferences.upsert(line, replacing: nil)
            reinforced.append(line)
            texts[preferences.path] = preferences.text
            writes[preferences.path] = preferences.text
            changes.append(
                MemoryChange(
                    kind: .preference, writes: writes,
                    summary: "Record a team preference: \(preference.text.prefix(70))",
                    rationale: rationale,
                    evidence: preference.quotes.map { Evidence(session: $0.session, quote: $0.quote) }))
        }

        // Staleness is judged against the newest session, not the clock: the same input
        // gives the same dream whenever it runs.
        let now = sessions.compactMap { $0.ended ?? $0.started }.max()
        var lastSeen = input.reinforced
        if let now { for line in reinforced { lastSeen[line.trimmingCharacters(in: .whitespaces)] = now } }
        changes += Restructuring(archiveAfterDays: archiveAfterDays)
            .changes(texts: &texts, humanEdits: Set(input.humanEdits), now: now, lastSeen: lastSeen)

        if layout == .claudeCode {
            if let change = ClaudeCodeIndex.change(written: Set(changes.flatMap(\.paths)), texts: texts) {
                changes.append(change)
            }
        } else if let index = MemoryIndex.text(for: texts, existing: texts[Self.indexPath]),
            index != texts[Self.indexPath]
        {
            changes.append(
                MemoryChange(
                    kind: .index, writes: [Self.indexPath: index], summary: "Update the memory index",
                    rationale:
                        "MEMORY.md lists every memory file with a one-line description, so an agent reads one file to know where to look."
                ))
        }
        var plan = DreamPlan(changes: changes)
        plan.reinforced = reinforced
        return plan
    }
}
