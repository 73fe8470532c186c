//! The reader's messages in Lithuanian, for people (`lsa check` with
//! `--lang lt` or a Lithuanian locale, `lsa test --lang lt`). The reader
//! words its problems in English, which the error objects of the JSON
//! contract keep; here each message and help is matched against the
//! reader's wordings and put into Lithuanian, with the values it quotes
//! (field names, the text found, the allowed values) as they are. A wording
//! not matched stays in English (a test checks that every wording the
//! reader's tests meet is matched). Messages of the JSON and YAML parsers
//! themselves ("mapping values are not allowed …") stay in English after
//! a Lithuanian "not valid JSON/YAML".

use std::sync::LazyLock;

use regex_lite::{Captures, Regex};

/// A wording's Lithuanian, made from its captures.
type Put = fn(&Captures<'_>) -> Option<String>;

/// Capture `i` of a match (empty if it did not take part).
fn at<'t>(c: &Captures<'t>, i: usize) -> &'t str {
    c.get(i).map_or("", |m| m.as_str())
}

/// A thing a message names as expected or found (`a date like 2026-07-15`,
/// `the text "taip"`), in Lithuanian (nominative).
fn thing(text: &str) -> Option<String> {
    static THINGS: LazyLock<Vec<(Regex, Put)>> = LazyLock::new(|| table(THING_ROWS));
    put(&THINGS, text)
}

/// The things of [`thing`], and their Lithuanian.
const THING_ROWS: &[(&str, Put)] = &[
    (r"true or false", |_| Some("true arba false".into())),
    (r"a whole number", |_| Some("sveikasis skaičius".into())),
    (r"a number", |_| Some("skaičius".into())),
    (r"a percentage \(a number like 12\.5\)", |_| {
        Some("procentai (skaičius, pvz., 12.5)".into())
    }),
    (r#"an amount like "1153\.00 EUR""#, |_| {
        Some(r#"suma, pvz., "1153.00 EUR""#.into())
    }),
    (r"a text", |_| Some("tekstas".into())),
    (r"a date like 2026-07-15", |_| {
        Some("data, pvz., 2026-07-15".into())
    }),
    (r"a date and time like 2026-08-03T14:20", |_| {
        Some("data ir laikas, pvz., 2026-08-03T14:20".into())
    }),
    (r#"a period like "3 years""#, |_| {
        Some(r#"laikotarpis, pvz., "3 years""#.into())
    }),
    (r"one of (.*)", |c| {
        Some(format!("viena iš reikšmių: {}", at(c, 1)))
    }),
    (r"a record of type `(.*)` \(a map of fields\)", |c| {
        Some(format!("`{}` tipo įrašas (laukų rinkinys)", at(c, 1)))
    }),
    (r"a list", |_| Some("sąrašas".into())),
    (r"a map", |_| Some("laukų rinkinys".into())),
    (r"a value", |_| Some("reikšmė".into())),
    (r#"the text "(.*)""#, |c| {
        Some(format!("tekstas \"{}\"", at(c, 1)))
    }),
    (r"the number (.*)", |c| {
        Some(format!("skaičius {}", at(c, 1)))
    }),
    (r"(true|false)", |c| Some(at(c, 1).to_string())),
];

/// The reader's wordings of messages and helps, and their Lithuanian.
static WORDINGS: LazyLock<Vec<(Regex, Put)>> = LazyLock::new(|| table(WORDING_ROWS));

/// The rows of [`WORDINGS`], in the order they are tried.
const WORDING_ROWS: &[(&str, Put)] = &[
    // Messages.
    (r"expected (.+?), found (.+)", |c| {
        Some(format!(
            "turi būti {}, o nurodyta: {}",
            thing(at(c, 1))?,
            thing(at(c, 2))?
        ))
    }),
    (r"`(.*)` is not one of (.*)", |c| {
        Some(format!(
            "`{}` nėra viena iš reikšmių: {}",
            at(c, 1),
            at(c, 2)
        ))
    }),
    (r"`(.*)` is not (.+)", |c| {
        Some(format!(
            "`{}` netinka: turi būti {}",
            at(c, 1),
            thing(at(c, 2))?
        ))
    }),
    (r"(.*) does not match `(.*)`", |c| {
        Some(format!("{} neatitinka šablono `{}`", at(c, 1), at(c, 2)))
    }),
    (r"(.*) is not between (.*) and (.*)", |c| {
        Some(format!(
            "{} nėra tarp {} ir {}",
            at(c, 1),
            at(c, 2),
            at(c, 3)
        ))
    }),
    (r"unknown field", |_| Some("nežinomas laukas".into())),
    (r"given twice", |_| Some("nurodytas du kartus".into())),
    (r"the file is empty", |_| Some("failas tuščias".into())),
    (r"the record is empty", |_| Some("įrašas tuščias".into())),
    (
        r"a case record is a map of fields \(`applicant:`, `application:`, …\)",
        |_| Some("bylos įrašas yra laukų rinkinys (`applicant:`, `application:`, …)".into()),
    ),
    (r"null is allowed only for optional fields", |_| {
        Some("null leidžiama tik neprivalomiems laukams".into())
    }),
    (r"null is not a date", |_| Some("null nėra data".into())),
    (
        r"the number (.*) is too large: an integer is at most (.*)",
        |c| {
            Some(format!(
                "skaičius {} per didelis: sveikasis skaičius yra ne didesnis kaip {}",
                at(c, 1),
                at(c, 2)
            ))
        },
    ),
    (
        r"the number (.*) has more digits than lsa keeps exactly \((.*)\)",
        |c| {
            Some(format!(
                "skaičiuje {} daugiau skaitmenų, nei lsa išsaugo tiksliai ({})",
                at(c, 1),
                at(c, 2)
            ))
        },
    ),
    (
        r"the number (.*) is too large to have been read exactly",
        |c| {
            Some(format!(
                "skaičius {} per didelis, kad būtų perskaitytas tiksliai",
                at(c, 1)
            ))
        },
    ),
    (r"not valid (JSON|YAML): the record ends too early", |c| {
        Some(format!(
            "neteisingas {}: įrašas baigiasi per anksti",
            at(c, 1)
        ))
    }),
    (
        r"not valid (JSON|YAML): the text has several documents \(`---`\) where one is read",
        |c| {
            Some(format!(
                "neteisingas {}: tekste keli dokumentai (`---`), o skaitomas vienas",
                at(c, 1)
            ))
        },
    ),
    (r"not valid (JSON|YAML): (.*)", |c| {
        Some(format!("neteisingas {}: {}", at(c, 1), at(c, 2)))
    }),
    (r"lsa failed while evaluating this record: (.*)", |c| {
        Some(format!(
            "lsa nepavyko įvertinti šio įrašo (lsa klaida): {}",
            at(c, 1)
        ))
    }),
    (
        r"the line is longer than (\d+) bytes \(--max-line-bytes\); it was not read",
        |c| {
            Some(format!(
                "eilutė ilgesnė nei {} baitų (--max-line-bytes); ji neperskaityta",
                at(c, 1)
            ))
        },
    ),
    (r"not valid UTF-8 \(at byte (\d+)\)", |c| {
        Some(format!("ne UTF-8 tekstas ({} baitas)", at(c, 1)))
    }),
    // Helps.
    (
        r"a case record is a map of fields \(`applicant:`, `application:`, …\); `\{\}` is a record with every fact unknown",
        |_| {
            Some("bylos įrašas yra laukų rinkinys (`applicant:`, `application:`, …); `{}` yra įrašas, kuriame nežinomas nė vienas faktas".into())
        },
    ),
    (r"did you mean `(.*)`\?", |c| {
        Some(format!("gal turėta omenyje `{}`?", at(c, 1)))
    }),
    (r"the record's keys are: (.*)", |c| {
        Some(format!("įrašo raktai: {}", at(c, 1)))
    }),
    (r"the fields of `(.*)` are: (.*)", |c| {
        Some(format!("`{}` laukai: {}", at(c, 1), at(c, 2)))
    }),
    (r"the values are: (.*)", |c| {
        Some(format!("galimos reikšmės: {}", at(c, 1)))
    }),
    (
        r"the rules allow values within these limits, both included",
        |_| Some("taisyklės leidžia reikšmes šiose ribose (imtinai)".into()),
    ),
    (
        r"the rules allow a text matching this pattern \(a regular expression\), whole",
        |_| {
            Some(
                "taisyklės leidžia tekstą, kuris visas atitinka šį šabloną (reguliarųjį reiškinį)"
                    .into(),
            )
        },
    ),
    (r"dates are written YYYY-MM-DD and must exist", |_| {
        Some(
            "datos rašomos YYYY-MM-DD (metai, mėnuo, diena), ir tokia diena turi būti kalendoriuje"
                .into(),
        )
    }),
    (
        r"a whole number past 9007199254740992 loses digits in JSON; no field takes one",
        |_| {
            Some("sveikasis skaičius, didesnis nei 9007199254740992, JSON formatu praranda skaitmenis; tokio nepriima nė vienas laukas".into())
        },
    ),
    (r"write YYYY-MM-DDTHH:MM", |_| {
        Some("rašykite YYYY-MM-DDTHH:MM".into())
    }),
    (r"write the amount and the currency code: (.*)", |c| {
        Some(format!("rašykite sumą ir valiutos kodą: {}", at(c, 1)))
    }),
    (r"write a number and a unit: (.*)", |c| {
        Some(format!("rašykite skaičių ir vienetą: {}", at(c, 1)))
    }),
    (r"write the number without quotes: (.*)", |c| {
        Some(format!("rašykite skaičių be kabučių: {}", at(c, 1)))
    }),
    (r"write a number like 12\.5, without quotes", |_| {
        Some("rašykite skaičių, pvz., 12.5, be kabučių".into())
    }),
    (
        r"leave the field out if it is not known yet; the rules declare it as (.*), not optional",
        |c| {
            Some(format!(
                    "jei reikšmė dar nežinoma, lauko nenurodykite; taisyklės jį apibrėžia kaip privalomą ({})",
                    thing(at(c, 1))?
                ))
        },
    ),
    (
        r"leave `as_of` out to evaluate on the date `--as-of` gives \(else today\)",
        |_| {
            Some("nenurodykite `as_of`: bus vertinama `--as-of` nurodytą dieną (jei jos nėra, šiandien)".into())
        },
    ),
    (
        r#"write `(true|false)` for "(.*)" \(true or false, without quotes\)"#,
        |c| {
            Some(format!(
                "rašykite `{}` vietoj \"{}\" (true arba false, be kabučių)",
                at(c, 1),
                at(c, 2)
            ))
        },
    ),
    (r"write (true|false) without quotes", |c| {
        Some(format!("rašykite {} be kabučių", at(c, 1)))
    }),
    (r"write true or false, without quotes", |_| {
        Some("rašykite true arba false, be kabučių".into())
    }),
    (
        r"if the next line is a field of its own, indent it as this one \(indented deeper, YAML reads it as part of this value\)",
        |_| {
            Some("jei kita eilutė yra atskiras laukas, atitraukite ją tiek pat, kiek šį (atitrauktą giliau YAML skaito kaip šios reikšmės dalį)".into())
        },
    ),
    (r"several cases go to `lsa batch` as JSON Lines: .*", |_| {
        Some("kelias bylas `lsa batch` pateikite JSON Lines formatu: kiekvienoje eilutėje po vieną visą įrašą, be kablelių tarp jų (iš JSON sąrašo: `jq -c '.[]' cases.json > cases.jsonl`)".into())
    }),
    (r"a YAML file holds one case; .*", |_| {
        Some("YAML faile yra viena byla; pateikite kelis failus (`lsa check a.yaml b.yaml`, `lsa batch APLANKAS`) arba JSON Lines komandai `lsa batch`".into())
    }),
    (r"the text has NUL bytes: .*", |_| {
        Some("tekste yra NUL baitų: panašu į UTF-16 (jį rašo Windows PowerShell `>`); išsaugokite kaip UTF-8 (`Out-File -Encoding utf8`)".into())
    }),
    (
        r"YAML indents with spaces, not tabs: this line starts with a tab",
        |_| {
            Some("YAML atitraukiama tarpais, ne tabuliacijos ženklais: ši eilutė prasideda tabuliacijos ženklu".into())
        },
    ),
];

/// A table of wordings, each matched whole (a pattern that does not
/// compile is left out: the unit test below compiles every one).
fn table(rows: &[(&str, Put)]) -> Vec<(Regex, Put)> {
    rows.iter()
        .filter_map(|(pattern, put)| Some((whole(pattern).ok()?, *put)))
        .collect()
}

fn whole(pattern: &str) -> Result<Regex, regex_lite::Error> {
    Regex::new(&format!("^(?s:{pattern})$"))
}

/// The first wording of `table` that matches `text` whole, put into Lithuanian.
fn put(table: &[(Regex, Put)], text: &str) -> Option<String> {
    table
        .iter()
        .find_map(|(re, put)| re.captures(text).map(|c| put(&c)))
        .flatten()
}

/// A message or help of the reader in Lithuanian; `None` for a wording not
/// known here (it is then shown in English). Public for the test that
/// every wording the reader's tests meet is known.
pub fn lithuanian(text: &str) -> Option<String> {
    put(&WORDINGS, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for (pattern, _) in THING_ROWS.iter().chain(WORDING_ROWS) {
            assert!(whole(pattern).is_ok(), "{pattern}");
        }
        assert_eq!(WORDINGS.len(), WORDING_ROWS.len());
    }
}
