/// Masks what differs between two occurrences of the same problem (paths, numbers,
/// hashes, quoted values, ids), so that they group under one signature.
enum Signature {
    // Regex is not Sendable; this one is never mutated after it is built.
    nonisolated(unsafe) static let shellPrefix = #/^\S*(?:ba|z|da)?sh:(?: line \d+:| \d+:)? /#

    static func normalize(_ text: String) -> String {
        // "bash: x: command not found" and "/bin/sh: 1: x: command not found" are one error.
        let text = text.contains("sh:") ? text.replacing(Self.shellPrefix, with: "") : text
        var result = ""
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            result += mask(word)
            word = ""
        }
        var quote: Character?
        var quoted = ""
        for character in text {
            if let open = quote {
                if character == open {
                    quote = nil
                    // A name (`No module named 'requests'`, `Missing script: "build"`) is the cause; a path or value is not.
                    let isName =
                        quoted.count <= 40 && !quoted.isEmpty && quoted.first!.isLetter
                        && quoted.allSatisfy { $0.isLetter || $0.isNumber || "_-.:".contains($0) }
                        && mask(quoted) == quoted
                    result += isName ? "'\(quoted)'" : "<q>"
                } else {
                    quoted.append(character)
                }
                continue
            }
            // An apostrophe inside a word ("doesn't") opens no quote.
            if character == "\"" || character == "`" || character == "'" && word.isEmpty {
                flush()
                quote = character
                quoted = ""
            } else if character.isWhitespace || ",;()[]{}<>=".contains(character) {
                flush()
                result.append(character.isWhitespace ? " " : character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result.split(separator: " ").joined(separator: " ")
    }

    static func mask(_ word: String) -> String {
        if word.contains("/") { return "<path>" }
        let letters = word.filter(\.isLetter).count
        let digits = word.filter(\.isNumber).count
        if digits > 0 && digits >= letters { return "<n>" }
        if word.count >= 7, word.allSatisfy(\.isHexDigit), digits > 0 { return "<hash>" }
        if word.count >= 16, digits > 0 { return "<id>" }
        if word.contains("."), let last = word.split(separator: ".").last, last.count <= 4,
            word.first?.isLetter == true,
            !word.hasSuffix(".")
        {
            return "<file>"
        }
        return word
    }

    /// A short stable hash (FNV-1a), to mark entries so a later dream finds them again.
    static func hash(_ text: String) -> String {
        let hex = String(fnv(text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// FNV-1a over UTF-8: stable across runs and machines, unlike `Hasher`.
    static func fnv(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        return value
    }
}
