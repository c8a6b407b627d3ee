import Dreaming
import Foundation
import Memory

/// Keeps memory high-signal: entries that say the same thing (see `NearDuplicates`) are
/// merged, and entries Reverie wrote that no session has reinforced for a while move to
/// `archive/`. Nothing is lost: moved lines go word for word to `archive/`. A merge
/// keeps a rule where a person put it: a copy moves only from the file of the copy kept
/// or from one of Reverie's own files, so a rule two people wrote in two files stays in
/// both (an agent may read only one of them). A copy moves only when its file stays
/// whole: never a numbered step, an item with more lines under it, the last item of a
/// list or the last content of a section; front matter, code blocks and pinned files and
/// lines are never touched. A file of Reverie's own left with no entry is deleted.
struct Restructuring {
    let archiveAfterDays: Int

    static let archiveFolder = "archive/"
    static let mergedPath = archiveFolder + "merged.md"
    /// The files the built-in consolidator writes: a copy there is the first to go.
    static let ownFiles: Set<String> = [
        BuiltinConsolidator.mistakesPath, BuiltinConsolidator.workflowsPath,
        BuiltinConsolidator.preferencesPath,
    ]

    /// A file's lines, with the ones moved away set to nil.
    struct File {
        var lines: [String?]
        let markdown: MarkdownLines
        let pinned: Bool
        var text: String { lines.compactMap { $0 }.joined(separator: "\n") }

        init(text: String, pinned: Bool) {
            markdown = MarkdownLines(text)
            lines = markdown.lines
            self.pinned = pinned
        }

        /// Whether the entry at `index` can go and leave its file whole.
        func canMove(_ index: Int) -> Bool {
            let line = markdown.lines[index]
            guard !pinned, !line.contains(Guardrails.pinMarker), let item = MarkdownLines.listMarker(line),
                !item.numbered
            else {
                return false
            }
            // The next line left: nothing may hang from the item (a continuation, a child).
            if let next = neighbour(after: index), markdown.kinds[next] != .blank {
                if case .heading = markdown.kinds[next] {
                } else if let child = MarkdownLines.listMarker(lines[next]!) {
                    if child.indent > item.indent { return false }
                } else {
                    return false
                }
            }
            if let next = neighbour(after: index, skippingBlank: true), markdown.kinds[next] != .blank {
                let indent = lines[next]!.prefix { $0 == " " || $0 == "\t" }.count
                if case .heading = markdown.kinds[next] {} else if indent > item.indent { return false }
            }
            // Another item of the same list stays beside it.
            guard sibling(of: index, indent: item.indent, step: -1) || sibling(of: index, indent: item.indent, step: 1)
            else { return false }
            // Its section keeps some content.
            var start = index, end = index
            while start > 0, !isHeading(start - 1), markdown.kinds[start - 1] != .frontMatter { start -= 1 }
            while end + 1 < lines.count, !isHeading(end + 1) { end += 1 }
            return (start...end).contains { $0 != index && lines[$0] != nil && markdown.kinds[$0] != .blank }
        }

        /// Whether an item at `indent` follows (`step` 1) or precedes (-1) in the same list,
        /// past the lines that hang from items.
        func sibling(of index: Int, indent: Int, step: Int) -> Bool {
            var other = index + step
            while other >= 0, other < lines.count {
                defer { other += step }
                guard let line = lines[other], markdown.kinds[other] != .blank else { continue }
                guard markdown.kinds[other] == .text else { return false }
                let lineIndent = line.prefix { $0 == " " || $0 == "\t" }.count
                if let marker = MarkdownLines.listMarker(line), marker.indent == indent { return true }
                if lineIndent <= indent { return false }
            }
            return false
        }

        /// Whether anything but front matter, headings and blank lines is left.
        var hasContent: Bool {
            lines.indices.contains { index in
                guard lines[index] != nil else { return false }
                switch markdown.kinds[index] {
                case .heading, .frontMatter, .blank: return false
                default: return true
                }
            }
        }

        func isHeading(_ index: Int) -> Bool {
            if case .heading = markdown.kinds[index] { return lines[index] != nil }
            return false
        }

        func neighbour(after index: Int, skippingBlank: Bool = false) -> Int? {
            var next = index + 1
            while next < lines.count, lines[next] == nil || skippingBlank && markdown.kinds[next] == .blank {
                next += 1
            }
            return next < lines.count ? next : nil
        }

        func neighbour(before index: Int, skippingBlank: Bool) -> Int? {
            var previous = index - 1
            while previous >= 0, lines[previous] == nil || skippingBlank && markdown.kinds[previous] == .blank {
                previous -= 1
            }
            return previous >= 0 ? previous : nil
        }
    }

    /// `humanEdits`: the files people changed since the last dream; a copy there stays first.
    ///
    /// - Parameter lastSeen: when sessions last bore out each entry Reverie wrote, by its
    ///   trimmed line (`DreamInput.reinforced`); older entries carry the day in a marker.
    func changes(
        texts: inout [String: String], humanEdits: Set<String> = [], now: Date?,
        lastSeen: [String: Date] = [:]
    ) -> [MemoryChange] {
        var changes: [MemoryChange] = []
        var files: [String: File] = [:]
        var entries: [NearDuplicates.Entry] = []
        for path in texts.keys.sorted() where Self.isMemory(path) {
            let text = texts[path]!
            let pinned = (try? MemoryFile.parse(path: RepoPath(path), text: text))?.isPinned ?? false
            let file = File(text: text, pinned: pinned)
            files[path] = file
            for (number, line) in file.markdown.lines.enumerated()
            where file.markdown.isProse(number) && Self.isEntry(line) && !line.contains("<!-- reverie:") {
                entries.append(
                    NearDuplicates.Entry(
                        path: path, line: number, text: line, context: Self.context(of: number, in: file.markdown)))
            }
        }

        var merged =
            texts[Self.mergedPath]
            ?? "---\ndescription: Entries merged into a copy elsewhere in memory that says the same thing, kept word for word\n---\n# Merged entries\n\n"
        for group in NearDuplicates().groups(in: entries) {
            // The copy that stays: one that cannot move, else one a person just edited, else
            // one outside Reverie's own files, else the first in path order.
            let ranked = group.sorted { a, b in
                Self.rank(a, files: files, humanEdits: humanEdits) < Self.rank(b, files: files, humanEdits: humanEdits)
            }
            let keep = ranked[0]
            // A person's file keeps its own copy: only copies beside it, or in Reverie's files, move.
            var keptIn: [String: NearDuplicates.Entry] = [keep.path: keep]
            for entry in ranked where !Self.ownFiles.contains(entry.path) && keptIn[entry.path] == nil {
                keptIn[entry.path] = entry
            }
            var moved: [(entry: NearDuplicates.Entry, into: String)] = []
            for entry in group where keptIn[entry.path] != entry && files[entry.path]!.canMove(entry.line) {
                files[entry.path]!.lines[entry.line] = nil
                moved.append((entry, keptIn[entry.path] == nil ? keep.path : entry.path))
            }
            guard !moved.isEmpty else { continue }
            var writes: [String: String] = [:]
            for (entry, into) in moved {
                merged += "\(Self.clean(entry.text)) — was in \(entry.path), merged into \(into)\n"
                writes[entry.path] = files[entry.path]!.text
            }
            writes[Self.mergedPath] = merged
            for (path, text) in writes { texts[path] = text }
            let places = Set(moved.map(\.entry.path)).sorted().joined(separator: ", ")
            let targets = Set(moved.map(\.into)).sorted().joined(separator: ", ")
            changes.append(
                MemoryChange(
                    kind: .merge, writes: writes,
                    summary: "Merge \(moved.count + 1) copies of one entry into \(targets)",
                    rationale:
                        "These entries say the same thing: they differ only in case, punctuation, emphasis or the order "
                        + "of whole phrases. \"\(Self.clean(keep.text).prefix(120))\" stays in \(targets); the "
                        + "cop\(moved.count == 1 ? "y" : "ies") in \(places) move\(moved.count == 1 ? "s" : "") word for word to \(Self.mergedPath).",
                    evidence: ([keep] + moved.map(\.entry)).map {
                        Evidence(
                            session: "memory \($0.path):\($0.line + 1)", quote: String(Self.clean($0.text).prefix(160)))
                    }))
        }

        if let now, archiveAfterDays > 0 {
            let cutoff = now.addingTimeInterval(-Double(archiveAfterDays) * 86_400)
            for path in files.keys.sorted() where !files[path]!.pinned {
                var stale: [(Int, String)] = []
                for (number, line) in files[path]!.lines.enumerated() where files[path]!.markdown.isProse(number) {
                    guard let line, !line.contains(Guardrails.pinMarker) else { continue }
                    let marked = line.contains("<!-- reverie:")
                    // Records name entries only in the files Reverie writes its own into.
                    let recorded = Self.ownFiles.contains(path) ? lastSeen[Self.clean(line)] : nil
                    guard let last = marked ? Self.lastSeen(in: line) : recorded, last < cutoff else { continue }
                    stale.append((number, line))
                }
                guard !stale.isEmpty else { continue }
                let archivePath = Self.archiveFolder + path
                var archive =
                    texts[archivePath]
                    ?? "---\ndescription: Entries of \(path) no session reinforced for a while\n---\n# Archived from \(path)\n\n"
                for (number, line) in stale {
                    files[path]!.lines[number] = nil
                    archive +=
                        line.replacingOccurrences(of: "<!-- reverie:", with: "<!-- archived reverie:")
                        + " (archived: not seen for over \(archiveAfterDays) days)\n"
                }
                // A file of Reverie's own with only its heading left tells an agent nothing: it goes,
                // and the next dream that finds a pattern writes it again.
                let emptied = Self.ownFiles.contains(path) && !files[path]!.hasContent
                texts[path] = emptied ? nil : files[path]!.text
                texts[archivePath] = archive
                changes.append(
                    MemoryChange(
                        kind: .archive,
                        writes: emptied ? [archivePath: archive] : [path: files[path]!.text, archivePath: archive],
                        deletes: emptied ? [path] : [],
                        summary: "Archive \(stale.count) stale entr\(stale.count == 1 ? "y" : "ies") of \(path)",
                        rationale:
                            "No session reinforced \(stale.count == 1 ? "it" : "them") in the last \(archiveAfterDays) days; "
                            + "\(stale.count == 1 ? "it moves" : "they move") to \(archivePath), word for word"
                            + (emptied ? "; \(path) holds nothing else, so it is deleted." : "."),
                        evidence: stale.map {
                            Evidence(session: "memory \(path):\($0.0 + 1)", quote: String(Self.clean($0.1).prefix(160)))
                        }))
            }
        }
        return changes
    }

    /// What an item's statement depends on: the item it hangs from ("Avoid for data
    /// fetching" under `useEffect` or under `'use client'`), or a heading or lead-in line that
    /// turns its list negative ("## Don'ts", "Avoid:"). Empty when it stands on its own.
    static func context(of index: Int, in markdown: MarkdownLines, depth: Int = 0) -> String {
        guard depth < 8, let item = MarkdownLines.listMarker(markdown.lines[index]) else { return "" }
        var above = index - 1
        while above >= 0 {
            let line = markdown.lines[above]
            switch markdown.kinds[above] {
            case .heading: return isNegative(line) ? line : ""
            case .frontMatter: return ""
            case .blank, .code, .comment: break
            case .text:
                if let parent = MarkdownLines.listMarker(line) {
                    if parent.indent < item.indent {
                        return context(of: above, in: markdown, depth: depth + 1) + " / " + line
                    }
                } else if line.prefix(while: { $0 == " " || $0 == "\t" }).count <= item.indent {
                    return isNegative(line) ? line : ""
                }
            }
            above -= 1
        }
        return ""
    }

    /// Words that make what follows them a thing not to do.
    static let negatives: Set<String> = [
        "not", "no", "never", "avoid", "avoiding", "don't", "dont", "donts", "don'ts", "shouldn't", "mustn't",
        "without",
        "anti", "anti-pattern", "anti-patterns", "antipatterns", "bad", "wrong", "incorrect", "deprecated", "forbidden",
        "prohibited", "disallowed", "instead", "pitfalls", "mistakes", "cons", "nor", "stop",
    ]

    static func isNegative(_ line: String) -> Bool {
        line.lowercased().replacingOccurrences(of: "’", with: "'")
            .split { !$0.isLetter && $0 != "'" && $0 != "-" }
            .contains {
                negatives.contains(String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'-")))
                    || negatives.contains(String($0))
            }
    }

    /// Lower ranks stay: see `changes`.
    static func rank(
        _ entry: NearDuplicates.Entry, files: [String: File], humanEdits: Set<String>
    ) -> (Int, Int, Int, String, Int) {
        (
            files[entry.path]!.canMove(entry.line) ? 1 : 0, humanEdits.contains(entry.path) ? 0 : 1,
            ownFiles.contains(entry.path) ? 1 : 0, entry.path, entry.line
        )
    }

    static func isMemory(_ path: String) -> Bool {
        path.hasSuffix(".md") && path != BuiltinConsolidator.indexPath && !path.hasPrefix(".reverie/")
            && !path.hasPrefix(archiveFolder)
    }

    /// A bullet or numbered item with at least three words: the unit a dream merges or moves.
    static func isEntry(_ line: String) -> Bool {
        guard let item = MarkdownLines.listMarker(line) else { return false }
        return words(String(item.body)) >= 3
    }

    static func words(_ text: String) -> Int { text.split { !$0.isLetter && !$0.isNumber }.count }

    static func clean(_ line: String) -> String { line.trimmingCharacters(in: .whitespaces) }

    /// "last 2026-11-24" in an entry Reverie wrote.
    static func lastSeen(in line: String) -> Date? {
        guard let match = line.firstMatch(of: /last (\d{4}-\d{2}-\d{2})/) else { return nil }
        return try? Date(String(match.1) + "T00:00:00Z", strategy: .iso8601)
    }
}
