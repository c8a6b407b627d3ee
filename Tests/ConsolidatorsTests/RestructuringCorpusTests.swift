import Dreaming
import Foundation
import Testing

@testable import Consolidators

/// A dream over 257 real rule files (awesome-cursorrules) with planted paraphrases,
/// look-alike facts and code examples: what a reviewer of its merges would check.
@Suite struct RestructuringCorpusTests {
    struct Planted {
        var texts: [String: String]
        /// Every planted statement (a line without its list marker) and the fact it states.
        var facts: [String: String]
        /// The fact a line states if it was planted or says word for word what a planted line says.
        func fact(_ line: String) -> String? { facts[statement(line)] }
        /// The truth about two lines: planted facts by what was planted, other lines by their words.
        func same(_ a: String, _ b: String) -> Bool {
            if let one = fact(a), let other = fact(b) { return one == other }
            return reviewerKey(a) == reviewerKey(b)
        }
        /// The planted pairs that say the same thing.
        var sameFact: [(String, String)]
    }

    static func corpus() throws -> [String: String] {
        let folder = ReverieRoot.path + "/Tests/MemoryTests/Fixtures/awesome-cursorrules"
        var texts: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".md") {
            texts["rules/\(name)"] = try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)
        }
        return texts
    }

    /// Plants each paraphrase pair where a merge may take one copy out (both in one file,
    /// or every third pair's second copy in Reverie's own preferences.md), each look-alike
    /// in the middle of real bullet lists, a different file for each line, and examples in
    /// fenced blocks that copy real rules.
    static func plant(in corpus: [String: String]) -> Planted {
        var texts = corpus
        texts["preferences.md"] =
            "---\ndescription: What people asked agents to always or never do\n---\n# Team preferences\n\n"
            + "- Ask in the platform channel before touching the deploy scripts\n- Keep the staging data anonymised at all times\n"
        let paths = corpus.keys.sorted().filter { insertionPoint(in: corpus[$0]!) != nil }
        var fact: [String: String] = [:], sameFact: [(String, String)] = []
        var next = 0
        func insert(_ line: String, into path: String? = nil) -> String {
            let path = path ?? paths[(next * 37) % paths.count]
            if path == paths[(next * 37) % paths.count] { next += 1 }
            var lines = texts[path]!.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.insert(line, at: insertionPoint(in: texts[path]!)! + 1)
            texts[path] = lines.joined(separator: "\n")
            return path
        }
        for (number, (a, b)) in RestructuringTests.paraphrases.enumerated() {
            fact["- \(a)"] = "fact \(number)"
            fact["- \(b)"] = "fact \(number)"
            sameFact.append(("- \(a)", "- \(b)"))
            let first = insert("- \(a)")
            _ = insert("- \(b)", into: number % 3 == 1 ? "preferences.md" : first)
        }
        for (number, (a, b)) in RestructuringTests.lookAlikes.enumerated() {
            if fact["- \(a)"] == nil {
                fact["- \(a)"] = "look-alike \(number)"
                _ = insert("- \(a)")
            }
            fact["- \(b)"] = "look-alike \(number) variant"
            _ = insert("- \(b)")
        }
        // Examples that copy a real rule of their file and a planted one.
        for k in 0..<12 {
            let path = paths[(k * 53 + 11) % paths.count]
            let text = texts[path]!
            let rule = text.split(separator: "\n").first { $0.hasPrefix("- ") && $0.split(separator: " ").count > 4 }!
            let planted = "- \(RestructuringTests.paraphrases[k % RestructuringTests.paraphrases.count].0)"
            let fence = ["```", "~~~", "````markdown", "   ```md"][k % 4]
            let close = fence.hasPrefix(" ") ? "   ```" : String(fence.prefix { $0 == "`" || $0 == "~" })
            texts[path] =
                text + (text.hasSuffix("\n") ? "" : "\n")
                + "\n## Example\n\n\(fence)\n\(rule)\n\(planted)\n  \(rule)\n\(close)\n"
        }
        return Planted(
            texts: texts, facts: Dictionary(uniqueKeysWithValues: fact.map { (statement($0.key), $0.value) }),
            sameFact: sameFact)
    }

    static func statement(_ line: String) -> String {
        line.trimmingCharacters(in: .whitespaces).replacing(/^([-*+]|\d+[.)])\s+/, with: "")
    }

    /// After the first unnumbered top-level bullet, outside code, that another follows.
    static func insertionPoint(in text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let prose = Set(RestructuringTests.proseLines(text))
        var inFrontMatter = lines.first == "---", seenFence = 0
        for index in lines.indices.dropLast() {
            if inFrontMatter {
                if index > 0 && lines[index] == "---" { inFrontMatter = false }
                continue
            }
            if lines[index].drop(while: { $0 == " " }).hasPrefix("```")
                || lines[index].drop(while: { $0 == " " }).hasPrefix("~~~")
            {
                seenFence += 1
            }
            if seenFence % 2 == 0, lines[index].hasPrefix("- "), lines[index + 1].hasPrefix("- "),
                prose.contains(String(lines[index])), prose.contains(String(lines[index + 1]))
            {
                return index
            }
        }
        return nil
    }

    @Test func noDistinctFactLeavesMemoryAndNoFileIsHollowed() async throws {
        let planted = Self.plant(in: try Self.corpus())
        let before = planted.texts
        let (plan, after) = try await RestructuringTests.dream(before)

        // Code blocks and front matter, byte for byte.
        for (path, text) in before {
            #expect(
                RestructuringTests.fencedBlocks(after[path]!) == RestructuringTests.fencedBlocks(text),
                "\(path): a code block changed")
            #expect(
                RestructuringTests.frontMatter(after[path]!) == RestructuringTests.frontMatter(text),
                "\(path): front matter changed")
            let emptied = Self.emptySections(after[path]!).subtracting(Self.emptySections(text))
            #expect(emptied.isEmpty, "\(path): sections left empty: \(emptied)")
            let broken = Self.brokenLists(after[path]!).subtracting(Self.brokenLists(text))
            #expect(broken.isEmpty, "\(path): list numbering broken at \(broken)")
        }

        // Every entry is still in prose outside archive/, itself or a copy that says the same.
        let active = after.filter { !$0.key.hasPrefix("archive/") }.values.flatMap(RestructuringTests.proseLines)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let activeSet = Set(active)
        var activeByKey: [[String]: [String]] = [:]
        for line in active { activeByKey[Self.reviewerKey(line), default: []].append(line) }
        var lost: [String] = []
        for text in before.values {
            for line in RestructuringTests.proseLines(text) {
                let entry = line.trimmingCharacters(in: .whitespaces)
                guard Restructuring.isEntry(entry), !activeSet.contains(entry) else { continue }
                let copies = activeByKey[Self.reviewerKey(entry)] ?? []
                let kept = copies.contains { planted.same($0, entry) }
                if !kept || after["archive/merged.md"]?.contains(entry + " — was in ") != true { lost.append(entry) }
            }
        }
        #expect(lost.isEmpty, "\(lost.count) entries left memory: \(lost.prefix(5))")

        // Each merge: the copy kept (first in its evidence) and the copies moved.
        let merges = plan.changes.filter { $0.kind == .merge }
        var pairs: [(kept: String, moved: String)] = []
        for merge in merges {
            let quotes = merge.evidence.map(\.quote)
            for moved in quotes.dropFirst() { pairs.append((quotes[0], moved)) }
        }
        let judged = pairs.filter { planted.fact($0.kept) != nil || planted.fact($0.moved) != nil }
        let correct = judged.filter { planted.same($0.kept, $0.moved) }
        let found = planted.sameFact.filter { pair in
            pairs.contains { Set([$0.kept, $0.moved]) == Set([pair.0, pair.1]) }
        }
        let precision = judged.isEmpty ? 0 : Double(correct.count) / Double(judged.count)
        let recall = Double(found.count) / Double(planted.sameFact.count)
        print(
            "restructuring over \(before.count) files: \(merges.count) merges proposed, \(pairs.count) copies moved; "
                + "planted: precision \(precision) (\(correct.count)/\(judged.count)), recall \(recall) (\(found.count)/\(planted.sameFact.count))"
        )
        #expect(
            pairs.allSatisfy { planted.same($0.kept, $0.moved) }, "\(pairs.filter { !planted.same($0.kept, $0.moved) })"
        )
        let unplanted = pairs.filter { planted.fact($0.kept) == nil }
        let verbatim = unplanted.filter { $0.kept == $0.moved }
        print(
            "corpus merges: \(verbatim.count) copies word for word, \(unplanted.count - verbatim.count) in another form, e.g.:"
        )
        for pair in verbatim.enumerated().filter({ $0.offset % 100 == 0 }).map(\.element)
            + unplanted.filter({ $0.kept != $0.moved }).enumerated().filter({ $0.offset % 5 == 0 }).map(\.element)
        {
            print("  kept  \(pair.kept)\n  moved \(pair.moved)")
        }
        #expect(precision == 1, "wrong merges: \(judged.filter { !planted.same($0.kept, $0.moved) })")
        #expect(recall >= 0.8, "found only \(found.count) of \(planted.sameFact.count) planted paraphrases")
        #expect(merges.count >= 10)
    }

    /// What a reviewer compares: the words, whatever their order, case, emphasis and
    /// punctuation, with contractions written out and articles left aside.
    static func reviewerKey(_ line: String) -> [String] {
        var text = line.lowercased().replacingOccurrences(of: "’", with: "'").replacingOccurrences(
            of: "n't", with: " not"
        ).replacingOccurrences(of: "can not", with: "cannot")
        if let range = text.range(of: #"^\s*([-*+]|\d+[.)])\s"#, options: .regularExpression) {
            text.removeSubrange(range)
        }
        return text.split(whereSeparator: \.isWhitespace)
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "*_`.,;:!?\"'()[]")) }
            .filter { !$0.isEmpty && !["a", "an", "the", "too", "also", "please", "-", "—"].contains($0) }
            .sorted()
    }

    /// Headings with nothing under them before the next heading (a deeper heading counts as content).
    static func emptySections(_ text: String) -> Set<String> {
        let prose = RestructuringTests.proseLines(text),
            all = text.split(separator: "\n", omittingEmptySubsequences: false)
        var empty = Set<String>()
        func level(_ line: String) -> Int? {
            let hashes = line.prefix { $0 == "#" }.count
            return (1...6).contains(hashes) && (line.count == hashes || line.dropFirst(hashes).first == " ")
                ? hashes : nil
        }
        // Code blocks stand in prose as a marker line, so a section holding only code is not empty.
        var lines: [String] = []
        var index = 0
        for line in all.dropFirst(RestructuringTests.frontMatter(text).count) {
            if index < prose.count, prose[index] == String(line) {
                lines.append(String(line))
                index += 1
            } else {
                lines.append("<code>")
            }
        }
        for (number, line) in lines.enumerated() {
            guard let own = level(line) else { continue }
            var content = false
            for next in lines[(number + 1)...] {
                if let deeper = level(next) {
                    content = content || deeper > own
                    break
                }
                if !next.trimmingCharacters(in: .whitespaces).isEmpty {
                    content = true
                    break
                }
            }
            if !content { empty.insert(line) }
        }
        return empty
    }

    /// Numbered items whose number is not one more than the item before at the same indent.
    static func brokenLists(_ text: String) -> Set<String> {
        var broken = Set<String>()
        var last: [Int: Int] = [:]
        for line in RestructuringTests.proseLines(text) {
            let indent = line.prefix { $0 == " " }.count
            if let match = line.firstMatch(of: /^ *(\d+)[.)]\s/) {
                let number = Int(match.1)!
                if let previous = last[indent], number != previous + 1 { broken.insert(line) }
                last[indent] = number
                last = last.filter { $0.key <= indent }
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                // Any other line at this indent or less ends the lists deeper than it.
                last = last.filter { $0.key < indent }
                if line.hasPrefix("#") { last = [:] }
            }
        }
        return broken
    }
}
