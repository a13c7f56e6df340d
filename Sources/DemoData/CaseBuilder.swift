/// Builds one case from one random stream: where the child lives and who holds the case, the
/// family, the institutions, the consultations and the free text. People are made (and made
/// untidy) in `CaseBuilder+Person.swift`.
struct CaseBuilder {
    let dictionaries: DemoDictionaries
    var random: SeededRandom

    /// The share of cases held by a child guidance centre rather than a municipality.
    static let centreShare = 0.6
    /// The share of open cases.
    static let openShare = 0.7

    /// A case whose `externalID` is still empty: the generator numbers it.
    mutating func build() -> DemoCase {
        // Where: a municipality drawn by estimated population; the holder is it or its CGC.
        let municipalityIndex = dictionaries.municipalityPicker.draw(&random)
        let municipality = dictionaries.municipalities[municipalityIndex]
        var authority = municipality.code
        var heldByCentre = false
        if random.chance(CaseBuilder.centreShare), let centre = municipality.centre {
            authority = dictionaries.centres[centre].code
            heldByCentre = true
        }
        let (line, town) = addressLine(in: municipality)
        let address = DemoAddress(
            prefecture: municipality.prefectureName, municipality: municipality.name,
            municipalityCode: municipality.code, line: line)

        // Who.
        let origin: Origin = random.chance(PersonRates.foreignChild) ? .foreign(ForeignNames.nationalities.draw(&random)) : .japanese
        let family = makeFamily(origin: origin)

        // What happened.
        let status: DemoCase.Status = random.chance(CaseBuilder.openShare) ? .open : .closed
        let consultations = makeConsultations(for: family.child, status: status)
        let institutions = makeInstitutions(for: family.child, municipality: municipality, town: town)

        return DemoCase(
            externalID: "",
            authority: authority,
            heldByCentre: heldByCentre,
            status: status,
            child: family.child,
            guardians: family.guardians,
            household: family.household,
            address: address,
            institutions: institutions,
            familySituation: familySituation(family, origin: origin),
            consultations: consultations,
            notes: makeNotes(after: consultations[0].date)
        )
    }

    // MARK: Address

    /// `栄町2-14-3` and the town name (`栄町`) it starts with, for school names.
    private mutating func addressLine(in municipality: DemoDictionaries.Municipality) -> (line: String, town: String) {
        let town =
            random.chance(0.35)
            ? municipality.stem + random.pick(["本町", "中央", "東", "西", "南", "北", "新町", "元町"])
            : random.pick(Phrases.towns)
        let rural = municipality.name.hasSuffix("町") || municipality.name.hasSuffix("村")
        if rural && random.chance(0.3) {
            return ("大字" + town + String(random.int(in: 1...3000)) + "番地", town)
        }
        let block = "\(random.int(in: 1...6))"
        let lot = "\(random.int(in: 1...30))-\(random.int(in: 1...25))"
        let style = random.unit()
        if style < 0.6 { return (town + block + "-" + lot, town) }
        if style < 0.8 { return (town + block + "丁目" + lot, town) }
        let room = "\(random.int(in: 1...5))0\(random.int(in: 1...8))"
        return (town + block + "-" + lot + " " + random.pick(Phrases.buildings) + " " + room, town)
    }

    // MARK: Consultations

    private mutating func makeConsultations(for child: DemoPerson, status: DemoCase.Status) -> [DemoConsultation] {
        let count = CaseBuilder.consultationCounts.draw(&random)
        let birth = child.birthdate.dayNumber
        let today = DemoDate.reference.dayNumber
        // The first consultation leans towards recent years (the later of two draws).
        let first = max(random.int(in: birth...today), random.int(in: birth...today))
        var days = [first]
        for _ in 1..<count { days.append(random.int(in: first...today)) }
        days.sort()
        return days.enumerated().map { index, day in
            let date = DemoDate(dayNumber: day)
            let age = child.birthdate.age(on: date)
            var source = CaseBuilder.sources.draw(&random)
            if source == .school && age < 6 { source = .nursery }
            if source == .nursery && age >= 6 { source = .school }
            let primary = CaseBuilder.abuseTypes.draw(&random)
            var types: Set<DemoConsultation.AbuseType> = [primary]
            if random.chance(0.12) { types.insert(random.pick(DemoConsultation.AbuseType.allCases)) }
            var assessment = random.pick(Phrases.assessments(for: primary))
            if random.chance(0.4) { assessment += random.pick(Phrases.assessmentRiskNotes) }
            let isLast = index == count - 1
            return DemoConsultation(
                date: date,
                source: source,
                abuseTypes: DemoConsultation.AbuseType.allCases.filter(types.contains),
                assessment: assessment,
                response: random.pick(Phrases.responses),
                status: isLast && status == .open ? .open : .closed
            )
        }
    }

    private static let consultationCounts = WeightedTable<Int>([(1, 50), (2, 28), (3, 14), (4, 8)])

    /// Roughly the national shares of who reports (police reports dominate, mostly 面前DV).
    private static let sources = WeightedTable<DemoConsultation.Source>([
        (.police, 50), (.neighbour, 11), (.family, 7), (.school, 7), (.welfare, 6), (.nursery, 2),
        (.medical, 2), (.relative, 1), (.child, 1), (.anonymous, 3), (.other, 10),
    ])

    /// Roughly the national shares of abuse types (psychological 59%, physical 23%, neglect 16%, sexual 1–2%).
    private static let abuseTypes = WeightedTable<DemoConsultation.AbuseType>([
        (.psychological, 59), (.physical, 23), (.neglect, 16), (.sexual, 2),
    ])

    // MARK: Institutions

    private mutating func makeInstitutions(for child: DemoPerson, municipality: DemoDictionaries.Municipality, town: String) -> [DemoInstitution] {
        let age = child.ageAtReference
        let local = municipality.name + "立"
        let townStem = town.hasSuffix("町") && town.count > 2 ? String(town.dropLast()) : town
        var result: [DemoInstitution] = []
        switch age {
        case 0...2:
            if random.chance(0.45) {
                result.append(
                    DemoInstitution(kind: .nursery, name: nurseryName(municipality, townStem), schooling: schooling(irregular: 0.08, notAttending: 0))
                )
            } else if random.chance(0.05) {
                result.append(DemoInstitution(kind: .other, name: "乳児院" + random.pick(Phrases.nurseryNames) + "園", schooling: .notApplicable))
            }
        case 3...5:
            let draw = random.unit()
            if draw < 0.6 {
                result.append(
                    DemoInstitution(
                        kind: .nursery, name: nurseryName(municipality, townStem), schooling: schooling(irregular: 0.1, notAttending: 0.05)))
            } else if draw < 0.9 {
                let name =
                    random.chance(0.5)
                    ? municipality.stem + random.pick(Phrases.schoolSuffixes) + "幼稚園" : random.pick(Phrases.privateSchoolNames) + "幼稚園"
                result.append(DemoInstitution(kind: .kindergarten, name: name, schooling: schooling(irregular: 0.1, notAttending: 0.05)))
            }
        case 6...11:
            result.append(
                DemoInstitution(kind: .elementarySchool, name: local + townStem + "小学校", schooling: schooling(irregular: 0.09, notAttending: 0.06)))
        case 12...14:
            result.append(
                DemoInstitution(
                    kind: .juniorHighSchool, name: local + municipality.stem + random.pick(Phrases.schoolSuffixes) + "中学校",
                    schooling: schooling(irregular: 0.12, notAttending: 0.1)))
        default:
            if random.chance(0.85) {
                let name =
                    random.chance(0.7)
                    ? municipality.prefectureName + "立" + municipality.stem + random.pick(["", "東", "西", "南", "北", "商業", "工業", "総合"]) + "高等学校"
                    : "私立" + random.pick(Phrases.privateSchoolNames) + "学園高等学校"
                result.append(DemoInstitution(kind: .highSchool, name: name, schooling: schooling(irregular: 0.1, notAttending: 0.1)))
            }
        }
        if age >= 2 && random.chance(0.03) {
            let name = random.pick([
                "児童養護施設" + random.pick(Phrases.nurseryNames) + "学園",
                municipality.stem + "こども発達支援センター",
                "放課後等デイサービス" + random.pick(Phrases.nurseryNames),
            ])
            result.append(DemoInstitution(kind: .other, name: name, schooling: .attending))
        }
        return result
    }

    private mutating func nurseryName(_ municipality: DemoDictionaries.Municipality, _ townStem: String) -> String {
        switch random.below(3) {
        case 0: municipality.stem + random.pick(Phrases.nurseryNames) + "保育園"
        case 1: townStem + "保育所"
        default: random.pick(Phrases.nurseryNames) + "こども園"
        }
    }

    private mutating func schooling(irregular: Double, notAttending: Double) -> DemoInstitution.Schooling {
        let draw = random.unit()
        if draw < notAttending { return .notAttending }
        if draw < notAttending + irregular { return .irregular }
        return .attending
    }

    // MARK: Free text

    private mutating func familySituation(_ family: Family, origin: Origin) -> String {
        let relations = family.guardians.compactMap(\.relation)
        let siblings = family.household.filter { $0.relation == .sibling || $0.relation == .halfSibling }.count
        let size = 1 + family.guardians.count + family.household.count
        let siblingsText = siblings > 0 ? "、きょうだい\(siblings)人" : ""
        var text: String
        switch relations {
        case [.mother, .father]: text = "実父母、本児\(siblingsText)の\(size)人世帯。"
        case [.mother, .stepfather]:
            let remarried = random.int(in: min(max(family.child.birthdate.year, 2010), 2026)...2026)
            text = "実母、継父（\(remarried)年に再婚）、本児\(siblingsText)の\(size)人世帯。"
        case [.father, .stepmother]: text = "実父、継母、本児\(siblingsText)の\(size)人世帯。"
        case [.grandmother, .grandfather]: text = "両親の所在が不明のため、祖父母が本児を養育している。"
        case [.fosterParent, .fosterParent]: text = "里親家庭に委託中。"
        case [.mother, .grandmother]: text = "実母、母方祖母、本児\(siblingsText)の\(size)人世帯。"
        case [.mother]: text = "ひとり親家庭（母子世帯）。母は\(random.pick(Phrases.occupations))。"
        case [.father]: text = "ひとり親家庭（父子世帯）。父は\(random.pick(Phrases.occupations))。"
        case [.grandmother], [.grandfather]: text = "祖父母が本児を養育している。"
        case [.other]: text = "親族（\(random.pick(["叔母", "伯母", "叔父"]))）宅で生活している。"
        case []: text = "保護者不在。両親とも所在不明で、本児は一時保護中。"
        default: text = "本児\(siblingsText)の\(size)人世帯。"
        }
        if family.household.contains(where: { $0.relation == .partnerOfGuardian }) {
            text += "母の交際相手が同居している。"
        }
        if random.chance(0.7) {
            text += random.pick(Phrases.riskFactors)
            if random.chance(0.3) { text += random.pick(Phrases.riskFactors) }
        }
        if case .foreign = origin, random.chance(0.6) {
            text += "外国籍家庭。日本語での意思疎通に通訳を要する。"
        }
        return text
    }

    private mutating func makeNotes(after firstConsultation: DemoDate) -> String? {
        guard random.chance(0.6) else { return nil }
        var text = random.pick(Phrases.notes)
        if random.chance(0.25) {
            let previous = dictionaries.municipalities[dictionaries.municipalityPicker.draw(&random)]
            let year = random.int(in: min(firstConsultation.year, 2025)...2025)
            text += "\(year)年に\(previous.prefectureName)\(previous.name)から転入。前住所地で相談歴あり。"
        }
        return text
    }
}
