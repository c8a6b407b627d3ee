/// Near-duplicate entries across all memory files, found with MinHash and banding
/// (locality-sensitive hashing): every entry gets a signature of 64 minimum hashes of its
/// word shingles, and only entries that share a band of 4 of them are compared. The cost
/// grows with the number of entries, not with its square.
struct NearDuplicates {
    struct Entry: Hashable {
        let path: String
        /// 0-based line in the file.
        let line: Int
        let text: String
    }

    /// Entries at least this similar (Jaccard of shingles) are duplicates.
    let threshold: Double
    static let hashes = 64, rows = 4
    static let largestBucket = 50

    /// Groups of two or more near-duplicate entries, each sorted by path and line.
    func groups(in entries: [Entry]) -> [[Entry]] {
        let shingles = entries.map { Self.shingles(of: $0.text) }
        var buckets: [UInt64: [Int]] = [:]
        for (index, set) in shingles.enumerated() where set.count >= 2 {
            let signature = Self.signature(of: set)
            for band in 0..<(Self.hashes / Self.rows) {
                // A fixed hash (not Hasher, which is seeded per process): the same entries
                // meet in the same buckets on every run.
                var key = UInt64(band)
                for row in 0..<Self.rows { key = Self.mix(key ^ signature[band * Self.rows + row]) }
                buckets[key, default: []].append(index)
            }
        }
        var parent = Array(entries.indices)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var compared = Set<[Int]>()
        // A band shared by very many entries is a common phrase, not a duplicate: comparing
        // all of them would make the cost grow with the square of the entries. Duplicates
        // also share rarer bands, which find them.
        for members in buckets.values where members.count > 1 && members.count <= Self.largestBucket {
            for i in members.indices {
                for j in members.indices where j > i {
                    let a = members[i], b = members[j]
                    guard root(a) != root(b), compared.insert([a, b]).inserted else { continue }
                    if Self.jaccard(shingles[a], shingles[b]) >= threshold { parent[root(a)] = root(b) }
                }
            }
        }
        var groups: [Int: [Entry]] = [:]
        for index in entries.indices { groups[root(index), default: []].append(entries[index]) }
        return groups.values.filter { $0.count > 1 }
            .map { $0.sorted { ($0.path, $0.line) < ($1.path, $1.line) } }
            .sorted { ($0[0].path, $0[0].line) < ($1[0].path, $1[0].line) }
    }

    /// Word pairs of the entry's words (lowercased, without Markdown): short entries need
    /// short shingles to be compared at all.
    static func shingles(of text: String) -> Set<UInt64> {
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        guard words.count >= 2 else { return Set(words.map { Signature.fnv($0) }) }
        var set = Set<UInt64>()
        for index in 0..<(words.count - 1) { set.insert(Signature.fnv(words[index] + " " + words[index + 1])) }
        return set
    }

    /// The minimum of each of `hashes` fixed hash functions over the shingles.
    static func signature(of shingles: Set<UInt64>) -> [UInt64] {
        (0..<hashes).map { function in
            let seed = UInt64(function) &* 0x9E37_79B9_7F4A_7C15 &+ 0x632B_E59B_D9B4_E019
            return shingles.reduce(UInt64.max) { minimum, shingle in min(minimum, mix(shingle ^ seed)) }
        }
    }

    /// SplitMix64's finaliser: a fixed, well-spread hash of a 64-bit value.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func jaccard(_ a: Set<UInt64>, _ b: Set<UInt64>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }
}
