import Foundation
import Git
import Memory

/// How a memory's path in a store maps to a file in the memory repo: `/notes/a.md` ↔
/// `notes/a.md`. A path from the store is hostile until this accepts it: it must pass the
/// repo's own path rules (`RepoPath`: no `..`, nothing absolute after the one leading `/`,
/// never `.git`), hold no control or format character, name nothing hidden (`.reverie`,
/// `.gitignore`, a folder starting with `.`), and fit the API's 1,024 bytes.
public enum StorePath {
    /// The longest store path the API takes, in UTF-8 bytes.
    public static let maxBytes = 1024

    /// The repo path of store path `path`, or why it may not be written.
    public static func file(for path: String) -> Result<String, StoreRefusal> {
        func refuse(_ reason: String) -> Result<String, StoreRefusal> {
            .failure(StoreRefusal(path: MemoryStoreClient.printable(path), reason: reason))
        }
        guard path.utf8.count <= maxBytes else { return refuse("it is longer than \(maxBytes) bytes") }
        guard path.hasPrefix("/") else { return refuse("a store path starts with /") }
        let relative = String(path.dropFirst())
        if let bad = relative.unicodeScalars.first(where: isForbidden) {
            return refuse("it holds the control character U+\(String(bad.value, radix: 16, uppercase: true))")
        }
        do {
            _ = try RepoPath(relative)
        } catch {
            return refuse(error.description)
        }
        if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            return refuse("a name starting with '.' is Reverie's or git's own (.reverie, .git, .gitignore), not memory")
        }
        return .success(relative)
    }

    /// The store path of repo file `file`.
    public static func storePath(for file: String) -> String { "/" + file }

    /// Whether a repo file is mirrored to the store: memory, not Reverie's or git's own files.
    public static func isMirrored(_ file: String) -> Bool {
        if case .success = StorePath.file(for: storePath(for: file)) { return true }
        return false
    }

    /// Control characters (C0, DEL, C1) and format characters (bidirectional overrides, zero widths).
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// Lowercase hex SHA-256 of the UTF-8 bytes, as the API's `content_sha256`.
    public static func sha256(_ text: String) -> String {
        SHA256Digest.hex(of: Data(text.utf8))
    }
}
