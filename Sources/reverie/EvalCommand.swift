import ArgumentParser
import Consolidators
import Dreaming
import Foundation
import Memory
import Sessions

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "Measure consolidators side by side: precision and recall on planted patterns, or what each proposes on your transcripts.",
        discussion: """
            On the planted corpus (synthetic sessions and memory with recurring mistakes, \
            workflows, preferences and near-duplicate entries hidden among noise, the same for \
            the same seed) each consolidator's plan is scored per kind: precision (the share of \
            its changes that name a planted pattern not named before) and recall (the share of \
            planted patterns it found). docs/evaluation.md says how a change is matched.

            On a folder of your own transcripts (Claude Code, Codex or Reverie format, mixed) \
            there is no ground truth: it lists what each one proposes per kind, with how many of \
            its evidence quotes occur word for word in the sessions they cite, for you to judge.

            Nothing is written: plans only, on memory held in memory. Default consolidators: \
            builtin, and [dream] consolidator when it is another. A model costs tokens.

            Examples:
              reverie eval                              builtin and your model, planted corpus
              reverie eval --consolidator anthropic     one model alone (ANTHROPIC_API_KEY)
              reverie eval --seed 7 --sessions 200 --json
              reverie eval --corpus ~/.claude/projects --sessions 50
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .customLong("consolidator"),
        help: "A consolidator to measure: builtin, anthropic, openai or command; repeat for several.")
    var consolidators: [String] = []

    @Option(help: ArgumentHelp("planted, or a folder of *.jsonl transcripts.", valueName: "planted|dir"))
    var corpus = "planted"

    @Option(help: "The planted corpus's seed (default \(PlantedCorpus.defaultSeed)).")
    var seed: UInt64?

    @Option(
        help:
            "Planted: sessions to generate (default \(PlantedCorpus.defaultSessionCount)). A folder: read only the newest N."
    )
    var sessions: Int?

    func validate() throws {
        for choice in consolidators where !ReverieConfig.consolidators.contains(choice) {
            throw ValidationError(
                "--consolidator must be one of " + ReverieConfig.consolidators.joined(separator: ", "))
        }
        if let sessions, sessions < 1 { throw ValidationError("--sessions must be at least 1") }
        if seed != nil && corpus != "planted" {
            throw ValidationError("--seed chooses a planted corpus; a folder has none")
        }
    }

    func run() async throws {
        let (config, folder, trust) = try settings()
        let showProgress = isatty(STDERR_FILENO) == 1 && !global.json
        let progress: @Sendable (String) -> Void = { step in if showProgress { Output.warn("… \(step)") } }

        var chosen: [(choice: String, consolidator: any Consolidator)] = []
        let explicit = !consolidators.isEmpty
        let choices = explicit ? consolidators : ["builtin", config.dream.consolidator]
        for choice in choices where !chosen.contains(where: { $0.choice == choice }) {
            do {
                let made = try ConsolidatorChoice.make(choice, config: config, folder: folder, trust: trust) {
                    progress("\(choice): \($0)")
                }
                chosen.append((choice, made))
            } catch {
                // Only [dream] consolidator chose it, not this command: the others are still worth measuring.
                if explicit { throw error }
                Output.warn("warning: \(choice) left out: \(error)")
            }
        }

        let input: DreamInput, truth: PlantedCorpus?
        if corpus == "planted" {
            let planted = PlantedCorpus(
                seed: seed ?? PlantedCorpus.defaultSeed,
                sessionCount: sessions ?? PlantedCorpus.defaultSessionCount)
            (input, truth) = (Evaluation.input(memory: planted.memory, sessions: planted.sessions), planted)
        } else {
            progress("Reading transcripts in \(corpus)")
            let loaded = try TranscriptFolder.load(corpus, textLimit: DreamEngine.defaultTextLimit)
            for warning in loaded.warnings.prefix(20) { Output.warn("warning: \(warning)") }
            if loaded.warnings.count > 20 { Output.warn("warning: … and \(loaded.warnings.count - 20) more") }
            // The newest N: what a person asking for a few sessions most likely means.
            let newest = loaded.sessions.sorted {
                ($0.started ?? .distantPast, $0.id) > ($1.started ?? .distantPast, $1.id)
            }
            (input, truth) = (
                Evaluation.input(memory: [:], sessions: Array(newest.prefix(sessions ?? newest.count))), nil
            )
        }

        let outcomes = await Evaluation.run(chosen, on: input, progress: progress)
        let report = EvaluationReport(corpus: corpus, input: input, outcomes: outcomes, truth: truth)
        if global.json {
            try global.printJSON(report)
        } else if truth != nil {
            EvalOutput.planted(report)
        } else {
            EvalOutput.transcripts(report)
        }
        if !report.allRan { throw ExitCode.failure }
    }

    /// The memory repo's settings and folder (where a command consolidator runs); outside
    /// any repo, unless one was named, the defaults and the current folder: the planted
    /// corpus needs no repo.
    func settings() throws -> (ReverieConfig, String, SettingsTrust) {
        let named = global.directory != nil || !(ProcessInfo.processInfo.environment["REVERIE_REPO"] ?? "").isEmpty
        let memory = named ? try global.openMemory() : try? global.openMemory()
        guard let memory else { return (ReverieConfig(), FileManager.default.currentDirectoryPath, .defaultsOnly) }
        return (try memory.config(), memory.root, SettingsTrust(memory: memory))
    }
}
