import Dreaming
import Foundation
import Git
import Memory
import Sessions
import TestSupport

/// A memory repo made as `reverie init` makes it, some memory committed, one folder of
/// Reverie-format sessions as its only source.
final class DreamFixture {
    let dir: Scratch
    let home: Scratch
    let memory: MemoryRepo

    init(
        merge: String = "manual", files: [String: String] = ["notes.md": "# Notes\n\n- keep answers short\n"],
        sessions: Int = 2
    ) throws {
        dir = try Scratch("dream")
        home = try Scratch("home")
        _ = try MemoryRepo.initialize(at: dir.path)
        try dir.write(
            ".reverie/config.toml",
            """
            [dream]
            merge = "\(merge)"
            [sessions]
            idle_minutes = 0
            sources = [{ kind = "reverie", path = "\(home.url("sessions"))" }]
            """)
        for (path, text) in files { try dir.write(path, text) }
        try dir.git("add", "-A")
        try dir.git("commit", "-qm", "Memory by hand")
        memory = try MemoryRepo.open(discoveringFrom: dir.path)
        try trust()
        for number in 0..<sessions { try addSession("s\(number)") }
    }

    /// Accepts the settings as they are now on this machine, as `reverie trust` does: the
    /// test wrote them, as a person would.
    func trust() throws {
        try SettingsTrust(memory: memory).accept(try memory.config())
    }

    func addSession(_ id: String, user: String = "ana") throws {
        try home.write(
            "sessions/\(id).jsonl",
            """
            {"v":1,"type":"session","id":"\(id)","user":"\(user)","agent":"bot","started":"2026-11-24T09:00:00Z"}
            {"v":1,"type":"user","time":"2026-11-24T09:00:01Z","text":"Please always use python -m pytest."}
            {"v":1,"type":"tool_call","time":"2026-11-24T09:00:05Z","id":"c1","name":"Bash","input":{"command":"pytest"}}
            {"v":1,"type":"tool_result","time":"2026-11-24T09:00:06Z","call_id":"c1","output":"pytest: command not found","exit_code":127}

            """)
    }

    func engine() throws -> DreamEngine {
        let config = try memory.config()
        return DreamEngine(
            memory: memory, config: config,
            catalog: SessionCatalog(memory: memory, config: config, home: home.path))
    }

    var book: DreamBook { DreamBook(memory: memory) }

    func dream(_ changes: [MemoryChange], now: Date = Date()) async throws -> DreamEngine.Report {
        try await engine().dream(with: FixedConsolidator(changes), now: now)
    }

    /// `git log --format=%s` of a revision, newest first.
    func subjects(_ revision: String = "main") throws -> [String] {
        try dir.git("log", "--format=%s", revision).split(separator: "\n").map(String.init)
    }

    func fsck() throws -> String { try dir.git("fsck", "--strict", "--no-dangling") }

    static func change(
        _ kind: MemoryChange.Kind = .mistake, _ path: String, _ text: String,
        summary: String? = nil
    ) -> MemoryChange {
        MemoryChange(
            kind: kind, writes: [path: text], summary: summary ?? "Write \(path)",
            rationale: "Seen in two sessions.", evidence: [Evidence(session: "s0", quote: "pytest: command not found")])
    }
}
