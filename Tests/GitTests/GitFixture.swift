import Foundation
import Git
import TestSupport

/// A fresh repository on `main` with one commit of two memory files.
struct GitFixture {
    let dir: Scratch
    let repo: Repository
    let author = Signature(name: "Reverie Test", email: "reverie@example.com")

    init(files: [String: String] = ["notes.md": "# Notes\n\n- first\n", "prefs.md": "# Preferences\n"]) throws {
        dir = try Scratch("git")
        repo = try Repository.create(at: dir.path)
        for (path, text) in files { try dir.write(path, text) }
        if !files.isEmpty {
            try repo.commitWorkingTree(paths: Array(files.keys), message: "Initial memory", author: author)
        }
    }

    /// The subject and the files of main's history, as `git log` shows them.
    func mainTip() throws -> String {
        try dir.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func status() throws -> String {
        try dir.git("status", "--porcelain")
    }
}
