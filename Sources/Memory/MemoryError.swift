import Git

/// What went wrong with the memory folder, its files or its settings, said so a person
/// can fix it: every case names the file and, where there is one, the line and the key.
public enum MemoryError: ReverieError, Equatable, Sendable {
    /// A path that is not a plain relative path inside the memory repo.
    case invalidPath(path: String, reason: String)
    /// A memory file whose YAML front matter does not parse or has a wrong type.
    case frontMatter(file: String, line: Int?, message: String)
    /// `.reverie/config.toml` does not parse, or a setting has a wrong value or an unknown name.
    case config(file: String, line: Int?, key: String?, message: String)
    /// `reverie init` found a repository it must not adopt as it is.
    case cannotAdopt(path: String, reason: String)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// A git operation failed.
    case git(GitError)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .invalidPath(let path, let reason):
            return "invalid path '\(path)': \(reason)"
        case .frontMatter(let file, let line, let message):
            return "\(file)\(line.map { ":\($0)" } ?? ""): front matter: \(message)"
        case .config(let file, let line, let key, let message):
            let place = line.map { ":\($0)" } ?? ""
            let setting = key.map { "\($0): " } ?? ""
            return "\(file)\(place): \(setting)\(message)"
        case .cannotAdopt(let path, let reason):
            return "cannot adopt \(path): \(reason)"
        case .io(let path, let message):
            return "\(path): \(message)"
        case .git(let error):
            return error.description
        }
    }
}
