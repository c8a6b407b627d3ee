import Dreaming
import Foundation
import Memory

/// `consolidator = "managed-agents"`: the platform dreams (`POST /v1/dreams` over `[store]`
/// and its sessions), Reverie waits for it with backoff, then writes the difference between
/// the output store and the input store as an ordinary dream plan, one change per memory
/// path, so the engine's path rules, redaction, guardrails and review apply as to any dream.
/// Cancelling the task (Ctrl-C, the daemon stopping) cancels the platform's dream too.
public struct ManagedAgentsConsolidator: Consolidator {
    /// As it names itself in commits: "managed-agents/<model>".
    public let name: String
    let settings: StoreSettings
    let instructions: String
    let makeClient: @Sendable () throws(StoreError) -> MemoryStoreClient
    /// Waits between polls; tests pass one that returns at once and records the delay.
    let sleep: @Sendable (Double) async throws -> Void
    let progress: @Sendable (String) -> Void

    /// Polls start this far apart and double up to `longestPoll`.
    static let firstPoll = 2.0
    static let longestPoll = 30.0

    /// A consolidator for `[store]`; throws at once when the store, its sessions or the key are missing.
    /// Refused (`StoreError.untrusted`) while `trust` has not accepted `[store]`'s API address and key variable.
    public init(
        settings: StoreSettings, instructions: String, trust: SettingsTrust,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sleep: @escaping @Sendable (Double) async throws -> Void = {
            try await Task.sleep(nanoseconds: UInt64($0 * 1e9))
        },
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(StoreError) {
        guard !settings.id.isEmpty else { throw .notConfigured }
        guard !settings.sessions.isEmpty else {
            throw .badSetting(
                message:
                    "a platform dream reads 1 to 100 sessions: set [store] sessions = [\"sesn_…\"] in .reverie/config.toml"
            )
        }
        // The key is there, or say so now.
        _ = try MemoryStoreClient.make(settings: settings, trust: trust, environment: environment)
        name = "managed-agents/\(settings.model)"
        self.settings = settings
        self.instructions = instructions
        makeClient = { () throws(StoreError) in
            try MemoryStoreClient.make(settings: settings, trust: trust, environment: environment)
        }
        self.sleep = sleep
        self.progress = progress
    }

    /// Runs a platform dream and turns what it changed into a plan, one change per memory path.
    public func plan(_ input: DreamInput) async throws -> DreamPlan {
        try await dream(input, client: try makeClient())
    }

    func dream(_ input: DreamInput, client: MemoryStoreClient) async throws(StoreError) -> DreamPlan {
        let store = try await client.activeStore(settings.id)
        var dream = try await client.createDream(
            store: store.id, sessions: settings.sessions, model: settings.model,
            instructions: instructions.isEmpty ? nil : instructions)
        guard MemoryStoreClient.isID(dream.id) else { throw .malformed(message: "the dream's id is not an id") }
        progress("Platform dream \(dream.id) is \(dream.status)")
        var delay = Self.firstPoll
        var waited = 0.0
        while !dream.isFinished {
            do {
                if waited >= Double(settings.dreamTimeoutMinutes) * 60 { throw CancellationError() }
                try await sleep(delay)
                waited += delay
                delay = min(delay * 2, Self.longestPoll)
                dream = try await client.dream(dream.id)
            } catch {
                // Ctrl-C, the daemon stopping, too long, or the API gone: the platform stops too.
                let id = dream.id
                _ = try? await Task.detached { try await client.cancelDream(id) }.value
                if let error = error as? StoreError, error != .cancelled { throw error }
                throw StoreError.cancelled
            }
            progress("Platform dream \(dream.id) is \(dream.status)")
        }
        switch dream.status {
        case "failed":
            throw .dreamFailed(id: dream.id, type: dream.error?.type ?? "unknown", message: dream.error?.message ?? "")
        case "canceled": throw .dreamCanceled(id: dream.id)
        default: break
        }
        guard let output = dream.outputs.first(where: { $0.type == "memory_store" })?.memoryStoreId else {
            throw .malformed(message: "the completed dream \(dream.id) names no output store")
        }
        progress("Comparing \(output) with \(store.id)")
        return try await difference(from: store.id, to: output, dream: dream, main: input.memory.texts, client: client)
    }

    /// One change per path the output store holds differently from the input store.
    func difference(
        from input: String, to output: String, dream: PlatformDream, main: [String: String],
        client: MemoryStoreClient
    ) async throws(StoreError) -> DreamPlan {
        let before = Dictionary(
            try await client.memories(in: input).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(
            try await client.memories(in: output).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [MemoryChange] = []
        var dropped: [DroppedChange] = []
        for path in Set(before.keys).union(after.keys).sorted()
        where before[path]?.contentSha256 != after[path]?.contentSha256 {
            let file: String
            switch StorePath.file(for: path) {
            case .success(let mapped): file = mapped
            case .failure(let refusal):
                dropped.append(DroppedChange(summary: "change to \(refusal.path)", reason: refusal.reason))
                continue
            }
            // Main must hold what the dream read, or the change would undo an edit not yet pushed.
            let stale: Bool
            if let old = before[path] {
                stale = main[file].map(StorePath.sha256) != old.contentSha256
            } else {
                stale = main[file] != nil
            }
            let rationale = "The platform dream \(dream.id) rewrote the memory store; this is its change to \(path)."
            if stale {
                dropped.append(
                    DroppedChange(
                        summary: "change to \(file)",
                        reason: "main's copy differs from the store's; run `reverie store sync` and dream again"))
                continue
            }
            if let new = after[path] {
                let full = try await client.memory(new.id, in: output)
                guard let content = full.content, StoreMirror.problem(with: content, sha: full.contentSha256) == nil
                else {
                    dropped.append(
                        DroppedChange(summary: "change to \(file)", reason: "its content is not usable text"))
                    continue
                }
                changes.append(
                    MemoryChange(
                        kind: .restructure, writes: [file: content],
                        summary: "\(before[path] == nil ? "Add" : "Update") \(file)", rationale: rationale))
            } else {
                changes.append(
                    MemoryChange(kind: .restructure, deletes: [file], summary: "Delete \(file)", rationale: rationale))
            }
        }
        let usage = dream.usage.map { usage in
            TokenUsage(
                input: TokenUsage.count(usage.inputTokens) + TokenUsage.count(usage.cacheCreationInputTokens)
                    + TokenUsage.count(usage.cacheReadInputTokens),
                output: TokenUsage.count(usage.outputTokens))
        }
        var plan = DreamPlan(changes: changes, dropped: dropped, usage: usage)
        plan.trailers = [ReverieTrailer.platformDream.rawValue: dream.id, ReverieTrailer.store.rawValue: input]
        return plan
    }
}
