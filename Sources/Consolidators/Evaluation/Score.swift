import Foundation

/// Precision and recall of what was found against what was planted. A planted pattern
/// found twice counts once: the second is a duplicate entry, not a correct one.
public struct Score: Sendable, CustomStringConvertible {
    public let kind: String
    public let found: Int
    public let correct: Int
    public let planted: Int

    public init<Found, Planted>(kind: String, found: [Found], planted: [Planted], matches: (Found, Planted) -> Bool) {
        self.kind = kind
        self.found = found.count
        self.planted = planted.count
        var matched = Set<Int>()
        var correct = 0
        for item in found {
            if let index = planted.indices.first(where: { !matched.contains($0) && matches(item, planted[$0]) }) {
                matched.insert(index)
                correct += 1
            }
        }
        self.correct = correct
    }

    public var precision: Double { found == 0 ? 0 : Double(correct) / Double(found) }
    public var recall: Double { planted == 0 ? 1 : Double(min(correct, planted)) / Double(planted) }
    public var description: String {
        String(format: "%-12@ precision %.2f  recall %.2f  (%d found, %d correct, %d planted)",
               kind as NSString, precision, recall, found, correct, planted)
    }
}
