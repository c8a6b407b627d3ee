import Foundation
import Git

/// The record, in git, of what every dream has read: one file per dream,
/// `.reverie/dreams/<id>.sessions`, a line per session with the number of its events the
/// dream read. It is committed on the dream's branch, so it travels with the dream
/// (merged, cloned, pushed) and a crash, a restart or a fresh clone never dreams the same
/// events twice. One file per dream means two dreams never conflict over it.
public enum SessionLedger {
    /// Where the ledger files are, relative to the memory repo.
    public static let folder = ".reverie/dreams"

    static let suffix = ".sessions"

    /// The ledger file of dream `id`.
    public static func path(forDream id: String) -> String { "\(folder)/\(id)\(suffix)" }

    /// The dream whose record a file in `folder` is, by its name; nil for any other file.
    public static func dream(ofRecordNamed name: String) -> String? {
        name.hasSuffix(suffix) && name.count > suffix.count ? String(name.dropLast(suffix.count)) : nil
    }

    /// The file a dream commits: a comment, then `<events read>\t<session id>` lines.
    /// With a remote, `machine` names the clone whose transcripts these are
    /// (`# machine: <id>`): each machine reads its own, and only its own record counts there.
    /// `reinforced` entries, borne out by sessions up to `day`, follow as
    /// `# reinforced <day>\t<entry>` lines.
    public static func text(
        dream id: String, read: [(session: String, events: Int)], machine: String? = nil,
        reinforced: [String] = [], day: Date? = nil
    ) -> String {
        var text =
            "# Sessions dream \(id) read: events read, then the session id. Written by Reverie;\n"
            + "# the next dream reads only what came after.\n"
        if let machine { text += "\(machinePrefix)\(machine)\n" }
        for entry in read.sorted(by: { $0.session < $1.session }) {
            let id = entry.session.map { $0 == "\n" || $0 == "\t" ? " " : $0 }
            text += "\(entry.events)\t\(String(id))\n"
        }
        if let day {
            let stamp = String(MemoryRepo.timestamp(day).prefix(10))
            for entry in Set(reinforced.map { $0.trimmingCharacters(in: .whitespaces) }).sorted()
            where !entry.isEmpty && !entry.contains(where: \.isNewline) {
                text += "\(reinforcedPrefix)\(stamp)\t\(entry)\n"
            }
        }
        return text
    }

    /// Events read per session id, from one ledger file; lines that do not parse are
    /// passed over (a person may have edited it).
    public static func parse(_ text: String) -> [String: Int] {
        var read: [String: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, let events = Int(parts[0]) else { continue }
            read[String(parts[1]), default: 0] = max(read[String(parts[1])] ?? 0, events)
        }
        return read
    }

    static let reinforcedPrefix = "# reinforced "

    /// When sessions last bore out each entry, by its trimmed line, from one record's text.
    static func reinforced(in text: String, into days: inout [String: Date]) {
        for line in text.split(separator: "\n") where line.hasPrefix(reinforcedPrefix) {
            let parts = line.dropFirst(reinforcedPrefix.count).split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, let day = try? Date(String(parts[0]) + "T00:00:00Z", strategy: .iso8601) else {
                continue
            }
            days[String(parts[1])] = max(days[String(parts[1])] ?? day, day)
        }
    }

    static let machinePrefix = "# machine: "

    /// The machine a ledger names, if it names one.
    static func machine(of text: String) -> String? {
        text.split(separator: "\n").prefix(4).first { $0.hasPrefix(machinePrefix) }
            .map { String($0.dropFirst(machinePrefix.count)).trimmingCharacters(in: .whitespaces) }
    }

    /// What the records of every dream say, read in one pass.
    public struct Records: Sendable, Equatable {
        /// Events read per session id, by every dream (`read(from:machine:)`).
        public var read: [String: Int] = [:]
        /// When sessions last bore out each entry, by its trimmed line, from the records on
        /// `main` only: a rejected or waiting dream's sessions prove nothing yet.
        public var reinforced: [String: Date] = [:]
    }

    /// What all dreams together have read: the ledgers on `main`, on every dream branch
    /// (merged, waiting or rolled back) and under every rejected dream. With `machine`,
    /// ledgers another machine wrote are left out: its transcripts are not this one's.
    public static func read(from repository: Repository, machine: String? = nil) throws(GitError) -> [String: Int] {
        try records(in: repository, machine: machine).read
    }

    /// Every record once: the sessions read (see `read(from:machine:)`) and, from `main`'s
    /// records (any machine's: a teammate's sessions bear an entry out too), the entries
    /// borne out.
    public static func records(in repository: Repository, machine: String? = nil) throws(GitError) -> Records {
        var revisions: [String] = []
        if try repository.tip(ofBranch: Repository.mainBranch) != nil { revisions.append(Repository.mainReference) }
        for prefix in [DreamRef.branchPrefix, DreamRef.rejectedPrefix] {
            revisions += try repository.references(under: prefix).map(\.name)
        }
        var seenBlobs = Set<ObjectID>()
        var records = Records()
        for revision in revisions {
            for file in try repository.files(in: folder, at: revision)
            where dream(ofRecordNamed: file.name) != nil && seenBlobs.insert(file.blob).inserted {
                let text = String(decoding: try repository.readBlob(file.blob), as: UTF8.self)
                if revision == Repository.mainReference { reinforced(in: text, into: &records.reinforced) }
                if let machine, let writer = Self.machine(of: text), writer != machine { continue }
                records.read.merge(parse(text)) { max($0, $1) }
            }
        }
        return records
    }
}
