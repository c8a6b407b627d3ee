import Foundation
import Git

extension MemoryRepo {
    /// Points this memory at a team remote: `[remote]` in `.reverie/config.toml` (shared,
    /// so teammates' clones sync with the same one) and `remote.<name>.url` in git's own
    /// config (so plain git reaches it too), then commits the settings.
    ///
    /// - Returns: the commit of the settings, or nil when they did not change.
    @discardableResult
    public func setRemote(_ remote: ReverieConfig.Remote) throws(MemoryError) -> ObjectID? {
        let file = root + "/" + ReverieConfig.path
        let old = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let text = ReverieConfig.replacingRemote(in: old, with: remote)
        _ = try ReverieConfig.parse(text)  // never write settings that would not load
        do {
            try FileManager.default.createDirectory(atPath: root + "/.reverie", withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw .io(path: ReverieConfig.path, message: "cannot write: \(error.localizedDescription)")
        }
        do {
            try repository.setRemote(name: remote.name, url: remote.url)
            return try repository.commitWorkingTree(
                paths: [ReverieConfig.path],
                message: "Share memory through \(remote.name) (\(RemoteURL.displayed(remote.url)))")
        } catch {
            throw .git(error)
        }
    }
}

extension ReverieConfig {
    /// `text` with its `[remote]` section (commented defaults included) replaced by one
    /// holding `remote`; every other line stays as the person wrote it.
    public static func replacingRemote(in text: String, with remote: Remote) -> String {
        var lines: [Substring] = []
        var inRemote = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") { inRemote = trimmed.hasPrefix("[remote]") }
            if !inRemote { lines.append(line) }
        }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        var result = lines.joined(separator: "\n")
        if !result.isEmpty { result += "\n\n" }
        result += """
            [remote]
            # The team's memory: `reverie sync` (or the daemon, with sync = "auto") fetches, merges and pushes it.
            name = "\(remote.name)"
            url = "\(remote.url.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))"
            sync = "\(remote.sync.rawValue)"
            push_dreams = \(remote.pushDreams)
            fetch_seconds = \(remote.fetchSeconds)
            push_delay_ms = \(remote.pushDelayMilliseconds)

            """
        return result
    }
}
