import Dreaming
import Foundation
import Memory

/// The consolidator a dream uses: `[dream] consolidator`, or the one a command names.
public enum ConsolidatorChoice {
    /// Refused (`UntrustedSettings`) when the choice would use a sensitive setting at a value
    /// `trust` has not accepted: the settings are shared, and a teammate's change must not run
    /// a program here or send a key elsewhere before a person here looked at it.
    ///
    /// - Parameters:
    ///   - kind: "builtin", "anthropic", "openai", "command" or "managed-agents"; nil: the settings' choice.
    ///   - folder: the memory repo, where a command runs.
    ///   - progress: told after each turn of a model's dream.
    public static func make(
        _ kind: String? = nil, config: ReverieConfig, folder: String, trust: SettingsTrust,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> any Consolidator {
        try trust.require(config.sensitiveSettings(forConsolidator: kind), in: config)
        let kind = kind ?? config.dream.consolidator
        if kind == "builtin" { return BuiltinConsolidator(settings: config.dream, layout: config.layout) }
        if kind == "managed-agents" {
            return try ManagedAgentsConsolidator(
                settings: config.store, instructions: config.dream.instructions,
                trust: trust, environment: environment, progress: progress)
        }
        return try ModelConsolidator.make(
            kind, config: config, folder: folder, environment: environment, progress: progress)
    }
}
