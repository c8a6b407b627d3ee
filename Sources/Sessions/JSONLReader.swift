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
            guard let object = try? JSONSerialization.jsonObject(with: bytes), let line = object as? [String: Any]
            else {
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
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [ParseWarning(file: path, line: nil, reason: "cannot be opened")] }
        defer { close(descriptor) }
        // The scan works on raw bytes with memchr: going through `Data` index by index costs
        // more than parsing the JSON.
        let chunkSize = 1 << 20
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { chunk.deallocate() }
        var warnings: [ParseWarning] = []
        var pending = Data()  // the start of a line that continues in the next chunk
        var number = 1
        var skipping = false
        var first = true
        func tooLong() {
            warnings.append(
                ParseWarning(file: path, line: number, reason: "line longer than \(maxLineBytes) bytes, skipped"))
        }
        while true {
            let count = read(descriptor, chunk.baseAddress, chunkSize)
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                warnings.append(
                    ParseWarning(file: path, line: number, reason: "read failed: \(String(cString: strerror(errno)))"))
            }
            guard count > 0 else { break }
            let base = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if first {
                first = false
                if memchr(base, 0, min(count, 8192)) != nil {
                    return [ParseWarning(file: path, line: nil, reason: "not a transcript: binary content")]
                }
            }
            var start = 0
            while start < count, let found = memchr(base + start, 0x0A, count - start) {
                let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if skipping || pending.count + (end - start) > maxLineBytes {
                    tooLong()
                } else if pending.isEmpty {
                    if end > start { body(number, Data(bytes: base + start, count: end - start), false) }
                } else {
                    pending.append(base + start, count: end - start)
                    body(number, pending, false)
                }
                pending.removeAll(keepingCapacity: pending.count < chunkSize)
                skipping = false
                number += 1
                start = end + 1
            }
            if start < count && !skipping {
                if pending.count + (count - start) > maxLineBytes {
                    skipping = true
                    pending = Data()
                } else {
                    pending.append(base + start, count: count - start)
                }
            }
        }
        if skipping {
            tooLong()
        } else if !pending.isEmpty {
            body(number, pending, true)
        }
        return warnings
    }
}
