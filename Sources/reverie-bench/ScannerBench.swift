import Foundation
import Memory

/// The secret scanner on texts made to make a careless pattern backtrack, each against an
/// ordinary text of the same size (a transcript's prose and commands): the ratio says
/// whether a hostile transcript costs more than its size.
enum ScannerBench {
    static func run(rounds: Int) throws {
        say("\nSecret scanner: hostile texts against ordinary text of the same size, medians of \(rounds)")
        let prose = "ran `pytest -q` and the suite passed; set password in the vault, then deploy with make ship.\n"
        let hostile: [(String, String)] = [
            ("200k letters", String(repeating: "a", count: 200_000)),
            ("password= x20k", String(repeating: "password=", count: 20_000)),
            ("x://a: x30k", String(repeating: "x://a:", count: 30_000)),
            (
                "token: x30k + letters",
                String(repeating: "token: ", count: 30_000) + String(repeating: "a", count: 200_000)
            ),
            ("key block 200 KB", "-----BEGIN RSA PRIVATE KEY-----\n" + String(repeating: "QUJD", count: 50_000)),
            ("mysql -u x20k", String(repeating: "mysql -u a ", count: 20_000)),
            ("200k dashes", String(repeating: "-", count: 200_000)),
            ("sk- x60k", String(repeating: "sk-", count: 60_000)),
            ("ab_ x60k", String(repeating: "ab_", count: 60_000) + "="),
            ("https://u:p@ x15k", String(repeating: "https://u:p@", count: 15_000)),
            ("curl -b x20k", String(repeating: "curl -b a=", count: 20_000)),
            ("PASSWORD= lines x20k", String(repeating: "X_PASSWORD=a&\n", count: 20_000)),
        ]
        for (name, text) in hostile {
            let ordinary = String(
                String(repeating: prose, count: text.utf8.count / prose.utf8.count + 1).prefix(text.count))
            var hostileTimes: [Double] = [], ordinaryTimes: [Double] = []
            for _ in 0..<rounds {
                hostileTimes.append(try Bench.time { _ = SecretScanner.redact(text) })
                ordinaryTimes.append(try Bench.time { _ = SecretScanner.redact(ordinary) })
            }
            let (h, o) = (Bench.median(hostileTimes), Bench.median(ordinaryTimes))
            say(
                name.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: "hostile %8.2f ms   ordinary %8.2f ms   %5.1fx", h * 1000, o * 1000, h / o))
        }
    }
}
