@testable import SecretsScan
import Testing

/// Reading `git log -p --unified=0`: the lines each commit added, their line in that
/// version, the commit and path, however the output is cut into reads.
@Suite struct GitHistoryTests {
    static let newer = "448cf8ed57b6f511daa90b37d07737f3d7fc2258"
    static let older = "c00ff123934109f31389e5986aa4a14bbf999b51"
    static let log = """
        commit \(newer)

        diff --git a/config/app.env b/config/app.env
        index 422c2b7..98f2a98 100644
        --- a/config/app.env
        +++ b/config/app.env
        @@ -2 +1,0 @@ x
        -old=\(ScanFixtures.awsKey)
        @@ -5,0 +5,2 @@ y
        +++ looks like a header
        +  key: \(ScanFixtures.awsKey)
        \\ No newline at end of file
        diff --git "a/sp ace\\"q.txt" "b/sp ace\\"q.txt"
        new file mode 100644
        --- /dev/null
        +++ "b/sp ace\\"q.txt"\t
        @@ -0,0 +1,3 @@
        +one
        +two \(ScanFixtures.awsKey)
        +three
        diff --git a/gone.txt b/gone.txt
        deleted file mode 100644
        --- a/gone.txt
        +++ /dev/null
        @@ -1 +0,0 @@
        -\(ScanFixtures.awsKey)
        Binary files a/x.png and b/x.png differ
        commit \(older)

        diff --git a/config/app.env b/config/app.env
        new file mode 100644
        --- /dev/null
        +++ b/config/app.env
        @@ -0,0 +1,2 @@
        +a
        +old=\(ScanFixtures.awsKey)

        """

    struct Hit: Equatable {
        let commit: String, file: String, line: Int, column: Int, masked: String
    }

    static func scan(_ chunks: [ArraySlice<UInt8>]) -> (hits: [Hit], commits: Int) {
        var history = GitHistory()
        var hits: [Hit] = []
        let record = { (location: GitHistory.Location, finding: Finding, matched: UnsafeRawBufferPointer) in
            hits.append(Hit(commit: location.commit, file: location.file, line: finding.line, column: finding.column,
                            masked: String(decoding: matched, as: UTF8.self) == ScanFixtures.awsKey ? "key" : "other"))
        }
        for chunk in chunks { chunk.withUnsafeBytes { history.feed($0, found: record) } }
        history.finish(found: record)
        return (hits, history.commits)
    }

    static let expected = [
        Hit(commit: newer, file: "config/app.env", line: 6, column: 8, masked: "key"),
        Hit(commit: newer, file: "sp ace\"q.txt", line: 2, column: 5, masked: "key"),
        Hit(commit: older, file: "config/app.env", line: 2, column: 5, masked: "key"),
    ]

    @Test func addedLinesAreFoundWithTheirCommitPathAndLine() {
        let bytes = Array(Self.log.utf8)
        let result = Self.scan([bytes[...]])
        #expect(result.hits == Self.expected)
        #expect(result.commits == 2)
    }

    @Test func everySplitPointGivesTheSameFindings() {
        let bytes = Array(Self.log.utf8)
        for split in 0...bytes.count {
            #expect(Self.scan([bytes[..<split], bytes[split...]]).hits == Self.expected, "split at \(split)")
        }
    }

    @Test func quotedPathsAreUnquoted() {
        #expect(GitHistory.path(Array("b/plain.txt".utf8)[...]) == "plain.txt")
        #expect(GitHistory.path(Array("\"b/tab\\there \\303\\251\"".utf8)[...]) == "tab\there é")
        #expect(GitHistory.path(Array("/dev/null".utf8)[...]) == nil)
    }
}
