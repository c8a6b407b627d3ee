import Foundation

/// The `reverie` executable SwiftPM built beside the test bundle.
public enum ReverieBinary {
    public static let path: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for folder in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("reverie").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/reverie").path
    }()

    /// Runs `reverie` and waits for it. HOME is an empty folder unless the test gives
    /// one, so the agent transcripts of whoever runs the tests never leak into them.
    public static func run(
        _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:]
    ) throws -> Shell.Result {
        var environment = environment
        if environment["HOME"] == nil { environment["HOME"] = emptyHome }
        return try Shell.run(path, arguments, in: directory, environment: environment)
    }

    /// `reverie trust --yes` on the memory repo at `directory`: the test wrote its settings,
    /// as the person who accepts them would.
    public static func trust(_ directory: String) throws {
        let result = try run(["trust", "--yes", "-C", directory])
        guard result.status == 0 else { throw Shell.Failure(command: "reverie trust --yes", result: result) }
    }

    /// A home folder with nothing in it.
    public static let emptyHome: String = {
        let path = FileManager.default.temporaryDirectory.path + "/reverie-empty-home-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// The repository's own folder, for fixtures shared between test targets.
    public static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}
