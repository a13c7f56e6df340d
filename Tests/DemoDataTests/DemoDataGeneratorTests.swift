import DemoData
import Foundation
import MimamoriTesting
import Store
import Testing

struct DemoDataGeneratorTests {
    private func lines(seed: UInt64, count: Int) throws -> [String] {
        var generator = try DemoDataGenerator(dictionaries: DictionaryDirectory.locate(), seed: seed)
        return (0..<count).map { _ in generator.next().jsonLine }
    }

    @Test("the same seed gives byte-identical output")
    func sameSeedSameBytes() throws {
        let first = try lines(seed: 42, count: 500).joined(separator: "\n")
        let second = try lines(seed: 42, count: 500).joined(separator: "\n")
        #expect(Data(first.utf8) == Data(second.utf8))
    }

    @Test("different seeds give different datasets")
    func differentSeedsDiffer() throws {
        let a = try lines(seed: 1, count: 50)
        let b = try lines(seed: 2, count: 50)
        #expect(zip(a, b).allSatisfy { $0 != $1 })
    }

    @Test("the first records do not depend on how many follow")
    func prefixIsStable() throws {
        let short = try lines(seed: 7, count: 20)
        let long = try lines(seed: 7, count: 200)
        #expect(Array(long.prefix(20)) == short)
    }

    @Test("a missing dictionaries folder is a clear error")
    func missingDictionaries() {
        let error = #expect(throws: DemoDataError.self) {
            try DemoDataGenerator(dictionaries: URL(fileURLWithPath: "/nonexistent/dictionaries"), seed: 1)
        }
        #expect(error?.description.contains("authorities.csv") == true)
    }

    /// A dictionaries folder with the real authority lists and the given name list.
    private func dictionaries(names: [String]) throws -> TemporaryDirectory {
        let folder = TemporaryDirectory("demo-dictionaries")
        let real = try DictionaryDirectory.locate()
        for file in ["authorities.csv", "child-guidance-centres.csv"] {
            try FileManager.default.copyItem(at: real.appendingPathComponent(file), to: folder.file(file))
        }
        try Data(names.joined().utf8).write(to: folder.file("person-names.tsv"))
        return folder
    }

    @Test("a malformed name list is an error naming the file and line")
    func malformedNames() throws {
        let folder = try dictionaries(names: [
            "kind\tname\treading\tsex\tweight\n", "family\t山田\tヤマダ\tany\t3\n", "given\t太郎\tタロウ\tmale\tmany\n",
        ])
        let error = #expect(throws: DemoDataError.self) { try DemoDataGenerator(dictionaries: folder.url, seed: 1) }
        #expect(error?.description.contains("person-names.tsv, line 3") == true, "\(String(describing: error))")
        #expect(error?.description.contains("many") == true)
    }

    @Test("a reading in kanji is refused")
    func kanjiReading() throws {
        let folder = try dictionaries(names: ["kind\tname\treading\tsex\tweight\n", "family\t山田\t山田\tany\t3\n"])
        #expect(throws: DemoDataError.self) { try DemoDataGenerator(dictionaries: folder.url, seed: 1) }
    }

    @Test("a name list with CRLF line ends reads like one with LF")
    func crlfNames() throws {
        let rows = [
            "kind\tname\treading\tsex\tweight", "family\t山田\tヤマダ\tany\t3", "given\t太郎\tタロウ\tmale\t1",
            "given\t花子\tハナコ\tfemale\t1",
        ]
        let lf = try dictionaries(names: rows.map { $0 + "\n" })
        let crlf = try dictionaries(names: rows.map { $0 + "\r\n" })
        var a = try DemoDataGenerator(dictionaries: lf.url, seed: 3)
        var b = try DemoDataGenerator(dictionaries: crlf.url, seed: 3)
        for _ in 0..<20 { #expect(a.next().jsonLine == b.next().jsonLine) }
        #expect(a.next().child.familyName == "山田")
    }

    @Test("every line is one JSON object with the required keys and known values")
    func linesAreValidRecords() throws {
        let sample = try DemoDataSample.shared.get()
        let identityKeys: Set = ["family_name", "given_name", "family_name_kana", "given_name_kana", "birthdate", "sex"]
        for (line, record) in zip(sample.lines, sample.records) {
            #expect(!line.contains("\n"))
            #expect(
                record.keys.isSuperset(of: [
                    "external_id", "authority", "status", "child", "guardians", "household",
                    "address", "institutions", "family_situation", "consultations",
                ]))
            #expect(
                record.keys.isSubset(of: [
                    "external_id", "authority", "status", "child", "guardians", "household", "address",
                    "institutions", "family_situation", "consultations", "notes",
                ]))
            #expect(["open", "closed"].contains(record["status"].string))
            let child = record["child"]
            #expect(child.keys.isSubset(of: identityKeys.union(["romaji", "nationality"])))
            #expect(child["family_name"].string?.isEmpty == false)
            #expect(["male", "female", "unknown"].contains(child["sex"].string))
            #expect(child["nationality"].string?.count == 2)
            for guardian in record["guardians"].array {
                #expect(guardian.keys.isSubset(of: identityKeys.union(["relation"])))
                #expect(
                    ["mother", "father", "stepmother", "stepfather", "grandmother", "grandfather", "foster_parent", "other"]
                        .contains(guardian["relation"].string))
            }
            for member in record["household"].array {
                #expect(member.keys.isSubset(of: identityKeys.union(["relation"])))
                #expect(["sibling", "half_sibling", "grandparent", "partner_of_guardian", "other"].contains(member["relation"].string))
            }
            let address = record["address"]
            #expect(address.keys == ["prefecture", "municipality", "municipality_code", "line"])
            for institution in record["institutions"].array {
                #expect(
                    ["nursery", "kindergarten", "elementary_school", "junior_high_school", "high_school", "other"]
                        .contains(institution["kind"].string))
                #expect(["attending", "irregular", "not_attending", "not_applicable"].contains(institution["schooling"].string))
                #expect(institution["name"].string?.isEmpty == false)
            }
            let consultations = record["consultations"].array
            #expect((1...4).contains(consultations.count))
            for consultation in consultations {
                #expect(
                    ["police", "school", "nursery", "neighbour", "family", "relative", "medical", "welfare", "child", "anonymous", "other"]
                        .contains(consultation["source"].string))
                let types = consultation["abuse_types"].array.compactMap(\.string)
                #expect(!types.isEmpty && Set(types).isSubset(of: ["physical", "neglect", "psychological", "sexual"]))
                #expect(consultation["assessment"].string?.isEmpty == false)
                #expect(consultation["response"].string?.isEmpty == false)
            }
            #expect(record["family_situation"].string?.isEmpty == false)
        }
    }

    @Test("the JSON carries the case it was rendered from")
    func jsonMatchesTruth() throws {
        let sample = try DemoDataSample.shared.get()
        for (demoCase, record) in zip(sample.cases, sample.records) {
            #expect(record["external_id"].string == demoCase.externalID)
            #expect(record["authority"].string == demoCase.authority)
            #expect(record["guardians"].array.count == demoCase.guardians.count)
            #expect(record["household"].array.count == demoCase.household.count)
            #expect(record["consultations"].array.map { $0["date"].string } == demoCase.consultations.map(\.date.iso))
        }
        for (person, json) in sample.people {
            #expect(json["family_name"].string == person.written.familyName)
            #expect(json["given_name"].string == person.written.givenName)
            #expect(json["birthdate"].string == person.written.birthdate)
            #expect(json["sex"].string == person.written.sex.rawValue)
            #expect(json["relation"].string == person.relation?.rawValue)
        }
    }

    @Test("external_id is unique per authority and names the year of the first consultation")
    func externalIDs() throws {
        let sample = try DemoDataSample.shared.get()
        var seen = Set<String>()
        for demoCase in sample.cases {
            #expect(seen.insert(demoCase.authority + " " + demoCase.externalID).inserted, "\(demoCase.externalID) repeats")
            let year = String(demoCase.consultations[0].date.year)
            #expect(demoCase.externalID.hasPrefix(demoCase.authority + "-" + year + "-"))
            #expect(demoCase.externalID.count == demoCase.authority.count + 11)
        }
    }

    @Test("the child's address lies in the holder's jurisdiction")
    func addressInJurisdiction() throws {
        let sample = try DemoDataSample.shared.get()
        var centres = 0
        var prefectures = Set<String>()
        for record in sample.records {
            let authority = try #require(record["authority"].string)
            let address = record["address"]
            let code = try #require(address["municipality_code"].string)
            let municipality = try #require(sample.oracle.municipalities[code], "unknown municipality \(code)")
            #expect(address["prefecture"].string == municipality.prefecture)
            #expect(address["municipality"].string == municipality.name)
            #expect(address["line"].string?.isEmpty == false)
            prefectures.insert(municipality.prefecture)
            if let jurisdiction = sample.oracle.jurisdictions[authority] {
                centres += 1
                #expect(jurisdiction.contains(code), "\(code) is outside CGC \(authority)'s jurisdiction")
            } else {
                #expect(authority == code, "municipality \(authority) holds a case of \(code)")
            }
        }
        #expect(prefectures.count == 47)
        let share = Double(centres) / Double(sample.records.count)
        #expect((0.55...0.65).contains(share), "CGC share \(share)")
    }

    @Test("Tokyo holds the most cases and Tottori the fewest")
    func spreadByPopulation() throws {
        let sample = try DemoDataSample.shared.get()
        var counts: [String: Int] = [:]
        for demoCase in sample.cases { counts[demoCase.address.prefecture, default: 0] += 1 }
        let ranked = counts.sorted { $0.value > $1.value }
        #expect(ranked.first?.key == "東京都")
        #expect(ranked.suffix(3).map(\.key).contains("鳥取県"))
    }

    @Test("children are 0 to 17 years old at 2026-04-01, guardians plausibly older")
    func ages() throws {
        let sample = try DemoDataSample.shared.get()
        for demoCase in sample.cases {
            let child = demoCase.child
            #expect((0...17).contains(child.ageAtReference), "child born \(child.birthdateISO)")
            for guardian in demoCase.guardians {
                let ageAtBirth = guardian.birthdate.age(on: child.birthdate)
                switch guardian.relation {
                case .mother, .father, .stepmother, .stepfather: #expect((18...45).contains(ageAtBirth))
                default: #expect((15...70).contains(ageAtBirth))
                }
            }
            for member in demoCase.household {
                #expect(member.birthdate <= DemoDate.reference)
            }
            for consultation in demoCase.consultations {
                #expect(child.birthdate <= consultation.date && consultation.date <= DemoDate.reference)
            }
            #expect(demoCase.consultations.map(\.date) == demoCase.consultations.map(\.date).sorted())
        }
    }

    @Test("siblings share the child's family name; given names fit the person's sex")
    func namesFitTheFamily() throws {
        let sample = try DemoDataSample.shared.get()
        for demoCase in sample.cases {
            for sibling in demoCase.household where sibling.relation == .sibling {
                #expect(sibling.familyName == demoCase.child.familyName)
            }
        }
        for (person, _) in sample.people where !person.isForeignNational {
            #expect(
                sample.oracle.familyNames[person.familyName]?.contains(person.familyNameKana) == true,
                "\(person.familyName) \(person.familyNameKana) (\(person.relation?.rawValue ?? "child")) is not in the dictionary")
            // Modern given names of the held-out list are not in the dictionary, by design.
            if person.written.heldOutName { continue }
            let listed = sample.oracle.givenNames[person.givenName] ?? []
            let isHiragana = person.givenName.unicodeScalars.allSatisfy { (0x3041...0x3096).contains($0.value) || $0 == "ー" }
            if isHiragana {
                // Listed so in the dictionary, or a listed name written in the hiragana of its reading.
                #expect(person.givenName.applyingTransform(.hiraganaToKatakana, reverse: false) == person.givenNameKana)
            } else {
                #expect(
                    listed.contains { ($0.sex == "any" || $0.sex == person.sex.rawValue) && $0.reading == person.givenNameKana },
                    "\(person.givenName) \(person.givenNameKana) (\(person.relation?.rawValue ?? "child")) is not a \(person.sex) given name")
            }
        }
    }

    @Test("foreign-national children have Latin or kanji names, katakana readings (some none) and a romaji name, or katakana only")
    func foreignNationals() throws {
        let sample = try DemoDataSample.shared.get()
        let latinCountries: Set = ["VN", "PH", "BR", "NP", "US"]
        var nationalities = Set<String>()
        for demoCase in sample.cases where demoCase.child.isForeignNational {
            let child = demoCase.child
            nationalities.insert(child.nationality)
            if child.written.katakanaOnly {
                // The name in katakana only: no Latin or kanji spelling, no romaji.
                #expect(child.written.romaji == nil)
                #expect(isKatakana(child.written.familyName))
                #expect(child.written.familyName == child.familyNameKana)
                continue
            }
            let romaji = try #require(child.written.romaji)
            #expect(romaji.wholeMatch(of: /[A-Z]+ [A-Z]+/) != nil, "romaji \(romaji)")
            #expect(romaji == child.romaji)
            if child.written.readingForm != .missing {
                #expect(child.written.familyNameKana.map(isKatakana) == true)
                #expect(child.written.givenNameKana.map(isKatakana) == true)
            } else {
                #expect(child.written.familyNameKana == nil && child.written.givenNameKana == nil)
            }
            if latinCountries.contains(child.nationality) {
                #expect(child.written.familyName.wholeMatch(of: /[A-Z]+/) != nil, "\(child.written.familyName)")
                #expect(child.written.givenName?.wholeMatch(of: /[A-Z]+/) != nil)
                #expect(romaji == child.written.familyName + " " + (child.written.givenName ?? ""))
            } else {
                #expect(child.written.familyName.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) })
            }
        }
        #expect(nationalities == ["VN", "CN", "PH", "BR", "KR", "NP", "US"])
    }

    @Test("every birthdate form occurs and each reads back to the true date, with the right era")
    func birthdateForms() throws {
        let sample = try DemoDataSample.shared.get()
        var forms = Set<BirthdateReader.Form>()
        var omitted = 0
        for (person, json) in sample.people {
            guard let text = json["birthdate"].string else {
                omitted += 1
                continue
            }
            let reading = try #require(BirthdateReader.read(text), "birthdate \"\(text)\" is in no known form")
            forms.insert(reading.form)
            #expect(reading.year == person.birthdate.year, "\(text) for \(person.birthdateISO)")
            if let month = reading.month { #expect(month == person.birthdate.month, "\(text) for \(person.birthdateISO)") }
            if let day = reading.day { #expect(day == person.birthdate.day, "\(text) for \(person.birthdateISO)") }
            if let era = reading.era {
                #expect(
                    era == BirthdateReader.eraLetter(year: person.birthdate.year, month: person.birthdate.month, day: person.birthdate.day),
                    "\(text) for \(person.birthdateISO)")
            }
            if reading.form == .yearOnly || reading.form == .yearMonth { #expect(person.relation == nil) }
        }
        #expect(forms == Set(BirthdateReader.Form.allCases))
        #expect(omitted > 0)
    }

    @Test("consultations close with the case; an open case has an open last consultation")
    func consultationStatus() throws {
        let sample = try DemoDataSample.shared.get()
        for demoCase in sample.cases {
            let statuses = demoCase.consultations.map(\.status)
            #expect(statuses.dropLast().allSatisfy { $0 == .closed })
            #expect(statuses.last == demoCase.status)
        }
    }

    private func isKatakana(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { (0x30A1...0x30FC).contains($0.value) }
    }
}
