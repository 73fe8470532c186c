//! The checked program: every name resolved to an index, every expression typed.
//! Evaluation walks this, never the AST; strings are not ids past the checker.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;

use crate::diag::{FileId, SourceMap, Span};
use crate::syntax::ast::{Policy, QuantKind};
use crate::time::{Calendar, Computation};
use crate::value::{EnumId, RecordId, Type, Value};

macro_rules! id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(/// An input: a top-level key of the case record.
    InputId);
id!(/// A `param`.
    ParamId);
id!(/// A `def`.
    DefId);
id!(/// A `decision`.
    DecisionId);
id!(/// A legal `source`.
    SourceId);
id!(/// A path into the case record (`applicant.registered_on`), for `needs`.
    PathId);
id!(/// A holiday `calendar`.
    CalendarId);
id!(/// A `computation`: how an act computes its time limits.
    ComputationId);

/// The compiled rules: what `check` produces and `eval` runs. `Send + Sync`,
/// built once and shared by every evaluation.
#[derive(Clone, Debug)]
pub struct Program {
    pub sources: Vec<SourceDef>,
    pub enums: Vec<EnumDef>,
    pub records: Vec<RecordDef>,
    pub inputs: Vec<InputDef>,
    pub params: Vec<ParamDef>,
    pub defs: Vec<DefDef>,
    pub decisions: Vec<DecisionDef>,
    /// Caseload-level choices (`lsa select`).
    pub selections: Vec<SelectionDef>,
    /// Warnings about a case's facts (`warn`), in declaration order.
    pub warnings: Vec<WarningDef>,
    /// Words for people, by what they name and language.
    pub labels: Labels,
    /// Shared, so an explanation can keep the calendar it names holidays from.
    pub calendars: Vec<Arc<Calendar>>,
    /// How acts compute their time limits, by [`ComputationId`].
    pub computations: Vec<Computation>,
    /// Record paths by [`PathId`], e.g. `applicant.registered_on`.
    pub paths: Vec<String>,
    pub files: SourceMap,
    /// How many expression nodes the program has, of some kinds.
    pub nodes: NodeCounts,
    /// Conditions and def bodies laid out for explanations.
    pub plans: Plans,
    /// Defs and decisions lowered and compiled for evaluation without
    /// explanations (`eval::fast`).
    pub fast: crate::eval::fast::Nodes,
    /// Which law this is: every output names it.
    pub provenance: Provenance,
}

/// Which law a program is, for the audit trail every output carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// `sha256:` and the hash of the rule files' names (relative to their
    /// tree) and texts, in name order ([`source_hash`]).
    pub hash: String,
    /// The git revision of the tree, where there is one (`+` where the
    /// tree differs from it).
    pub revision: Option<String>,
    /// Where the rules came from: `built in`, or the folder.
    pub origin: String,
}

/// The hash of a rule tree: its files' names (relative to the tree) and
/// texts, in name order, so the same law has the same hash wherever it is.
pub fn source_hash<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)]) -> String {
    use sha2::{Digest, Sha256};
    let mut sorted: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_ref(), t.as_ref()))
        .collect();
    sorted.sort_unstable();
    let mut h = Sha256::new();
    for (name, text) in sorted {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let mut out = String::from("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The [`Plan`](super::plan::Plan)s of a program: each rule's condition (by
/// decision, then rule) and each def's body; and the order explanations
/// derive the decisions in.
#[derive(Clone, Debug, Default)]
pub struct Plans {
    pub when: Vec<Vec<super::plan::Plan>>,
    pub defs: Vec<super::plan::Plan>,
    /// Every decision once, each after every decision it reads (through its
    /// rules, default, `applies` and the defs they read), so that an
    /// explanation reads each determination as explained, never deciding
    /// it first by other means.
    pub derive_order: Vec<DecisionId>,
}

/// How many expressions a program has, of some kinds (explanations size their
/// memory by these).
#[derive(Clone, Copy, Debug, Default)]
pub struct NodeCounts {
    /// All of them (see [`Node::id`]).
    pub all: usize,
    /// Their value slots (see [`Node::slot`]).
    pub slots: usize,
    /// Those that compute a time limit.
    pub time_limits: usize,
    /// Those whose values are not true/false, integers, dates, enum values or periods.
    pub other_values: usize,
}

#[derive(Clone, Debug)]
pub struct Citation {
    pub text: Arc<str>,
    /// The text as a JSON string (quoted, escaped), which explanations'
    /// JSON writes whole.
    pub json: Arc<str>,
    pub sources: Vec<SourceId>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct SourceDef {
    pub name: String,
    pub title: String,
    pub url: Option<String>,
    /// How the act computes its time limits, if a `computation` is declared for it.
    pub computation: Option<ComputationId>,
}

/// `applies … when … otherwise …`: the cases a decision is made for. The
/// condition is a def of its own (unnamed in the language: `applies` is a
/// keyword), so a file's line is evaluated once per case however many
/// decisions it governs, and explained like any def.
#[derive(Clone, Debug)]
pub struct Applicability {
    pub def: DefId,
    pub citation: Option<Citation>,
    /// What is said of a case it does not apply to.
    pub otherwise: Arc<str>,
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: String,
    pub variants: Vec<String>,
    /// The same names, shared by explanations.
    pub shared: Vec<Arc<str>>,
    pub doc: String,
}

#[derive(Clone, Debug)]
pub struct RecordDef {
    pub name: String,
    pub fields: Vec<FieldDef>,
    pub doc: String,
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub ty: Type,
    pub doc: String,
    /// What a record may hold in it beyond its type; checked as it is read.
    pub constraints: Vec<Constraint>,
    /// A protected characteristic: no selection may rank by it.
    pub protected: bool,
}

/// A caseload-level choice (`selection`): which cases qualify, the keys they
/// are ranked by, and how many are taken.
#[derive(Clone, Debug)]
pub struct SelectionDef {
    pub ruleset: String,
    pub name: String,
    /// `ruleset.name`.
    pub key: Arc<str>,
    pub citation: Option<Citation>,
    pub doc: String,
    /// A truth value per case: whether it qualifies.
    pub among: Node,
    /// The ranking keys, the first first.
    pub keys: Vec<SelectionKey>,
    /// How many are taken; `None`: given when the selection is run.
    pub take: Option<Node>,
    pub span: Span,
}

/// `warn NAME [CITATION] when CONDITION`: where the condition holds for a
/// case, its facts are likely wrong. The condition is a def of its ruleset
/// (a truth, which rules may read too).
#[derive(Clone, Debug)]
pub struct WarningDef {
    pub def: DefId,
    /// `ruleset.name`.
    pub key: Arc<str>,
    pub citation: Option<Citation>,
    /// The record's facts the condition reads (not through a list's items),
    /// in the order it reads them, each once: what a warning shows.
    pub facts: Vec<Fact>,
    /// The determinations the condition reads itself (not through a def),
    /// in the order it reads them, each once: shown beside the facts, with
    /// what the rules found.
    pub decisions: Vec<DecisionId>,
}

/// A fact of the record, where it is: an input and the fields below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub path: PathId,
    pub input: InputId,
    pub fields: Vec<u32>,
}

/// One ranking key of a selection.
#[derive(Clone, Debug)]
pub struct SelectionKey {
    pub expr: Node,
    pub descending: bool,
    pub citation: Option<Citation>,
    pub doc: String,
}

/// A limit on the values a record field may hold.
#[derive(Clone, Debug)]
pub enum Constraint {
    /// `between LOW and HIGH`, both included.
    Between(Value, Value),
    /// `matching "PATTERN"`: the whole text matches the regular expression.
    Matching {
        pattern: Arc<str>,
        regex: Arc<regex_lite::Regex>,
        /// The same pattern, where it is simple enough (alternatives each a
        /// literal word or a run of `[A-Z]`, `[a-z]` or `[0-9]`), matched
        /// without the regex engine: records are full of such codes.
        simple: Option<Arc<[SimpleAlt]>>,
    },
}

/// One alternative of a simple pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimpleAlt {
    /// This exact text.
    Word(String),
    /// `[lo-hi]{n}` (or `{n,m}`): between `min` and `max` characters in `lo..=hi`.
    Run {
        lo: u8,
        hi: u8,
        min: usize,
        max: usize,
    },
}

impl SimpleAlt {
    /// A pattern's alternatives, if every one is simple.
    pub fn parse(pattern: &str) -> Option<Arc<[SimpleAlt]>> {
        let alt = |a: &str| -> Option<SimpleAlt> {
            if !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Some(SimpleAlt::Word(a.to_string()));
            }
            let rest = a.strip_prefix('[')?;
            let (class, count) = rest.split_once(']')?;
            let (lo, hi) = match class.as_bytes() {
                [lo, b'-', hi] if lo <= hi => (*lo, *hi),
                _ => return None,
            };
            let allowed =
                |b: u8| b.is_ascii_uppercase() || b.is_ascii_lowercase() || b.is_ascii_digit();
            if !allowed(lo) || !allowed(hi) {
                return None;
            }
            let count = count.strip_prefix('{')?.strip_suffix('}')?;
            let (min, max) = match count.split_once(',') {
                Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                None => {
                    let n = count.parse().ok()?;
                    (n, n)
                }
            };
            (min <= max).then_some(SimpleAlt::Run { lo, hi, min, max })
        };
        pattern
            .split('|')
            .map(alt)
            .collect::<Option<Vec<_>>>()
            .map(Into::into)
    }

    fn matches(&self, t: &str) -> bool {
        match self {
            SimpleAlt::Word(w) => t == w,
            SimpleAlt::Run { lo, hi, min, max } => {
                (*min..=*max).contains(&t.len()) && t.bytes().all(|b| (*lo..=*hi).contains(&b))
            }
        }
    }
}

impl Constraint {
    /// Whether a value read from a record keeps to it (values of another
    /// type, and none, are the type check's business).
    pub fn allows(&self, v: &Value) -> bool {
        match (self, v) {
            (Constraint::Between(low, high), v) => {
                let ok = |o: Option<std::cmp::Ordering>, bad| o.is_none_or(|o| o != bad);
                ok(crate::value::order(v, low), std::cmp::Ordering::Less)
                    && ok(crate::value::order(v, high), std::cmp::Ordering::Greater)
            }
            (
                Constraint::Matching {
                    simple: Some(alts), ..
                },
                Value::Text(t),
            ) => alts.iter().any(|a| a.matches(t)),
            (Constraint::Matching { regex, .. }, Value::Text(t)) => regex.is_match(t),
            _ => true,
        }
    }
}

#[derive(Clone, Debug)]
pub struct InputDef {
    pub name: String,
    pub ty: Type,
    pub doc: String,
    pub path: PathId,
}

/// Validity of an item: `in force from … until …` (both inclusive).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Validity {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Validity {
    /// Whether `date` falls inside.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }

    pub fn describe(&self) -> String {
        self.describe_in(crate::lang::Lang::En)
    }

    /// [`describe`](Self::describe) in `lang` (`galioja nuo 2026-07-01`).
    pub fn describe_in(&self, lang: crate::lang::Lang) -> String {
        use crate::lang::Lang;
        use crate::value::date_str;
        let (force, from, until, always) = match lang {
            Lang::En => ("in force", "from", "until", "always in force"),
            Lang::Lt => ("galioja", "nuo", "iki", "galioja visada"),
        };
        match (self.from, self.until) {
            (Some(f), Some(u)) => {
                format!("{force} {from} {} {until} {}", date_str(f), date_str(u))
            }
            (Some(f), None) => format!("{force} {from} {}", date_str(f)),
            (None, Some(u)) => format!("{force} {until} {}", date_str(u)),
            (None, None) => always.into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ParamDef {
    pub ruleset: String,
    pub name: String,
    /// `ruleset.name`.
    pub key: Arc<str>,
    pub ty: Type,
    pub citation: Option<Citation>,
    pub doc: String,
    /// Values by the date from which each applies, ascending.
    pub values: Vec<(Date, Value)>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct DefDef {
    pub ruleset: String,
    pub name: String,
    /// `ruleset.name`.
    pub key: Arc<str>,
    pub ty: Type,
    pub citation: Option<Citation>,
    pub doc: String,
    pub body: Node,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct DecisionDef {
    pub ruleset: String,
    pub name: String,
    /// `ruleset.name`, the key of outputs.
    pub key: Arc<str>,
    pub ty: Type,
    pub citation: Option<Citation>,
    pub doc: Arc<str>,
    pub validity: Validity,
    /// The cases the decision is made for: its own `applies` lines, or its
    /// file's, in the order written. It is made where every line holds; the
    /// first that does not gives the reason ([`crate::eval::Reason::NotApplicable`]
    /// holds its place here).
    pub applies: Vec<Applicability>,
    pub policy: Policy,
    pub default: Option<Node>,
    /// What meets the time limit (`met by`); empty where the rules name
    /// nothing. Each rule's own, or this, is in [`RuleDef::met_by`].
    pub met_by: MetBy,
    pub rules: Vec<RuleDef>,
    /// Whether any rule is an exception (if not, no rule is ever set aside).
    pub has_exceptions: bool,
    pub span: Span,
    /// How its explanations' JSON starts (`"decision":…,"citation":…,
    /// "doc":…`, without the brace), made once with the program.
    pub json_head: Arc<str>,
}

/// What meets a time limit (`met by`): the facts of the case record that
/// hold the date its act was done, any of which meets it, and where the act
/// is owed only in some cases, the condition that says in which (`owed
/// when`, a truth evaluated for the case beside its determinations, read by
/// no rule).
#[derive(Clone, Debug, Default)]
pub struct MetBy {
    pub facts: Vec<Node>,
    pub owed: Option<Node>,
}

impl MetBy {
    /// Whether the rules name no act (no fact meets the time limit).
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The defs a time limit not owed can name as its reason, in the order
    /// written, each with whether the condition negates it: the `owed when`
    /// condition itself a def (`false`), its negation (`true`), or the parts
    /// of an `and` that are one of those (`agenda::Because`).
    pub fn reason_defs(&self) -> Vec<(DefId, bool)> {
        fn walk(n: &Node, out: &mut Vec<(DefId, bool)>) {
            match &n.kind {
                Expr::Def(id) => out.push((*id, false)),
                Expr::Not(inner) => {
                    if let Expr::Def(id) = inner.kind {
                        out.push((id, true));
                    }
                }
                Expr::And(a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Some(c) = &self.owed {
            walk(c, &mut out);
        }
        out
    }
}

impl DecisionDef {
    /// The output key: `ruleset.decision`.
    pub fn key(&self) -> String {
        self.key.to_string()
    }
}

#[derive(Clone, Debug)]
pub struct RuleDef {
    pub name: Arc<str>,
    /// `ruleset.rule`, as outputs name it.
    pub key: Arc<str>,
    pub is_exception: bool,
    pub citation: Option<Citation>,
    pub doc: Arc<str>,
    pub validity: Validity,
    /// Whether the rule has its own `in force` (else it is in force exactly
    /// when its decision is, which is checked first).
    pub own_validity: bool,
    /// Indices (in the decision's `rules`) of the rules this one sets aside,
    /// directly or through other exceptions (the transitive closure).
    pub overrides: Vec<usize>,
    /// What meets the time limit this rule gives (`met by`): its own, else
    /// its decision's; empty where the rules name none.
    pub met_by: MetBy,
    pub when: Node,
    pub then: Node,
    pub span: Span,
    /// The rule as explanations' JSON names it (`{"kind":…,"name":…,
    /// "citation":…,"doc":…}`), made once with the program.
    pub json: Arc<str>,
}

/// The direct sub-expressions of a node, by reference (`children!(n)`) or by
/// mutable reference (`children!(n, mut)`): one list of the cases for both.
macro_rules! children {
    ($node:expr $(, $m:tt)?) => {
        match & $($m)? $node.kind {
            Expr::Lit(_)
            | Expr::Input(_)
            | Expr::Local(_)
            | Expr::Param(_)
            | Expr::Def(_)
            | Expr::Decision(_)
            | Expr::AsOf => smallvec::SmallVec::new(),
            Expr::Field { base: a, .. }
            | Expr::Not(a)
            | Expr::Neg(a)
            | Expr::Known(a)
            | Expr::Exists(a)
            | Expr::Determined(a)
            | Expr::ParamOn { on: a, .. } => smallvec::smallvec![& $($m)? **a],
            Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Cmp(_, a, b)
            | Expr::Arith(_, a, b)
            | Expr::DaysBetween(a, b)
            | Expr::In { item: a, list: b, .. }
            | Expr::Age { birth: a, on: b }
            | Expr::DeadlineFrom { event: a, period: b, .. }
            | Expr::DeadlineBefore { anchor: a, period: b, .. } => smallvec::smallvec![& $($m)? **a, & $($m)? **b],
            Expr::Quant { list: a, body: b, keys, .. } => {
                let mut v: smallvec::SmallVec<[_; 4]> = smallvec::smallvec![& $($m)? **a, & $($m)? **b];
                v.extend(keys.into_iter().map(|k| & $($m)? k.key));
                v
            }
            Expr::If(c, a, b) => smallvec::smallvec![& $($m)? **c, & $($m)? **a, & $($m)? **b],
            Expr::List(items) => items.into_iter().collect(),
        }
    };
}

/// A typed expression with the place it was written.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: Expr,
    pub ty: Type,
    pub span: Span,
    /// The expression as written, white space folded, for explanations
    /// (filled in once the program is complete; shared, never rebuilt).
    pub text: Arc<str>,
    /// The text as a JSON string (quoted, escaped), which explanations'
    /// JSON writes whole (shared by the expressions of a slot).
    pub json: Arc<str>,
    /// Unique in the program, from 0 to `NodeCounts::all`.
    pub id: u32,
    /// Where explanations keep its value, from 0 to `NodeCounts::slots`:
    /// shared by the expressions written the same way (the same words and
    /// type) in the same file, which have the same value in every case, so
    /// an explanation evaluates them once. Not under a quantifier's body,
    /// where a name may stand for each item in turn: those have their own.
    pub slot: u32,
}

impl Node {
    /// What a def's body is until it is checked.
    pub fn unchecked(span: Span) -> Node {
        Node {
            kind: Expr::Lit(Value::None),
            ty: Type::Error,
            span,
            text: "".into(),
            json: "".into(),
            id: 0,
            slot: 0,
        }
    }

    /// The record's facts this expression reads directly (not through a
    /// def, a decision or a list's items), in the order it reads them,
    /// each once.
    pub fn facts(&self, inputs: &[InputDef]) -> Vec<Fact> {
        fn walk(n: &Node, inputs: &[InputDef], out: &mut Vec<Fact>) {
            let mut fields = Vec::new();
            let mut at = n;
            let mut path = None;
            loop {
                match &at.kind {
                    Expr::Field {
                        base,
                        field,
                        path: p,
                    } => {
                        fields.push(*field);
                        path.get_or_insert(*p);
                        at = base;
                    }
                    Expr::Input(i) => {
                        fields.reverse();
                        let path = path.or_else(|| inputs.get(i.index()).map(|d| d.path));
                        if let Some(path) = path {
                            let fact = Fact {
                                path,
                                input: *i,
                                fields,
                            };
                            if !out.contains(&fact) {
                                out.push(fact);
                            }
                        }
                        return;
                    }
                    _ => break,
                }
            }
            for child in n.children() {
                walk(child, inputs, out);
            }
        }
        let mut out = Vec::new();
        walk(self, inputs, &mut out);
        out
    }

    /// The determinations this expression reads directly (not through a
    /// def), in the order it reads them, each once.
    pub fn decisions_read(&self) -> Vec<DecisionId> {
        fn walk(n: &Node, out: &mut Vec<DecisionId>) {
            if let Expr::Decision(id) = n.kind {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
            for child in n.children() {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    /// The operands of a comparison, `in`, arithmetic, `age` or `days_between`.
    pub fn binary_operands(&self) -> Option<(&Node, &Node)> {
        match &self.kind {
            Expr::Cmp(_, a, b)
            | Expr::Arith(_, a, b)
            | Expr::DaysBetween(a, b)
            | Expr::In {
                item: a, list: b, ..
            }
            | Expr::Age { birth: a, on: b } => Some((a, b)),
            _ => None,
        }
    }

    /// The direct sub-expressions (most have at most four: kept off the heap).
    pub fn children(&self) -> smallvec::SmallVec<[&Node; 4]> {
        children!(self)
    }

    /// The direct sub-expressions, to change them.
    pub fn children_mut(&mut self) -> smallvec::SmallVec<[&mut Node; 4]> {
        children!(self, mut)
    }

    /// Fills in the text, id and slot of this expression and those under
    /// it, and counts them. `alone`: under a quantifier's body, where the
    /// expression gets a slot of its own. Gives back the mark of the
    /// computation rules of the time limits in it (0 where there are none).
    pub(crate) fn fill_text(
        &mut self,
        files: &SourceMap,
        numbering: &mut Numbering,
        alone: bool,
    ) -> u64 {
        self.text = fold_text(files, self.span).into();
        let counts = &mut numbering.counts;
        self.id = counts.all as u32;
        counts.all += 1;
        if matches!(
            self.kind,
            Expr::DeadlineFrom { .. } | Expr::DeadlineBefore { .. }
        ) {
            counts.time_limits += 1;
        }
        if !matches!(
            self.ty,
            Type::Bool | Type::Integer | Type::Date | Type::Enum(_) | Type::Duration
        ) {
            counts.other_values += 1;
        }
        // The operands first: their time limits' computations are part of
        // what this expression's slot is shared by.
        let mut mark = match &self.kind {
            Expr::DeadlineFrom { computation, .. } | Expr::DeadlineBefore { computation, .. } => {
                computation.map_or(1, |c| u64::from(c.0) + 2)
            }
            _ => 0,
        };
        let mut fold = |m: u64| {
            if m != 0 {
                mark = mark.wrapping_mul(1_000_003).wrapping_add(m);
            }
        };
        if let Expr::Quant {
            list, body, keys, ..
        } = &mut self.kind
        {
            fold(list.fill_text(files, numbering, alone));
            fold(body.fill_text(files, numbering, true));
            for k in keys.iter_mut() {
                fold(k.key.fill_text(files, numbering, true));
            }
        } else {
            for child in self.children_mut() {
                fold(child.fill_text(files, numbering, alone));
            }
        }
        let next = numbering.counts.slots as u32;
        self.slot = if alone {
            next
        } else {
            // Two time limits written alike follow different computation
            // rules where the rules around them cite different acts: the
            // words alone do not say so, the mark does.
            *numbering
                .slots
                .entry((self.span.file, self.text.clone(), self.ty.clone(), mark))
                .or_insert(next)
        };
        if self.slot == next {
            numbering.counts.slots += 1;
            numbering.json.push(crate::json::quoted(&self.text).into());
        }
        if let Some(json) = numbering.json.get(self.slot as usize) {
            self.json = json.clone();
        }
        if let Expr::Quant {
            body, keys, reads, ..
        } = &mut self.kind
        {
            *reads = item_free_reads(body, keys);
        }
        mark
    }
}

/// The defs, params and decisions a list operation's condition and keys
/// read (at any depth, each once, in the order written): they do not depend
/// on the item, so an explanation shows each once, beside the list
/// (`valid_until > cutoff` shows the cutoff and how it was computed).
fn item_free_reads(body: &Node, keys: &[ListKey]) -> Vec<Node> {
    fn same(a: &Expr, b: &Expr) -> bool {
        match (a, b) {
            (Expr::Def(x), Expr::Def(y)) => x == y,
            (Expr::Param(x), Expr::Param(y)) => x == y,
            (Expr::Decision(x), Expr::Decision(y)) => x == y,
            _ => false,
        }
    }
    fn walk(n: &Node, out: &mut Vec<Node>) {
        match &n.kind {
            Expr::Def(_) | Expr::Param(_) | Expr::Decision(_) => {
                if !out.iter().any(|o| same(&o.kind, &n.kind)) {
                    out.push(n.clone());
                }
            }
            // Its decision is never read for a value, so none is shown.
            Expr::Determined(_) => {}
            _ => n.children().into_iter().for_each(|c| walk(c, out)),
        }
    }
    let mut out = Vec::new();
    walk(body, &mut out);
    for k in keys {
        walk(&k.key, &mut out);
    }
    out
}

/// How [`Node::fill_text`] numbers a program's expressions.
#[derive(Default)]
pub(crate) struct Numbering {
    pub counts: NodeCounts,
    /// The slot of each expression written so far, by file, words, type and
    /// the computation rules of the time limits in it.
    slots: HashMap<(FileId, Arc<str>, Type, u64), u32, foldhash::fast::RandomState>,
    /// The text of each slot as a JSON string, by slot.
    json: Vec<Arc<str>>,
}

/// The source text of a span with runs of white space folded and comments dropped.
/// A chain of fields from an input (`applicant.family_in_lithuania`): a
/// fact of the case record.
pub fn is_input_path(n: &Node) -> bool {
    match &n.kind {
        Expr::Input(_) => true,
        Expr::Field { base, .. } => is_input_path(base),
        _ => false,
    }
}

pub fn fold_text(files: &SourceMap, span: Span) -> String {
    let text = files.text(span.file);
    let raw = text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    // Most expressions are on one line, single-spaced, without a comment:
    // their text is already folded (the words of every expression of the
    // law are made once a compile, so the check pays).
    let folded = !raw.contains("//")
        && !raw.contains("  ")
        && !raw.starts_with(' ')
        && !raw.ends_with(' ')
        && !if raw.is_ascii() {
            raw.bytes()
                .any(|b| b != b' ' && (b.is_ascii_whitespace() || b == 0x0b))
        } else {
            raw.chars().any(|c| c != ' ' && c.is_whitespace())
        };
    if folded {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        let line = match line.find("//") {
            Some(i) if !line.get(..i).unwrap_or("").contains('"') => line.get(..i).unwrap_or(line),
            _ => line,
        };
        for word in line.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// Whether the comparison holds of two values ordered `o` (the first
    /// against the second).
    #[inline]
    pub fn holds(self, o: std::cmp::Ordering) -> bool {
        match self {
            CmpOp::Eq => o.is_eq(),
            CmpOp::Ne => o.is_ne(),
            CmpOp::Lt => o.is_lt(),
            CmpOp::Le => o.is_le(),
            CmpOp::Gt => o.is_gt(),
            CmpOp::Ge => o.is_ge(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Clone, Debug)]
pub enum Expr {
    Lit(Value),
    Input(InputId),
    Field {
        base: Box<Node>,
        field: u32,
        path: PathId,
    },
    /// A variable bound by a list quantifier; the index counts from the outermost.
    Local(u32),
    Param(ParamId),
    /// A param's value on a date (`lodging_period(on: application.registered_on)`).
    ParamOn {
        param: ParamId,
        on: Box<Node>,
    },
    Def(DefId),
    Decision(DecisionId),
    /// The evaluation date.
    AsOf,
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    In {
        item: Box<Node>,
        list: Box<Node>,
        negated: bool,
    },
    Arith(ArithOp, Box<Node>, Box<Node>),
    Neg(Box<Node>),
    If(Box<Node>, Box<Node>, Box<Node>),
    List(Vec<Node>),
    Known(Box<Node>),
    Exists(Box<Node>),
    /// `determined(d)`: whether the decision read under it (an
    /// `Expr::Decision`, never evaluated for its value) has a value for
    /// the case: false where it is undetermined (not in force, not made for
    /// the case, no rule and no default), unknown where it waits on facts,
    /// an error where it is one.
    Determined(Box<Node>),
    Age {
        birth: Box<Node>,
        on: Box<Node>,
    },
    DaysBetween(Box<Node>, Box<Node>),
    DeadlineFrom {
        event: Box<Node>,
        period: Box<Node>,
        calendar: Option<CalendarId>,
        /// `None`: Reg. 1182/71 Art. 3 (the program declares no computation).
        computation: Option<ComputationId>,
    },
    DeadlineBefore {
        anchor: Box<Node>,
        period: Box<Node>,
        computation: Option<ComputationId>,
    },
    Quant {
        kind: QuantKind,
        list: Box<Node>,
        body: Box<Node>,
        local: u32,
        /// The order `first` looks in (empty for the others).
        keys: Vec<ListKey>,
        /// What the body and keys read that is the same for every item
        /// (defs, params, decisions), each once, in the order written; an
        /// explanation shows them beside the list. Filled in with the texts.
        reads: Vec<Node>,
    },
}

/// A key of the order `first` looks in: an expression over the item.
#[derive(Clone, Debug)]
pub struct ListKey {
    pub key: Node,
    pub descending: bool,
}

/// The name of a declared enum or record type (empty for other types).
pub fn declared_name(enums: &[EnumDef], records: &[RecordDef], ty: &Type) -> String {
    match ty {
        Type::Enum(id) => enums
            .get(id.0 as usize)
            .map(|e| e.name.clone())
            .unwrap_or_default(),
        Type::Record(id) => records
            .get(id.0 as usize)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

impl Program {
    pub fn param_by_key(&self, key: &str) -> Option<ParamId> {
        self.params
            .iter()
            .position(|p| &*p.key == key)
            .map(|i| ParamId(i as u32))
    }

    pub fn decision_by_key(&self, key: &str) -> Option<DecisionId> {
        self.decisions
            .iter()
            .position(|d| d.key() == key)
            .map(|i| DecisionId(i as u32))
    }

    pub fn path(&self, id: PathId) -> &str {
        self.paths
            .get(id.index())
            .map(String::as_str)
            .unwrap_or("?")
    }

    /// The source text of a span with runs of white space folded, for messages.
    pub fn text(&self, span: Span) -> String {
        fold_text(&self.files, span)
    }

    pub fn enum_variant(&self, id: EnumId, variant: u32) -> &str {
        self.enums
            .get(id.0 as usize)
            .and_then(|e| e.variants.get(variant as usize))
            .map(String::as_str)
            .unwrap_or("?")
    }

    pub fn record(&self, id: RecordId) -> Option<&RecordDef> {
        self.records.get(id.0 as usize)
    }

    /// Each place in the case record where the fields of a record type
    /// sit: the type, and the path (a list's items at the list's path and
    /// `[]`: `responsibility.documents[]`), outer places first.
    pub fn record_places(&self) -> Vec<(RecordId, String)> {
        fn walk(
            p: &Program,
            prefix: String,
            ty: &Type,
            depth: usize,
            out: &mut Vec<(RecordId, String)>,
        ) {
            if let Type::List(item) = ty.base() {
                return walk(p, format!("{prefix}[]"), item, depth + 1, out);
            }
            let Type::Record(rid) = ty.base() else {
                return;
            };
            let Some(rec) = p.record(*rid).filter(|_| depth < 16) else {
                return;
            };
            out.push((*rid, prefix.clone()));
            for f in &rec.fields {
                walk(p, format!("{prefix}.{}", f.name), &f.ty, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        for input in &self.inputs {
            walk(self, input.name.clone(), &input.ty, 0, &mut out);
        }
        out
    }

    /// Every field path of the case record (`applicant.nationality`); the
    /// fields of a list's items as the evaluator names them
    /// (`responsibility.documents[].valid_until`).
    pub fn field_paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (rid, at) in self.record_places() {
            for f in self
                .record(rid)
                .map(|r| r.fields.as_slice())
                .unwrap_or_default()
            {
                out.push(format!("{at}.{}", f.name));
            }
        }
        out
    }

    /// The one place in the case record where the fields of record type
    /// `rid` sit, if there is exactly one.
    pub fn record_place(&self, rid: RecordId) -> Option<String> {
        let mut places = self.record_places().into_iter().filter(|(r, _)| *r == rid);
        match (places.next(), places.next()) {
            (Some((_, at)), None) => Some(at),
            _ => None,
        }
    }

    /// What the caseworker sees that has no label in `lang`: decisions,
    /// warnings, the record's sections and fields, `applies` lines (but in English, where
    /// their own words serve), the defs that compute a time limit and enum
    /// values.
    pub fn missing_labels(&self, lang: crate::lang::Lang) -> Vec<String> {
        let mut out = Vec::new();
        for (i, d) in self.decisions.iter().enumerate() {
            if self
                .labels
                .label(&Labelled::Decision(DecisionId(i as u32)), lang)
                .is_none()
            {
                out.push(format!("decision {}", d.key));
            }
        }
        for w in &self.warnings {
            if self.labels.label(&Labelled::Def(w.def), lang).is_none() {
                out.push(format!("warning {}", w.key));
            }
        }
        // A section of the record is asked for whole where a rule reads
        // whether the record has it (`known(relocation)`).
        for input in &self.inputs {
            let what = Labelled::Path(input.name.clone());
            if self.labels.label(&what, lang).is_none() {
                out.push(format!("section {}", input.name));
            }
        }
        for path in self.field_paths() {
            if self
                .labels
                .label(&Labelled::Path(path.clone()), lang)
                .is_none()
            {
                out.push(format!("field {path}"));
            }
        }
        // What a caseworker reads when a determination does not apply (in
        // English, its `otherwise` text).
        let applies = self.decisions.iter().flat_map(|d| &d.applies);
        for a in applies.filter(|_| lang != crate::lang::Lang::En) {
            let what = Labelled::Def(a.def);
            let key = self.defs.get(a.def.index()).map(|d| d.key.to_string());
            let line = format!("applies {}", key.unwrap_or_default());
            if self.labels.label(&what, lang).is_none() && !out.contains(&line) {
                out.push(line);
            }
        }
        // A def that computes a time limit is named in the report, before
        // the steps of its computation (`· NAME: date`), in English too:
        // its key otherwise.
        for (i, def) in self.defs.iter().enumerate() {
            let time_limit = matches!(
                def.body.kind,
                Expr::DeadlineFrom { .. } | Expr::DeadlineBefore { .. }
            );
            let what = Labelled::Def(DefId(i as u32));
            if time_limit && self.labels.label(&what, lang).is_none() {
                out.push(format!("time limit {}", def.key));
            }
        }
        // A def an `owed when` names is the reason beside a time limit not
        // owed (`Because`), in English too: its key otherwise.
        let met_bys = self
            .decisions
            .iter()
            .flat_map(|d| std::iter::once(&d.met_by).chain(d.rules.iter().map(|r| &r.met_by)));
        for (def, _) in met_bys.flat_map(MetBy::reason_defs) {
            let key = self.defs.get(def.index()).map(|d| d.key.to_string());
            let line = format!("reason {}", key.unwrap_or_default());
            if self.labels.label(&Labelled::Def(def), lang).is_none() && !out.contains(&line) {
                out.push(line);
            }
        }
        for s in &self.selections {
            let what = Labelled::Selection(s.key.to_string());
            if self.labels.label(&what, lang).is_none() {
                out.push(format!("selection {}", s.key));
            }
        }
        for (e, def) in self.enums.iter().enumerate() {
            for (v, name) in def.variants.iter().enumerate() {
                let what = Labelled::Value(EnumId(e as u32), v as u32);
                if self.labels.label(&what, lang).is_none() {
                    out.push(format!("value {}.{name}", def.name));
                }
            }
        }
        out
    }

    /// The computation rule a time limit follows: the one it names, else
    /// Reg. 1182/71 Art. 3.
    pub fn computation(&self, id: Option<ComputationId>) -> &Computation {
        id.and_then(|id| self.computations.get(id.index()))
            .unwrap_or_else(|| Computation::reg_1182_71())
    }
}

/// What a label names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Labelled {
    Decision(DecisionId),
    /// A rule of a decision, by its index there.
    Rule(DecisionId, u32),
    Def(DefId),
    Param(ParamId),
    /// A fact of the case record, by its path (`applicant.nationality`).
    Path(String),
    /// An enum value.
    Value(EnumId, u32),
    Source(SourceId),
    /// A holiday of a calendar, by its name.
    Holiday(String),
    /// A calendar (whose holidays they are: `LT`, "Lithuania").
    Calendar(String),
    /// A text value, wherever it is shown (a code the record gives:
    /// `LTU`, "Lietuva").
    Text(String),
    /// A selection, by its key (`relocation.candidates`): the title of
    /// `lsa select`'s report.
    Selection(String),
}

/// A label, and for a fact of the record the question that asks for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Words {
    pub label: Arc<str>,
    pub ask: Option<Arc<str>>,
}

/// Every label of a program, in every language.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    pub map: std::collections::HashMap<Labelled, [Option<Words>; 2]>,
}

impl Labels {
    /// The words for `what` in `lang`, if the rules give them.
    pub fn get(&self, what: &Labelled, lang: crate::lang::Lang) -> Option<&Words> {
        self.map.get(what)?.get(lang.index())?.as_ref()
    }

    /// The label for `what` in `lang`, if any.
    pub fn label(&self, what: &Labelled, lang: crate::lang::Lang) -> Option<&str> {
        self.get(what, lang).map(|w| &*w.label)
    }
}

#[cfg(test)]
mod tests {
    use super::SimpleAlt;

    /// The matcher without the regex engine agrees with it wherever it is
    /// used, and declines the patterns it does not understand.
    #[test]
    fn simple_patterns_match_as_the_regex_does() {
        let patterns = [
            "[A-Z]{3}",
            "[A-Z]{3}|stateless",
            "[0-9]{2,4}",
            "abc|[a-z]{1}",
            "LT_1|[A-F]{0,2}",
        ];
        let texts = [
            "",
            "LTU",
            "ltu",
            "LT",
            "LTUX",
            "stateless",
            "Stateless",
            "12",
            "12345",
            "1234",
            "ä",
            "ÄBC",
            "abc",
            "b",
            "LT_1",
            "AF",
            "AG",
            "x|y",
        ];
        for p in patterns {
            let simple = SimpleAlt::parse(p);
            let regex = regex_lite::Regex::new(&format!("^(?:{p})$"));
            assert!(
                simple.is_some() && regex.is_ok(),
                "{p} is simple and compiles"
            );
            let (Some(simple), Ok(regex)) = (simple, regex) else {
                return;
            };
            for t in texts {
                let fast = simple.iter().any(|a| a.matches(t));
                assert_eq!(fast, regex.is_match(t), "{p} on {t:?}");
            }
        }
        for p in [
            "[A-Z]+",
            "[A-Z]{3}|",
            "[A-Za-z]{2}",
            "(ab)",
            "[A-Z]{3,1}",
            "a.c",
            "[Z-A]{1}",
        ] {
            assert!(SimpleAlt::parse(p).is_none(), "{p} is not simple");
        }
    }
}
