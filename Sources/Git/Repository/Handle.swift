import CLibGit2

/// Owns one libgit2 object pointer and frees it with the function of its kind.
///
/// libgit2 hands every object out as an `OpaquePointer`; the phantom `Kind` makes a tree,
/// a commit and an index different Swift types, so the compiler keeps them apart.
final class Handle<Kind: HandleKind> {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        Kind.free(pointer)
    }
}

protocol HandleKind {
    static func free(_ pointer: OpaquePointer)
}

enum TreeKind: HandleKind { static func free(_ p: OpaquePointer) { git_tree_free(p) } }
enum CommitKind: HandleKind { static func free(_ p: OpaquePointer) { git_commit_free(p) } }
enum IndexKind: HandleKind { static func free(_ p: OpaquePointer) { git_index_free(p) } }
enum ReferenceKind: HandleKind { static func free(_ p: OpaquePointer) { git_reference_free(p) } }
enum BlobKind: HandleKind { static func free(_ p: OpaquePointer) { git_blob_free(p) } }
enum DiffKind: HandleKind { static func free(_ p: OpaquePointer) { git_diff_free(p) } }
enum ObjectKind: HandleKind { static func free(_ p: OpaquePointer) { git_object_free(p) } }
enum RevwalkKind: HandleKind { static func free(_ p: OpaquePointer) { git_revwalk_free(p) } }
enum StatusListKind: HandleKind { static func free(_ p: OpaquePointer) { git_status_list_free(p) } }
enum PatchKind: HandleKind { static func free(_ p: OpaquePointer) { git_patch_free(p) } }
enum RepositoryKind: HandleKind { static func free(_ p: OpaquePointer) { git_repository_free(p) } }

typealias GitTree = Handle<TreeKind>
typealias GitCommit = Handle<CommitKind>
typealias GitIndex = Handle<IndexKind>
typealias GitReference = Handle<ReferenceKind>
typealias GitBlob = Handle<BlobKind>
typealias GitDiff = Handle<DiffKind>
typealias GitRevwalk = Handle<RevwalkKind>
typealias GitStatusList = Handle<StatusListKind>
typealias GitPatch = Handle<PatchKind>

extension Handle where Kind == TreeKind {
    var id: ObjectID { ObjectID(git_tree_id(pointer)) }
}

extension Handle where Kind == CommitKind {
    var id: ObjectID { ObjectID(git_commit_id(pointer)) }
}
