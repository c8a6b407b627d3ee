import Foundation

/// The address space this process has mapped (`VmSize`). A thread that ended without
/// being joined keeps its stack mapped (8 MiB by default), so a leak of threads shows
/// here even though they are gone from `/proc/self/task`.
public enum AddressSpace {
    /// Mapped memory, in MiB.
    public static func mebibytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmSize:") }),
            let kibibytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { throw CocoaError(.fileReadCorruptFile) }
        return kibibytes / 1024
    }
}
