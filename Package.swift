// swift-tools-version: 6.1
import PackageDescription

// Layers (DESIGN.md): reverie → Memory → Git → CLibGit2. A module never imports one above it.
let package = Package(
    name: "Reverie",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "reverie", targets: ["reverie"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "Git", dependencies: ["CLibGit2"]),
        .target(
            name: "Memory",
            dependencies: [
                "Git",
                .product(name: "Yams", package: "Yams"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "reverie",
            dependencies: [
                "Git",
                "Memory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks against the git CLI; run through scripts/bench (release build).
        .executableTarget(name: "reverie-bench", dependencies: ["Git"]),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GitTests", dependencies: ["Git", "TestSupport"]),
        .testTarget(
            name: "MemoryTests", dependencies: ["Memory", "Git", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ReverieCLITests", dependencies: ["reverie", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
