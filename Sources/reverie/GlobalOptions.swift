import ArgumentParser
import Foundation
import Memory

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customShort("C"),
        help: ArgumentHelp(
            "The memory repo (default: $REVERIE_REPO, else the git repo around the current folder).",
            valueName: "dir"))
    var directory: String?

    @Flag(help: "Print JSON for scripts instead of text for people.")
    var json = false

    /// The folder named by -C, $REVERIE_REPO or the current folder, in that order.
    var folder: String {
        directory ?? ProcessInfo.processInfo.environment["REVERIE_REPO"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.currentDirectoryPath
    }

    func openMemory() throws -> MemoryRepo {
        try MemoryRepo.open(discoveringFrom: folder)
    }

    /// Prints a value as JSON, written as every `--json` output is (`JSONOutput`).
    func printJSON(_ value: some Encodable) throws {
        print(try JSONOutput.text(value))
    }
}
