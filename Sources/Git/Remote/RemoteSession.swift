import CLibGit2
import Foundation

/// One conversation with a remote: what libgit2's callbacks need (they cannot capture
/// Swift context, so this is their payload) and what they found out.
final class RemoteSession {
    let url: String
    let credentials: RemoteCredentials
    let workingDirectory: String
    let repository: OpaquePointer
    /// Remote references a push may delete (a rejected dream's branch); any other deletion
    /// is refused.
    var allowedDeletions: Set<String> = []

    private var triedAgent = false
    private var triedHelper = false
    /// What `git credential fill` answered, to approve or reject it afterwards.
    private var filled: [(String, String)]?
    /// Why authentication failed, in words a person can act on.
    private(set) var authenticationProblem: String?
    /// A push Reverie itself refused before sending anything.
    private(set) var refusal: GitError?
    /// References the remote refused to update, with its reason.
    private(set) var rejections: [(reference: String, reason: String)] = []

    init(url: String, credentials: RemoteCredentials, workingDirectory: String, repository: OpaquePointer) {
        self.url = url
        self.credentials = credentials
        self.workingDirectory = workingDirectory
        self.repository = repository
    }

    /// The callbacks, with this session as their payload: it must outlive the call they
    /// are given to (`withExtendedLifetime`).
    func callbacks(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, url, username, allowed, payload in
            guard let out, let payload else { return GIT_EAUTH.rawValue }
            return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
                .credential(out, username: username.map { String(cString: $0) }, allowed: allowed)
        }
        callbacks.push_negotiation = { updates, count, payload in
            guard let payload else { return -1 }
            return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue().checkUpdates(
                updates, count: count)
        }
        callbacks.push_update_reference = { reference, status, payload in
            if let reference, let status, let payload {
                Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
                    .rejections.append((String(cString: reference), String(cString: status)))
            }
            return 0
        }
    }

    // MARK: - Credentials

    private func credential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, username: String?, allowed: UInt32
    ) -> Int32 {
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            guard !triedAgent else {
                authenticationProblem =
                    "the SSH agent has no key this server accepts; add one with ssh-add "
                    + "(and check that SSH_AUTH_SOCK is set where Reverie runs)"
                return GIT_EAUTH.rawValue
            }
            triedAgent = true
            return git_credential_ssh_key_from_agent(out, username ?? "git")
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            guard !triedHelper else {
                // Asked again: what the helper gave was refused. Git's convention is to tell it so.
                if let filled { _ = credentials.credential("reject", filled, in: workingDirectory) }
                authenticationProblem =
                    "the server refused the user name and password your git setup gave; "
                    + "fix them in your credential helper (or GIT_ASKPASS) and try again"
                filled = nil
                return GIT_EAUTH.rawValue
            }
            triedHelper = true
            var fields = [("url", url)]
            if let username { fields.append(("username", username)) }
            guard let answer = credentials.credential("fill", fields, in: workingDirectory),
                let user = answer["username"], let password = answer["password"]
            else {
                authenticationProblem =
                    "no user name and password for it; set up a git credential helper "
                    + "(git config credential.helper store), GIT_ASKPASS, or use an SSH remote"
                return GIT_EAUTH.rawValue
            }
            filled = answer.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return git_credential_userpass_plaintext_new(out, user, password)
        }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, username ?? "git")
        }
        authenticationProblem =
            "the server asks for a kind of authentication Reverie cannot give "
            + "(it uses SSH keys from the agent, or a user name and password from git's credential helpers)"
        return GIT_EAUTH.rawValue
    }

    /// Tells the credential helpers the credentials worked (git's own convention), so a
    /// helper such as `cache` keeps them.
    func approveCredentials() {
        if let filled { _ = credentials.credential("approve", filled, in: workingDirectory) }
    }

    // MARK: - Pushes

    /// Refuses any update that is not a fast-forward, and any deletion not asked for: the
    /// remote's current value (`src`) must be in the history of what is pushed.
    private func checkUpdates(_ updates: UnsafeMutablePointer<UnsafePointer<git_push_update>?>?, count: Int) -> Int32 {
        for index in 0..<count {
            guard let update = updates?[index]?.pointee else { continue }
            let name = String(cString: update.dst_refname)
            var current = update.src, new = update.dst
            if git_oid_is_zero(&current) == 1 { continue }  // a new reference
            if git_oid_is_zero(&new) == 1 {
                guard allowedDeletions.contains(name) else {
                    refusal = .pushRejected(
                        reference: name, reason: "Reverie deletes only the branches it was asked to")
                    return -1
                }
                continue
            }
            if git_oid_equal(&current, &new) == 1 { continue }
            if git_graph_descendant_of(repository, &new, &current) != 1 {
                refusal = .pushRejected(
                    reference: name,
                    reason: "the remote has commits there that this clone has not merged; "
                        + "fetch and merge them, then push again "
                        + "(Reverie never force-pushes)")
                return -1
            }
        }
        return 0
    }

    // MARK: - Errors

    /// The error for a failed remote operation: authentication in one line, a network
    /// failure as being offline, a refusal as such. Call right after the failing call.
    func error(code: Int32, operation: String) -> GitError {
        let place = RemoteURL.displayed(url)
        let last = git_error_last()?.pointee
        let message = last.flatMap { $0.message.map { String(cString: $0) } } ?? "unknown error"
        if let authenticationProblem { return .authentication(url: place, detail: authenticationProblem) }
        if let refusal { return refusal }
        if code == GIT_EAUTH.rawValue || message.lowercased().contains("authentication") {
            return .authentication(
                url: place, detail: "\(message); check your git credential helper, SSH agent or GIT_ASKPASS")
        }
        let network: [git_error_t] = [GIT_ERROR_NET, GIT_ERROR_OS, GIT_ERROR_SSL, GIT_ERROR_SSH, GIT_ERROR_HTTP]
        if code == GIT_EEOF.rawValue || last.map({ klass in network.contains { $0.rawValue == klass.klass } }) == true {
            return .unreachable(url: place, message: message)
        }
        // A local remote that is gone, or a path that is no repository, is as unreachable.
        if code == GIT_ENOTFOUND.rawValue || message.contains("could not find repository") {
            return .unreachable(url: place, message: message)
        }
        return .libgit2(operation: "\(operation) \(place)", code: code, message: message)
    }
}
