import Foundation

/// Precision and recall of what was proposed against what was planted.
///
/// An item (a change, or a finder's result) names one or more planted patterns. It is
/// correct when it names a pattern no earlier item named: a pattern found twice counts
/// once, and the second is a duplicate entry, not a correct one. An item that names
/// several patterns at once (a model may record three mistakes in one change) finds them all.
public struct Score: Sendable, CustomStringConvertible {
    /// The pattern kind scored, as reports name it.
    public let kind: String
    /// Items proposed.
    public let proposed: Int
    /// Items that named a pattern not named before.
    public let correct: Int
    /// Planted patterns named by some item.
    public let found: Int
    /// Patterns planted.
    public let planted: Int
    /// For each item, in order, whether it was correct.
    public let verdicts: [Bool]

    /// Scores `proposed` in order against `planted`; `names` says whether an item names a planted pattern.
    public init<Item, Planted>(kind: String, proposed: [Item], planted: [Planted], names: (Item, Planted) -> Bool) {
        self.kind = kind
        self.proposed = proposed.count
        self.planted = planted.count
        var named = Set<Int>()
        verdicts = proposed.map { item in
            let new = planted.indices.filter { !named.contains($0) && names(item, planted[$0]) }
            named.formUnion(new)
            return !new.isEmpty
        }
        correct = verdicts.filter { $0 }.count
        found = named.count
    }

    /// Nil when nothing was proposed: no proposal is neither right nor wrong.
    public var precision: Double? { proposed == 0 ? nil : Double(correct) / Double(proposed) }
    /// 1 when nothing was planted.
    public var recall: Double { planted == 0 ? 1 : Double(found) / Double(planted) }

    /// One line for a table: kind, precision, recall and the counts behind them.
    public var description: String {
        String(
            format: "%-12@ precision %@  recall %.2f  (%d proposed, %d correct, %d of %d planted found)",
            kind as NSString, (precision.map { String(format: "%.2f", $0) } ?? "–") as NSString, recall,
            proposed, correct, found, planted)
    }
}
