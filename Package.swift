// swift-tools-version: 6.1
import PackageDescription

/// Settings every Swift target shares (see ../shared/CONVENTIONS.md, "Package.swift").
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "mimamori",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mimamori", targets: ["mimamori"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // mimamori.toml, serve's configuration file (docs/operations.md).
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: System C libraries
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        // OpenSSL's libcrypto: HMAC-SHA1 for TOTP second factors (libsodium has no SHA-1).
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's malloc.h (malloc_trim), which the Glibc module leaves out.
        .systemLibrary(name: "CMalloc"),
        // ICU is reached through a C target whose public header holds only plain C types:
        // a Swift module that could see <unicode/...> clashes with Foundation's own ICU
        // (see README, "Two ICUs in one process").
        .target(
            name: "CICU",
            linkerSettings: [
                // Order matters: Foundation's ICU first, so Foundation binds to its own copy.
                .linkedLibrary("_FoundationICU"),
                .linkedLibrary("icui18n"),
                .linkedLibrary("icuuc"),
                .linkedLibrary("icudata"),
            ]
        ),

        // The libraries that read uploads (libpng, libjpeg-turbo, libwebp, qpdf) behind one plain C
        // header; qpdf is C++ (pdf.cpp), the image codecs are C (images.c).
        .target(
            name: "CUploads",
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("turbojpeg"), .linkedLibrary("webp"), .linkedLibrary("qpdf")]
        ),

        // MARK: Libraries
        // The SQLite wrapper, generic over its caller's error type (docs/architecture.md,
        // "SQLite wrapper: own target, not GRDB").
        .target(name: "SQLiteDB", dependencies: ["CSQLite"], swiftSettings: swiftSettings),
        // Requests the service sends out (webhooks): libcurl, and the policy of where they may connect.
        .target(name: "Outbound", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        .target(
            name: "Store",
            dependencies: [
                "SQLiteDB", "CSodium", "CZlib", "CMalloc", "CCrypto", "Outbound", "CUploads", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Indexer", dependencies: ["Store", "SQLiteDB", "CICU", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .target(
            name: "Query",
            dependencies: [
                "Store", "Indexer", .product(name: "Logging", package: "swift-log"), .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings),
        // The HTTP server knows nothing of the application (like HummingbirdCore): no Store, Query or Web.
        .target(
            name: "HTTPServer",
            dependencies: [
                "CMicroHTTPD",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Web",
            dependencies: [
                "Store", "Query", "HTTPServer", "Outbound", "Spreadsheet", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: swiftSettings),
        // Spreadsheets in and out: the national format as CSV (Japanese headings, one row per
        // consultation), UTF-8 or CP932 through ICU's converters, read and written by CSV.swift.
        .target(
            name: "Spreadsheet", dependencies: ["Store", "CICU", .product(name: "CSV", package: "CSV.swift")], swiftSettings: swiftSettings),
        .target(name: "DemoData", dependencies: ["Store"], swiftSettings: swiftSettings),
        .target(name: "Evaluation", dependencies: ["DemoData", "Query", "Indexer", "Store"], swiftSettings: swiftSettings),
        .target(
            name: "MimamoriTesting",
            dependencies: [
                "Store", "Indexer", "Query", "CUploads", "CZlib", .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: The command-line tool
        .executableTarget(
            name: "mimamori",
            dependencies: [
                "Store", "Indexer", "Query", "HTTPServer", "Web", "DemoData", "Evaluation", "SQLiteDB", "Outbound", "Spreadsheet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(name: "StoreTests", dependencies: ["Store", "SQLiteDB", "MimamoriTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "IndexerTests", dependencies: ["Indexer", "MimamoriTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "MimamoriTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "HTTPServer", "Query", "Store", "Outbound", "MimamoriTesting", .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound"], swiftSettings: swiftSettings),
        .testTarget(name: "SpreadsheetTests", dependencies: ["Spreadsheet", "Store", "MimamoriTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Indexer", "Store", "SQLiteDB", "MimamoriTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "DemoDataTests", dependencies: ["DemoData", "MimamoriTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MimamoriTests",
            dependencies: ["Store", "DemoData", "Evaluation", "MimamoriTesting"],
            swiftSettings: swiftSettings
        ),
    ]
)
