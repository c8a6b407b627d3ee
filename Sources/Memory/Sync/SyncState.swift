import Foundation

/// What this clone remembers of its syncs (machine-local, `.git/reverie/sync.json`): when
/// the last one succeeded, the last error, and the dream and sync branches it pushed once
/// (one merged, rejected or resolved elsewhere and deleted there is not pushed again).
public struct SyncState: Sendable, Codable, Equatable {
    /// When a round last succeeded.
    public var lastSuccess: Date?
    /// When a round last ran, whatever its outcome.
    public var lastAttempt: Date?
    /// The last round's error, cleared by a round that succeeds.
    public var lastError: String?
    /// Dream and sync branches pushed once from here, as `dreams/<id>` and `sync/<id>`.
    public var pushedBranches: [String] = []

    /// The state of a clone that never synced.
    public init() {}

    static func path(in stateDirectory: String) -> String { stateDirectory + "/sync.json" }

    /// The state saved in `stateDirectory`; empty when there is none or it does not parse.
    public static func load(from stateDirectory: String) -> SyncState {
        guard let data = FileManager.default.contents(atPath: path(in: stateDirectory)),
            let state = try? JSONDecoder().decode(SyncState.self, from: data)
        else { return SyncState() }
        return state
    }

    /// Written whole or not at all (a temporary file renamed over the old one).
    func save(in stateDirectory: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try? FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        if let data = try? encoder.encode(self) {
            try? data.write(to: URL(fileURLWithPath: Self.path(in: stateDirectory)), options: .atomic)
        }
    }
}
