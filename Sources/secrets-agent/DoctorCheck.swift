/// One finding of `secrets-agent doctor`: what was checked, how it went, a one-line detail
/// (never a value), and for warn/fail the command that fixes it.
struct DoctorCheck {
    enum Status: String {
        case ok, warn, fail, skip
    }

    let check: String
    let status: Status
    let detail: String
    let fix: String

    static func ok(_ check: String, _ detail: String) -> DoctorCheck {
        DoctorCheck(check: check, status: .ok, detail: detail, fix: "")
    }

    static func warn(_ check: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(check: check, status: .warn, detail: detail, fix: fix)
    }

    static func fail(_ check: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(check: check, status: .fail, detail: detail, fix: fix)
    }

    static func skip(_ check: String, _ detail: String) -> DoctorCheck {
        DoctorCheck(check: check, status: .skip, detail: detail, fix: "")
    }

    var json: [String: Any] {
        ["check": check, "status": status.rawValue, "detail": detail, "fix": fix]
    }
}
