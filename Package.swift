// swift-tools-version:6.1
import PackageDescription

// Layers import only downward:
// PraxisProtocol → PraxisDomain → PraxisStore → PraxisCommands → PraxisProjections → PraxisSync → PraxisServer → praxis.
// PraxisCommands is the application service: it loads states from the store, decides, appends.
// PraxisProtocol depends on swift-crypto alone, so an iOS or macOS client can import it.
let package = Package(
    name: "praxis",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "PraxisProtocol", targets: ["PraxisProtocol"]),
        .executable(name: "praxis", targets: ["praxis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Already part of Hummingbird; named so the server can add a channel handler of its own.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        .target(
            name: "PraxisProtocol",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "PraxisDomain", dependencies: ["PraxisProtocol"]),
        .target(
            name: "PraxisStore",
            dependencies: [
                "PraxisProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PraxisPostgres",
            dependencies: [
                "PraxisProtocol", "PraxisStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PraxisCommands",
            dependencies: ["PraxisProtocol", "PraxisDomain", "PraxisStore", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "PraxisProjections",
            dependencies: [
                "PraxisProtocol", "PraxisDomain", "PraxisStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "PraxisDemo",
            dependencies: [
                "PraxisProtocol", "PraxisDomain", "PraxisStore", "PraxisCommands",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "PraxisSync",
            dependencies: [
                "PraxisProtocol", "PraxisDomain", "PraxisStore", "PraxisCommands",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "PraxisServer",
            dependencies: [
                "PraxisProtocol",
                "PraxisDomain",
                "PraxisStore",
                "PraxisCommands",
                "PraxisProjections",
                "PraxisSync",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "praxis",
            dependencies: [
                "PraxisProtocol",
                "PraxisDomain",
                "PraxisStore",
                "PraxisPostgres",
                "PraxisCommands",
                "PraxisDemo",
                "PraxisProjections",
                "PraxisSync",
                "PraxisServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PraxisProtocolTests", dependencies: ["PraxisProtocol"]),
        .testTarget(
            name: "PraxisDomainTests",
            dependencies: ["PraxisProtocol", "PraxisDomain", "PraxisStore", "PraxisCommands", "PraxisDemo"]
        ),
        .testTarget(
            name: "PraxisProjectionsTests",
            dependencies: [
                "PraxisProtocol", "PraxisDomain", "PraxisStore", "PraxisCommands", "PraxisDemo", "PraxisProjections",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "PraxisStoreTests",
            dependencies: [
                "PraxisProtocol", "PraxisStore", "PraxisPostgres", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "PraxisServerTests",
            dependencies: [
                "PraxisDemo",
                "PraxisProtocol",
                "PraxisStore",
                "PraxisServer",
                "PraxisDomain",
                "PraxisProjections",
                "PraxisSync",
                "PraxisCommands",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PraxisCLITests",
            dependencies: [
                "PraxisProtocol", "PraxisStore", "PraxisProjections", "praxis", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ])
    target.swiftSettings = settings
}
