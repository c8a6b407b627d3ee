import Foundation

/// Reads a JSON Lines file a chunk at a time: memory stays bounded by the longest line
/// kept, whatever the file's size, and a line over the limit is skipped, not loaded.
public enum JSONLReader {
    /// Lines longer than this are skipped with a warning.
    public static let maxLineBytes = 10 * 1024 * 1024

    /// Calls `body` with each line's number and JSON object; returns the warnings, with
    /// every line that is not a JSON object among them. An unparsable last line is most
    /// likely a file still being written, and is reported as such.
    public static func forEachObject(in path: String, _ body: (Int, [String: Any]) -> Void) -> [ParseWarning] {
        var warnings: [ParseWarning] = []
        warnings += forEachLine(in: path) { number, bytes, isLast in
            guard let object = try? JSONSerialization.jsonObject(with: bytes), let line = object as? [String: Any] else {
                let reason = isLast ? "incomplete last line (the file may still be written)" : "not a JSON object"
                warnings.append(ParseWarning(file: path, line: number, reason: reason))
                return
            }
            body(number, line)
        }
        return warnings.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
    }

    /// Calls `body` with each line's number and bytes; returns the warnings. A file with a
    /// NUL byte in its first 8 KB is not text, and is skipped with one warning.
    public static func forEachLine(
        in path: String, maxLineBytes: Int = maxLineBytes, _ body: (Int, Data, _ isLast: Bool) -> Void
    ) -> [ParseWarning] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return [ParseWarning(file: path, line: nil, reason: "cannot be opened")]
        }
        defer { try? handle.close() }
        var warnings: [ParseWarning] = []
        var line = Data()
        var number = 1
        var skipping = false
        var first = true
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if first {
                first = false
                if chunk.prefix(8192).contains(0) {
                    return [ParseWarning(file: path, line: nil, reason: "not a transcript: binary content")]
                }
            }
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                if !skipping { line.append(chunk[start..<newline]) }
                if skipping || line.count > maxLineBytes {
                    warnings.append(ParseWarning(file: path, line: number, reason: "line longer than \(maxLineBytes) bytes, skipped"))
                } else if !line.isEmpty {
                    body(number, line, false)
                }
                line.removeAll(keepingCapacity: line.count < 1 << 20)
                skipping = false
                number += 1
                start = chunk.index(after: newline)
            }
            if !skipping {
                line.append(chunk[start...])
                if line.count > maxLineBytes { skipping = true; line = Data() }
            }
        }
        if skipping {
            warnings.append(ParseWarning(file: path, line: number, reason: "line longer than \(maxLineBytes) bytes, skipped"))
        } else if !line.isEmpty {
            body(number, line, true)
        }
        return warnings
    }
}
