import Consolidators
import Foundation

/// `reverie eval` as people read it: one row per consolidator and kind, then what each
/// cost. Scripts read `--json` instead.
enum EvalOutput {
    static func planted(_ report: EvaluationReport) {
        let planted = report.planted ?? [:]
        print(
            "Planted corpus, seed \(report.seed.map(String.init) ?? "?"): \(report.sessions) sessions, "
                + "\(report.memoryFiles) memory files; planted \(planted["mistakes"] ?? 0) mistakes, "
                + "\(planted["workflows"] ?? 0) workflows, \(planted["preferences"] ?? 0) preferences, "
                + "\(planted["duplicates"] ?? 0) duplicate pairs.\n")
        var rows = [["CONSOLIDATOR", "KIND", "PRECISION", "RECALL", "FOUND/PLANTED", "PROPOSED"]]
        for result in report.results {
            if let error = result.error {
                rows.append([result.consolidator, "failed: \(error)", "", "", "", ""])
                continue
            }
            for kind in result.kinds where kind.kind != .other || kind.proposed > 0 {
                rows.append([
                    result.consolidator, kind.kind.rawValue, number(kind.precision), number(kind.recall),
                    kind.found.map { "\($0)/\(kind.planted ?? 0)" } ?? "–", "\(kind.proposed)",
                ])
            }
        }
        Table.print(rows)
        if report.results.contains(where: { $0.kinds.contains { $0.kind == .other && $0.proposed > 0 } }) {
            print("(other: index updates, reinforcements, archives; listed, not scored)")
        }
        costs(report)
    }

    static func transcripts(_ report: EvaluationReport) {
        print(
            "Transcripts in \(report.corpus): \(report.sessions) session\(report.sessions == 1 ? "" : "s"); memory empty."
        )
        print(
            "No ground truth here: precision and recall need the planted corpus (`reverie eval`). "
                + "What each consolidator proposes, for you to judge:\n")
        var rows = [["CONSOLIDATOR", "KIND", "PROPOSED", "EVIDENCE", "VERBATIM"]]
        for result in report.results {
            if let error = result.error {
                rows.append([result.consolidator, "failed: \(error)", "", "", ""])
                continue
            }
            for kind in result.kinds where kind.kind != .other || kind.proposed > 0 {
                rows.append([
                    result.consolidator, kind.kind.rawValue, "\(kind.proposed)", "\(kind.evidence)",
                    share(kind.verbatim, of: kind.evidence),
                ])
            }
        }
        Table.print(rows)
        for result in report.results where result.error == nil {
            print("\n\(result.consolidator):")
            let changes = result.kinds.flatMap(\.changes)
            if changes.isEmpty { print("  (no changes)") }
            for change in changes {
                let quotes =
                    change.evidence == 0
                    ? "no evidence"
                    : "\(change.evidence) quote\(change.evidence == 1 ? "" : "s"), \(change.verbatim) verbatim"
                print("  [\(change.kind)] \(change.summary)  (\(quotes))")
            }
        }
        print("\nVerbatim: evidence quotes that occur word for word (white space folded) in the session they cite.")
        costs(report)
    }

    /// Time per consolidator, tokens per model, and the changes a model left out.
    static func costs(_ report: EvaluationReport) {
        print("\nCost:")
        var rows: [[String]] = []
        for result in report.results {
            let tokens =
                result.tokens.map { "\($0.input) input tokens, \($0.output) output tokens" }
                ?? (result.choice == "builtin" ? "offline" : "no tokens reported")
            rows.append([result.consolidator, String(format: "%.2f s", result.seconds), tokens])
        }
        Table.print(rows)
        for result in report.results where !result.dropped.isEmpty {
            print("\nLeft out by \(result.consolidator):")
            for dropped in result.dropped { print("  - \(dropped.summary): \(dropped.reason)") }
        }
    }

    static func number(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "–"
    }

    static func share(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : "\(part) (\(Int((Double(part) / Double(whole) * 100).rounded()))%)"
    }
}
