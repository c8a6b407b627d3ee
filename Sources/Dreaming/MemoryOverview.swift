import Memory
import Sessions

/// Everything `reverie status` tells about a memory repo, gathered in one place below the
/// command line: the repo itself, the dreams waiting for a person, and the session sources.
public enum MemoryOverview {
    /// The repo's status, with the dreams awaiting review and what the session sources hold; scanning saves the cursor.
    public static func status(of memory: MemoryRepo) throws(DreamError) -> MemoryStatus {
        var status: MemoryStatus
        do { status = try memory.status() } catch { throw .memory(error) }
        // Dream states come from refs and trailers: one approved in part or rolled back is
        // not waiting, whatever its branch says.
        status.dreamsAwaitingReview = try DreamBook(memory: memory).list()
            .filter { $0.state == .review || $0.state == .conflicted }.map { DreamRef.shortBranch($0.id) }
        let config: ReverieConfig
        do { config = try memory.config() } catch { throw .memory(error) }
        let catalog = SessionCatalog(memory: memory, config: config)
        if let untrusted = catalog.untrusted {
            // Status still tells the rest; the sources are named but not read.
            status.sessions = .init(
                sources: catalog.sources.map(\.label), missing: [], sessions: 0, new: 0, vanished: [],
                warnings: ["not reading sessions: " + untrusted.description])
            return status
        }
        let consumed: [String: Int]
        do { consumed = try memory.sessionsRead() } catch { throw .memory(error) }
        let scan: SessionCatalog.Scan
        do { scan = try catalog.scan(consumed: consumed) } catch { throw .sessions(error) }
        status.sessions = .init(
            sources: catalog.sources.map(\.label), missing: scan.missingSources.map(\.label),
            sessions: scan.entries.count, new: scan.new.count, vanished: scan.vanished,
            warnings: scan.sourceProblems.map(\.description))
        return status
    }
}
