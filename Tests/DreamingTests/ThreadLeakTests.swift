import Dreaming
import Foundation
import Memory
import TestSupport
import Testing

/// Review commands that fail leave nothing running behind them: the daemon makes many in
/// one process.
@Suite struct ThreadLeakTests {
    /// Each approval and rollback starts reading the index on the other core before it
    /// looks the dream up; when the lookup fails, that reader must still be joined.
    @Test func failedApprovalsAndRollbacksLeaveNoThreadBehind() throws {
        let fixture = try DreamFixture()
        let before = try AddressSpace.mebibytes()
        for i in 0..<300 {
            let book = DreamBook(memory: try MemoryRepo.open(discoveringFrom: fixture.dir.path))
            #expect(throws: DreamError.self) { try book.approve("no-such-dream-\(i)") }
            let other = DreamBook(memory: try MemoryRepo.open(discoveringFrom: fixture.dir.path))
            #expect(throws: DreamError.self) { try other.rollback("no-such-dream-\(i)") }
        }
        // Threads' malloc arenas map up to 64 MiB each, 1 GiB in all on 2 cores; 600 leaked
        // stacks would hold 4,800 MiB.
        let grown = try AddressSpace.mebibytes() - before
        #expect(grown < 2_048, "\(grown) MiB more mapped after 600 failed commands: threads left unjoined")
    }
}
