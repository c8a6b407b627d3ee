/// What differs between the working tree and `main`'s last commit.
public struct PendingPaths: Sendable, Equatable {
    /// Paths to commit.
    public var paths: [String]
    /// Files whose names are not UTF-8, escaped as `\xff\xfe.md`. Git stores names as
    /// bytes, but Reverie's paths are Swift strings, which would turn such a name into
    /// one that does not exist: these are left out of commits, and said so.
    public var notUTF8: [String]

    /// What a comparison of the working tree with `main` found.
    public init(paths: [String] = [], notUTF8: [String] = []) {
        self.paths = paths
        self.notUTF8 = notUTF8
    }

    /// A name as text: its UTF-8 as it is, every byte that is not UTF-8 as `\xNN`.
    public static func escaped(_ bytes: some Collection<UInt8>) -> String {
        var text = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var rest = bytes[...]
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                text.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                rest = rest.dropFirst(encoded.count)
            case .error(let length):
                for byte in rest.prefix(length) { text += "\\x" + String(byte, radix: 16).leftPadded(to: 2) }
                rest = rest.dropFirst(length)
            case .emptyInput:
                return text
            }
        }
    }

    /// What a person reads about such a file, in `reverie status` and the daemon's log.
    public static func notCommittedReason(_ escaped: String) -> String {
        // The new name goes beside the old one; a folder named in bytes needs quoting too.
        let folder = escaped.lastIndex(of: "/").map { String(escaped[...$0]) } ?? ""
        let place = folder.contains("\\") ? "$'\(folder)'" : folder
        return "\(escaped) is not committed: its name is not UTF-8, which Reverie cannot commit; "
            + "rename it, for instance: mv $'\(escaped)' \(place)new-name.md"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
