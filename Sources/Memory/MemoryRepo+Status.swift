import Foundation
import Git
import Glibc

extension MemoryRepo {
    /// The repo's state: where HEAD is, what is pending, what would pause the daemon.
    public func status() throws(MemoryError) -> MemoryStatus {
        let config = try config()
        let files = try memoryFiles()
        do {
            let head = try repository.head()
            let mainTip = try repository.tip(ofBranch: Repository.mainBranch)
            let tip = try mainTip.map { id throws(GitError) in try repository.commitInfo(id.hex) }
            let commits = mainTip == nil ? 0 : try repository.commitCount(firstParentOnly: true)
            var paused: String?
            if head.branchName != Repository.mainBranch {
                paused = "HEAD is on \(head.description), not main"
            } else if let operation = repository.operationInProgress() {
                paused = "a git \(operation) is in progress"
            } else if repository.isIndexLocked {
                paused = "another git process holds .git/index.lock"
            } else if repository.isMovingMain {
                paused = "Reverie is moving main, or a move was cut short (any reverie command finishes it)"
            } else if let holder = ConsolidationLock.holder(root: root) {
                paused = holder
            }
            let pending = head.branchName == Repository.mainBranch ? try repository.pending() : PendingPaths()
            var status = MemoryStatus(
                path: root, head: head.description,
                main: tip.map { .init(id: $0.id.hex, summary: $0.summary, date: Self.timestamp($0.committer.date)) },
                commits: commits, memoryFiles: files.count,
                pending: pending.paths, notUTF8: pending.notUTF8,
                paused: paused, dreamsAwaitingReview: [], daemonPID: daemonPID(),
                mergePolicy: config.dream.merge.rawValue, dreamSchedule: config.dream.schedule.description)
            status.untrustedSettings = SettingsTrust(memory: self).untrusted(in: config)?.changes ?? []
            return status
        } catch {
            throw .git(error)
        }
    }

    /// Events read per session id by every dream so far (`SessionLedger`).
    public func sessionsRead() throws(MemoryError) -> [String: Int] {
        try sessionRecords().read
    }

    /// What the records of every dream say: the sessions read by this machine's dreams, and
    /// the entries main's records say sessions bore out.
    public func sessionRecords() throws(MemoryError) -> SessionLedger.Records {
        let machine = try machineID()
        do {
            return try SessionLedger.records(in: repository, machine: machine)
        } catch {
            throw .git(error)
        }
    }

    /// This clone's machine id once a remote is set (dream ids and records of sessions read
    /// carry it then); nil for memory that stays on one machine.
    public func machineID() throws(MemoryError) -> String? {
        try config().remote.isConfigured ? MachineID.of(stateDirectory: stateDirectory) : nil
    }

    /// The file whose flock marks a running `reverie watch` (taken by `Daemon.DaemonLock`).
    public var daemonLockFile: String { stateDirectory + "/watch.lock" }

    /// The pid of the running daemon, read without taking its lock; nil when none runs.
    public func daemonPID() -> Int32? {
        let descriptor = Glibc.open(daemonLockFile, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return Self.pid(inLockFile: descriptor) ?? 0
    }

    /// The pid a daemon wrote into its lock file.
    public static func pid(inLockFile descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `main`'s own story, newest first: each dream appears as its one merge.
    public func history(limit: Int? = nil) throws(MemoryError) -> [HistoryEntry] {
        do {
            guard try repository.tip(ofBranch: Repository.mainBranch) != nil else { return [] }
            return try repository.log(firstParentOnly: true, limit: limit).map { commit in
                let dream = commit.values(of: .dream).first
                let kind: HistoryEntry.Kind = commit.isMerge ? (dream == nil ? .merge : .dream) : .edit
                return HistoryEntry(
                    id: commit.id.hex, date: Self.timestamp(commit.author.date),
                    author: commit.author.name, summary: commit.summary, kind: kind,
                    dream: kind == .dream ? dream : nil)
            }
        } catch {
            throw .git(error)
        }
    }

    /// ISO 8601 in UTC, the form both people and scripts read without doubt.
    public static func timestamp(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(.iso8601)
    }
}
