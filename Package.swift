// swift-tools-version: 6.1
import PackageDescription

// Layers (DESIGN.md): reverie → Daemon → Memory → Git → CLibGit2 (and CLinux). A module never imports one above it.
// MemoryTool sits on Memory, below Dreaming; Consolidators use it. McpServer sits on MemoryTool, below the CLI.
let package = Package(
    name: "Reverie",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "reverie", targets: ["reverie"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // The few glibc calls Swift's view of glibc hides (they need _GNU_SOURCE).
        .target(name: "CLinux"),
        // A seeded generator: the planted corpus of `reverie eval` and the tests' data.
        .target(name: "Seeded"),
        .target(name: "Git", dependencies: ["CLibGit2", "CLinux"]),
        .target(
            name: "Memory",
            dependencies: [
                "Git",
                .product(name: "Yams", package: "Yams"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(name: "Sessions", dependencies: ["Git", "Memory"]),
        // The six commands of Anthropic's memory tool over a tree of memory files.
        .target(name: "MemoryTool", dependencies: ["Git", "Memory"]),
        .target(name: "Dreaming", dependencies: ["Git", "Memory", "Sessions"]),
        // `reverie mcp`: the memory tool, search and history for any MCP client, on the working tree.
        .target(
            name: "McpServer",
            dependencies: [
                "MemoryTool", "Memory", "Git",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Consolidators",
            dependencies: [
                "Dreaming", "Git", "Memory", "MemoryTool", "Sessions", "Seeded",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Daemon",
            dependencies: [
                "Git",
                "Memory",
                "Sessions",
                "Dreaming",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "reverie",
            dependencies: [
                "Git",
                "Memory",
                "Sessions",
                "Dreaming",
                "Consolidators",
                "Daemon",
                "McpServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks against the git CLI; run through scripts/bench (release build).
        .executableTarget(name: "reverie-bench", dependencies: ["Git", "Memory", "Sessions", "Dreaming"]),

        .target(
            name: "TestSupport", dependencies: ["Seeded"], path: "Tests/TestSupport",
            // FsyncCounter's fsync must be seen by libgit2: the test binary exports it.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=fsync"])]
        ),
        .testTarget(name: "GitTests", dependencies: ["Git", "TestSupport"]),
        .testTarget(
            name: "MemoryTests", dependencies: ["Memory", "Git", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "MemoryToolTests", dependencies: ["MemoryTool", "Memory", "TestSupport"]),
        .testTarget(name: "SessionsTests", dependencies: ["Sessions", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "Memory", "Git", "TestSupport", "reverie"]),
        .testTarget(
            name: "DreamingTests",
            dependencies: ["Dreaming", "Consolidators", "Memory", "Git", "Sessions", "TestSupport", "reverie"]
        ),
        .testTarget(
            name: "ConsolidatorsTests",
            dependencies: [
                "Consolidators", "Dreaming", "Memory", "Sessions", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "ReverieCLITests", dependencies: ["reverie", "Consolidators", "Memory", "Sessions", "TestSupport"]),
        .testTarget(
            name: "McpServerTests",
            dependencies: [
                "McpServer", "MemoryTool", "Memory", "Git", "TestSupport", "reverie",
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
