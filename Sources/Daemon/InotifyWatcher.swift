import Foundation
import Git
import Logging
import Memory

/// Watches the memory folder with inotify and delivers debounced bursts of changed paths.
///
/// inotify is not recursive: every folder gets a watch of its own, and a new folder is
/// watched and then scanned, so files made before its watch existed are not missed. Events
/// are hints; when they were lost (a queue overflow) the burst asks for a full rescan.
///
/// One thread of its own waits in `poll` on the inotify descriptor and an eventfd for
/// control, with no timeout while nothing is pending: an idle daemon never wakes up. The
/// debounce is that poll's timeout: a burst is delivered after `debounce` of quiet, or
/// `maxWait` after its first event at the latest, even while events keep coming; a long
/// burst is then delivered in parts, every `maxWait`, with the files still being written
/// held back for a later part.
public final class InotifyWatcher: @unchecked Sendable {
    // All state below is used by the watcher thread only, once `start()` ran (and by
    // `init` before that); other threads only set the `control` flags and write to the pipe.
    private let root: String
    private let ignoreRules: Repository
    private let inotify: Int32
    /// A pipe: writing a byte wakes the thread for `stop()` or `simulateOverflow()`.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var folders: [Int32: String] = [:]
    private var gitWatch: Int32 = -1
    private let debounce: Duration
    private let maxWait: Duration
    private let logger: Logger
    private var pending = Burst()
    /// Files created and not yet closed or moved: still being written, perhaps. They join
    /// `pending` at their CLOSE_WRITE, or when events go quiet, so no part of a long burst
    /// delivers half a file.
    private var unclosed: Set<String> = []
    /// The first event not delivered yet: `maxWait` counts from it.
    private var firstEvent: ContinuousClock.Instant?
    private var lastEvent: ContinuousClock.Instant?
    /// Queue overflows since events were last quiet: the first one of such an episode is
    /// logged, the others only counted.
    private var overflows = 0
    /// The kernel's queue length (`fs.inotify.max_queued_events`), to say it in the log.
    private let queueLimit: String
    private let continuation: AsyncStream<Burst>.Continuation
    private let finished = DispatchSemaphore(value: 0)

    private let control = NSLock()
    private var started = false
    private var stopRequested = false
    private var overflowRequested = false

    /// The debounced bursts, in order; finishes when the watcher stops.
    public let bursts: AsyncStream<Burst>

    /// What a watched folder reports: never `MODIFY` alone, which fires mid-write.
    private static let folderMask =
        UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM)
        | UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_ATTRIB) | UInt32(IN_ONLYDIR)
        | UInt32(IN_DONT_FOLLOW) | UInt32(IN_EXCL_UNLINK)

    /// Entries of `.git` whose appearance or disappearance decides whether Reverie may commit.
    private static let gitStateNames: Set<String> = [
        "HEAD", "index.lock", "index", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "REBASE_HEAD",
        "BISECT_LOG", "rebase-merge", "rebase-apply", "sequencer", "REVERIE_MOVING_MAIN",
    ]

    /// Sets up every watch before returning, so no edit after `init` goes unseen.
    public init(
        root: String, gitDirectory: String, debounce: Duration, maxWait: Duration, logger: Logger
    ) throws(DaemonError) {
        self.root = root
        self.debounce = debounce
        self.maxWait = max(maxWait, debounce)
        self.logger = logger
        queueLimit =
            ((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)).map { "\($0) events" } ?? "its limit"
        do {
            ignoreRules = try Repository.open(at: root)
        } catch {
            throw .watch(path: root, message: error.description)
        }
        inotify = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        guard inotify >= 0 else { throw .watch(path: root, message: String(cString: strerror(errno))) }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(inotify)
            throw .watch(path: root, message: String(cString: strerror(errno)))
        }
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        for end in pipeEnds {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        (bursts, continuation) = AsyncStream.makeStream(of: Burst.self)
        gitWatch = inotify_add_watch(
            inotify, gitDirectory,
            UInt32(IN_CREATE) | UInt32(IN_DELETE)
                | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_CLOSE_WRITE))
        guard gitWatch >= 0 else {
            throw .watch(path: gitDirectory, message: String(cString: strerror(errno)))
        }
        guard watchTree("", scanFiles: false) else {
            throw .watch(
                path: root,
                message: "cannot add inotify watches (\(String(cString: strerror(errno)))); "
                    + "if it says 'No space left on device', raise fs.inotify.max_user_watches")
        }
        pending = Burst()  // what setting up found is the startup reconcile's business
    }

    deinit {
        close(inotify)
        close(wakeRead)
        close(wakeWrite)
    }

    /// The number of folders watched.
    public var watchedFolders: Int { folders.count }

    /// Starts the watcher thread.
    public func start() {
        let first = control.withLock { () -> Bool in
            defer { started = true }
            return !started
        }
        guard first else { return }
        let thread = Thread { [self] in
            loop()
            continuation.finish()
            finished.signal()
        }
        thread.name = "reverie-inotify"
        thread.start()
    }

    /// Stops the thread (delivering nothing more) and waits for it to end. Safe to call
    /// more than once, and before `start()`.
    public func stop() {
        guard control.withLock({ started }) else { return }
        control.withLock { stopRequested = true }
        wake()
        finished.wait()
        finished.signal()
    }

    /// Behaves as if inotify had overflowed (logged, and the next burst asks for a full
    /// rescan). For tests that need overflows at chosen moments.
    public func simulateOverflow() {
        control.withLock { overflowRequested = true }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The loop

    private func loop() {
        var descriptors = [
            pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let ready = poll(&descriptors, 2, timeoutMilliseconds())
            if ready < 0 && errno != EINTR {
                logger.error("inotify poll failed: \(String(cString: strerror(errno)))")
                return
            }
            if descriptors[1].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                _ = read(wakeRead, &drain, 64)
                let (stop, overflow) = control.withLock {
                    defer { overflowRequested = false }
                    return (stopRequested, overflowRequested)
                }
                if stop { return }
                if overflow { overflowed() }
            }
            if descriptors[0].revents != 0 { readEvents(into: buffer) }
            deliverIfDue()
        }
    }

    /// Delivers what is pending once events went quiet for `debounce` (everything, files
    /// still open included, as a burst always was), or `maxWait` after the first event not
    /// delivered yet (only what is complete: the rest keeps coming).
    private func deliverIfDue() {
        guard let lastEvent else { return }
        let now = ContinuousClock.now
        if now >= lastEvent + debounce {
            // A file open but idle for the whole quiet period is committed as it is, as before.
            pending.paths.formUnion(unclosed)
            unclosed = []
            deliver()
            firstEvent = nil
            self.lastEvent = nil
            if overflows > 0 {
                logger.info(
                    "inotify caught up: \(overflows) queue overflow(s) in this burst, each followed by a full rescan")
                overflows = 0
            }
        } else if let firstEvent, now >= firstEvent + maxWait {
            deliver()
            self.firstEvent = nil  // the next event starts the next part
        }
    }

    private func deliver() {
        // Events lost may have been folders made, moved or removed: watch the tree as it is
        // now, before the rescan the burst asks for, so no later edit goes unseen either.
        if pending.needsRescan { rewatchTree() }
        pending.unsettled = unclosed
        if !pending.isEmpty { continuation.yield(pending) }
        pending = Burst()
    }

    private var deadline: ContinuousClock.Instant? {
        guard let lastEvent else { return nil }
        guard let firstEvent else { return lastEvent + debounce }
        return min(lastEvent + debounce, firstEvent + maxWait)
    }

    private func timeoutMilliseconds() -> Int32 {
        guard let deadline else { return -1 }
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        return Int32(min(seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1, 3_600_000))
    }

    private func noteEvent() {
        let now = ContinuousClock.now
        if firstEvent == nil { firstEvent = now }
        lastEvent = now
    }

    private func readEvents(into buffer: UnsafeMutableRawPointer) {
        while true {
            // Events may keep coming faster than they are read: `maxWait` still holds.
            deliverIfDue()
            let count = read(inotify, buffer, 64 * 1024)
            guard count > 0 else { return }  // EAGAIN: drained
            var offset = 0
            while offset + 16 <= count {
                let event = buffer.advanced(by: offset)
                let wd = event.load(as: Int32.self)
                let mask = event.load(fromByteOffset: 4, as: UInt32.self)
                let length = Int(event.load(fromByteOffset: 12, as: UInt32.self))
                var name = ""
                if length > 0 {
                    let bytes = UnsafeRawBufferPointer(start: event.advanced(by: 16), count: length)
                    guard let valid = String(validating: bytes.prefix { $0 != 0 }, as: UTF8.self) else {
                        // A name that is not UTF-8 has no String path: the rescan finds the file
                        // and says why it is not committed.
                        pending.needsRescan = true
                        noteEvent()
                        offset += 16 + length
                        continue
                    }
                    name = valid
                }
                handle(wd: wd, mask: mask, name: name)
                offset += 16 + length
            }
        }
    }

    /// The kernel's queue was full and dropped events: say so once per episode, and ask
    /// for a full rescan.
    private func overflowed() {
        pending.needsRescan = true
        overflows += 1
        if overflows == 1 {
            logger.warning(
                """
                inotify queue overflowed: more than \(queueLimit) waited to be read (fs.inotify.max_queued_events), \
                so events were lost and which files changed is unknown. A full rescan follows: the whole memory \
                folder is compared with main and what differs is committed. Further overflows until changes \
                quiet down are not logged.
                """)
        }
        noteEvent()
    }

    private func handle(wd: Int32, mask: UInt32, name: String) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { return overflowed() }
        if wd == gitWatch {
            if Self.gitStateNames.contains(name) {
                pending.gitStateChanged = true
                noteEvent()
            }
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            folders[wd] = nil
            return
        }
        guard let folder = folders[wd], !name.isEmpty else { return }
        if name == ".git" { return }  // the repo's own, or a nested repository's
        if folder.isEmpty && name == ConsolidationLock.name {
            pending.consolidationLockChanged = true
            noteEvent()
            return
        }
        let path = folder.isEmpty ? name : "\(folder)/\(name)"
        if mask & UInt32(IN_ISDIR) != 0 {
            if mask & (UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) != 0 {
                // Its files are pending one by one (not the folder, which would commit all
                // of it in one go): those found now, and those whose events come later. A
                // folder made just now may hold files still being written; one moved in not.
                let fresh = mask & UInt32(IN_CREATE) != 0
                if !watchTree(path, scanFiles: true, stillWritten: fresh) { pending.needsRescan = true }
                noteEvent()
            } else if mask & (UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM)) != 0 {
                unwatchTree(path)
                pending.paths.insert(path)
                noteEvent()
            }
            return
        }
        // A path seen earlier in this burst was judged then; the ignore rules cost a lookup.
        guard unclosed.contains(path) || pending.paths.contains(path) || follows(path) else { return }
        if mask & UInt32(IN_CREATE) != 0 {
            // Its content comes after the CREATE: wait for the CLOSE_WRITE.
            pending.paths.remove(path)
            unclosed.insert(path)
        } else if mask & UInt32(IN_ATTRIB) == 0 || !unclosed.contains(path) {
            // A chmod of a file still being written does not complete it.
            unclosed.remove(path)
            pending.paths.insert(path)
        }
        noteEvent()
    }

    /// Whether a path's changes matter: git does not ignore it, or `main` tracks it anyway
    /// (a force-added file, or a folder holding one), as git itself keeps tracking those.
    private func follows(_ path: String) -> Bool {
        !((try? ignoreRules.isIgnored(path)) ?? false) || ignoreRules.contains(path)
    }

    /// Watches `folder` and every folder below it; with `scanFiles`, every file found that
    /// matters becomes pending (or, `stillWritten`, waits for its CLOSE_WRITE or the quiet
    /// end of the burst). Ignored folders are watched too: a file in one may be tracked
    /// (force-added), and whether it is can change while the daemon runs; their untracked
    /// files are filtered out event by event. Returns false when a watch failed.
    @discardableResult
    private func watchTree(_ folder: String, scanFiles: Bool, stillWritten: Bool = false) -> Bool {
        let absolute = folder.isEmpty ? root : "\(root)/\(folder)"
        let wd = inotify_add_watch(inotify, absolute, Self.folderMask)
        guard wd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return true }  // gone again already
            logger.error("cannot watch \(absolute): \(String(cString: strerror(errno)))")
            return false
        }
        folders[wd] = folder
        var succeeded = true
        let names = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
        for name in names {
            if name == ".git" { continue }
            let path = folder.isEmpty ? name : "\(folder)/\(name)"
            var info = stat()
            guard lstat("\(root)/\(path)", &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                succeeded = watchTree(path, scanFiles: scanFiles, stillWritten: stillWritten) && succeeded
            } else if scanFiles, !pending.paths.contains(path), !unclosed.contains(path), follows(path) {
                if stillWritten { unclosed.insert(path) } else { pending.paths.insert(path) }
            }
        }
        return succeeded
    }

    /// Watches every folder as the tree is now, after events were lost: folders made
    /// meanwhile get a watch, renamed ones their new path, and watches of folders gone are
    /// dropped. (Adding a watch a folder already has returns the same descriptor.)
    private func rewatchTree() {
        let before = folders
        folders = [:]
        if !watchTree("", scanFiles: false) { pending.needsRescan = true }
        for wd in before.keys where folders[wd] == nil {
            inotify_rm_watch(inotify, wd)
        }
    }

    /// Drops the watches of a folder that went away or moved (perhaps out of the repo).
    private func unwatchTree(_ folder: String) {
        for (wd, path) in folders where path == folder || path.hasPrefix(folder + "/") {
            inotify_rm_watch(inotify, wd)
            folders[wd] = nil
        }
    }
}
