import Foundation
import Memory

/// A folder of transcripts of any kind Reverie reads (Claude Code, Codex, Reverie's own
/// format), mixed as a person collected them: `reverie eval --corpus DIR`. No settings say
/// which agent wrote a file, so each file's kind is told from its first lines.
public enum TranscriptFolder {
    /// Every session in the folder's `*.jsonl` files at any depth, and what was skipped.
    ///
    /// - Parameter textLimit: texts longer than this keep their start and end only, as a
    ///   dream sees them (`DreamEngine.textLimit`); nil keeps all.
    public static func load(
        _ folder: String, textLimit: Int? = nil
    ) throws(SessionsError)
        -> (sessions: [Session], files: Int, warnings: [ParseWarning])
    {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
            let files = SessionCatalog.transcripts(under: folder)
        else {
            throw .notAFolder(path: folder)
        }
        let kinds = files.map(kind(of:))
        let known = zip(files, kinds).compactMap { file, kind in kind.map { (file, $0) } }
        var results = Dictionary(uniqueKeysWithValues: zip(known.map(\.0), SessionCatalog.parseInParallel(known)))
        for file in files where results[file] == nil { results[file] = parseUnknown(file) }
        var sessions: [Session] = []
        var warnings: [ParseWarning] = []
        for file in files {
            warnings += results[file]!.warnings
            for var session in results[file]!.sessions {
                if let textLimit { session.shortenTexts(to: textLimit) }
                sessions.append(session)
            }
        }
        return (sessions, files.count, warnings)
    }

    /// The kind of transcript a file holds, from its first lines: Reverie's format marks
    /// each line with "v", a Codex rollout line has "type" and "payload", Claude Code's
    /// lines carry "sessionId", "uuid" or "leafUuid". Nil when none of the first lines says.
    public static func kind(of file: String) -> SessionSourceSpec.Kind? {
        guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 256 * 1024)) ?? Data()
        for line in start.split(separator: UInt8(ascii: "\n")).prefix(20) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            if object["v"] != nil { return .reverie }
            if object["type"] is String, object["payload"] is [String: Any] { return .codex }
            if object["sessionId"] != nil || object["uuid"] != nil || object["leafUuid"] != nil { return .claudeCode }
        }
        return nil
    }

    /// A file whose first lines do not tell (a first message over 256 KB, say): every
    /// parser reads it, and the one that finds the most events wins.
    static func parseUnknown(_ file: String) -> (sessions: [Session], warnings: [ParseWarning]) {
        func events(_ result: (sessions: [Session], warnings: [ParseWarning])) -> Int {
            result.sessions.reduce(0) { $0 + $1.events.count }
        }
        var best: (sessions: [Session], warnings: [ParseWarning]) = ([], [])
        for kind in SessionSourceSpec.Kind.allCases {
            let result = SessionCatalog.parse(file, kind: kind)
            if events(result) > events(best) { best = result }
        }
        guard events(best) > 0 else {
            return (
                [],
                [ParseWarning(file: file, line: nil, reason: "not a Claude Code, Codex or Reverie transcript; skipped")]
            )
        }
        return best
    }
}
