import Git
import Memory

/// The rules a dream must pass to be merged without a person. A dream that fails one is
/// still written, and waits for review even when the merge policy is automatic.
///
/// Every guardrail is computed from the memory before the dream and the files the dream
/// leaves, so `reverie show` can judge a dream again from git alone.
public enum Guardrails {
    /// Marks an entry (a line) that dreams must leave as it is; `MemoryFile.pinMarker`.
    public static let pinMarker = MemoryFile.pinMarker

    /// - Parameters:
    ///   - before: every file's text at the dream's base.
    ///   - after: the text of every file the dream writes (nil: deleted).
    ///   - redactions: the secrets the engine removed from the plan, described.
    ///   - links: the paths the dream makes symbolic links (a branch made outside Reverie).
    ///   - layout: the memory's layout; Claude Code's adds the "Claude Code format" rule.
    public static func check(
        before: [String: String], after: [String: String?], redactions: [String], links: [String] = [],
        settings: ReverieConfig.Guardrails, layout: MemoryLayout = .plain
    ) -> [GuardrailVerdict] {
        var verdicts: [GuardrailVerdict] = []
        let paths = after.keys.sorted()

        // Memory is text: a link could later lead a write, or a reader, anywhere.
        verdicts.append(
            GuardrailVerdict(
                name: "text only", passed: links.isEmpty,
                detail: links.isEmpty
                    ? "every path is a plain file" : "symbolic links: " + links.sorted().joined(separator: ", ")))

        let outside = paths.filter { (try? RepoPath($0)) == nil || DreamScope.problem(with: $0) != nil }
        verdicts.append(
            GuardrailVerdict(
                name: "paths", passed: outside.isEmpty,
                detail: outside.isEmpty
                    ? "\(paths.count) path\(paths.count == 1 ? "" : "s"), all memory files inside the repo"
                    : "outside memory: " + outside.joined(separator: ", ")))

        var pinned: [String] = []
        for path in paths {
            guard let old = before[path] else { continue }
            if let repoPath = try? RepoPath(path), let file = try? MemoryFile.parse(path: repoPath, text: old),
                file.isPinned
            {
                pinned.append("\(path) (pinned file)")
                continue
            }
            let kept = after[path]!.map { Set($0.split(separator: "\n", omittingEmptySubsequences: false)) } ?? []
            for line in old.split(separator: "\n") where line.contains(pinMarker) && !kept.contains(line) {
                pinned.append("\(path): \(line.trimmingCharacters(in: .whitespaces).prefix(60))")
            }
        }
        verdicts.append(
            GuardrailVerdict(
                name: "pinned", passed: pinned.isEmpty,
                detail: pinned.isEmpty
                    ? "no pinned file or entry changed" : "changes pinned memory: " + pinned.joined(separator: "; ")))

        verdicts.append(
            GuardrailVerdict(
                name: "secrets", passed: redactions.isEmpty,
                detail: redactions.isEmpty
                    ? "no secret in any added line"
                    : "redacted \(redactions.count) before commit: "
                        + redactions.joined(separator: ", ")))

        let total = before.filter { $0.key.hasSuffix(".md") }.values.reduce(0) { $0 + lineCount($1) }
        var removed = 0
        for path in paths where path.hasSuffix(".md") {
            removed += removedLines(from: before[path] ?? "", to: after[path]! ?? "")
        }
        let share = total == 0 ? 0 : Double(removed) / Double(total)
        verdicts.append(
            GuardrailVerdict(
                name: "changed share", passed: share <= settings.maxChangedShare,
                detail:
                    "\(removed) of \(total) memory lines changed or removed (\(percent(share)), limit \(percent(settings.maxChangedShare)))"
            ))

        let limit = settings.maxFileKilobytes * 1024
        let large = paths.compactMap { path -> String? in
            guard let text = after[path] ?? nil, text.utf8.count > limit else { return nil }
            return "\(path) (\(text.utf8.count / 1024) kB)"
        }
        verdicts.append(
            GuardrailVerdict(
                name: "file size", passed: large.isEmpty,
                detail: large.isEmpty
                    ? "every file within \(settings.maxFileKilobytes) kB"
                    : "over \(settings.maxFileKilobytes) kB: " + large.joined(separator: ", ")))

        if layout == .claudeCode { verdicts.append(claudeCodeFormat(before: before, after: after)) }
        return verdicts
    }

    /// Claude Code loads only the head of `MEMORY.md` and reads topic files by their front
    /// matter: a dream that grows the index past it, or drops a key, hides memory from it.
    static func claudeCodeFormat(before: [String: String], after: [String: String?]) -> GuardrailVerdict {
        var problems: [String] = []
        if let index = after["MEMORY.md"] ?? nil {
            let lines = lineCount(index), bytes = index.utf8.count
            if lines > MemoryLayout.claudeCodeIndexLines || bytes > MemoryLayout.claudeCodeIndexBytes {
                problems.append(
                    "MEMORY.md has \(lines) lines and \(bytes) bytes; Claude Code loads "
                        + "\(MemoryLayout.claudeCodeIndexLines) lines or \(MemoryLayout.claudeCodeIndexBytes) bytes")
            }
        }
        for path in after.keys.sorted() where path.hasSuffix(".md") && path != "MEMORY.md" {
            guard let old = before[path], let new = after[path] ?? nil else { continue }
            let lost = frontMatterKeys(path: path, text: old).subtracting(frontMatterKeys(path: path, text: new))
            if !lost.isEmpty { problems.append("\(path) loses front matter \(lost.sorted().joined(separator: ", "))") }
        }
        return GuardrailVerdict(
            name: "Claude Code format", passed: problems.isEmpty,
            detail: problems.isEmpty
                ? "MEMORY.md within what Claude Code loads; topic files keep their front matter keys"
                : problems.joined(separator: "; "))
    }

    /// The top-level keys of a file's front matter (none without one).
    static func frontMatterKeys(path: String, text: String) -> Set<String> {
        guard let repoPath = try? RepoPath(path),
            let yaml = (try? MemoryFile.parse(path: repoPath, text: text))?.frontMatter?.yaml
        else { return [] }
        var keys: Set<String> = []
        for line in yaml.split(separator: "\n")
        where !line.hasPrefix(" ") && !line.hasPrefix("\t") && !line.hasPrefix("#") {
            if let colon = line.firstIndex(of: ":") {
                keys.insert(String(line[..<colon]).trimmingCharacters(in: .whitespaces))
            }
        }
        return keys
    }

    static func lineCount(_ text: String) -> Int { text.split(separator: "\n").count }

    /// Lines of `old` that `new` no longer has (each occurrence counted): an edited line
    /// counts once, an added line not at all.
    static func removedLines(from old: String, to new: String) -> Int {
        var remaining: [Substring: Int] = [:]
        for line in new.split(separator: "\n") { remaining[line, default: 0] += 1 }
        var removed = 0
        for line in old.split(separator: "\n") {
            if let count = remaining[line], count > 0 { remaining[line] = count - 1 } else { removed += 1 }
        }
        return removed
    }

    private static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
}
