import Foundation
import HTTPServer
import Store

/// The user's own second factor: set up a TOTP app, confirm it, keep the recovery codes.
extension PageRequest {
    /// GET /account/second-factor: whether one is set up or required, and the button to set one up.
    func secondFactorPage() throws -> HTTPResponse {
        let status = try store.secondFactors.status(of: session.user)
        return render("second-factor", "二要素認証", SecondFactorPage(enrolled: status.enrolled, required: status.required))
    }

    /// POST /account/second-factor: a new secret to add to the authenticator app, and the confirmation form.
    func beginSecondFactorPage() throws -> HTTPResponse {
        let enrolment = try store.secondFactors.begin(as: actor)
        var view = SecondFactorPage(enrolled: false, required: try store.secondFactors.status(of: session.user).required)
        view.secret = stride(from: 0, to: enrolment.secret.count, by: 4).map { offset in
            let start = enrolment.secret.index(enrolment.secret.startIndex, offsetBy: offset)
            return String(
                enrolment.secret[
                    start..<(enrolment.secret.index(start, offsetBy: 4, limitedBy: enrolment.secret.endIndex) ?? enrolment.secret.endIndex)])
        }.joined(separator: " ")
        view.uri = enrolment.uri
        return render("second-factor", "二要素認証の設定", view)
    }

    /// POST /account/second-factor/confirm: the code from the app; on success the recovery codes, shown once.
    func confirmSecondFactorPage() throws -> HTTPResponse {
        let codes: [String]
        do throws(StoreError) {
            codes = try store.secondFactors.confirm(code: form["code"], as: actor)
        } catch  where error.kind == .invalidInput {
            throw PageRefusal(400, "確認コードが一致しません。端末の時刻が正しいか確かめ、最初からやり直してください。")
        } catch {
            throw error
        }
        var view = SecondFactorPage(enrolled: true, required: try store.secondFactors.status(of: session.user).required)
        view.recoveryCodes = codes
        view.hasRecoveryCodes = true
        return render("second-factor", "二要素認証を設定しました", view)
    }

    /// POST /users/second-factor/reset: an administrator removes a user's second factor (a lost device).
    func resetSecondFactorPage() throws -> HTTPResponse {
        try store.secondFactors.reset(form["login"], as: actor)
        return redirect("/users", notice: .secondFactorReset)
    }
}

/// `second-factor.mustache`: the state, the secret while setting up, the recovery codes once.
struct SecondFactorPage: PageView {
    var title = ""
    var user: Navigation?
    let enrolled: Bool
    let required: Bool
    /// While setting up: the secret in groups of four, and the `otpauth://` address.
    var secret: String?
    var uri: String?
    /// After confirming: the recovery codes, shown this once.
    var recoveryCodes: [String] = []
    var hasRecoveryCodes = false
}
