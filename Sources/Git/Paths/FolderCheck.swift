import Foundation

/// Finds symbolic links among the folders above working-tree paths, looking at each
/// folder once however many paths pass through it.
struct FolderCheck {
    let workingDirectory: String
    private var checked: [String: Bool] = [:]  // folder → is a link

    init(workingDirectory: String) {
        self.workingDirectory = workingDirectory
    }

    /// The first folder above `path` that is a symbolic link on disk, if any.
    mutating func linkedFolder(along path: String) -> String? {
        for folder in TreePath.folders(above: path) {
            let prefix = String(folder)
            if let isLink = checked[prefix] {
                if isLink { return prefix }
                continue
            }
            var info = stat()
            guard lstat(workingDirectory + "/" + prefix, &info) == 0 else { return nil }  // absent: made as a folder
            let isLink = info.st_mode & S_IFMT == S_IFLNK
            checked[prefix] = isLink
            if isLink { return prefix }
        }
        return nil
    }
}
