import Foundation
import Git
import TOMLKit

/// The settings in `.reverie/config.toml`, versioned with the memory so a team shares its
/// policy. A missing file or setting means the default; a wrong one is an error that names
/// the file, the line, the key and what would be right, and nothing runs on a guess.
public struct ReverieConfig: Sendable, Equatable {
    /// `[watch]`: how edits are batched into commits.
    public struct Watch: Sendable, Equatable {
        /// Quiet time after the last edit before committing a burst.
        public var debounceMilliseconds = 300
        /// Longest a burst of edits waits for its commit.
        public var maxWaitMilliseconds = 2000
    }

    /// `[dream]`: when the daemon dreams, how a dream merges, and who dreams.
    public struct Dream: Sendable, Equatable {
        /// When the daemon dreams: a time of day, an interval, or off.
        public var schedule = DreamSchedule.daily(hour: 3, minute: 0)
        /// A scheduled dream waits until at least this many new sessions have arrived.
        public var minNewSessions = 5
        /// A scheduled dream waits until nobody has edited memory for this long.
        public var quietMinutes = 10
        /// Whether a dream whose guardrails pass merges by itself (`auto`) or waits for a person.
        public var merge = MergePolicy.manual
        /// A mistake, workflow or preference counts once this many sessions show it.
        public var patternMinSessions = 2
        /// Entries Reverie wrote that no session reinforced for this many days are archived.
        public var archiveAfterDays = 90
        /// Who dreams: "builtin" (offline), "anthropic", "openai" or "command" (`[model]`), or
        /// "managed-agents" (the platform dreams over `[store]`).
        public var consolidator = "builtin"
        /// What a model's dream should focus on, as a person would tell it.
        public var instructions = ""
    }

    /// The model a dream talks to when `[dream] consolidator` is not the built-in one.
    public struct Model: Sendable, Equatable {
        /// The model's name; empty: the back end's default.
        public var name = ""
        /// The API's address; empty: Anthropic's or OpenAI's own.
        public var baseURL = ""
        /// The environment variable (or systemd credential) holding the key; empty: the
        /// back end's usual one (ANTHROPIC_API_KEY, OPENAI_API_KEY).
        public var apiKeyVariable = ""
        /// Longest answer per turn.
        public var maxTokens = 4096
        /// Input tokens one dream may send over all its turns.
        public var tokenBudget = 150_000
        /// Most turns of one dream's conversation with the model.
        public var maxTurns = 40
        /// Longest wait for one answer.
        public var timeoutSeconds = 300
        /// For "command": the program and its arguments, run in the memory repo.
        public var command: [String] = []
    }

    /// Every value `[dream] consolidator` takes.
    public static let consolidators = ["builtin", "anthropic", "openai", "command", "managed-agents"]

    /// `[guardrails]`: past these a dream waits for a person, whatever the merge policy.
    public struct Guardrails: Sendable, Equatable {
        /// Largest share of memory lines one dream may change before it waits for a person.
        public var maxChangedShare = 0.3
        /// Largest memory file a dream may write.
        public var maxFileKilobytes = 100
    }

    /// `[sessions]`: where transcripts come from and when they are ready to be read.
    public struct Sessions: Sendable, Equatable {
        /// A transcript is read once its file has not changed for this long: before that
        /// the agent is most likely still writing it.
        public var idleMinutes = 10
        /// Where transcripts come from; by default the agents' own folders, each read
        /// when it exists.
        public var sources = SessionSourceSpec.defaults
    }

    /// The git remote a team shares memory through (`reverie remote add URL`).
    public struct Remote: Sendable, Equatable {
        /// The remote's name in git's config, e.g. `origin`.
        public var name = "origin"
        /// Where it is; empty: no remote, memory stays on this machine.
        public var url = ""
        /// `auto`: the daemon fetches, merges and pushes by itself; `manual`: `reverie sync`.
        public var sync = SyncMode.manual
        /// Push each dream's branch when it is made, for review as a pull request.
        public var pushDreams = true
        /// How often the daemon fetches, in seconds.
        public var fetchSeconds = 300
        /// Shortest time between two pushes of the daemon (commits are batched meanwhile).
        public var pushDelayMilliseconds = 3000

        /// Whether a remote is set at all.
        public var isConfigured: Bool { !url.isEmpty }
    }

    /// Who moves memory between this clone and the remote.
    public enum SyncMode: String, Sendable, Equatable {
        case auto, manual
    }

    /// `[watch]`.
    public var watch = Watch()
    /// `[dream]`.
    public var dream = Dream()
    /// `[model]`.
    public var model = Model()
    /// `[guardrails]`.
    public var guardrails = Guardrails()
    /// `[sessions]`.
    public var sessions = Sessions()
    /// The layout dreams keep: `plain`, or Claude Code's auto memory.
    public var layout = MemoryLayout.plain
    /// The Managed Agents memory store this repo mirrors.
    public var store = StoreSettings()
    /// `[remote]`.
    public var remote = Remote()

    /// The defaults, as a repo without `.reverie/config.toml` runs.
    public init() {}

    /// Where the settings live, relative to the memory repo.
    public static let path = ".reverie/config.toml"

    /// Reads the settings of the memory repo at `root`; defaults when there is no file.
    public static func load(fromRepo root: String) throws(MemoryError) -> ReverieConfig {
        let file = "\(root)/\(path)"
        guard FileManager.default.fileExists(atPath: file) else { return ReverieConfig() }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw .io(path: path, message: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .config(file: path, line: nil, key: nil, message: "is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Reads settings from TOML text; `file` names it in errors.
    public static func parse(_ text: String, file: String = path) throws(MemoryError) -> ReverieConfig {
        // The TOML parser reads C strings: whatever follows a NUL would be dropped unseen.
        let bytes = Array(text.utf8)
        if let nul = bytes.firstIndex(of: 0) {
            let lineStart = bytes[..<nul].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            let line = bytes[..<nul].filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = String(decoding: bytes[lineStart..<nul], as: UTF8.self).count + 1
            throw .config(
                file: file, line: line, key: nil,
                message: "has a NUL byte (column \(column)), which a settings file must not hold; delete it, "
                    + "for instance with sed -i 's/\\x00//g' \(file)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .config(file: file, line: error.source.begin.line, key: nil, message: error.description)
        } catch {
            throw .config(file: file, line: nil, key: nil, message: "\(error)")
        }
        var config = ReverieConfig()
        for sectionName in table.keys {
            let known = settings.filter { $0.section == sectionName }
            guard !known.isEmpty else {
                throw .config(
                    file: file, line: line(ofSection: sectionName, in: text), key: nil,
                    message: "unknown section [\(sectionName)]; the sections are "
                        + Self.sectionNames.map { "[\($0)]" }.joined(separator: ", "))
            }
            guard let section = table[sectionName]?.table else {
                throw .config(
                    file: file, line: line(ofKey: sectionName, section: nil, in: text), key: sectionName,
                    message: "must be a section ([\(sectionName)]), not a value")
            }
            for key in section.keys {
                let qualified = "\(sectionName).\(key)"
                guard let setting = known.first(where: { $0.key == key }) else {
                    throw .config(
                        file: file, line: line(ofKey: key, section: sectionName, in: text), key: qualified,
                        message: "unknown setting; [\(sectionName)] has "
                            + known.map(\.key).joined(separator: ", "))
                }
                if let problem = setting.apply(section[key]!, &config) {
                    throw .config(
                        file: file,
                        line: line(ofKey: key, section: sectionName, in: text)
                            ?? line(ofSection: qualified, in: text),
                        key: qualified, message: problem)
                }
            }
        }
        if config.watch.maxWaitMilliseconds < config.watch.debounceMilliseconds {
            throw .config(
                file: file, line: line(ofKey: "max_wait_ms", section: "watch", in: text),
                key: "watch.max_wait_ms",
                message: "must be at least watch.debounce_ms (\(config.watch.debounceMilliseconds))")
        }
        return config
    }

    /// The file `reverie init` writes: every setting, commented out at its default.
    public static var template: String { template(setting: [:]) }

    /// The template with some settings set rather than commented out: `values` maps
    /// `section.key` to the value as TOML, such as `["memory.layout": "\"claude-code\""]`.
    public static func template(setting values: [String: String]) -> String {
        var text = """
            # Reverie settings for this memory repo. They are versioned with the memory, so the
            # whole team shares them. Every setting is shown at its default: uncomment to change.

            """
        for section in sectionNames {
            text += "\n[\(section)]\n"
            for setting in settings where setting.section == section {
                let qualified = "\(section).\(setting.key)"
                let help = sensitive.contains(qualified) ? setting.help + " " + trustNote : setting.help
                if let value = values[qualified] {
                    text += "# \(help)\n\(setting.key) = \(value)\n"
                } else {
                    text += "# \(help)\n# \(setting.key) = \(setting.value(ReverieConfig()))\n"
                }
            }
        }
        return text
    }

    /// The effective value of `key` (`section.key`) as TOML, defaults included; nil for a
    /// key that is not a setting.
    public func value(of key: String) -> String? {
        Self.settings.first { "\($0.section).\($0.key)" == key }?.value(self)
    }

    // MARK: - The settings

    private struct Setting: Sendable {
        let section: String
        let key: String
        /// The setting's value in `config`, written as TOML: the template shows the
        /// defaults of the struct above, so the two can never disagree.
        let value: @Sendable (ReverieConfig) -> String
        let help: String
        /// Stores the value, or returns what is wrong with it.
        let apply: @Sendable (TOMLValueConvertible, inout ReverieConfig) -> String?
    }

    private static var sectionNames: [String] {
        var seen: [String] = []
        for setting in settings where !seen.contains(setting.section) { seen.append(setting.section) }
        return seen
    }

    private static let settings: [Setting] = [
        Setting(
            section: "watch", key: "debounce_ms", value: { "\($0.watch.debounceMilliseconds)" },
            help: "Quiet time after the last edit before it is committed, in milliseconds.",
            apply: integer(0...60_000, "milliseconds") { $0.watch.debounceMilliseconds = $1 }),
        Setting(
            section: "watch", key: "max_wait_ms", value: { "\($0.watch.maxWaitMilliseconds)" },
            help: "Longest a burst of edits waits for its commit, in milliseconds.",
            apply: integer(0...600_000, "milliseconds") { $0.watch.maxWaitMilliseconds = $1 }),
        Setting(
            section: "dream", key: "schedule", value: { "\"\($0.dream.schedule)\"" },
            help: "When to dream: \"daily HH:MM\" (local time), \"every 6h\", \"every 30m\", or \"off\".",
            apply: { value, config in
                guard let text = value.string else { return "must be text such as \"daily 03:00\"" }
                guard let schedule = DreamSchedule(text) else {
                    return
                        "\"\(text)\" is not a schedule; write \"daily 03:00\", \"every 6h\", \"every 30m\" or \"off\""
                }
                config.dream.schedule = schedule
                return nil
            }),
        Setting(
            section: "dream", key: "min_new_sessions", value: { "\($0.dream.minNewSessions)" },
            help: "Dream on schedule only when at least this many new sessions arrived.",
            apply: integer(0...100_000, "sessions") { $0.dream.minNewSessions = $1 }),
        Setting(
            section: "dream", key: "quiet_minutes", value: { "\($0.dream.quietMinutes)" },
            help: "…and only when nobody edited memory for this many minutes.",
            apply: integer(0...1440, "minutes") { $0.dream.quietMinutes = $1 }),
        Setting(
            section: "dream", key: "merge", value: { "\"\($0.dream.merge.rawValue)\"" },
            help: "\"manual\": a person merges each dream. \"auto\": merged when its guardrails pass.",
            apply: { value, config in
                guard let text = value.string, let policy = MergePolicy(rawValue: text) else {
                    return "must be \"manual\" or \"auto\""
                }
                config.dream.merge = policy
                return nil
            }),
        Setting(
            section: "dream", key: "pattern_min_sessions", value: { "\($0.dream.patternMinSessions)" },
            help: "A recurring mistake, workflow or preference needs this many sessions.",
            apply: integer(1...1000, "sessions") { $0.dream.patternMinSessions = $1 }),
        Setting(
            section: "dream", key: "archive_after_days", value: { "\($0.dream.archiveAfterDays)" },
            help: "Entries no session reinforced for this many days move to archive/ (0: never).",
            apply: integer(0...36_500, "days") { $0.dream.archiveAfterDays = $1 }),
        Setting(
            section: "dream", key: "consolidator", value: { "\"\($0.dream.consolidator)\"" },
            help: "Who dreams: \"builtin\" (offline), \"anthropic\", \"openai\" or \"command\" (set up in [model]), "
                + "or \"managed-agents\" (the platform dreams over [store]).",
            apply: text({
                consolidators.contains($0)
                    ? nil : "must be one of " + consolidators.map { "\"\($0)\"" }.joined(separator: ", ")
            }) { $0.dream.consolidator = $1 }),
        Setting(
            section: "dream", key: "instructions", value: { "\"\($0.dream.instructions)\"" },
            help: "What a model's dream should focus on, e.g. \"keep the deployment notes current\".",
            apply: text({ $0.count <= 4000 ? nil : "must be at most 4000 characters" }) { $0.dream.instructions = $1 }),
        Setting(
            section: "model", key: "name", value: { "\"\($0.model.name)\"" },
            help: "The model; empty: claude-sonnet-4-5 for anthropic, gpt-4.1 for openai.",
            apply: text({ $0.count <= 200 && !$0.contains("\n") ? nil : "must be one line of at most 200 characters" })
            { $0.model.name = $1 }),
        Setting(
            section: "model", key: "base_url", value: { "\"\($0.model.baseURL)\"" },
            help: "The API's address, e.g. http://127.0.0.1:11434 for Ollama; empty: Anthropic's or OpenAI's.",
            apply: text({ url in
                url.isEmpty || ((url.hasPrefix("http://") || url.hasPrefix("https://")) && URL(string: url) != nil)
                    ? nil : "must start with http:// or https://, such as \"http://127.0.0.1:11434\""
            }) { $0.model.baseURL = $1.hasSuffix("/") ? String($1.dropLast()) : $1 }),
        Setting(
            section: "model", key: "api_key_env", value: { "\"\($0.model.apiKeyVariable)\"" },
            help:
                "The environment variable (or systemd credential) holding the API key; empty: ANTHROPIC_API_KEY or OPENAI_API_KEY.",
            apply: text({
                $0.isEmpty || $0.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil
                    ? nil
                    : "must be the name of an environment variable, such as \"ANTHROPIC_API_KEY\" (the name, never the key)"
            }) { $0.model.apiKeyVariable = $1 }),
        Setting(
            section: "model", key: "max_tokens", value: { "\($0.model.maxTokens)" },
            help: "Longest answer of one turn, in tokens.",
            apply: integer(256...200_000, "tokens") { $0.model.maxTokens = $1 }),
        Setting(
            section: "model", key: "token_budget", value: { "\($0.model.tokenBudget)" },
            help: "Input tokens one dream may send over all its turns.",
            apply: integer(1_000...10_000_000, "tokens") { $0.model.tokenBudget = $1 }),
        Setting(
            section: "model", key: "max_turns", value: { "\($0.model.maxTurns)" },
            help: "Most turns one dream may take.",
            apply: integer(1...500, "turns") { $0.model.maxTurns = $1 }),
        Setting(
            section: "model", key: "timeout_seconds", value: { "\($0.model.timeoutSeconds)" },
            help: "Longest wait for one answer, in seconds.",
            apply: integer(5...3600, "seconds") { $0.model.timeoutSeconds = $1 }),
        Setting(
            section: "model", key: "command",
            value: { "[" + $0.model.command.map { "\"\($0)\"" }.joined(separator: ", ") + "]" },
            help: "For consolidator \"command\": the program and its arguments, run in this repo "
                + "(docs/consolidator-protocol.md), e.g. [\"python3\", \"examples/consolidator/minimal.py\"].",
            apply: { value, config in
                guard let array = value.array else {
                    return "must be a list of strings, such as [\"python3\", \"dream.py\"]"
                }
                var parts: [String] = []
                for item in array {
                    guard let text = item.string, !text.isEmpty, !text.contains("\0") else {
                        return "must be a list of non-empty strings, such as [\"python3\", \"dream.py\"]"
                    }
                    parts.append(text)
                }
                config.model.command = parts
                return nil
            }),
        Setting(
            section: "guardrails", key: "max_changed_share", value: { "\($0.guardrails.maxChangedShare)" },
            help: "Largest share of memory lines one dream may change before it waits for a person.",
            apply: { value, config in
                guard let share = value.double ?? value.int.map(Double.init), share > 0, share <= 1 else {
                    return "must be a number above 0 and at most 1 (0.3 is 30%)"
                }
                config.guardrails.maxChangedShare = share
                return nil
            }),
        Setting(
            section: "guardrails", key: "max_file_kb", value: { "\($0.guardrails.maxFileKilobytes)" },
            help: "Largest memory file a dream may write, in kilobytes.",
            apply: integer(1...100_000, "kilobytes") { $0.guardrails.maxFileKilobytes = $1 }),
        Setting(
            section: "sessions", key: "idle_minutes", value: { "\($0.sessions.idleMinutes)" },
            help: "Read a transcript once its file has been idle this long (the agent may still write it).",
            apply: integer(0...10_080, "minutes") { $0.sessions.idleMinutes = $1 }),
        Setting(
            section: "sessions", key: "sources",
            value: { $0.sessions.sources.toml },
            help: "Where transcripts come from: kind \"claude-code\", \"codex\" or \"reverie\", with a folder or file "
                + "(path) or a pattern (glob); ~ is your home, a relative path is this repo's. Unset: Claude Code's and "
                + "Codex's folders when they exist.",
            apply: { value, config in
                switch SessionSourceSpec.parse(list: value) {
                case .success(let sources):
                    config.sessions.sources = sources
                    return nil
                case .failure(let problem): return problem.message
                }
            }),
        Setting(
            section: "store", key: "id", value: { "\"\($0.store.id)\"" },
            help: "The Claude Managed Agents memory store (memstore_…) `reverie store` mirrors; empty: none.",
            apply: text({
                $0.isEmpty || $0.wholeMatch(of: /[A-Za-z0-9_-]{1,200}/) != nil
                    ? nil
                    : "must be a memory store id such as \"memstore_01abc\""
            }) { $0.store.id = $1 }),
        Setting(
            section: "store", key: "sync", value: { "\"\($0.store.sync.rawValue)\"" },
            help: "\"manual\": only `reverie store pull|push|sync`. \"pull\": pull before every dream (`reverie dream` "
                + "and the daemon's); \"sync\": pull, then push.",
            apply: text({
                StoreSettings.Sync(rawValue: $0) != nil
                    ? nil
                    : "must be " + StoreSettings.Sync.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            }) { $0.store.sync = StoreSettings.Sync(rawValue: $1)! }),
        Setting(
            section: "store", key: "base_url", value: { "\"\($0.store.baseURL)\"" },
            help: "The API's address; empty: https://api.anthropic.com.",
            apply: text({ url in
                url.isEmpty || ((url.hasPrefix("http://") || url.hasPrefix("https://")) && URL(string: url) != nil)
                    ? nil : "must start with http:// or https://"
            }) { $0.store.baseURL = $1.hasSuffix("/") ? String($1.dropLast()) : $1 }),
        Setting(
            section: "store", key: "api_key_env", value: { "\"\($0.store.apiKeyVariable)\"" },
            help: "The environment variable (or systemd credential) holding the API key; empty: ANTHROPIC_API_KEY.",
            apply: text({
                $0.isEmpty || $0.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil
                    ? nil
                    : "must be the name of an environment variable (the name, never the key)"
            }) { $0.store.apiKeyVariable = $1 }),
        Setting(
            section: "store", key: "sessions",
            value: { "[" + $0.store.sessions.map { "\"\($0)\"" }.joined(separator: ", ") + "]" },
            help: "For consolidator \"managed-agents\": the sessions (sesn_…) a platform dream reads, 1 to 100.",
            apply: { value, config in
                guard let array = value.array else { return "must be a list of session ids, such as [\"sesn_01abc\"]" }
                var ids: [String] = []
                for item in array {
                    guard let text = item.string, text.wholeMatch(of: /[A-Za-z0-9_-]{1,200}/) != nil else {
                        return "must be a list of session ids, such as [\"sesn_01abc\"]"
                    }
                    ids.append(text)
                }
                guard ids.count <= 100 else { return "may hold at most 100 sessions" }
                config.store.sessions = ids
                return nil
            }),
        Setting(
            section: "store", key: "model", value: { "\"\($0.store.model)\"" },
            help: "For consolidator \"managed-agents\": the model a platform dream runs.",
            apply: text({
                !$0.isEmpty && $0.count <= 256 && !$0.contains("\n")
                    ? nil : "must be a model id such as \"claude-opus-4-8\""
            }) { $0.store.model = $1 }),
        Setting(
            section: "store", key: "timeout_seconds", value: { "\($0.store.timeoutSeconds)" },
            help: "Longest wait for one answer of the API, in seconds.",
            apply: integer(5...3600, "seconds") { $0.store.timeoutSeconds = $1 }),
        Setting(
            section: "store", key: "dream_timeout_minutes", value: { "\($0.store.dreamTimeoutMinutes)" },
            help: "Longest a platform dream may run before Reverie cancels it, in minutes.",
            apply: integer(1...1440, "minutes") { $0.store.dreamTimeoutMinutes = $1 }),
        Setting(
            section: "memory", key: "layout", value: { "\"\($0.layout.rawValue)\"" },
            help: "\"plain\", or \"claude-code\" for Claude Code's auto memory: dreams keep MEMORY.md within 200 lines "
                + "and 25 KB, and topic files keep their front matter keys.",
            apply: { value, config in
                guard let text = value.string, let layout = MemoryLayout(rawValue: text) else {
                    return "must be " + MemoryLayout.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
                }
                config.layout = layout
                return nil
            }),
        Setting(
            section: "remote", key: "name", value: { "\"\($0.remote.name)\"" },
            help: "The remote's name in git's config (git fetch NAME works too).",
            apply: text({
                $0.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._-]{0,63}/) != nil
                    ? nil
                    : "must be a remote name such as \"origin\" (letters, digits, '.', '_', '-')"
            }) { $0.remote.name = $1 }),
        Setting(
            section: "remote", key: "url", value: { "\"\($0.remote.url)\"" },
            help:
                "Where the team's memory is: an https, ssh, git or file URL (`reverie remote add URL` sets it); empty: none.",
            apply: text({ url in
                if url.contains(where: { $0.isWhitespace || $0.isNewline }) { return "must be one URL without spaces" }
                if RemoteURL.hasPassword(url) {
                    return "must not hold a password (these settings are shared); keep it in a git credential helper"
                }
                return nil
            }) { $0.remote.url = $1 }),
        Setting(
            section: "remote", key: "sync", value: { "\"\($0.remote.sync.rawValue)\"" },
            help: "\"auto\": the daemon fetches, merges and pushes by itself. \"manual\": only `reverie sync` does.",
            apply: { value, config in
                guard let text = value.string, let mode = SyncMode(rawValue: text) else {
                    return "must be \"auto\" or \"manual\""
                }
                config.remote.sync = mode
                return nil
            }),
        Setting(
            section: "remote", key: "push_dreams", value: { "\($0.remote.pushDreams)" },
            help: "Push each dream's branch when it is made, to review it as a pull request.",
            apply: { value, config in
                guard let flag = value.bool else { return "must be true or false" }
                config.remote.pushDreams = flag
                return nil
            }),
        Setting(
            section: "remote", key: "fetch_seconds", value: { "\($0.remote.fetchSeconds)" },
            help: "How often the daemon fetches the team's changes, in seconds.",
            apply: integer(1...86_400, "seconds") { $0.remote.fetchSeconds = $1 }),
        Setting(
            section: "remote", key: "push_delay_ms", value: { "\($0.remote.pushDelayMilliseconds)" },
            help: "Shortest time between two pushes of the daemon, in milliseconds (commits are batched meanwhile).",
            apply: integer(0...3_600_000, "milliseconds") { $0.remote.pushDelayMilliseconds = $1 }),
    ]

    /// A text setting: `problem` says what is wrong with a value, or nil when it is right.
    private static func text(
        _ problem: @escaping @Sendable (String) -> String?,
        _ store: @escaping @Sendable (inout ReverieConfig, String) -> Void
    ) -> @Sendable (TOMLValueConvertible, inout ReverieConfig) -> String? {
        { value, config in
            guard let text = value.string else { return "must be text in quotes" }
            if let problem = problem(text) { return problem }
            store(&config, text)
            return nil
        }
    }

    private static func integer(
        _ range: ClosedRange<Int>, _ unit: String,
        _ store: @escaping @Sendable (inout ReverieConfig, Int) -> Void
    ) -> @Sendable (TOMLValueConvertible, inout ReverieConfig) -> String? {
        { value, config in
            guard let number = value.int, range.contains(number) else {
                return "must be a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound)"
            }
            store(&config, number)
            return nil
        }
    }

    // TOMLKit does not report where a value stands; find the line so errors can point at it.

    private static func line(ofSection section: String, in text: String) -> Int? {
        lines(of: text).firstIndex {
            $0.trimmingCharacters(in: .whitespaces).drop { $0 == "[" }.hasPrefix(section)
        }.map { $0 + 1 }
    }

    private static func line(ofKey key: String, section: String?, in text: String) -> Int? {
        var current: String?
        for (index, line) in lines(of: text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                current = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            } else if current == section, trimmed.hasPrefix(key),
                trimmed.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=")
            {
                return index + 1
            }
        }
        return nil
    }

    private static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
