import Foundation
import Memory
import Testing

@Suite struct FrontMatterTests {
    static let corpus = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/awesome-cursorrules").path

    @Test func readsEveryRuleFileOfARealCorpus() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).filter { $0.hasSuffix(".md") }
        #expect(names.count == 257)
        var described = 0, sloppy = 0
        for name in names {
            let text = try String(contentsOfFile: "\(Self.corpus)/\(name)", encoding: .utf8)
            let file = try MemoryFile.parse(path: RepoPath(name), text: text)
            let frontMatter = try #require(file.frontMatter, "\(name) opens with front matter")
            if frontMatter.description != nil { described += 1 }
            if frontMatter.problem != nil { sloppy += 1 }
            #expect(!file.isPinned)
            #expect(file.text == text, "\(name) reads back byte for byte")
        }
        // The files whose front matter has a description line, counted with grep's eyes.
        let expected = try names.filter { name in
            let text = try String(contentsOfFile: "\(Self.corpus)/\(name)", encoding: .utf8)
            let block = text.components(separatedBy: "\n---")[0]
            return block.contains("\ndescription: ") && !block.contains("\ndescription: \n")
        }.count
        #expect(described == expected)
        // Python's yaml.safe_load rejects 230 of these headers (unquoted globs); they are read anyway.
        #expect(sloppy == 230)
    }

    @Test func readsDescriptionAndPinned() throws {
        let file = try MemoryFile.parse(
            path: RepoPath("prefs.md"),
            text: """
                ---
                description: How the team likes its code
                pinned: true
                owner: ana
                ---
                # Preferences

                - tabs
                """)
        #expect(file.frontMatter?.description == "How the team likes its code")
        #expect(file.isPinned)
        #expect(file.body == "# Preferences\n\n- tabs")
    }

    @Test func plainMarkdownAndAThematicBreakAreBody() throws {
        let plain = try MemoryFile.parse(path: RepoPath("a.md"), text: "# A\n\n- x\n")
        #expect(plain.frontMatter == nil && plain.body == "# A\n\n- x\n")
        let rule = try MemoryFile.parse(path: RepoPath("b.md"), text: "---\nNot front matter, just a rule.\n")
        #expect(rule.frontMatter == nil)
        let crlf = try MemoryFile.parse(path: RepoPath("c.md"), text: "---\r\ndescription: x\r\n---\r\nbody")
        #expect(crlf.frontMatter?.description == "x")
    }

    @Test func malformedYAMLIsStillReadAndItsProblemNamesFileAndLine() throws {
        let file = try MemoryFile.parse(
            path: RepoPath("topics/db.md"),
            text: "---\ndescription: \"ok\"\npinned: true\nglobs: **/*.ts\n---\nbody\n")
        #expect(file.frontMatter?.description == "ok")
        #expect(file.isPinned, "a pin in a sloppy header still protects the file")
        #expect(file.body == "body\n")
        let problem = try #require(file.frontMatter?.problem)
        guard case .frontMatter(let name, let line, _) = problem else {
            Issue.record("\(problem)")
            return
        }
        #expect(name == "topics/db.md" && line == 4)
        #expect("\(problem)".hasPrefix("topics/db.md:4: front matter:"))
    }

    @Test func wrongTypesAreNamed() throws {
        #expect(
            throws: MemoryError.frontMatter(file: "p.md", line: 3, message: "pinned must be true or false, found maybe")
        ) {
            try MemoryFile.parse(path: RepoPath("p.md"), text: "---\ndescription: fine\npinned: maybe\n---\n")
        }
        #expect(throws: MemoryError.self) {
            try MemoryFile.parse(path: RepoPath("p.md"), text: "---\n- a list\n- not a mapping\n---\n")
        }
    }
}
