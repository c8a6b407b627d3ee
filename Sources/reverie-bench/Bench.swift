import Foundation
import Git

/// Measures Reverie's git paths against the git CLI doing the same work, in one run, and
/// prints figures and ratios. Run it through `scripts/bench` (release build).
@main
struct Bench {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let quick = arguments.contains("--quick")
        let only = arguments.first { !$0.hasPrefix("-") }
        say("Reverie benchmarks (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        say("Both sides run on identical repos in the same run.\n")
        if only == nil || only == "commit" {
            say("Commits, medians of repeated runs")
            let runs = quick ? 5 : 21
            for files in quick ? [2_000] : [2_000, 10_000] {
                try singleFileCommit(files: files, runs: runs)
            }
            try bulkCommit(files: quick ? 2_000 : 10_000)
        }
        if only == nil || only == "dream" {
            try DreamBench.run(files: quick ? 2_000 : 10_000, changes: 100, rounds: quick ? 3 : 7)
        }
        if only == nil || only == "full" {
            let reverie = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("reverie").path
            try FullDreamBench.run(scales: quick ? [1] : [1, 2, 4], reverie: reverie)
        }
        if only == nil || only == "sessions" {
            try SessionsBench.run(megabytes: quick ? 20 : 200)
        }
        if only == nil || only == "watch" {
            try WatchBench.run(saves: quick ? 20 : 200, idleSeconds: quick ? 5 : 60, files: quick ? 2_000 : 10_000)
        }
        if only == nil || only == "scanner" {
            try ScannerBench.run(rounds: quick ? 3 : 7)
        }
        if only == nil || only == "burst" {
            try BurstBench.run(
                files: quick ? 20_000 : 100_000,
                batchSizes: quick ? [1_000, 5_000, 20_000] : [1_000, 5_000, 10_000, 100_000])
        }
    }

    /// One edited file committed in a repo of `files` Markdown files.
    static func singleFileCommit(files: Int, runs: Int) throws {
        let ours = try Workspace(files: files, name: "ours")
        let cli = try Workspace(files: files, name: "cli")
        let repo = try Repository.open(at: ours.path)
        var reverie: [Double] = [], git: [Double] = []
        for run in 0..<runs {
            let file = "topic-\(run % 50)/note-\(run).md"
            try ours.append(file, "- edit \(run)\n")
            reverie.append(
                try time {
                    _ = try repo.commitWorkingTree(paths: [file], message: "Update \(file)")
                })
            try cli.append(file, "- edit \(run)\n")
            git.append(
                try time {
                    try cli.shell("git add -A && git commit -q -m 'Update \(file)'")
                })
        }
        try ours.requireClean()
        try cli.requireClean()
        report(
            "commit 1 edited file, \(files) files", reverie: median(reverie), git: median(git),
            gitLabel: "git add -A && git commit")
    }

    /// Every one of `files` files changed, committed at once; the median of three rounds,
    /// since creating thousands of files makes the file system's timing vary a lot.
    static func bulkCommit(files: Int) throws {
        let ours = try Workspace(files: files, name: "bulk-ours")
        let cli = try Workspace(files: files, name: "bulk-cli")
        let paths = ours.paths
        let repo = try Repository.open(at: ours.path)
        var reverie: [Double] = [], git: [Double] = []
        for round in 0..<3 {
            for path in paths {
                try ours.append(path, "- bulk edit \(round)\n")
                try cli.append(path, "- bulk edit \(round)\n")
            }
            reverie.append(try time { _ = try repo.commitWorkingTree(paths: paths, message: "Bulk edit") })
            git.append(try time { try cli.shell("git add -A && git commit -q -m 'Bulk edit'") })
            try ours.requireClean()
            try cli.requireClean()
        }
        report(
            "commit \(files) changed files at once", reverie: median(reverie), git: median(git),
            gitLabel: "git add -A && git commit")
    }

    static func report(_ name: String, reverie: Double, git: Double, gitLabel: String) {
        let figures = String(
            format: "reverie %8.2f ms   %@ %8.2f ms   %5.1fx faster",
            reverie * 1000, gitLabel as NSString, git * 1000, git / reverie)
        say(name.padding(toLength: 44, withPad: " ", startingAt: 0) + figures)
    }

    static func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}

/// Prints a line at once, even into a pipe, so figures appear as they are measured.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
