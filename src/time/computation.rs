//! Computation rules: how an act computes its time limits (APR Art. 73,
//! AMMR Art. 75, Reg. (EEC, Euratom) No 1182/71 Art. 3 …), as data.
//!
//! The method of counting is one, and the same for every act: the event day
//! is not counted; a period in days ends on its last day; weeks, months and
//! years end on the same weekday or date as the event, or on the last day of a
//! month without that date; working days are counted as such. What differs
//! between acts, and what a `computation` in a rule file declares, is where
//! each step is stated (its citation, shown in every explanation) and two
//! switches: whether a time limit ending on a Saturday, Sunday or public
//! holiday ends on the next working day (`next_working_day`), and whether a
//! period of two days or more must include two working days
//! (`two_working_days`, Reg. 1182/71 Art. 3(5) only).

use std::sync::{Arc, LazyLock};

/// A step of computing a time limit, as a computation rule states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Clause {
    /// The day of the event is not counted.
    EventDay,
    /// A period in days ends with the expiry of its last day.
    Days,
    /// Weeks, months and years end on the same weekday or date as the event.
    SameDay,
    /// Where that date does not exist in the last month, its last day.
    EndOfMonth,
    /// A period in working days counts working days only.
    WorkingDays,
    /// A time limit ending on a Saturday, Sunday or public holiday ends on
    /// the next working day (a switch: without it, it does not move).
    NextWorkingDay,
    /// A period of two days or more includes at least two working days (a
    /// switch: Reg. 1182/71 Art. 3(5); the APR and the AMMR have none).
    TwoWorkingDays,
    /// A period in hours starts at the next full hour.
    Hours,
    /// A period counted back from a date does not move.
    CountedBack,
}

impl Clause {
    pub const ALL: [Clause; 9] = [
        Clause::EventDay,
        Clause::Days,
        Clause::SameDay,
        Clause::EndOfMonth,
        Clause::WorkingDays,
        Clause::NextWorkingDay,
        Clause::TwoWorkingDays,
        Clause::Hours,
        Clause::CountedBack,
    ];

    /// The name a rule file gives the clause.
    pub fn name(self) -> &'static str {
        match self {
            Clause::EventDay => "event_day",
            Clause::Days => "days",
            Clause::SameDay => "same_day",
            Clause::EndOfMonth => "end_of_month",
            Clause::WorkingDays => "working_days",
            Clause::NextWorkingDay => "next_working_day",
            Clause::TwoWorkingDays => "two_working_days",
            Clause::Hours => "hours",
            Clause::CountedBack => "counted_back",
        }
    }

    pub fn parse(name: &str) -> Option<Clause> {
        Clause::ALL.into_iter().find(|c| c.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A computation rule: its name, the provision that states it, and the
/// provision that states each of its clauses.
#[derive(Clone, Debug, PartialEq)]
pub struct Computation {
    pub name: String,
    /// The provision as a whole, e.g. `APR Art. 73`.
    pub citation: Option<Arc<str>>,
    /// By [`Clause`]: where the rule states it; `None` where it does not.
    clauses: [Option<Arc<str>>; 9],
}

impl Computation {
    pub fn new(
        name: impl Into<String>,
        citation: Option<Arc<str>>,
        clauses: impl IntoIterator<Item = (Clause, Arc<str>)>,
    ) -> Computation {
        let mut c = Computation {
            name: name.into(),
            citation,
            clauses: Default::default(),
        };
        for (clause, cite) in clauses {
            if let Some(slot) = c.clauses.get_mut(clause.index()) {
                *slot = Some(cite);
            }
        }
        c
    }

    /// Whether the rule has the clause.
    pub fn has(&self, clause: Clause) -> bool {
        self.cite(clause).is_some()
    }

    /// Where the rule states the clause.
    pub fn cite(&self, clause: Clause) -> Option<&str> {
        self.clauses.get(clause.index()).and_then(|c| c.as_deref())
    }

    /// The provision, in brackets, as explanations show it after a step:
    /// ` (APR Art. 73(a))`, or nothing where the rule does not state it.
    pub fn tail(&self, clause: Clause) -> String {
        match self.cite(clause) {
            Some(c) => format!(" ({c})"),
            None => String::new(),
        }
    }

    /// Council Regulation (EEC, Euratom) No 1182/71, Art. 3: the rule a
    /// program that declares no computation follows (the language's
    /// default since the first set).
    pub fn reg_1182_71() -> &'static Computation {
        static REG: LazyLock<Computation> = LazyLock::new(|| {
            let c = |clause, text: &str| (clause, Arc::from(text));
            Computation::new(
                "Reg1182_71",
                Some("Reg. 1182/71 Art. 3".into()),
                [
                    c(Clause::EventDay, "Reg. 1182/71 Art. 3(1)"),
                    c(Clause::Days, "Reg. 1182/71 Art. 3(2)(b)"),
                    c(Clause::SameDay, "Reg. 1182/71 Art. 3(2)(c)"),
                    c(Clause::EndOfMonth, "Reg. 1182/71 Art. 3(2)(c)"),
                    c(Clause::WorkingDays, "Reg. 1182/71 Art. 3(3)"),
                    c(Clause::NextWorkingDay, "Reg. 1182/71 Art. 3(4)"),
                    c(Clause::TwoWorkingDays, "Reg. 1182/71 Art. 3(5)"),
                    c(Clause::Hours, "Reg. 1182/71 Art. 3(1), 3(2)(a)"),
                    c(
                        Clause::CountedBack,
                        "Reg. 1182/71 Art. 3(4), second subparagraph",
                    ),
                ],
            )
        });
        &REG
    }
}
