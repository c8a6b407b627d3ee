import Dreaming
import Foundation
import Memory
import Sessions

/// Runs consolidators one after another on the same input and keeps their plans. Nothing
/// is written anywhere: a plan is all `reverie eval` needs. A consolidator that fails is
/// kept with why and the others still run, so one refused key does not hide the rest.
public enum Evaluation {
    /// What one consolidator did with the input.
    public struct Outcome: Sendable {
        /// As chosen: "builtin", "anthropic", "openai", "command".
        public let choice: String
        /// As it names itself in commits: "builtin/1", "anthropic/claude-…".
        public let name: String
        /// The plan it made; nil when it failed.
        public let plan: DreamPlan?
        /// Why it made no plan, when it failed.
        public let error: String?
        /// How long planning took.
        public let seconds: Double
    }

    /// Plans with each consolidator in turn on the same input; `progress` is told which one starts.
    public static func run(
        _ consolidators: [(choice: String, consolidator: any Consolidator)], on input: DreamInput,
        progress: (String) -> Void = { _ in }
    ) async -> [Outcome] {
        var outcomes: [Outcome] = []
        for (choice, consolidator) in consolidators {
            progress("Planning with \(consolidator.name)")
            let clock = ContinuousClock(), start = clock.now
            var plan: DreamPlan?, failure: String?
            do { plan = try await consolidator.plan(input) } catch { failure = "\(error)" }
            let elapsed = start.duration(to: clock.now).components
            outcomes.append(
                Outcome(
                    choice: choice, name: consolidator.name, plan: plan, error: failure,
                    seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18))
        }
        return outcomes
    }

    /// A dream's input over memory given as texts, built as `DreamEngine` builds it from
    /// `main`, so a model is briefed on the same files.
    public static func input(memory texts: [String: String], sessions: [Session]) -> DreamInput {
        let files = texts.keys.sorted().compactMap { path -> MemoryFile? in
            guard path.hasSuffix(".md"), !path.hasPrefix(".reverie/"), let repoPath = try? RepoPath(path) else {
                return nil
            }
            return try? MemoryFile.parse(path: repoPath, text: texts[path]!)
        }
        return DreamInput(
            id: "eval", memory: MemorySnapshot(commit: nil, files: files, texts: texts),
            sessions: sessions, humanEdits: [])
    }
}
