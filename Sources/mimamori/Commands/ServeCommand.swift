import ArgumentParser
import Dispatch
import Foundation
import Web

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve HTTP on libmicrohttpd: /healthz and the search API (GET /api/v1/search with a bearer token)."
    )

    @OptionGroup var options: DataOptions
    @Option(help: "The numeric IPv4 address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0: any free port, printed on start).") var port: UInt16 = 8080
    @Option(help: "Worker threads.") var threads = 4

    func run() throws {
        // The store opens (recovering any interrupted write) and the index catches up before anything is served.
        let engine = try options.openSearch()
        var configuration = HTTPServer.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.threads = max(1, threads)
        let application = WebApplication(engine: engine)
        let server = HTTPServer(configuration: configuration) { application.handle($0) }
        let bound = try server.start()
        // Written unbuffered, so a script reading the port sees it at once.
        FileHandle.standardOutput.write(Data("Serving on http://\(host):\(bound)/ (SIGTERM or Ctrl-C stops after requests in flight)\n".utf8))
        let stopped = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stopped.signal() }
            source.resume()
            sources.append(source)
        }
        stopped.wait()
        server.stop()
        print("Stopped.")
    }
}
