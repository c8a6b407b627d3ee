import ArgumentParser
import Consolidators
import Dreaming
import Memory

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Merge a dream into main, or only the chosen changes.",
        discussion: """
            Your uncommitted edits to files the dream changes are committed first, as the daemon \
            would. A conflict leaves the dream unmerged, and says whether such edits were \
            committed (then main has that commit, and nothing of the dream).

            Examples:
              reverie approve latest
              reverie approve 20261125-030000 --only 1 3
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The dream: an id, dreams/<id>, or latest.")
    var dream: String

    @Option(parsing: .upToNextOption, help: "Only these changes (numbers from `reverie show`).")
    var only: [Int] = []

    func run() async throws {
        let memory = try global.openMemory()
        let book = DreamBook(memory: memory)
        let id = try book.resolve(dream)
        let store = try? memory.repository.commitInfo(DreamRef.branch(id)).values(of: .store).first
        let commit = try book.approve(id, only: only.isEmpty ? nil : only)
        let what =
            only.isEmpty
            ? "Merged dream \(id)"
            : "Merged changes " + only.map(String.init).joined(separator: ", ") + " of dream \(id)"
        print("\(what) into main (\(commit.short)).")
        // A platform dream's approved changes go back to the store it read, with preconditions:
        // only to `[store] id`, which this machine accepted; the branch's trailer is anyone's word.
        let config = try memory.config()
        if let store, store != config.store.id {
            Output.warn(
                "reverie: dream \(id) names memory store \(store), not [store] id "
                    + "\(config.store.id.isEmpty ? "(none)" : config.store.id): nothing was pushed to a store")
        } else if let store {
            let trust = SettingsTrust(memory: memory)
            try trust.require(["store.id"], in: config)
            let paths = try memory.repository.changedPaths(
                from: memory.repository.commitInfo(commit).parents.first, to: commit)
            let mirror = try StoreMirror(
                memory: memory,
                client: try MemoryStoreClient.make(settings: config.store, trust: trust),
                storeID: store)
            let report = try await mirror.push(only: paths)
            StoreText.print(report)
        }
        TeamPush.afterChange(book.memory)
    }
}

struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Drop a dream; its commits stay under refs/reverie/rejected/<id>.",
        discussion: """
            Examples:
              reverie reject latest
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The dream: an id, dreams/<id>, or latest.")
    var dream: String

    func run() throws {
        let book = DreamBook(memory: try global.openMemory())
        let id = try book.resolve(dream)
        try book.reject(id)
        print("Rejected dream \(id); its commits are kept under \(DreamRef.rejected(id)).")
        TeamPush.dropDream(id, in: book.memory)
    }
}

struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Undo a merged dream, or bring memory back to a revision or date, with a new commit.",
        discussion: """
            main is never rewritten: a rollback is a new commit, and can itself be undone. \
            The commit of a Claude Code consolidation (`reverie init --claude-code`) is undone \
            as a dream is, by naming it. \
            --to takes a revision or a date: the memory of main's last commit at or before it. \
            A date alone is the whole day; a date and time without a zone is local time (TZ).

            Examples:
              reverie rollback latest
              reverie rollback 3f2c1ab            (a Claude Code consolidation)
              reverie rollback --to 2026-11-20
              reverie rollback --to 2026-11-20T15:30
              reverie rollback --to 2026-12-01T13:09:18Z
              reverie rollback --to HEAD~3
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The dream to undo: an id, dreams/<id>, or latest; or a Claude Code consolidation's commit.")
    var dream: String?

    @Option(help: "Commit the memory as it was at this revision or date instead.")
    var to: String?

    func validate() throws {
        guard (dream == nil) != (to == nil) else {
            throw ValidationError("name a dream, or give --to REV|DATE (not both)")
        }
    }

    func run() throws {
        let book = DreamBook(memory: try global.openMemory())
        if let to {
            if let commit = try book.rollback(to: to) {
                print("Restored memory as of \(to) with a new commit on main (\(commit.short)).")
            } else {
                print("main already has the memory as of \(to); nothing to do.")
            }
        } else if let dream {
            let commit = try book.rollback(dream)
            let what = (try? book.resolve(dream)).map { "dream \($0)" } ?? "Claude Code's consolidation \(dream)"
            print("Rolled back \(what) with a new commit on main (\(commit.short)).")
        }
        TeamPush.afterChange(book.memory)
    }
}
