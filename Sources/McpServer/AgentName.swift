import Memory

/// The name an MCP client gives itself (`clientInfo.name` in its initialize request), made
/// fit for the `Reverie-Agent:` trailer of the commits it causes.
///
/// The name is untrusted input that ends up in git history forever: line breaks and other
/// control or format characters (which could forge more trailers or hide text) become
/// spaces, runs of white space one space, anything the secret scanner finds is redacted,
/// and it is cut to `maxLength` characters.
public struct AgentName: Sendable, Equatable, CustomStringConvertible {
    /// The longest name kept, in characters.
    public static let maxLength = 64
    /// The name used before a client said its own, or when it sent none.
    public static let unknown = AgentName(checked: "unknown MCP client")

    /// One line, never empty.
    public let value: String

    private init(checked value: String) {
        self.value = value
    }

    /// The client's name, made safe; `unknown` when nothing is left of it.
    public init(clientName raw: String) {
        var line = ""
        var lastWasSpace = true  // drops leading white space
        for scalar in raw.unicodeScalars {
            let blank: Bool
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator: blank = true
            default: blank = scalar.properties.isWhitespace
            }
            if blank {
                if !lastWasSpace { line.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else {
                line.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        // Redacted before it is cut, so no part of a secret survives the cut.
        var name = SecretScanner.redact(line).text
        if name.count > Self.maxLength { name = String(name.prefix(Self.maxLength - 1)) + "…" }
        while name.last == " " { name.removeLast() }
        self = name.isEmpty ? .unknown : AgentName(checked: name)
    }

    /// The checked name, as the trailer holds it.
    public var description: String { value }
}
