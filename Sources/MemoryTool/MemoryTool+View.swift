import Memory

extension MemoryTool {
    /// `view`: a folder two levels deep with sizes, or a file with line numbers.
    mutating func view(_ raw: String, range: MemoryToolCommand.ViewRange?) throws(ToolFailure) -> String {
        let path = try MemoryToolPath(checking: raw)
        if let text = try read(path) { return try viewFile(path, text: text, range: range) }
        guard try isFolder(path) else { throw ToolFailure(Texts.viewMissing(path.shown)) }
        if range != nil { throw ToolFailure(Texts.viewRangeOnFolder) }
        return try listing(path)
    }

    private func viewFile(
        _ path: MemoryToolPath, text: String, range: MemoryToolCommand.ViewRange?
    ) throws(ToolFailure) -> String {
        let lines = TextLines(text)
        let count = lines.count
        if count > 999_999 { throw ToolFailure(Texts.tooManyLines(path.shown)) }
        var first = 1
        var last = count
        if let range {
            // The editor tool's checks, in its order.
            if range.first < 1 || range.first > count { throw ToolFailure(Texts.viewRangeFirst(range, lines: count)) }
            if range.last > count { throw ToolFailure(Texts.viewRangeLastTooLarge(range, lines: count)) }
            if range.last != -1 && range.last < range.first { throw ToolFailure(Texts.viewRangeLastBeforeFirst(range)) }
            first = range.first
            last = range.last == -1 ? count : range.last
        }
        let header = Texts.fileHeader(path.shown)
        guard count > 0 else { return header + "\n" }
        let page = lines.numbered(from: first, through: last, budget: limits.maxViewCharacters)
        var answer = header + "\n" + page.text
        if page.cut {
            answer += Texts.lineCut(page.last, characters: limits.maxViewCharacters)
        }
        if page.last < last {
            let shown = page.last - first + 1
            answer += Texts.viewPaged(
                first: first, last: page.last, of: count,
                nextFirst: page.last + 1, nextLast: min(count, page.last + shown))
        }
        return answer
    }

    /// Sizes are the sum of the visible files below, as `du` adds them up; hidden files
    /// (`.gitignore`, `.reverie/`) are neither listed nor counted, as the header says.
    private func listing(_ folder: MemoryToolPath) throws(ToolFailure) -> String {
        let root = ListingNode()
        let prefixLength = folder.repoPath.map { $0.value.count + 1 } ?? 0
        for (path, size) in try files(under: folder) {
            let names = path.value.dropFirst(prefixLength).split(separator: "/")
            guard !names.contains(where: { $0.hasPrefix(".") || $0 == "node_modules" }) else { continue }
            var node = root
            node.size += size
            for name in names {
                let child = node.children[String(name)] ?? ListingNode()
                node.children[String(name)] = child
                child.size += size
                node = child
            }
            node.isFile = true
        }

        var entries: [String] = []
        func add(_ node: ListingNode, path: String, depth: Int) {
            for (name, child) in node.children.sorted(by: { $0.key < $1.key }) {
                let childPath = "\(path)/\(name)"
                if child.isFile {
                    entries.append("\(Texts.size(child.size))\t\(childPath)")
                } else {
                    // A trailing slash marks a folder, as the SDK's listing does.
                    entries.append("\(Texts.size(child.size))\t\(childPath)/")
                    if depth < 2 { add(child, path: childPath, depth: depth + 1) }
                }
            }
        }
        add(root, path: folder.shown, depth: 1)

        var answer = Texts.listingHeader(folder.shown) + "\n\(Texts.size(root.size))\t\(folder.shown)"
        var used = answer.count
        for (index, entry) in entries.enumerated() {
            used += entry.count + 1
            if used > limits.maxViewCharacters {
                return answer + Texts.listingCut(shown: index, of: entries.count, in: folder.shown)
            }
            answer += "\n" + entry
        }
        return answer
    }
}

/// One folder or file of a listing, with the size of all it holds.
private final class ListingNode {
    var size = 0
    var isFile = false
    var children: [String: ListingNode] = [:]
}
