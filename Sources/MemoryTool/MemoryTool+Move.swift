import Memory

extension MemoryTool {
    /// `delete`: a memory file, or a folder and every file below it.
    mutating func delete(_ raw: String) throws(ToolFailure) -> String {
        let path = try MemoryToolPath(checking: raw)
        if path.isRoot { throw ToolFailure(Texts.deleteRoot) }
        let moving = try filesToMove(path)
        for (file, _) in moving { try remove(file) }
        return Texts.deleted(path.shown)
    }

    /// `rename`: a file or a folder to a path where nothing is yet.
    mutating func rename(_ rawOld: String, to rawNew: String) throws(ToolFailure) -> String {
        let old = try MemoryToolPath(checking: rawOld)
        let new = try MemoryToolPath(checking: rawNew)
        if old.isRoot { throw ToolFailure(Texts.renameRoot) }
        let moving = try filesToMove(old)
        let taken = try read(new) != nil
        let folder = try isFolder(new)
        if taken || folder { throw ToolFailure(Texts.destinationExists(new.shown)) }
        guard let oldValue = old.repoPath?.value, let newValue = new.repoPath?.value else {
            throw ToolFailure(Texts.renameRoot)
        }
        if newValue.hasPrefix(oldValue + "/") { throw ToolFailure(Texts.intoItself(old.shown, new.shown)) }
        try checkParents(of: new)

        // Every destination is checked before anything is written, so a refusal changes nothing.
        var moves: [(from: MemoryToolPath, to: MemoryToolPath, text: String)] = []
        for (file, text) in moving {
            guard let fileValue = file.repoPath?.value else { continue }
            let suffix = fileValue.dropFirst(oldValue.count)  // "" for a file, "/x.md" in a folder
            let target = try MemoryToolPath(relative: newValue + suffix)
            guard target.isMarkdown else { throw ToolFailure(Texts.notMarkdown(target.shown)) }
            moves.append((file, target, text))
        }
        for move in moves { try write(move.text, to: move.to) }
        for move in moves { try remove(move.from) }
        return Texts.renamed(old.shown, new.shown)
    }

    /// The file at `path`, or every file below the folder `path`, with its text, once each
    /// has been found free to move or delete: a memory file, not pinned, no pinned line.
    private func filesToMove(_ path: MemoryToolPath) throws(ToolFailure) -> [(MemoryToolPath, String)] {
        if let text = try read(path) {
            guard path.isMarkdown else { throw ToolFailure(Texts.notMarkdown(path.shown)) }
            try PinnedMemory.check(path, old: text, new: nil)
            return [(path, text)]
        }
        let below = try files(under: path).keys.sorted()
        guard !below.isEmpty else { throw ToolFailure(Texts.missing(path.shown)) }
        var found: [(MemoryToolPath, String)] = []
        for repoPath in below {
            let file = MemoryToolPath(repoPath)
            // Hidden files and other formats are not the tool's to move or delete.
            guard (try? MemoryToolPath(checking: file.shown)) != nil, file.isMarkdown else {
                throw ToolFailure(Texts.folderHoldsOther(path.shown, file.shown))
            }
            guard let text = try read(file) else { continue }
            try PinnedMemory.check(file, old: text, new: nil)
            found.append((file, text))
        }
        return found
    }
}
