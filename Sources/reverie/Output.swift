import Foundation
import Memory

/// Everything the command line writes passes the secret scanner (docs/architecture.md):
/// a dream branch made elsewhere, a transcript quoted in a warning or a commit a person
/// wrote may hold a key.
enum Output {
    /// A line (or any text) on standard output.
    static func write(_ text: String, terminator: String = "\n") {
        Swift.print(visible(SecretScanner.redact(text).text), terminator: terminator)
    }

    /// Control characters shown, not obeyed: a dream's text must not move the reviewer's
    /// cursor or erase the line above (an escape sequence hiding `curl … | sh`).
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: Self.isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0x1B {
                result.append("␛")
            } else if isControl(scalar) {
                result.append("\u{FFFD}")
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }

    /// A line on standard error: warnings, progress, the reason for a failure.
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((visible(SecretScanner.redact(text).text) + "\n").utf8))
    }
}

/// The standard `print`, shadowed in this module so no command can print around the scanner.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Output.write(items.map { "\($0)" }.joined(separator: separator), terminator: terminator)
}
