import Foundation

/// This clone's name among the team's machines: the host's name and four random hex
/// digits, made once and kept in `.git/reverie/machine` (two clones on one host differ).
/// Dream ids and records of sessions read carry it once a remote is set.
public enum MachineID {
    /// The id of the clone whose machine-local state is in `stateDirectory`, made on first use.
    public static func of(stateDirectory: String) -> String {
        let file = stateDirectory + "/machine"
        if let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if isValid(id) { return id }
        }
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        var name = String(host.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }.prefix(16))
        while name.hasSuffix("-") { name.removeLast() }
        while name.hasPrefix("-") { name.removeFirst() }
        let id = (name.isEmpty ? "machine" : name) + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
        try? FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        // Made once: a second process racing here keeps whichever id was written first.
        if FileManager.default.createFile(atPath: file + ".new", contents: Data((id + "\n").utf8)),
            link(file + ".new", file) == 0 || errno == EEXIST
        {
            unlink(file + ".new")
            if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                let written = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if isValid(written) { return written }
            }
        }
        return id
    }

    /// Lower-case letters, digits and dashes, as a git branch name and a file name take them.
    static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 40 && id.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
