import AsyncHTTPClient
import Dreaming
import Foundation
import Memory
import NIOCore
import Sessions

/// A dream by a language model: an agent loop over an in-memory copy of memory
/// (`AgentLoop`), through Anthropic's Messages API, an OpenAI-compatible server or any
/// program (`[dream] consolidator`, `[model]`). Its plan goes through the same path
/// rules, secret redaction and guardrails as every dream.
public struct ModelConsolidator: Consolidator {
    /// As it names itself in commits: "anthropic/<model>", "openai/<model>", the command's name.
    public let name: String
    /// A back end for one dream, closed when it ends (the daemon dreams again and again).
    let makeBackend: @Sendable () -> any ModelBackend
    let settings: AgentLoop.Settings
    let progress: @Sendable (String) -> Void

    init(
        name: String, backend: @escaping @Sendable () -> any ModelBackend, settings: AgentLoop.Settings,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        makeBackend = backend
        self.name = name
        self.settings = settings
        self.progress = progress
    }

    init(
        backend: any ModelBackend, settings: AgentLoop.Settings,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(name: backend.name, backend: { backend }, settings: settings, progress: progress)
    }

    /// The consolidator `kind` ("anthropic", "openai", "command") as the settings describe it.
    /// Reached only through `ConsolidatorChoice`, which checks the settings are trusted first.
    ///
    /// - Parameters:
    ///   - folder: the memory repo, where a command runs.
    ///   - progress: told after every turn (turn, tokens so far), for a person watching.
    static func make(
        _ kind: String, config: ReverieConfig, folder: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(ModelError) -> ModelConsolidator {
        let model = config.model
        let timeout = TimeAmount.seconds(Int64(model.timeoutSeconds))
        // A client of the dream's own: redirects are not followed (a redirect to another
        // host would carry the key with it), and it is shut down when the dream ends.
        @Sendable func client() -> HTTPClient {
            HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        }
        let backend: @Sendable () -> any ModelBackend
        let name: String
        switch kind {
        case "anthropic":
            let variable = model.apiKeyVariable.isEmpty ? "ANTHROPIC_API_KEY" : model.apiKeyVariable
            guard let key = APIKey.find(variable: variable, environment: environment) else {
                throw .missingKey(variable: variable)
            }
            let modelName = model.name.isEmpty ? "claude-sonnet-4-5" : model.name
            name = "anthropic/\(modelName)"
            backend = {
                AnthropicBackend(
                    model: modelName,
                    baseURL: model.baseURL.isEmpty ? "https://api.anthropic.com" : model.baseURL, key: key,
                    transport: HTTPTransport(client: client(), timeout: timeout, keyVariable: variable))
            }
        case "openai":
            let variable = model.apiKeyVariable.isEmpty ? "OPENAI_API_KEY" : model.apiKeyVariable
            let baseURL = model.baseURL.isEmpty ? "https://api.openai.com" : model.baseURL
            let key = APIKey.find(variable: variable, environment: environment)
            // A local server (Ollama, llama.cpp, vLLM) usually wants no key.
            if key == nil && !isLoopback(baseURL) { throw .missingKey(variable: variable) }
            let modelName = model.name.isEmpty ? "gpt-4.1" : model.name
            name = "openai/\(modelName)"
            backend = {
                OpenAIBackend(
                    model: modelName, baseURL: baseURL, key: key,
                    transport: HTTPTransport(client: client(), timeout: timeout, keyVariable: variable))
            }
        case "command":
            name = CommandBackend.name(for: model.command)
            backend = {
                CommandBackend(arguments: model.command, folder: folder, timeoutSeconds: Double(model.timeoutSeconds))
            }
        default:
            throw .badSetting(
                message: "no consolidator \(kind); choose one of " + ReverieConfig.consolidators.joined(separator: ", ")
            )
        }
        let settings = AgentLoop.Settings(
            maxTokens: model.maxTokens, tokenBudget: model.tokenBudget, maxTurns: model.maxTurns,
            instructions: config.dream.instructions.isEmpty ? nil : config.dream.instructions,
            minimumSessions: config.dream.patternMinSessions, maxFileBytes: config.guardrails.maxFileKilobytes * 1024)
        return ModelConsolidator(name: name, backend: backend, settings: settings, progress: progress)
    }

    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Runs the agent loop over a copy of memory with a fresh back end; the plan is what the model changed.
    public func plan(_ input: DreamInput) async throws -> DreamPlan {
        let memory = input.memory.texts.filter { $0.key.hasSuffix(".md") && !$0.key.hasPrefix(".reverie/") }
        let backend = makeBackend()
        var loop = AgentLoop(
            backend: backend, input: input, settings: settings,
            workspace: ToolWorkspace(files: memory, maxFileBytes: settings.maxFileBytes), progress: progress)
        do {
            let plan = try await loop.run()
            await backend.close()
            return plan
        } catch {
            await backend.close()
            throw error
        }
    }
}
