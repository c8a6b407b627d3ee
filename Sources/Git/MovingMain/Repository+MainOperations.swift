extension Repository {
    /// Merges `commit` (a dream's tip) into `main` with a merge commit, even when a
    /// fast-forward were possible, so the merge can later be reverted as one.
    public func mergeIntoMain(
        _ commit: ObjectID, message: String, author: Signature? = nil, rules: EntryRules = .textOnly
    ) throws(GitError) -> MergeOutcome {
        try moveMain(
            message: message, author: author, otherParents: [commit], rules: rules,
            outcome: { .merged(commit: $0) }
        ) { (tip) throws(GitError) -> MainStep<MergeOutcome> in
            let tip = try required(tip, toStartFrom: "merge into")
            if try isAncestor(commit, of: tip) { return .stay(.alreadyMerged) }
            switch try mergeTree(commit, into: tip) {
            case .conflicted(let paths): return .stay(.conflicted(paths: paths))
            case .clean(let tree): return .commit(tree: tree)
            }
        }
    }

    /// Undoes `commit` (for a merge: everything it brought in; with `since`, every commit
    /// after that one up to `commit`) with a new commit on `main`. The files `keeping`
    /// names stay as main has them.
    @discardableResult
    public func revertOnMain(
        _ commit: ObjectID, since base: ObjectID? = nil, message: String, author: Signature? = nil,
        keeping kept: [String] = []
    ) throws(GitError) -> ObjectID {
        try moveMain(message: message, author: author, outcome: { $0 }) {
            (tip) throws(GitError) -> MainStep<ObjectID> in
            let tip = try required(tip, toStartFrom: "revert on")
            var from = base
            if from == nil { from = try commitInfo(commit).parents.first }
            let reverted = try cleanTree(revertTree(from: from, to: commit, onto: tip), of: "revert of \(commit.short)")
            return .commit(tree: try keeping(kept, asIn: tree(of: lookupCommit(tip)), in: reverted))
        }
    }

    /// Commits on `main` the tree `commit` had: history stays, the content goes back.
    ///
    /// - Returns: the new commit, or nil when `main` already has that content.
    @discardableResult
    public func restoreOnMain(
        treeOf commit: ObjectID, message: String, author: Signature? = nil
    ) throws(GitError) -> ObjectID? {
        let tree = try treeID(of: commit)
        return try moveMain(message: message, author: author, outcome: { $0 }) {
            (tip) throws(GitError) -> MainStep<ObjectID?> in
            if let tip, try treeID(of: tip) == tree { return .stay(nil) }
            return .commit(tree: tree)
        }
    }

    /// Brings the changes of `commits` (in order) onto `main` as one new commit, files
    /// included: how a person approves some changes of a dream and not others.
    @discardableResult
    public func cherryPickOntoMain(
        _ commits: [ObjectID], message: String, author: Signature? = nil, rules: EntryRules = .textOnly
    ) throws(GitError) -> ObjectID {
        try moveMain(message: message, author: author, rules: rules, outcome: { $0 }) {
            (tip) throws(GitError) -> MainStep<ObjectID> in
            let tip = try required(tip, toStartFrom: "apply changes to")
            return .commit(tree: try cleanTree(cherryPickTree(commits, onto: tip), of: "cherry-pick"))
        }
    }

    /// Brings `commit` into main, files included: nothing when main has it already, a
    /// fast-forward when main is in its history, else a merge commit with `message`. A
    /// conflict throws and changes nothing.
    ///
    /// - Returns: main's new tip, or nil when main had the commit already.
    @discardableResult
    public func bringIntoMain(
        _ commit: ObjectID, message: String, rules: EntryRules = .history
    ) throws(GitError) -> ObjectID? {
        try moveMain(message: message, otherParents: [commit], rules: rules, outcome: { $0 }) {
            (main) throws(GitError) -> MainStep<ObjectID?> in
            guard let main else { return .fastForward(to: commit) }
            if try isAncestor(commit, of: main) { return .stay(nil) }
            if try isAncestor(main, of: commit) { return .fastForward(to: commit) }
            return .commit(tree: try cleanTree(mergeTree(commit, into: main), of: "merge of \(commit.short)"))
        }
    }

    /// Moves `main` (and the files on disk, checked as `advanceMain` checks them) to
    /// `commit`, a descendant of `expectedTip`: a fast-forward, no new commit.
    @discardableResult
    public func fastForwardMain(
        from expectedTip: ObjectID?, to commit: ObjectID, rules: EntryRules = .history
    ) throws(GitError) -> ObjectID {
        if let expectedTip, try !isAncestor(expectedTip, of: commit) {
            throw .referenceMoved(reference: Self.mainReference)
        }
        return try advanceMain(
            from: expectedTip, to: try treeID(of: commit), message: "fast-forward",
            rules: rules, landing: commit)
    }

    // MARK: - The shape they share

    /// Where an operation takes `main` from its tip.
    private enum MainStep<Outcome> {
        /// To a new commit of this tree, whose parents are main's tip and the operation's others.
        case commit(tree: ObjectID)
        /// To this commit, which has main's tip in its history.
        case fastForward(to: ObjectID)
        /// Nowhere: main stays as it is, and the operation answers this.
        case stay(Outcome)
    }

    /// Reads main's tip, asks `step` where main goes from there, and goes there through
    /// `advanceMain` (the entry rules, the journal, the safe checkout), whose new commit
    /// `outcome` turns into the answer. When main moved meanwhile or a lock was held, all
    /// of it runs again from the new tip, so a retry never works from a stale one.
    private func moveMain<Outcome>(
        message: String, author: Signature? = nil, otherParents: [ObjectID] = [], rules: EntryRules = .history,
        outcome: (ObjectID) -> Outcome, _ step: (_ tip: ObjectID?) throws(GitError) -> MainStep<Outcome>
    ) throws(GitError) -> Outcome {
        try retryPolicy.run(retryingMovedReferences: true) { () throws(GitError) -> Outcome in
            let tip = try tip(ofBranch: Self.mainBranch)
            switch try step(tip) {
            case .stay(let answer):
                return answer
            case .commit(let tree):
                return outcome(
                    try advanceMain(
                        from: tip, to: tree, message: message, author: author,
                        otherParents: otherParents, rules: rules))
            case .fastForward(let commit):
                return outcome(try fastForwardMain(from: tip, to: commit, rules: rules))
            }
        }
    }

    /// Main's tip, which the operation needs to start from.
    private func required(_ tip: ObjectID?, toStartFrom operation: String) throws(GitError) -> ObjectID {
        guard let tip else { throw .notFound(what: "a commit on main to \(operation)") }
        return tip
    }

    /// The tree of a clean merge; a conflict is thrown, naming `operation`.
    private func cleanTree(_ merge: TreeMerge, of operation: String) throws(GitError) -> ObjectID {
        switch merge {
        case .clean(let tree): return tree
        case .conflicted(let paths): throw .conflict(operation: operation, paths: paths)
        }
    }

    /// `tree` with the files `paths` as `source` has them (absent there: absent).
    private func keeping(_ paths: [String], asIn source: GitTree, in tree: ObjectID) throws(GitError) -> ObjectID {
        let target = try lookupTree(tree)
        var updates: [TreeUpdate] = []
        for path in paths {
            let wanted = try treeEntry(path, in: source)
            guard try treeEntry(path, in: target) != wanted else { continue }
            updates.append(wanted.map { .upsert(path, $0.id, $0.mode) } ?? .remove(path))
        }
        return updates.isEmpty ? tree : try buildTree(base: target, updates: updates)
    }
}
