//! The abstract syntax tree of a rule file, as written: names are strings, nothing
//! is resolved. Spans point back into the source for diagnostics.

use crate::diag::Span;
pub use crate::time::{DayRule, DurationUnit};

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub doc: Vec<String>,
    pub ruleset: Ident,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub doc: Vec<String>,
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    Source(SourceDecl),
    InForce(InForce),
    Enum(EnumDecl),
    Record(RecordDecl),
    Input(InputDecl),
    Param(ParamDecl),
    Def(DefDecl),
    Decision(Box<DecisionDecl>),
    Calendar(CalendarDecl),
    Computation(ComputationDecl),
    Applies(AppliesLine),
    Selection(SelectionDecl),
    Label(LabelDecl),
    Warn(WarnDecl),
}

/// `warn NAME [CITATION] when CONDITION`: where the condition holds for a
/// case, its facts are likely wrong, and its outputs say so.
#[derive(Clone, Debug, PartialEq)]
pub struct WarnDecl {
    pub name: Ident,
    pub citation: Option<Citation>,
    pub when: Expr,
}

/// `label TARGET` and its words in each language.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelDecl {
    pub target: LabelTarget,
    pub texts: Vec<LabelText>,
    pub span: Span,
}

/// What a label names.
#[derive(Clone, Debug, PartialEq)]
pub enum LabelTarget {
    /// `a.b.c`: a decision, rule, def, param, record path, enum value or source.
    Path(Vec<Ident>),
    /// `holiday "Christmas Eve"`.
    Holiday(String),
    /// `"LTU"`: a text value (a code the record gives) wherever it is shown.
    Text(String),
}

/// `lt "label" ask "question?"`.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelText {
    pub lang: crate::lang::Lang,
    pub label: String,
    pub ask: Option<String>,
    pub span: Span,
}

/// `selection NAME [CITATION] among EXPR`, its keys and what it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectionDecl {
    pub name: Ident,
    pub citation: Option<Citation>,
    /// Which cases qualify (a truth value per case).
    pub among: Expr,
    /// The keys the qualifying cases are ranked by, the first first.
    pub keys: Vec<OrderKey>,
    /// How many are taken (`take up to EXPR`); none: given when it runs.
    pub take: Option<Expr>,
}

/// `by EXPR ascending|descending [CITATION]`.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderKey {
    pub doc: Vec<String>,
    pub expr: Expr,
    pub descending: bool,
    pub citation: Option<Citation>,
    pub span: Span,
}

/// `computation NAME for SOURCE, … [CITATION]` and its clauses.
#[derive(Clone, Debug, PartialEq)]
pub struct ComputationDecl {
    pub name: Ident,
    /// The acts whose time limits it computes.
    pub sources: Vec<Ident>,
    pub citation: Option<Citation>,
    pub clauses: Vec<ClauseDecl>,
}

/// One clause of a computation: `event_day [APR Art. 73(a)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClauseDecl {
    pub doc: Vec<String>,
    pub name: Ident,
    pub citation: Citation,
}

/// An `applies` line: one written out, or one named elsewhere used again.
#[derive(Clone, Debug, PartialEq)]
pub enum AppliesLine {
    Line(AppliesDecl),
    Use(AppliesUse),
}

impl AppliesLine {
    pub fn span(&self) -> Span {
        match self {
            AppliesLine::Line(a) => a.span,
            AppliesLine::Use(u) => u.span,
        }
    }

    /// Its own doc comment.
    pub fn doc_mut(&mut self) -> &mut Vec<String> {
        match self {
            AppliesLine::Line(a) => &mut a.doc,
            AppliesLine::Use(u) => &mut u.doc,
        }
    }
}

/// `applies [NAME] [CITATION] when CONDITION otherwise "WHY NOT"`: the
/// cases a file's (or a decision's) determinations are made for. A named
/// line may be used again by its name (`applies NAME`,
/// `applies RULESET.NAME`) in any file or decision.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliesDecl {
    /// Its own doc comment (a file-level line's is the item's).
    pub doc: Vec<String>,
    pub name: Option<Ident>,
    pub citation: Option<Citation>,
    pub when: Expr,
    pub otherwise: String,
    pub span: Span,
    /// `applies`, the line's name and its citation.
    pub head: Span,
}

/// `applies NAME` or `applies RULESET.NAME`: a named `applies` line
/// declared elsewhere, the same line here (its condition, citation and
/// reason, evaluated once per case).
#[derive(Clone, Debug, PartialEq)]
pub struct AppliesUse {
    pub doc: Vec<String>,
    pub ruleset: Option<Ident>,
    pub name: Ident,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SourceDecl {
    pub name: Ident,
    pub title: String,
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DateLit {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InForce {
    pub from: DateLit,
    pub until: Option<DateLit>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    pub name: Ident,
    pub variants: Vec<Variant>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub doc: Vec<String>,
    pub name: Ident,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecordDecl {
    pub name: Ident,
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub doc: Vec<String>,
    pub name: Ident,
    pub ty: TypeExpr,
    /// What a record may hold in it beyond its type.
    pub constraints: Vec<ConstraintDecl>,
    /// A protected characteristic (nationality, ethnicity, religion…): no
    /// selection may rank by it.
    pub protected: bool,
}

/// `between LOW and HIGH`, or `matching "PATTERN"`.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstraintDecl {
    Between { low: Expr, high: Expr, span: Span },
    Matching { pattern: String, span: Span },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub optional: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Named(Ident),
    List(Box<TypeExpr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct InputDecl {
    pub name: Ident,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    pub cites: Vec<Cite>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cite {
    pub source: Ident,
    pub pinpoint: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub citation: Option<Citation>,
    pub values: Vec<ParamValue>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamValue {
    pub from: DateLit,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DefDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub citation: Option<Citation>,
    pub body: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum Policy {
    #[default]
    Unique,
    First,
    Collect,
}

impl Policy {
    pub fn keyword(self) -> &'static str {
        match self {
            Policy::Unique => "unique",
            Policy::First => "first",
            Policy::Collect => "collect",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DecisionDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub citation: Option<Citation>,
    pub in_force: Option<InForce>,
    /// Its own `applies` lines, in the order written (replacing the file's).
    pub applies: Vec<AppliesLine>,
    pub policy: Option<(Policy, Span)>,
    pub default: Option<Expr>,
    pub met_by: Option<MetBy>,
    pub rules: Vec<RuleDecl>,
}

/// `met by FACT or FACT… [owed when CONDITION]`: the facts of the case
/// record that hold the date a time limit's act was done (any of them
/// meets it), and where the act is owed only in some cases, in which.
#[derive(Clone, Debug, PartialEq)]
pub struct MetBy {
    pub facts: Vec<Expr>,
    pub owed: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RuleDecl {
    pub doc: Vec<String>,
    pub name: Ident,
    pub citation: Option<Citation>,
    /// Empty for a plain rule; the rules set aside for an exception.
    pub overrides: Vec<Ident>,
    pub is_exception: bool,
    pub in_force: Option<InForce>,
    /// Its own `met by` (else its decision's holds for it).
    pub met_by: Option<MetBy>,
    pub when: Expr,
    pub then: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CalendarDecl {
    pub name: Ident,
    pub title: Option<String>,
    pub citation: Option<Citation>,
    pub holidays: Vec<HolidayDecl>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HolidayDecl {
    pub doc: Vec<String>,
    pub name: String,
    pub citation: Option<Citation>,
    pub rule: DayRule,
    pub in_force: Option<InForce>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Lit(Literal),
    Name(Ident),
    Field(Box<Expr>, Ident),
    Call {
        name: Ident,
        args: Vec<Arg>,
    },
    Quant {
        kind: QuantKind,
        var: Ident,
        list: Box<Expr>,
        body: Box<Expr>,
        /// `by KEY ascending|descending`, the order `first` looks in.
        keys: Vec<ListKey>,
    },
    List(Vec<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub name: Option<Ident>,
    pub value: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuantKind {
    Any,
    All,
    Count,
    Sum,
    Min,
    Max,
    /// The first item that meets the condition (in the order of the keys,
    /// then of the list), or none.
    First,
    /// The items that meet the condition, in the order of the list.
    Those,
}

/// One key of the order `first` looks in.
#[derive(Clone, Debug, PartialEq)]
pub struct ListKey {
    pub key: Expr,
    pub descending: bool,
}

impl QuantKind {
    pub fn keyword(self) -> &'static str {
        match self {
            QuantKind::Any => "any",
            QuantKind::All => "all",
            QuantKind::Count => "count",
            QuantKind::Sum => "sum",
            QuantKind::Min => "min",
            QuantKind::Max => "max",
            QuantKind::First => "first",
            QuantKind::Those => "those",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }

    /// Binding strength; higher binds tighter. `not` sits between `and` and comparisons.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq
            | BinOp::Ne
            | BinOp::Lt
            | BinOp::Le
            | BinOp::Gt
            | BinOp::Ge
            | BinOp::In
            | BinOp::NotIn => 4,
            BinOp::Add | BinOp::Sub => 5,
            BinOp::Mul | BinOp::Div => 6,
        }
    }

    pub fn is_comparison(self) -> bool {
        self.precedence() == 4
    }
}

/// Precedence of `not` (between `and` and the comparisons).
pub const NOT_PRECEDENCE: u8 = 3;

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Bool(bool),
    /// A number as written (`12`, `12.5`).
    Number(String),
    Money {
        amount: String,
        currency: String,
    },
    Percent(String),
    Text(String),
    Date(String),
    Duration {
        amount: String,
        unit: DurationUnit,
    },
}
