import DemoData
import Foundation
import MimamoriTesting
import Store
import Testing

/// The dataset against the importer's own validator: untidy, but never impossible.
struct ImportContractTests {
    @Test("every generated record passes the import validator, and its dates read back to the truth")
    func recordsValidate() throws {
        let sample = try DemoDataSample.shared.get()
        let validator = try DemoDataSample.validator()
        var failures = 0
        for (demoCase, line) in zip(sample.cases, sample.lines) {
            switch validator.validate(json: Array(line.utf8)) {
            case .success(let record):
                #expect(record.externalID == demoCase.externalID)
                if let birthdate = record.child.birthdate {
                    #expect(birthdate.year == demoCase.child.birthdate.year)
                    #expect(birthdate.month.map { $0 == demoCase.child.birthdate.month } != false)
                    #expect(birthdate.day.map { $0 == demoCase.child.birthdate.day } != false, "\(demoCase.child.written.birthdate ?? "")")
                }
                #expect(record.guardians.count == demoCase.guardians.count)
                #expect(record.household.count == demoCase.household.count)
            case .failure(let invalid):
                failures += 1
                if failures <= 10 { Issue.record("\(demoCase.externalID): \(invalid)") }
            }
        }
        #expect(failures == 0)
    }
}

/// Stored bodies are written by `Cases.encode` (`BodyWriter`), which must be the bytes of
/// `JSONEncoder` for every record the generator makes.
struct BodyWriterContractTests {
    @Test("every generated record's body is written byte for byte as JSONEncoder writes it")
    func bodiesMatch() throws {
        let sample = try DemoDataSample.shared.get()
        let validator = try DemoDataSample.validator()
        var compared = 0
        for line in sample.lines {
            guard case .success(let record) = validator.validate(json: Array(line.utf8)) else { continue }
            let expected = try record.jsonEncoded()
            #expect(Array(Cases.encode(record).utf8) == Array(expected.utf8), "\(expected)")
            compared += 1
        }
        #expect(compared == sample.lines.count)
    }
}
