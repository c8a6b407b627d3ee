import Git

/// What a dream may change: memory, and its own record of sessions read. Reverie's
/// settings and git's own control files are not memory, whoever wrote the branch.
public enum DreamScope {
    /// Why a dream may not write or delete `path`, or nil.
    public static func problem(with path: String) -> String? {
        if path.hasPrefix(".reverie/") || path == ".reverie" {
            let name = path.dropFirst(SessionLedger.folder.count + 1)
            let isRecord =
                path.hasPrefix(SessionLedger.folder + "/") && !name.contains("/")
                && SessionLedger.dream(ofRecordNamed: String(name)) != nil
            return isRecord ? nil : "it is Reverie's own settings, not memory a dream may change"
        }
        let name = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        if [".gitignore", ".gitattributes", ".gitmodules", ".mailmap"].contains(name) {
            return "it is one of git's own control files, not memory a dream may change"
        }
        return nil
    }
}

extension EntryRules {
    /// What a dream may bring to main: plain files, inside `DreamScope`.
    public static let dream = EntryRules(links: .refused, refusing: DreamScope.problem(with:))
}
