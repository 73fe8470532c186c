//! The reader's messages in Lithuanian, for people (`lsa check` with
//! `--lang lt` or a Lithuanian locale). The reader words its problems in
//! English, which the error objects of the JSON contract keep; here each
//! message and help is matched whole against the reader's wordings and put
//! into Lithuanian, with the values it quotes (field names, the text found,
//! the allowed values) as they are. A wording not matched stays in English
//! (a test meets every wording on bad records and fails on one not known
//! here). Messages of the JSON and YAML parsers themselves ("mapping values
//! are not allowed …") stay in English after a Lithuanian "not valid
//! JSON/YAML".
//!
//! A row is the reader's wording (a pattern) and its Lithuanian, in which
//! `$N` is capture N as it is and `@N` capture N put into Lithuanian as a
//! thing (`a date like 2026-07-15` → `data, pvz., 2026-07-15`).

use std::sync::LazyLock;

use regex_lite::Regex;

/// A wording (a pattern, matched whole) and its Lithuanian.
pub(crate) type Row = (&'static str, &'static str);

/// The things a message names as expected or found, in Lithuanian
/// (nominative): what `@N` puts.
const THING_ROWS: &[Row] = &[
    (r"true or false", r"true arba false"),
    (r"a whole number", r"sveikasis skaičius"),
    (r"a number", r"skaičius"),
    (
        r"a percentage \(a number like 12\.5\)",
        r"procentai (skaičius, pvz., 12.5)",
    ),
    (
        r#"an amount like "1153\.00 EUR""#,
        r#"suma, pvz., "1153.00 EUR""#,
    ),
    (r"a text", r"tekstas"),
    (r"a date like 2026-07-15", r"data, pvz., 2026-07-15"),
    (
        r"a date and time like 2026-08-03T14:20",
        r"data ir laikas, pvz., 2026-08-03T14:20",
    ),
    (
        r#"a period like "3 years""#,
        r#"laikotarpis, pvz., "3 years""#,
    ),
    (r"one of (.*)", r"viena iš reikšmių: $1"),
    (
        r"a record of type `(.*)` \(a map of fields\)",
        r"`$1` tipo įrašas (laukų rinkinys)",
    ),
    (r"a list", r"sąrašas"),
    (r"a map", r"laukų rinkinys"),
    (r"a value", r"reikšmė"),
    (r#"the text "(.*)""#, r#"tekstas "$1""#),
    (r"the number (.*)", r"skaičius $1"),
    (r"(true|false)", r"$1"),
];

/// The reader's wordings of messages and helps, in the order they are tried.
const WORDING_ROWS: &[Row] = &[
    // Messages.
    (
        r"expected (.+?), found (.+)",
        r"turi būti @1, o nurodyta: @2",
    ),
    (
        r"`(.*)` is not one of (.*)",
        r"`$1` nėra viena iš reikšmių: $2",
    ),
    (r"`(.*)` is not (.+)", r"`$1` netinka: turi būti @2"),
    (r"(.*) does not match `(.*)`", r"$1 neatitinka šablono `$2`"),
    (
        r"(.*) is not between (.*) and (.*)",
        r"$1 nėra tarp $2 ir $3",
    ),
    (r"unknown field", r"nežinomas laukas"),
    (r"given twice", r"nurodytas du kartus"),
    (r"the file is empty", r"failas tuščias"),
    (r"the record is empty", r"įrašas tuščias"),
    (
        r"a case record is a map of fields \(`applicant:`, `application:`, …\)",
        r"bylos įrašas yra laukų rinkinys (`applicant:`, `application:`, …)",
    ),
    (
        r"null is allowed only for optional fields",
        r"null leidžiama tik neprivalomiems laukams",
    ),
    (
        r"the number (.*) is too large: an integer is at most (.*)",
        r"skaičius $1 per didelis: sveikasis skaičius yra ne didesnis kaip $2",
    ),
    (
        r"the number (.*) has more digits than lsa keeps exactly \((.*)\)",
        r"skaičiuje $1 daugiau skaitmenų, nei lsa išsaugo tiksliai ($2)",
    ),
    (
        r"the number (.*) is too large to have been read exactly",
        r"skaičius $1 per didelis, kad būtų perskaitytas tiksliai",
    ),
    (
        r"not valid (JSON|YAML): the record ends too early",
        r"neteisingas $1: įrašas baigiasi per anksti",
    ),
    (
        r"not valid (JSON|YAML): the text has several documents \(`---`\) where one is read",
        r"neteisingas $1: tekste keli dokumentai (`---`), o skaitomas vienas",
    ),
    (r"not valid (JSON|YAML): (.*)", r"neteisingas $1: $2"),
    (
        r"lsa failed while evaluating this record: (.*)",
        r"lsa nepavyko įvertinti šio įrašo (lsa klaida): $1",
    ),
    (
        r"the line is longer than (\d+) bytes \(--max-line-bytes\); it was not read",
        r"eilutė ilgesnė nei $1 baitų (--max-line-bytes); ji neperskaityta",
    ),
    (
        r"not valid UTF-8 \(at byte (\d+)\)",
        r"ne UTF-8 tekstas ($1 baitas)",
    ),
    (
        r"it is a link to a file that does not exist",
        r"tai nuoroda į neegzistuojantį failą",
    ),
    (r"there is no such file", r"tokio failo nėra"),
    (
        r"lsa is not allowed to read it",
        r"lsa neleidžiama jo skaityti",
    ),
    // Helps.
    (
        r"a case record is a map of fields \(`applicant:`, `application:`, …\); `\{\}` is a record with every fact unknown",
        r"bylos įrašas yra laukų rinkinys (`applicant:`, `application:`, …); `{}` yra įrašas, kuriame nežinomas nė vienas faktas",
    ),
    (r"did you mean `(.*)`\?", r"gal turėta omenyje `$1`?"),
    (r"the record's keys are: (.*)", r"įrašo raktai: $1"),
    (r"the fields of `(.*)` are: (.*)", r"`$1` laukai: $2"),
    (r"the values are: (.*)", r"galimos reikšmės: $1"),
    (
        r"the rules allow values within these limits, both included",
        r"taisyklės leidžia reikšmes šiose ribose (imtinai)",
    ),
    (
        r"the rules allow a text matching this pattern \(a regular expression\), whole",
        r"taisyklės leidžia tekstą, kuris visas atitinka šį šabloną (reguliarųjį reiškinį)",
    ),
    (
        r"dates are written YYYY-MM-DD and must exist",
        r"datos rašomos YYYY-MM-DD (metai, mėnuo, diena), ir tokia diena turi būti kalendoriuje",
    ),
    (
        r"a whole number past 9007199254740992 loses digits in JSON; no field takes one",
        r"sveikasis skaičius, didesnis nei 9007199254740992, JSON formatu praranda skaitmenis; tokio nepriima nė vienas laukas",
    ),
    (r"write YYYY-MM-DDTHH:MM", r"rašykite YYYY-MM-DDTHH:MM"),
    (
        r#"a text is written in quotes: "(.*)""#,
        r#"tekstas rašomas kabutėse: "$1""#,
    ),
    (
        r"write the amount and the currency code: (.*)",
        r"rašykite sumą ir valiutos kodą: $1",
    ),
    (
        r"write a number and a unit: (.*)",
        r"rašykite skaičių ir vienetą: $1",
    ),
    (
        r"write the number without quotes: (.*)",
        r"rašykite skaičių be kabučių: $1",
    ),
    (
        r"write a number like 12\.5, without quotes",
        r"rašykite skaičių, pvz., 12.5, be kabučių",
    ),
    (
        r"leave the field out if it is not known yet; it takes (.*), not null",
        r"jei reikšmė dar nežinoma, lauko nenurodykite; jame turi būti @1, ne null",
    ),
    (
        r#"write `(true|false)` for "(.*)" \(true or false, without quotes\)"#,
        r#"rašykite `$1` vietoj "$2" (true arba false, be kabučių)"#,
    ),
    (
        r"write (true|false) without quotes",
        r"rašykite $1 be kabučių",
    ),
    (
        r"write true or false, without quotes",
        r"rašykite true arba false, be kabučių",
    ),
    (
        r"if the next line is a field of its own, indent it as this one \(indented deeper, YAML reads it as part of this value\)",
        r"jei kita eilutė yra atskiras laukas, atitraukite ją tiek pat, kiek šį (atitrauktą giliau YAML skaito kaip šios reikšmės dalį)",
    ),
    (
        r"several cases go to `lsa batch` as JSON Lines: .*",
        r"kelias bylas `lsa batch` pateikite JSON Lines formatu: kiekvienoje eilutėje po vieną visą įrašą, be kablelių tarp jų (iš JSON sąrašo: `jq -c '.[]' cases.json > cases.jsonl`)",
    ),
    (
        r"a YAML file holds one case; .*",
        r"YAML faile yra viena byla; pateikite kelis failus (`lsa check a.yaml b.yaml`, `lsa batch APLANKAS`) arba JSON Lines komandai `lsa batch`",
    ),
    (
        r"the text has NUL bytes: .*",
        r"tekste yra NUL baitų: panašu į UTF-16 (jį rašo Windows PowerShell `>`); išsaugokite kaip UTF-8 (`Out-File -Encoding utf8`)",
    ),
    (
        r"YAML indents with spaces, not tabs: this line starts with a tab",
        r"YAML atitraukiama tarpais, ne tabuliacijos ženklais: ši eilutė prasideda tabuliacijos ženklu",
    ),
];

/// A table of rows, compiled (a pattern that does not compile is left out:
/// the unit test below compiles every one). The evaluator's messages use it
/// too (`explain::words`).
pub(crate) fn table(rows: &[Row]) -> Vec<(Regex, &'static str)> {
    rows.iter()
        .filter_map(|(pattern, lt)| Some((whole(pattern).ok()?, *lt)))
        .collect()
}

pub(crate) fn whole(pattern: &str) -> Result<Regex, regex_lite::Error> {
    Regex::new(&format!("^(?s:{pattern})$"))
}

/// `text` put into Lithuanian by the first row of `table` that matches it
/// whole; `None` if none does, or a thing it names is not known.
pub(crate) fn put(table: &[(Regex, &'static str)], text: &str) -> Option<String> {
    let (c, lt) = table
        .iter()
        .find_map(|(re, lt)| re.captures(text).map(|c| (c, *lt)))?;
    let mut out = String::with_capacity(lt.len() + text.len());
    let mut chars = lt.chars().peekable();
    while let Some(ch) = chars.next() {
        let n = chars.peek().and_then(|d| d.to_digit(10));
        match (ch, n) {
            ('$' | '@', Some(n)) => {
                chars.next();
                let captured = c.get(n as usize).map_or("", |m| m.as_str());
                match ch {
                    '$' => out.push_str(captured),
                    _ => out.push_str(&thing(captured)?),
                }
            }
            _ => out.push(ch),
        }
    }
    Some(out)
}

/// A thing a message names, in Lithuanian.
fn thing(text: &str) -> Option<String> {
    static THINGS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| table(THING_ROWS));
    put(&THINGS, text)
}

/// A message or help of the reader in Lithuanian; `None` for a wording not
/// known here (it is then shown in English). Public for the test that
/// every wording the reader's tests meet is known.
pub fn lithuanian(text: &str) -> Option<String> {
    static WORDINGS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| table(WORDING_ROWS));
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
    }

    #[test]
    fn captures_are_put_as_they_are_or_as_things() {
        assert_eq!(
            lithuanian("expected a date like 2026-07-15, found the number 3").as_deref(),
            Some("turi būti data, pvz., 2026-07-15, o nurodyta: skaičius 3")
        );
        assert_eq!(
            lithuanian("`x` is not one of a | b").as_deref(),
            Some("`x` nėra viena iš reikšmių: a | b")
        );
        // A thing not known leaves the whole message in English.
        assert_eq!(lithuanian("expected a unicorn, found true"), None);
        assert_eq!(lithuanian("no such wording"), None);
    }
}
