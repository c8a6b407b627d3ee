import CLibGit2
import Foundation

extension Repository {
    /// The folder of a remote on this machine (`file://…` or an absolute path); nil for a
    /// network URL.
    static func localPath(of url: String) -> String? {
        if url.hasPrefix("file://") { return String(url.dropFirst("file://".count)).removingPercentEncoding }
        return url.hasPrefix("/") ? url : nil
    }

    /// A push to a repository on this machine. libgit2's local transport moves the
    /// remote's references without checking their old value, so two clones pushing at
    /// once would each overwrite the other's commits. Here the objects travel to a fresh
    /// reference there, then each reference moves with a compare-and-swap against the
    /// value it was checked against (git's own ref locks), and the fresh ones go.
    func pushLocally(
        to path: String, url: String, updates: [(commit: ObjectID?, reference: String)], credentials: RemoteCredentials
    ) throws(GitError) {
        var opened: OpaquePointer?
        let code = git_repository_open_ext(&opened, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        guard code == 0, let remote = opened else {
            let message =
                git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "no repository there"
            throw .unreachable(url: RemoteURL.displayed(url), message: message)
        }
        defer { git_repository_free(remote) }
        var current: [ObjectID?] = []
        for update in updates {
            var oid = git_oid()
            let found = git_reference_name_to_id(&oid, remote, update.reference)
            if found != 0 && found != GIT_ENOTFOUND.rawValue {
                try LibGit2.check(found, "read \(update.reference) of \(path)")
            }
            let now = found == 0 ? ObjectID(oid) : nil
            current.append(now)
            if let commit = update.commit, let now, now != commit {
                var new = commit.oid, old = now.oid
                guard git_graph_descendant_of(pointer, &new, &old) == 1 else {
                    throw .pushRejected(
                        reference: update.reference,
                        reason: "the remote has commits there that this clone has not merged; "
                            + "fetch and merge them, then push again "
                            + "(Reverie never force-pushes)")
                }
            }
        }
        let tag = UUID().uuidString.prefix(8).lowercased()
        var incoming: [(commit: ObjectID?, reference: String)] = []
        for (index, update) in updates.enumerated() {
            if let commit = update.commit { incoming.append((commit, "refs/reverie/incoming/\(tag)-\(index)")) }
        }
        defer {
            for scratch in incoming {
                var reference: OpaquePointer?
                if git_reference_lookup(&reference, remote, scratch.reference) == 0 {
                    git_reference_delete(reference)
                    git_reference_free(reference)
                }
            }
        }
        if !incoming.isEmpty { try pushThroughTransport(to: url, updates: incoming, credentials: credentials) }
        for (update, now) in zip(updates, current) {
            var result: Int32
            var reference: OpaquePointer?
            if let commit = update.commit {
                guard now != commit else { continue }
                var new = commit.oid
                if let now {
                    var old = now.oid
                    result = git_reference_create_matching(
                        &reference, remote, update.reference, &new, 1, &old, "reverie push")
                } else {
                    result = git_reference_create(&reference, remote, update.reference, &new, 0, "reverie push")
                }
            } else {
                guard now != nil else { continue }
                result = git_reference_lookup(&reference, remote, update.reference)
                if result == 0 { result = git_reference_delete(reference) }
            }
            git_reference_free(reference)
            // Moved meanwhile, or being moved by another push right now (its lock held).
            if [GIT_EMODIFIED, GIT_EEXISTS, GIT_ENOTFOUND, GIT_ELOCKED].contains(where: { $0.rawValue == result }) {
                throw .pushRejected(
                    reference: update.reference,
                    reason: "the remote moved while this clone pushed; fetch and merge it, then push again")
            }
            try LibGit2.check(result, "update \(update.reference) of \(path)")
        }
    }
}
