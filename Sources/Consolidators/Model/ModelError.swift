import Git

/// Why a model could not dream, said so a person knows what to do. No case ever holds a
/// key: texts from a server pass the secret scanner before they are shown.
public enum ModelError: ReverieError, Sendable, Equatable {
    /// No key where the settings say it is.
    case missingKey(variable: String)
    /// 401: the key was refused.
    case unauthorized(variable: String, message: String)
    /// 403: the key may not use this model or endpoint.
    case forbidden(message: String)
    /// A setting or argument that cannot work, found before any call.
    case badSetting(message: String)
    /// 400 or another status that trying again will not fix.
    case badRequest(status: Int, message: String)
    /// 408, 409, 429, 5xx, 529 after every retry.
    case unavailable(status: Int, attempts: Int, message: String)
    /// No answer: connection refused, timeout, DNS.
    case transport(message: String)
    /// An answer that is not the wire format.
    case malformed(message: String)
    /// The command back end's program failed or broke the protocol.
    case command(message: String)
    /// Ctrl-C or the daemon stopping.
    case cancelled

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .missingKey(let variable):
            return "no API key: set \(variable) (or give the key to the daemon as a systemd credential of that name), "
                + "or choose another [dream] consolidator"
        case .unauthorized(let variable, let message):
            return "the API refused the key in \(variable) (401: \(message)); check that variable"
        case .forbidden(let message):
            return
                "the API key may not use this model or endpoint (403: \(message)); check [model] name and the key's permissions"
        case .badSetting(let message):
            return message
        case .badRequest(let status, let message):
            return "the API refused the request (\(status): \(message)); check [model] settings"
        case .unavailable(let status, let attempts, let message):
            return "the API was unavailable after \(attempts) attempts (last \(status): \(message)); try again later"
        case .transport(let message):
            return "could not reach the model: \(message); check [model] base_url and the network"
        case .malformed(let message):
            return "the model's answer was not understood: \(message)"
        case .command(let message):
            return "the consolidator command failed: \(message)"
        case .cancelled:
            return "the dream was cancelled; nothing was written"
        }
    }
}
