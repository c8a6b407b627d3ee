import Git
import Memory

/// What stops Reverie from reading session sources at all (a single bad transcript is a
/// `ParseWarning`, never an error).
public enum SessionsError: ReverieError, Sendable, Equatable {
    case cannotWrite(path: String, reason: String)
    case unknownSession(id: String)
    /// A folder of transcripts named on the command line that is not there.
    case notAFolder(path: String)
    /// `[sessions] sources` is not what this machine accepted: a teammate may point it at any file here.
    case untrusted(UntrustedSettings)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return
                "cannot write the source cursor \(path): \(reason); check the disk space and permissions of .git/reverie"
        case .unknownSession(let id):
            return "no session \(id) in any source; `reverie sessions` lists them"
        case .notAFolder(let path):
            return "\(path) is not a folder; name a folder that holds *.jsonl transcripts"
        case .untrusted(let settings):
            return "not reading sessions: " + settings.description
        }
    }
}
