import Foundation
import Memory
import TestSupport
import Testing

@Suite struct ReverieConfigTests {
    @Test func noFileMeansDefaults() throws {
        let dir = try Scratch()
        #expect(try ReverieConfig.load(fromRepo: dir.path) == ReverieConfig())
    }

    @Test func theTemplateIsTheDefaultsCommentedAndUncommented() throws {
        #expect(try ReverieConfig.parse(ReverieConfig.template) == ReverieConfig())
        let uncommented = ReverieConfig.template.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("# ") && $0.contains(" = ") ? String($0.dropFirst(2)) : String($0) }
            .joined(separator: "\n")
        #expect(uncommented.contains("\ndebounce_ms = 300\n"))
        #expect(try ReverieConfig.parse(uncommented) == ReverieConfig())
    }

    @Test func readsEverySetting() throws {
        let config = try ReverieConfig.parse(
            """
            [watch]
            debounce_ms = 50
            max_wait_ms = 500
            [dream]
            schedule = "every 6h"
            min_new_sessions = 2
            quiet_minutes = 0
            merge = "auto"
            [guardrails]
            max_changed_share = 0.5
            max_file_kb = 20
            """)
        #expect(config.watch.debounceMilliseconds == 50 && config.watch.maxWaitMilliseconds == 500)
        #expect(config.dream.schedule == .every(seconds: 6 * 3600))
        #expect(config.dream.minNewSessions == 2 && config.dream.quietMinutes == 0)
        #expect(config.dream.merge == .auto)
        #expect(config.guardrails.maxChangedShare == 0.5 && config.guardrails.maxFileKilobytes == 20)
    }

    @Test func sessionSourcesReadAsTablesOrInline() throws {
        let config = try ReverieConfig.parse(
            """
            [sessions]
            idle_minutes = 0

            [[sessions.sources]]
            kind = "reverie"
            glob = "~/agents/*/sessions/*.jsonl"

            [[sessions.sources]]
            kind = "claude-code"
            path = "/srv/claude"
            """)
        #expect(config.sessions.idleMinutes == 0)
        #expect(
            config.sessions.sources == [
                SessionSourceSpec(kind: .reverie, glob: "~/agents/*/sessions/*.jsonl"),
                SessionSourceSpec(kind: .claudeCode, path: "/srv/claude"),
            ])
        let inline = try ReverieConfig.parse("[sessions]\nsources = [{ kind = \"codex\", path = \"~/c\" }]\n")
        #expect(inline.sessions.sources == [SessionSourceSpec(kind: .codex, path: "~/c")])
        #expect(
            ReverieConfig().sessions.sources.map(\.label) == [
                "claude-code ~/.claude/projects", "codex ~/.codex/sessions",
            ])
    }

    @Test func aNULByteInTheFileIsRefusedWithItsLineAndTheRemedy() throws {
        let dir = try Scratch()
        // Whatever follows a NUL would be cut off unseen by a C parser: the file is refused.
        try dir.write(".reverie/config.toml", "[dream]\nmerge = \"manual\"\n# note\0\nmerge = \"auto\"\n")
        #expect(
            throws: MemoryError.config(
                file: ".reverie/config.toml", line: 3, key: nil,
                message: "has a NUL byte (column 7), which a settings file must not hold; delete it, for instance with "
                    + "sed -i 's/\\x00//g' .reverie/config.toml")
        ) {
            try ReverieConfig.load(fromRepo: dir.path)
        }
    }

    @Test func schedulesParseAndPrintBack() {
        #expect(DreamSchedule("daily 03:00") == .daily(hour: 3, minute: 0))
        #expect(DreamSchedule("every 30m") == .every(seconds: 1800))
        #expect(DreamSchedule("off") == .off)
        for bad in ["daily 3", "daily 25:00", "every", "every 0h", "every 5x", "weekly", ""] {
            #expect(DreamSchedule(bad) == nil, "\(bad)")
        }
        #expect(DreamSchedule("daily 03:05")?.description == "daily 03:05")
        #expect(DreamSchedule("every 6h")?.description == "every 6h")
    }

    @Test(
        arguments: [
            ("[watch]\ndebounce_ms = \"fast\"\n", 2, "watch.debounce_ms", "whole number of milliseconds"),
            ("[watch]\ndebounce = 10\n", 2, "watch.debounce", "unknown setting; [watch] has debounce_ms, max_wait_ms"),
            ("[dreams]\nschedule = \"off\"\n", 1, nil, "unknown section [dreams]"),
            ("\n[dream]\nschedule = \"weekly\"\n", 3, "dream.schedule", "\"weekly\" is not a schedule"),
            ("[dream]\nmerge = \"yes\"\n", 2, "dream.merge", "must be \"manual\" or \"auto\""),
            ("[dream]\nconsolidator = \"gpt\"\n", 2, "dream.consolidator", "must be one of \"builtin\", \"anthropic\""),
            ("[model]\napi_key_env = \"sk-ant-api03-abc\"\n", 2, "model.api_key_env", "the name, never the key"),
            ("[model]\nbase_url = \"ftp://models\"\n", 2, "model.base_url", "must start with http:// or https://"),
            ("[model]\ncommand = \"python3 dream.py\"\n", 2, "model.command", "must be a list of strings"),
            ("[model]\ntoken_budget = 10\n", 2, "model.token_budget", "whole number of tokens from 1000"),
            ("[guardrails]\nmax_changed_share = 2.0\n", 2, "guardrails.max_changed_share", "at most 1"),
            ("[watch]\ndebounce_ms = 500\nmax_wait_ms = 100\n", 3, "watch.max_wait_ms", "at least watch.debounce_ms"),
            ("[watch\ndebounce_ms = 1\n", 1, nil, ""),
            ("watch = 3\n", 1, "watch", "must be a section ([watch]), not a value"),
            ("[sessions]\nsources = \"~/x\"\n", 2, "sessions.sources", "must be a list of sources"),
            (
                "[[sessions.sources]]\nkind = \"cursor\"\npath = \"~/x\"\n", 1, "sessions.sources",
                "source 1: kind must be one of \"claude-code\", \"codex\", \"reverie\""
            ),
            ("[[sessions.sources]]\nkind = \"codex\"\n", 1, "sessions.sources", "give exactly one of path"),
            (
                "[[sessions.sources]]\nkind = \"codex\"\npath = \"a\"\nglob = \"b\"\n", 1, "sessions.sources",
                "give exactly one of path"
            ),
            ("[[sessions.sources]]\nkind = \"codex\"\nfolder = \"a\"\n", 1, "sessions.sources", "unknown key folder"),
            ("[sessions]\nidle_minutes = -1\n", 2, "sessions.idle_minutes", "whole number of minutes"),
            ("[dream]\nmerge = \"auto\"\0\nschedule = \"nope\"\n", 2, nil, "a NUL byte (column 15)"),
            ("\0", 1, nil, "a NUL byte (column 1)"),
        ] as [(String, Int, String?, String)])
    func badSettingsNameFileLineKeyAndRemedy(text: String, line: Int, key: String?, message: String) {
        #expect {
            try ReverieConfig.parse(text)
        } throws: { error in
            guard case MemoryError.config(let file, let foundLine, let foundKey, let foundMessage) = error else {
                return false
            }
            return file == ".reverie/config.toml" && foundLine == line && foundKey == key
                && (message.isEmpty || foundMessage.contains(message))
        }
    }
}
