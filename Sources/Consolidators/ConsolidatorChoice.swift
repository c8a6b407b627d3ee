import Dreaming
import Foundation
import Memory

/// The consolidator a dream uses: `[dream] consolidator`, or the one a command names.
public enum ConsolidatorChoice {
    /// - Parameters:
    ///   - kind: "builtin", "anthropic", "openai" or "command"; nil: the settings' choice.
    ///   - folder: the memory repo, where a command runs.
    ///   - progress: told after each turn of a model's dream.
    public static func make(
        _ kind: String? = nil, config: ReverieConfig, folder: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(ModelError) -> any Consolidator {
        let kind = kind ?? config.dream.consolidator
        if kind == "builtin" { return BuiltinConsolidator(settings: config.dream) }
        return try ModelConsolidator.make(kind, config: config, folder: folder, environment: environment, progress: progress)
    }
}
