extension ReverieConfig {
    /// The settings that decide what code runs on this machine, where its keys and data go
    /// or which of its files are read. The settings file is shared: anyone who can push to
    /// the team's remote can change them, so each machine uses them only with the values it
    /// accepted (`SettingsTrust`, `reverie trust`). The rest shape what a dream proposes
    /// inside memory the team already shares, and go through guardrails and review.
    public static let sensitive: [String] = [
        "dream.consolidator",  // "command" runs a program; a model or the platform gets transcripts and memory
        "model.command",  // the program a command dream runs, with this person's environment
        "model.base_url",  // where a model dream sends the key, transcripts and memory
        "model.api_key_env",  // which of this person's variables is sent as the key
        "sessions.sources",  // which files here are read as transcripts, then quoted to a model or into memory
        "store.id",  // the memory store pulled into memory and pushed to with this person's key
        "store.sessions",  // the platform sessions a platform dream reads into memory
        "store.base_url",  // where the store's key and memory go
        "store.api_key_env",  // which of this person's variables is sent as the store's key
        "remote.url",  // where memory is pushed, and which host git's credentials are offered to
    ]

    /// What the generated settings file says beside each sensitive setting.
    static let trustNote =
        "After a teammate changes it, a machine uses it only once someone there runs `reverie trust`."

    /// The sensitive settings a dream by `kind` uses. `kind` nil: the settings choose
    /// (`[dream] consolidator`, which then counts itself); a kind named on the command line
    /// is the person's own choice, but the values it reads from `[model]` or `[store]` are not.
    public func sensitiveSettings(forConsolidator kind: String?) -> [String] {
        let chosen = kind ?? dream.consolidator
        // The built-in consolidator runs nothing and sends nothing: choosing it needs no trust.
        var keys = kind == nil && chosen != "builtin" ? ["dream.consolidator"] : []
        switch chosen {
        case "anthropic", "openai": keys += ["model.base_url", "model.api_key_env"]
        case "command": keys += ["model.command"]
        case "managed-agents": keys += ["store.id", "store.sessions"] + Self.storeClientSettings
        default: break
        }
        return keys
    }

    /// The sensitive settings every call to the memory-store API uses.
    public static let storeClientSettings = ["store.base_url", "store.api_key_env"]
}
