import Foundation

/// What `advanceMain` is about to do, written to `.git/REVERIE_MOVING_MAIN` before it
/// touches the working tree and removed once `main` and the index have moved. It sits
/// beside git's own `MERGE_HEAD` for the same reason: while it exists an operation is
/// half done, and the daemon must not commit the files it has written as a person's.
struct AdvanceJournal: Equatable {
    let tip: ObjectID?
    let tree: ObjectID
    let otherParents: [ObjectID]
    let message: String
    /// The existing commit main moves to (a fast-forward), instead of a new commit.
    var landing: ObjectID? = nil

    static let name = "REVERIE_MOVING_MAIN"

    static func path(in gitDirectory: String) -> String { gitDirectory + "/" + name }

    func write(in gitDirectory: String) throws(GitError) {
        var text = "tip \(tip?.hex ?? "none")\ntree \(tree.hex)\n"
        for parent in otherParents { text += "parent \(parent.hex)\n" }
        if let landing { text += "commit \(landing.hex)\n" }
        text += "\n" + message
        // Whole or not at all (written aside, then renamed), and on disk before any file
        // of the move is: after a power cut the files it wrote must still be explained.
        // Plain system calls: Foundation's atomic write costs a millisecond more.
        let path = Self.path(in: gitDirectory), aside = path + ".new"
        let descriptor = open(aside, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: aside, message: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(aside, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(aside)
            throw .io(path: path, message: message)
        }
    }

    static func read(in gitDirectory: String) -> AdvanceJournal? {
        guard let data = FileManager.default.contents(atPath: path(in: gitDirectory)) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\n\n") else { return nil }
        var tip: ObjectID?, tree: ObjectID?, parents: [ObjectID] = [], landing: ObjectID?
        var sawTip = false
        for line in text[..<split.lowerBound].split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case "tip":
                sawTip = true
                tip = parts[1] == "none" ? nil : ObjectID(hex: parts[1])
            case "tree": tree = ObjectID(hex: parts[1])
            case "parent": if let id = ObjectID(hex: parts[1]) { parents.append(id) }
            case "commit": landing = ObjectID(hex: parts[1])
            default: return nil
            }
        }
        guard sawTip, let tree else { return nil }
        return AdvanceJournal(
            tip: tip, tree: tree, otherParents: parents, message: String(text[split.upperBound...]),
            landing: landing)
    }

    static func remove(in gitDirectory: String) {
        try? FileManager.default.removeItem(atPath: path(in: gitDirectory))
    }

    /// How long a lock must have been left before it counts as the dead move's.
    static let abandonedAfter: TimeInterval = 5

    /// Removes `lock` if it was made after the journal (by the move) and is older than
    /// `abandonedAfter`, waiting for it to grow that old if need be.
    static func removeIfLeftByTheMove(_ lock: String, in gitDirectory: String, clock: WaitClock) {
        func modified(_ path: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        guard let journalTime = modified(path(in: gitDirectory)), var lockTime = modified(lock),
            lockTime >= journalTime.addingTimeInterval(-1)
        else { return }
        while clock.now().timeIntervalSince(lockTime) < abandonedAfter {
            clock.sleep(.milliseconds(200))
            guard let again = modified(lock) else { return }  // released: it was alive
            lockTime = again
        }
        unlink(lock)
    }
}
