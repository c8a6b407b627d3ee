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

    /// Runs `reverie` and waits for it.
    public static func run(_ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:]) throws -> Shell.Result {
        try Shell.run(path, arguments, in: directory, environment: environment)
    }
}
