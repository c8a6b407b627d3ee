import Foundation
import Git
import Memory

/// The guard around every move of `main` a dream command makes (approve, rollback, an
/// automatic merge): main checked out and not being rewritten by Claude Code, whatever a
/// crash interrupted finished first, and a person's unsaved edits in the move's way
/// committed rather than overwritten (docs/architecture.md, invariant 1).
struct MainGuard {
    let memory: MemoryRepo
    var repository: Repository { memory.repository }

    /// Refuses to go on while main is not checked out or Claude Code consolidates; finishes
    /// what a crash interrupted.
    func requireMain() throws(DreamError) {
        // Claude Code rewriting the folder: a move now would merge into a half-written memory.
        if let holder = ConsolidationLock.holder(root: memory.root) { throw .memoryBusy(holder: holder) }
        do {
            try repository.requireMainCheckedOut()
            try recover()
        } catch {
            throw .git(error)
        }
    }

    /// Finishes or drops what a crash interrupted: a move of main between its checkout and
    /// its commit is completed; a dream still being written is dropped.
    func recover() throws(GitError) {
        // Unfinished dream refs are dropped only when no dream is being made right now.
        if case .success(let lock)? = try? ProcessLock.acquire(memory.stateDirectory + "/dream.lock") {
            try DreamWriter.removeUnfinished(in: repository, holdingDreamLock: true)
            withExtendedLifetime(lock) {}
        }
        do {
            try repository.finishInterruptedAdvance()
        } catch .workingTreeChanged {
            // The person's edits stay; what the move had written is theirs to keep or drop.
        }
    }

    /// Runs a move of `main` (the Git layer retries it when a concurrent commit moved
    /// main meanwhile). A conflict while merging `merging` says which dream and how to go on.
    ///
    /// A person's unsaved edits in the move's way are committed (they are theirs, and the
    /// move then merges around them), and the move is tried once more. The move itself
    /// finds them, before writing anything: no separate look beforehand. Edits elsewhere
    /// are not in its way, and the daemon commits them.
    func move<T>(
        merging dream: String?, before action: String, _ body: () throws(GitError) -> T
    ) throws(DreamError) -> T {
        do {
            return try body()
        } catch .workingTreeChanged(let paths) {
            let edits = try commitPendingEdits(paths, before: action)
            do {
                return try body()
            } catch {
                throw Self.describe(error, merging: dream, editsCommitted: edits)
            }
        } catch {
            throw Self.describe(error, merging: dream)
        }
    }

    /// Commits those of `paths` (nil: of all files) that hold a person's edits (a file
    /// changed, added or removed, or staged), as the daemon would have. Returns the commit.
    @discardableResult
    func commitPendingEdits(_ paths: [String]?, before action: String) throws(DreamError) -> ObjectID? {
        do {
            let pending = try repository.pendingPaths(only: paths)
            guard !pending.isEmpty else { return nil }
            return try repository.commitWorkingTree(paths: pending) { changes in
                CommitMessage.forEdits(changes) + "\n\nCommitted before \(action)."
            }
        } catch {
            throw .git(error)
        }
    }

    private static func describe(
        _ error: GitError, merging dream: String?, editsCommitted edits: ObjectID? = nil
    ) -> DreamError {
        if case .invalidPath(let path, let reason) = error {
            return .refusedEntry(dream: dream, path: path, reason: reason)
        }
        guard case .conflict(let operation, let paths) = error else { return .git(error) }
        guard let dream else { return .git(.conflict(operation: operation, paths: paths)) }
        return .conflict(dream: dream, paths: paths, editsCommitted: edits?.short)
    }
}
