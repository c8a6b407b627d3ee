import Foundation
import Git
import TestSupport
import Testing

@testable import Memory

/// The machine-local record of accepted settings: what counts as accepted, what is named
/// when it is not, and who may write the record.
@Suite struct SettingsTrustTests {
    /// A repo made by plain git, no record: the defaults need no step.
    @Test func theDefaultsNeedNoRecord() throws {
        let dir = try Scratch("trust")
        try dir.git("init", "-q", "-b", "main")
        let memory = try MemoryRepo.open(discoveringFrom: dir.path)
        let trust = SettingsTrust(memory: memory)
        #expect(trust.record() == nil && !dir.exists(".git/reverie/trusted-settings"))
        #expect(trust.untrusted(in: try memory.config()) == nil)
        #expect(SettingsTrust.defaultsOnly.untrusted(in: ReverieConfig()) == nil)
    }

    /// `reverie init` made the settings here: it records them, digest and all.
    @Test func initRecordsTheSettingsItWrote() throws {
        let dir = try Scratch("trust")
        let sources = "[{ kind = \"reverie\", path = \"~/agents/sessions\" }]"
        let (memory, _) = try MemoryRepo.initialize(at: dir.path, settings: ["sessions.sources": sources])
        let record = try #require(SettingsTrust(memory: memory).record())
        let config = try memory.config()
        #expect(record.settings["sessions.sources"] == config.value(of: "sessions.sources"))
        #expect(record.settings.keys.sorted() == ReverieConfig.sensitive.sorted())
        #expect(record.digest == SettingsTrust.digest(record.settings) && record.digest.count == 64)
        #expect(record.main == (try dir.git("rev-parse", "main")).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(SettingsTrust(memory: memory).untrusted(in: config) == nil)
        // Nothing of it is committed.
        #expect(!(try dir.git("ls-files")).contains("trusted"))
    }

    /// A repo that came with settings (a clone) is adopted without accepting them.
    @Test func initAdoptingSettingsItDidNotWriteRecordsNothing() throws {
        let dir = try Scratch("trust")
        try dir.git("init", "-q", "-b", "main")
        try dir.write(
            ".reverie/config.toml", "[dream]\nconsolidator = \"command\"\n[model]\ncommand = [\"sh\", \"-c\", \"id\"]\n"
        )
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        #expect(SettingsTrust(memory: memory).record() == nil)
        #expect(
            SettingsTrust(memory: memory).untrusted(in: try memory.config())?.keys == [
                "dream.consolidator", "model.command",
            ])
    }

    /// Each changed setting is named with the value accepted and the value now; only the
    /// settings a use needs are compared, so an unrelated change refuses nothing.
    @Test func aChangedValueIsNamedOnlyWhereItIsUsedUntilAccepted() throws {
        let dir = try Scratch("trust")
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        try dir.write(".reverie/config.toml", "[model]\nbase_url = \"http://127.0.0.1:1\"\n")
        let config = try memory.config()
        let trust = SettingsTrust(memory: memory)
        let refused = try #require(trust.untrusted(["model.base_url", "model.api_key_env"], in: config))
        #expect(refused.changes == [.init(key: "model.base_url", accepted: "\"\"", now: "\"http://127.0.0.1:1\"")])
        #expect(
            refused.description.contains(
                "changed since this machine accepted them (model.base_url); review with "
                    + "`reverie trust --show` or `git log -p -- .reverie/config.toml`, then run `reverie trust`"))
        // The built-in consolidator uses none of it.
        #expect(trust.untrusted(config.sensitiveSettings(forConsolidator: nil), in: config) == nil)
        #expect(trust.untrusted(["sessions.sources", "model.command"], in: config) == nil)
        try trust.accept(config)
        #expect(trust.untrusted(in: config) == nil)
        // Back to the default is a change too: the vendor's API instead of the accepted local one.
        #expect(trust.untrusted(in: ReverieConfig())?.keys == ["model.base_url"])
    }

    /// A kind named on the command line is the person's own; what it reads from settings is not.
    @Test func aConsolidatorNamedByThePersonStillNeedsItsSettingsTrusted() {
        var config = ReverieConfig()
        #expect(config.sensitiveSettings(forConsolidator: nil).isEmpty)
        #expect(config.sensitiveSettings(forConsolidator: "builtin").isEmpty)
        #expect(config.sensitiveSettings(forConsolidator: "anthropic") == ["model.base_url", "model.api_key_env"])
        config.dream.consolidator = "command"
        #expect(config.sensitiveSettings(forConsolidator: nil) == ["dream.consolidator", "model.command"])
        #expect(config.sensitiveSettings(forConsolidator: "builtin").isEmpty)
        config.dream.consolidator = "managed-agents"
        #expect(
            config.sensitiveSettings(forConsolidator: nil)
                == ["dream.consolidator", "store.id", "store.sessions", "store.base_url", "store.api_key_env"])
    }

    /// A record that does not match its digest counts for nothing: only defaults stay accepted.
    @Test func aRecordEditedByHandWithoutItsDigestIsIgnored() throws {
        let dir = try Scratch("trust")
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        let file = URL(fileURLWithPath: dir.url(".git/reverie/trusted-settings"))
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var settings = try #require(json["settings"] as? [String: String])
        settings["model.command"] = "[\"sh\"]"
        json["settings"] = settings
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        let trust = SettingsTrust(memory: memory)
        #expect(trust.record() == nil)
        var config = ReverieConfig()
        config.model.command = ["sh"]
        #expect(trust.untrusted(["model.command"], in: config)?.hasRecord == false)
    }

    /// `[remote] url` is accepted when this clone's own git config already names it.
    @Test func theRemoteThisClonesGitConfigNamesIsAccepted() throws {
        let dir = try Scratch("trust")
        let (memory, _) = try MemoryRepo.initialize(at: dir.path)
        var config = ReverieConfig()
        config.remote.url = "https://git.example.com/team/memory.git"
        let trust = SettingsTrust(memory: memory)
        #expect(trust.untrusted(["remote.url"], in: config)?.keys == ["remote.url"])
        try dir.git("remote", "add", "origin", "https://git.example.com/team/memory.git")
        #expect(trust.untrusted(["remote.url"], in: config) == nil)
        config.remote.url = "https://elsewhere.example.com/memory.git"
        #expect(trust.untrusted(["remote.url"], in: config)?.keys == ["remote.url"])
        config.remote.name = "upstream"
        config.remote.url = "https://git.example.com/team/memory.git"
        #expect(trust.untrusted(["remote.url"], in: config)?.keys == ["remote.url"])
    }

    /// The generated file says, beside each sensitive setting and no other, what a change needs.
    @Test func theTemplateMarksTheSensitiveSettings() {
        let lines = ReverieConfig.template.split(separator: "\n")
        for (index, line) in lines.enumerated() where line.hasPrefix("# ") && line.contains(" = ") {
            let section = lines[..<index].last { $0.hasPrefix("[") }!.dropFirst().dropLast()
            let key = "\(section).\(line.dropFirst(2).prefix { $0 != " " })"
            let help = lines[index - 1]
            #expect(help.contains("`reverie trust`") == ReverieConfig.sensitive.contains(key), "\(key): \(help)")
        }
        #expect(ReverieConfig.sensitive.allSatisfy { ReverieConfig().value(of: $0) != nil })
    }
}
