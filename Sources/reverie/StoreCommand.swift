import ArgumentParser
import Consolidators
import Foundation
import Memory

/// `reverie store …`: a Claude Managed Agents memory store mirrored in the memory repo
/// (docs/memory-stores.md).
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Mirror a Claude Managed Agents memory store into the memory repo and back.",
        discussion: """
            Memories map to files by path (/notes/a.md is notes/a.md). A pull turns the store's new \
            versions into commits (authored by the session, API key or person that wrote them, the \
            version ids in Reverie-Store-Version trailers) and merges them into main; a push writes \
            what main changed with the content_sha256 precondition, so a change made in the store \
            meanwhile is never overwritten (409: run sync). The key comes from ANTHROPIC_API_KEY \
            (or [store] api_key_env) and is never printed.

            Examples:
              reverie store list
              reverie store pull --store memstore_01abc
              reverie store push
              reverie store sync              pull, merge, push (again after a 409)
            """,
        subcommands: [StoreListCommand.self, StorePullCommand.self, StorePushCommand.self, StoreSyncCommand.self])
}

/// The options of every store command.
struct StoreOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(help: "The memory store (memstore_…); default: [store] id.")
    var store: String?

    /// The repo, its settings, a client and the store's id.
    func open() throws -> (MemoryRepo, StoreMirror) {
        let memory = try global.openMemory()
        let config = try memory.config()
        guard let id = store ?? (config.store.id.isEmpty ? nil : config.store.id) else {
            throw StoreError.notConfigured
        }
        let trust = SettingsTrust(memory: memory)
        // `--store` is the person's own choice; `[store] id` may be a teammate's.
        if store == nil { try trust.require(["store.id"], in: config) }
        return (
            memory,
            try StoreMirror(
                memory: memory, client: try MemoryStoreClient.make(settings: config.store, trust: trust),
                storeID: id)
        )
    }
}

struct StoreListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the workspace's memory stores.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Archived stores too.")
    var archived = false

    func run() async throws {
        let memory = try global.openMemory()
        let client = try MemoryStoreClient.make(
            settings: try memory.config().store, trust: SettingsTrust(memory: memory))
        let stores = try await client.stores(includeArchived: archived)
        for store in stores {
            print("\(store.id)  \(StoreText.line(store.name))\(store.archivedAt == nil ? "" : "  (archived)")")
        }
        if stores.isEmpty { print("No memory stores in this workspace.") }
    }
}

struct StorePullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Bring the store's new versions into main.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let (_, mirror) = try options.open()
        let report = try await mirror.pull()
        StoreText.print(report)
        if !report.conflicts.isEmpty { throw StoreError.unmerged(paths: report.conflicts) }
    }
}

struct StorePushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Write what main changed to the store.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let (_, mirror) = try options.open()
        let report = try await mirror.push()
        StoreText.print(report)
    }
}

struct StoreSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Pull, merge, then push.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let (_, mirror) = try options.open()
        let reports = try await mirror.sync()
        StoreText.print(reports.pull)
        StoreText.print(reports.push)
    }
}

/// What the store commands print.
enum StoreText {
    static func line(_ text: String) -> String {
        String(text.unicodeScalars.prefix(120).map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }

    static func print(_ report: StoreMirror.PullReport) {
        for refusal in report.refused { Output.warn("warning: \(refusal)") }
        let merged = report.merge.map { " merged into main (\($0.short))" } ?? ""
        Swift.print(
            "Pulled \(report.versions) new version\(report.versions == 1 ? "" : "s") "
                + "as \(report.commits) commit\(report.commits == 1 ? "" : "s")\(merged).")
        if !report.conflicts.isEmpty { Swift.print("Conflicts: " + report.conflicts.joined(separator: ", ")) }
    }

    static func print(_ report: StoreMirror.PushReport) {
        for file in report.skipped { Output.warn("warning: \(file) was not pushed: larger than a memory may be") }
        Swift.print(
            "Pushed \(report.count) change\(report.count == 1 ? "" : "s"): \(report.created.count) added, "
                + "\(report.updated.count) updated, \(report.deleted.count) deleted.")
    }
}
