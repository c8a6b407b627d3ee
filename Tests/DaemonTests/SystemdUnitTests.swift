import Foundation
import TestSupport
import Testing

/// Every unit file in systemd/ passes `systemd-analyze verify` with nothing on stderr:
/// a misspelled key is only a warning there, so any output counts as failure.
@Suite struct SystemdUnitTests {
    static let unitFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("systemd").path

    /// Verifies `text` as an instance of the template for /tmp/memory, with the unit's
    /// `%h/.local/bin/reverie` pointing at the binary these tests built.
    func verify(_ text: String, name: String) throws -> Shell.Result {
        let dir = try Scratch("units")
        try FileManager.default.createDirectory(atPath: dir.url("home/.local/bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: dir.url("home/.local/bin/reverie"), withDestinationPath: ReverieBinary.path)
        let instance = name.replacingOccurrences(of: "@.service", with: "@tmp-memory.service")
        try dir.write(instance, text)
        return try Shell.run("systemd-analyze", ["verify", dir.url(instance)], environment: ["HOME": dir.url("home")])
    }

    @Test func unitFilesVerifyCleanly() throws {
        let units = try FileManager.default.contentsOfDirectory(atPath: Self.unitFolder).filter {
            $0.hasSuffix(".service")
        }
        #expect(units == ["reverie@.service"])
        for unit in units {
            let text = try String(contentsOfFile: "\(Self.unitFolder)/\(unit)", encoding: .utf8)
            #expect(
                text.contains("Type=notify") && text.contains("WatchdogSec=") && text.contains("Restart=on-failure"))
            let result = try verify(text, name: unit)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(unit): \(result.stderr)")
        }
    }

    @Test func theCheckCatchesAMisspelledKey() throws {
        let text = try String(contentsOfFile: "\(Self.unitFolder)/reverie@.service", encoding: .utf8)
        let result = try verify(
            text.replacingOccurrences(of: "WatchdogSec", with: "WatchDogSec"), name: "reverie@.service")
        #expect(result.stderr.contains("Unknown key 'WatchDogSec'"))
    }
}
