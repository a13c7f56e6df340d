import DemoData
import Foundation
import Testing

/// The dataset must be untidy at the advertised rates: each is measured on the JSON of 20,000
/// cases (about 72,000 people) and must lie within a band around its target.
struct UntidinessRateTests {
    /// Counts matches of `isUntidy` among `population` and checks the share lies in `band`.
    private func expectShare<T>(
        _ population: [T], in band: ClosedRange<Double>, _ label: String,
        sourceLocation: SourceLocation = #_sourceLocation, _ isUntidy: (T) -> Bool
    ) {
        let count = population.filter(isUntidy).count
        let share = Double(count) / Double(max(population.count, 1))
        #expect(population.count > 1000, "\(label): only \(population.count) in the population", sourceLocation: sourceLocation)
        #expect(band.contains(share), "\(label): \(count) of \(population.count) = \(share)", sourceLocation: sourceLocation)
    }

    /// People with Japanese names: the ones whose readings and names may be untidy.
    private func japanesePeople() throws -> [(truth: DemoPerson, json: JSONValue)] {
        try DemoDataSample.shared.get().people.filter { !$0.truth.isForeignNational }
    }

    private func reading(_ json: JSONValue) -> String? { json["family_name_kana"].string }

    @Test("about 5% of readings are half-width katakana")
    func halfWidthReadings() throws {
        expectShare(try japanesePeople(), in: 0.03...0.07, "half-width") { person in
            reading(person.json)?.unicodeScalars.contains { (0xFF66...0xFF9F).contains($0.value) } == true
        }
    }

    @Test("about 10% of readings are hiragana")
    func hiraganaReadings() throws {
        expectShare(try japanesePeople(), in: 0.075...0.125, "hiragana") { person in
            reading(person.json)?.unicodeScalars.contains { (0x3041...0x3096).contains($0.value) } == true
        }
    }

    @Test("about 3% of people have no reading, and then neither kana key")
    func missingReadings() throws {
        let people = try japanesePeople()
        expectShare(people, in: 0.02...0.04, "missing") { reading($0.json) == nil }
        for person in people where reading(person.json) == nil {
            #expect(person.json["given_name_kana"] == .absent)
        }
    }

    @Test("readings in every form spell the true reading")
    func readingsSpellTheTruth() throws {
        for person in try japanesePeople() {
            guard let family = reading(person.json) else { continue }
            let written = normalise(family + (person.json["given_name_kana"].string.map { "\u{3000}" + $0 } ?? ""))
            var truth = person.truth.familyNameKana + "\u{3000}" + person.truth.givenNameKana
            if person.truth.written.readingForm == .halfWidth {
                // Half-width katakana has no ヰ or ヱ: ｲ and ｴ stand for them.
                truth = truth.replacingOccurrences(of: "ヰ", with: "イ").replacingOccurrences(of: "ヱ", with: "エ")
            }
            #expect(written == truth, "\(family) for \(truth)")
        }
    }

    @Test("about 4% of family names with a variant character are written with it")
    func variantKanji() throws {
        let variants: [Character: Character] = ["高": "髙", "崎": "﨑", "斎": "齋", "辺": "邊", "沢": "澤", "浜": "濱", "国": "國", "桜": "櫻"]
        let applicable = try japanesePeople().filter { $0.truth.familyName.contains { variants[$0] != nil } }
        expectShare(applicable, in: 0.025...0.055, "variant kanji") { person in
            let written = person.json["family_name"].string ?? ""
            let familyPart = Array(written.split(separator: "\u{3000}").first.map(String.init) ?? "")
            let truth = Array(person.truth.familyName)
            guard familyPart.count == truth.count, familyPart != truth else { return false }
            let differences = zip(familyPart, truth).filter { $0 != $1 }
            return differences.count == 1 && differences.allSatisfy { variants[$0.1] == $0.0 }
        }
    }

    @Test("about 2% of given names are hiragana only")
    func hiraganaGivenNames() throws {
        expectShare(try japanesePeople(), in: 0.013...0.028, "hiragana given names") { person in
            person.truth.givenName.unicodeScalars.allSatisfy { (0x3041...0x3096).contains($0.value) || $0 == "ー" }
        }
    }

    @Test("about 2% of names are written whole in family_name with a full-width space")
    func joinedNames() throws {
        let people = try japanesePeople()
        expectShare(people, in: 0.013...0.028, "joined") { $0.json["family_name"].string?.contains("\u{3000}") == true }
        for person in people where person.json["family_name"].string?.contains("\u{3000}") == true {
            #expect(person.json["given_name"] == .absent)
            #expect(person.json["family_name"].string?.hasSuffix("\u{3000}" + person.truth.givenName) == true)
        }
    }

    @Test("children's birthdates: about 1% year only, 1% year and month, 1% omitted")
    func partialBirthdates() throws {
        let children = try DemoDataSample.shared.get().records.map { $0["child"]["birthdate"] }
        expectShare(children, in: 0.005...0.016, "year only") { $0.string?.wholeMatch(of: /\d{4}/) != nil }
        expectShare(children, in: 0.005...0.016, "year and month") { $0.string?.wholeMatch(of: /\d{4}-\d{2}/) != nil }
        expectShare(children, in: 0.005...0.016, "omitted") { $0 == .absent }
    }

    @Test("about 5% of whole birthdates are written in another common form")
    func otherBirthdateForms() throws {
        let whole = try DemoDataSample.shared.get().people.compactMap { $0.json["birthdate"].string }
            .filter { $0.count > 7 }
        expectShare(whole, in: 0.035...0.065, "other forms") { $0.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil }
    }

    @Test("about 3% of children are foreign nationals, 1% of sexes unknown, 70% of cases open")
    func caseLevelRates() throws {
        let sample = try DemoDataSample.shared.get()
        let children = sample.records.map { $0["child"] }
        expectShare(children, in: 0.02...0.04, "foreign") { $0["nationality"].string != "JP" }
        expectShare(children, in: 0.005...0.016, "unknown sex") { $0["sex"].string == "unknown" }
        expectShare(sample.records, in: 0.67...0.73, "open") { $0["status"].string == "open" }
        expectShare(sample.records, in: 0.035...0.065, "no guardian") { $0["guardians"].array.isEmpty }
        expectShare(sample.records, in: 0.31...0.39, "one guardian") { $0["guardians"].array.count == 1 }
        expectShare(sample.records, in: 0.56...0.64, "two guardians") { $0["guardians"].array.count == 2 }
        expectShare(sample.records, in: 0.0...0.0, "more than three siblings") { record in
            record["household"].array.filter { ["sibling", "half_sibling"].contains($0["relation"].string) }.count > 3
        }
    }

    /// Half-width and hiragana readings folded back to full-width katakana, the way an indexer would.
    private func normalise(_ text: String) -> String {
        let halfWidth = text.applyingTransform(.fullwidthToHalfwidth, reverse: true) ?? text
        return halfWidth.applyingTransform(.hiraganaToKatakana, reverse: false) ?? halfWidth
    }
}
