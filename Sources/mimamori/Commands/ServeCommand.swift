import ArgumentParser
import Dispatch
import Foundation
import HTTPServer
import Logging
import Outbound
import Prometheus
import Query
import SQLiteDB
import Store
import Web

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the staff web UI and the JSON API (docs/openapi.yaml) on libmicrohttpd; retention and webhooks run in the background.",
        discussion: """
            With --tls-cert and --tls-key it serves HTTPS. Each answered request is logged to standard error \
            as one JSON line (time, method, route template, status, duration, bytes, peer address; never a \
            path, query, header or body); --no-access-log turns that off.

            Only requests naming a served host in their Host header are answered (others get 421): the \
            loopback names (localhost, 127.0.0.1, [::1]), the --host address unless it is 0.0.0.0, and the \
            host of each --public-url. Give --public-url for every name users reach the service by.

            A client must send a request's headers within --header-timeout seconds (of connecting, or of \
            the request's first byte on a kept-alive connection) and its body within --body-timeout \
            seconds, extended by a second per --min-body-rate bytes received; a slower one is disconnected.
            """
    )

    @Option(
        help: ArgumentHelp(
            "A configuration file (mimamori.toml): each key a long option name of serve (port = 8080, public-url = [\"https://…\"], access-log = false); options given here override it.",
            valueName: "file"))
    var config: String?
    @OptionGroup var options: DataOptions
    @OptionGroup var audit: AuditKeyOptions
    @Option(help: "The numeric IPv4 address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0: any free port, printed on start).") var port: UInt16 = 8080
    @Option(
        help:
            "Threads that answer requests (1-256; any request on any free one). Most of a search's time is spent waiting for its audit entry's commit, so more threads than cores; searches rank on at most one thread per core at once."
    ) var threads = 16
    @Option(help: "Connections one client address may hold at once (0: no limit; raise it behind a reverse proxy).")
    var connectionsPerAddress = 256
    @Option(
        name: .customLong("public-url"),
        help: ArgumentHelp(
            "A URL users reach the service at, e.g. https://mimamori.example.lg.jp (repeatable): requests naming its host are served.",
            valueName: "url"))
    var publicURLs: [String] = []
    @Option(help: ArgumentHelp("Seconds a client has to send a request's line and headers.", valueName: "seconds"))
    var headerTimeout = 10
    @Option(help: ArgumentHelp("Seconds a client has to send a request's body, plus one per --min-body-rate bytes received.", valueName: "seconds"))
    var bodyTimeout = 60
    @Option(help: ArgumentHelp("Body bytes per second that extend --body-timeout by a second each (0: --body-timeout in all).", valueName: "bytes"))
    var minBodyRate = 32 * 1024
    @Option(help: ArgumentHelp("A PEM certificate (chain) to serve HTTPS with; needs --tls-key.", valueName: "file"))
    var tlsCert: String?
    @Option(help: ArgumentHelp("The certificate's PEM private key (unencrypted); needs --tls-cert.", valueName: "file"))
    var tlsKey: String?
    @Flag(inversion: .prefixedNo, help: "Log one JSON line per request to standard error.") var accessLog = true
    @Option(
        name: .customLong("webhook-allow-network"),
        help: ArgumentHelp(
            "A private or special-purpose network (CIDR, e.g. 10.20.0.0/16 for an LGWAN segment) webhooks may be sent to; repeatable. Public addresses need none; loopback and link-local are never allowed.",
            valueName: "cidr"))
    var webhookAllowNetworks: [String] = []
    @Option(
        help: ArgumentHelp(
            "Replicate the catalogue and every partition continuously with Litestream, to a replica URL (file:///srv/replica, s3://bucket/path?endpoint=…, sftp://user@host/path) or as a Litestream configuration file (.yml) says; Litestream then owns WAL checkpoints (docs/operations.md).",
            valueName: "url-or-file"))
    var replicate: String?
    @Option(help: ArgumentHelp("The Litestream executable (default: litestream on the PATH, else .tools/venv/bin/litestream).", valueName: "file"))
    var litestream: String?
    @Option(
        help: ArgumentHelp(
            "Litestream's control socket, when --replicate names a configuration file that enables it (socket: {enabled: true, path: …}): /healthz then reports each file's replication lag.",
            valueName: "file"))
    var litestreamSocket: String?
    @Option(
        help: ArgumentHelp(
            "Seconds a replicated file's replica may lag (since it last confirmed the file's whole position) before /healthz says degraded.",
            valueName: "seconds"))
    var replicationLagLimit = 10

    /// The longest request deadline an operator may set, in seconds (a day).
    static let maxTimeout = 86_400

    func validate() throws {
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)] where !(1...Self.maxTimeout).contains(value) {
            throw ValidationError("\(name) must be between 1 and \(Self.maxTimeout) seconds")
        }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
        guard minBodyRate >= 0 else { throw ValidationError("--min-body-rate must be 0 or more bytes per second") }
        for url in publicURLs { _ = try Self.hostName(ofPublicURL: url) }
        switch (tlsCert, tlsKey) {
        case (nil, nil): break
        case (.some(let cert), .some(let key)):
            _ = try Self.read(cert, "--tls-cert")
            _ = try Self.read(key, "--tls-key")
        case (.some, nil): throw ValidationError("--tls-cert needs --tls-key (the certificate's private key)")
        case (nil, .some): throw ValidationError("--tls-key needs --tls-cert (the certificate it belongs to)")
        }
        _ = try webhookPolicy()
        guard replicationLagLimit >= 1 else { throw ValidationError("--replication-lag-limit must be 1 second or more") }
        if litestreamSocket != nil, replicate.map(Self.isConfigurationFile) != true {
            throw ValidationError("--litestream-socket goes with --replicate CONFIG.yml (with a replica URL, serve configures the socket itself)")
        }
        if let replicate {
            guard LitestreamProcess.locate(explicit: litestream) != nil else {
                throw ValidationError(
                    "--replicate needs Litestream: none at \(litestream ?? "litestream on the PATH or .tools/venv/bin") (make setup installs it)")
            }
            if !Self.isConfigurationFile(replicate) { _ = try LitestreamReplica(replicate, option: "--replicate") }
        }
    }

    /// Whether `--replicate` names a Litestream configuration file rather than a replica URL.
    private static func isConfigurationFile(_ text: String) -> Bool {
        (text.hasSuffix(".yml") || text.hasSuffix(".yaml")) && !text.contains("://")
    }

    /// Starts Litestream on the store's files: the given configuration, or one written for the
    /// replica URL (mode 0600, in the temporary folder: it may hold credentials in its query),
    /// with the monitor of its control socket (the written one's, or `--litestream-socket`).
    private func startReplication(logger: Logger) throws -> (process: LitestreamProcess, monitor: LitestreamMonitor?)? {
        guard let replicate, let executable = LitestreamProcess.locate(explicit: litestream) else { return nil }
        let configuration: URL
        let socket: String?
        var expected: [String] = []
        if Self.isConfigurationFile(replicate) {
            configuration = URL(fileURLWithPath: replicate)
            socket = litestreamSocket
        } else {
            let temporary = FileManager.default.temporaryDirectory
            // A Unix socket's path has at most 107 bytes: beyond, Litestream could not listen (and
            // would not start); /healthz then reports whether it runs, without lags.
            var written: String? = temporary.appendingPathComponent("mimamori-litestream-\(getpid()).sock").path
            if let path = written, path.utf8.count > 100 {
                logger.warning("the temporary folder's path is too long for Litestream's control socket; /healthz reports no lag")
                written = nil
            }
            let data = URL(fileURLWithPath: options.data).standardizedFileURL
            let text = try LitestreamReplica(replicate, option: "--replicate").configuration(data: data, socket: written)
            configuration = temporary.appendingPathComponent("mimamori-litestream-\(getpid()).yml")
            unlink(configuration.path)
            guard FileManager.default.createFile(atPath: configuration.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw ValidationError("--replicate: cannot write the Litestream configuration \(configuration.path)") }
            socket = written
            // What the written configuration replicates: the catalogue and the 47 partitions (created before it starts).
            expected =
                [data.appendingPathComponent("catalogue.sqlite").path]
                + (1...47).map {
                    data.appendingPathComponent(String(format: "pref-%02d.sqlite", $0)).path
                }
        }
        let process = LitestreamProcess(executable: executable, configuration: configuration, logger: logger)
        try process.start()
        let monitor = socket.map {
            LitestreamMonitor(
                socket: $0, expected: expected, lagLimit: Double(replicationLagLimit), isRunning: { process.isRunning }, logger: logger)
        }
        monitor?.start()
        return (process, monitor)
    }

    /// The webhook policy from `--webhook-allow-network`, or a usage error that says which
    /// network is wrong and why.
    private func webhookPolicy() throws -> OutboundPolicy {
        var networks: [IPNetwork] = []
        for text in webhookAllowNetworks {
            let network: IPNetwork
            do { network = try IPNetwork(text) } catch { throw ValidationError("--webhook-allow-network \(error)") }
            if let reason = OutboundPolicy.neverAllowed(network) {
                throw ValidationError("--webhook-allow-network \(network): \(reason.rawValue) addresses are never allowed, whatever the list says")
            }
            networks.append(network)
        }
        return OutboundPolicy(allowing: networks)
    }

    func run() throws {
        // Signals are caught before anything starts, so a SIGTERM right after the banner still
        // stops the server in order rather than killing it.
        let stopped = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stopped.signal() }
            source.resume()
            sources.append(source)
        }
        var configuration = HTTPServer.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.threads = threads
        configuration.connectionsPerAddress = max(0, connectionsPerAddress)
        configuration.headerTimeout = .seconds(headerTimeout)
        configuration.bodyTimeout = .seconds(bodyTimeout)
        configuration.minimumBodyRate = minBodyRate
        configuration.allowedHosts = HostName.loopback + (try publicURLs.map { try Self.hostName(ofPublicURL: $0).text })
        configuration.metricsPrefix = WebApplication.metricsPrefix
        if let tlsCert, let tlsKey {
            configuration.tls = (certificatePEM: try Self.read(tlsCert, "--tls-cert"), keyPEM: try Self.read(tlsKey, "--tls-key"))
        }
        if accessLog {
            // One write per line: lines from several threads do not interleave.
            configuration.accessLog = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
        // One registry for the process: the server records its request metrics in it, the Store
        // and the search their figures, and the application serves it at /metrics.
        let registry = PrometheusCollectorRegistry()
        let factory = HTTPMetrics.factory(registry: registry)
        // The store opens (recovering any interrupted write) and the index catches up before anything is served.
        // Other local accounts are kept out of the data folder before anything is opened in it.
        do { try DataFolderPermissions.enforce(URL(fileURLWithPath: options.data), logger: DataOptions.logger) } catch {
            printError("error: \(error)")
            throw ExitStatus.configuration
        }
        // While Litestream replicates the files it checkpoints them; this process does not.
        let engine = try options.openSearch(
            metrics: StoreMetrics(factory: factory), checkpoints: replicate == nil ? .application : .external,
            rankingSlots: ProcessInfo.processInfo.activeProcessorCount)
        let logger = engine.store.logger
        if replicate != nil { try engine.store.maintenance.createAllPartitions() }
        let replication = try startReplication(logger: logger)
        let figures = ServiceFigures(engine: engine, factory: factory)
        let matches = MatchAlerter(engine: engine)
        // Retention runs at start and every hour; a failure is logged and retried next hour.
        let retention = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        retention.schedule(deadline: .now(), repeating: .seconds(3600))
        retention.setEventHandler {
            do {
                let purged = try engine.store.retention.purgeExpired()
                if !purged.isEmpty { logger.notice("retention purged closed cases", metadata: ["cases": "\(purged.count)"]) }
                let removed = try engine.store.retention.housekeeping()
                if !removed.isEmpty {
                    logger.notice(
                        "housekeeping removed old bookkeeping",
                        metadata: [
                            "sessions": "\(removed.sessions)", "webhook_deliveries": "\(removed.webhookDeliveries)",
                            "notifications": "\(removed.notifications)", "login_failures": "\(removed.loginFailures)",
                        ])
                }
            } catch {
                logger.error("retention failed; retrying in an hour", metadata: ["error": "\(error)"])
            }
        }
        retention.resume()
        // Webhooks go out from their outbox every few seconds, never inside the writes that queued them.
        let webhooks = WebhookSender(store: engine.store, policy: try webhookPolicy())
        let sender = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "mimamori.webhooks"))
        sender.schedule(deadline: .now() + 1, repeating: .seconds(5))
        sender.setEventHandler {
            do { try webhooks.sendDue() } catch {
                logger.error("webhook deliveries could not be read or recorded; retrying in 5 s", metadata: ["error": "\(error)"])
            }
        }
        // A case write whose audit row could not reach the catalogue (it answered 500) waits in
        // its partition's outbox: carried every minute, not only at the next start.
        let outbox = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        outbox.schedule(deadline: .now() + 60, repeating: .seconds(60))
        outbox.setEventHandler {
            do { try engine.store.carryOutboxLeftovers() } catch {
                logger.error("outbox entries could not be carried into the audit log; retrying in a minute", metadata: ["error": "\(error)"])
            }
        }
        outbox.resume()
        sender.resume()
        // The audit log's head is signed every minute it grew, and at a clean stop (docs/security.md).
        let checkpoints = try AuditCheckpointer(store: engine.store, options: audit, data: options)
        var health: (@Sendable () -> ReplicationHealth)?
        if let replication {
            let limit = Double(replicationLagLimit)
            health = {
                replication.monitor?.health() ?? ReplicationHealth(running: replication.process.isRunning, lagLimitSeconds: limit, files: nil)
            }
        }
        let application = WebApplication(
            engine: engine,
            metrics: {
                figures.refresh()
                return registry.exposition()
            }, replication: health)
        configuration.bodyLimit = { method, path in WebApplication.bodyLimit(method: method, path: path) }
        let server = HTTPServer(configuration: configuration, registry: registry) { application.handle($0) }
        let bound = try server.start()
        logger.notice("serving these host names only", metadata: ["hosts": "\(server.allowedHosts.map(\.text).sorted().joined(separator: " "))"])
        let scheme = server.isSecure ? "https" : "http"
        // Written unbuffered, so a script reading the port sees it at once.
        FileHandle.standardOutput.write(Data("Serving on \(scheme)://\(host):\(bound)/ (SIGTERM or Ctrl-C stops after requests in flight)\n".utf8))
        stopped.wait()
        server.stop()
        retention.cancel()
        sender.cancel()
        outbox.cancel()
        matches.waitUntilIdle()
        checkpoints.stop()
        // Last: Litestream's final sync carries the last checkpoint and writes.
        replication?.monitor?.stop()
        replication?.process.stop()
        // The configuration written for a replica URL goes with it (its socket Litestream removes).
        if let replicate, !Self.isConfigurationFile(replicate) {
            unlink(FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-litestream-\(getpid()).yml").path)
        }
        print("Stopped.")
    }

    /// The host name of a `--public-url` (`https://mimamori.example.lg.jp`, `http://192.0.2.7:8080`,
    /// `https://[2001:db8::7]`), or a usage error that says what is wrong with it.
    static func hostName(ofPublicURL text: String) throws -> HostName {
        let example = "e.g. https://mimamori.example.lg.jp"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty
        else {
            throw ValidationError("--public-url \(text): not an http or https URL with a host name (\(example))")
        }
        guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil,
            components.path.isEmpty || components.path == "/"
        else {
            throw ValidationError("--public-url \(text): give the scheme, host and port only (\(example)); the service is served from /")
        }
        // An IPv6 literal may come back with or without its brackets.
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let name = HostName(bracketed) else {
            throw ValidationError("--public-url \(text): \(host) is not a host name of letters, digits, '-', '.' (IDN names in their xn-- form)")
        }
        return name
    }

    /// The text of a PEM file named by `option`, or a usage error that says what is wrong.
    private static func read(_ path: String, _ option: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(option) \(path): cannot read the file (missing, or not permitted)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(option) \(path): not a PEM text file (DER? convert with openssl x509 -inform der / openssl pkey -inform der)")
        }
        return text
    }
}
