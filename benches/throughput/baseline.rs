//! The lean baseline: the shipped law's determinations hand-written in plain
//! Rust, as a careful programmer would write one program for this one law.
//!
//! - Reading: typed structs and enums straight from the JSON text (serde
//!   derive, strings borrowed from the line, lists in fixed inline arrays):
//!   no `serde_json::Value`, nothing allocated per case.
//! - Dates are day numbers (days since 1970-01-01) from parsing to writing;
//!   weekends and the Lithuanian public holidays are one bitmap, built once.
//! - Evaluation gives a fixed array of outcomes, each a small `Copy` value
//!   and the rule and citation as one static string.
//! - Writing: the output line as bytes into a reused buffer, byte for byte
//!   the line `lsa batch` writes (the bench checks it on every case).
//!
//! It shares only the holiday calendar's data with lsa (which days are
//! public holidays); dates, periods, the computation rules and the legal
//! logic are written out here independently. It covers the synthetic
//! caseload's ground: applications made from 1 July 2026, complete records.

use std::marker::PhantomData;

use serde::de::{Deserializer, Error as _, SeqAccess, Visitor};
use serde::Deserialize;

#[path = "responsibility.rs"]
pub mod responsibility;

// ------------------------------------------------------------------ dates

/// A date as days since 1970-01-01 (proleptic Gregorian).
pub type Day = i32;

/// Howard Hinnant's `days_from_civil`.
pub const fn from_civil(y: i32, m: i32, d: i32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`: (year, month, day).
pub const fn to_civil(z: Day) -> (i32, i32, i32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

const fn month_days(y: i32, m: i32) -> i32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD`, a real date, or nothing.
pub fn parse_day(s: &str) -> Option<Day> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i32> {
        b[from..to].iter().try_fold(0i32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    ((1..=12).contains(&m) && d >= 1 && d <= month_days(y, m)).then(|| from_civil(y, m, d))
}

/// Writes `"YYYY-MM-DD"` (with the quotes).
pub fn write_day(out: &mut Vec<u8>, day: Day) {
    let (y, m, d) = to_civil(day);
    let digit = |n: i32| b'0' + (n % 10) as u8;
    out.extend_from_slice(&[
        b'"',
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
        b'"',
    ]);
}

/// A period as the law states it.
#[derive(Clone, Copy)]
pub enum P {
    Days(i32),
    Weeks(i32),
    Months(i32),
    Years(i32),
}

fn add_months(day: Day, n: i32) -> Day {
    let (y, m, d) = to_civil(day);
    let total = y * 12 + (m - 1) + n;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    from_civil(ny, nm, d.min(month_days(ny, nm)))
}

/// Plain calendar arithmetic: the same weekday or date, the day clamped to
/// the end of a shorter month; `sign` -1 counts back.
pub fn add(day: Day, p: P, sign: i32) -> Day {
    match p {
        P::Days(n) => day + sign * n,
        P::Weeks(n) => day + sign * 7 * n,
        P::Months(n) => add_months(day, sign * n),
        P::Years(n) => add_months(day, sign * 12 * n),
    }
}

/// Age in whole years on `on`.
pub fn age(birth: Day, on: Day) -> i32 {
    let ((by, bm, bd), (y, m, d)) = (to_civil(birth), to_civil(on));
    y - by - i32::from((m, d) < (bm, bd))
}

/// Weekends and public holidays, one bit a day from 1900 to 2200.
pub struct Cal {
    first: Day,
    off: Vec<u64>,
}

impl Cal {
    pub fn new(cal: &lsa::time::Calendar) -> Cal {
        let (first, last) = (from_civil(1900, 1, 1), from_civil(2200, 12, 31));
        let mut off = vec![0u64; (last - first) as usize / 64 + 1];
        let mut set = |day: Day| {
            let i = (day - first) as usize;
            off[i / 64] |= 1 << (i % 64);
        };
        for day in first..=last {
            // 1970-01-01 was a Thursday: Monday is 0, Saturday 5, Sunday 6.
            if (day + 3).rem_euclid(7) >= 5 {
                set(day);
            }
        }
        for y in 1900..=2200i16 {
            for (date, _) in cal.holidays_in(y) {
                set(from_civil(
                    i32::from(date.year()),
                    i32::from(date.month()),
                    i32::from(date.day()),
                ));
            }
        }
        Cal { first, off }
    }

    fn is_off(&self, day: Day) -> bool {
        let i = (day - self.first) as usize;
        self.off[i / 64] >> (i % 64) & 1 == 1
    }

    fn working_from(&self, mut day: Day) -> Day {
        while self.is_off(day) {
            day += 1;
        }
        day
    }

    /// APR Art. 73 and AMMR Art. 75: the event day not counted; the last
    /// day moves off a Saturday, Sunday or public holiday.
    pub fn limit(&self, from: Day, p: P) -> Day {
        self.working_from(add(from, p, 1))
    }

    /// A period in working days (APR Art. 27(3)): the event day not
    /// counted, the `n`th working day after it.
    pub fn working_days(&self, from: Day, n: i32) -> Day {
        let (mut day, mut counted) = (from, 0);
        while counted < n {
            day += 1;
            counted += i32::from(!self.is_off(day));
        }
        day
    }

    /// Reg. 1182/71 Art. 3: as [`Cal::limit`], and a period of two days or
    /// more includes at least two working days (Art. 3(5)).
    pub fn limit_1182(&self, from: Day, p: P) -> Day {
        let mut end = self.limit(from, p);
        let (mut working, mut day) = (0, from);
        while day < end && working < 2 {
            day += 1;
            working += i32::from(!self.is_off(day));
        }
        while working < 2 {
            end = self.working_from(end + 1);
            working += 1;
        }
        end
    }
}

// ------------------------------------------------------------------ reading

fn day<'de, D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
    let s = <&str>::deserialize(d)?;
    parse_day(s).ok_or_else(|| D::Error::custom("not a date (YYYY-MM-DD)"))
}

fn opt_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Day>, D::Error> {
    match <Option<&str>>::deserialize(d)? {
        Some(s) => parse_day(s)
            .map(Some)
            .ok_or_else(|| D::Error::custom("not a date (YYYY-MM-DD)")),
        None => Ok(None),
    }
}

/// Up to `N` items, inline (the synthetic records hold at most two).
#[derive(Clone, Copy)]
pub struct Few<T, const N: usize> {
    items: [T; N],
    len: usize,
}

impl<T, const N: usize> Few<T, N> {
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items[..self.len].iter()
    }
}

impl<'de, T: Deserialize<'de> + Copy + Default, const N: usize> Deserialize<'de> for Few<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const N: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Copy + Default, const N: usize> Visitor<'de> for V<T, N> {
            type Value = Few<T, N>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a list of at most {N} items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Few<T, N>, A::Error> {
                let mut few = Few {
                    items: [T::default(); N],
                    len: 0,
                };
                while let Some(item) = seq.next_element()? {
                    if few.len == N {
                        return Err(A::Error::custom("too many items"));
                    }
                    few.items[few.len] = item;
                    few.len += 1;
                }
                Ok(few)
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ProtectionStatus {
    None,
    Refugee,
    Subsidiary,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Circumstances {
    BorderCrossingPoint,
    TransitZone,
    ApprehendedIrregularCrossing,
    SarDisembarkation,
    Relocated,
    WithinTerritory,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FirstInstanceDecision {
    RefugeeStatus,
    SubsidiaryProtection,
    Unfounded,
    ManifestlyUnfounded,
    Inadmissible,
    ImplicitlyWithdrawn,
}

/// A ground of APR Art. 38 on which admissibility is examined.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AdmissibilityGround {
    FirstCountryOfAsylum,
    SafeThirdCountry,
    ProtectionInAnotherMemberState,
    RelocationByInternationalTribunal,
    LateAfterReturnDecision,
    SubsequentWithoutNewElements,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ExaminedIn {
    Regular,
    Accelerated,
    Border,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Crisis {
    None,
    MassArrival,
    Instrumentalisation,
    ForceMajeure,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case<'a> {
    #[serde(borrow)]
    pub case: Option<&'a str>,
    #[serde(default, deserialize_with = "opt_day")]
    pub as_of: Option<Day>,
    #[serde(borrow)]
    pub applicant: Applicant<'a>,
    pub application: Application,
    /// Given only for a person considered for relocation (AMMR Art. 67(1)).
    #[serde(borrow, default)]
    pub relocation: Option<Relocation<'a>>,
    pub context: Context,
    #[serde(borrow)]
    pub responsibility: responsibility::Responsibility<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "read as lsa reads them, though no rule uses them")]
pub struct Applicant<'a> {
    #[serde(deserialize_with = "day")]
    pub date_of_birth: Day,
    pub nationality: &'a str,
    #[serde(borrow)]
    pub former_habitual_residence: Option<&'a str>,
    pub safe_origin_rebutted: bool,
    pub unaccompanied_minor: bool,
    pub security_threat: bool,
    pub misled_authorities: bool,
    pub special_needs_unsupported_at_border: bool,
    pub medical_reasons_against_border: bool,
    pub protection_status: ProtectionStatus,
    #[serde(default, deserialize_with = "opt_day")]
    pub protection_granted_on: Option<Day>,
    pub consents_to_relocation: Option<bool>,
    pub family_in_lithuania: bool,
    pub previous_residence_in_lithuania: bool,
    pub studied_in_lithuania: bool,
    pub speaks_lithuanian: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    #[serde(deserialize_with = "day")]
    pub made_on: Day,
    #[serde(deserialize_with = "day")]
    pub registered_on: Day,
    #[serde(deserialize_with = "day")]
    pub lodged_on: Day,
    pub circumstances: Circumstances,
    pub entry_conditions_fulfilled: bool,
    pub recognition_rate_pct: f64,
    #[serde(default, deserialize_with = "opt_day")]
    pub first_instance_decision_on: Option<Day>,
    pub first_instance_decision: Option<FirstInstanceDecision>,
    #[serde(default, deserialize_with = "opt_day")]
    pub first_instance_decision_notified_on: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub residence_permit_issued_on: Option<Day>,
    pub examined_in: ExaminedIn,
    pub subsequent_application: bool,
    pub delay_attributable_to_applicant: bool,
    #[serde(default, deserialize_with = "opt_day")]
    pub screening_ended_on: Option<Day>,
    pub made_to_other_authority: bool,
    #[serde(default, deserialize_with = "opt_day")]
    pub registering_authority_informed_on: Option<Day>,
    pub transferred_to_lithuania: bool,
    #[serde(default, deserialize_with = "opt_day")]
    pub identified_after_transfer_on: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub examination_extended_until: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub examination_postponed_on: Option<Day>,
    pub admissibility_ground: Option<AdmissibilityGround>,
    #[serde(default, deserialize_with = "opt_day")]
    #[allow(
        dead_code,
        reason = "read as lsa reads it: it meets the time limit, which `lsa batch` does not write"
    )]
    pub admissibility_concluded_on: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub admissibility_extended_until: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    #[allow(
        dead_code,
        reason = "read as lsa reads it: it meets the time limit, which `lsa batch` does not write"
    )]
    pub representative_appointed_on: Option<Day>,
    pub representative_time_limit_extended: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "read as lsa reads them, though no rule uses them")]
pub struct Relocation<'a> {
    pub benefitting_member_state: &'a str,
    #[serde(deserialize_with = "day")]
    pub council_act_adopted_on: Day,
    #[serde(default, deserialize_with = "opt_day")]
    pub information_received_on: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub postponement_notified_on: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub security_reply_on: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub confirmed_on: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub appeal_decided_on: Option<Day>,
    #[serde(default, deserialize_with = "opt_day")]
    pub arrived_on: Option<Day>,
    pub benefitting_state_was_responsible: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    pub crisis: Crisis,
    pub border_capacity_reached: bool,
    pub responsibility_time_limits_extended: bool,
    pub disproportionate_numbers_for_registration: bool,
    pub disproportionate_numbers_for_lodging: bool,
}

/// Reads one JSON line.
pub fn read(line: &str) -> Result<Case<'_>, serde_json::Error> {
    serde_json::from_str(line)
}

// ------------------------------------------------------------------ outcomes

/// A determination's value (or none: undetermined).
#[derive(Clone, Copy)]
pub enum V<'a> {
    Undetermined,
    Bool(bool),
    Day(Day),
    /// An enum value of the rules.
    Sym(&'static str),
    /// A code read from the record (a Member State).
    Code(&'a str),
    /// The accelerated-procedure grounds: bit 0 misleading, 1 safe country
    /// of origin, 2 security, 3 subsequent application, 4 low recognition
    /// rate.
    Grounds(u8),
}

/// One determination: its value and what follows the label in the output
/// (the rule and citation, or the reason), as one static string.
#[derive(Clone, Copy)]
pub struct Out<'a> {
    pub v: V<'a>,
    pub tail: &'static str,
}

/// `"rule":…,"citation":…}` of a determined outcome.
macro_rules! by {
    ($rule:literal, $cite:literal) => {
        concat!(",\"rule\":\"", $rule, "\",\"citation\":\"", $cite, "\"}")
    };
}
pub(crate) use by;

/// A relocation determination of a person not considered for relocation:
/// no relocation section, not made after a relocation transfer.
const NOT_CONSIDERED: Out<'static> = Out {
    v: V::Undetermined,
    tail: ",\"reason\":\"the person is not considered for relocation (the record has no relocation section)\",\"citation\":\"AMMR Art. 67(1)\"}",
};

pub const UNDETERMINED: Out<'static> = Out {
    v: V::Undetermined,
    tail: ",\"reason\":\"no rule applies and there is no default\"}",
};

/// A value given by a rule, or undetermined without one.
pub fn opt<'a>(v: Option<V<'a>>, tail: &'static str) -> Out<'a> {
    match v {
        Some(v) => Out { v, tail },
        None => UNDETERMINED,
    }
}

pub const N: usize = 37;

/// The determinations in the order lsa writes them, with their labels.
pub const KEYS: [(&str, &str); N] = [
    ("relocation.eligible", "May be relocated to Lithuania"),
    (
        "relocation.meaningful_links",
        "Meaningful links with Lithuania",
    ),
    (
        "relocation.confirmation_deadline",
        "Time limit to confirm the relocation",
    ),
    (
        "relocation.deemed_confirmed",
        "Relocation deemed confirmed (no reply in time)",
    ),
    (
        "relocation.transfer_decision_deadline",
        "Time limit for the transfer decision",
    ),
    (
        "relocation.transfer_deadline",
        "Time limit for the transfer",
    ),
    ("relocation.after_arrival", "What follows the arrival"),
    (
        "responsibility.criterion",
        "Criterion determining the Member State responsible",
    ),
    (
        "responsibility.take_charge_request_deadline",
        "Time limit for the take charge request",
    ),
    (
        "responsibility.take_charge_reply_deadline",
        "Time limit to reply to the take charge request",
    ),
    (
        "responsibility.deemed_accepted",
        "Take charge request deemed accepted (no reply in time)",
    ),
    (
        "responsibility.take_back_notification_deadline",
        "Time limit for the take back notification",
    ),
    (
        "responsibility.take_back_confirmation_deadline",
        "Time limit to confirm receipt of the take back notification",
    ),
    (
        "responsibility.deemed_confirmed",
        "Take back notification deemed confirmed (no reply in time)",
    ),
    (
        "responsibility.accepted_or_confirmed_on",
        "Request accepted or notification confirmed on",
    ),
    (
        "responsibility.transfer_decision_deadline",
        "Time limit for the decision to transfer to the Member State responsible",
    ),
    (
        "responsibility.transfer_deadline",
        "Time limit for the transfer to the Member State responsible",
    ),
    (
        "responsibility.shifted",
        "Responsibility passed to Lithuania (not transferred in time)",
    ),
    (
        "responsibility.detained_request_deadline",
        "Time limit for the take charge request or take back notification, the person detained",
    ),
    (
        "responsibility.detained_transfer_deadline",
        "Time limit for the transfer of the detained person",
    ),
    (
        "responsibility.detention_must_end",
        "Detention must end (a time limit missed)",
    ),
    (
        "responsibility.criterion_member_state",
        "Member State the criteria point to",
    ),
    ("responsibility.member_state", "Member State responsible"),
    (
        "procedure.registration_deadline",
        "Time limit to register the application",
    ),
    (
        "procedure.lodging_deadline",
        "Time limit to lodge the application",
    ),
    (
        "procedure.representative_deadline",
        "Time limit to appoint a representative for the unaccompanied minor",
    ),
    (
        "procedure.accelerated_grounds",
        "Grounds for the accelerated procedure",
    ),
    ("procedure.border_procedure", "Border procedure"),
    ("procedure.track", "Examination procedure"),
    (
        "procedure.admissibility_deadline",
        "Time limit to examine admissibility",
    ),
    (
        "procedure.examination_deadline",
        "Time limit to examine the application",
    ),
    (
        "appeal.automatic_right_to_remain",
        "Automatic right to remain pending the appeal",
    ),
    (
        "protection.residence_permit_deadline",
        "Time limit to issue the residence permit",
    ),
    (
        "protection.provisional_measures_deadline",
        "Time limit to issue the residence permit before provisional measures are owed",
    ),
    (
        "protection.provisional_measures_owed",
        "Provisional measures owed on the as-of date",
    ),
    (
        "reception.labour_market_access_from",
        "Access to the labour market from",
    ),
    (
        "reception.labour_market_access",
        "Access to the labour market on the as-of date",
    ),
];

// ------------------------------------------------------------------ the law

/// The warnings a case's facts raise (`warn` in rules/case.rules), as
/// bits in the rules' order, with the dates they show.
#[derive(Clone, Copy)]
pub struct Warnings {
    pub bits: u32,
    pub born: Day,
    pub made: Day,
    pub registered: Day,
    pub lodged: Day,
    /// The relocation's information received, confirmation and arrival.
    pub information: Day,
    pub confirmed: Day,
    pub arrived: Day,
    /// The take charge request sent and received.
    pub requested: Day,
    pub received: Day,
    /// The detention for the transfer begun and ended.
    pub detained: Day,
    pub released: Day,
    /// The protection status, for a beneficiary without a date of grant.
    pub status: ProtectionStatus,
    /// The first-instance decision and its date, for one without the other.
    pub decided: Option<FirstInstanceDecision>,
    pub decided_on: Option<Day>,
    /// The procedure the record says the application is examined in.
    pub examined: ExaminedIn,
    /// Made to an authority that does not register applications: the
    /// information received by the one that does.
    pub informed: Day,
    /// Transferred to Lithuania: the identification to its authorities.
    pub identified: Day,
    /// The examination's time limit extended to, its conclusion postponed on.
    pub extended_until: Option<Day>,
    pub postponed_on: Option<Day>,
    /// The ground of the examination of admissibility, its time limit
    /// extended to.
    pub admissibility_ground: Option<AdmissibilityGround>,
    pub admissibility_extended_until: Option<Day>,
}

/// One case evaluated: its as-of date, its determinations, its warnings.
pub type Evaluated<'a> = (Day, [Out<'a>; N], Warnings);

/// The determinations of one case (its as-of date: the record's, else
/// `default_as_of`).
pub fn evaluate<'a>(c: &Case<'a>, default_as_of: Day, cal: &Cal) -> Evaluated<'a> {
    use V::*;
    let as_of = c.as_of.unwrap_or(default_as_of);
    let (a, app, rel) = (&c.applicant, &c.application, c.relocation.as_ref());
    let mut out = [UNDETERMINED; N];
    let before =
        |x: Option<self::Day>, y: Option<self::Day>| matches!((x, y), (Some(x), Some(y)) if x < y);
    let r = &c.responsibility;
    let mut warnings = Warnings {
        bits: u32::from(app.registered_on < app.made_on)
            | u32::from(app.lodged_on < app.registered_on) << 1
            | u32::from(a.date_of_birth > app.made_on) << 2
            | u32::from(app.made_on > as_of || app.registered_on > as_of || app.lodged_on > as_of)
                << 3
            | u32::from(rel.is_some_and(|r| before(r.confirmed_on, r.information_received_on)))
                << 4
            | u32::from(rel.is_some_and(|r| before(r.arrived_on, r.confirmed_on))) << 5
            | u32::from(
                a.protection_status != ProtectionStatus::None && a.protection_granted_on.is_none(),
            ) << 6
            | u32::from(before(
                r.take_charge_request_received_on,
                r.take_charge_requested_on,
            )) << 7
            | u32::from(before(r.detention_ended_on, r.detained_on)) << 8
            | u32::from(
                app.first_instance_decision.is_some() != app.first_instance_decision_on.is_some(),
            ) << 20,
        born: a.date_of_birth,
        made: app.made_on,
        registered: app.registered_on,
        lodged: app.lodged_on,
        information: rel
            .and_then(|r| r.information_received_on)
            .unwrap_or_default(),
        confirmed: rel.and_then(|r| r.confirmed_on).unwrap_or_default(),
        arrived: rel.and_then(|r| r.arrived_on).unwrap_or_default(),
        requested: r.take_charge_requested_on.unwrap_or_default(),
        received: r.take_charge_request_received_on.unwrap_or_default(),
        detained: r.detained_on.unwrap_or_default(),
        released: r.detention_ended_on.unwrap_or_default(),
        status: a.protection_status,
        decided: app.first_instance_decision,
        decided_on: app.first_instance_decision_on,
        examined: app.examined_in,
        informed: app.registering_authority_informed_on.unwrap_or_default(),
        identified: app.identified_after_transfer_on.unwrap_or_default(),
        extended_until: app.examination_extended_until,
        postponed_on: app.examination_postponed_on,
        admissibility_ground: app.admissibility_ground,
        admissibility_extended_until: app.admissibility_extended_until,
    };

    // AMMR Art. 67(1): the relocation determinations are made for a person
    // considered for relocation, whose record has the relocation section
    // (one made after a relocation transfer without it would be unknown:
    // not in the synthetic caseload).
    if let Some(rel) = rel {
        // AMMR Art. 56(2)(a), 67(2), 67(4): who may be relocated.
        out[0] = if a.security_threat {
            Out {
                v: Bool(false),
                tail: by!("relocation.security_exclusion", "AMMR Art. 67(2)"),
            }
        } else if a.protection_status == ProtectionStatus::None {
            Out {
                v: Bool(true),
                tail: by!("relocation.applicant_relocatable", "AMMR Art. 56(2)(a)(i)"),
            }
        } else if a.consents_to_relocation == Some(true)
            && a.protection_granted_on
                .is_some_and(|g| g > add(rel.council_act_adopted_on, P::Years(3), -1))
        {
            Out {
                v: Bool(true),
                tail: by!(
                    "relocation.beneficiary_relocatable",
                    "AMMR Art. 56(2)(a)(ii); AMMR Art. 67(4), third subparagraph"
                ),
            }
        } else {
            Out {
                v: Bool(false),
                tail: by!("default", "AMMR Art. 56(2)(a)"),
            }
        };
        // AMMR Art. 67(3), second subparagraph.
        let links = a.family_in_lithuania
            || a.previous_residence_in_lithuania
            || a.studied_in_lithuania
            || a.speaks_lithuanian;
        out[1] = Out {
            v: Bool(links),
            tail: if links {
                by!(
                    "relocation.has_links",
                    "AMMR Art. 67(3), second subparagraph"
                )
            } else {
                by!("default", "AMMR Art. 67(3), second subparagraph")
            },
        };

        // The relocation procedure (AMMR Art. 67(9)-(11), 68).
        let confirmation = rel.information_received_on.map(|info| {
            let first_week = cal.limit(info, P::Weeks(1));
            if rel
                .postponement_notified_on
                .is_some_and(|n| n <= first_week)
            {
                (cal.limit(info, P::Weeks(2)), true)
            } else {
                (first_week, false)
            }
        });
        out[2] = match confirmation {
            Some((d, false)) => Out {
                v: Day(d),
                tail: by!("relocation.one_week", "AMMR Art. 67(9), first subparagraph"),
            },
            Some((d, true)) => Out {
                v: Day(d),
                tail: by!(
                    "relocation.postponed",
                    "AMMR Art. 67(9), third subparagraph"
                ),
            },
            None => UNDETERMINED,
        };
        let conf_deadline = confirmation.map(|(d, _)| d);
        let deemed = conf_deadline.is_some_and(|d| {
            as_of > d
                && !(rel.confirmed_on.is_some_and(|c| c <= d)
                    || rel.security_reply_on.is_some_and(|r| r <= d))
        });
        out[3] = Out {
            v: Bool(deemed),
            tail: if deemed {
                by!(
                    "relocation.no_reply_in_time",
                    "AMMR Art. 67(9), fourth subparagraph"
                )
            } else {
                by!("default", "AMMR Art. 67(9), fourth subparagraph")
            },
        };
        match (rel.confirmed_on, deemed.then_some(conf_deadline).flatten()) {
            (Some(c), _) => {
                out[4] = Out {
                    v: Day(cal.limit(c, P::Weeks(1))),
                    tail: by!("relocation.from_confirmation", "AMMR Art. 67(10)"),
                };
                out[5] = match rel.appeal_decided_on {
                    None => Out {
                        v: Day(cal.limit(c, P::Weeks(4))),
                        tail: by!("relocation.from_confirmation", "AMMR Art. 67(11)"),
                    },
                    Some(appeal) => Out {
                        v: Day(cal.limit(appeal, P::Weeks(4))),
                        tail: by!(
                            "relocation.from_appeal_decision",
                            "AMMR Art. 67(11); AMMR Art. 43(3)"
                        ),
                    },
                };
            }
            (None, Some(d)) => {
                out[4] = Out {
                    v: Day(cal.limit(d, P::Weeks(1))),
                    tail: by!(
                        "relocation.from_deemed_confirmation",
                        "AMMR Art. 67(10); AMMR Art. 67(9), fourth subparagraph"
                    ),
                };
                out[5] = match rel.appeal_decided_on {
                    None => Out {
                        v: Day(cal.limit(d, P::Weeks(4))),
                        tail: by!(
                            "relocation.from_deemed_confirmation",
                            "AMMR Art. 67(11); AMMR Art. 67(9), fourth subparagraph"
                        ),
                    },
                    Some(appeal) => Out {
                        v: Day(cal.limit(appeal, P::Weeks(4))),
                        tail: by!(
                            "relocation.from_appeal_decision",
                            "AMMR Art. 67(11); AMMR Art. 43(3)"
                        ),
                    },
                };
            }
            (None, None) => {}
        }
        if rel.arrived_on.is_some() {
            out[6] = match a.protection_status {
                ProtectionStatus::Refugee | ProtectionStatus::Subsidiary => Out {
                    v: Sym("same_status_granted"),
                    tail: by!("relocation.beneficiary", "AMMR Art. 68(4)"),
                },
                ProtectionStatus::None if rel.benefitting_state_was_responsible => Out {
                    v: Sym("lithuania_responsible"),
                    tail: by!("relocation.responsibility_transferred", "AMMR Art. 68(3)"),
                },
                ProtectionStatus::None => Out {
                    v: Sym("part_iii_procedure"),
                    tail: by!("relocation.determine_responsibility", "AMMR Art. 68(2)"),
                },
            };
        }
    } else if let Some(relocation) = out.get_mut(..7) {
        relocation.fill(NOT_CONSIDERED);
    }

    // APR Art. 27, 28, 35, 42, 43, 45, 51, 53; Crisis Art. 10, 11 (the
    // derogations for applications made from 1 July 2026).
    let crisis = c.context.crisis != Crisis::None && app.made_on >= from_civil(2026, 7, 1);
    // APR Art. 27(3): made to an authority that does not register
    // applications, which informs the one that does within three working
    // days (of the end of the screening, for a screened applicant); the
    // information received later raises a warning, unless in a crisis.
    let informing_from = app.screening_ended_on.unwrap_or(app.made_on);
    warnings.bits |= u32::from(
        !crisis
            && app.made_to_other_authority
            && app
                .registering_authority_informed_on
                .is_some_and(|d| d > cal.working_days(informing_from, 3)),
    ) << 9;
    // Informed before the application was made: dates that cannot both be
    // right, whatever the date and the crisis.
    warnings.bits |= u32::from(
        app.made_to_other_authority
            && app
                .registering_authority_informed_on
                .is_some_and(|d| d < app.made_on),
    ) << 10;
    // APR Art. 28(2): identified to the Lithuanian authorities after the
    // transfer before the application was made: dates that cannot both be
    // right, whatever the date and the crisis.
    warnings.bits |= u32::from(
        app.transferred_to_lithuania
            && app
                .identified_after_transfer_on
                .is_some_and(|d| d < app.made_on),
    ) << 11;
    out[23] = if crisis {
        Out {
            v: Day(cal.limit(app.made_on, P::Weeks(4))),
            tail: by!("procedure.crisis_derogation", "Crisis Art. 10(1)"),
        }
    } else if c.context.disproportionate_numbers_for_registration {
        // APR Art. 27(5): 15 days where a disproportionate number of
        // applications makes the time limits of paragraphs 1 and 3
        // unfeasible (from the end of the screening, Art. 27(7)).
        match app.screening_ended_on {
            Some(s) => Out {
                v: Day(cal.limit(s, P::Days(15))),
                tail: by!(
                    "procedure.disproportionate_numbers_after_screening",
                    "APR Art. 27(5); APR Art. 27(7)"
                ),
            },
            None => Out {
                v: Day(cal.limit(app.made_on, P::Days(15))),
                tail: by!("procedure.disproportionate_numbers", "APR Art. 27(5)"),
            },
        }
    } else if app.made_to_other_authority {
        // APR Art. 27(3): five days from the information, or from the end
        // of the screening where it came before (Art. 27(7)); none yet, no
        // time limit runs.
        match (
            app.registering_authority_informed_on,
            app.screening_ended_on,
        ) {
            (Some(d), Some(s)) if d < s => Out {
                v: Day(cal.limit(s, P::Days(5))),
                tail: by!(
                    "procedure.other_authority_after_screening",
                    "APR Art. 27(3); APR Art. 27(7)"
                ),
            },
            (Some(d), _) => Out {
                v: Day(cal.limit(d, P::Days(5))),
                tail: by!("procedure.other_authority", "APR Art. 27(3)"),
            },
            (None, _) => UNDETERMINED,
        }
    } else if let Some(s) = app.screening_ended_on {
        Out {
            v: Day(cal.limit(s, P::Days(5))),
            tail: by!(
                "procedure.after_screening",
                "APR Art. 27(7); APR Art. 27(1)"
            ),
        }
    } else {
        Out {
            v: Day(cal.limit(app.made_on, P::Days(5))),
            tail: by!("procedure.within_five_days", "APR Art. 27(1)"),
        }
    };
    let low_rate = app.recognition_rate_pct <= 20.0;
    // APR Art. 42(1)(e), 61(5); Annex II (Kosovo by both codes in use).
    let safe_country = |c: &str| {
        matches!(
            c,
            "BGD" | "COL" | "EGY" | "IND" | "XKX" | "RKS" | "MAR" | "TUN"
        )
    };
    let designated = safe_country(a.nationality)
        || (a.nationality == "stateless" && a.former_habitual_residence.is_some_and(safe_country));
    let safe_origin = designated && !a.safe_origin_rebutted;
    // APR Art. 42(1)(g): a subsequent application not rejected as
    // inadmissible.
    let subsequent = app.subsequent_application
        && app.first_instance_decision != Some(FirstInstanceDecision::Inadmissible);
    let grounds = u8::from(a.misled_authorities)
        | u8::from(safe_origin) << 1
        | u8::from(a.security_threat) << 2
        | u8::from(subsequent) << 3
        | u8::from(low_rate) << 4;
    out[26] = Out {
        v: Grounds(grounds),
        tail: "",
    };
    let relocated = app.circumstances == Circumstances::Relocated;
    let conditions =
        !app.entry_conditions_fulfilled && app.circumstances != Circumstances::WithinTerritory;
    let mandatory_ground = a.misled_authorities
        || a.security_threat
        || (low_rate && !c.context.border_capacity_reached);
    let (border, border_out) = if !conditions {
        (
            "not_applicable",
            by!("default", "APR Art. 43(1); APR Art. 45(1); APR Art. 53"),
        )
    } else if a.unaccompanied_minor && !a.security_threat {
        (
            "excluded",
            by!("procedure.unaccompanied_minor", "APR Art. 53(1)"),
        )
    } else if a.special_needs_unsupported_at_border {
        (
            "excluded",
            by!(
                "procedure.special_needs",
                "APR Art. 53(2)(b); APR Art. 53(2)(c)"
            ),
        )
    } else if a.medical_reasons_against_border {
        (
            "excluded",
            by!("procedure.medical_reasons", "APR Art. 53(2)(d)"),
        )
    } else if mandatory_ground {
        ("mandatory", by!("procedure.mandatory", "APR Art. 45(1)"))
    } else {
        ("optional", by!("procedure.optional", "APR Art. 43(1)"))
    };
    out[27] = Out {
        v: Sym(border),
        tail: border_out,
    };
    // The national choices of APR Art. 42(3)(a), (c), (d) and (e) and the
    // optional border procedure are not made.
    #[derive(PartialEq)]
    enum Track {
        Border,
        Accelerated,
        Regular,
    }
    let (track, track_out) = if border == "mandatory" {
        (
            Track::Border,
            by!("procedure.border_mandatory", "APR Art. 45(1)"),
        )
    } else if a.unaccompanied_minor && a.security_threat {
        (
            Track::Accelerated,
            by!("procedure.accelerated_minor", "APR Art. 42(3)(b)"),
        )
    } else if !a.unaccompanied_minor && grounds != 0 {
        (
            Track::Accelerated,
            by!("procedure.accelerated", "APR Art. 42(1)"),
        )
    } else {
        (
            Track::Regular,
            by!("default", "APR Art. 35; APR Art. 42; APR Art. 43"),
        )
    };
    // The record names another procedure than the rules find (every
    // synthetic application is lodged under the APR).
    let examined = match app.examined_in {
        ExaminedIn::Border => Track::Border,
        ExaminedIn::Accelerated => Track::Accelerated,
        ExaminedIn::Regular => Track::Regular,
    };
    warnings.bits |= u32::from(examined != track) << 19;
    out[28] = Out {
        v: Sym(match track {
            Track::Border => "border",
            Track::Accelerated => "accelerated",
            Track::Regular => "regular",
        }),
        tail: track_out,
    };
    // APR Art. 23(2)(b), (3): an unaccompanied minor's representative, 15
    // working days from the making (25 extended); none after a transfer or
    // a relocation to Lithuania (the making was abroad).
    out[25] = if a.unaccompanied_minor && !app.transferred_to_lithuania && !relocated {
        if app.representative_time_limit_extended {
            Out {
                v: Day(cal.working_days(app.made_on, 25)),
                tail: by!("procedure.extended_by_ten_working_days", "APR Art. 23(3)"),
            }
        } else {
            Out {
                v: Day(cal.working_days(app.made_on, 15)),
                tail: by!("procedure.within_15_working_days", "APR Art. 23(2)(b)"),
            }
        }
    } else {
        UNDETERMINED
    };
    out[24] = match (&track, relocated, rel.and_then(|r| r.arrived_on)) {
        (Track::Border, false, _) => Out {
            v: Day(cal.limit(app.registered_on, P::Days(5))),
            tail: by!("procedure.border_procedure", "APR Art. 51(1)"),
        },
        (Track::Border, true, Some(arrived)) => Out {
            v: Day(cal.limit(arrived, P::Days(5))),
            tail: by!("procedure.border_after_relocation", "APR Art. 51(1)"),
        },
        (Track::Border, true, None) => UNDETERMINED,
        // APR Art. 28(2): after a transfer to Lithuania, 21 days from the
        // applicant's identification (Art. 28(5) does not extend them);
        // not identified yet, no time limit.
        _ if app.transferred_to_lithuania => match app.identified_after_transfer_on {
            Some(identified) => Out {
                v: Day(cal.limit(identified, P::Days(21))),
                tail: by!("procedure.after_transfer", "APR Art. 28(2)"),
            },
            None => UNDETERMINED,
        },
        // APR Art. 28(5): an appointment to lodge within two months where a
        // disproportionate number of applications makes 21 days unfeasible.
        _ if c.context.disproportionate_numbers_for_lodging => Out {
            v: Day(cal.limit(app.registered_on, P::Months(2))),
            tail: by!("procedure.disproportionate_numbers", "APR Art. 28(5)"),
        },
        _ => Out {
            v: Day(cal.limit(app.registered_on, P::Days(21))),
            tail: by!("procedure.within_21_days", "APR Art. 28(1)"),
        },
    };
    // APR Art. 35(1), (2): the examination of admissibility, on the ground
    // the record gives; none in the border procedure (Art. 51(2)).
    {
        use AdmissibilityGround as G;
        let ground = app.admissibility_ground.filter(|_| track != Track::Border);
        let until = app.admissibility_extended_until;
        out[29] = match ground {
            None => UNDETERMINED,
            Some(G::LateAfterReturnDecision) => Out {
                v: Day(cal.working_days(app.lodged_on, 10)),
                tail: by!("procedure.ten_working_days", "APR Art. 35(1)"),
            },
            Some(_) => {
                let two = cal.limit(app.lodged_on, P::Months(2));
                match until {
                    Some(until) if until > two => {
                        let most = cal.limit(app.lodged_on, P::Months(4));
                        warnings.bits |= u32::from(until > most) << 15;
                        Out {
                            v: Day(until.min(most)),
                            tail: by!("procedure.extended", "APR Art. 35(2)"),
                        }
                    }
                    _ => {
                        warnings.bits |= u32::from(until.is_some()) << 16;
                        Out {
                            v: Day(two),
                            tail: by!("procedure.two_months", "APR Art. 35(1)"),
                        }
                    }
                }
            }
        };
        // In every procedure: the ten working days cannot be extended, and
        // Art. 38(2) is for subsequent applications.
        warnings.bits |= u32::from(
            app.admissibility_ground == Some(G::LateAfterReturnDecision) && until.is_some(),
        ) << 17
            | u32::from(
                app.admissibility_ground == Some(G::SubsequentWithoutNewElements)
                    && !app.subsequent_application,
            ) << 18;
    }
    out[30] = match track {
        Track::Border if crisis => Out {
            v: Day(cal.limit(app.registered_on, P::Weeks(18))),
            tail: by!("procedure.crisis_extension", "Crisis Art. 11(1)"),
        },
        Track::Border if relocated => Out {
            v: Day(cal.limit(app.registered_on, P::Weeks(16))),
            tail: by!("procedure.relocated", "APR Art. 51(2)"),
        },
        Track::Border => Out {
            v: Day(cal.limit(app.registered_on, P::Weeks(12))),
            tail: by!("procedure.border", "APR Art. 51(2)"),
        },
        Track::Accelerated => Out {
            v: Day(cal.limit(app.lodged_on, P::Months(3))),
            tail: by!("procedure.accelerated", "APR Art. 35(3)"),
        },
        // APR Art. 35(4), (5), (7): the six months, extended to the day
        // the record gives (twelve months from lodging at most), or 21
        // months where the conclusion is postponed.
        Track::Regular => {
            let six = cal.limit(app.lodged_on, P::Months(6));
            match (app.examination_postponed_on, app.examination_extended_until) {
                (Some(_), _) => Out {
                    v: Day(cal.limit(app.lodged_on, P::Months(21))),
                    tail: by!("procedure.postponed", "APR Art. 35(7)"),
                },
                (None, Some(until)) if until > six => {
                    let most = cal.limit(app.lodged_on, P::Months(12));
                    warnings.bits |= u32::from(until > most) << 12;
                    Out {
                        v: Day(until.min(most)),
                        tail: by!("procedure.extended", "APR Art. 35(5)"),
                    }
                }
                (_, until) => {
                    warnings.bits |= u32::from(until.is_some_and(|u| u <= six)) << 13;
                    Out {
                        v: Day(six),
                        tail: by!("procedure.regular", "APR Art. 35(4)"),
                    }
                }
            }
        }
    };
    warnings.bits |= u32::from(
        track != Track::Regular
            && (app.examination_extended_until.is_some() || app.examination_postponed_on.is_some()),
    ) << 14;

    // APR Art. 68(2), (3): the right to remain pending an appeal against a
    // rejection by the as-of date (every synthetic application is lodged
    // under the APR).
    {
        use FirstInstanceDecision as D;
        let apr =
            app.lodged_on >= from_civil(2026, 6, 12) || app.made_on >= from_civil(2026, 6, 12);
        let decided = app
            .first_instance_decision_on
            .is_some_and(|on| on <= as_of)
            .then_some(app.first_instance_decision)
            .flatten();
        let unfounded = matches!(decided, Some(D::Unfounded | D::ManifestlyUnfounded));
        let border = app.examined_in == ExaminedIn::Border;
        out[31] = match decided {
            Some(D::Unfounded | D::ManifestlyUnfounded | D::Inadmissible | D::ImplicitlyWithdrawn) if apr => {
                let no = |tail| Out { v: Bool(false), tail };
                if unfounded && app.examined_in == ExaminedIn::Accelerated {
                    no(by!("appeal.unfounded_accelerated", "APR Art. 68(3)(a)(i)"))
                } else if unfounded && border && !a.unaccompanied_minor {
                    no(by!("appeal.unfounded_border", "APR Art. 68(3)(a)(ii)"))
                } else if decided == Some(D::Inadmissible) && !(a.unaccompanied_minor && border) {
                    no(by!("appeal.inadmissible", "APR Art. 68(3)(b)"))
                } else if decided == Some(D::ImplicitlyWithdrawn) {
                    no(by!("appeal.implicitly_withdrawn", "APR Art. 68(3)(c)"))
                } else if unfounded && app.subsequent_application {
                    no(by!("appeal.subsequent_unfounded", "APR Art. 68(3)(d)"))
                } else {
                    Out {
                        v: Bool(true),
                        tail: by!("appeal.pending_the_appeal", "APR Art. 68(2)"),
                    }
                }
            }
            // The reason of the first of the decision's `applies` lines that
            // does not hold (every record gives an application, so the first
            // line, of a person offered for relocation, always does).
            _ if !apr => Out {
                v: V::Undetermined,
                tail: ",\"reason\":\"the application was lodged before 12 June 2026: Directive 2013/32/EU governs it (APR Art. 79(3)), which lsa does not encode\",\"citation\":\"APR Art. 79(3)\"}",
            },
            _ => Out {
                v: V::Undetermined,
                tail: ",\"reason\":\"the application has not been rejected at first instance by the as-of date (no decision yet, or protection granted)\",\"citation\":\"APR Art. 67(1)\"}",
            },
        };
    }

    // QR Arts. 20(3), 24(2), 42 (written before reception: lsa writes the
    // determinations in the order of the rule files' paths, eu/qr before
    // eu/rcd), periods under Reg. 1182/71 Art. 3: for a
    // grant decided by the as-of date, from 12 June 2026 (every synthetic
    // record gives an application, so the first `applies` line holds).
    use FirstInstanceDecision as D;
    let granted_on = app.first_instance_decision_on.filter(|on| {
        *on <= as_of
            && matches!(
                app.first_instance_decision,
                Some(D::RefugeeStatus | D::SubsidiaryProtection)
            )
    });
    {
        let undetermined = |tail| Out {
            v: V::Undetermined,
            tail,
        };
        match granted_on {
            None => out[32..35].fill(undetermined(",\"reason\":\"international protection has not been granted by the as-of date (no decision yet, or the application was rejected)\",\"citation\":\"QR Art. 24(1)\"}")),
            Some(on) if on < from_civil(2026, 6, 12) => out[32..35].fill(undetermined(",\"reason\":\"protection was granted before 12 June 2026, when Regulation (EU) 2024/1347 began to apply (its Art. 42): Directive 2011/95/EU and the law transposing it govern the residence permit, which lsa does not encode\",\"citation\":\"QR Art. 42\"}")),
            Some(on) => {
                out[32] = match app.first_instance_decision_notified_on {
                    Some(notified) => Out {
                        v: Day(cal.limit_1182(notified, P::Days(90))),
                        tail: by!("protection.from_notification", "QR Art. 24(2)"),
                    },
                    None => undetermined(",\"reason\":\"the decision granting international protection has not been notified yet: the time limit runs from its notification\",\"citation\":\"QR Art. 24(2)\"}"),
                };
                let fifteen = cal.limit_1182(on, P::Days(15));
                out[33] = Out {
                    v: Day(fifteen),
                    tail: by!("protection.from_grant", "QR Art. 20(3)"),
                };
                out[34] = if as_of > fifteen
                    && app.residence_permit_issued_on.is_none_or(|p| p > as_of)
                {
                    Out {
                        v: Bool(true),
                        tail: by!("protection.no_permit_after_15_days", "QR Art. 20(3)"),
                    }
                } else {
                    Out {
                        v: Bool(false),
                        tail: by!("default", "QR Art. 20(3)"),
                    }
                };
            }
        }
    }

    // RCD Art. 17(1), periods under Reg. 1182/71 Art. 3 (the transposing
    // law was not found).
    // A grant by the as-of date: employment immediately (QR Art. 28(1)).
    let six = cal.limit_1182(app.registered_on, P::Months(6)) + 1;
    let access_from = match granted_on {
        Some(on) if on < six => on,
        _ => six,
    };
    out[35] = Out {
        v: Day(access_from),
        tail: if access_from < six {
            by!("reception.granted_earlier", "QR Art. 28(1)")
        } else {
            by!("reception.six_months_from_registration", "RCD Art. 17(1)")
        },
    };
    let barred = !a.unaccompanied_minor
        && track != Track::Regular
        && (a.misled_authorities || safe_origin || a.security_threat);
    out[36] = if granted_on.is_some() {
        Out {
            v: Bool(true),
            tail: by!("reception.granted_protection", "QR Art. 28(1)"),
        }
    } else if barred {
        Out {
            v: Bool(false),
            tail: by!("reception.accelerated", "RCD Art. 17(1)"),
        }
    } else if as_of >= access_from
        && app
            .first_instance_decision_on
            .is_none_or(|d| d >= access_from)
        && !app.delay_attributable_to_applicant
    {
        Out {
            v: Bool(true),
            tail: by!("reception.access_after_six_months", "RCD Art. 17(1)"),
        }
    } else {
        Out {
            v: Bool(false),
            tail: by!("default", "RCD Art. 17(1); QR Art. 28(1)"),
        }
    };

    responsibility::evaluate(
        &c.responsibility,
        &responsibility::Facts {
            registered_on: app.registered_on,
            date_of_birth: a.date_of_birth,
            unaccompanied_minor: a.unaccompanied_minor,
            security_threat: a.security_threat,
            relocated,
            first_instance_decision: app.first_instance_decision_on.is_some(),
            lithuania_extends: matches!(
                c.context.crisis,
                Crisis::MassArrival | Crisis::ForceMajeure
            ) && c.context.responsibility_time_limits_extended,
            as_of,
        },
        cal,
        (&mut out[7..23])
            .try_into()
            .expect("16 Part III determinations"),
    );
    (as_of, out, warnings)
}

// ------------------------------------------------------------------ writing

/// Writes a JSON string (with its quotes).
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&s.as_bytes()[start..i]);
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&s.as_bytes()[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&s.as_bytes()[start..]);
    out.push(b'"');
}

/// The parts of a line that are the same for every case, made once.
pub struct Writer {
    /// `,"as_of_from":"record","lang":"en","law":{…},"outcomes":{`.
    after_as_of: [Vec<u8>; 2],
    /// Per determination: `"key":{"status":"determined","value":` and the
    /// same for undetermined, then `,"label":"…"`.
    heads: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)>,
}

impl Writer {
    pub fn new(law: &serde_json::Value) -> Writer {
        let law = serde_json::to_string(law).expect("the law's identity");
        let after_as_of = ["record", "option"].map(|from| {
            format!(",\"as_of_from\":\"{from}\",\"lang\":\"en\",\"law\":{law},\"outcomes\":{{")
                .into_bytes()
        });
        let heads = KEYS
            .iter()
            .map(|(key, label)| {
                (
                    format!("\"{key}\":{{\"status\":\"determined\",\"value\":").into_bytes(),
                    format!("\"{key}\":{{\"status\":\"undetermined\",\"value\":null").into_bytes(),
                    format!(",\"label\":\"{label}\"").into_bytes(),
                )
            })
            .collect();
        Writer { after_as_of, heads }
    }

    /// One evaluated case's line (without the newline), appended to `out`.
    /// A case without an id is named by its line, as `lsa batch` names it.
    pub fn line(
        &self,
        out: &mut Vec<u8>,
        case: Option<&str>,
        line: usize,
        from_record: bool,
        (as_of, outcomes, warnings): &Evaluated,
    ) {
        let as_of = *as_of;
        out.extend_from_slice(b"{\"format\":1,\"case\":");
        match case {
            Some(c) => write_str(out, c),
            None => {
                out.extend_from_slice(b"\"line ");
                out.extend_from_slice(itoa::Buffer::new().format(line).as_bytes());
                out.push(b'"');
            }
        }
        out.extend_from_slice(b",\"as_of\":");
        write_day(out, as_of);
        out.extend_from_slice(&self.after_as_of[usize::from(!from_record)]);
        for (i, (o, (det, undet, label))) in outcomes.iter().zip(&self.heads).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match o.v {
                V::Undetermined => out.extend_from_slice(undet),
                v => {
                    out.extend_from_slice(det);
                    write_value(out, v);
                }
            }
            out.extend_from_slice(label);
            if let V::Grounds(g) = o.v {
                write_grounds_tail(out, g);
            } else {
                out.extend_from_slice(o.tail.as_bytes());
            }
        }
        out.extend_from_slice(b"},\"errors\":[],\"warnings\":[");
        write_warnings(out, warnings);
        out.extend_from_slice(b"],\"ask_next\":[]}");
    }
}

/// The warnings raised, as `lsa batch` writes them: key, label, citation,
/// and the facts the condition reads with their values.
/// A fact a warning shows: a date, or a value written as JSON.
#[derive(Clone, Copy)]
enum Fact<'w> {
    Day(Day),
    Json(&'w str),
}

fn write_warnings(out: &mut Vec<u8>, w: &Warnings) {
    const MADE: &str = "application.made_on";
    const REGISTERED: &str = "application.registered_on";
    const LODGED: &str = "application.lodged_on";
    const CONFIRMED: &str = "relocation.confirmed_on";
    const EXTENDED: &str = "application.examination_extended_until";
    const POSTPONED: &str = "application.examination_postponed_on";
    // Key, label, citation (as JSON), the facts read.
    type Warning<'w> = (&'w str, &'w str, &'w str, &'w [(&'w str, Fact<'w>)]);
    use Fact::{Day as D, Json as J};
    let status = match w.status {
        ProtectionStatus::None => "\"none\"",
        ProtectionStatus::Refugee => "\"refugee\"",
        ProtectionStatus::Subsidiary => "\"subsidiary\"",
    };
    let decided = match w.decided {
        None => "null",
        Some(FirstInstanceDecision::RefugeeStatus) => "\"refugee_status\"",
        Some(FirstInstanceDecision::SubsidiaryProtection) => "\"subsidiary_protection\"",
        Some(FirstInstanceDecision::Unfounded) => "\"unfounded\"",
        Some(FirstInstanceDecision::ManifestlyUnfounded) => "\"manifestly_unfounded\"",
        Some(FirstInstanceDecision::Inadmissible) => "\"inadmissible\"",
        Some(FirstInstanceDecision::ImplicitlyWithdrawn) => "\"implicitly_withdrawn\"",
    };
    let decided_on = w.decided_on.map_or(J("null"), D);
    let examined = match w.examined {
        ExaminedIn::Regular => "\"regular\"",
        ExaminedIn::Accelerated => "\"accelerated\"",
        ExaminedIn::Border => "\"border\"",
    };
    let extended_until = w.extended_until.map_or(J("null"), D);
    let postponed_on = w.postponed_on.map_or(J("null"), D);
    const ADMISSIBILITY_GROUND: &str = "application.admissibility_ground";
    const ADMISSIBILITY_EXTENDED: &str = "application.admissibility_extended_until";
    let ground = match w.admissibility_ground {
        None => "null",
        Some(AdmissibilityGround::FirstCountryOfAsylum) => "\"first_country_of_asylum\"",
        Some(AdmissibilityGround::SafeThirdCountry) => "\"safe_third_country\"",
        Some(AdmissibilityGround::ProtectionInAnotherMemberState) => {
            "\"protection_in_another_member_state\""
        }
        Some(AdmissibilityGround::RelocationByInternationalTribunal) => {
            "\"relocation_by_international_tribunal\""
        }
        Some(AdmissibilityGround::LateAfterReturnDecision) => "\"late_after_return_decision\"",
        Some(AdmissibilityGround::SubsequentWithoutNewElements) => {
            "\"subsequent_without_new_elements\""
        }
    };
    let admissibility_until = w.admissibility_extended_until.map_or(J("null"), D);
    let all: [Warning; 21] = [
        (
            "case.registered_before_made",
            "The application is registered before it was made: check both dates",
            "\"APR Art. 27(1)\"",
            &[(REGISTERED, D(w.registered)), (MADE, D(w.made))],
        ),
        (
            "case.lodged_before_registered",
            "The application is lodged before it was registered: check both dates",
            "\"APR Art. 28(1)\"",
            &[(LODGED, D(w.lodged)), (REGISTERED, D(w.registered))],
        ),
        (
            "case.born_after_application",
            "The date of birth is after the application was made: check both dates (right only for a child born during a parent's procedure: APR Art. 32(2))",
            "null",
            &[("applicant.date_of_birth", D(w.born)), (MADE, D(w.made))],
        ),
        (
            "case.dated_after_as_of",
            "A date of the application is after the evaluation date: check the dates, or the evaluation date",
            "null",
            &[(MADE, D(w.made)), (REGISTERED, D(w.registered)), (LODGED, D(w.lodged))],
        ),
        (
            "relocation.confirmed_before_information",
            "The relocation is confirmed before the information was received: check both dates",
            "\"AMMR Art. 67(9), first subparagraph\"",
            &[
                (CONFIRMED, D(w.confirmed)),
                ("relocation.information_received_on", D(w.information)),
            ],
        ),
        (
            "relocation.arrived_before_confirmed",
            "The person arrived before the relocation was confirmed: check both dates",
            "\"AMMR Art. 67(11)\"",
            &[("relocation.arrived_on", D(w.arrived)), (CONFIRMED, D(w.confirmed))],
        ),
        (
            "relocation.beneficiary_without_grant_date",
            "Protection was granted, but not when: check the protection status and the date it was granted",
            "\"AMMR Art. 56(2)(a)(ii)\"",
            &[
                ("applicant.protection_status", J(status)),
                ("applicant.protection_granted_on", J("null")),
            ],
        ),
        (
            "responsibility.take_charge_received_before_sent",
            "The take charge request is received before it was sent: check both dates",
            "\"AMMR Art. 40(1)\"",
            &[
                ("responsibility.take_charge_request_received_on", D(w.received)),
                ("responsibility.take_charge_requested_on", D(w.requested)),
            ],
        ),
        (
            "responsibility.detention_ended_before_it_began",
            "The detention ended before it began: check both dates",
            "\"AMMR Art. 45\"",
            &[
                ("responsibility.detained_on", D(w.detained)),
                ("responsibility.detention_ended_on", D(w.released)),
            ],
        ),
        (
            "procedure.registering_authority_informed_late",
            "The registering authority was informed of the application after the time limit for informing it (for a screened person, counted from the end of the screening): the registration time limit runs from the information; check the date",
            "\"APR Art. 27(3)\"",
            &[
                (MADE, D(w.made)),
                ("application.made_to_other_authority", J("true")),
                ("application.registering_authority_informed_on", D(w.informed)),
            ],
        ),
        (
            "procedure.registering_authority_informed_before_made",
            "The registering authority was informed of the application before it was made: check both dates",
            "\"APR Art. 27(3)\"",
            &[
                ("application.made_to_other_authority", J("true")),
                ("application.registering_authority_informed_on", D(w.informed)),
                (MADE, D(w.made)),
            ],
        ),
        (
            "procedure.identified_after_transfer_before_made",
            "The applicant identified himself or herself to the Lithuanian authorities after the transfer before the application was made: check both dates",
            "\"APR Art. 28(2)\"",
            &[
                ("application.transferred_to_lithuania", J("true")),
                ("application.identified_after_transfer_on", D(w.identified)),
                (MADE, D(w.made)),
            ],
        ),
        (
            "procedure.examination_extended_beyond_limit",
            "The record extends the examination longer than allowed: the longest time limit allowed is given; check the date",
            "\"APR Art. 35(5)\"",
            &[(EXTENDED, extended_until), (POSTPONED, postponed_on)],
        ),
        (
            "procedure.examination_extension_not_after_six_months",
            "The record's extended examination time limit is not after the time limit it extends: that time limit stands; check the date",
            "\"APR Art. 35(5)\"",
            &[(EXTENDED, extended_until), (POSTPONED, postponed_on)],
        ),
        (
            "procedure.examination_time_limit_changed_outside_regular",
            "The record extends the examination or postpones its conclusion, but on its facts the rules find the accelerated or the border procedure, to which neither applies: check the facts",
            "\"APR Art. 35(5); APR Art. 35(7)\"",
            &[
                (EXTENDED, extended_until),
                (POSTPONED, postponed_on),
            ],
        ),
        (
            "procedure.admissibility_extended_beyond_limit",
            "The record extends the examination of admissibility longer than allowed: the longest time limit allowed is given; check the date",
            "\"APR Art. 35(2)\"",
            &[(ADMISSIBILITY_EXTENDED, admissibility_until)],
        ),
        (
            "procedure.admissibility_extension_not_after_two_months",
            "The record's extended time limit for examining admissibility is not after the time limit it extends: that time limit stands; check the date",
            "\"APR Art. 35(2)\"",
            &[(ADMISSIBILITY_EXTENDED, admissibility_until)],
        ),
        (
            "procedure.admissibility_extended_on_return_ground",
            "The record extends the examination of admissibility of an application made late after a return decision, whose time limit cannot be extended: the time limit stands unextended; check the ground or the extension",
            "\"APR Art. 35(1); APR Art. 35(2)\"",
            &[(ADMISSIBILITY_GROUND, J(ground)), (ADMISSIBILITY_EXTENDED, admissibility_until)],
        ),
        (
            "procedure.admissibility_ground_not_subsequent",
            "The record examines admissibility as a subsequent application without new elements, but does not give the application as a subsequent one: check both facts",
            "\"APR Art. 38(2); APR Art. 55(2)\"",
            &[(ADMISSIBILITY_GROUND, J(ground)), ("application.subsequent_application", J("false"))],
        ),
        (
            "procedure.examined_in_another_procedure",
            "The record names another examination procedure than the rules find on its facts: check the facts; the examination time limit given is that of the procedure the rules find",
            "\"APR Art. 42(1); APR Art. 45(1)\"",
            &[("application.examined_in", J(examined))],
        ),
        (
            "appeal.decision_without_date",
            "A first-instance decision without its date, or a date without the decision: check both",
            "\"APR Art. 67(1)\"",
            &[
                ("application.first_instance_decision", J(decided)),
                ("application.first_instance_decision_on", decided_on),
            ],
        ),
    ];
    let mut first = true;
    for (k, (key, label, citation, facts)) in all.iter().enumerate() {
        if w.bits & (1 << k) == 0 {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(b"{\"warning\":\"");
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\",\"label\":\"");
        out.extend_from_slice(label.as_bytes());
        out.extend_from_slice(b"\",\"citation\":");
        out.extend_from_slice(citation.as_bytes());
        out.extend_from_slice(b",\"facts\":{");
        for (n, (path, fact)) in facts.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(path.as_bytes());
            out.extend_from_slice(b"\":");
            match fact {
                Fact::Day(day) => write_day(out, *day),
                Fact::Json(text) => out.extend_from_slice(text.as_bytes()),
            }
        }
        out.extend_from_slice(b"}}");
    }
}

const GROUNDS: [Ground; 5] = [
    ("misleading", "procedure.misleading", "APR Art. 42(1)(c)"),
    (
        "safe_country_of_origin",
        "procedure.safe_country_of_origin",
        "APR Art. 42(1)(e); APR Art. 61(5)",
    ),
    ("security", "procedure.security", "APR Art. 42(1)(f)"),
    ("subsequent", "procedure.subsequent", "APR Art. 42(1)(g)"),
    (
        "low_recognition_rate",
        "procedure.low_recognition_rate",
        "APR Art. 42(1)(j)",
    ),
];

type Ground = (&'static str, &'static str, &'static str);

fn write_list(out: &mut Vec<u8>, g: u8, pick: impl Fn(&Ground) -> &'static str) {
    out.push(b'[');
    let mut first = true;
    for (i, ground) in GROUNDS.iter().enumerate() {
        if g & (1 << i) != 0 {
            if !first {
                out.push(b',');
            }
            first = false;
            out.push(b'"');
            out.extend_from_slice(pick(ground).as_bytes());
            out.push(b'"');
        }
    }
    out.push(b']');
}

fn write_grounds_tail(out: &mut Vec<u8>, g: u8) {
    out.extend_from_slice(b",\"rules\":");
    write_list(out, g, |t| t.1);
    out.extend_from_slice(b",\"citations\":");
    write_list(out, g, |t| t.2);
    out.extend_from_slice(b",\"citation\":\"APR Art. 42(1)\"}");
}

fn write_value(out: &mut Vec<u8>, v: V) {
    match v {
        V::Undetermined => out.extend_from_slice(b"null"),
        V::Bool(true) => out.extend_from_slice(b"true"),
        V::Bool(false) => out.extend_from_slice(b"false"),
        V::Day(d) => write_day(out, d),
        V::Sym(s) => {
            out.push(b'"');
            out.extend_from_slice(s.as_bytes());
            out.push(b'"');
        }
        V::Code(s) => write_str(out, s),
        V::Grounds(g) => write_list(out, g, |t| t.0),
    }
}

/// A line the baseline cannot read, as an error object (lsa's names the
/// field and column; the bench compares these by line number).
pub fn error_line(out: &mut Vec<u8>, line: usize, message: &str) {
    out.extend_from_slice(b"{\"format\":1,\"case\":null,\"line\":");
    out.extend_from_slice(itoa::Buffer::new().format(line).as_bytes());
    out.extend_from_slice(b",\"status\":\"invalid\",\"errors\":[{\"message\":");
    write_str(out, message);
    out.extend_from_slice(b"}]}");
}
