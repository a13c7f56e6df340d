/// One person of a demo case, in two forms: the truth (canonical name, full-width katakana
/// reading, whole ISO birthdate, sex) and the form written into the JSON (`written`), which may
/// be untidy the way real records are.
///
/// Evaluation code compares what search finds against the truth; the importer only ever sees
/// the written form.
package struct DemoPerson: Sendable, Hashable {
    /// The child's sex; `unknown` occurs only in the written form.
    package enum Sex: String, Sendable, Hashable {
        case male, female, unknown
    }

    /// A guardian's or household member's relation to the child.
    package enum Relation: String, Sendable, Hashable {
        // Guardians.
        case mother, father, stepmother, stepfather, grandmother, grandfather
        case fosterParent = "foster_parent"
        // Household members.
        case sibling
        case halfSibling = "half_sibling"
        case grandparent
        case partnerOfGuardian = "partner_of_guardian"
        // Either.
        case other
    }

    /// How a reading is written.
    package enum ReadingForm: String, Sendable, Hashable, CaseIterable {
        /// Full-width katakana (`サトウ`), the standard.
        case katakana
        /// Half-width katakana (`ｻﾄｳ`).
        case halfWidth
        /// Hiragana (`さとう`).
        case hiragana
        /// No reading at all: both kana keys omitted.
        case missing
    }

    /// How a birthdate is written.
    package enum BirthdateForm: String, Sendable, Hashable, CaseIterable {
        case iso  // 2018-04-01
        case slashes  // 2018/4/1
        case compact  // 20180401
        case warekiLetters  // H30.4.1, R1.5.1
        case warekiKanji  // 平成30年4月1日, 令和元年5月1日
        case yearOnly  // 2018
        case yearMonth  // 2018-04
        case omitted  // no birthdate key
    }

    /// The person's relation to the child; nil for the child.
    package var relation: Relation?

    // MARK: Truth

    /// Family name in its standard form (`高橋`, `NGUYEN`, `王`).
    package var familyName: String
    /// Given name (`太郎`, `さくら` for a name that is hiragana, `AN`).
    package var givenName: String
    /// Full-width katakana reading of the family name (`タカハシ`, `グエン`).
    package var familyNameKana: String
    /// Full-width katakana reading of the given name.
    package var givenNameKana: String
    /// The real, whole birthdate, whatever the record shows of it.
    package var birthdate: DemoDate
    /// The real sex (male or female).
    package var sex: Sex
    /// ISO 3166-1 alpha-2 nationality (`JP`, `VN`, ...): the JSON carries it for the child only.
    package var nationality: String
    /// Latin-letter name as on a residence record or passport (`NGUYEN AN`): the child's, when
    /// the record carries one (always for a foreign national); nil for other people.
    package var romaji: String?

    /// The birthdate as ISO 8601 text: `2018-04-01`.
    package var birthdateISO: String { birthdate.iso }

    /// Whole years of age at the dataset's reference date, 2026-04-01.
    package var ageAtReference: Int { birthdate.age(on: .reference) }

    /// True when the names are written in Latin letters or as a foreign national's kanji name.
    package var isForeignNational: Bool { nationality != "JP" }

    // MARK: The written form

    /// What the JSON record carries for this person.
    package var written: Written

    /// The untidy form of a person as written into the record; nil means the key is omitted.
    package struct Written: Sendable, Hashable {
        package var familyName: String
        package var givenName: String?
        package var familyNameKana: String?
        package var givenNameKana: String?
        package var romaji: String?
        package var birthdate: String?
        package var sex: Sex

        /// How the reading is written.
        package var readingForm: ReadingForm
        /// How the birthdate is written.
        package var birthdateForm: BirthdateForm
        /// True when one character of the family name was replaced by its variant (高 → 髙).
        package var variantKanji: Bool
        /// True when family and given name share `family_name`, separated by a full-width space.
        package var joinedName: Bool
        /// True when a foreign national's name is written in katakana only (no Latin, no romaji).
        package var katakanaOnly = false
        /// True when the given name comes from the held-out list of modern names (`HeldOutNames`).
        package var heldOutName = false
    }
}
