/// What Reverie reads from a remote's URL: how to show it without a password, and where
/// a forge (GitHub, GitLab) lets a person open a pull request for a branch.
public enum RemoteURL {
    /// The URL with any password in it replaced by `***`: fit for logs and output.
    public static func displayed(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else {
            return url
        }
        let userInfo = url[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    /// Whether the URL carries a password, which must never be written to shared settings.
    public static func hasPassword(_ url: String) -> Bool {
        displayed(url) != url
    }

    /// The host and `owner/repo` path of an https, ssh or scp-like (`git@host:owner/repo`) URL.
    static func hostAndPath(_ url: String) -> (host: String, path: String)? {
        var rest: Substring
        if let scheme = url.range(of: "://") {
            rest = url[scheme.upperBound...]
            if let at = rest.firstIndex(of: "@"), rest[..<at].contains(where: { $0 != "/" }), !rest[..<at].contains("/")
            {
                rest = rest[rest.index(after: at)...]
            }
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            var host = rest[..<slash]
            if let colon = host.firstIndex(of: ":") { host = host[..<colon] }
            return (String(host), trimmed(rest[rest.index(after: slash)...]))
        }
        guard let colon = url.firstIndex(of: ":"), !url.hasPrefix("/") else { return nil }
        var host = url[..<colon]
        if let at = host.firstIndex(of: "@") { host = host[host.index(after: at)...] }
        return (String(host), trimmed(url[url.index(after: colon)...]))
    }

    private static func trimmed(_ path: Substring) -> String {
        var path = String(path)
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix(".git") { path.removeLast(4) }
        return path
    }

    /// The page where a person opens a pull (merge) request of `branch` into `base` on
    /// GitHub or GitLab; nil for other remotes.
    public static func compareURL(_ url: String, branch: String, base: String = "main") -> String? {
        guard let (host, path) = hostAndPath(url), !path.isEmpty else { return nil }
        let lower = host.lowercased()
        if lower.contains("github") { return "https://\(host)/\(path)/compare/\(base)...\(branch)?expand=1" }
        if lower.contains("gitlab") {
            return "https://\(host)/\(path)/-/merge_requests/new?merge_request%5Bsource_branch%5D=\(branch)"
                + "&merge_request%5Btarget_branch%5D=\(base)"
        }
        return nil
    }
}
