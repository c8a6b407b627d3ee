import CLibGit2
import Foundation

extension Repository {
    // MARK: - Fetch and push

    /// Downloads what the remote at `url` has under `refspecs`' sources and returns every
    /// reference the remote has, by name, with its commit. No reference here changes: the
    /// caller decides what to believe (a rewritten history is refused before any ref moves).
    public func fetch(
        from url: String, refspecs: [String], credentials: RemoteCredentials
    ) throws(GitError) -> [String: ObjectID] {
        let remote = try anonymousRemote(url)
        defer { git_remote_free(remote) }
        let session = RemoteSession(
            url: url, credentials: credentials, workingDirectory: workingDirectory,
            repository: pointer)
        var options = git_fetch_options()
        try LibGit2.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "prepare fetch")
        options.prune = GIT_FETCH_NO_PRUNE
        options.update_fetchhead = 0
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.proxy_opts.type = GIT_PROXY_AUTO
        session.callbacks(into: &options.callbacks)
        return try withExtendedLifetime(session) { () throws(GitError) -> [String: ObjectID] in
            var code = git_remote_connect(remote, GIT_DIRECTION_FETCH, &options.callbacks, &options.proxy_opts, nil)
            if code < 0 { throw session.error(code: code, operation: "connect to") }
            defer { git_remote_disconnect(remote) }
            var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
            var count = 0
            code = git_remote_ls(&heads, &count, remote)
            if code < 0 { throw session.error(code: code, operation: "list the references of") }
            var advertised: [String: ObjectID] = [:]
            for index in 0..<count {
                guard let head = heads?[index]?.pointee, let name = String(validatingCString: head.name),
                    name.hasPrefix("refs/heads/")
                else { continue }
                advertised[name] = ObjectID(head.oid)
            }
            let wanted = refspecs.filter { spec in
                advertised.keys.contains { Self.matches($0, source: spec) }
            }
            if !wanted.isEmpty {
                code = Self.withStrArray(wanted) { array in git_remote_download(remote, &array, &options) }
                if code < 0 { throw session.error(code: code, operation: "fetch from") }
            }
            session.approveCredentials()
            return advertised
        }
    }

    /// Pushes `updates` to the remote at `url`: each a local commit (nil: delete) for a
    /// remote reference. Never forced: an update whose remote value is not in the history
    /// of what is pushed is refused before anything is sent, and so is a deletion not
    /// listed in `deleting`.
    public func push(
        to url: String, updates: [(commit: ObjectID?, reference: String)], credentials: RemoteCredentials
    ) throws(GitError) {
        guard !updates.isEmpty else { return }
        for update in updates { try requireValidReferenceName(update.reference) }
        if let path = Self.localPath(of: url) {
            try pushLocally(to: path, url: url, updates: updates, credentials: credentials)
        } else {
            try pushThroughTransport(to: url, updates: updates, credentials: credentials)
        }
    }

    /// A push through libgit2's transport: the remote (git's receive-pack) moves each
    /// reference only if it still has the value the push was checked against.
    func pushThroughTransport(
        to url: String, updates: [(commit: ObjectID?, reference: String)], credentials: RemoteCredentials
    ) throws(GitError) {
        let remote = try anonymousRemote(url)
        defer { git_remote_free(remote) }
        let session = RemoteSession(
            url: url, credentials: credentials, workingDirectory: workingDirectory,
            repository: pointer)
        session.allowedDeletions = Set(updates.filter { $0.commit == nil }.map(\.reference))
        // A refspec names a local reference: each commit pushed gets a scratch one.
        var scratch: [String] = []
        var refspecs: [String] = []
        let tag = UUID().uuidString.prefix(8).lowercased()  // two pushes at once never share one
        for (index, update) in updates.enumerated() {
            guard let commit = update.commit else {
                refspecs.append(":" + update.reference)
                continue
            }
            let local = "refs/reverie/push/\(tag)-\(index)"
            try setReference(local, to: commit, message: "reverie push")
            scratch.append(local)
            refspecs.append("\(local):\(update.reference)")
        }
        defer { for name in scratch { try? deleteReference(name) } }
        var options = git_push_options()
        try LibGit2.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "prepare push")
        options.proxy_opts.type = GIT_PROXY_AUTO
        session.callbacks(into: &options.callbacks)
        try withExtendedLifetime(session) { () throws(GitError) in
            let code = Self.withStrArray(refspecs) { array in git_remote_push(remote, &array, &options) }
            if code < 0 { throw session.error(code: code, operation: "push to") }
            session.approveCredentials()
            if let rejected = session.rejections.first {
                throw .pushRejected(reference: rejected.reference, reason: rejected.reason)
            }
        }
    }

    private func anonymousRemote(_ url: String) throws(GitError) -> OpaquePointer {
        var remote: OpaquePointer?
        let code = git_remote_create_anonymous(&remote, pointer, url)
        if code < 0 { throw .invalidRemoteURL(url: RemoteURL.displayed(url)) }
        return remote!
    }

    /// Whether the reference `name` is what the source side of `refspec` names.
    static func matches(_ name: String, source refspec: String) -> Bool {
        let source = refspec.hasPrefix("+") ? String(refspec.dropFirst()) : refspec
        let pattern =
            source.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            ?? source
        if let star = pattern.firstIndex(of: "*") {
            return name.hasPrefix(pattern[..<star]) && name.hasSuffix(pattern[pattern.index(after: star)...])
        }
        return name == pattern
    }

    private static func withStrArray(_ strings: [String], _ body: (inout git_strarray) -> Int32) -> Int32 {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers = copies
        return pointers.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return body(&array)
        }
    }

    // MARK: - Remotes in git's own config

    /// Sets `remote.<name>.url` (and git's usual fetch refspec) in `.git/config`, so plain
    /// git (`git fetch origin`, `git push`) reaches the same remote as Reverie.
    public func setRemote(name: String, url: String) throws(GitError) {
        var existing: OpaquePointer?
        let code = git_remote_lookup(&existing, pointer, name)
        if code == 0 {
            git_remote_free(existing)
            try LibGit2.check(git_remote_set_url(pointer, name, url), "set the URL of remote \(name)")
            return
        }
        if code != GIT_ENOTFOUND.rawValue { try LibGit2.check(code, "read remote \(name)") }
        var created: OpaquePointer?
        try LibGit2.check(git_remote_create(&created, pointer, name, url), "add remote \(name)")
        git_remote_free(created)
    }

    /// `remote.<name>.url` in this clone's own git config (set by `git clone` or `git remote`),
    /// or nil when there is no such remote.
    public func remoteURL(named name: String) throws(GitError) -> String? {
        var remote: OpaquePointer?
        let code = git_remote_lookup(&remote, pointer, name)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
        try LibGit2.check(code, "read remote \(name)")
        defer { git_remote_free(remote) }
        return git_remote_url(remote).map { String(cString: $0) }
    }

    // MARK: - Comparing histories

    /// How many commits `local` has that `upstream` has not, and the other way round.
    public func aheadBehind(_ local: ObjectID, _ upstream: ObjectID) throws(GitError) -> (ahead: Int, behind: Int) {
        var ahead = 0, behind = 0
        var one = local.oid, two = upstream.oid
        try LibGit2.check(git_graph_ahead_behind(&ahead, &behind, pointer, &one, &two), "compare histories")
        return (ahead, behind)
    }

    /// Makes a commit of `tree` with `parents` on `reference` (not main), which must not
    /// exist yet or point at the first parent.
    @discardableResult
    public func commit(
        tree: ObjectID, parents: [ObjectID], message: String, onReference reference: String, author: Signature? = nil
    ) throws(GitError) -> ObjectID {
        guard reference != Self.mainReference else {
            throw .invalidReference(name: reference, reason: "main only moves through advanceMain")
        }
        try requireValidReferenceName(reference)
        var commits: [GitCommit] = []
        for parent in parents { commits.append(try lookupCommit(parent)) }
        return try createCommit(
            tree: tree, parents: commits, message: message, author: author ?? .default(for: self),
            updating: reference)
    }
}
