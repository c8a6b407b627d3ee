import Memory
import Testing

@testable import Consolidators

/// A setting that cannot work is named as a setting, not reported as the API refusing a
/// request nobody sent.
@Suite struct SettingErrorTests {
    @Test func anUnknownConsolidatorIsASettingsMistake() throws {
        #expect {
            _ = try ModelConsolidator.make("gemini", config: ReverieConfig(), folder: "/tmp")
        } throws: { error in
            let text = "\(error)"
            return text.contains("no consolidator gemini; choose one of builtin") && !text.contains("API refused")
        }
    }

    @Test func aPlatformDreamWithoutSessionsSaysWhichSettingToFill() throws {
        var settings = StoreSettings()
        settings.id = "memstore_01abc"
        #expect {
            _ = try ManagedAgentsConsolidator(
                settings: settings, instructions: "", trust: .defaultsOnly, environment: ["ANTHROPIC_API_KEY": "x"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("set [store] sessions") && !text.contains("API refused") && !text.contains("(0:")
        }
    }

    @Test func aMalformedIDIsNotReportedAsAnAnswerOfTheAPI() throws {
        #expect {
            _ = try MemoryStoreClient.checked("../etc")
        } throws: { error in
            "\(error)" == "\"../etc\" is not an id such as memstore_01abc or sesn_01abc"
        }
    }
}
