import CLibGit2

/// What a tree records for one path: the object and its mode.
struct TreeEntry: Equatable {
    let id: ObjectID
    let mode: git_filemode_t

    /// A plain or executable file: what Reverie writes to disk itself.
    var isFile: Bool { mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE }
}
