//! The baseline: the first-set determinations hand-written in plain Rust over
//! typed structs, with the same JSON in and out as `lsa batch`. It shares only
//! the time library (periods under a computation rule) and the holiday
//! calendar data with lsa; the legal logic is written out here independently.

use std::sync::LazyLock;

use jiff::civil::Date;
use lsa::time::{deadline_before, deadline_from, Calendar, Clause, Computation, DurationUnit};
use lsa::value::{date_str, parse_date, Period};
use serde::{Deserialize, Serialize};

#[path = "responsibility.rs"]
mod responsibility;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub case: Option<String>,
    pub as_of: Option<String>,
    pub applicant: Applicant,
    pub application: Application,
    pub relocation: Relocation,
    pub context: Context,
    pub responsibility: responsibility::Responsibility,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "read and validated like lsa reads them, though no rule uses them"
)]
pub struct Applicant {
    pub date_of_birth: String,
    pub nationality: String,
    pub unaccompanied_minor: bool,
    pub security_threat: bool,
    pub misled_authorities: bool,
    pub special_needs_unsupported_at_border: bool,
    pub medical_reasons_against_border: bool,
    pub protection_status: String,
    pub protection_granted_on: Option<String>,
    pub consents_to_relocation: Option<bool>,
    pub family_in_lithuania: bool,
    pub previous_residence_in_lithuania: bool,
    pub studied_in_lithuania: bool,
    pub speaks_lithuanian: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub made_on: String,
    pub registered_on: String,
    pub lodged_on: String,
    pub circumstances: String,
    pub entry_conditions_fulfilled: bool,
    pub recognition_rate_pct: f64,
    pub first_instance_decision_on: Option<String>,
    pub delay_attributable_to_applicant: bool,
    pub screening_ended_on: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "read and validated like lsa reads them, though no rule uses them"
)]
pub struct Relocation {
    pub benefitting_member_state: String,
    pub council_act_adopted_on: String,
    pub information_received_on: Option<String>,
    pub postponement_notified_on: Option<String>,
    pub security_reply_on: Option<String>,
    pub confirmed_on: Option<String>,
    pub appeal_decided_on: Option<String>,
    pub arrived_on: Option<String>,
    pub benefitting_state_was_responsible: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    pub crisis: String,
    pub border_capacity_reached: bool,
    pub responsibility_time_limits_extended: bool,
}

/// One determination as in the JSON contract (the label is written with it).
#[derive(Serialize, Clone, PartialEq, Debug)]
pub struct Outcome {
    pub status: &'static str,
    pub value: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// For a list of values: the rule and citation of each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citations: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// The English label of each determination, in the order of `KEYS`.
pub const LABELS: [&str; 28] = [
    "May be relocated to Lithuania",
    "Meaningful links with Lithuania",
    "Time limit to confirm the relocation",
    "Relocation deemed confirmed (no reply in time)",
    "Time limit for the transfer decision",
    "Time limit for the transfer",
    "What follows the arrival",
    "Criterion determining the Member State responsible",
    "Time limit for the take charge request",
    "Time limit to reply to the take charge request",
    "Take charge request deemed accepted (no reply in time)",
    "Time limit for the take back notification",
    "Time limit to confirm receipt of the take back notification",
    "Take back notification deemed confirmed (no reply in time)",
    "Request accepted or notification confirmed on",
    "Time limit for the decision to transfer to the Member State responsible",
    "Time limit for the transfer to the Member State responsible",
    "Responsibility passed to Lithuania (not transferred in time)",
    "Member State the criteria point to",
    "Member State responsible",
    "Time limit to register the application",
    "Time limit to lodge the application",
    "Grounds for the accelerated procedure",
    "Border procedure",
    "Examination procedure",
    "Time limit to examine the application",
    "Access to the labour market from",
    "Access to the labour market on the as-of date",
];

pub(crate) fn det(value: serde_json::Value, rule: &'static str, citation: &'static str) -> Outcome {
    Outcome {
        status: "determined",
        value,
        rule: Some(rule),
        rules: None,
        citations: None,
        citation: Some(citation),
        reason: None,
    }
}

pub const KEYS: [&str; 28] = [
    "relocation.eligible",
    "relocation.meaningful_links",
    "relocation.confirmation_deadline",
    "relocation.deemed_confirmed",
    "relocation.transfer_decision_deadline",
    "relocation.transfer_deadline",
    "relocation.after_arrival",
    "responsibility.criterion",
    "responsibility.take_charge_request_deadline",
    "responsibility.take_charge_reply_deadline",
    "responsibility.deemed_accepted",
    "responsibility.take_back_notification_deadline",
    "responsibility.take_back_confirmation_deadline",
    "responsibility.deemed_confirmed",
    "responsibility.accepted_or_confirmed_on",
    "responsibility.transfer_decision_deadline",
    "responsibility.transfer_deadline",
    "responsibility.shifted",
    "responsibility.criterion_member_state",
    "responsibility.member_state",
    "procedure.registration_deadline",
    "procedure.lodging_deadline",
    "procedure.accelerated_grounds",
    "procedure.border_procedure",
    "procedure.track",
    "procedure.examination_deadline",
    "reception.labour_market_access_from",
    "reception.labour_market_access",
];

pub(crate) fn date(s: &str) -> Date {
    parse_date(s).unwrap_or(Date::constant(1970, 1, 1))
}

fn p(amount: i64, unit: DurationUnit) -> Period {
    Period { amount, unit }
}

/// APR Art. 73 and AMMR Art. 75: the event day not counted, same weekday or
/// date, the next working day; no two-working-days rule.
static APR_AMMR: LazyLock<Computation> = LazyLock::new(|| {
    Computation::new(
        "APR_AMMR",
        None,
        [(Clause::NextWorkingDay, "next working day".into())],
    )
});

pub(crate) fn undetermined() -> Outcome {
    Outcome {
        status: "undetermined",
        value: serde_json::Value::Null,
        rule: None,
        rules: None,
        citations: None,
        citation: None,
        reason: Some("no rule applies and there is no default"),
    }
}

/// The determinations of one case, in the order of `KEYS`.
pub fn evaluate(c: &Case, default_as_of: Date, cal: &Calendar) -> (String, Date, Vec<Outcome>) {
    use serde_json::Value as J;
    let as_of = c.as_of.as_deref().map(date).unwrap_or(default_as_of);
    let a = &c.applicant;
    let app = &c.application;
    let rel = &c.relocation;
    let apr = &*APR_AMMR;
    let deadline_date = |from: Date, period: Period| {
        deadline_from(from, period, cal, apr, None).unwrap_or(Date::constant(1970, 1, 1))
    };
    let deadline = |from: &str, period: Period| date_str(deadline_date(date(from), period));

    let eligible = if a.security_threat {
        det(
            J::Bool(false),
            "relocation.security_exclusion",
            "AMMR Art. 67(2)",
        )
    } else if a.protection_status == "none" {
        det(
            J::Bool(true),
            "relocation.applicant_relocatable",
            "AMMR Art. 56(2)(a)(i)",
        )
    } else {
        let look_back = deadline_before(
            date(&rel.council_act_adopted_on),
            p(3, DurationUnit::Years),
            None,
        )
        .unwrap_or(Date::constant(1970, 1, 1));
        let granted = a.protection_granted_on.as_deref().map(date);
        if a.consents_to_relocation == Some(true) && granted.is_some_and(|g| g > look_back) {
            det(
                J::Bool(true),
                "relocation.beneficiary_relocatable",
                "AMMR Art. 56(2)(a)(ii); AMMR Art. 67(4), third subparagraph",
            )
        } else {
            det(J::Bool(false), "default", "AMMR Art. 56(2)(a)")
        }
    };
    let links = a.family_in_lithuania
        || a.previous_residence_in_lithuania
        || a.studied_in_lithuania
        || a.speaks_lithuanian;
    let links_cite = "AMMR Art. 67(3), second subparagraph";
    let meaningful = if links {
        det(J::Bool(true), "relocation.has_links", links_cite)
    } else {
        det(J::Bool(false), "default", links_cite)
    };
    // The relocation procedure (AMMR Art. 67(9)-(11), 68).
    let on = |d: &Option<String>| d.as_deref().map(date);
    let (info, confirmed) = (on(&rel.information_received_on), on(&rel.confirmed_on));
    let first_week = info.map(|i| deadline_date(i, p(1, DurationUnit::Weeks)));
    let postponed = on(&rel.postponement_notified_on)
        .zip(first_week)
        .is_some_and(|(n, w)| n <= w);
    let conf_deadline = match (info, postponed) {
        (Some(i), true) => Some(deadline_date(i, p(2, DurationUnit::Weeks))),
        (Some(_), false) => first_week,
        (None, _) => None,
    };
    let confirmation = match conf_deadline {
        Some(d) => det(
            J::String(date_str(d)),
            "relocation.confirmation",
            "AMMR Art. 67(9)",
        ),
        None => undetermined(),
    };
    let replied = conf_deadline.is_some_and(|d| {
        confirmed.is_some_and(|c| c <= d) || on(&rel.security_reply_on).is_some_and(|r| r <= d)
    });
    let deemed = conf_deadline.is_some_and(|d| as_of > d) && !replied;
    let deemed_outcome = det(
        J::Bool(deemed),
        "relocation.deemed",
        "AMMR Art. 67(9), fourth subparagraph",
    );
    // From the confirmation, or from the end of the period where deemed.
    let confirmed_from = confirmed.or(if deemed { conf_deadline } else { None });
    let transfer_decision = match confirmed_from {
        Some(c) => det(
            J::String(date_str(deadline_date(c, p(1, DurationUnit::Weeks)))),
            "relocation.transfer_decision",
            "AMMR Art. 67(10)",
        ),
        None => undetermined(),
    };
    let transfer = match (confirmed_from, on(&rel.appeal_decided_on)) {
        (Some(_), Some(d)) | (Some(d), None) => det(
            J::String(date_str(deadline_date(d, p(4, DurationUnit::Weeks)))),
            "relocation.transfer",
            "AMMR Art. 67(11)",
        ),
        (None, _) => undetermined(),
    };
    let after_arrival = match (&rel.arrived_on, a.protection_status.as_str()) {
        (None, _) => undetermined(),
        (Some(_), "refugee" | "subsidiary") => det(
            J::String("same_status_granted".into()),
            "relocation.beneficiary",
            "AMMR Art. 68(4)",
        ),
        (Some(_), _) if rel.benefitting_state_was_responsible => det(
            J::String("lithuania_responsible".into()),
            "relocation.responsibility_transferred",
            "AMMR Art. 68(3)",
        ),
        (Some(_), _) => det(
            J::String("part_iii_procedure".into()),
            "relocation.determine_responsibility",
            "AMMR Art. 68(2)",
        ),
    };
    // The Crisis Regulation's derogations: applications made from 1 July 2026.
    let crisis = c.context.crisis != "none" && date(&app.made_on) >= Date::constant(2026, 7, 1);
    let registration = if crisis {
        det(
            J::String(deadline(&app.made_on, p(4, DurationUnit::Weeks))),
            "procedure.crisis_derogation",
            "Crisis Art. 10(1)",
        )
    } else {
        let from = app.screening_ended_on.as_deref().unwrap_or(&app.made_on);
        det(
            J::String(deadline(from, p(5, DurationUnit::Days))),
            "procedure.within_five_days",
            "APR Art. 27(1)",
        )
    };

    let low_rate = app.recognition_rate_pct <= 20.0;
    let mut grounds = Vec::new();
    if a.misled_authorities {
        grounds.push("misleading");
    }
    if a.security_threat {
        grounds.push("security");
    }
    if low_rate {
        grounds.push("low_recognition_rate");
    }
    let grounds_outcome = Outcome {
        status: "determined",
        value: J::Array(grounds.iter().map(|g| J::String((*g).into())).collect()),
        rule: None,
        rules: Some(grounds.iter().map(|_| "procedure.ground").collect()),
        citations: Some(grounds.iter().map(|_| "APR Art. 42(1)").collect()),
        citation: Some("APR Art. 42(1)"),
        reason: None,
    };

    let relocated = app.circumstances == "relocated";
    let conditions = !app.entry_conditions_fulfilled
        && matches!(
            app.circumstances.as_str(),
            "border_crossing_point"
                | "transit_zone"
                | "apprehended_irregular_crossing"
                | "sar_disembarkation"
                | "relocated"
        );
    let mandatory_ground = a.misled_authorities
        || a.security_threat
        || (low_rate && !c.context.border_capacity_reached);
    let excluded = conditions
        && ((a.unaccompanied_minor && !a.security_threat)
            || a.special_needs_unsupported_at_border
            || a.medical_reasons_against_border);
    let border = if excluded {
        "excluded"
    } else if conditions && mandatory_ground {
        "mandatory"
    } else if conditions {
        "optional"
    } else {
        "not_applicable"
    };
    let border_outcome = det(
        J::String(border.into()),
        "procedure.border",
        "APR Art. 43(1)",
    );

    // The national choices of APR Art. 42(3)(d) and (e) are off.
    let track = if border == "mandatory" {
        "border"
    } else if (a.unaccompanied_minor && a.security_threat)
        || (!a.unaccompanied_minor && !grounds.is_empty())
    {
        "accelerated"
    } else {
        "regular"
    };
    let track_outcome = det(J::String(track.into()), "procedure.track", "APR Art. 35");

    let lodging = match (track, relocated, &rel.arrived_on) {
        ("border", false, _) => det(
            J::String(deadline(&app.registered_on, p(5, DurationUnit::Days))),
            "procedure.border_procedure",
            "APR Art. 51(1)",
        ),
        ("border", true, Some(arrived)) => det(
            J::String(deadline(arrived, p(5, DurationUnit::Days))),
            "procedure.border_after_relocation",
            "APR Art. 51(1)",
        ),
        ("border", true, None) => undetermined(),
        _ => det(
            J::String(deadline(&app.registered_on, p(21, DurationUnit::Days))),
            "procedure.within_21_days",
            "APR Art. 28(1)",
        ),
    };

    let examination = match track {
        "border" => {
            let weeks = if crisis {
                18
            } else if relocated {
                16
            } else {
                12
            };
            deadline(&app.registered_on, p(weeks, DurationUnit::Weeks))
        }
        "accelerated" => deadline(&app.lodged_on, p(3, DurationUnit::Months)),
        _ => deadline(&app.lodged_on, p(6, DurationUnit::Months)),
    };
    let examination_outcome = det(
        J::String(examination),
        "procedure.examination",
        "APR Art. 35(4)",
    );

    // RCD: Reg. 1182/71 Art. 3 (the transposing law was not found).
    let six_months = deadline_from(
        date(&app.registered_on),
        p(6, DurationUnit::Months),
        cal,
        Computation::reg_1182_71(),
        None,
    )
    .unwrap_or(Date::constant(1970, 1, 1));
    let access_from = six_months.tomorrow().unwrap_or(six_months);
    let no_decision_before = app
        .first_instance_decision_on
        .as_deref()
        .map(date)
        .is_none_or(|d| d >= access_from);
    // RCD Art. 17(1): never where accelerated under APR Art. 42(1)(a)-(f).
    let barred = !a.unaccompanied_minor
        && matches!(track, "accelerated" | "border")
        && (a.misled_authorities || a.security_threat);
    let access = !barred
        && as_of >= access_from
        && no_decision_before
        && !app.delay_attributable_to_applicant;
    let access_from_outcome = det(
        J::String(date_str(access_from)),
        "reception.six_months_from_registration",
        "RCD Art. 17(1)",
    );
    let access_outcome = det(
        J::Bool(access),
        if access {
            "reception.access_after_six_months"
        } else {
            "default"
        },
        "RCD Art. 17(1)",
    );

    let part_iii = responsibility::evaluate(
        &c.responsibility,
        &responsibility::Facts {
            registered_on: date(&app.registered_on),
            date_of_birth: date(&a.date_of_birth),
            unaccompanied_minor: a.unaccompanied_minor,
            security_threat: a.security_threat,
            relocated,
            first_instance_decision: app.first_instance_decision_on.is_some(),
            crisis: &c.context.crisis,
            time_limits_extended: c.context.responsibility_time_limits_extended,
            as_of,
        },
        cal,
        apr,
    );
    let case = c.case.clone().unwrap_or_default();
    let mut outcomes = vec![
        eligible,
        meaningful,
        confirmation,
        deemed_outcome,
        transfer_decision,
        transfer,
        after_arrival,
    ];
    outcomes.extend(part_iii);
    outcomes.extend([
        registration,
        lodging,
        grounds_outcome,
        border_outcome,
        track_outcome,
        examination_outcome,
        access_from_outcome,
        access_outcome,
    ]);
    (case, as_of, outcomes)
}

/// The JSON line of one evaluated case (the contract's shape, as `lsa batch`
/// writes it: the law's identity, the language, each outcome's label, what
/// to ask next).
pub fn to_json_line(
    case: &str,
    as_of: Date,
    law: &serde_json::Value,
    outcomes: &[Outcome],
) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        format: u32,
        case: &'a str,
        as_of: String,
        as_of_from: &'static str,
        lang: &'static str,
        law: &'a serde_json::Value,
        outcomes: Outcomes<'a>,
        errors: [(); 0],
        ask_next: [(); 0],
    }
    struct Labelled<'a>(&'static str, &'a Outcome);
    impl Serialize for Labelled<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let o = self.1;
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("status", o.status)?;
            m.serialize_entry("value", &o.value)?;
            m.serialize_entry("label", self.0)?;
            if let Some(r) = o.rule {
                m.serialize_entry("rule", r)?;
            }
            if let Some(r) = &o.rules {
                m.serialize_entry("rules", r)?;
            }
            if let Some(c) = &o.citations {
                m.serialize_entry("citations", c)?;
            }
            if let Some(c) = o.citation {
                m.serialize_entry("citation", c)?;
            }
            if let Some(r) = o.reason {
                m.serialize_entry("reason", r)?;
            }
            m.end()
        }
    }
    struct Outcomes<'a>(&'a [Outcome]);
    impl Serialize for Outcomes<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(Some(self.0.len()))?;
            for ((k, label), v) in KEYS.iter().zip(LABELS).zip(self.0) {
                m.serialize_entry(k, &Labelled(label, v))?;
            }
            m.end()
        }
    }
    serde_json::to_string(&Line {
        format: 1,
        case,
        as_of: date_str(as_of),
        as_of_from: "record",
        lang: "en",
        law,
        outcomes: Outcomes(outcomes),
        errors: [],
        ask_next: [],
    })
    .unwrap_or_default()
}

/// A line the baseline cannot read, as an error object.
pub fn error_line(line: usize, message: &str) -> String {
    serde_json::json!({ "format": 1, "case": null, "line": line, "status": "invalid", "errors": [{ "message": message }] }).to_string()
}
