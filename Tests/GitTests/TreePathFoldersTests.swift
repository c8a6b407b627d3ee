import Git
import Testing

@Suite struct TreePathFoldersTests {
    @Test func theFoldersAboveAPathComeNearestTheRootFirst() {
        #expect(TreePath.folders(above: "a/b/c.md") == ["a", "a/b"])
        #expect(TreePath.folders(above: "notes.md") == [])
        #expect(TreePath.folders(above: "a/b/") == ["a", "a/b"])
    }
}
