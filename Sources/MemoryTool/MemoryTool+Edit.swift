import Memory

extension MemoryTool {
    /// `create`: a new Markdown file. Never replaces one, as the docs say; so a pinned file
    /// or line can never be overwritten by a create.
    mutating func create(_ raw: String, text: String) throws(ToolFailure) -> String {
        let path = try MemoryToolPath(checking: raw)
        if path.isRoot { throw ToolFailure(Texts.isFolder(path.shown)) }
        if try read(path) != nil { throw ToolFailure(Texts.alreadyExists(path.shown)) }
        if try isFolder(path) { throw ToolFailure(Texts.isFolder(path.shown)) }
        guard path.isMarkdown else { throw ToolFailure(Texts.notMarkdown(path.shown)) }
        try checkParents(of: path)
        try PinnedMemory.check(path, old: nil, new: text)
        try checkSize(text, at: path)
        try write(text, to: path)
        return Texts.created(path.shown)
    }

    /// `str_replace`: the one occurrence of `old`, verbatim, becomes `new`.
    mutating func replace(_ raw: String, old: String, new: String) throws(ToolFailure) -> String {
        let path = try MemoryToolPath(checking: raw)
        // A folder "does not exist" as a file, the docs say.
        guard let text = try read(path) else { throw ToolFailure(Texts.editMissing(path.shown)) }
        guard path.isMarkdown else { throw ToolFailure(Texts.notMarkdown(path.shown)) }
        try PinnedMemory.check(path, old: text, new: text)  // a pinned file, before any matching
        guard !old.isEmpty else { throw ToolFailure(Texts.emptyOldStr) }

        let bytes = Array(text.utf8)
        let oldBytes = Array(old.utf8)
        let found = TextLines.occurrences(of: oldBytes, in: bytes)
        guard let start = found.first else { throw ToolFailure(Texts.notFound(old, in: path.shown)) }
        guard found.count == 1 else {
            let lines = TextLines.lineNumbers(of: found, in: bytes)
            throw ToolFailure(Texts.notUnique(old, lines: lines))
        }
        let result = Self.splice(bytes, replacing: start..<(start + oldBytes.count), with: new)
        try PinnedMemory.check(path, old: text, new: result)
        try checkSize(result, at: path)
        try write(result, to: path)

        // The changed lines and two on each side, as the SDK's snippet shows them.
        let changed = TextLines.lineNumbers(of: [start], in: bytes)[0]
        let lines = TextLines(result)
        let end = changed + new.utf8.filter { $0 == UInt8(ascii: "\n") }.count
        let first = max(1, changed - 2)
        let last = min(lines.count, end + 2)
        guard first <= last else { return Texts.edited }
        return Texts.edited + "\n" + lines.numbered(from: first, through: last, budget: limits.maxViewCharacters).text
    }

    /// `insert`: `text` as new lines after line `line` (0: before the first).
    mutating func insert(_ raw: String, after line: Int, text: String) throws(ToolFailure) -> String {
        let path = try MemoryToolPath(checking: raw)
        guard let old = try read(path) else { throw ToolFailure(Texts.missing(path.shown)) }
        guard path.isMarkdown else { throw ToolFailure(Texts.notMarkdown(path.shown)) }
        try PinnedMemory.check(path, old: old, new: old)
        let count = TextLines(old).count
        guard line >= 0 && line <= count else { throw ToolFailure(Texts.invalidInsertLine(line, lines: count)) }

        // As the SDK does: the text's own trailing line breaks are dropped, one is added.
        var lines = Substring(text)
        while lines.last == "\n" || lines.last == "\r\n" { lines = lines.dropLast() }
        let bytes = Array(old.utf8)
        let point = TextLines.insertionPoint(afterLine: line, in: bytes)
        let inserted = (point.needsBreak ? "\n" : "") + lines + "\n"
        let result = Self.splice(bytes, replacing: point.offset..<point.offset, with: inserted)
        try PinnedMemory.check(path, old: old, new: result)
        try checkSize(result, at: path)
        try write(result, to: path)
        return Texts.insertDone(path.shown)
    }

    /// `bytes` with `range` replaced by `text`. The range starts and ends between whole
    /// characters (a match of valid UTF-8, or just after a line break), so the result is valid.
    private static func splice(_ bytes: [UInt8], replacing range: Range<Int>, with text: String) -> String {
        var result = bytes
        result.replaceSubrange(range, with: text.utf8)
        return String(decoding: result, as: UTF8.self)
    }
}
