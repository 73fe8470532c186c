//! The lean baseline of AMMR Part III (the Member State responsible),
//! written out in plain Rust from the Regulation, independently of
//! `rules/`: the criteria in their order and the take charge, take back and
//! transfer time limits, over day numbers and inline lists.

use serde::Deserialize;

use super::{add, age, by, opt, Cal, Day, Few, Out, P, UNDETERMINED, V};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responsibility<'a> {
    #[serde(borrow)]
    pub family: Few<FamilyMember<'a>, 4>,
    #[serde(borrow)]
    pub documents: Few<Document<'a>, 4>,
    #[serde(borrow)]
    pub diplomas: Few<Diploma<'a>, 4>,
    #[serde(borrow)]
    pub entries: Few<Entry<'a>, 4>,
    #[serde(borrow)]
    pub previous_applications: Few<PreviousApplication<'a>, 4>,
    pub applicant_married: bool,
    pub made_in_airport_transit_area: bool,
    pub visa_waived_in_lithuania: bool,
    pub best_interests_member_state: Option<&'a str>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub lithuania_decided_to_examine_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub hit_received_on: Option<Day>,
    pub take_back_member_state: Option<&'a str>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub take_back_hit_received_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub take_charge_requested_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub take_charge_request_received_on: Option<Day>,
    pub urgent_reply_requested: bool,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub accepted_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub refused_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub take_back_notified_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub take_back_confirmed_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub take_back_objected_on: Option<Day>,
    pub late_request_in_child_best_interests: bool,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub appeal_decided_on: Option<Day>,
    pub imprisonment_prevents_transfer: bool,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub absconding_notified_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub available_again_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub transferred_on: Option<Day>,
    pub other_state_time_limits_extended: bool,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub transfer_decided_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub detained_on: Option<Day>,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub detention_ended_on: Option<Day>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    #[default]
    SpouseOrPartner,
    MinorChild,
    ParentOrResponsibleAdult,
    Sibling,
    Relative,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum FamilyStatus {
    #[default]
    Beneficiary,
    LongTermResident,
    CitizenFormerBeneficiary,
    ApplicantNoFirstDecision,
    ApplicantAfterFirstDecision,
    OtherLegalStay,
    NotLegallyPresent,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    #[default]
    ResidenceDocument,
    LongStayVisa,
    ShortStayVisa,
    AirportTransitVisa,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    #[default]
    IrregularCrossing,
    SarDisembarkation,
    VisaWaivedEntry,
    Relocation,
}

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(deny_unknown_fields)]
pub struct FamilyMember<'a> {
    pub relation: Relation,
    pub member_state: &'a str,
    pub status: FamilyStatus,
    pub existed_before_arrival: bool,
    #[serde(deserialize_with = "super::day")]
    pub arrived_on: Day,
    pub desire_in_writing: bool,
    pub can_take_care: bool,
    pub against_best_interests: bool,
}

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(deny_unknown_fields)]
pub struct Document<'a> {
    pub kind: DocumentKind,
    pub issuing_state: &'a str,
    pub issued_on_behalf_of: Option<&'a str>,
    #[serde(deserialize_with = "super::day")]
    pub valid_from: Day,
    #[serde(deserialize_with = "super::day")]
    pub valid_until: Day,
    #[serde(default, deserialize_with = "super::opt_day")]
    pub ended_early_on: Option<Day>,
    pub fraud_after_issue: bool,
}

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(deny_unknown_fields)]
pub struct Diploma<'a> {
    pub member_state: &'a str,
    #[serde(deserialize_with = "super::day")]
    pub issued_on: Day,
    pub study_months: i64,
}

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(deny_unknown_fields)]
pub struct Entry<'a> {
    pub kind: EntryKind,
    pub member_state: &'a str,
    #[serde(deserialize_with = "super::day")]
    pub on: Day,
}

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(deny_unknown_fields)]
pub struct PreviousApplication<'a> {
    pub member_state: &'a str,
    #[serde(deserialize_with = "super::day")]
    pub registered_on: Day,
}

/// What else of the case Part III reads.
pub struct Facts {
    pub registered_on: Day,
    pub date_of_birth: Day,
    pub unaccompanied_minor: bool,
    pub security_threat: bool,
    pub relocated: bool,
    pub first_instance_decision: bool,
    /// Crisis Art. 12(1): mass arrival or force majeure, and Lithuania
    /// extends the time limits.
    pub lithuania_extends: bool,
    pub as_of: Day,
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

/// The 13 Part III determinations, in the order of the rules file, into `out`.
pub fn evaluate<'a>(r: &Responsibility<'a>, f: &Facts, cal: &Cal, out: &mut [Out<'a>; 16]) {
    use V::{Bool, Code, Sym};
    // AMMR Art. 84: applications registered from 1 July 2026 (the synthetic
    // caseload's are; the rules answer "does not apply" before).
    if f.registered_on < super::from_civil(2026, 7, 1) {
        *out = [UNDETERMINED; 16];
        return;
    }
    let reg = f.registered_on;

    // The situation when the application was first registered (Arts. 16(2), 24(2)).
    let earlier = best(
        r.previous_applications
            .iter()
            .filter(|a| a.registered_on < reg),
        |x, y| x.registered_on < y.registered_on,
    );
    let first_reg = earlier.map_or(reg, |a| a.registered_on);
    let first_state = earlier.map_or("LTU", |a| a.member_state);
    let minor = age(f.date_of_birth, first_reg) < 18;
    let security_check = f.security_threat && earlier.is_none();
    let other_extends = r.other_state_time_limits_extended;

    // Art. 25: an unaccompanied minor.
    let present = |m: &FamilyMember| m.status != FamilyStatus::NotLegallyPresent;
    let spouse_present = r
        .family
        .iter()
        .any(|m| m.relation == Relation::SpouseOrPartner && present(m));
    let minor_family = |m: &&FamilyMember| {
        present(m)
            && !m.against_best_interests
            && match m.relation {
                Relation::Sibling => true,
                Relation::SpouseOrPartner | Relation::MinorChild => m.existed_before_arrival,
                Relation::ParentOrResponsibleAdult => {
                    (!r.applicant_married && m.existed_before_arrival)
                        || (r.applicant_married && !spouse_present)
                }
                Relation::Relative => m.can_take_care,
            }
    };
    let first_listed = r.family.iter().find(minor_family);
    let family_member = r
        .family
        .iter()
        .filter(minor_family)
        .find(|m| m.relation != Relation::Relative);
    let several = first_listed.is_some_and(|first| {
        r.family
            .iter()
            .filter(minor_family)
            .any(|m| m.member_state != first.member_state)
    });

    // Arts. 26, 27: family members, the desire expressed in writing.
    let is_family = |m: &FamilyMember| {
        matches!(m.relation, Relation::SpouseOrPartner | Relation::MinorChild)
            || (m.relation == Relation::ParentOrResponsibleAdult && minor && !r.applicant_married)
    };
    let beneficiary = |m: &&FamilyMember| {
        matches!(
            m.status,
            FamilyStatus::Beneficiary
                | FamilyStatus::LongTermResident
                | FamilyStatus::CitizenFormerBeneficiary
        ) && is_family(m)
            && (m.existed_before_arrival
                || (m.relation == Relation::ParentOrResponsibleAdult
                    && f.date_of_birth > m.arrived_on))
            && m.desire_in_writing
    };
    let applicant = |m: &&FamilyMember| {
        m.status == FamilyStatus::ApplicantNoFirstDecision
            && is_family(m)
            && m.existed_before_arrival
            && m.desire_in_writing
    };
    // The first family member the filter keeps, and whether all it keeps
    // are in that one's Member State.
    let first_in_one_state = |keep: &dyn Fn(&&FamilyMember) -> bool| {
        let first = r.family.iter().find(|m| keep(m))?;
        let one = r
            .family
            .iter()
            .filter(|m| keep(m))
            .all(|m| m.member_state == first.member_state);
        Some((first.member_state, one))
    };
    let beneficiaries = first_in_one_state(&beneficiary);
    let applicants = first_in_one_state(&applicant);

    // Arts. 29, 30: documents and diplomas within their windows.
    let counts = |d: &Document, cutoff: Day| {
        !d.fraud_after_issue
            && d.valid_from <= first_reg
            && d.valid_until > cutoff
            && d.ended_early_on.is_none_or(|e| e > cutoff)
    };
    let longer_then_later = |x: &Document, y: &Document| {
        (x.valid_until - x.valid_from, x.valid_until)
            > (y.valid_until - y.valid_from, y.valid_until)
    };
    let residence_cutoff = add(first_reg, P::Years(3), -1);
    let residence = best(
        r.documents
            .iter()
            .filter(|d| d.kind == DocumentKind::ResidenceDocument && counts(d, residence_cutoff)),
        longer_then_later,
    );
    let visa_cutoff = add(first_reg, P::Months(18), -1);
    let is_visa =
        |d: &&Document| d.kind != DocumentKind::ResidenceDocument && counts(d, visa_cutoff);
    let mixed = r
        .documents
        .iter()
        .find(is_visa)
        .is_some_and(|v| r.documents.iter().filter(is_visa).any(|w| w.kind != v.kind));
    let visa = if mixed {
        best(r.documents.iter().filter(is_visa), longer_then_later)
    } else {
        best(r.documents.iter().filter(is_visa), |x, y| {
            x.valid_until > y.valid_until
        })
    };
    let diploma_cutoff = add(first_reg, P::Years(6), -1);
    let diploma = best(
        r.diplomas
            .iter()
            .filter(|d| d.issued_on <= first_reg && d.issued_on > diploma_cutoff),
        |x, y| (x.study_months, x.issued_on) > (y.study_months, y.issued_on),
    );

    // Arts. 31-33: entry.
    let earliest = |kind: EntryKind, window: Option<P>| {
        best(
            r.entries.iter().filter(|e| {
                e.kind == kind
                    && e.on <= first_reg
                    && window.is_none_or(|w| first_reg <= add(e.on, w, 1))
            }),
            |x, y| x.on < y.on,
        )
    };
    let visa_waived = earliest(EntryKind::VisaWaivedEntry, None);
    let disembarkation = earliest(EntryKind::SarDisembarkation, Some(P::Months(12)));
    let crossing = earliest(EntryKind::IrregularCrossing, Some(P::Months(20)));
    let relocation_after = best(
        r.entries.iter().filter(|e| {
            e.kind == EntryKind::Relocation
                && e.member_state != "LTU"
                && e.on <= first_reg
                && r.entries.iter().any(|c| {
                    matches!(
                        c.kind,
                        EntryKind::IrregularCrossing | EntryKind::SarDisembarkation
                    ) && c.on <= e.on
                })
        }),
        |x, y| x.on > y.on,
    );

    // The criterion (Art. 24, in the Regulation's order) and the Member
    // State it points to.
    let uam = f.unaccompanied_minor;
    let here = f.relocated;
    type Crit<'a> = (&'static str, &'static str, Option<&'a str>, &'static str);
    let (criterion, crit_tail, state, state_tail): Crit<'a> =
        if let Some(s) = r.take_back_member_state {
            (
                "eurodac_indication",
                by!("responsibility.eurodac_indication", "AMMR Art. 36(1)(b)"),
                Some(s),
                by!("responsibility.eurodac_indication", "AMMR Art. 36(1)(b)"),
            )
        } else if security_check {
            (
                "security_threat",
                by!("responsibility.security_threat", "AMMR Art. 16(4)"),
                Some("LTU"),
                by!("responsibility.security_threat", "AMMR Art. 16(4)"),
            )
        } else if uam && several {
            (
                "minor_best_interests",
                by!("responsibility.minor_best_interests", "AMMR Art. 25(4)"),
                r.best_interests_member_state,
                by!("responsibility.minor_best_interests", "AMMR Art. 25(4)"),
            )
        } else if let (true, Some(m)) = (uam, family_member) {
            (
                "minor_family",
                by!("responsibility.minor_family", "AMMR Art. 25(2)"),
                Some(m.member_state),
                by!("responsibility.minor_family", "AMMR Art. 25(2)"),
            )
        } else if let (true, Some(m)) = (uam, first_listed) {
            (
                "minor_relative",
                by!("responsibility.minor_relative", "AMMR Art. 25(3)"),
                Some(m.member_state),
                by!("responsibility.minor_relative", "AMMR Art. 25(3)"),
            )
        } else if uam && !here {
            (
                "minor_first_registration",
                by!("responsibility.minor_first_registration", "AMMR Art. 25(5)"),
                Some(first_state),
                by!("responsibility.minor_first_registration", "AMMR Art. 25(5)"),
            )
        } else if uam {
            (
                "relocated_to_lithuania",
                by!(
                    "responsibility.minor_relocated",
                    "AMMR Art. 68(2); AMMR Art. 25(1)"
                ),
                Some("LTU"),
                by!("responsibility.relocated_to_lithuania", "AMMR Art. 68(2)"),
            )
        } else if let Some((s, one)) = beneficiaries {
            (
                "family_beneficiary",
                by!("responsibility.family_beneficiary", "AMMR Art. 26"),
                one.then_some(s),
                by!("responsibility.family_beneficiary", "AMMR Art. 26"),
            )
        } else if let Some((s, one)) = applicants {
            (
                "family_applicant",
                by!("responsibility.family_applicant", "AMMR Art. 27"),
                one.then_some(s),
                by!("responsibility.family_applicant", "AMMR Art. 27"),
            )
        } else if let (false, Some(d)) = (here, residence) {
            (
                "residence_document",
                by!("responsibility.residence_document", "AMMR Art. 29(1)"),
                Some(d.issuing_state),
                by!("responsibility.residence_document", "AMMR Art. 29(1)"),
            )
        } else if let (false, Some(d)) = (here, visa) {
            let tail = if d.issued_on_behalf_of.is_some() {
                by!("responsibility.visa_on_behalf", "AMMR Art. 29(2)")
            } else {
                by!("responsibility.visa", "AMMR Art. 29(2)")
            };
            (
                "visa",
                by!("responsibility.visa", "AMMR Art. 29(2)"),
                Some(d.issued_on_behalf_of.unwrap_or(d.issuing_state)),
                tail,
            )
        } else if let (false, Some(d)) = (here, diploma) {
            (
                "diploma",
                by!("responsibility.diploma", "AMMR Art. 30"),
                Some(d.member_state),
                by!("responsibility.diploma", "AMMR Art. 30(1)"),
            )
        } else if let Some(e) = visa_waived {
            let (s, tail) = if r.visa_waived_in_lithuania {
                (
                    "LTU",
                    by!("responsibility.visa_waived_entry_here", "AMMR Art. 31(2)"),
                )
            } else {
                (
                    e.member_state,
                    by!("responsibility.visa_waived_entry", "AMMR Art. 31(1)"),
                )
            };
            (
                "visa_waived_entry",
                by!("responsibility.visa_waived_entry", "AMMR Art. 31"),
                Some(s),
                tail,
            )
        } else if r.made_in_airport_transit_area {
            (
                "airport_transit_area",
                by!("responsibility.airport_transit_area", "AMMR Art. 32"),
                Some("LTU"),
                by!("responsibility.airport_transit_area", "AMMR Art. 32"),
            )
        } else if let Some(e) = relocation_after {
            (
                "relocated_after_entry",
                by!("responsibility.relocated_after_entry", "AMMR Art. 33(3)"),
                Some(e.member_state),
                by!("responsibility.relocated_after_entry", "AMMR Art. 33(3)"),
            )
        } else if let (false, Some(e)) = (here, disembarkation) {
            (
                "search_and_rescue",
                by!("responsibility.search_and_rescue", "AMMR Art. 33(2)"),
                Some(e.member_state),
                by!("responsibility.search_and_rescue", "AMMR Art. 33(2)"),
            )
        } else if let (false, Some(e)) = (here, crossing) {
            (
                "irregular_entry",
                by!("responsibility.irregular_entry", "AMMR Art. 33(1)"),
                Some(e.member_state),
                by!("responsibility.irregular_entry", "AMMR Art. 33(1)"),
            )
        } else if !here {
            (
                "first_registration",
                by!("responsibility.first_registration", "AMMR Art. 16(2)"),
                Some(first_state),
                by!("responsibility.first_registration", "AMMR Art. 16(2)"),
            )
        } else {
            (
                "relocated_to_lithuania",
                by!("responsibility.relocated_to_lithuania", "AMMR Art. 68(2)"),
                Some("LTU"),
                by!("responsibility.relocated_to_lithuania", "AMMR Art. 68(2)"),
            )
        };
    let settled = state.is_some();

    // Take charge (Arts. 39, 40; Crisis Art. 12(2)(a), (b)).
    let possible = r.take_back_member_state.is_none() && !security_check && !here;
    let request = possible.then(|| {
        if f.lithuania_extends {
            (
                cal.limit(reg, P::Months(4)),
                by!("responsibility.crisis", "Crisis Art. 12(2)(a)"),
            )
        } else if let Some(h) = r.hit_received_on {
            (
                cal.limit(h, P::Months(1)),
                by!(
                    "responsibility.from_hit",
                    "AMMR Art. 39(1), second subparagraph"
                ),
            )
        } else {
            (
                cal.limit(reg, P::Months(2)),
                by!(
                    "responsibility.from_registration",
                    "AMMR Art. 39(1), first subparagraph"
                ),
            )
        }
    });
    let late = request.is_some_and(|(d, _)| match r.take_charge_requested_on {
        Some(sent) => sent > d,
        None => f.as_of > d && settled && state != Some("LTU"),
    }) && !(uam && r.late_request_in_child_best_interests && !f.first_instance_decision);
    // Art. 45(2): detained (Art. 44) on the day the request was received:
    // one week, also where the requested Member State applies Crisis
    // Art. 12, which does not reach Art. 45.
    let detained_at = |at: Day| {
        r.detained_on.is_some_and(|d| d <= at) && r.detention_ended_on.is_none_or(|e| e >= at)
    };
    let detained_reply = r.take_charge_request_received_on.is_some_and(detained_at);
    let reply = r.take_charge_request_received_on.map(|at| {
        if detained_reply {
            (
                cal.limit(at, P::Weeks(1)),
                by!("responsibility.detained", "AMMR Art. 45(2)"),
            )
        } else if other_extends {
            (
                cal.limit(at, P::Months(2)),
                by!("responsibility.crisis", "Crisis Art. 12(2)(b)"),
            )
        } else if r.hit_received_on.is_some() {
            (
                cal.limit(at, P::Weeks(2)),
                by!("responsibility.after_hit", "AMMR Art. 40(2)"),
            )
        } else if r.urgent_reply_requested {
            (
                cal.limit(at, P::Weeks(2)),
                by!("responsibility.urgent", "AMMR Art. 40(7)"),
            )
        } else {
            (
                cal.limit(at, P::Months(1)),
                by!("responsibility.one_month", "AMMR Art. 40(1)"),
            )
        }
    });
    let reply_deadline = reply.map(|(d, _)| d);
    let deemed_accepted = reply_deadline.is_some_and(|d| {
        f.as_of > d && r.accepted_on.is_none_or(|a| a > d) && r.refused_on.is_none_or(|x| x > d)
    });

    // Take back (Art. 41; Crisis Art. 12(2)(c)).
    let take_back = |from: Option<Day>, extended: bool, two_weeks: &'static str| {
        from.map(|at| {
            if extended {
                (
                    cal.limit(at, P::Months(1)),
                    by!("responsibility.crisis", "Crisis Art. 12(2)(c)"),
                )
            } else {
                (cal.limit(at, P::Weeks(2)), two_weeks)
            }
        })
    };
    let notification = take_back(
        r.take_back_hit_received_on,
        f.lithuania_extends,
        by!("responsibility.two_weeks", "AMMR Art. 41(1)"),
    );
    let confirmation = take_back(
        r.take_back_notified_on,
        other_extends,
        by!("responsibility.two_weeks", "AMMR Art. 41(3)"),
    );
    let confirmation_deadline = confirmation.map(|(d, _)| d);
    let deemed_confirmed = confirmation_deadline.is_some_and(|d| {
        f.as_of > d
            && r.take_back_confirmed_on.is_none_or(|c| c > d)
            && r.take_back_objected_on.is_none_or(|o| o > d)
    });

    // The transfer (Arts. 42, 46; Crisis Art. 12(2)(d), (4)).
    let agreed = if deemed_accepted {
        reply_deadline.map(|d| {
            (
                d,
                if detained_reply {
                    by!(
                        "responsibility.deemed_acceptance_detained",
                        "AMMR Art. 45(2)"
                    )
                } else {
                    by!("responsibility.deemed_acceptance", "AMMR Art. 40(8)")
                },
            )
        })
    } else if let Some(a) = r.accepted_on {
        Some((a, by!("responsibility.accepted", "AMMR Art. 40(1)")))
    } else if deemed_confirmed {
        confirmation_deadline.map(|d| {
            (
                d,
                by!("responsibility.deemed_confirmation", "AMMR Art. 41(4)"),
            )
        })
    } else {
        r.take_back_confirmed_on
            .map(|c| (c, by!("responsibility.confirmed", "AMMR Art. 41(3)")))
    };
    let transfer = agreed.map(|(a, _)| {
        let starts = r.appeal_decided_on.unwrap_or(a);
        let six = cal.limit(starts, P::Months(6));
        if let Some(again) = r.available_again_on {
            let three = cal.limit(again, P::Months(3));
            if six < three {
                (
                    three,
                    by!(
                        "responsibility.available_again",
                        "AMMR Art. 46(2), second subparagraph"
                    ),
                )
            } else {
                (
                    six,
                    by!(
                        "responsibility.available_again_in_time",
                        "AMMR Art. 46(1); AMMR Art. 46(2), second subparagraph"
                    ),
                )
            }
        } else if let Some(told) = r.absconding_notified_on {
            (
                cal.limit(told, P::Years(3)),
                by!("responsibility.absconding", "AMMR Art. 46(2)"),
            )
        } else if r.imprisonment_prevents_transfer {
            (
                cal.limit(starts, P::Years(1)),
                by!("responsibility.imprisonment", "AMMR Art. 46(2)"),
            )
        } else if f.lithuania_extends || other_extends {
            (
                cal.limit(starts, P::Years(1)),
                by!(
                    "responsibility.crisis",
                    "Crisis Art. 12(2)(d); Crisis Art. 12(4)"
                ),
            )
        } else {
            (six, by!("responsibility.six_months", "AMMR Art. 46(1)"))
        }
    });
    let shifted = transfer.is_some_and(|(d, _)| r.transferred_on.is_none() && f.as_of > d);
    // Art. 45: a person detained to secure the transfer. Missing its time
    // limits ends the detention (Art. 45(4)), nothing else.
    let detained = r.detained_on.is_some() && r.detention_ended_on.is_none();
    let due = possible || r.take_back_member_state.is_some();
    let detained_request = match (due, r.detained_on) {
        (true, Some(d)) if d <= reg => Some((
            cal.limit(reg, P::Weeks(2)),
            by!(
                "responsibility.from_registration",
                "AMMR Art. 45(1), first subparagraph"
            ),
        )),
        (true, Some(d)) => Some((
            cal.limit(d, P::Weeks(1)),
            by!(
                "responsibility.from_detention",
                "AMMR Art. 45(1), second subparagraph"
            ),
        )),
        _ => None,
    };
    let owed = r.take_back_member_state.is_some()
        || (possible
            && r.lithuania_decided_to_examine_on.is_none()
            && !(settled && state == Some("LTU")));
    let sent = if r.take_back_member_state.is_some() {
        r.take_back_notified_on
    } else {
        r.take_charge_requested_on
    };
    let request_missed = detained_request.is_some_and(|(d, _)| match sent {
        Some(s) => s > d,
        None => owed && f.as_of > d,
    });
    // The transfer decision within two weeks (Art. 42(1)).
    let transfer_decision = agreed.map(|(a, _)| {
        (
            cal.limit(a, P::Weeks(2)),
            by!("responsibility.two_weeks", "AMMR Art. 42(1)"),
        )
    });
    let decision_missed = transfer_decision
        .is_some_and(|(d, _)| r.transfer_decided_on.map_or(f.as_of > d, |t| t > d));
    let detained_transfer = agreed.filter(|_| r.detained_on.is_some()).map(|(a, _)| {
        (
            cal.limit(r.appeal_decided_on.unwrap_or(a), P::Weeks(5)),
            by!("responsibility.five_weeks", "AMMR Art. 45(3)"),
        )
    });
    let transfer_missed =
        detained_transfer.is_some_and(|(d, _)| r.transferred_on.is_none() && f.as_of > d);
    let must_end = if !detained {
        None
    } else if request_missed {
        Some(by!(
            "responsibility.request_not_in_time",
            "AMMR Art. 45(4); AMMR Art. 45(1)"
        ))
    } else if decision_missed {
        Some(by!(
            "responsibility.transfer_decision_not_in_time",
            "AMMR Art. 45(4); AMMR Art. 42(1)"
        ))
    } else if transfer_missed {
        Some(by!(
            "responsibility.transfer_not_in_time",
            "AMMR Art. 45(4); AMMR Art. 45(3)"
        ))
    } else {
        None
    };

    let shifted_tail = by!(
        "responsibility.transfer_not_carried_out",
        "AMMR Art. 46(2); AMMR Art. 37(1)"
    );
    let member_state = if r.lithuania_decided_to_examine_on.is_some() {
        Some((
            "LTU",
            by!(
                "responsibility.lithuania_decided_to_examine",
                "AMMR Art. 35(1); AMMR Art. 37(1)"
            ),
        ))
    } else if shifted {
        Some(("LTU", shifted_tail))
    } else if late {
        Some((
            "LTU",
            by!(
                "responsibility.take_charge_request_late",
                "AMMR Art. 39(1), third subparagraph"
            ),
        ))
    } else {
        state.map(|s| (s, by!("responsibility.by_the_criteria", "AMMR Art. 24")))
    };

    let date =
        |d: Option<(Day, &'static str)>| opt(d.map(|(d, _)| V::Day(d)), d.map_or("", |(_, t)| t));
    let flag = |b: bool, rule: &'static str, default: &'static str| Out {
        v: Bool(b),
        tail: if b { rule } else { default },
    };
    *out = [
        Out {
            v: Sym(criterion),
            tail: crit_tail,
        },
        date(request),
        date(reply),
        flag(
            deemed_accepted,
            if detained_reply {
                by!(
                    "responsibility.no_reply_in_time_detained",
                    "AMMR Art. 45(2)"
                )
            } else {
                by!("responsibility.no_reply_in_time", "AMMR Art. 40(8)")
            },
            by!("default", "AMMR Art. 40(8); AMMR Art. 45(2)"),
        ),
        date(notification),
        date(confirmation),
        flag(
            deemed_confirmed,
            by!("responsibility.no_reply_in_time", "AMMR Art. 41(4)"),
            by!("default", "AMMR Art. 41(4)"),
        ),
        date(agreed),
        date(transfer_decision),
        date(transfer),
        flag(shifted, shifted_tail, by!("default", "AMMR Art. 46(2)")),
        date(detained_request),
        date(detained_transfer),
        Out {
            v: Bool(must_end.is_some()),
            tail: must_end.unwrap_or(by!("default", "AMMR Art. 45(4)")),
        },
        opt(state.map(Code), state_tail),
        opt(
            member_state.map(|(s, _)| Code(s)),
            member_state.map_or("", |(_, t)| t),
        ),
    ];
}
