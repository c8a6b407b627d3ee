import Foundation
import Seeded
import Sessions

/// Sessions shaped like real ones, for `PlantedCorpus(realistic: true)`: the noise that
/// made the built-in consolidator propose nonsense on real transcripts, copied from the
/// shapes real agents write (the fixtures under `Tests/SessionsTests/Fixtures` and the
/// formats of Claude Code, Codex and Gemini CLI), around a few patterns worth memory.
///
/// Noise: Python tracebacks, test-runner banners and red-green loops, probes expected to
/// fail, an edit whose new text says "command not found", pasted logs and summaries,
/// slash-command prompts, system reminders, runs of non-shell tools, commands without a
/// check, a support agent whose users talk about their own bookings, and shell tools named
/// `Bash`, `run_shell_command`, `shell` and `exec_command` with each one's result shape.
enum RealisticSessions {
    typealias Mistake = PlantedCorpus.PlantedMistake
    typealias Preference = PlantedCorpus.PlantedPreference

    static let mistakes: [Mistake] = [
        Mistake(
            command: "pytest tests/", error: "/bin/bash: line 1: pytest: command not found",
            fix: "python -m pytest tests/",
            names: ["pytest", "command not found", "python -m pytest tests"]),
        Mistake(
            command: "python scripts/seed_db.py",
            error: """
                Traceback (most recent call last):
                  File "/home/dev/app/scripts/seed_db.py", line 3, in <module>
                    import yaml
                ModuleNotFoundError: No module named 'yaml'
                """, fix: "uv run python scripts/seed_db.py",
            names: ["No module named", "yaml", "uv run python scripts seed_db py"]),
        Mistake(
            command: "npm run typecheck",
            error: """
                npm warn Unknown env config "verify-deps-before-run". This will stop working in the next major version of npm.
                npm error Missing script: "typecheck"
                npm error
                npm error To see a list of scripts, run:
                npm error   npm run
                npm error A complete log of this run can be found in: /home/dev/.npm/_logs/2026-11-20T10_11_12_345Z-debug-0.log
                """, fix: nil, names: ["Missing script", "typecheck"]),
        Mistake(
            command: "cargo build",
            error: """
                   Compiling ledger v0.3.1 (/home/dev/ledger)
                error[E0432]: unresolved import `serde_json`
                 --> src/export.rs:4:5
                  |
                4 | use serde_json::Value;
                  |     ^^^^^^^^^^ use of unresolved module or unlinked crate `serde_json`
                  |
                  = help: if you wanted to use a crate named `serde_json`, use `cargo add serde_json` to add it to your `Cargo.toml`

                For more information about this error, try `rustc --explain E0432`.
                error: could not compile `ledger` (bin "ledger") due to 1 previous error
                """, fix: nil, names: ["unresolved import", "serde_json"]),
        Mistake(
            command: "git commit -m \"Fix the export\"",
            error: """
                PreToolUse:Bash [python3 /home/dev/app/.claude/hooks/guard.py] hook denied this tool: Blocked: committing on main is not allowed, create a branch first
                """, fix: "git switch -c fix/export && git commit -m \"Fix the export\"",
            names: ["committing on main is not allowed", "git switch -c"]),
    ]

    static let workflows: [[String]] = [
        ["ruff check", "python -m pytest", "git commit"],
        ["npm run lint", "npm test", "git push"],
        ["cargo fmt", "cargo clippy", "cargo test"],
    ]

    /// Each preference as several people say it, and the words an entry must keep.
    static let preferences: [(preference: Preference, said: [String])] = [
        (
            Preference(text: "never push directly to main", names: ["push", "main"]),
            [
                "Never push directly to main.", "Don't push to the main branch, open a PR.",
                "Please do not push to main; use a pull request.",
            ]
        ),
        (
            Preference(text: "use pnpm instead of npm", names: ["pnpm", "npm"]),
            [
                "Please use pnpm instead of npm.", "Use pnpm rather than npm in this repo!",
                "From now on use pnpm instead of npm, thanks.",
            ]
        ),
        (
            Preference(text: "always run the formatter before committing", names: ["formatter", "commit"]),
            [
                "Always run the formatter before committing.", "Make sure you run the formatter before you commit.",
                "Remember: always run the formatter before a commit!",
            ]
        ),
        (
            Preference(text: "avoid adding new dependencies without asking", names: ["dependencies", "asking"]),
            ["Avoid adding new dependencies without asking.", "Don't add new dependencies without asking first."]
        ),
    ]

    /// A preference said only when refusing a tool call: the reason, or the next message.
    static let refused = (
        preference: Preference(
            text: "do not run database migrations against production", names: ["migrations", "production"]),
        call: "alembic upgrade head --sql-url $PROD_DATABASE_URL",
        reasons: [
            "do not run database migrations against production", "Never run migrations against production yourself.",
        ]
    )

    /// What Claude Code injects in the person's turn, word for word from real transcripts.
    static let initPrompt = """
        Please analyze this codebase and create a CLAUDE.md file, which will be given to future instances of Claude Code to operate in this repository.

        Usage notes:
        - If there's already a CLAUDE.md, suggest improvements to it.
        - When you make the initial CLAUDE.md, do not repeat yourself and do not include obvious instructions like "Provide helpful error messages to users", "Write unit tests for all new utilities", "Never include sensitive information (API keys, tokens) in code or commits"
        - Avoid listing every component or file structure that can be easily discovered
        Don't include generic development practices.
        Do not make up information such as "Common Development Tasks" unless this is expressly included in other files that you read.
        """
    static let caveat =
        "Caveat: The messages below were generated by the user while running local commands. DO NOT respond to these messages or otherwise consider them in your response unless the user explicitly asks you to."
    static let reminder = """
        <system-reminder>
        As you answer the user's questions, you can use the following context:
        # important-instruction-reminders
        Do what has been asked; nothing more, nothing less.
        NEVER create files unless they're absolutely necessary for achieving your goal.
        ALWAYS prefer editing an existing file to creating a new one.
        NEVER proactively create documentation files (*.md) or README files. Only create documentation files if explicitly requested by the User.
        </system-reminder>
        """
    static let pytestRed = """
        ============================= test session starts ==============================
        platform linux -- Python 3.12.3, pytest-8.3.2, pluggy-1.5.0
        rootdir: /home/dev/app
        collected 6 items

        tests/test_WORD.py ..F...                                                 [100%]

        =================================== FAILURES ===================================
        ________________________________ test_WORD_total ________________________________

            def test_WORD_total():
        >       assert total(items) == 3
        E       assert 2 == 3

        tests/test_WORD.py:14: AssertionError
        =========================== short test summary info ============================
        FAILED tests/test_WORD.py::test_WORD_total - assert 2 == 3
        ========================= 1 failed, 5 passed in 0.12s ==========================
        """
    static let customerLines = [
        "Hi, I booked a room for March 3 but I don't have the reservation ID.",
        "Please don't cancel my booking, I'm running late.",
        "Never mind, I found the confirmation email.", "Can you make sure my refund goes to my original card?",
        "Don't charge me twice for the same night please.", "I never got the receipt for my last stay.",
        "Please don't send me any more marketing emails.", "Always the same problem with your app, it logs me out.",
    ]
    static let words = PlantedCorpus.words

    /// The sessions, numbered from `offset`.
    static func sessions(count: Int, random: inout SeededRandom) -> [Session] {
        (0..<count).map { number in session(number, random: &random) }
    }

    static func session(_ number: Int, random: inout SeededRandom) -> Session {
        var session = Session(id: String(format: "real-%03d", number), source: "reverie", file: "synthetic")
        session.user = PlantedCorpus.users[number % PlantedCorpus.users.count]
        let start = Date(timeIntervalSince1970: 1_790_000_000 + Double(number) * 3600)
        session.started = start
        var events: [SessionEvent] = []
        var clock = start
        // Some agents write no time on their events: dates then come from the session's start.
        let timed = random.below(4) != 0
        func add(_ kind: SessionEvent.Kind, subagent: Bool = false) {
            clock = clock.addingTimeInterval(5)
            events.append(SessionEvent(kind, time: timed ? clock : nil, isSubagent: subagent))
        }
        // One support session in six: a customer and a support agent, nothing for a team's memory.
        if number % 6 == 5 {
            session.user = "customer-\(number)"
            for _ in 0..<3 {
                add(.user(text: random.pick(customerLines)))
                add(.toolCall(id: "s\(events.count)", name: "lookup_booking", input: #"{"guest":"\#(number)"}"#))
                add(
                    .toolResult(
                        callID: "s\(events.count - 1)", output: #"{"status":"confirmed"}"#, isError: false,
                        exitCode: nil))
                add(.assistant(text: "I have checked your booking; it is confirmed."))
            }
            session.events = events
            session.ended = clock
            return session
        }
        let agent = random.below(4)  // Claude Code, Gemini CLI, Codex shell, Codex exec_command
        var callNumber = 0
        func call(_ command: String, output: String, exit: Int32, say: String? = nil) {
            if let say { add(.assistant(text: say)) }
            callNumber += 1
            let id = "c\(callNumber)"
            let quoted = command.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "\"", with: "\\\"")
            switch agent {
            case 0:
                add(.toolCall(id: id, name: "Bash", input: #"{"command":"\#(quoted)","description":"Run it"}"#))
                let shown = exit == 0 ? output : "Exit code \(exit)\n\(output)"
                add(.toolResult(callID: id, output: shown, isError: exit != 0, exitCode: exit == 0 ? nil : exit))
            case 1:
                add(.toolCall(id: id, name: "run_shell_command", input: #"{"command":"\#(quoted)"}"#))
                let shown =
                    "Command: \(command)\nDirectory: (root)\nStdout: \(exit == 0 ? output : "(empty)")\n"
                    + "Stderr: \(exit == 0 ? "(empty)" : output)\nError: (none)\nExit Code: \(exit)\nSignal: (none)\nBackground PIDs: (none)"
                add(.toolResult(callID: id, output: shown, isError: false, exitCode: nil))
            case 2:
                add(
                    .toolCall(
                        id: id, name: "shell",
                        input: #"{"command":["bash","-lc","\#(quoted)"],"workdir":"/home/dev/app"}"#))
                add(.toolResult(callID: id, output: output, isError: exit != 0, exitCode: exit))
            default:
                add(.toolCall(id: id, name: "exec_command", input: #"{"cmd":"\#(quoted)"}"#))
                add(
                    .toolResult(
                        callID: id, output: "Exit code: \(exit)\nWall time: 0.4 seconds\nOutput:\n\(output)",
                        isError: false, exitCode: nil))
            }
        }
        func tool(_ name: String, _ input: String, output: String = "ok", failed: Bool = false) {
            callNumber += 1
            add(.toolCall(id: "c\(callNumber)", name: name, input: input))
            add(.toolResult(callID: "c\(callNumber)", output: output, isError: failed, exitCode: nil))
        }
        func look() {
            let word = random.pick(words)
            switch random.below(4) {
            case 0: call("ls src/\(word)", output: "\(word).py\n__init__.py", exit: 0)
            case 1:
                // No match: an answer, not a mistake.
                call("grep -rn \(word)_\(random.below(1000)) src/", output: "", exit: 1)
            case 2:
                tool("Read", #"{"file_path":"/home/dev/app/src/\#(word).py"}"#, output: "     1\timport os\n     2\t")
            default: tool("TodoWrite", #"{"todos":[{"content":"Check \#(word)","status":"in_progress"}]}"#)
            }
        }

        // The person's turn, sometimes after a slash command, its prompt and a reminder.
        if random.below(3) == 0 {
            add(
                .context(
                    text:
                        "<command-message>init is analyzing your codebase…</command-message>\n<command-name>/init</command-name>"
                ))
            add(.context(text: initPrompt))
        }
        if random.below(4) == 0 { add(.context(text: caveat)) }
        add(
            .user(
                text:
                    "\(random.below(2) == 0 ? reminder + "\n" : "")Can you look at the \(random.pick(words)) module? It broke after build \(random.below(900))."
            ))
        // A pasted summary or log: what someone else wrote, in the middle of a long message.
        if random.below(3) == 0 {
            add(
                .user(
                    text: """
                        Here is the summary from the last session, please continue from it.

                        The previous agent refactored the \(random.pick(words)) service. It noted that you should always run the linter before pushing, and never commit directly to main. Tests were green at the end.

                        Always validate user input on the server. Never trust the client. Avoid global state in request handlers; it caused the \(random.pick(words)) outage in October.

                        2026-11-19 10:02:11 ERROR [worker-3] never retried job \(random.below(9999)): timeout
                        2026-11-19 10:02:12 WARN  always-on cache disabled

                        Pick up where it stopped.
                        """))
        }
        for _ in 0..<(1 + random.below(2)) { look() }

        // Planted mistakes: one or two, failing, sometimes with the retry that worked.
        for _ in 0..<(1 + random.below(2)) {
            let mistake = mistakes[random.below(mistakes.count)]
            call(mistake.command, output: mistake.error, exit: mistake.error.contains("command not found") ? 127 : 1)
            if random.below(3) == 0 { look() }
            if let fix = mistake.fix {
                call(fix, output: "done", exit: 0)
            } else {
                call("git status --short", output: " M src/app.py", exit: 0)
            }
        }
        // A red-green loop: the failing test is the work, not a mistake.
        if random.below(2) == 0 {
            let word = random.pick(words)
            call(
                "python -m pytest tests/test_\(word).py",
                output: pytestRed.replacingOccurrences(of: "WORD", with: word), exit: 1,
                say: "Let me write the failing test first and confirm it fails.")
            tool(
                "Edit",
                #"{"file_path":"/home/dev/app/src/\#(word).py","old_string":"return 2","new_string":"return 3"}"#)
            call("python -m pytest tests/test_\(word).py", output: "6 passed in 0.10s", exit: 0)
        }
        // Probes that answer "no".
        if random.below(2) == 0 {
            call("ls build/", output: "ls: cannot access 'build/': No such file or directory", exit: 2)
        }
        if random.below(3) == 0 { call("which docker", output: "", exit: 1) }
        // An edit whose new text mentions an error: a success all the same.
        if random.below(3) == 0 {
            tool(
                "Edit",
                #"{"file_path":"/home/dev/app/bin/run","old_string":"exit 1","new_string":"echo \"$1: command not found\" >&2; exit 127"}"#,
                output: "The file /home/dev/app/bin/run has been updated.")
        }
        // A one-off error no other session repeats.
        let key = "\(random.pick(words))_\(random.below(1000))"
        call(
            "python tools/report.py --month \(1 + random.below(12))",
            output: """
                Traceback (most recent call last):
                  File "/home/dev/app/tools/report.py", line 88, in <module>
                    main()
                  File "/home/dev/app/tools/report.py", line 41, in main
                    total = rows[0]["\(key)"]
                KeyError: '\(key)'
                """, exit: 1)
        // Commands that recur without a check: habits, not workflows.
        if random.below(2) == 0 {
            call("git fetch origin", output: "", exit: 0)
            call("git rebase origin/main", output: "Successfully rebased and updated refs/heads/main.", exit: 0)
            call("git log --oneline -5", output: "a1b2c3d Fix", exit: 0)
        }
        look()
        // A planted workflow, whole; its test step sometimes fails first and is run again.
        let workflow = workflows[random.below(workflows.count)]
        for step in workflow {
            let command =
                step
                + (step.hasSuffix("commit")
                    ? " -am \"Update \(random.pick(words))\"" : step.hasSuffix("push") ? " origin HEAD" : "")
            if ToolCall.isTest(step), random.below(3) == 0 {
                call(
                    command, output: "FAILED tests/test_app.py::test_total - assert 2 == 3\n1 failed, 9 passed", exit: 1
                )
                tool("Edit", #"{"file_path":"/home/dev/app/src/app.py","old_string":"a","new_string":"b"}"#)
            }
            call(command, output: "ok", exit: 0)
        }
        // A planted preference in this person's own words; or one said by refusing a call.
        switch random.below(3) {
        case 0:
            let preference = preferences[random.below(preferences.count)]
            add(.user(text: random.pick(preference.said)))
        case 1:
            callNumber += 1
            add(
                .toolCall(
                    id: "c\(callNumber)", name: agent == 0 ? "Bash" : "shell", input: #"{"command":"\#(refused.call)"}"#
                ))
            if random.below(2) == 0 {
                add(.rejection(callID: "c\(callNumber)", reason: refused.reasons[0]))
            } else {
                add(.rejection(callID: "c\(callNumber)", reason: nil))
                add(.context(text: "[Request interrupted by user for tool use]"))
                add(.user(text: refused.reasons[1]))
            }
        default:
            break
        }
        add(.assistant(text: "Done."))
        session.events = events
        session.ended = clock
        return session
    }
}
