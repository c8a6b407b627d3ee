import Foundation

/// How every `--json` output is written, in one place: indented, keys sorted, and dates
/// as ISO 8601 text in UTC (`2026-12-01T13:09:18Z`, as `MemoryRepo.timestamp` writes them),
/// not Foundation's default of seconds since 2001, which no script expects.
public enum JSONOutput {
    /// A new encoder set up this way.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(MemoryRepo.timestamp(date))
        }
        return encoder
    }

    /// A value as the JSON text `--json` prints.
    public static func text(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }
}
