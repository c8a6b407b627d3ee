import Git
import Memory

/// Why a memory-store or platform-dream call failed, said so a person knows what to do.
/// No case holds a key: texts from the server pass the secret scanner first.
public enum StoreError: ReverieError, Sendable, Equatable {
    /// Neither `--store` nor `[store] id`.
    case notConfigured
    /// No key where the settings say it is.
    case missingKey(variable: String)
    /// 401: the key was refused.
    case unauthorized(variable: String, message: String)
    /// 403: the key may not use this store or beta.
    case forbidden(message: String)
    /// 404 on a store.
    case storeNotFound(id: String, message: String)
    /// 404 on a memory or a dream.
    case notFound(what: String, message: String)
    /// The store is archived: read-only, and not what a mirror should follow.
    case archived(id: String, name: String)
    /// 409: the store changed a memory since the last pull.
    case preconditionFailed(path: String, message: String)
    /// A setting or argument that cannot work, found before any call.
    case badSetting(message: String)
    /// 400 or another status a retry will not fix.
    case badRequest(status: Int, message: String)
    /// 408, 429, 5xx after every retry.
    case unavailable(status: Int, attempts: Int, message: String)
    /// No answer: connection refused, timeout, DNS.
    case transport(message: String)
    /// An answer that is not the documented wire format.
    case malformed(message: String)
    /// The last pull's merge into main is still waiting (a conflict): a push now would
    /// overwrite what the store has.
    case unmerged(paths: [String])
    /// The platform's dream ended `failed`.
    case dreamFailed(id: String, type: String, message: String)
    /// The platform's dream ended `canceled`.
    case dreamCanceled(id: String)
    /// Ctrl-C or the daemon stopping.
    case cancelled
    /// Reading or writing the memory repo failed.
    case repository(message: String)
    /// `[store]` settings this machine has not accepted: a teammate may have pointed them elsewhere.
    case untrusted(UntrustedSettings)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .notConfigured:
            return "no memory store: pass --store memstore_… or set [store] id in .reverie/config.toml"
        case .missingKey(let variable):
            return "no API key: set \(variable) (or give it to the daemon as a systemd credential of that name)"
        case .unauthorized(let variable, let message):
            return "the API refused the key in \(variable) (401: \(message)); check that variable"
        case .forbidden(let message):
            return
                "the API key may not use memory stores or dreams (403: \(message)); check the key's workspace and the beta access"
        case .storeNotFound(let id, let message):
            return
                "no memory store \(id) (404: \(message)); check --store or [store] id (`reverie store list` lists them)"
        case .notFound(let what, let message):
            return "\(what) is gone from the store (404: \(message)); run `reverie store pull` and try again"
        case .archived(let id, let name):
            return "memory store \(id) (\(name)) is archived, so it is read-only; choose an active store "
                + "(`reverie store list`) for [store] id"
        case .preconditionFailed(let path, let message):
            return "the store changed \(path) since the last pull (409: \(message)); run `reverie store sync` "
                + "to pull, merge and push again"
        case .badSetting(let message):
            return message
        case .badRequest(let status, let message):
            return "the API refused the request (\(status): \(message))"
        case .unavailable(let status, let attempts, let message):
            return "the API was unavailable after \(attempts) attempts (last \(status): \(message)); try again later"
        case .transport(let message):
            return "could not reach the API: \(message); check [store] base_url and the network"
        case .malformed(let message):
            return "the API's answer was not understood: \(message)"
        case .unmerged(let paths):
            return "the last pull could not merge \(paths.joined(separator: ", ")) into main (both sides changed it); "
                + "make main hold what you want, commit, and run `reverie store pull` again before pushing"
        case .dreamFailed(let id, let type, let message):
            return "the platform dream \(id) failed (\(type): \(message)); nothing was written"
        case .dreamCanceled(let id):
            return "the platform dream \(id) was canceled; nothing was written"
        case .cancelled:
            return "cancelled; nothing more was written"
        case .repository(let message):
            return message
        case .untrusted(let settings):
            return "not calling the memory-store API: " + settings.description
        }
    }
}
