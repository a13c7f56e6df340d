import Foundation
import MimamoriTesting
import Testing
import Web

/// docs/openapi.yaml must describe exactly the routes the server answers, with the
/// statuses they give.
struct OpenAPITests {
    /// The documented operations: (method, path) → documented status codes. A deliberately
    /// small reader of the document's fixed layout (paths at two spaces, methods at four,
    /// status codes at eight).
    static func documented() throws -> [Route: Set<Int>] {
        let url = TestStore.dictionaries.deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        var operations: [Route: Set<Int>] = [:]
        var path: String?
        var current: Route?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("components:") { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
                current = nil
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "),
                let method = ["get", "post", "patch", "delete", "head", "put"].first(where: { line == "    \($0):" })
            {
                current = Route(method.uppercased(), path)
                operations[current!] = []
            } else if let route = current, line.hasPrefix("        \""), let code = Int(line.dropFirst(9).prefix(3)) {
                operations[route]!.insert(code)
            }
        }
        return operations
    }

    @Test("the document is valid YAML that an OpenAPI 3.1 tool reads, with the same paths as this reader finds")
    func parsesAsYAML() throws {
        let url = TestStore.dictionaries.deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")
        let script = """
            import sys, yaml
            document = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
            assert str(document["openapi"]).startswith("3.1"), document["openapi"]
            print(sum(1 for item in document["paths"].values() for key in item if key in ("get", "post", "put", "patch", "delete", "head")))
            """
        let run = try CommandRun.program(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, url.path])
        #expect(run.status == 0, "\(run.standardError.suffix(800))")
        #expect(Int(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) == (try Self.documented().count))
    }

    @Test("every route is documented and every documented route exists")
    func routesMatch() throws {
        let documented = try Self.documented()
        #expect(Set(documented.keys) == Set(WebApplication.routes))
        for (route, statuses) in documented {
            #expect(statuses.contains { (200..<300).contains($0) }, "\(route.method) \(route.template) documents no success")
        }
    }

    @Test("every route answers an unauthenticated request as documented")
    func unauthenticatedAnswersAreDocumented() throws {
        let f = try APIFixture()
        let documented = try Self.documented()
        for route in WebApplication.routes {
            let path = route.template.replacingOccurrences(of: "{id}", with: f.caseID)
            let reply = try f.send(route.method, path, body: route.method == "POST" ? Array("{}".utf8) : [])
            #expect(documented[route]?.contains(reply.status) == true, "\(route.method) \(route.template) answered \(reply.status)")
        }
    }
}
