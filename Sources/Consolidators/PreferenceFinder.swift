import Foundation
import Sessions

/// What people tell agents to do or not do, grouped by similarity across sessions and
/// users; the later of two contrary statements wins.
struct PreferenceFinder {
    struct Preference {
        let text: String
        let users: [String]
        let sessions: [String]
        let last: Date?
        let negative: Bool
        let tokens: Set<String>
        let quotes: [(session: String, quote: String)]
        /// An earlier preference this one contradicts.
        var replaces: [String] = []
    }

    let minimumSessions: Int
    /// Statements whose content words overlap this much say the same thing.
    static let similar = 0.7

    static let directive = try! NSRegularExpression(
        pattern: #"\b(always|never|don'?t|do not|prefer|instead of|stop|please use|make sure|avoid)\b"#,
        options: [.caseInsensitive])
    static let negations: Set<String> = ["never", "dont", "don't", "not", "stop", "avoid", "no"]
    static let stopwords: Set<String> = ["the", "a", "an", "to", "of", "and", "or", "in", "on", "for", "with", "please",
                                         "always", "it", "is", "be", "you", "we", "i", "this", "that", "use", "do", "make", "sure"]

    struct Statement {
        let text: String
        let session: String
        let user: String
        let time: Date?
        let tokens: Set<String>
        let negative: Bool
    }

    func find(in sessions: [Session]) -> [Preference] {
        var statements: [Statement] = []
        for session in sessions {
            let user = session.user ?? "session \(session.id)"
            for event in session.events where !event.isSubagent {
                let text: String
                switch event.kind {
                case .user(let said): text = said
                case .rejection(_, let reason?): text = reason.lowercased().contains("never") || Self.matches(reason) ? reason : "never " + reason
                default: continue
                }
                for sentence in Self.sentences(text) where Self.matches(sentence) {
                    let words = Self.words(sentence)
                    statements.append(Statement(text: sentence, session: session.id, user: user, time: event.time,
                                                tokens: Set(words.filter { !Self.stopwords.contains($0) && !Self.negations.contains($0) }),
                                                negative: words.contains { Self.negations.contains($0) }))
                }
            }
        }
        // Greedy grouping in a fixed order, so the same input always groups the same way.
        statements.sort { ($0.time ?? .distantPast, $0.session, $0.text) < ($1.time ?? .distantPast, $1.session, $1.text) }
        var groups: [[Statement]] = []
        // Which groups hold a word: only groups sharing enough words with a statement can be
        // similar to it, so the others are never looked at.
        var groupsWith: [String: [Int]] = [:]
        for statement in statements where !statement.tokens.isEmpty {
            var shared: [Int: Int] = [:]
            for token in statement.tokens { for group in groupsWith[token] ?? [] { shared[group, default: 0] += 1 } }
            let needed = Int((Self.similar * Double(statement.tokens.count)).rounded(.up))
            // Joins the first group with a statement close enough to it (single linkage), so
            // a group of rewordings holds together.
            let index = shared.filter { $0.value >= needed }.keys.sorted().first { index in
                groups[index][0].negative == statement.negative
                    && groups[index].contains { Self.jaccard($0.tokens, statement.tokens) >= Self.similar }
            }
            let target = index ?? groups.count
            if let index { groups[index].append(statement) } else { groups.append([statement]) }
            for token in statement.tokens where groupsWith[token]?.last != target { groupsWith[token, default: []].append(target) }
        }
        var preferences = groups.compactMap { group -> Preference? in
            let users = Set(group.map(\.user)).sorted()
            let sessions = Set(group.map(\.session)).sorted()
            guard users.count >= 2 || sessions.count >= minimumSessions else { return nil }
            let text = group.map(\.text).sorted { ($0.count, $0) < ($1.count, $1) }[0]
            var quotes: [(String, String)] = []
            for session in sessions { quotes.append((session, group.first { $0.session == session }!.text)) }
            return Preference(text: text, users: users, sessions: sessions, last: group.compactMap(\.time).max(),
                              negative: group[0].negative, tokens: group[0].tokens, quotes: quotes)
        }
        // Contrary pairs: the one said last wins and names the one it replaces.
        var dropped = Set<Int>()
        for i in preferences.indices {
            for j in preferences.indices where i != j && preferences[i].negative != preferences[j].negative
                && Self.jaccard(preferences[i].tokens, preferences[j].tokens) >= 0.5 {
                let (later, earlier) = (preferences[i].last ?? .distantPast) >= (preferences[j].last ?? .distantPast) ? (i, j) : (j, i)
                if later == i, !dropped.contains(i) {
                    preferences[i].replaces.append(preferences[earlier].text)
                    dropped.insert(earlier)
                }
            }
        }
        return preferences.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
            .sorted { ($0.sessions.count, $1.text) > ($1.sessions.count, $0.text) }
    }

    static func matches(_ text: String) -> Bool {
        directive.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func sentences(_ text: String) -> [String] {
        text.split(whereSeparator: { ".!?\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            // Pasted documents (lists, headings, code) are not someone telling the agent something.
            .filter { $0.count >= 8 && $0.count <= 200 && !"-*#>|`".contains($0.first!) }
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" && $0 != "-" })
            .map { $0.replacingOccurrences(of: "'", with: "") }
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }
}
