/// One path that differs between two trees, with what each side records (nil: absent).
struct EntryDiff {
    let path: String
    let old: TreeEntry?
    let new: TreeEntry?
}
