extension DemoCase {
    /// The record as one line of the JSON Lines import format, without the trailing newline.
    ///
    /// Keys are snake_case in the order of the format's description; optional keys whose value
    /// is absent are omitted.
    package var jsonLine: String {
        var json = JSONLineBuilder()
        json.beginObject()
        json.member("external_id", externalID)
        json.member("authority", authority)
        json.member("status", status.rawValue)

        json.beginObject("child")
        appendIdentity(of: child, to: &json)
        json.member("nationality", child.nationality)
        json.endObject()

        json.beginArray("guardians")
        for guardian in guardians {
            json.beginObject()
            json.member("relation", guardian.relation?.rawValue)
            appendIdentity(of: guardian, to: &json)
            json.endObject()
        }
        json.endArray()

        json.beginArray("household")
        for member in household {
            json.beginObject()
            json.member("relation", member.relation?.rawValue)
            appendIdentity(of: member, to: &json)
            json.endObject()
        }
        json.endArray()

        json.beginObject("address")
        json.member("prefecture", address.prefecture)
        json.member("municipality", address.municipality)
        json.member("municipality_code", address.municipalityCode)
        json.member("line", address.line)
        json.endObject()

        json.beginArray("institutions")
        for institution in institutions {
            json.beginObject()
            json.member("kind", institution.kind.rawValue)
            json.member("name", institution.name)
            json.member("schooling", institution.schooling.rawValue)
            json.endObject()
        }
        json.endArray()

        json.member("family_situation", familySituation)

        json.beginArray("consultations")
        for consultation in consultations {
            json.beginObject()
            json.member("date", consultation.date.iso)
            json.member("source", consultation.source.rawValue)
            json.beginArray("abuse_types")
            for type in consultation.abuseTypes { json.element(type.rawValue) }
            json.endArray()
            json.member("assessment", consultation.assessment)
            json.member("response", consultation.response)
            json.member("status", consultation.status.rawValue)
            json.endObject()
        }
        json.endArray()

        json.member("notes", notes)
        json.endObject()
        return json.text
    }

    private func appendIdentity(of person: DemoPerson, to json: inout JSONLineBuilder) {
        let written = person.written
        json.member("family_name", written.familyName)
        json.member("given_name", written.givenName)
        json.member("family_name_kana", written.familyNameKana)
        json.member("given_name_kana", written.givenNameKana)
        if person.relation == nil { json.member("romaji", written.romaji) }
        json.member("birthdate", written.birthdate)
        json.member("sex", written.sex.rawValue)
    }
}
