//! The languages lsa speaks to people in, and the words of its outputs that
//! are not the law's own (the law's words are labels in the rules).

use jiff::civil::{Date, Weekday};

/// A language of the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    #[default]
    En,
    Lt,
}

impl Lang {
    /// Every language, in the order labels are stored.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Lt];

    /// The code a rule file and the command line write: `en`, `lt`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Lt => "lt",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "lt" => Some(Lang::Lt),
            _ => None,
        }
    }

    /// The language of the environment's locale (`LC_ALL`, `LC_MESSAGES`,
    /// `LANG`: `lt_LT.UTF-8` is Lithuanian), else English.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .filter(|v| v.starts_with("lt"))
            .map_or(Lang::En, |_| Lang::Lt)
    }

    /// Where in a per-language array this language's entry is.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The form a Lithuanian noun takes after the number `n`: of `forms`,
    /// the first for 1, 21, 101 (`1 byla`), the second for 2–9, 22 (`2
    /// bylos`), the third for 0, 10–20, 25 (`10 bylų`).
    pub fn lt_count(n: u64, forms: [&'static str; 3]) -> &'static str {
        let [one, few, many] = forms;
        if n % 10 == 1 && n % 100 != 11 {
            one
        } else if (2..=9).contains(&(n % 10)) && !(11..=19).contains(&(n % 100)) {
            few
        } else {
            many
        }
    }

    /// A truth value in words.
    pub fn yes_no(self, b: bool) -> &'static str {
        match (self, b) {
            (Lang::En, true) => "yes",
            (Lang::En, false) => "no",
            (Lang::Lt, true) => "taip",
            (Lang::Lt, false) => "ne",
        }
    }

    /// What an error is headed with.
    pub fn error(self) -> &'static str {
        match self {
            Lang::En => "error",
            Lang::Lt => "klaida",
        }
    }

    /// `null` in a record: there is none.
    pub fn none_recorded(self) -> &'static str {
        match self {
            Lang::En => "none recorded",
            Lang::Lt => "nenurodyta",
        }
    }

    pub fn weekday(self, d: Weekday) -> &'static str {
        use Weekday::*;
        match self {
            Lang::En => match d {
                Monday => "Monday",
                Tuesday => "Tuesday",
                Wednesday => "Wednesday",
                Thursday => "Thursday",
                Friday => "Friday",
                Saturday => "Saturday",
                Sunday => "Sunday",
            },
            Lang::Lt => match d {
                Monday => "pirmadienis",
                Tuesday => "antradienis",
                Wednesday => "trečiadienis",
                Thursday => "ketvirtadienis",
                Friday => "penktadienis",
                Saturday => "šeštadienis",
                Sunday => "sekmadienis",
            },
        }
    }

    /// A date as people read it: `Thu 31 December 2026`, `2026 m. gruodžio
    /// 31 d. (ketvirtadienis)`.
    pub fn date(self, d: Date) -> String {
        match self {
            Lang::En => format!(
                "{} {} {} {}",
                &self.weekday(d.weekday())[..3],
                d.day(),
                EN_MONTHS.get(d.month() as usize - 1).copied().unwrap_or(""),
                d.year()
            ),
            Lang::Lt => format!(
                "{} m. {} {} d. ({})",
                d.year(),
                LT_MONTHS_GENITIVE
                    .get(d.month() as usize - 1)
                    .copied()
                    .unwrap_or(""),
                d.day(),
                self.weekday(d.weekday())
            ),
        }
    }

    /// A citation in this language's form. In Lithuanian, `Art. 51(1)`
    /// reads `51 str. 1 d.`, a point `(a)` reads `a p.`, and a subparagraph
    /// `pastr.`; an act's short name is given by the rules (a source label).
    pub fn citation(self, act: &str, pinpoint: &str) -> String {
        match self {
            Lang::En => format!("{act} {pinpoint}"),
            Lang::Lt => format!("{act} {}", lt_pinpoint(pinpoint)),
        }
    }
}

/// The months' names in English, as rule files write them.
pub const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const LT_MONTHS_GENITIVE: [&str; 12] = [
    "sausio",
    "vasario",
    "kovo",
    "balandžio",
    "gegužės",
    "birželio",
    "liepos",
    "rugpjūčio",
    "rugsėjo",
    "spalio",
    "lapkričio",
    "gruodžio",
];

const LT_ORDINALS: [(&str, &str); 5] = [
    ("first", "1"),
    ("second", "2"),
    ("third", "3"),
    ("fourth", "4"),
    ("fifth", "5"),
];

/// `Art. 67(9), fourth subparagraph` → `67 str. 9 d. 4 pastr.`; `Art.
/// 42(1)(a)–(f)` → `42 str. 1 d. a–f p.`; `Annex II` → `II priedas`;
/// anything it does not know is kept as written.
fn lt_pinpoint(pinpoint: &str) -> String {
    if let Some(annex) = pinpoint.strip_prefix("Annex ") {
        if !annex.is_empty() && annex.chars().all(|c| c.is_ascii_alphanumeric()) {
            return format!("{annex} priedas");
        }
    }
    let mut parts = pinpoint.splitn(2, ", ");
    let main = parts.next().unwrap_or("");
    let rest = parts.next();
    let Some(art) = main
        .strip_prefix("Art. ")
        .or_else(|| main.strip_prefix("Arts. "))
    else {
        return pinpoint.to_string();
    };
    // `51(1)(a)`: the article number, then bracketed parts.
    let number_end = art.find(['(', ' ', ';', '–', '-']).unwrap_or(art.len());
    let (number, mut tail) = art.split_at(number_end);
    let mut out = format!("{number} str.");
    let mut level = 0;
    while let Some(open) = tail.strip_prefix('(') {
        let Some(close) = open.find(')') else { break };
        let inner = &open[..close];
        tail = &open[close + 1..];
        // A range `(a)–(f)`.
        let mut part = inner.to_string();
        if let Some(after) = tail.strip_prefix('–').and_then(|t| t.strip_prefix('(')) {
            if let Some(c) = after.find(')') {
                part = format!("{inner}–{}", &after[..c]);
                tail = &after[c + 1..];
            }
        }
        let unit = if level == 0 && part.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            "d."
        } else {
            "p."
        };
        out.push_str(&format!(" {part} {unit}"));
        level += 1;
    }
    if !tail.trim().is_empty() {
        out.push_str(tail);
    }
    if let Some(rest) = rest {
        let sub = LT_ORDINALS.iter().find_map(|(word, n)| {
            (rest == format!("{word} subparagraph")).then(|| format!(" {n} pastr."))
        });
        match sub {
            Some(s) => out.push_str(&s),
            None => {
                out.push_str(", ");
                out.push_str(rest);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lithuanian_nouns_agree_with_their_number() {
        let forms = ["byla", "bylos", "bylų"];
        let said: Vec<&str> = [
            0, 1, 2, 9, 10, 11, 12, 19, 20, 21, 22, 30, 101, 111, 112, 1_000_001,
        ]
        .iter()
        .map(|n| Lang::lt_count(*n, forms))
        .collect();
        assert_eq!(
            said,
            [
                "bylų", "byla", "bylos", "bylos", "bylų", "bylų", "bylų", "bylų", "bylų", "byla",
                "bylos", "bylų", "byla", "bylų", "bylų", "byla"
            ]
        );
    }

    #[test]
    fn lithuanian_citations() {
        let lt = |p: &str| Lang::Lt.citation("X", p);
        assert_eq!(lt("Art. 51(1)"), "X 51 str. 1 d.");
        assert_eq!(lt("Art. 56(2)(a)(i)"), "X 56 str. 2 d. a p. i p.");
        assert_eq!(
            lt("Art. 67(9), fourth subparagraph"),
            "X 67 str. 9 d. 4 pastr."
        );
        assert_eq!(lt("Art. 42(1)(a)–(f)"), "X 42 str. 1 d. a–f p.");
        assert_eq!(lt("Art. 35"), "X 35 str.");
        assert_eq!(lt("Annex II"), "X II priedas");
        assert_eq!(lt("Annex II, point 3"), "X Annex II, point 3");
        assert_eq!(lt("recital 12"), "X recital 12");
    }

    #[test]
    fn dates_in_words() {
        let d = jiff::civil::date(2026, 12, 31);
        assert_eq!(Lang::En.date(d), "Thu 31 December 2026");
        assert_eq!(Lang::Lt.date(d), "2026 m. gruodžio 31 d. (ketvirtadienis)");
    }
}
