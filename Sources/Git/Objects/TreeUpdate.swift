import CLibGit2

/// One edit of a tree for `git_tree_create_updated`.
enum TreeUpdate {
    case upsert(String, ObjectID, git_filemode_t)
    case remove(String)

    var blobID: ObjectID? {
        if case .upsert(_, let id, _) = self { id } else { nil }
    }

    var path: String {
        switch self {
        case .upsert(let path, _, _), .remove(let path): path
        }
    }
}
