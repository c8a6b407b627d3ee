import Foundation

/// Reads the fields of a Claude Code transcript line that dreaming uses straight from its
/// bytes, stepping over everything else (tool outputs, file snapshots) without building it.
///
/// It is the fast path of `ClaudeCodeParser`: JSONDecoder builds a map of the whole line
/// first, which costs three times as much on transcripts that are mostly tool output. On
/// anything it does not expect (a nesting too deep, a malformed token) it returns nil, and
/// the line goes through JSONDecoder, which gives the same result or the warning.
struct ClaudeLineScanner {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    static func scan(_ data: Data) -> ClaudeCodeParser.Line? {
        data.withUnsafeBytes { buffer in
            var scanner = ClaudeLineScanner(bytes: buffer)
            return scanner.line()
        }
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    struct Malformed: Error {}

    private mutating func line() -> ClaudeCodeParser.Line? {
        do {
            var line = ClaudeCodeParser.Line()
            try object { scanner, key in
                switch key {
                case "type": line.type = try scanner.optionalString()
                case "uuid": line.uuid = try scanner.optionalString()
                case "parentUuid": line.parentUuid = try scanner.optionalString()
                case "timestamp": line.timestamp = try scanner.optionalString()
                case "sessionId": line.sessionId = try scanner.optionalString()
                case "cwd": line.cwd = try scanner.optionalString()
                case "gitBranch": line.gitBranch = try scanner.optionalString()
                case "summary": line.summary = try scanner.optionalString()
                case "isSidechain": line.isSidechain = try scanner.optionalBool()
                case "isMeta": line.isMeta = try scanner.optionalBool()
                case "isCompactSummary": line.isCompactSummary = try scanner.optionalBool()
                case "toolUseResult": line.failed = try scanner.optionalString()?.hasPrefix("Error") ?? false
                case "message": line.message = try scanner.message()
                default: try scanner.skipValue(depth: 0)
                }
            }
            skipSpace()
            guard index == bytes.count else { return nil }
            return line
        } catch {
            return nil
        }
    }

    // MARK: - The message

    private mutating func message() throws -> ClaudeCodeParser.Line.Message? {
        skipSpace()
        guard peek() == UInt8(ascii: "{") else {
            try skipValue(depth: 0)
            return nil
        }
        var id: String?
        var content: [ClaudeCodeParser.Record.Block] = []
        try object { scanner, key in
            switch key {
            case "id": id = try scanner.optionalString()
            case "content": content = try scanner.content()
            default: try scanner.skipValue(depth: 1)
            }
        }
        return ClaudeCodeParser.Line.Message(id: id, content: content)
    }

    private mutating func content() throws -> [ClaudeCodeParser.Record.Block] {
        skipSpace()
        switch peek() {
        case UInt8(ascii: "\""):
            return [.text(try string())]
        case UInt8(ascii: "["):
            var blocks: [ClaudeCodeParser.Record.Block] = []
            var allObjects = true
            try array { scanner in
                scanner.skipSpace()
                guard scanner.peek() == UInt8(ascii: "{") else {
                    allObjects = false
                    try scanner.skipValue(depth: 2)
                    return
                }
                if let block = try scanner.block() { blocks.append(block) }
            }
            // As JSONDecoder reads it: a list with anything but objects is no content.
            return allObjects ? blocks : []
        default:
            try skipValue(depth: 1)
            return []
        }
    }

    private mutating func block() throws -> ClaudeCodeParser.Record.Block? {
        var type: String?, text: String?, id: String?, name: String?, toolUseID: String?
        var input: String?, output: String?, isError = false
        try object { scanner, key in
            switch key {
            case "type": type = try scanner.optionalString()
            case "text": text = try scanner.optionalString()
            case "id": id = try scanner.optionalString()
            case "name": name = try scanner.optionalString()
            case "tool_use_id": toolUseID = try scanner.optionalString()
            case "is_error": isError = try scanner.optionalBool() ?? false
            case "input": input = try scanner.value(depth: 3).compactText
            case "content": output = try scanner.resultText()
            default: try scanner.skipValue(depth: 3)
            }
        }
        switch type {
        case "text": return text.map { .text($0) }
        case "tool_use": return .toolUse(id: id ?? "", name: name ?? "", input: input ?? "")
        case "tool_result": return .toolResult(id: toolUseID ?? "", output: output ?? "", isError: isError)
        default: return nil
        }
    }

    /// A tool result's content: a string, or the `text` of each part of a list.
    private mutating func resultText() throws -> String {
        skipSpace()
        switch peek() {
        case UInt8(ascii: "\""):
            return try string()
        case UInt8(ascii: "["):
            var texts: [String] = []
            try array { scanner in
                scanner.skipSpace()
                guard scanner.peek() == UInt8(ascii: "{") else {
                    try scanner.skipValue(depth: 4)
                    return
                }
                try scanner.object { scanner, key in
                    if key == "text", let text = try scanner.optionalString() {
                        texts.append(text)
                    } else {
                        try scanner.skipValue(depth: 5)
                    }
                }
            }
            return texts.joined(separator: "\n")
        default:
            try skipValue(depth: 3)
            return ""
        }
    }

    // MARK: - JSON

    private static let maximumDepth = 200

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard peek() == byte else { throw Malformed() }
        index += 1
    }

    /// Calls `member` with each key; `member` must consume the value.
    private mutating func object(_ member: (inout ClaudeLineScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipSpace()
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            skipSpace()
            guard let next = peek() else { throw Malformed() }
            index += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
        }
    }

    private mutating func array(_ element: (inout ClaudeLineScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element(&self)
            skipSpace()
            guard let next = peek() else { throw Malformed() }
            index += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
        }
    }

    /// A string value, or nil for any other value (which is stepped over).
    private mutating func optionalString() throws -> String? {
        skipSpace()
        guard peek() == UInt8(ascii: "\"") else {
            try skipValue(depth: 1)
            return nil
        }
        return try string()
    }

    private mutating func optionalBool() throws -> Bool? {
        skipSpace()
        if match("true") { return true }
        if match("false") { return false }
        try skipValue(depth: 1)
        return nil
    }

    private mutating func match(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count,
            memcmp(bytes.baseAddress! + index, literal.utf8Start, count) == 0
        else { return false }
        index += count
        return true
    }

    /// The end of the string that starts at `index` (its opening quote): memchr to each
    /// quote, then a look back for escaping backslashes.
    private func stringEnd() throws -> (end: Int, escaped: Bool) {
        var position = index + 1
        var escaped = false
        let base = bytes.baseAddress!
        while position < bytes.count {
            guard let found = memchr(base + position, 0x22, bytes.count - position) else { throw Malformed() }
            let quote = base.distance(to: UnsafeRawPointer(found))
            var backslashes = 0
            while quote - backslashes - 1 >= index + 1, bytes[quote - backslashes - 1] == 0x5C { backslashes += 1 }
            if backslashes > 0 { escaped = true }
            if backslashes % 2 == 0 {
                if !escaped, memchr(base + index + 1, 0x5C, quote - index - 1) != nil { escaped = true }
                return (quote, escaped)
            }
            position = quote + 1
        }
        throw Malformed()
    }

    private mutating func string() throws -> String {
        skipSpace()
        guard peek() == UInt8(ascii: "\"") else { throw Malformed() }
        let (end, escaped) = try stringEnd()
        let body = UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<end])
        index = end + 1
        // Control characters must be escaped in JSON, and the text must be UTF-8.
        guard !body.contains(where: { $0 < 0x20 }) else { throw Malformed() }
        let text =
            escaped
            ? String(validating: try Self.unescape(body), as: UTF8.self)
            : String(validating: body.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        guard let text else { throw Malformed() }
        return text
    }

    /// The bytes of a JSON string body with its escapes resolved: runs without a
    /// backslash are copied whole.
    private static func unescape(_ body: UnsafeRawBufferPointer) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var position = 0
        func hex4(at offset: Int) throws -> UInt32 {
            guard offset + 4 <= body.count else { throw Malformed() }
            var value: UInt32 = 0
            for byte in body[offset..<offset + 4] {
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: throw Malformed()
                }
                value = value * 16 + UInt32(digit)
            }
            return value
        }
        while position < body.count {
            guard let found = memchr(body.baseAddress! + position, 0x5C, body.count - position) else {
                out += body[position...]
                break
            }
            let slash = body.baseAddress!.distance(to: UnsafeRawPointer(found))
            out += body[position..<slash]
            guard slash + 1 < body.count else { throw Malformed() }
            position = slash + 2
            switch body[slash + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(body[slash + 1])
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var value = try hex4(at: position)
                position += 4
                if (0xD800..<0xDC00).contains(value) {
                    guard position + 6 <= body.count, body[position] == 0x5C, body[position + 1] == UInt8(ascii: "u")
                    else {
                        throw Malformed()
                    }
                    let low = try hex4(at: position + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw Malformed() }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    position += 6
                }
                guard let scalar = Unicode.Scalar(value) else { throw Malformed() }
                out += Array(String(Character(scalar)).utf8)
            default:
                throw Malformed()
            }
        }
        return out
    }

    /// A whole value, for the free-form parts (a tool's input).
    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth < Self.maximumDepth else { throw Malformed() }
        skipSpace()
        guard let first = peek() else { throw Malformed() }
        switch first {
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            try object { scanner, key in members[key] = try scanner.value(depth: depth + 1) }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try array { scanner in elements.append(try scanner.value(depth: depth + 1)) }
            return .array(elements)
        case UInt8(ascii: "t"):
            guard match("true") else { throw Malformed() }
            return .bool(true)
        case UInt8(ascii: "f"):
            guard match("false") else { throw Malformed() }
            return .bool(false)
        case UInt8(ascii: "n"):
            guard match("null") else { throw Malformed() }
            return .null
        default:
            let start = index
            try skipValue(depth: depth)
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            // As JSONDecoder reads numbers: a whole number (1, 1.0, 1e3) when it fits, else a double.
            if let integer = Int64(text) { return .integer(integer) }
            guard let number = Double(text), number.isFinite else { throw Malformed() }
            if number == number.rounded(), abs(number) < 9.2e18 { return .integer(Int64(number)) }
            return .number(number)
        }
    }

    /// Steps over one value of any kind.
    private mutating func skipValue(depth: Int) throws {
        guard depth < Self.maximumDepth else { throw Malformed() }
        skipSpace()
        guard let first = peek() else { throw Malformed() }
        switch first {
        case UInt8(ascii: "\""):
            index = try stringEnd().end + 1
        case UInt8(ascii: "{"):
            try object { scanner, _ in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try array { scanner in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"):
            guard match("true") else { throw Malformed() }
        case UInt8(ascii: "f"):
            guard match("false") else { throw Malformed() }
        case UInt8(ascii: "n"):
            guard match("null") else { throw Malformed() }
        default:
            // A number: its characters, checked loosely; a malformed one sends the line to
            // JSONDecoder, which says what is wrong.
            let start = index
            while index < bytes.count, let byte = peek(), (0x30...0x39).contains(byte) || "+-.eE".utf8.contains(byte) {
                index += 1
            }
            guard index > start else { throw Malformed() }
        }
    }
}
