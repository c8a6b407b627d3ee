import Foundation
import Git

/// This machine's word on the shared settings that choose what runs or where keys and data
/// go (`ReverieConfig.sensitive`), direnv-style: `.git/reverie/trusted-settings` holds the
/// values a person here accepted, and a use of any other value is refused.
///
/// - Granted by `reverie init` (the person made the settings here) and `reverie trust`.
///   Never by a commit of the settings file, whoever made it: a sync, `git pull` or
///   `git checkout` writes the same file a person edits, and nothing tells them apart.
/// - No record yet: the defaults are what is accepted, so a repo nobody configured needs no step.
/// - `remote.url` is also accepted when it is the URL this clone's own git config has for
///   that remote (`git clone URL`, `reverie remote add URL`): the person chose it here.
public struct SettingsTrust: Sendable {
    /// What the record file holds.
    public struct Record: Codable, Equatable, Sendable {
        /// SHA-256 of the accepted values (`SettingsTrust.digest`), checked on every read.
        public var digest: String
        /// Each sensitive setting's accepted value, as TOML.
        public var settings: [String: String]
        /// main's tip when they were accepted: `reverie trust --show` lists the commits since.
        public var main: String?
    }

    /// The record's file name in the state directory (`.git/reverie`).
    public static let fileName = "trusted-settings"

    let stateDirectory: String?
    let gitDirectory: String?

    /// - Parameters:
    ///   - stateDirectory: the memory repo's `.git/reverie`; nil: no record, only the defaults are accepted.
    ///   - gitDirectory: the clone's `.git`, whose config may name the remote's URL.
    public init(stateDirectory: String?, gitDirectory: String?) {
        self.stateDirectory = stateDirectory
        self.gitDirectory = gitDirectory
    }

    /// The trust kept in `memory`'s state directory, for its clone's remote.
    public init(memory: MemoryRepo) {
        self.init(stateDirectory: memory.stateDirectory, gitDirectory: memory.repository.gitDirectory)
    }

    /// Settings read outside any memory repo (`reverie eval` in a plain folder): only the defaults.
    public static let defaultsOnly = SettingsTrust(stateDirectory: nil, gitDirectory: nil)

    /// Where the record lives; nil without a state directory.
    public var file: String? { stateDirectory.map { $0 + "/" + Self.fileName } }

    /// The accepted values; nil when there is no record, or it cannot be read or does not
    /// match its own digest (then nothing but the defaults counts as accepted).
    public func record() -> Record? {
        guard let file, let data = FileManager.default.contents(atPath: file),
            let record = try? JSONDecoder().decode(Record.self, from: data),
            record.digest == Self.digest(record.settings)
        else { return nil }
        return record
    }

    /// The settings among `keys` whose values in `config` this machine has not accepted;
    /// nil when it accepted them all.
    public func untrusted(_ keys: [String], in config: ReverieConfig) -> UntrustedSettings? {
        let record = record()
        let defaults = ReverieConfig()
        var changes: [UntrustedSettings.Change] = []
        for key in ReverieConfig.sensitive where keys.contains(key) {
            guard let now = config.value(of: key) else { continue }
            let accepted = record?.settings[key] ?? defaults.value(of: key) ?? ""
            if now == accepted || (key == "remote.url" && isClonesOwnRemote(config.remote)) { continue }
            changes.append(.init(key: key, accepted: accepted, now: now))
        }
        return changes.isEmpty ? nil : UntrustedSettings(changes: changes, hasRecord: record != nil)
    }

    /// Every sensitive setting whose value in `config` this machine has not accepted.
    public func untrusted(in config: ReverieConfig) -> UntrustedSettings? {
        untrusted(ReverieConfig.sensitive, in: config)
    }

    /// Refuses when any of `keys` holds a value this machine has not accepted.
    public func require(_ keys: [String], in config: ReverieConfig) throws(UntrustedSettings) {
        if let untrusted = untrusted(keys, in: config) { throw untrusted }
    }

    /// Records `config`'s sensitive values as accepted on this machine, replacing the file
    /// at once (a reader sees the old record or the new one, never half of one).
    @discardableResult
    public func accept(_ config: ReverieConfig, main: ObjectID? = nil) throws(MemoryError) -> Record {
        guard let stateDirectory, let file else {
            throw .io(path: ".git/reverie", message: "no memory repo to record trusted settings in")
        }
        var settings: [String: String] = [:]
        for key in ReverieConfig.sensitive { settings[key] = config.value(of: key) }
        let record = Record(digest: Self.digest(settings), settings: settings, main: main?.hex)
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(record).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw .io(path: ".git/reverie/" + Self.fileName, message: "cannot write: \(error.localizedDescription)")
        }
        return record
    }

    /// The commits on main that changed `.reverie/config.toml` since this machine accepted
    /// its settings (all of them when it never did), newest first: what a person reviews
    /// before `reverie trust`. A merge counts when it changed the file against every parent.
    public func commitsChangingSettings(in repository: Repository, limit: Int = 20) throws(GitError) -> [CommitInfo] {
        // A commit this clone no longer has (a rewritten history) hides nothing.
        let since = record()?.main.flatMap(ObjectID.init(hex:)).flatMap { (try? repository.commitInfo($0))?.id }
        var found: [CommitInfo] = []
        for commit in try repository.log(hiding: since) where found.count < limit {
            let parents: [ObjectID?] = commit.parents.isEmpty ? [nil] : commit.parents
            var changed = true
            for parent in parents where changed {
                changed = try repository.changedPaths(from: parent, to: commit.id).contains(ReverieConfig.path)
            }
            if changed { found.append(commit) }
        }
        return found
    }

    /// The digest of sensitive values: SHA-256 of one `key = value` line per setting, in
    /// `ReverieConfig.sensitive`'s order, defaults standing in for missing ones.
    public static func digest(_ settings: [String: String]) -> String {
        let defaults = ReverieConfig()
        let lines = ReverieConfig.sensitive.map { key in
            "\(key) = \(settings[key] ?? defaults.value(of: key) ?? "")\n"
        }
        return SHA256Digest.hex(of: Data(lines.joined().utf8))
    }

    /// Whether `remote` is where this clone's own git config already points that remote.
    private func isClonesOwnRemote(_ remote: ReverieConfig.Remote) -> Bool {
        guard remote.isConfigured, let gitDirectory, let repository = try? Repository.open(at: gitDirectory) else {
            return false
        }
        return (try? repository.remoteURL(named: remote.name)) == remote.url
    }
}
