//! Seeded synthetic case records (JSON Lines), complete files covering every
//! branch of the first-set determinations, with a share of malformed lines.

/// A small deterministic generator (SplitMix64), so runs are reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn date(rng: &mut Rng, from_year: u64, years: u64) -> String {
    let y = from_year + rng.below(years);
    let m = 1 + rng.below(12);
    let d = 1 + rng.below(28);
    format!("{y:04}-{m:02}-{d:02}")
}

fn add_days(s: &str, days: i64) -> String {
    let d = lsa::value::parse_date(s).unwrap();
    lsa::value::date_str(d.checked_add(jiff::Span::new().days(days)).unwrap())
}

/// One case as a JSON line. `malformed` gives a line the reader must reject.
pub fn case(rng: &mut Rng, i: u64, malformed: bool) -> String {
    if malformed {
        return match rng.below(3) {
            0 => format!("{{\"case\": \"BAD-{i}\", \"applicant\": {{\"nationalty\": \"AFG\"}}}}"),
            1 => {
                format!("{{\"case\": \"BAD-{i}\", \"application\": {{\"made_on\": \"2026-02-30\"}}")
            }
            _ => "this is not JSON".to_string(),
        };
    }
    // Applications made once the Pact and the Crisis Regulation apply (every
    // determination in force, every derogation possible).
    let made = add_days("2026-07-01", rng.below(540) as i64);
    let registered = add_days(&made, rng.below(6) as i64);
    let lodged = add_days(&registered, rng.below(22) as i64);
    let status = rng.pick(&["none", "none", "none", "refugee", "subsidiary"]);
    let beneficiary = status != "none";
    let granted = if beneficiary {
        format!("\"{}\"", date(rng, 2022, 4))
    } else {
        "null".into()
    };
    // One beneficiary in 100 without a date of grant (a record that
    // contradicts itself: a warning), chosen by number so that the random
    // draws, and so every other case, stay as they were.
    let granted = if beneficiary && i % 100 == 7 {
        "null".into()
    } else {
        granted
    };
    let consents = match rng.below(3) {
        0 => "true",
        1 => "false",
        _ => "null",
    };
    let decision = if rng.chance(30) {
        format!("\"{}\"", add_days(&lodged, rng.below(300) as i64))
    } else {
        "null".into()
    };
    // What the first-instance decision decided, the procedure and whether
    // the application is a subsequent one: chosen by number, so that the
    // random draws, and so every other fact, stay as they were. One case in
    // 97 without a decision gives what it decided anyway (a record that
    // contradicts itself: a warning).
    let decided = decision != "null" || i % 97 == 5;
    let outcome = if decided {
        let outcomes = [
            "unfounded",
            "manifestly_unfounded",
            "inadmissible",
            "implicitly_withdrawn",
            "refugee_status",
            "subsidiary_protection",
        ];
        format!("\"{}\"", outcomes[(i / 3 % 6) as usize])
    } else {
        "null".into()
    };
    // The notification of the first-instance decision, and the residence
    // permit of a beneficiary (QR Art. 24(2)): chosen by number, so that
    // the random draws, and so every other fact, stay as they were. One
    // decision in five not notified yet; two in seven without a permit
    // yet; a permit, where there is one, 3 to 122 days after the
    // notification (within 15 days of the grant, and after 90 days, both
    // happen).
    let (notified, permit) = match decision.trim_matches('"') {
        _ if decision == "null" || i % 5 == 0 => ("null".to_string(), "null".to_string()),
        on => {
            let n = add_days(on, (i / 5 % 4) as i64);
            let p = if i % 7 < 2 {
                "null".to_string()
            } else {
                format!("\"{}\"", add_days(&n, 3 + (i * 13 % 120) as i64))
            };
            (format!("\"{n}\""), p)
        }
    };
    let subsequent = if i % 11 == 3 { "true" } else { "false" };
    // The relocation procedure: the information, a postponement and a
    // security reply around its first week, a confirmation in time or late.
    let info_on = rng
        .chance(70)
        .then(|| add_days("2026-07-01", rng.below(540) as i64));
    let near = |rng: &mut Rng, percent: u64, days: u64| match &info_on {
        Some(i) if rng.chance(percent) => format!("\"{}\"", add_days(i, rng.below(days) as i64)),
        _ => "null".into(),
    };
    let info = info_on
        .as_ref()
        .map_or_else(|| "null".into(), |i| format!("\"{i}\""));
    let postponed = near(rng, 20, 10);
    let security_reply = near(rng, 5, 10);
    let confirmed_on = match &info_on {
        Some(i) if rng.chance(60) => Some(add_days(i, rng.below(16) as i64)),
        _ => None,
    };
    let (confirmed, appeal, arrived) = match &confirmed_on {
        Some(c) => (
            format!("\"{c}\""),
            if rng.chance(20) {
                format!("\"{}\"", add_days(c, 7 + rng.below(60) as i64))
            } else {
                "null".into()
            },
            if rng.chance(60) {
                format!("\"{}\"", add_days(c, rng.below(30) as i64))
            } else {
                "null".into()
            },
        ),
        None => ("null".into(), "null".into(), "null".into()),
    };
    let screening = if rng.chance(60) {
        format!("\"{}\"", add_days(&made, rng.below(8) as i64))
    } else {
        "null".into()
    };
    // An application made to an authority that does not register
    // applications (APR Art. 27(3)), one case in 11, the information
    // received from none to six days after the making (after the three
    // working days in some: a warning), or not yet (one in eight of them);
    // chosen by number, so that the random facts are drawn as before.
    let other = i % 11 == 6;
    // Passed on none to six days after the making, or not yet; where it
    // would be the same day, dated the day before the making instead (a
    // typing error: a warning).
    let informed = if other && i / 11 % 8 != 7 {
        let days = match i / 11 % 8 {
            0 => -1,
            d => d as i64,
        };
        format!("\"{}\"", add_days(&made, days))
    } else {
        "null".into()
    };
    // An applicant transferred to Lithuania under AMMR Art. 46 (APR
    // Art. 28(2)), one case in 31, who identified to the Lithuanian
    // authorities none to three days before lodging, the day before the
    // making (a warning), or not yet (one in six each); chosen by number, so
    // that the random facts are drawn as before.
    let transferred = i % 31 == 8;
    let identified = match (transferred, i / 31 % 6) {
        (false, _) | (true, 5) => "null".into(),
        (true, 4) => format!("\"{}\"", add_days(&made, -1)),
        (true, k) => format!("\"{}\"", add_days(&lodged, -(k as i64))),
    };
    // The regular examination's six months extended (APR Art. 35(5)), one
    // case in 17, to a day from five to about thirteen months after lodging
    // (past the most allowed, or not after the six months: warnings), and
    // its conclusion postponed (Art. 35(7)), one case in 41; chosen by
    // number, so that the random facts are drawn as before.
    let examination_extended = if i % 17 == 3 {
        format!("\"{}\"", add_days(&lodged, 150 + (i / 17 % 250) as i64))
    } else {
        "null".into()
    };
    let examination_postponed = if i % 41 == 7 {
        format!("\"{}\"", add_days(&lodged, 100))
    } else {
        "null".into()
    };
    // An examination of admissibility (APR Art. 35(1), 38), one case in 9,
    // on each of the six grounds in turn; concluded in four cases of five,
    // up to 79 days after lodging; on the grounds of the two months, one in
    // four extended to a day 50 to 139 days after lodging (not after the two
    // months, or past the four: warnings), and on the ground of
    // Art. 38(1)(e) too (a warning); chosen by number, so that the random
    // facts are drawn as before.
    let admissibility_grounds = [
        "first_country_of_asylum",
        "safe_third_country",
        "protection_in_another_member_state",
        "relocation_by_international_tribunal",
        "late_after_return_decision",
        "subsequent_without_new_elements",
    ];
    let admissible = i % 9 == 4;
    let admissibility_ground = if admissible {
        format!("\"{}\"", admissibility_grounds[(i / 9 % 6) as usize])
    } else {
        "null".into()
    };
    let admissibility_concluded = if admissible && i / 9 % 5 != 0 {
        format!("\"{}\"", add_days(&lodged, (i * 7 % 80) as i64))
    } else {
        "null".into()
    };
    let admissibility_extended = if admissible && i / 54 % 4 == 1 {
        format!("\"{}\"", add_days(&lodged, 50 + (i * 11 % 90) as i64))
    } else {
        "null".into()
    };
    // An unaccompanied minor's representative (APR Art. 23(2)(b)), for
    // every applicant: appointed 2 to 36 days after the making, or not yet
    // (one in five); the time limit extended (Art. 23(3)) one case in ten;
    // chosen by number, so that the random facts are drawn as before.
    let representative = if i % 5 == 1 {
        "null".into()
    } else {
        format!("\"{}\"", add_days(&made, 2 + (i * 3 % 35) as i64))
    };
    let representative_extended = i % 10 == 3;
    let as_of = add_days(&made, rng.below(400) as i64 + 1);
    let b = |rng: &mut Rng, p: u64| if rng.chance(p) { "true" } else { "false" };
    // The applicant's and the application's facts, drawn in the order the
    // line gives them, so that the procedure applied can follow them.
    let dob = date(rng, 1960, 50);
    let nat = rng.pick(&["AFG", "SYR", "IRQ", "PAK", "BGD", "SOM", "BLR", "stateless"]);
    // A stateless person's country of former habitual residence (Morocco is
    // a safe country of origin, APR Annex II), and the individual
    // assessment of the safe country of origin (APR Art. 61(5)(c)).
    let former = if nat == "stateless" {
        rng.pick(&["\"MAR\"", "\"SYR\"", "null"])
    } else {
        "null"
    };
    let rebutted = b(rng, 15);
    let safe_origin = (nat == "BGD" || former == "\"MAR\"") && rebutted == "false";
    let (uam, sec, mis, sn, med) = (b(rng, 8), b(rng, 5), b(rng, 10), b(rng, 5), b(rng, 5));
    let (fam, prev, stud, lang) = (b(rng, 10), b(rng, 5), b(rng, 5), b(rng, 5));
    let circ = rng.pick(&[
        "border_crossing_point",
        "transit_zone",
        "apprehended_irregular_crossing",
        "sar_disembarkation",
        "relocated",
        "within_territory",
    ]);
    let entry = b(rng, 20);
    let (rate_whole, rate_tenth) = (rng.below(60), rng.below(10));
    // The procedure the authority applied: roughly the one the rules find
    // (APR Arts. 42, 45, 53), and, one case in 23, any (a record that may
    // name another procedure than the rules find: a warning).
    let grounds =
        sec == "true" || mis == "true" || safe_origin || rate_whole * 10 + rate_tenth <= 200;
    let adult = uam == "false";
    let examined = if i % 23 == 11 {
        ["regular", "accelerated", "border"][(i / 7 % 3) as usize]
    } else if grounds
        && adult
        && circ != "within_territory"
        && entry == "false"
        && sn == "false"
        && med == "false"
    {
        "border"
    } else if grounds && (adult || sec == "true") {
        "accelerated"
    } else {
        "regular"
    };
    let line = format!(
        concat!(
            "{{\"case\":\"SYN-{i}\",\"as_of\":\"{as_of}\",",
            "\"applicant\":{{\"date_of_birth\":\"{dob}\",\"nationality\":\"{nat}\",",
            "\"former_habitual_residence\":{former},\"safe_origin_rebutted\":{rebutted},\"unaccompanied_minor\":{uam},",
            "\"security_threat\":{sec},\"misled_authorities\":{mis},\"special_needs_unsupported_at_border\":{sn},",
            "\"medical_reasons_against_border\":{med},\"protection_status\":\"{status}\",\"protection_granted_on\":{granted},",
            "\"consents_to_relocation\":{consents},\"family_in_lithuania\":{fam},\"previous_residence_in_lithuania\":{prev},",
            "\"studied_in_lithuania\":{stud},\"speaks_lithuanian\":{lang}}},",
            "\"application\":{{\"made_on\":\"{made}\",\"registered_on\":\"{registered}\",\"lodged_on\":\"{lodged}\",",
            "\"circumstances\":\"{circ}\",\"entry_conditions_fulfilled\":{entry},\"recognition_rate_pct\":{rate},",
            "\"first_instance_decision_on\":{decision},\"first_instance_decision\":{outcome},",
            "\"first_instance_decision_notified_on\":{notified},\"residence_permit_issued_on\":{permit},\"examined_in\":\"{examined}\",",
            "\"subsequent_application\":{subsequent},",
            "\"delay_attributable_to_applicant\":{delay},\"screening_ended_on\":{screening},",
            "\"made_to_other_authority\":{other},\"registering_authority_informed_on\":{informed},",
            "\"transferred_to_lithuania\":{transferred},\"identified_after_transfer_on\":{identified},",
            "\"examination_extended_until\":{examination_extended},\"examination_postponed_on\":{examination_postponed},",
            "\"admissibility_ground\":{admissibility_ground},\"admissibility_concluded_on\":{admissibility_concluded},",
            "\"admissibility_extended_until\":{admissibility_extended},",
            "\"representative_appointed_on\":{representative},\"representative_time_limit_extended\":{representative_extended}}},",
            "\"relocation\":{{\"benefitting_member_state\":\"{bms}\",\"council_act_adopted_on\":\"{act}\",",
            "\"information_received_on\":{info},\"postponement_notified_on\":{postponed},\"security_reply_on\":{security_reply},",
            "\"confirmed_on\":{confirmed},\"appeal_decided_on\":{appeal},\"arrived_on\":{arrived},",
            "\"benefitting_state_was_responsible\":{was_responsible}}},",
            "\"context\":{{\"crisis\":\"{crisis}\",\"border_capacity_reached\":{cap},",
            "\"responsibility_time_limits_extended\":{extended},",
            "\"disproportionate_numbers_for_registration\":{dreg},\"disproportionate_numbers_for_lodging\":{dlod}}},",
            "\"responsibility\":{resp}}}"
        ),
        i = i,
        as_of = as_of,
        dob = dob,
        nat = nat,
        former = former,
        rebutted = rebutted,
        uam = uam,
        sec = sec,
        mis = mis,
        sn = sn,
        med = med,
        status = status,
        granted = granted,
        consents = consents,
        fam = fam,
        prev = prev,
        stud = stud,
        lang = lang,
        made = made,
        registered = registered,
        lodged = lodged,
        circ = circ,
        entry = entry,
        rate = format!("{rate_whole}.{rate_tenth}"),
        decision = decision,
        outcome = outcome,
        examined = examined,
        notified = notified,
        permit = permit,
        subsequent = subsequent,
        delay = b(rng, 10),
        bms = rng.pick(&["ITA", "GRC", "ESP", "CYP"]),
        act = rng.pick(&["2025-12-08", "2026-12-08"]),
        info = info,
        postponed = postponed,
        security_reply = security_reply,
        was_responsible = b(rng, 30),
        confirmed = confirmed,
        appeal = appeal,
        arrived = arrived,
        screening = screening,
        other = other,
        informed = informed,
        transferred = transferred,
        identified = identified,
        examination_extended = examination_extended,
        examination_postponed = examination_postponed,
        admissibility_ground = admissibility_ground,
        admissibility_concluded = admissibility_concluded,
        admissibility_extended = admissibility_extended,
        representative = representative,
        representative_extended = representative_extended,
        crisis = rng.pick(&["none", "none", "none", "none", "instrumentalisation", "mass_arrival"]),
        cap = b(rng, 15),
        extended = b(rng, 30),
        // A disproportionate number of applications (APR Art. 27(5),
        // 28(5)), chosen by number as above.
        dreg = i % 13 == 5,
        dlod = i % 19 == 4,
        resp = responsibility(rng, &registered),
    );
    // One case in seven not made after a relocation transfer has no
    // relocation section: a person not considered for relocation (AMMR
    // Art. 67(1)), whose relocation determinations are undetermined. The
    // section's facts are drawn all the same, so the other cases stay as
    // they were.
    if i % 7 == 2 && circ != "relocated" {
        if let (Some(from), Some(to)) = (line.find("\"relocation\":{"), line.find("\"context\":{"))
        {
            return format!("{}{}", &line[..from], &line[to..]);
        }
    }
    line
}

/// A quoted date `days` (0 to `spread` - 1) after `from`, or `null`.
fn maybe(rng: &mut Rng, percent: u64, from: &str, spread: u64) -> String {
    if rng.chance(percent) {
        format!("\"{}\"", add_days(from, rng.below(spread) as i64))
    } else {
        "null".into()
    }
}

/// The Part III section: family, documents, diplomas, entries and earlier
/// applications around the registration (inside and outside every window),
/// and the take charge, take back and transfer steps, in time or late.
fn responsibility(rng: &mut Rng, registered: &str) -> String {
    const STATES: [&str; 6] = ["DEU", "FRA", "SWE", "POL", "LTU", "ITA"];
    let before = |rng: &mut Rng, days: u64| add_days(registered, -(rng.below(days) as i64));
    let b = |rng: &mut Rng, p: u64| if rng.chance(p) { "true" } else { "false" };
    let items = |rng: &mut Rng, max: u64, make: &dyn Fn(&mut Rng) -> String| {
        let n = rng.below(max + 1);
        let v: Vec<String> = (0..n).map(|_| make(rng)).collect();
        format!("[{}]", v.join(","))
    };
    let family = items(rng, 2, &|rng| {
        format!(
            concat!(
                "{{\"relation\":\"{}\",\"member_state\":\"{}\",\"status\":\"{}\",\"existed_before_arrival\":{},",
                "\"arrived_on\":\"{}\",\"desire_in_writing\":{},\"can_take_care\":{},\"against_best_interests\":{}}}"
            ),
            rng.pick(&["spouse_or_partner", "minor_child", "parent_or_responsible_adult", "sibling", "relative"]),
            rng.pick(&STATES),
            rng.pick(&["beneficiary", "long_term_resident", "citizen_former_beneficiary", "applicant_no_first_decision", "applicant_after_first_decision", "other_legal_stay", "not_legally_present"]),
            b(rng, 70),
            date(rng, 1995, 31),
            b(rng, 60),
            b(rng, 50),
            b(rng, 10),
        )
    });
    let documents = items(rng, 2, &|rng| {
        let from = before(rng, 2500);
        let until = add_days(&from, 30 + rng.below(1500) as i64);
        format!(
            concat!(
                "{{\"kind\":\"{}\",\"issuing_state\":\"{}\",\"issued_on_behalf_of\":{},\"valid_from\":\"{}\",",
                "\"valid_until\":\"{}\",\"ended_early_on\":{},\"fraud_after_issue\":{}}}"
            ),
            rng.pick(&["residence_document", "long_stay_visa", "short_stay_visa", "airport_transit_visa"]),
            rng.pick(&STATES),
            if rng.chance(10) { format!("\"{}\"", rng.pick(&STATES)) } else { "null".into() },
            from,
            until,
            maybe(rng, 10, &from, 900),
            b(rng, 5),
        )
    });
    let diplomas = items(rng, 1, &|rng| {
        format!(
            "{{\"member_state\":\"{}\",\"issued_on\":\"{}\",\"study_months\":{}}}",
            rng.pick(&STATES),
            before(rng, 3000),
            6 + rng.below(60)
        )
    });
    let entries = items(rng, 2, &|rng| {
        format!(
            "{{\"kind\":\"{}\",\"member_state\":\"{}\",\"on\":\"{}\"}}",
            rng.pick(&[
                "irregular_crossing",
                "sar_disembarkation",
                "visa_waived_entry",
                "relocation"
            ]),
            rng.pick(&STATES),
            before(rng, 900)
        )
    });
    let previous = items(rng, 1, &|rng| {
        format!(
            "{{\"member_state\":\"{}\",\"registered_on\":\"{}\"}}",
            rng.pick(&STATES),
            add_days(registered, 20 - rng.below(600) as i64)
        )
    });
    let take_back = rng.chance(15);
    let quoted = |s: &str| format!("\"{s}\"");
    let tb_state = if take_back {
        quoted(rng.pick(&STATES))
    } else {
        "null".into()
    };
    let tb_hit = if take_back {
        maybe(rng, 80, registered, 20)
    } else {
        "null".into()
    };
    let tb_notified = match tb_hit.trim_matches('"') {
        "null" => "null".into(),
        hit => maybe(rng, 70, hit, 25),
    };
    let tb_after = match tb_notified.trim_matches('"') {
        "null" => None,
        n => Some(n.to_string()),
    };
    let (tb_confirmed, tb_objected) = match &tb_after {
        Some(n) => (maybe(rng, 40, n, 30), maybe(rng, 10, n, 30)),
        None => ("null".into(), "null".into()),
    };
    let requested_on =
        (!take_back && rng.chance(60)).then(|| add_days(registered, rng.below(80) as i64));
    let (requested, received, accepted, refused) = match &requested_on {
        Some(r) => {
            let got = add_days(r, rng.below(3) as i64);
            (
                quoted(r),
                quoted(&got),
                maybe(rng, 40, &got, 45),
                maybe(rng, 10, &got, 45),
            )
        }
        None => ("null".into(), "null".into(), "null".into(), "null".into()),
    };
    let later = add_days(registered, 60);
    // Detained to secure the transfer (AMMR Arts. 44, 45): before, on or
    // after the registration, some released since (a few dated before the
    // detention: a warning).
    let detained_on = rng
        .chance(15)
        .then(|| add_days(registered, rng.below(40) as i64 - 3));
    let (detained, ended) = match &detained_on {
        Some(d) => {
            let ended = rng
                .chance(30)
                .then(|| quoted(&add_days(d, rng.below(62) as i64 - 2)));
            (quoted(d), ended.unwrap_or_else(|| "null".into()))
        }
        None => ("null".into(), "null".into()),
    };
    format!(
        concat!(
            "{{\"family\":{family},\"documents\":{documents},\"diplomas\":{diplomas},\"entries\":{entries},",
            "\"previous_applications\":{previous},\"applicant_married\":{married},",
            "\"made_in_airport_transit_area\":{airport},\"visa_waived_in_lithuania\":{waived},",
            "\"best_interests_member_state\":{bi},\"lithuania_decided_to_examine_on\":{examine},",
            "\"hit_received_on\":{hit},\"take_back_member_state\":{tb_state},\"take_back_hit_received_on\":{tb_hit},",
            "\"take_charge_requested_on\":{requested},\"take_charge_request_received_on\":{received},",
            "\"urgent_reply_requested\":{urgent},\"accepted_on\":{accepted},\"refused_on\":{refused},",
            "\"take_back_notified_on\":{tb_notified},\"take_back_confirmed_on\":{tb_confirmed},",
            "\"take_back_objected_on\":{tb_objected},\"late_request_in_child_best_interests\":{late_bi},",
            "\"appeal_decided_on\":{appeal},\"imprisonment_prevents_transfer\":{prison},",
            "\"absconding_notified_on\":{absconded},\"available_again_on\":{again},",
            "\"transferred_on\":{transferred},\"other_state_time_limits_extended\":{other},",
            "\"transfer_decided_on\":{decided},\"detained_on\":{detained},\"detention_ended_on\":{ended}}}"
        ),
        family = family,
        documents = documents,
        diplomas = diplomas,
        entries = entries,
        previous = previous,
        married = b(rng, 10),
        airport = b(rng, 5),
        waived = b(rng, 10),
        bi = if rng.chance(50) { quoted(rng.pick(&STATES)) } else { "null".into() },
        examine = maybe(rng, 5, registered, 60),
        hit = maybe(rng, 20, registered, 40),
        tb_state = tb_state,
        tb_hit = tb_hit,
        requested = requested,
        received = received,
        urgent = b(rng, 10),
        accepted = accepted,
        refused = refused,
        tb_notified = tb_notified,
        tb_confirmed = tb_confirmed,
        tb_objected = tb_objected,
        late_bi = b(rng, 20),
        appeal = maybe(rng, 10, &later, 120),
        prison = b(rng, 5),
        absconded = maybe(rng, 10, &later, 200),
        again = maybe(rng, 10, &later, 300),
        transferred = maybe(rng, 20, &later, 200),
        other = b(rng, 10),
        decided = maybe(rng, 30, &later, 60),
        detained = detained,
        ended = ended,
    )
}
