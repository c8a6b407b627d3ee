import Foundation
import Testing

@testable import Dreaming

@Suite struct HistoryDateTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func zonesFractionsAndLocalTime() {
        #expect(HistoryDate.latestInstant(of: "2026-12-01T13:09:18Z", timeZone: berlin) == utc("2026-12-01T13:09:18Z"))
        #expect(
            HistoryDate.latestInstant(of: "2026-12-01T15:09:18+02:00", timeZone: berlin) == utc("2026-12-01T13:09:18Z"))
        #expect(
            HistoryDate.latestInstant(of: "2026-12-01T08:09:18-0500", timeZone: berlin) == utc("2026-12-01T13:09:18Z"))
        #expect(
            HistoryDate.latestInstant(of: "2026-12-01T13:09:18.5Z", timeZone: berlin) == utc("2026-12-01T13:09:18Z")
                + 0.5)
        #expect(HistoryDate.latestInstant(of: "2026-12-01 14:09", timeZone: berlin) == utc("2026-12-01T13:09:00Z"))
        // A day is the whole day, to its last second; 2026-03-29 in Berlin has 23 hours.
        #expect(HistoryDate.latestInstant(of: "2026-12-01", timeZone: berlin) == utc("2026-12-01T22:59:59Z"))
        #expect(HistoryDate.latestInstant(of: "2026-03-29", timeZone: berlin) == utc("2026-03-29T21:59:59Z"))
    }

    @Test(arguments: [
        "2026-02-30", "2026-12-01T24:00", "2026-12-01T13:60", "2026-12-01T13:09:18+25:00",
        "2026-12-01Z", "last tuesday", "2026-12-01T13:09:18Zulu", "20261201",
    ])
    func notADate(_ text: String) {
        #expect(HistoryDate.latestInstant(of: text) == nil)
    }
}
