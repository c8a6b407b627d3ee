import Foundation
import Dreaming
import Memory

/// Keeps memory high-signal: near-duplicate entries across all files are merged (the
/// fullest wording stays where it is, the others move to `archive/merged.md` with a note),
/// and entries Reverie wrote that no session has reinforced for a while move to
/// `archive/`. Nothing is deleted; pinned files and entries are never touched; a person's
/// files keep their structure (only the moved lines go).
struct Restructuring {
    let threshold: Double
    let archiveAfterDays: Int

    static let archiveFolder = "archive/"

    /// A file's lines, with the ones moved away set to nil.
    struct Lines {
        var lines: [String?]
        var text: String { lines.compactMap { $0 }.joined(separator: "\n") }
    }

    func changes(texts: inout [String: String], now: Date?) -> [MemoryChange] {
        var changes: [MemoryChange] = []
        var files: [String: Lines] = [:]
        var entries: [NearDuplicates.Entry] = []
        for path in texts.keys.sorted() where Self.isMemory(path) {
            let text = texts[path]!
            if let repoPath = try? RepoPath(path), let file = try? MemoryFile.parse(path: repoPath, text: text), file.isPinned {
                continue
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            files[path] = Lines(lines: lines)
            for (number, line) in lines.enumerated() where Self.isEntry(line) && !line.contains(Guardrails.pinMarker) {
                entries.append(NearDuplicates.Entry(path: path, line: number, text: line))
            }
        }

        var merged = texts[Self.archiveFolder + "merged.md"]
            ?? "---\ndescription: Entries merged into a near-duplicate elsewhere in memory, kept word for word\n---\n# Merged entries\n\n"
        for group in NearDuplicates(threshold: threshold).groups(in: entries) {
            // The fullest wording stays; ties go to the first in path order.
            let keep = group.max { a, b in
                (Self.words(a.text), b.path, b.line) < (Self.words(b.text), a.path, a.line)
            }!
            let moved = group.filter { $0 != keep }
            var writes: [String: String] = [:]
            for entry in moved {
                files[entry.path]!.lines[entry.line] = nil
                merged += "\(Self.clean(entry.text)) — was in \(entry.path), merged into \(keep.path)\n"
                writes[entry.path] = files[entry.path]!.text
            }
            writes[Self.archiveFolder + "merged.md"] = merged
            for (path, text) in writes { texts[path] = text }
            let places = Set(moved.map(\.path)).sorted().joined(separator: ", ")
            changes.append(MemoryChange(
                kind: .merge, writes: writes,
                summary: "Merge \(group.count) near-duplicate entries into \(keep.path)",
                rationale: "These entries say nearly the same thing (at least \(Int(threshold * 100))% of their word pairs "
                    + "are shared). \"\(Self.clean(keep.text).prefix(120))\" stays in \(keep.path); the others, from \(places), "
                    + "move word for word to archive/merged.md.",
                evidence: group.map { Evidence(session: "memory \($0.path):\($0.line + 1)", quote: String(Self.clean($0.text).prefix(160))) }))
        }

        if let now, archiveAfterDays > 0 {
            let cutoff = now.addingTimeInterval(-Double(archiveAfterDays) * 86_400)
            for path in files.keys.sorted() {
                var stale: [(Int, String)] = []
                for (number, line) in files[path]!.lines.enumerated() {
                    guard let line, line.contains("<!-- reverie:"), let last = Self.lastSeen(in: line), last < cutoff else { continue }
                    stale.append((number, line))
                }
                guard !stale.isEmpty else { continue }
                let archivePath = Self.archiveFolder + path
                var archive = texts[archivePath] ?? "---\ndescription: Entries of \(path) no session reinforced for a while\n---\n# Archived from \(path)\n\n"
                for (number, line) in stale {
                    files[path]!.lines[number] = nil
                    archive += line.replacingOccurrences(of: "<!-- reverie:", with: "<!-- archived reverie:")
                        + " (archived: not seen for over \(archiveAfterDays) days)\n"
                }
                texts[path] = files[path]!.text
                texts[archivePath] = archive
                changes.append(MemoryChange(
                    kind: .archive, writes: [path: files[path]!.text, archivePath: archive],
                    summary: "Archive \(stale.count) stale entr\(stale.count == 1 ? "y" : "ies") of \(path)",
                    rationale: "No session reinforced \(stale.count == 1 ? "it" : "them") in the last \(archiveAfterDays) days; "
                        + "\(stale.count == 1 ? "it moves" : "they move") to \(archivePath), word for word.",
                    evidence: stale.map { Evidence(session: "memory \(path):\($0.0 + 1)", quote: String(Self.clean($0.1).prefix(160))) }))
            }
        }
        return changes
    }

    static func isMemory(_ path: String) -> Bool {
        path.hasSuffix(".md") && path != BuiltinConsolidator.indexPath && !path.hasPrefix(".reverie/")
            && !path.hasPrefix(archiveFolder)
    }

    /// A bullet or numbered item with at least three words: the unit a dream merges or moves.
    static func isEntry(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        let bullet = trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("+ ")
            || trimmed.prefix { $0.isNumber }.count > 0 && trimmed.drop { $0.isNumber }.hasPrefix(". ")
        return bullet && words(String(trimmed)) >= 3
    }

    static func words(_ text: String) -> Int { text.split { !$0.isLetter && !$0.isNumber }.count }

    static func clean(_ line: String) -> String { line.trimmingCharacters(in: .whitespaces) }

    /// "last 2026-11-24" in an entry Reverie wrote.
    static func lastSeen(in line: String) -> Date? {
        guard let match = line.firstMatch(of: /last (\d{4}-\d{2}-\d{2})/) else { return nil }
        return try? Date(String(match.1) + "T00:00:00Z", strategy: .iso8601)
    }
}
