/// The untidiness rates, per person unless noted. The tests check that the dataset shows them.
enum PersonRates {
    /// Children of foreign nationality (per child).
    static let foreignChild = 0.03
    /// Readings in half-width katakana (`ｻﾄｳ`).
    static let halfWidthReading = 0.05
    /// Readings in hiragana (`さとう`).
    static let hiraganaReading = 0.10
    /// No reading at all.
    static let missingReading = 0.03
    /// One character of the family name in its variant form (高 → 髙), where the name has one.
    static let variantKanji = 0.04
    /// Given names that are hiragana only (`さくら`), counting those the dictionary has; part of
    /// the truth, not a spelling slip.
    static let hiraganaGivenName = 0.02
    /// Family and given name in `family_name`, split by a full-width space.
    static let joinedName = 0.02
    /// Children whose birthdate is known only to the year, and only to the year and month (each).
    static let yearOnlyBirthdate = 0.01
    static let yearMonthBirthdate = 0.01
    /// Children without a birthdate.
    static let childBirthdateOmitted = 0.01
    /// Guardians without a birthdate (not in the brief; fathers' birthdates often are unknown).
    static let guardianBirthdateOmitted = 0.03
    /// Whole birthdates written `2018/4/1`, `20180401`, `H30.4.1` or `平成30年4月1日`.
    static let otherBirthdateForm = 0.05
    /// Children whose sex is recorded as unknown (per child).
    static let unknownSex = 0.01
    /// Japanese children whose record carries a passport romaji name (per child).
    static let japaneseRomaji = 0.03
    /// Foreign-national children whose record holds the name in katakana only: no Latin or
    /// kanji spelling, no romaji (per foreign child).
    static let foreignKatakanaOnly = 0.25
    /// Foreign-national children whose record holds the Latin (or kanji) name without any
    /// reading (per foreign child, of those not in katakana only).
    static let foreignNoReading = 0.2
    /// Japanese children born in 2010 or later whose given name is drawn from the held-out list
    /// of modern names (`HeldOutNames`), which the search's dictionaries never read.
    static let heldOutModernName = 0.15
    /// Extra share of those held-out names recorded without a reading (on top of `missingReading`).
    static let heldOutMissingReading = 0.1
}

/// Whether a family's names come from the dictionaries or from the foreign-name list.
enum Origin {
    case japanese
    case foreign(ForeignNames.Nationality)
}

/// A name part before untidiness: as written, its katakana reading, its Latin spelling.
struct NamePart {
    let written: String
    let reading: String
    let latin: String?
}

/// The people of one case.
struct Family {
    var child: DemoPerson
    var guardians: [DemoPerson]
    var household: [DemoPerson]
}

extension CaseBuilder {
    /// Variant forms of standard kanji, as in 髙橋, 山﨑, 齋藤, 渡邊, 澤田, 濱田, 國井, 櫻井.
    static let variantKanji: [Character: Character] = [
        "高": "髙", "崎": "﨑", "斎": "齋", "辺": "邊", "沢": "澤", "浜": "濱", "国": "國", "桜": "櫻",
    ]

    private static let guardianPairs = WeightedTable<[DemoPerson.Relation]>([
        ([.mother, .father], 75), ([.mother, .stepfather], 12), ([.father, .stepmother], 3),
        ([.grandmother, .grandfather], 6), ([.fosterParent, .fosterParent], 2), ([.mother, .grandmother], 2),
    ])
    private static let singleGuardians = WeightedTable<[DemoPerson.Relation]>([
        ([.mother], 76), ([.father], 14), ([.grandmother], 6), ([.grandfather], 1), ([.other], 3),
    ])
    private static let siblingCounts = WeightedTable<Int>([(0, 40), (1, 33), (2, 19), (3, 8)])
    /// Ages of children in abuse consultations, 0–17, a little heavier in the early years.
    private static let childAges = WeightedTable<Int>(
        (0...17).map { age in
            (age, UInt64([7, 7, 6, 7, 6, 6, 6, 6, 6, 6, 6, 6, 5, 5, 5, 4, 3, 3][age]))
        })

    // MARK: The family

    mutating func makeFamily(origin: Origin) -> Family {
        let childSex: DemoPerson.Sex = random.chance(0.512) ? .male : .female
        let childFamily = familyName(origin)
        let childBirth = date(in: CaseBuilder.childAges.draw(&random), yearsBefore: .reference)
        var childGiven = givenName(origin, childSex)
        var heldOut = false
        if case .japanese = origin, childBirth.year >= 2010, random.chance(PersonRates.heldOutModernName) {
            let name = random.pick(childSex == .male ? HeldOutNames.male : HeldOutNames.female)
            childGiven = NamePart(written: name.written, reading: name.reading, latin: nil)
            heldOut = true
        }
        let child = makePerson(
            relation: nil, origin: origin, family: childFamily, given: childGiven,
            birthdate: childBirth, sex: childSex, heldOutName: heldOut)

        // Guardians: about 5% none, 35% one, 60% two.
        let draw = random.unit()
        let relations: [DemoPerson.Relation] =
            draw < 0.05 ? [] : draw < 0.40 ? CaseBuilder.singleGuardians.draw(&random) : CaseBuilder.guardianPairs.draw(&random)
        var guardians: [DemoPerson] = []
        var sharedName: NamePart?  // grandparents and foster parents share theirs
        for relation in relations {
            var guardianOrigin = origin
            let name: NamePart
            switch relation {
            case .mother:
                if case .foreign(let nationality) = origin, nationality.wivesKeepFamilyName {
                    name = familyName(origin)
                } else {
                    name = random.chance(0.93) ? childFamily : familyName(origin)
                }
            case .father: name = childFamily
            case .stepfather:
                if case .foreign = origin, random.chance(0.5) {
                    guardianOrigin = .japanese  // a Japanese stepfather keeps his own name
                    name = familyName(.japanese)
                } else {
                    name = random.chance(0.75) ? familyName(origin) : childFamily
                }
            case .stepmother: name = random.chance(0.85) ? childFamily : familyName(origin)
            case .grandmother, .grandfather:
                if sharedName == nil { sharedName = random.chance(0.6) ? childFamily : familyName(origin) }
                name = sharedName ?? childFamily
            case .fosterParent:
                if sharedName == nil { sharedName = familyName(.japanese) }
                name = sharedName ?? childFamily
                guardianOrigin = .japanese
            default: name = random.chance(0.5) ? childFamily : familyName(origin)
            }
            let sex: DemoPerson.Sex
            switch relation {
            case .mother, .stepmother, .grandmother: sex = .female
            case .father, .stepfather, .grandfather: sex = .male
            case .fosterParent: sex = guardians.isEmpty ? .male : .female
            default: sex = random.chance(0.7) ? .female : .male
            }
            let ages: ClosedRange<Int>
            switch relation {
            case .mother, .stepmother: ages = 18...45
            case .father, .stepfather: ages = 20...45
            case .grandmother, .grandfather: ages = 38...70
            case .fosterParent: ages = 25...50
            default: ages = 18...45
            }
            let birth = date(in: triangular(ages), yearsBefore: childBirth)
            guardians.append(
                makePerson(
                    relation: relation, origin: guardianOrigin, family: name,
                    given: givenName(guardianOrigin, sex), birthdate: birth, sex: sex))
        }

        // Household: 0–3 siblings, now and then a guardian's partner, a grandparent or an aunt.
        var household: [DemoPerson] = []
        let mother = guardians.first { $0.relation == .mother }
        let stepfather = guardians.first { $0.relation == .stepfather }
        var givenNames: Set<String> = [child.givenName]
        for _ in 0..<CaseBuilder.siblingCounts.draw(&random) {
            let half = stepfather != nil && random.chance(0.4)
            guard let birth = siblingBirthdate(child: childBirth, mother: mother?.birthdate, younger: half) else { continue }
            let sex: DemoPerson.Sex = random.chance(0.512) ? .male : .female
            var given = givenName(origin, sex)
            for _ in 0..<3 where givenNames.contains(given.written) { given = givenName(origin, sex) }
            givenNames.insert(given.written)
            let family = half ? stepfatherFamily(stepfather) : childFamily
            household.append(
                makePerson(
                    relation: half ? .halfSibling : .sibling, origin: origin, family: family,
                    given: given, birthdate: birth, sex: sex))
        }
        if relations.count == 1, let guardian = guardians.first, guardian.relation == .mother || guardian.relation == .father,
            random.chance(0.12)
        {
            let sex: DemoPerson.Sex = guardian.sex == .female ? .male : .female
            let birth = DemoDate(dayNumber: guardian.birthdate.dayNumber + random.int(in: -3000...3000))
            household.append(
                makePerson(
                    relation: .partnerOfGuardian, origin: .japanese, family: familyName(.japanese),
                    given: givenName(.japanese, sex), birthdate: min(birth, DemoDate.reference.yearsEarlier(18)), sex: sex))
        }
        if !relations.contains(.grandmother) && !relations.contains(.grandfather) && random.chance(0.06) {
            let sex: DemoPerson.Sex = random.chance(0.7) ? .female : .male
            household.append(
                makePerson(
                    relation: .grandparent, origin: origin, family: random.chance(0.6) ? childFamily : familyName(origin),
                    given: givenName(origin, sex), birthdate: date(in: triangular(42...70), yearsBefore: childBirth), sex: sex))
        }
        if random.chance(0.03) {
            let sex: DemoPerson.Sex = random.chance(0.6) ? .female : .male
            household.append(
                makePerson(
                    relation: .other, origin: origin, family: random.chance(0.5) ? childFamily : familyName(origin),
                    given: givenName(origin, sex), birthdate: date(in: triangular(15...45), yearsBefore: childBirth), sex: sex))
        }
        return Family(child: child, guardians: guardians, household: household)
    }

    private func stepfatherFamily(_ stepfather: DemoPerson?) -> NamePart {
        guard let stepfather else { preconditionFailure("a half-sibling needs a stepfather") }
        return NamePart(
            written: stepfather.familyName, reading: stepfather.familyNameKana, latin: stepfather.isForeignNational ? stepfather.familyName : nil)
    }

    /// A sibling born 10 months to 10 years from the child (or a twin), younger if a half-sibling,
    /// not after the reference date, to a mother aged 16–47; nil when no draw fits.
    private mutating func siblingBirthdate(child: DemoDate, mother: DemoDate?, younger: Bool) -> DemoDate? {
        let base = child.dayNumber
        for _ in 0..<4 {
            var offset = random.chance(0.02) && !younger ? 0 : random.int(in: 300...3650)
            if !younger && random.chance(0.5) { offset = -offset }
            let birth = DemoDate(dayNumber: base + offset)
            guard birth <= .reference else { continue }
            if let mother, !(16...47).contains(mother.age(on: birth)) { continue }
            return birth
        }
        return nil
    }

    // MARK: Names and dates

    /// A family name by weight (Japanese) or from the nationality's list.
    mutating func familyName(_ origin: Origin) -> NamePart {
        switch origin {
        case .japanese:
            let name = dictionaries.familyNames.draw(&random)
            return NamePart(written: name.name, reading: name.reading, latin: nil)
        case .foreign(let nationality):
            let entry = random.pick(nationality.family)
            return NamePart(written: entry.written, reading: entry.reading, latin: entry.latin)
        }
    }

    /// A given name fitting `sex`, by weight; 2% of Japanese ones are hiragana only: those the
    /// dictionary lists so, and enough others written in the hiragana of their reading.
    mutating func givenName(_ origin: Origin, _ sex: DemoPerson.Sex) -> NamePart {
        switch origin {
        case .japanese:
            let name = (sex == .male ? dictionaries.maleGivenNames : dictionaries.femaleGivenNames).draw(&random)
            let natural = sex == .male ? dictionaries.maleHiraganaShare : dictionaries.femaleHiraganaShare
            let extra = natural < PersonRates.hiraganaGivenName ? (PersonRates.hiraganaGivenName - natural) / (1 - natural) : 0
            if !KanaForm.isHiragana(name.name) && random.chance(extra) {
                return NamePart(written: KanaForm.hiragana(name.reading), reading: name.reading, latin: nil)
            }
            return NamePart(written: name.name, reading: name.reading, latin: nil)
        case .foreign(let nationality):
            let entry = random.pick(sex == .male ? nationality.male : nationality.female)
            return NamePart(written: entry.written, reading: entry.reading, latin: entry.latin)
        }
    }

    /// A date on which someone born then is `years` old on `date` (between their birthdays).
    mutating func date(in years: Int, yearsBefore date: DemoDate) -> DemoDate {
        let latest = date.yearsEarlier(years).dayNumber
        let earliest = date.yearsEarlier(years + 1).dayNumber + 1
        return DemoDate(dayNumber: random.int(in: earliest...latest))
    }

    /// An integer in `range`, more likely near its middle (the mean of two uniform draws).
    mutating func triangular(_ range: ClosedRange<Int>) -> Int {
        let span = range.upperBound - range.lowerBound + 1
        return range.lowerBound + (random.below(span) + random.below(span)) / 2
    }

    // MARK: One person, truth and written form

    mutating func makePerson(
        relation: DemoPerson.Relation?, origin: Origin, family: NamePart, given: NamePart,
        birthdate: DemoDate, sex: DemoPerson.Sex, heldOutName: Bool = false
    ) -> DemoPerson {
        let isChild = relation == nil
        var nationality = "JP"
        var romaji: String?
        var isForeign = false
        if case .foreign(let country) = origin {
            isForeign = true
            nationality = country.code  // the JSON carries it for the child only
            romaji = (family.latin ?? family.written) + " " + (given.latin ?? given.written)
        }
        // A foreign child's record in one script only: katakana alone, or Latin (kanji) alone.
        var katakanaOnly = false
        var foreignNoReading = false
        if isForeign && isChild {
            if random.chance(PersonRates.foreignKatakanaOnly) {
                katakanaOnly = true
            } else if random.chance(PersonRates.foreignNoReading) {
                foreignNoReading = true
            }
        }

        // The reading: full-width katakana, half-width, hiragana or missing (foreign names keep katakana).
        var readingForm = DemoPerson.ReadingForm.katakana
        if !isForeign {
            let draw = random.unit()
            if draw < PersonRates.halfWidthReading {
                readingForm = .halfWidth
            } else if draw < PersonRates.halfWidthReading + PersonRates.hiraganaReading {
                readingForm = .hiragana
            } else if draw < PersonRates.halfWidthReading + PersonRates.hiraganaReading + PersonRates.missingReading {
                readingForm = .missing
            }
            if heldOutName, readingForm != .missing, random.chance(PersonRates.heldOutMissingReading) {
                readingForm = .missing
            }
        } else if foreignNoReading {
            readingForm = .missing
        }
        func spell(_ katakana: String) -> String? {
            switch readingForm {
            case .katakana: katakana
            case .halfWidth: KanaForm.halfWidth(katakana)
            case .hiragana: KanaForm.hiragana(katakana)
            case .missing: nil
            }
        }
        var familyKana = spell(family.reading)
        var givenKana = spell(given.reading)

        // The family name, perhaps with one character in its variant form.
        var writtenFamily = family.written
        var variant = false
        if !isForeign {
            let characters = Array(family.written)
            let candidates = characters.indices.filter { CaseBuilder.variantKanji[characters[$0]] != nil }
            if !candidates.isEmpty && random.chance(PersonRates.variantKanji) {
                var replaced = characters
                let index = random.pick(candidates)
                replaced[index] = CaseBuilder.variantKanji[characters[index]] ?? characters[index]
                writtenFamily = String(replaced)
                variant = true
            }
        }

        // Now and then the whole name in family_name: 山田　太郎.
        var writtenGiven: String? = given.written
        let joined = !isForeign && random.chance(PersonRates.joinedName)
        if joined {
            writtenFamily += "\u{3000}" + given.written
            writtenGiven = nil
            if let familyReading = familyKana, let givenReading = givenKana {
                familyKana = familyReading + (readingForm == .halfWidth ? " " : "\u{3000}") + givenReading
                givenKana = nil
            }
        }

        // The birthdate as written.
        let (birthdateText, birthdateForm) = writtenBirthdate(
            birthdate,
            omitted: isChild ? PersonRates.childBirthdateOmitted : relation.map(isGuardian) == true ? PersonRates.guardianBirthdateOmitted : 0,
            partial: isChild)

        var writtenSex = sex
        if isChild {
            if random.chance(PersonRates.unknownSex) { writtenSex = .unknown }
            if !isForeign && random.chance(PersonRates.japaneseRomaji) {
                romaji = PassportRomaji.spell(family.reading) + " " + PassportRomaji.spell(given.reading)
            }
        }

        if katakanaOnly {
            writtenFamily = family.reading
            writtenGiven = given.reading
            romaji = nil
        }

        return DemoPerson(
            relation: relation,
            familyName: family.written,
            givenName: given.written,
            familyNameKana: family.reading,
            givenNameKana: given.reading,
            birthdate: birthdate,
            sex: sex,
            nationality: nationality,
            romaji: isChild ? (katakanaOnly ? (family.latin ?? family.written) + " " + (given.latin ?? given.written) : romaji) : nil,
            written: DemoPerson.Written(
                familyName: writtenFamily,
                givenName: writtenGiven,
                familyNameKana: familyKana,
                givenNameKana: givenKana,
                romaji: isChild ? romaji : nil,
                birthdate: birthdateText,
                sex: writtenSex,
                readingForm: readingForm,
                birthdateForm: birthdateForm,
                variantKanji: variant,
                joinedName: joined,
                katakanaOnly: katakanaOnly,
                heldOutName: heldOutName
            )
        )
    }

    private func isGuardian(_ relation: DemoPerson.Relation) -> Bool {
        switch relation {
        case .mother, .father, .stepmother, .stepfather, .grandmother, .grandfather, .fosterParent: true
        default: false
        }
    }

    /// The birthdate as a record might hold it.
    /// - Parameters:
    ///   - omitted: the chance that it is missing.
    ///   - partial: whether it may be known only to the year or month (children).
    private mutating func writtenBirthdate(_ date: DemoDate, omitted: Double, partial: Bool) -> (String?, DemoPerson.BirthdateForm) {
        let draw = random.unit()
        if draw < omitted { return (nil, .omitted) }
        if partial {
            if draw < omitted + PersonRates.yearOnlyBirthdate { return (pad4(date.year), .yearOnly) }
            if draw < omitted + PersonRates.yearOnlyBirthdate + PersonRates.yearMonthBirthdate {
                return (pad4(date.year) + "-" + pad2(date.month), .yearMonth)
            }
        }
        guard random.chance(PersonRates.otherBirthdateForm) else { return (date.iso, .iso) }
        switch random.below(4) {
        case 0: return (String(date.year) + "/" + String(date.month) + "/" + String(date.day), .slashes)
        case 1: return (pad4(date.year) + pad2(date.month) + pad2(date.day), .compact)
        case 2: return date.warekiLetters.map { ($0, .warekiLetters) } ?? (date.iso, .iso)
        default: return date.warekiKanji.map { ($0, .warekiKanji) } ?? (date.iso, .iso)
        }
    }
}
