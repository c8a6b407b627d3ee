/// Paths waiting to be committed, handed out in batches of neighbouring paths: a folder's
/// files land in the same commit, so each commit rewrites few trees and its message groups them.
struct HeldPaths {
    private var paths: Set<String> = []
    /// `paths` sorted in descending order, so a batch comes off the end; sorted again only
    /// after paths were added, not for every batch of a long burst.
    private var order: [String] = []
    private var orderIsCurrent = true

    var isEmpty: Bool { paths.isEmpty }
    var count: Int { paths.count }

    mutating func insert(contentsOf more: some Sequence<String>) {
        let before = paths.count
        paths.formUnion(more)
        if paths.count != before { orderIsCurrent = false }
    }

    /// Takes up to `limit` paths, the first in sorted order; nil when nothing is held.
    mutating func nextBatch(limit: Int) -> [String]? {
        guard !paths.isEmpty else { return nil }
        if !orderIsCurrent {
            order = paths.sorted(by: >)
            orderIsCurrent = true
        }
        var batch: [String] = []
        while batch.count < limit, let path = order.popLast() {
            if paths.remove(path) != nil { batch.append(path) }
        }
        return batch
    }
}
