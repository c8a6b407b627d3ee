import Foundation
import Sessions

/// What people tell agents to always or never do, grouped across sessions and users when
/// the statements mean the same; the later of two contrary statements wins.
///
/// Only what a person typed to the agent counts: never a slash command's prompt, a
/// summary, a reminder (`SessionEvent.Kind.context`), text they pasted (logs, lists, code,
/// long documents), or what someone says about their own situation ("don't cancel my
/// booking"). A statement counts when it is an instruction ("never…", "always…", "use X
/// instead of Y"), or when it is the reason a person gave for refusing a tool call, or
/// the message they typed right after refusing one.
struct PreferenceFinder {
    struct Preference {
        let text: String
        let users: [String]
        let sessions: [String]
        let first: Date?
        let last: Date?
        let negative: Bool
        let tokens: Set<String>
        let quotes: [(session: String, quote: String)]
        /// An earlier preference this one contradicts.
        var replaces: [String] = []
    }

    let minimumSessions: Int

    /// Words that open an instruction, after fillers such as "please" or "from now on".
    static let directive = try! NSRegularExpression(
        pattern:
            #"^(?:(?:please|pls|and|also|so|ok|okay|no|nope|but|again|remember|note|just|hey|actually|in (?:the )?future|from now on|going forward|next time|for future reference|as a rule|in this (?:repo|project|codebase))[,:!]?\s+)*(?:always|never|don'?t|do not|dont|avoid|stop|prefer|make sure|use\s.+\s(?:instead of|rather than|over)\s|you (?:should|must)(?: always| never| not)?\s|we (?:always|never)\s|i (?:always )?prefer\s|i'?d (?:rather|prefer)\s|i want you to (?:always|never)\s)"#,
        options: [.caseInsensitive])
    /// What someone says about their own situation, not how the agent should work.
    static let situational = try! NSRegularExpression(
        pattern: #"\b(?:my|mine|me|i'?m|i am|i'?ve|i have|i had|i was|i did|i can'?t|i cannot|never mind)\b"#,
        options: [.caseInsensitive])
    nonisolated(unsafe) static let logLine =
        /^\d{2,4}[-\/:]\d{2}|\b(?:ERROR|WARN|WARNING|INFO|DEBUG|TRACE|FATAL)\b[:\]]|^\s*at [\w.$<>]+\(|^\s*File "|\w\.\w+:\d+|Traceback|^\w+(?:Error|Exception):/
    nonisolated(unsafe) static let opensWithNegation = /^(?:never|don'?t|do not|dont|avoid|stop|no)\b/
    nonisolated(unsafe) static let saysNever = /\b(?:never|should ?n[o']t|must ?n[o']t|shall not)\b/
    static let negations: Set<String> = ["never", "dont", "not", "stop", "avoid", "no", "nt", "without"]
    static let stopwords: Set<String> = [
        "the", "a", "an", "to", "of", "and", "or", "in", "on", "for", "with", "please", "pls", "always", "it", "is",
        "be", "you",
        "we", "i", "this", "that", "use", "using", "do", "make", "sure", "again", "also", "just", "remember", "note",
        "from",
        "now", "going", "forward", "future", "next", "time", "thanks", "thank", "ok", "okay", "so", "but", "any",
        "anything",
        "should", "must", "want", "would", "like", "prefer", "rather", "instead", "than", "over", "when", "all",
        "every",
        "our", "your", "are", "was", "can", "id", "d", "by", "at", "as", "yes", "hey", "actually", "directly", "ever",
    ]

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
            func add(_ sentence: String, _ time: Date?) {
                let tokens = Self.tokens(sentence)
                guard tokens.count >= 2 else { return }
                statements.append(
                    Statement(
                        text: sentence, session: session.id, user: user, time: time ?? session.started,
                        tokens: tokens, negative: Self.isNegative(sentence)))
            }
            var afterRefusal = false
            for event in session.events where !event.isSubagent {
                switch event.kind {
                case .user(let said):
                    let sentences = Self.sentences(Self.typed(said))
                    let reply =
                        afterRefusal ? sentences.first(where: { !$0.question && Self.tokens($0.text).count >= 2 }) : nil
                    if let reply, !Self.isSituational(reply.text) { add(reply.text, event.time) }
                    for sentence in sentences
                    where !sentence.question && Self.matches(sentence.text) && !Self.isSituational(sentence.text)
                        && sentence.text != reply?.text
                    {
                        add(sentence.text, event.time)
                    }
                    afterRefusal = false
                case .rejection(_, let reason):
                    afterRefusal = true
                    if let reason, let sentence = Self.sentences(reason).first(where: { !$0.question }),
                        !Self.isSituational(sentence.text)
                    {
                        add(sentence.text, event.time)
                        afterRefusal = false  // the reason was said; the next message is another matter
                    }
                default:
                    continue
                }
            }
        }
        // Statements that say the same, transitively (one rewording links two others), in a
        // fixed order so the same input always groups the same way.
        statements.sort {
            ($0.time ?? .distantPast, $0.session, $0.text) < ($1.time ?? .distantPast, $1.session, $1.text)
        }
        var parent = Array(statements.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        // Only statements sharing a word can say the same, so only those are compared; the
        // same words said again join the first statement that said them without comparing.
        var withToken: [String: [Int]] = [:]
        var sameWords: [String: Int] = [:]
        for (index, statement) in statements.enumerated() {
            let key = statement.tokens.sorted().joined(separator: " ") + (statement.negative ? " -" : " +")
            if let first = sameWords[key] {
                parent[index] = root(first)
                continue
            }
            sameWords[key] = index
            var compared = Set<Int>()
            for token in statement.tokens {
                for other in withToken[token] ?? [] where compared.insert(other).inserted {
                    if statements[other].negative == statement.negative
                        && Self.same(statements[other].tokens, statement.tokens)
                    {
                        let (a, b) = (root(other), root(index))
                        parent[max(a, b)] = min(a, b)
                    }
                }
                withToken[token, default: []].append(index)
            }
        }
        var members: [Int: [Statement]] = [:]
        for index in statements.indices { members[root(index), default: []].append(statements[index]) }
        let groups = members.keys.sorted().map { members[$0]! }
        var preferences = groups.compactMap { group -> Preference? in
            let users = Set(group.map(\.user)).sorted()
            let sessions = Set(group.map(\.session)).sorted()
            guard sessions.count >= max(minimumSessions, 2) || users.count >= 2 && sessions.count >= 2 else {
                return nil
            }
            // The wording most of the group shares, said most briefly.
            let common = group.map(\.tokens).reduce(group[0].tokens) { $0.intersection($1) }
            let text = group.map { Self.cleaned($0.text) }
                .sorted { (-$0.tokensIn(common), $0.count, $0) < (-$1.tokensIn(common), $1.count, $1) }[0]
            var quotes: [(String, String)] = []
            for session in sessions { quotes.append((session, group.first { $0.session == session }!.text)) }
            let times = group.compactMap(\.time)
            return Preference(
                text: text, users: users, sessions: sessions, first: times.min(), last: times.max(),
                negative: group[0].negative, tokens: group.map(\.tokens).reduce(Set()) { $0.union($1) }, quotes: quotes)
        }
        // Contrary pairs: the one said last wins and names the one it replaces.
        var dropped = Set<Int>()
        for i in preferences.indices {
            for j in preferences.indices
            where i != j && preferences[i].negative != preferences[j].negative
                && Self.same(preferences[i].tokens, preferences[j].tokens)
            {
                let (later, earlier) =
                    (preferences[i].last ?? .distantPast) >= (preferences[j].last ?? .distantPast) ? (i, j) : (j, i)
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

    static func isSituational(_ text: String) -> Bool {
        situational.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// What the person typed in a message: reminders and tags out, and of a long paste
    /// only its first and last paragraphs (what they wrote around it).
    static func typed(_ text: String) -> String {
        var text = text.replacingOccurrences(
            of: #"<([a-z][\w-]*)>[\s\S]*?</\1>"#, with: "\n", options: .regularExpression)
        // Fenced code is pasted, never said.
        text = text.replacingOccurrences(of: #"```[\s\S]*?(```|$)"#, with: "\n", options: .regularExpression)
        let paragraphs = text.components(separatedBy: "\n\n").filter {
            !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        if text.count > 1200 || paragraphs.count > 4, paragraphs.count > 2 {
            return paragraphs.first! + "\n\n" + paragraphs.last!
        }
        return text
    }

    /// Sentences a person wrote, and whether each asks a question. Lines that are lists,
    /// headings, quotes, code or log lines are pasted, not said.
    static func sentences(_ text: String) -> [(text: String, question: Bool)] {
        var result: [(String, Bool)] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let line = line.trimmingCharacters(in: .whitespaces)
            guard let first = line.first, !"-*#>|`+[{<$/\\".contains(first), !first.isNumber, !isLogLine(line) else {
                continue
            }
            var sentence = ""
            for character in line {
                if ".!?".contains(character) {
                    let trimmed = sentence.trimmingCharacters(in: .whitespaces)
                    if trimmed.count >= 8 && trimmed.count <= 200 { result.append((trimmed, character == "?")) }
                    sentence = ""
                } else {
                    sentence.append(character)
                }
            }
            let trimmed = sentence.trimmingCharacters(in: .whitespaces)
            if trimmed.count >= 8 && trimmed.count <= 200 { result.append((trimmed, false)) }
        }
        return result
    }

    /// A line of program output: a time stamp, a log level, a stack frame, a path with a line number.
    static func isLogLine(_ line: String) -> Bool {
        line.firstMatch(of: Self.logLine) != nil
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().replacingOccurrences(of: "n't", with: " nt")
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" && $0 != "-" })
            .map { $0.replacingOccurrences(of: "'", with: "") }
    }

    /// Content words, crudely stemmed, so "commits" and "committing" are one word.
    static func tokens(_ text: String) -> Set<String> {
        Set(
            words(text).filter { !stopwords.contains($0) && !negations.contains($0) && $0 != "do" && $0 != "does" }.map(
                stem))
    }

    static func stem(_ word: String) -> String {
        for suffix in ["ing", "ed", "es", "s"] where word.count > suffix.count + 3 && word.hasSuffix(suffix) {
            let stem = word.dropLast(suffix.count)
            // "committing" and "commit" are one word.
            if suffix != "s", let last = stem.last, stem.dropLast().last == last, !"aeiousl".contains(last) {
                return String(stem.dropLast())
            }
            return String(stem)
        }
        return word
    }

    /// Whether it asks for something not to be done: it opens with a negation, or says
    /// "never" or "should not". "Use pnpm, not npm" asks for pnpm.
    static func isNegative(_ text: String) -> Bool {
        let text = cleaned(text).lowercased()
        return text.firstMatch(of: Self.opensWithNegation) != nil
            || text.firstMatch(of: Self.saysNever) != nil
    }

    /// Two statements say the same when they share most of their content words, or one's
    /// words are all in the other, which adds little ("never push to main" and "don't push
    /// to the main branch, open a PR").
    static func same(_ a: Set<String>, _ b: Set<String>) -> Bool {
        let shared = a.intersection(b).count
        guard shared >= 2 else { return false }
        let (shorter, longer) = a.count <= b.count ? (a, b) : (b, a)
        let jaccard = Double(shared) / Double(a.union(b).count)
        return jaccard >= 0.7 || shared == shorter.count && longer.count <= shorter.count + 3
            || jaccard >= 0.6 && shared >= 4
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    /// The statement as an entry: fillers off the front, a capital letter.
    static func cleaned(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ",;:")))
        while let range = text.range(
            of: #"^(?:please|pls|and|also|so|ok|okay|no|nope|but|again|remember|note|just|hey|actually)[,:!]?\s+"#,
            options: [.regularExpression, .caseInsensitive])
        {
            text.removeSubrange(range)
        }
        for suffix in [", thanks", ", thank you", " thanks", " please"] where text.lowercased().hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count))
        }
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}

private extension String {
    func tokensIn(_ set: Set<String>) -> Int { PreferenceFinder.tokens(self).intersection(set).count }
}
