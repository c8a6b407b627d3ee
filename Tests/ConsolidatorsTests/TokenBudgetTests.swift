import Dreaming
import Foundation
import Sessions
import Testing

@testable import Consolidators

/// What a model's dream costs: the input it sends stays within the budget, whatever the
/// number of sessions and however greedy the model.
@Suite struct TokenBudgetTests {
    /// A model that reads every session, page after page, and counts a token for every
    /// four characters it is sent, as the APIs roughly do.
    actor GreedyReader: ModelBackend {
        nonisolated let name = "test/greedy"
        private(set) var sent: [Int] = []
        private var turn = 0
        private let sessions: [String]

        init(sessions: [String]) {
            self.sessions = sessions
        }

        func send(_ request: ModelRequest) async throws(ModelError) -> ModelReply {
            let characters = request.system.count + request.messages.reduce(0) { $0 + AgentLoop.characters($1) }
            sent.append(characters / 4)
            turn += 1
            let calls: [ModelMessage.Block] = (0..<3).map { index in
                let session = sessions[(turn * 3 + index) % sessions.count]
                return .toolUse(
                    id: "t\(turn)-\(index)", name: "read_session",
                    input: ["session_id": .string(session), "limit": 60],
                    raw: "")
            }
            return ModelReply(content: calls, stop: .toolUse, usage: TokenUsage(input: characters / 4, output: 60))
        }

        func close() async {}
    }

    @Test(arguments: [4, 1000])
    func aGreedyDreamStopsWithinTheBudget(sessionCount: Int) async throws {
        let corpus = PlantedCorpus(seed: 5, sessionCount: sessionCount)
        let reader = GreedyReader(sessions: corpus.sessions.map(\.id))
        let budget = 150_000
        let consolidator = ModelConsolidator(
            backend: reader, settings: AgentLoop.Settings(tokenBudget: budget, maxTurns: 500))
        let input = DreamInput(
            id: "budget", memory: MemorySnapshot(commit: nil, files: [], texts: corpus.memory),
            sessions: corpus.sessions, humanEdits: [])
        let plan = try await consolidator.plan(input)
        let sent = await reader.sent
        let first = try #require(sent.first)
        print(
            "\(sessionCount) sessions: first request \(first) tokens, \(sent.count) turns, \(sent.reduce(0, +)) input tokens in all"
        )
        #expect(sent.reduce(0, +) <= budget)
        #expect(plan.usage?.input == sent.reduce(0, +))
        #expect(sent.count > 3, "the budget should allow a few turns")
        #expect(first < 15_000, "the briefing must stay bounded whatever the number of sessions")
    }
}
