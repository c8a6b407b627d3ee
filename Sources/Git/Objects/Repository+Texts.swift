extension Repository {
    /// Every UTF-8 file's text at a commit (nil: the empty tree), by path; `including`
    /// chooses which paths are read.
    public func texts(
        at commit: ObjectID?, including: (String) -> Bool = { _ in true }
    ) throws(GitError) -> [String: String] {
        guard let commit else { return [:] }
        var texts: [String: String] = [:]
        for path in try files(at: commit.hex) where including(path) {
            if let data = try readFile(path, at: commit.hex), let text = String(data: data, encoding: .utf8) {
                texts[path] = text
            }
        }
        return texts
    }
}
