import CLibGit2
import Foundation

/// Branches and the refs only Reverie writes: read, listed, moved, deleted.
extension Repository {
    /// The commit a branch points to, or nil when the branch does not exist.
    public func tip(ofBranch branch: String) throws(GitError) -> ObjectID? {
        try tip(ofReference: "refs/heads/\(branch)")
    }

    /// The commit a full reference name points to, or nil when it does not exist.
    public func tip(ofReference name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "read \(name)")
        return ObjectID(oid)
    }

    /// Every reference under `prefix` (e.g. `refs/heads/dreams/`), by name, with its commit.
    public func references(under prefix: String) throws(GitError) -> [(name: String, tip: ObjectID)] {
        var names = git_strarray()
        try LibGit2.check(git_reference_list(&names, pointer), "list references")
        defer { git_strarray_dispose(&names) }
        var result: [(name: String, tip: ObjectID)] = []
        for i in 0..<names.count {
            guard let cName = names.strings[i] else { continue }
            let name = String(cString: cName)
            guard name.hasPrefix(prefix), let tip = try tip(ofReference: name) else { continue }
            result.append((name, tip))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// Creates or moves a reference that only Reverie writes (e.g. `refs/reverie/…`).
    ///
    /// `main` is append-only and never moves through this.
    public func setReference(_ name: String, to id: ObjectID, message: String) throws(GitError) {
        guard name != Self.mainReference else {
            throw .invalidReference(name: name, reason: "main only moves forward through commits")
        }
        try requireValidReferenceName(name)
        var oid = id.oid
        var out: OpaquePointer?
        try LibGit2.check(git_reference_create(&out, pointer, name, &oid, 1, message), "set \(name)")
        _ = GitReference(out!)
    }

    /// Deletes a reference other than `main`; the commits stay in the object database.
    public func deleteReference(_ name: String) throws(GitError) {
        guard name != Self.mainReference else {
            throw .invalidReference(name: name, reason: "main is never deleted")
        }
        var out: OpaquePointer?
        let code = git_reference_lookup(&out, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return }
        try LibGit2.check(code, "find \(name)")
        let reference = GitReference(out!)
        try LibGit2.check(git_reference_delete(reference.pointer), "delete \(name)")
    }

    func requireValidReferenceName(_ name: String) throws(GitError) {
        var valid: Int32 = 0
        try LibGit2.check(git_reference_name_is_valid(&valid, name), "check \(name)")
        if valid == 0 { throw .invalidReference(name: name, reason: "git does not allow this name") }
    }
}
