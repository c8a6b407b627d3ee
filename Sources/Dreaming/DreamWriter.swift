import Foundation
import Git
import Memory

/// Writes a checked plan as the branch `dreams/<id>`: first the record of the sessions the
/// dream read, then one commit per change, all in the object database. The working tree
/// and the index are never touched (docs/architecture.md). The commits grow on a ref
/// under `refs/reverie/building/`, and the branch appears only once the last one is
/// written: a crash leaves no dream (and no record of sessions read), never half of one.
struct DreamWriter {
    let repository: Repository
    let consolidator: String
    /// Extra `Reverie-…` trailers for every commit (`DreamPlan.trailers`).
    var trailers: [String: String] = [:]

    func write(
        id: String, base: ObjectID, ledger: String, sessions: Int, changes: [MemoryChange],
        redactions: [Int: Int], dropped: [DroppedChange] = [], usage: TokenUsage? = nil
    ) throws(GitError) -> ObjectID {
        let building = DreamRef.buildingPrefix + id
        var tip = try repository.commit(
            [.write(SessionLedger.path(forDream: id), ledger)], onReference: building, base: base,
            message: DreamMessage.record(
                dream: id, sessions: sessions, dropped: dropped, usage: usage,
                consolidator: consolidator, extra: trailers))
        for (index, change) in changes.enumerated() {
            var treeChanges: [TreeEdit] = change.writes.keys.sorted().map { .write($0, change.writes[$0]!) }
            treeChanges += change.deletes.sorted().map { .delete(path: $0) }
            tip = try repository.commit(
                treeChanges, onReference: building, base: tip,
                message: DreamMessage.change(
                    change, dream: id, redacted: redactions[index] ?? 0,
                    consolidator: consolidator, extra: trailers))
        }
        try repository.setReference(DreamRef.branch(id), to: tip, message: "reverie dream \(id)")
        try repository.deleteReference(building)
        return tip
    }

    /// Drops what a crashed dream left under construction: no branch ever pointed at it.
    /// Only a process holding the dream lock may pass `holdingDreamLock`: then no one else
    /// can be writing these refs, and a ref lock file left there is a dead dream's.
    static func removeUnfinished(in repository: Repository, holdingDreamLock: Bool = false) throws(GitError) {
        if holdingDreamLock {
            let folder = repository.gitDirectory + "/" + DreamRef.buildingPrefix
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where name.hasSuffix(".lock") {
                unlink(folder + name)
            }
            // A dream killed while publishing its branch leaves the lock of a branch that
            // never came to be; only the dream writer creates these.
            let branches = repository.gitDirectory + "/" + DreamRef.branchPrefix
            for name in (try? FileManager.default.contentsOfDirectory(atPath: branches)) ?? []
            where name.hasSuffix(".lock") {
                let branch = DreamRef.branch(String(name.dropLast(".lock".count)))
                if (try? repository.tip(ofReference: branch)) ?? nil == nil { unlink(branches + name) }
            }
        }
        for reference in try repository.references(under: DreamRef.buildingPrefix) {
            try repository.deleteReference(reference.name)
        }
    }
}
