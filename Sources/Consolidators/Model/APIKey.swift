import Foundation

/// Finds a model API's key: in the environment variable the settings name, else in the
/// systemd credential of that name (`$CREDENTIALS_DIRECTORY/<name>`, so a unit can pass
/// it with `LoadCredential=` and keep it out of the environment). It is never logged.
enum APIKey {
    static func find(variable: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            return value
        }
        guard let folder = environment["CREDENTIALS_DIRECTORY"], !folder.isEmpty,
            let data = FileManager.default.contents(atPath: folder + "/" + variable)
        else { return nil }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }
}
