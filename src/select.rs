//! Selections (`lsa select`): from a caseload, the cases a `selection`
//! declares qualified, ranked by its keys, up to a quota; and for every
//! case, why it was or was not selected. Pure: the caller reads the records.

use std::cmp::Ordering;

use jiff::civil::Date;

use crate::check::ir::{DecisionId, Expr, Program, SelectionDef};
use crate::eval::By;
use crate::eval::{Evaluation, Outcome, Tv};
use crate::value::{Slot, Value};

/// One case to choose among, as read.
pub struct Candidate {
    /// The case id (or where it was read).
    pub case: String,
    /// The case's evaluation date (the same rule as every command).
    pub as_of: Date,
    pub inputs: Vec<Slot>,
}

/// What gave the outcome of the decision that kept a case out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Deciding {
    /// The rule at this index.
    Rule(usize),
    /// The default (or, for `collect`, the rules that applied).
    Default,
    /// No value (not in force, or no rule and no default).
    Nothing,
    /// The decision's `applies` line at this place does not hold for the
    /// case (a person not considered for relocation): it says why.
    NotApplicable(u8),
    /// The decision is not in force on the case's evaluation date (this
    /// one): the law that would qualify the case does not apply to it yet,
    /// or any more (not an error of the selection).
    NotInForce(Date),
}

/// Where one case stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Standing {
    /// Taken, at `position` (1-based).
    Selected { position: usize },
    /// Qualifies, ranked `rank` (1-based) of those ranked, past the quota.
    BeyondQuota { rank: usize },
    /// Does not qualify; where `among` reads a decision, that decision and
    /// what gave its outcome ([`deciding_rule`] names them).
    NotQualified {
        decision: Option<(DecisionId, Deciding)>,
    },
    /// Whether it qualifies is unknown: the facts that would tell.
    Unknown { needs: Vec<String> },
    /// Qualifies, but a ranking key is unknown: the facts it needs.
    Unranked { needs: Vec<String> },
    /// Evaluating it failed.
    Error { message: String },
}

/// One case's result: its standing, the values of the keys (as text, in
/// the selection's order; `None` where not known), and the warnings its
/// facts raise (by index in `Program::warnings`): a date typed wrong moves
/// a case up or down the ranking as surely as a true one.
#[derive(Clone, Debug)]
pub struct Placed {
    pub case: String,
    pub standing: Standing,
    pub keys: Vec<Option<Value>>,
    pub warnings: Vec<u32>,
}

/// The whole selection, in input order.
pub struct Selection {
    pub quota: usize,
    pub placed: Vec<Placed>,
}

impl Selection {
    /// How many were selected.
    pub fn selected(&self) -> usize {
        self.placed
            .iter()
            .filter(|p| matches!(p.standing, Standing::Selected { .. }))
            .count()
    }
}

/// The quota the rules give (`take up to`), on `as_of`; `Ok(None)` where
/// they give none.
pub fn quota_from_rules(
    program: &Program,
    sel: &SelectionDef,
    as_of: Date,
) -> Result<Option<usize>, String> {
    let Some(take) = &sel.take else {
        return Ok(None);
    };
    let inputs = vec![Slot::Absent; program.inputs.len()];
    let mut ev = Evaluation::new(program, &inputs, as_of);
    match ev.eval(take) {
        Tv::Val(Value::Integer(n)) => usize::try_from(n)
            .map(Some)
            .map_err(|_| format!("`take up to` is {n}: a quota is 0 or more")),
        Tv::Val(other) => Err(format!(
            "`take up to` is {}, not an integer",
            other.type_word()
        )),
        Tv::Unknown(_) => Err("`take up to` depends on the facts of a case".into()),
        Tv::Err(e) => Err(e),
    }
}

/// Chooses among `candidates`: those `among` holds for, ranked by the keys
/// (ties by case id, then input order), the first `quota` taken.
pub fn select(
    program: &Program,
    sel: &SelectionDef,
    candidates: &[Candidate],
    quota: usize,
) -> Selection {
    let paths = |needs: Vec<crate::check::ir::PathId>| -> Vec<String> {
        needs
            .into_iter()
            .map(|p| program.path(p).to_string())
            .collect()
    };
    let mut placed = Vec::with_capacity(candidates.len());
    // Index into `placed`, and key values, of those that qualify and rank.
    let mut ranked: Vec<(usize, Vec<Value>)> = Vec::new();
    for c in candidates {
        let mut ev = Evaluation::new(program, &c.inputs, c.as_of);
        let mut keys = Vec::with_capacity(sel.keys.len());
        let mut key_needs = Vec::new();
        let mut key_error = None;
        for k in &sel.keys {
            match ev.eval(&k.expr) {
                Tv::Val(v) => keys.push(Some(v)),
                Tv::Unknown(n) => {
                    key_needs.extend(paths(n));
                    keys.push(None);
                }
                Tv::Err(e) => {
                    key_error.get_or_insert(e);
                    keys.push(None);
                }
            }
        }
        // A case the `among` decision does not apply to, or that is not
        // in force for, is not a candidate at all: not qualified, for the
        // reason its `applies` line gives, or because it is not in force
        // on the case's date (not an error of the selection).
        let not_a_candidate = match &sel.among.kind {
            Expr::Decision(id) => match ev.outcome_ref(*id) {
                Some(Outcome::Undetermined {
                    reason: crate::eval::Reason::NotApplicable(k),
                }) => Some((*id, Deciding::NotApplicable(*k))),
                Some(Outcome::Undetermined {
                    reason: crate::eval::Reason::NotInForce,
                }) => Some((*id, Deciding::NotInForce(c.as_of))),
                _ => None,
            },
            _ => None,
        };
        let among = match not_a_candidate {
            Some(why) => Err(why),
            None => Ok(ev.eval(&sel.among)),
        };
        let standing = match among {
            Err(why) => Standing::NotQualified {
                decision: Some(why),
            },
            Ok(Tv::Val(Value::Bool(true))) => match key_error {
                Some(message) => Standing::Error { message },
                None if !key_needs.is_empty() => {
                    key_needs.dedup();
                    Standing::Unranked { needs: key_needs }
                }
                None => {
                    ranked.push((placed.len(), keys.iter().flatten().cloned().collect()));
                    Standing::BeyondQuota { rank: 0 }
                }
            },
            Ok(Tv::Val(_)) => {
                let decision = match &sel.among.kind {
                    Expr::Decision(id) => Some((
                        *id,
                        match ev.outcome(*id) {
                            Outcome::Determined {
                                by: By::Rule(i), ..
                            } => Deciding::Rule(i),
                            Outcome::Determined { .. } => Deciding::Default,
                            _ => Deciding::Nothing,
                        },
                    )),
                    _ => None,
                };
                Standing::NotQualified { decision }
            }
            Ok(Tv::Unknown(n)) => Standing::Unknown { needs: paths(n) },
            Ok(Tv::Err(message)) => Standing::Error { message },
        };
        placed.push(Placed {
            case: c.case.clone(),
            standing,
            keys,
            warnings: ev.warned(),
        });
    }
    ranked.sort_by(|(a, ka), (b, kb)| {
        for (k, (va, vb)) in sel.keys.iter().zip(ka.iter().zip(kb)) {
            let o = compare(va, vb);
            let o = if k.descending { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        let case = |i: &usize| placed.get(*i).map(|p: &Placed| p.case.as_str());
        case(a).cmp(&case(b)).then(a.cmp(b))
    });
    for (rank, (i, _)) in ranked.iter().enumerate() {
        if let Some(p) = placed.get_mut(*i) {
            p.standing = if rank < quota {
                Standing::Selected { position: rank + 1 }
            } else {
                Standing::BeyondQuota { rank: rank + 1 }
            };
        }
    }
    Selection { quota, placed }
}

/// The rule that kept a case out, as the JSON output names it
/// (`ruleset.decision/rule`, or `ruleset.decision (default)`), and its
/// citation (else the decision's).
pub fn deciding_rule(
    program: &Program,
    decision: Option<(DecisionId, Deciding)>,
) -> (Option<String>, Option<String>) {
    let Some((d, deciding)) =
        decision.and_then(|(id, by)| Some((program.decisions.get(id.index())?, by)))
    else {
        return (None, None);
    };
    let cite = |c: &Option<crate::check::ir::Citation>| c.as_ref().map(|c| c.text.to_string());
    match deciding {
        Deciding::Rule(i) => d
            .rules
            .get(i)
            .map(|r| (Some(r.key.to_string()), cite(&r.citation)))
            .unwrap_or((None, None)),
        Deciding::Default => (Some(format!("{} (default)", d.key())), cite(&d.citation)),
        Deciding::Nothing | Deciding::NotInForce(_) => (None, cite(&d.citation)),
        Deciding::NotApplicable(k) => (
            None,
            cite(
                &d.applies
                    .get(usize::from(k))
                    .and_then(|a| a.citation.clone()),
            ),
        ),
    }
}

/// The order of two key values: false before true, enum values in their
/// declared order, numbers, amounts and dates by size.
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Enum(_, x), Value::Enum(_, y)) => x.cmp(y),
        _ => crate::value::order(a, b).unwrap_or(Ordering::Equal),
    }
}
