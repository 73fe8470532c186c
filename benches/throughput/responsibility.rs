//! The baseline of AMMR Part III (the Member State responsible), written out
//! in plain Rust from the Regulation, independently of `rules/`: the
//! criteria in their order and the take charge, take back and transfer
//! time limits. It shares only the time library with lsa.

use jiff::civil::Date;
use lsa::time::{add_period, age, days_between, deadline_before, deadline_from, Calendar};
use lsa::time::{Computation, DurationUnit};
use lsa::value::{date_str, Period};
use serde::Deserialize;
use serde_json::Value as J;

use super::{date, det, undetermined, Outcome};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responsibility {
    pub family: Vec<FamilyMember>,
    pub documents: Vec<Document>,
    pub diplomas: Vec<Diploma>,
    pub entries: Vec<Entry>,
    pub previous_applications: Vec<PreviousApplication>,
    pub applicant_married: bool,
    pub made_in_airport_transit_area: bool,
    pub visa_waived_in_lithuania: bool,
    pub best_interests_member_state: Option<String>,
    pub lithuania_decided_to_examine_on: Option<String>,
    pub hit_received_on: Option<String>,
    pub take_back_member_state: Option<String>,
    pub take_back_hit_received_on: Option<String>,
    pub take_charge_requested_on: Option<String>,
    pub take_charge_request_received_on: Option<String>,
    pub urgent_reply_requested: bool,
    pub accepted_on: Option<String>,
    pub refused_on: Option<String>,
    pub take_back_notified_on: Option<String>,
    pub take_back_confirmed_on: Option<String>,
    pub take_back_objected_on: Option<String>,
    pub late_request_in_child_best_interests: bool,
    pub appeal_decided_on: Option<String>,
    pub imprisonment_prevents_transfer: bool,
    pub absconding_notified_on: Option<String>,
    pub available_again_on: Option<String>,
    pub transferred_on: Option<String>,
    pub other_state_time_limits_extended: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyMember {
    pub relation: String,
    pub member_state: String,
    pub status: String,
    pub existed_before_arrival: bool,
    pub arrived_on: String,
    pub desire_in_writing: bool,
    pub can_take_care: bool,
    pub against_best_interests: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub kind: String,
    pub issuing_state: String,
    pub issued_on_behalf_of: Option<String>,
    pub valid_from: String,
    pub valid_until: String,
    pub ended_early_on: Option<String>,
    pub fraud_after_issue: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diploma {
    pub member_state: String,
    pub issued_on: String,
    pub study_months: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub kind: String,
    pub member_state: String,
    pub on: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousApplication {
    pub member_state: String,
    pub registered_on: String,
}

/// What else of the case Part III reads.
pub struct Facts<'a> {
    pub registered_on: Date,
    pub date_of_birth: Date,
    pub unaccompanied_minor: bool,
    pub security_threat: bool,
    pub relocated: bool,
    pub first_instance_decision: bool,
    pub crisis: &'a str,
    pub time_limits_extended: bool,
    pub as_of: Date,
}

fn p(amount: i64, unit: DurationUnit) -> Period {
    Period { amount, unit }
}

/// The item that comes first by `better` (strictly better replaces: the
/// list's order breaks ties).
fn best<'a, T>(
    items: impl Iterator<Item = &'a T>,
    better: impl Fn(&T, &T) -> bool,
) -> Option<&'a T> {
    items.fold(None, |acc, x| match acc {
        Some(b) if !better(x, b) => Some(b),
        _ => Some(x),
    })
}

/// The 13 Part III determinations, in the order of the rules file.
pub fn evaluate(r: &Responsibility, f: &Facts, cal: &Calendar, ammr: &Computation) -> Vec<Outcome> {
    // AMMR Art. 84: applications registered from 1 July 2026.
    if f.registered_on < Date::constant(2026, 7, 1) {
        return (0..13).map(|_| undetermined()).collect();
    }
    let on = |d: &Option<String>| d.as_deref().map(date);
    let limit = |from: Date, period: Period| {
        deadline_from(from, period, cal, ammr, None).unwrap_or(Date::constant(1970, 1, 1))
    };
    let plus = |d: Date, period: Period| add_period(d, period).unwrap_or(d);
    let back = |d: Date, period: Period| deadline_before(d, period, None).unwrap_or(d);
    let reg = f.registered_on;

    // The situation when the application was first registered (Arts. 16(2), 24(2)).
    let earlier = best(
        r.previous_applications
            .iter()
            .filter(|a| date(&a.registered_on) < reg),
        |x, y| date(&x.registered_on) < date(&y.registered_on),
    );
    let first_reg = earlier.map_or(reg, |a| date(&a.registered_on));
    let first_state = earlier.map_or("LTU", |a| a.member_state.as_str());
    let minor = age(f.date_of_birth, first_reg) < 18;
    let security_check = f.security_threat && earlier.is_none();
    let lt_extends = matches!(f.crisis, "mass_arrival" | "force_majeure") && f.time_limits_extended;
    let other_extends = r.other_state_time_limits_extended;

    // Art. 25: an unaccompanied minor.
    let present = |m: &FamilyMember| m.status != "not_legally_present";
    let spouse_present = r
        .family
        .iter()
        .any(|m| m.relation == "spouse_or_partner" && present(m));
    let minor_family: Vec<&FamilyMember> = r
        .family
        .iter()
        .filter(|m| {
            present(m)
                && !m.against_best_interests
                && match m.relation.as_str() {
                    "sibling" => true,
                    "spouse_or_partner" | "minor_child" => m.existed_before_arrival,
                    "parent_or_responsible_adult" => {
                        (!r.applicant_married && m.existed_before_arrival)
                            || (r.applicant_married && !spouse_present)
                    }
                    "relative" => m.can_take_care,
                    _ => false,
                }
        })
        .collect();
    let first_listed = minor_family.first().copied();
    let family_member = minor_family
        .iter()
        .copied()
        .find(|m| m.relation != "relative");
    let several = first_listed.is_some_and(|first| {
        minor_family
            .iter()
            .any(|m| m.member_state != first.member_state)
    });

    // Arts. 26, 27: family members, the desire expressed in writing.
    let is_family = |m: &FamilyMember| {
        matches!(m.relation.as_str(), "spouse_or_partner" | "minor_child")
            || (m.relation == "parent_or_responsible_adult" && minor && !r.applicant_married)
    };
    let beneficiaries: Vec<&FamilyMember> = r
        .family
        .iter()
        .filter(|m| {
            matches!(
                m.status.as_str(),
                "beneficiary" | "long_term_resident" | "citizen_former_beneficiary"
            ) && is_family(m)
                && (m.existed_before_arrival
                    || (m.relation == "parent_or_responsible_adult"
                        && f.date_of_birth > date(&m.arrived_on)))
                && m.desire_in_writing
        })
        .collect();
    let applicants: Vec<&FamilyMember> = r
        .family
        .iter()
        .filter(|m| {
            m.status == "applicant_no_first_decision"
                && is_family(m)
                && m.existed_before_arrival
                && m.desire_in_writing
        })
        .collect();
    let one_state = |list: &[&FamilyMember]| {
        list.first()
            .is_none_or(|first| list.iter().all(|m| m.member_state == first.member_state))
    };

    // Arts. 29, 30: documents and diplomas within their windows.
    let counts = |d: &Document, cutoff: Date| {
        !d.fraud_after_issue
            && date(&d.valid_from) <= first_reg
            && date(&d.valid_until) > cutoff
            && on(&d.ended_early_on).is_none_or(|e| e > cutoff)
    };
    let validity = |d: &Document| days_between(date(&d.valid_from), date(&d.valid_until));
    let longer_then_later = |x: &Document, y: &Document| {
        (validity(x), date(&x.valid_until)) > (validity(y), date(&y.valid_until))
    };
    let residence_cutoff = back(first_reg, p(3, DurationUnit::Years));
    let residence = best(
        r.documents
            .iter()
            .filter(|d| d.kind == "residence_document" && counts(d, residence_cutoff)),
        longer_then_later,
    );
    let visa_cutoff = back(first_reg, p(18, DurationUnit::Months));
    let visas: Vec<&Document> = r
        .documents
        .iter()
        .filter(|d| d.kind != "residence_document" && counts(d, visa_cutoff))
        .collect();
    let mixed = visas
        .first()
        .is_some_and(|v| visas.iter().any(|w| w.kind != v.kind));
    let visa = if mixed {
        best(visas.iter().copied(), longer_then_later)
    } else {
        best(visas.iter().copied(), |x, y| {
            date(&x.valid_until) > date(&y.valid_until)
        })
    };
    let diploma_cutoff = back(first_reg, p(6, DurationUnit::Years));
    let diploma = best(
        r.diplomas.iter().filter(|d| {
            let issued = date(&d.issued_on);
            issued <= first_reg && issued > diploma_cutoff
        }),
        |x, y| (x.study_months, date(&x.issued_on)) > (y.study_months, date(&y.issued_on)),
    );

    // Arts. 31-33: entry.
    let earliest = |kind: &str, window: Option<Period>| {
        best(
            r.entries.iter().filter(|e| {
                let at = date(&e.on);
                e.kind == kind && at <= first_reg && window.is_none_or(|w| first_reg <= plus(at, w))
            }),
            |x, y| date(&x.on) < date(&y.on),
        )
    };
    let visa_waived = earliest("visa_waived_entry", None);
    let disembarkation = earliest("sar_disembarkation", Some(p(12, DurationUnit::Months)));
    let crossing = earliest("irregular_crossing", Some(p(20, DurationUnit::Months)));
    let relocation_after = best(
        r.entries.iter().filter(|e| {
            let at = date(&e.on);
            e.kind == "relocation"
                && e.member_state != "LTU"
                && at <= first_reg
                && r.entries.iter().any(|c| {
                    matches!(c.kind.as_str(), "irregular_crossing" | "sar_disembarkation")
                        && date(&c.on) <= at
                })
        }),
        |x, y| date(&x.on) > date(&y.on),
    );

    // The criterion (Art. 24, in the Regulation's order).
    let uam = f.unaccompanied_minor;
    let here = f.relocated;
    let criterion = if r.take_back_member_state.is_some() {
        "eurodac_indication"
    } else if security_check {
        "security_threat"
    } else if uam && several {
        "minor_best_interests"
    } else if uam && family_member.is_some() {
        "minor_family"
    } else if uam && first_listed.is_some() {
        "minor_relative"
    } else if uam && !here {
        "minor_first_registration"
    } else if uam {
        "relocated_to_lithuania"
    } else if !beneficiaries.is_empty() {
        "family_beneficiary"
    } else if !applicants.is_empty() {
        "family_applicant"
    } else if !here && residence.is_some() {
        "residence_document"
    } else if !here && visa.is_some() {
        "visa"
    } else if !here && diploma.is_some() {
        "diploma"
    } else if visa_waived.is_some() {
        "visa_waived_entry"
    } else if r.made_in_airport_transit_area {
        "airport_transit_area"
    } else if relocation_after.is_some() {
        "relocated_after_entry"
    } else if !here && disembarkation.is_some() {
        "search_and_rescue"
    } else if !here && crossing.is_some() {
        "irregular_entry"
    } else if !here {
        "first_registration"
    } else {
        "relocated_to_lithuania"
    };
    let state = |s: &str| Some(s.to_string());
    let criterion_state: Option<String> = match criterion {
        "eurodac_indication" => r.take_back_member_state.clone(),
        "minor_best_interests" => r.best_interests_member_state.clone(),
        "minor_family" => family_member.and_then(|m| state(&m.member_state)),
        "minor_relative" => first_listed.and_then(|m| state(&m.member_state)),
        "minor_first_registration" | "first_registration" => state(first_state),
        "family_beneficiary" if one_state(&beneficiaries) => {
            beneficiaries.first().and_then(|m| state(&m.member_state))
        }
        "family_applicant" if one_state(&applicants) => {
            applicants.first().and_then(|m| state(&m.member_state))
        }
        "family_beneficiary" | "family_applicant" => None,
        "residence_document" => residence.and_then(|d| state(&d.issuing_state)),
        "visa" => visa.and_then(|d| d.issued_on_behalf_of.clone().or(state(&d.issuing_state))),
        "diploma" => diploma.and_then(|d| state(&d.member_state)),
        "visa_waived_entry" if r.visa_waived_in_lithuania => state("LTU"),
        "visa_waived_entry" => visa_waived.and_then(|e| state(&e.member_state)),
        "relocated_after_entry" => relocation_after.and_then(|e| state(&e.member_state)),
        "search_and_rescue" => disembarkation.and_then(|e| state(&e.member_state)),
        "irregular_entry" => crossing.and_then(|e| state(&e.member_state)),
        // security_threat, airport_transit_area, relocated_to_lithuania
        _ => state("LTU"),
    };
    let settled = criterion_state.is_some();

    // Take charge (Arts. 39, 40; Crisis Art. 12(2)(a), (b)).
    let possible = r.take_back_member_state.is_none() && !security_check && !here;
    let hit = on(&r.hit_received_on);
    let request_deadline = possible.then(|| {
        if lt_extends {
            limit(reg, p(4, DurationUnit::Months))
        } else if let Some(h) = hit {
            limit(h, p(1, DurationUnit::Months))
        } else {
            limit(reg, p(2, DurationUnit::Months))
        }
    });
    let requested = on(&r.take_charge_requested_on);
    let late = request_deadline.is_some_and(|d| match requested {
        Some(sent) => sent > d,
        None => f.as_of > d && settled && criterion_state.as_deref() != Some("LTU"),
    }) && !(uam && r.late_request_in_child_best_interests && !f.first_instance_decision);
    let received = on(&r.take_charge_request_received_on);
    let reply_deadline = received.map(|at| {
        let period = if other_extends {
            p(2, DurationUnit::Months)
        } else if hit.is_some() || r.urgent_reply_requested {
            p(2, DurationUnit::Weeks)
        } else {
            p(1, DurationUnit::Months)
        };
        limit(at, period)
    });
    let (accepted, refused) = (on(&r.accepted_on), on(&r.refused_on));
    let deemed_accepted = reply_deadline.is_some_and(|d| {
        f.as_of > d && accepted.is_none_or(|a| a > d) && refused.is_none_or(|x| x > d)
    });

    // Take back (Art. 41; Crisis Art. 12(2)(c)).
    let one_or_two = |extended: bool| {
        if extended {
            p(1, DurationUnit::Months)
        } else {
            p(2, DurationUnit::Weeks)
        }
    };
    let notification_deadline =
        on(&r.take_back_hit_received_on).map(|h| limit(h, one_or_two(lt_extends)));
    let confirmation_deadline =
        on(&r.take_back_notified_on).map(|n| limit(n, one_or_two(other_extends)));
    let (confirmed, objected) = (on(&r.take_back_confirmed_on), on(&r.take_back_objected_on));
    let deemed_confirmed = confirmation_deadline.is_some_and(|d| {
        f.as_of > d && confirmed.is_none_or(|c| c > d) && objected.is_none_or(|o| o > d)
    });

    // The transfer (Arts. 42, 46; Crisis Art. 12(2)(d), (4)).
    let agreed_on = if deemed_accepted {
        reply_deadline
    } else if accepted.is_some() {
        accepted
    } else if deemed_confirmed {
        confirmation_deadline
    } else {
        confirmed
    };
    let starts = agreed_on.map(|a| on(&r.appeal_decided_on).unwrap_or(a));
    let transfer_deadline = starts.map(|s| {
        let six = limit(s, p(6, DurationUnit::Months));
        if let Some(again) = on(&r.available_again_on) {
            let three = limit(again, p(3, DurationUnit::Months));
            if six < three {
                three
            } else {
                six
            }
        } else if let Some(told) = on(&r.absconding_notified_on) {
            limit(told, p(3, DurationUnit::Years))
        } else if r.imprisonment_prevents_transfer || lt_extends || other_extends {
            limit(s, p(1, DurationUnit::Years))
        } else {
            six
        }
    });
    let shifted = transfer_deadline.is_some_and(|d| on(&r.transferred_on).is_none() && f.as_of > d);
    let member_state = if r.lithuania_decided_to_examine_on.is_some() || shifted || late {
        Some("LTU".to_string())
    } else {
        criterion_state.clone()
    };

    let c = "AMMR Art. 24";
    let day = |d: Option<Date>, rule: &'static str, cite: &'static str| match d {
        Some(d) => det(J::String(date_str(d)), rule, cite),
        None => undetermined(),
    };
    let text = |s: Option<String>, rule: &'static str, cite: &'static str| match s {
        Some(s) => det(J::String(s), rule, cite),
        None => undetermined(),
    };
    vec![
        det(J::String(criterion.into()), "responsibility.criterion", c),
        day(
            request_deadline,
            "responsibility.take_charge_request",
            "AMMR Art. 39(1)",
        ),
        day(
            reply_deadline,
            "responsibility.take_charge_reply",
            "AMMR Art. 40",
        ),
        det(
            J::Bool(deemed_accepted),
            "responsibility.deemed_accepted",
            "AMMR Art. 40(8)",
        ),
        day(
            notification_deadline,
            "responsibility.take_back_notification",
            "AMMR Art. 41(1)",
        ),
        day(
            confirmation_deadline,
            "responsibility.take_back_confirmation",
            "AMMR Art. 41(3)",
        ),
        det(
            J::Bool(deemed_confirmed),
            "responsibility.deemed_confirmed",
            "AMMR Art. 41(4)",
        ),
        day(
            agreed_on,
            "responsibility.accepted_or_confirmed_on",
            "AMMR Art. 42(1)",
        ),
        day(
            agreed_on.map(|a| limit(a, p(2, DurationUnit::Weeks))),
            "responsibility.transfer_decision",
            "AMMR Art. 42(1)",
        ),
        day(transfer_deadline, "responsibility.transfer", "AMMR Art. 46"),
        det(
            J::Bool(shifted),
            "responsibility.shifted",
            "AMMR Art. 46(2)",
        ),
        text(criterion_state, "responsibility.criterion_member_state", c),
        text(
            member_state,
            "responsibility.member_state",
            "AMMR Art. 16(1)",
        ),
    ]
}
