import Foundation
import TestSupport
import Testing

/// `reverie rollback --to DATE` over a history whose commit dates are known, checked with
/// the restore trailer git shows.
@Suite struct RollbackToDateTests {
    let repo: Scratch
    /// Commit ids, oldest first: 2025-11-30T08:00:00Z, 2025-12-01T13:09:18Z, 2025-12-01T15:00:00Z.
    let first, second, third: String

    init() throws {
        repo = try Scratch("memory")
        try repo.git("init", "-q", "-b", "main")
        var ids: [String] = []
        for (text, date) in [
            ("one", "2025-11-30T08:00:00Z"), ("two", "2025-12-01T13:09:18Z"), ("three", "2025-12-01T15:00:00Z"),
        ] {
            try repo.write("notes.md", "\(text)\n")
            try repo.git("add", "notes.md")
            try Shell.check(
                "git", ["commit", "-qm", text], in: repo.path,
                environment: ["GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date])
            ids.append(try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        (first, second, third) = (ids[0], ids[1], ids[2])
    }

    func rollback(to date: String, timeZone: String = "UTC") throws -> Shell.Result {
        try ReverieBinary.run(["rollback", "--to", date, "-C", repo.path], environment: ["TZ": timeZone])
    }

    /// The commit whose tree the last restore took, from its trailer.
    func restored() throws -> String {
        try repo.git("log", "-1", "--format=%(trailers:key=Reverie-Restore,valueonly)", "main")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func fullTimestampsWithAZoneOffsetOrFractionOfASecond() throws {
        // Each case restores the other commit than the one before, so each makes a commit.
        let cases: [(date: String, timeZone: String, commit: String)] = [
            ("2025-12-01T13:09:18Z", "UTC", second),
            ("2025-12-01T13:09:17Z", "UTC", first),  // a second before the second commit
            ("2025-12-01T15:09:18+02:00", "UTC", second),
            // Without a zone, the local time zone (TZ) counts: 14:00 in Berlin is 13:00 UTC.
            ("2025-12-01T14:00", "Europe/Berlin", first),
            ("2025-12-01T14:00", "UTC", second),
            ("2025-12-01T13:09:17.999Z", "UTC", first),
            ("2025-12-01T13:09:18.250Z", "UTC", second),
        ]
        for (date, timeZone, commit) in cases {
            let result = try rollback(to: date, timeZone: timeZone)
            #expect(
                result.status == 0 && result.stdout.hasPrefix("Restored memory as of \(date)"),
                "\(date): \(result.stderr)")
            #expect(try restored() == commit, "\(date) in \(timeZone)")
        }
        #expect(try repo.read("notes.md") == "two\n")
        let again = try rollback(to: "2025-12-01T13:09:18,5+00:00")
        #expect(again.status == 0 && again.stdout.hasPrefix("main already has the memory as of"), "\(again.stderr)")
        #expect(try repo.git("status", "--porcelain") == "")
    }

    @Test func aDateBeforeEveryCommitSaysSoAndNamesTheOldest() throws {
        let before = try repo.git("rev-parse", "main")
        let result = try rollback(to: "2025-11-29T23:59:59Z")
        #expect(result.status == 1)
        #expect(
            result.stderr == "reverie: main has no commit at or before 2025-11-29T23:59:59Z; its oldest commit, "
                + "\(first.prefix(7)), is from 2025-11-30T08:00:00Z. Give a later date, or a revision\n")
        let dateOnly = try rollback(to: "2025-11-29")
        #expect(dateOnly.stderr.hasPrefix("reverie: main has no commit at or before 2025-11-29;"))
        #expect(try repo.git("rev-parse", "main") == before)
    }

    @Test func aDateAloneIsTheWholeDayInTheLocalTimeZone() throws {
        // 2025-12-01 ends at 10:00 UTC on Kiritimati (UTC+14): only the first commit is older.
        var result = try rollback(to: "2025-12-01", timeZone: "Pacific/Kiritimati")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try restored() == first)
        result = try rollback(to: "2025-12-01", timeZone: "UTC")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try restored() == third && (try repo.read("notes.md")) == "three\n")
    }
}
