//! Text to AST with pest. The only code that sees pest's types: its `Rule` enum
//! is private here (and renamed `G`, since "rule" is a word of our language), and
//! its errors are translated into plain words before they leave.

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::*;
use crate::diag::{Diagnostic, FileId, Span};

mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/rules.pest"]
    pub(super) struct RuleGrammar;
}
use grammar::{Rule as G, RuleGrammar};

/// Deepest nesting of brackets or expressions accepted. Real law needs a
/// handful; the limit keeps a hostile file from exhausting the stack.
pub const MAX_NESTING: usize = 64;

/// Parses one rule file. Syntax errors come back as diagnostics in plain words.
pub fn parse_file(file: FileId, text: &str) -> std::result::Result<File, Diagnostic> {
    check_nesting(file, text)?;
    let mut pairs = pest_parse(G::file, text).map_err(|e| syntax_error(file, text, 0, &e))?;
    let root = pairs
        .next()
        .ok_or_else(|| Diagnostic::error(Span::new(file, 0, 0), "empty parse"))?;
    Builder::new(file, 0).file(root)
}

/// A file parsed as far as it can be: every syntax error in it (not only the
/// first: after one, each item is parsed on its own, so one mistake does not
/// hide the next), the file without the items that failed, and the names
/// those items declare (so that the checker does not report uses of them as
/// unknown: that would only repeat the syntax error).
pub struct Parsed {
    pub file: Option<File>,
    pub errors: Vec<Diagnostic>,
    pub broken: Vec<Broken>,
}

/// What an item that did not parse declared, read from its text.
#[derive(Clone, Debug)]
pub struct Broken {
    /// Its keyword (`decision`, `calendar`, `source`…).
    pub keyword: String,
    /// The names it declares: its own, and an enum's values.
    pub names: Vec<String>,
}

/// Parses one rule file, recovering at the next item after a syntax error.
pub fn parse_recovering(file: FileId, text: &str) -> Parsed {
    let first = match parse_file(file, text) {
        Ok(f) => {
            return Parsed {
                file: Some(f),
                errors: Vec::new(),
                broken: Vec::new(),
            }
        }
        Err(d) => d,
    };
    // Nesting beyond the limit, or a broken head: nothing more to read.
    let chunks = item_starts(text);
    let head_end = chunks.first().copied().unwrap_or(text.len());
    let head = text.get(..head_end).unwrap_or("");
    let nested = first.message.contains("nested too deeply");
    let head_ok = pest_parse(G::file_head, head).is_ok();
    if nested || !head_ok || chunks.is_empty() {
        return Parsed {
            file: None,
            errors: vec![first],
            broken: Vec::new(),
        };
    }
    let mut errors = Vec::new();
    let mut broken = Vec::new();
    let mut items = Vec::new();
    for (k, &start) in chunks.iter().enumerate() {
        let end = chunks.get(k + 1).copied().unwrap_or(text.len());
        let Some(chunk) = text.get(start..end) else {
            continue;
        };
        let built = pest_parse(G::item_alone, chunk)
            .map_err(|e| syntax_error(file, text, start, &e))
            .and_then(|mut pairs| {
                let alone = pairs.next().ok_or_else(|| {
                    Diagnostic::error(Span::new(file, start, start), "empty parse")
                })?;
                let item = alone
                    .into_inner()
                    .find(|p| p.as_rule() == G::item)
                    .ok_or_else(|| {
                        Diagnostic::error(Span::new(file, start, start), "empty parse")
                    })?;
                Builder::new(file, start).item(item)
            });
        match built {
            Ok(item) => items.push(item),
            Err(d) => {
                errors.push(d);
                broken.extend(broken_item(chunk));
            }
        }
    }
    // The head parsed alone, for the ruleset's name and doc.
    let head_file = pest_parse(G::file_head, head)
        .ok()
        .and_then(|mut p| p.next())
        .and_then(|root| Builder::new(file, 0).file(root).ok());
    if errors.is_empty() {
        // Each item parses alone but the file does not (e.g. something
        // between items): the first error is the one to fix.
        errors.push(first);
    }
    Parsed {
        file: head_file.map(|h| File { items, ..h }),
        errors,
        broken,
    }
}

/// Text from which [`parse_all`] parses on several threads: below it,
/// handing files to other threads costs more than it saves (a test's few
/// lines of rules).
const PARALLEL_FROM: usize = 64 << 10;

/// Parses several files ([`parse_recovering`] each), given back in their
/// order. Where there are enough of them, on rayon's threads (the command
/// line's, with their deep stacks, or a default pool): the parse is most
/// of the compile, and the shipped law's ten files parse in about half the
/// time on two cores. The results do not depend on which thread parsed
/// what.
pub fn parse_all(files: &[(FileId, &str)]) -> Vec<Parsed> {
    use rayon::prelude::*;
    let total: usize = files.iter().map(|f| f.1.len()).sum();
    if files.len() < 2 || total < PARALLEL_FROM {
        return files
            .iter()
            .map(|&(id, text)| parse_recovering(id, text))
            .collect();
    }
    files
        .par_iter()
        .map(|&(id, text)| parse_recovering(id, text))
        .collect()
}

/// Where the items of a file start: lines beginning (in column 0) with an
/// item keyword, with the doc comment lines just above them.
fn item_starts(text: &str) -> Vec<usize> {
    const KEYWORDS: [&str; 14] = [
        "source",
        "in",
        "enum",
        "record",
        "input",
        "param",
        "def",
        "decision",
        "calendar",
        "computation",
        "applies",
        "selection",
        "label",
        "warn",
    ];
    let mut starts = Vec::new();
    let mut offset = 0usize;
    let mut doc_start: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let word: String = line
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if line.starts_with("///") {
            doc_start.get_or_insert(offset);
        } else if KEYWORDS.contains(&word.as_str()) {
            starts.push(doc_start.take().unwrap_or(offset));
        } else if !line.trim().is_empty() {
            doc_start = None;
        }
        offset += line.len();
    }
    starts
}

/// What an item that did not parse declares (`def NAME`, `decision NAME`…,
/// and an enum's values), read from its text: a use of one is not reported
/// again as unknown.
fn broken_item(chunk: &str) -> Option<Broken> {
    // Its code: no doc comment, no `//` comment.
    let code: Vec<&str> = chunk
        .lines()
        .filter(|l| !l.trim_start().starts_with("///"))
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect();
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let head = words(code.first().copied().unwrap_or(""));
    let (keyword, name) = (head.first()?, head.get(1)?);
    let names = match keyword.as_str() {
        // Nothing another item names (a label's words are what it labels:
        // a ruleset's name among them).
        "in" | "label" => return None,
        // A named line's name (`applies here [X Art. 1] when …`), which
        // other lines use again: the word right after the keyword, where
        // there is one (not `[`, not `when`, not a use's `ruleset.name`).
        "applies" => {
            let rest = code
                .first()
                .and_then(|l| l.trim_start().strip_prefix("applies"))
                .unwrap_or("")
                .trim_start();
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let after = rest.get(word.len()..).unwrap_or("");
            if word.is_empty() || word == "when" || after.starts_with('.') {
                return None;
            }
            vec![word]
        }
        // The words after an enum's `{`: its values.
        "enum" => {
            let body = code.join("\n");
            let values = body.split_once('{').map(|(_, v)| words(v));
            std::iter::once(name.clone())
                .chain(values.unwrap_or_default())
                .collect()
        }
        _ => vec![name.clone()],
    };
    Some(Broken {
        keyword: keyword.clone(),
        names,
    })
}

/// The `//` comments of a file with their byte offsets (for the formatter).
/// Found as the parser sees them: a `//` inside a string, a source address,
/// a citation's pinpoint (`[X a//b]`) or a doc comment is text, not a
/// comment (reliability findings F18, F21). A file that does not parse has
/// none (the formatter does not format it).
pub fn comments(text: &str) -> Vec<(usize, String)> {
    if check_nesting(FileId(0), text).is_err() {
        return Vec::new();
    }
    let Ok(pairs) = pest_parse(G::file, text) else {
        return Vec::new();
    };
    // The spans of the tokens a `//` may stand in, in order.
    let mut tokens: Vec<(usize, usize)> = pairs
        .flatten()
        .filter(|p| matches!(p.as_rule(), G::string | G::url | G::pinpoint | G::doc_line))
        .map(|p| (p.as_span().start(), p.as_span().end()))
        .collect();
    tokens.sort_unstable();
    let mut out = Vec::new();
    let mut next_token = 0;
    let mut at = 0;
    while let Some(found) = text.get(at..).and_then(|rest| rest.find("//")) {
        let start = at + found;
        // Past the tokens that end before it; inside the next one?
        while tokens.get(next_token).is_some_and(|&(_, end)| end <= start) {
            next_token += 1;
        }
        if let Some(&(_, t_end)) = tokens.get(next_token).filter(|(s, _)| *s <= start) {
            at = t_end.max(start + 2);
            continue;
        }
        let end = text
            .get(start..)
            .and_then(|r| r.find('\n'))
            .map_or(text.len(), |n| start + n);
        out.push((
            start,
            text.get(start..end).unwrap_or("").trim_end().to_string(),
        ));
        at = end;
    }
    out
}

/// Rejects nesting beyond [`MAX_NESTING`] before pest recurses into it:
/// brackets, list types (`list<list<…>>`) and `if` expressions, which nest
/// in their `else` branch (`if … else if … else if …`). An `if` stays open
/// to the end of the bracket it is in, or of the rule, def or param.
fn check_nesting(file: FileId, text: &str) -> std::result::Result<(), Diagnostic> {
    /// What a bracket-like opening is.
    #[derive(PartialEq)]
    enum Open {
        Bracket,
        ListType,
    }
    // The open brackets and list types, each with the `if`s open outside it.
    let mut stack: Vec<(Open, usize)> = Vec::new();
    // `if`s open in the current bracket, and in all of them.
    let (mut ifs, mut all_ifs) = (0usize, 0usize);
    let too_deep = |start: usize, end: usize, what: &str| {
        Diagnostic::error(
            Span::new(file, start, end),
            format!("{what} nested too deeply"),
        )
        .with_help(format!(
            "at most {MAX_NESTING} levels are allowed; name a part with a `def`"
        ))
    };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                // skip a string literal
                while let Some((_, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == '"' || d == '\n' {
                        break;
                    }
                }
            }
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                let mut end = i + c.len_utf8();
                while let Some((j, d)) = chars.peek().copied() {
                    if d.is_alphanumeric() || d == '_' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                match text.get(start..end) {
                    Some("if") => {
                        ifs += 1;
                        all_ifs += 1;
                    }
                    // A new rule, def or param: the `if`s before it are closed.
                    Some(
                        "rule" | "exception" | "def" | "decision" | "param" | "when" | "default"
                        | "applies" | "otherwise",
                    ) if stack.is_empty() => {
                        ifs = 0;
                        all_ifs = 0;
                    }
                    Some("list") => {
                        while chars.peek().is_some_and(|(_, d)| *d == ' ' || *d == '\t') {
                            chars.next();
                        }
                        if chars.peek().is_some_and(|(_, d)| *d == '<') {
                            chars.next();
                            stack.push((Open::ListType, ifs));
                            ifs = 0;
                        }
                    }
                    _ => {}
                }
                if stack.len() + all_ifs > MAX_NESTING {
                    let what = if text.get(start..end) == Some("list") {
                        "list types"
                    } else {
                        "`if` expressions"
                    };
                    return Err(too_deep(start, end, what));
                }
            }
            '(' | '[' | '{' => {
                stack.push((Open::Bracket, ifs));
                ifs = 0;
                if stack.len() + all_ifs > MAX_NESTING {
                    return Err(too_deep(i, i + 1, "brackets"));
                }
            }
            ')' | ']' | '}' | '>' => {
                let closes = match stack.last() {
                    Some((Open::ListType, _)) => c == '>',
                    Some((Open::Bracket, _)) => c != '>',
                    None => false,
                };
                if closes {
                    if let Some((_, outer)) = stack.pop() {
                        all_ifs -= ifs;
                        ifs = outer;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A pest error in words; `base` is where `text` starts in the file.
/// The diagnostic of a pest error in the part of `text` (the whole file)
/// from `base` on that was parsed. What was found is read from the whole
/// file: an item parsed alone (after an earlier error) that ends too early
/// finds the next declaration, not the end of the file.
fn syntax_error(
    file: FileId,
    text: &str,
    base: usize,
    error: &pest::error::Error<G>,
) -> Diagnostic {
    let pos = base
        + match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
    let found = describe_found(text, pos);
    let end = pos + found.1;
    let mut expected: Vec<&'static str> = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let message = if expected.is_empty() {
        format!("unexpected {}", found.0)
    } else {
        format!("expected {}, found {}", join_or(&expected), found.0)
    };
    let diagnostic = Diagnostic::error(Span::new(file, pos, end), message);
    match hint(&expected, text, pos) {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// The `:` before a declaration's type, as an error names it (and `hint`
/// knows it).
const TYPE_COLON: &str = "`:` and a type";

fn hint(expected: &[&str], text: &str, pos: usize) -> Option<String> {
    let rest = text.get(pos..).unwrap_or("");
    if expected.contains(&"`ruleset`") {
        return Some("a rule file starts with `ruleset NAME`, e.g. `ruleset relocation`".into());
    }
    if rest.starts_with('=')
        && !rest.starts_with("==")
        && expected.iter().any(|e| e.contains("operator"))
    {
        return Some("compare with `==`; `=` only gives a `def` or `param` its value".into());
    }
    // A comparison where an operator may stand but not this one: the
    // operand before it is a comparison already.
    if ["==", "!=", "<", ">"].iter().any(|op| rest.starts_with(op))
        && expected.iter().any(|e| e.contains("operator"))
    {
        return Some(
            "comparisons do not chain: join two with `and` (`a < b and b < c`), or put the first in brackets (`(a == b) == c`)".into(),
        );
    }
    if expected.contains(&TYPE_COLON) && rest.starts_with('"') {
        return Some(
            "a declaration reads `NAME: TYPE`; its words for people go in a `label` (`label NAME` with `lt \"…\"` and `en \"…\"`)".into(),
        );
    }
    if rest.starts_with('"') {
        return Some("a text ends with `\"` on the same line".into());
    }
    if expected.contains(&"`then`") {
        return Some("a rule reads `rule NAME [CITATION] when CONDITION then VALUE`".into());
    }
    None
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// What stands at `pos`, in words, and its length in bytes.
fn describe_found(text: &str, pos: usize) -> (String, usize) {
    let rest = text.get(pos..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("end of file".into(), 0);
    };
    if first == '\n' || first == '\r' {
        return ("end of line".into(), 0);
    }
    if "=!<>".contains(first) {
        // An operator of two characters is named whole (`==`, not `=`).
        let two = rest
            .get(..2)
            .filter(|t| ["==", "!=", "<=", ">="].contains(t));
        let op = two.unwrap_or(rest.get(..1).unwrap_or_default());
        return (format!("`{op}`"), op.len());
    }
    if first.is_alphanumeric() || first == '_' {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let len = word.len();
        return (format!("`{word}`"), len);
    }
    (format!("`{first}`"), first.len_utf8())
}

/// A grammar rule in the words of the language reference; `None` for rules that
/// say nothing useful on their own.
fn describe(rule: G) -> Option<&'static str> {
    Some(match rule {
        G::EOI => "end of file",
        G::file | G::file_head | G::ruleset_decl => "`ruleset`",
        G::item_alone => "a declaration",
        G::kw_ruleset => "`ruleset`",
        G::type_colon => TYPE_COLON,
        G::kw_source => "`source`",
        G::kw_in => "`in`",
        G::kw_force => "`force`",
        G::kw_from => "`from`",
        G::kw_until => "`until`",
        G::kw_enum => "`enum`",
        G::kw_record => "`record`",
        G::kw_input => "`input`",
        G::kw_param => "`param`",
        G::kw_def => "`def`",
        G::kw_decision => "`decision`",
        G::kw_rule => "`rule`",
        G::kw_exception => "`exception`",
        G::kw_overrides => "`overrides`",
        G::kw_when => "`when`",
        G::kw_then => "`then`",
        G::kw_else => "`else`",
        G::kw_if | G::kw_not | G::kw_true | G::kw_false => "an expression",
        G::kw_default => "`default`",
        G::kw_policy => "`policy`",
        G::kw_and | G::kw_or => "`and`, `or`",
        G::kw_calendar => "`calendar`",
        G::kw_holiday => "`holiday`",
        G::kw_on => "`on`",
        G::kw_list => "a type",
        G::kw_of => "`of`",
        G::kw_easter => "`easter`",
        G::kw_computation => "`computation`",
        G::kw_for => "`for`",
        G::kw_applies => "`applies`",
        G::kw_otherwise => "`otherwise`",
        G::kw_between => "`between`",
        G::kw_matching => "`matching`",
        G::kw_selection | G::selection_decl => "`selection`",
        G::kw_among => "`among`",
        G::kw_by | G::order_key | G::quant_key => "`by EXPR ascending` or `by EXPR descending`",
        G::direction => "`ascending` or `descending`",
        G::kw_take | G::take_clause => "`take up to`",
        G::kw_up => "`up`",
        G::kw_to => "`to`",
        G::kw_protected => "`protected`",
        G::kw_label | G::label_decl => "`label`",
        G::label_target => {
            "what the label names (`relocation.eligible`, `applicant.nationality`, `holiday \"…\"`, `\"LTU\"`)"
        }
        G::label_text | G::lang => "`lt \"…\"` or `en \"…\"`",
        G::kw_ask => "`ask \"…?\"`",
        G::kw_warn | G::warn_decl => "`warn`",
        G::constraint | G::between_clause | G::matching_clause => {
            "`between LOW and HIGH` or `matching \"PATTERN\"`"
        }
        G::computation_decl => "`computation`",
        G::computation_clause => "a clause like `event_day [APR Art. 73(a)]`",
        G::applies_clause => "`applies`",
        G::applies_line => "`when` and a condition",
        G::applies_use => "the name of an `applies` line",
        G::ident => "a name",
        G::item | G::doc_comments | G::doc_line => "a declaration",
        G::source_decl => "`source`",
        G::in_force => "`in force`",
        G::enum_decl => "`enum`",
        G::record_decl => "`record`",
        G::input_decl => "`input`",
        G::param_decl => "`param`",
        G::def_decl => "`def`",
        G::decision_decl => "`decision`",
        G::calendar_decl => "`calendar`",
        G::decision_head | G::policy_clause | G::default_clause => {
            "`default`, `policy`, `applies`, `met by` or `in force`"
        }
        G::kw_met | G::met_clause => "`met by` and a fact of the case record",
        G::kw_owed | G::owed_clause => "`owed when` and a condition",
        G::rule_decl | G::rule_head => "`rule`",
        G::exception_head => "`exception`",
        G::variant => "an enum value",
        G::field => "a field (`name: type`)",
        G::type_expr | G::list_type => "a type",
        G::optional_mark => "`?`",
        G::url => "a source address in `<…>`",
        G::citation | G::cite => "a citation like `[APR Art. 28(1)]`",
        G::pinpoint => "an article reference",
        G::param_value => "`from DATE = VALUE`",
        G::policy_name => "`unique`, `first` or `collect`",
        G::holiday => "`holiday`",
        G::day_rule | G::fixed_day_rule | G::nth_weekday_rule | G::easter_rule => {
            "a day like `24 December`, `easter + 1 day` or `first Sunday of May`"
        }
        G::easter_offset | G::sign => "`+ N days`",
        G::day_number => "a day number",
        G::day_word => "`days`",
        G::ordinal => "`first`, `second`, `third`, `fourth` or `last`",
        G::weekday_name => "a weekday like `Sunday`",
        G::month_name => "a month like `May`",
        G::expr
        | G::if_expr
        | G::logic
        | G::cmp_expr
        | G::arith
        | G::neg
        | G::postfix
        | G::primary
        | G::quantifier
        | G::quant_name
        | G::call
        | G::list_lit
        | G::literal => "an expression",
        G::cmp_op | G::not_in | G::add_op | G::mul_op => "an operator",
        G::arg | G::arg_name => "an argument",
        G::date_lit => "a date like 2026-06-12",
        G::number => "a number",
        G::duration_lit | G::duration_unit => {
            "a unit of time (`days`, `working days`, `weeks`, `months`, `years`, `hours`)"
        }
        G::money_lit | G::currency => "a currency code like `EUR`",
        G::percent_lit => "`%`",
        G::string => "a quoted text",
        _ => return None,
    })
}

struct Builder {
    file: FileId,
    /// Where the text being built starts in the file (an item parsed alone).
    base: usize,
    /// The height of the expression tree `expr` last returned: every later
    /// stage walks trees recursively, so their height is bounded here, as they
    /// are built, before a deep one can exist.
    height: std::cell::Cell<usize>,
}

/// The tallest expression tree accepted (operators in a chain count one level each).
pub const MAX_HEIGHT: usize = 256;

type Result<T> = std::result::Result<T, Diagnostic>;

fn is_keyword(rule: G) -> bool {
    matches!(
        rule,
        G::kw_ruleset
            | G::kw_source
            | G::kw_in
            | G::kw_force
            | G::kw_from
            | G::kw_until
            | G::kw_enum
            | G::kw_record
            | G::kw_input
            | G::kw_param
            | G::kw_def
            | G::kw_decision
            | G::kw_rule
            | G::kw_exception
            | G::kw_overrides
            | G::kw_when
            | G::kw_then
            | G::kw_else
            | G::kw_if
            | G::kw_default
            | G::kw_policy
            | G::kw_and
            | G::kw_or
            | G::kw_calendar
            | G::kw_holiday
            | G::kw_on
            | G::kw_list
            | G::kw_of
            | G::kw_easter
            | G::kw_computation
            | G::kw_for
            | G::kw_applies
            | G::kw_otherwise
            | G::kw_between
            | G::kw_matching
            | G::kw_selection
            | G::kw_among
            | G::kw_met
            | G::kw_owed
            | G::kw_by
            | G::kw_take
            | G::kw_up
            | G::kw_to
            | G::kw_label
            | G::kw_ask
            | G::kw_warn
            | G::type_colon
    )
}

/// The stack pest may take to parse a text `check_nesting` accepted, with a
/// wide margin: 64 levels of the deepest nesting (calls in calls), built
/// without optimisation as the tests are, took more than 512 KiB and less
/// than 1 MiB (2026-12-07, `brackets_and_ifs_nest_to_the_limit` run with
/// smaller segments). Only where less is left is a segment made (mapped,
/// not touched: the pages pest does not reach cost nothing): on a test's
/// thread, not on a program's main thread (8 MiB) nor the command line's
/// (256 MiB).
const PEST_STACK: usize = 4 << 20;

/// pest's parse of `text` (which `check_nesting` accepted, or a part of
/// such a text) from `rule`, on a new stack segment where less than
/// [`PEST_STACK`] of the current one is left. pest is built without its
/// own probe of the stack left, which it made on entering every rule
/// (a tenth of the compile's time): the nesting is bounded before pest
/// reads a text, so the stack it takes is too.
fn pest_parse(
    rule: G,
    text: &str,
) -> std::result::Result<pest::iterators::Pairs<'_, G>, pest::error::Error<G>> {
    stacker::maybe_grow(PEST_STACK, PEST_STACK, || RuleGrammar::parse(rule, text))
}

/// Runs `f`, on a new stack segment if less than 128 KiB of the current one
/// is left (recursion over rule files and expression trees).
pub(crate) fn grow_stack<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(128 << 10, 4 << 20, f)
}

/// Children of a pair without the keywords (whose presence the rule implies).
fn parts(pair: Pair<'_, G>) -> impl Iterator<Item = Pair<'_, G>> {
    pair.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

impl Builder {
    fn new(file: FileId, base: usize) -> Builder {
        Builder {
            file,
            base,
            height: std::cell::Cell::new(0),
        }
    }

    fn span(&self, pair: &Pair<'_, G>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    /// The grammar guarantees the shape; a mismatch is a bug reported as a diagnostic, never a panic.
    fn shape(&self, pair: &Pair<'_, G>, what: &str) -> Diagnostic {
        Diagnostic::error(
            self.span(pair),
            format!("internal error: unexpected syntax for {what}"),
        )
        .with_help("please report this file to the lsa maintainers")
    }

    fn next<'i>(
        &self,
        it: &mut impl Iterator<Item = Pair<'i, G>>,
        parent: &Pair<'i, G>,
        what: &str,
    ) -> Result<Pair<'i, G>> {
        it.next().ok_or_else(|| self.shape(parent, what))
    }

    fn file(&self, root: Pair<'_, G>) -> Result<File> {
        let mut doc = Vec::new();
        let mut ruleset = None;
        let mut items = Vec::new();
        for p in root.into_inner() {
            match p.as_rule() {
                G::doc_comments => doc = docs(p),
                G::ruleset_decl => {
                    let parent = p.clone();
                    let mut it = parts(p);
                    ruleset = Some(self.ident(self.next(&mut it, &parent, "ruleset")?));
                }
                G::item => items.push(self.item(p)?),
                _ => {}
            }
        }
        let ruleset = ruleset
            .ok_or_else(|| Diagnostic::error(Span::new(self.file, 0, 0), "missing `ruleset`"))?;
        Ok(File {
            doc,
            ruleset,
            items,
        })
    }

    fn ident(&self, pair: Pair<'_, G>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn item(&self, pair: Pair<'_, G>) -> Result<Item> {
        let span = self.span(&pair);
        let parent = pair.clone();
        let mut it = pair.into_inner();
        let doc = docs(self.next(&mut it, &parent, "item")?);
        let body = self.next(&mut it, &parent, "item")?;
        let kind = match body.as_rule() {
            G::source_decl => {
                let parent = body.clone();
                let mut it = parts(body);
                let name = self.ident(self.next(&mut it, &parent, "source")?);
                let title = unquote(self.next(&mut it, &parent, "source")?.as_str());
                let url = it.next().map(|u| {
                    let s = u.as_str();
                    s.get(1..s.len().saturating_sub(1))
                        .unwrap_or("")
                        .to_string()
                });
                ItemKind::Source(SourceDecl { name, title, url })
            }
            G::in_force => ItemKind::InForce(self.in_force(body)?),
            G::enum_decl => {
                let parent = body.clone();
                let mut it = parts(body);
                let name = self.ident(self.next(&mut it, &parent, "enum")?);
                let mut variants = Vec::new();
                for v in it {
                    let vp = v.clone();
                    let mut vi = v.into_inner();
                    let doc = docs(self.next(&mut vi, &vp, "enum value")?);
                    let name = self.ident(self.next(&mut vi, &vp, "enum value")?);
                    variants.push(Variant { doc, name });
                }
                ItemKind::Enum(EnumDecl { name, variants })
            }
            G::record_decl => {
                let parent = body.clone();
                let mut it = parts(body);
                let name = self.ident(self.next(&mut it, &parent, "record")?);
                let mut fields = Vec::new();
                for f in it {
                    let fp = f.clone();
                    let mut fi = f.into_inner();
                    let doc = docs(self.next(&mut fi, &fp, "field")?);
                    let name = self.ident(self.next(&mut fi, &fp, "field")?);
                    let ty = self.type_expr(self.next(&mut fi, &fp, "field")?)?;
                    let mut constraints = Vec::new();
                    let mut protected = false;
                    for c in fi {
                        if c.as_rule() == G::kw_protected {
                            protected = true;
                        } else {
                            constraints.push(self.constraint(c)?);
                        }
                    }
                    fields.push(Field {
                        doc,
                        name,
                        ty,
                        constraints,
                        protected,
                    });
                }
                ItemKind::Record(RecordDecl { name, fields })
            }
            G::input_decl => {
                let parent = body.clone();
                let mut it = parts(body);
                let name = self.ident(self.next(&mut it, &parent, "input")?);
                let ty = self.type_expr(self.next(&mut it, &parent, "input")?)?;
                ItemKind::Input(InputDecl { name, ty })
            }
            G::param_decl => {
                let parent = body.clone();
                let mut it = parts(body);
                let name = self.ident(self.next(&mut it, &parent, "param")?);
                let ty = self.type_expr(self.next(&mut it, &parent, "param")?)?;
                let mut citation = None;
                let mut values = Vec::new();
                for p in it {
                    match p.as_rule() {
                        G::citation => citation = Some(self.citation(p)?),
                        G::param_value => {
                            let vp = p.clone();
                            let mut vi = parts(p);
                            let from = self.date(self.next(&mut vi, &vp, "param value")?);
                            let value = self.expr(self.next(&mut vi, &vp, "param value")?, 0)?;
                            values.push(ParamValue { from, value });
                        }
                        _ => return Err(self.shape(&p, "param")),
                    }
                }
                ItemKind::Param(ParamDecl {
                    name,
                    ty,
                    citation,
                    values,
                })
            }
            G::def_decl => {
                let parent = body.clone();
                let mut it = parts(body);
                let name = self.ident(self.next(&mut it, &parent, "def")?);
                let ty = self.type_expr(self.next(&mut it, &parent, "def")?)?;
                let (citation, body) = self.cited_expr(&mut it, &parent, "def")?;
                ItemKind::Def(DefDecl {
                    name,
                    ty,
                    citation,
                    body,
                })
            }
            G::decision_decl => ItemKind::Decision(Box::new(self.decision(body)?)),
            G::calendar_decl => ItemKind::Calendar(self.calendar(body)?),
            G::computation_decl => ItemKind::Computation(self.computation(body)?),
            G::applies_clause => {
                // The item's doc comment is the line's.
                let mut a = self.applies(body)?;
                if a.doc_mut().is_empty() {
                    *a.doc_mut() = doc.clone();
                }
                ItemKind::Applies(a)
            }
            G::selection_decl => ItemKind::Selection(self.selection(body)?),
            G::label_decl => ItemKind::Label(self.label(body, span)?),
            G::warn_decl => {
                let parent = body.clone();
                let mut it = parts(body);
                let name = self.ident(self.next(&mut it, &parent, "warn")?);
                let (citation, when) = self.cited_expr(&mut it, &parent, "warn")?;
                ItemKind::Warn(WarnDecl {
                    name,
                    citation,
                    when,
                })
            }
            _ => return Err(self.shape(&body, "declaration")),
        };
        Ok(Item { doc, kind, span })
    }

    fn decision(&self, pair: Pair<'_, G>) -> Result<DecisionDecl> {
        let parent = pair.clone();
        let mut it = parts(pair);
        let name = self.ident(self.next(&mut it, &parent, "decision")?);
        let ty = self.type_expr(self.next(&mut it, &parent, "decision")?)?;
        let mut d = DecisionDecl {
            name,
            ty,
            citation: None,
            in_force: None,
            applies: Vec::new(),
            policy: None,
            default: None,
            met_by: None,
            rules: Vec::new(),
        };
        for p in it {
            match p.as_rule() {
                G::citation => d.citation = Some(self.citation(p)?),
                G::decision_head => {
                    let hp = p.clone();
                    let head = self.next(&mut p.into_inner(), &hp, "decision")?;
                    match head.as_rule() {
                        G::in_force => d.in_force = Some(self.in_force(head)?),
                        G::applies_clause => d.applies.push(self.applies(head)?),
                        G::policy_clause => {
                            let cp = head.clone();
                            let name = self.next(&mut parts(head), &cp, "policy")?;
                            let policy = match name.as_str() {
                                "first" => Policy::First,
                                "collect" => Policy::Collect,
                                _ => Policy::Unique,
                            };
                            d.policy = Some((policy, self.span(&name)));
                        }
                        G::default_clause => {
                            let cp = head.clone();
                            d.default =
                                Some(self.expr(self.next(&mut parts(head), &cp, "default")?, 0)?);
                        }
                        G::met_clause => d.met_by = Some(self.met_by(head)?),
                        _ => return Err(self.shape(&head, "decision")),
                    }
                }
                G::rule_decl => d.rules.push(self.rule(p)?),
                _ => return Err(self.shape(&p, "decision")),
            }
        }
        Ok(d)
    }

    fn rule(&self, pair: Pair<'_, G>) -> Result<RuleDecl> {
        let span = self.span(&pair);
        let parent = pair.clone();
        let mut it = parts(pair);
        let doc = docs(self.next(&mut it, &parent, "rule")?);
        let head = self.next(&mut it, &parent, "rule")?;
        let is_exception = head.as_rule() == G::exception_head;
        let hp = head.clone();
        let mut hi = parts(head);
        let name = self.ident(self.next(&mut hi, &hp, "rule")?);
        let mut citation = None;
        let mut overrides = Vec::new();
        for p in hi {
            match p.as_rule() {
                G::citation => citation = Some(self.citation(p)?),
                G::ident => overrides.push(self.ident(p)),
                _ => return Err(self.shape(&p, "rule")),
            }
        }
        let mut next = self.next(&mut it, &parent, "rule")?;
        let mut in_force = None;
        if next.as_rule() == G::in_force {
            in_force = Some(self.in_force(next)?);
            next = self.next(&mut it, &parent, "rule")?;
        }
        let mut met_by = None;
        if next.as_rule() == G::met_clause {
            met_by = Some(self.met_by(next)?);
            next = self.next(&mut it, &parent, "rule")?;
        }
        let when = self.expr(next, 0)?;
        let then = self.expr(self.next(&mut it, &parent, "rule")?, 0)?;
        Ok(RuleDecl {
            doc,
            name,
            citation,
            overrides,
            is_exception,
            in_force,
            met_by,
            when,
            then,
            span,
        })
    }

    /// `met by FACT or FACT… [owed when CONDITION]`.
    fn met_by(&self, pair: Pair<'_, G>) -> Result<MetBy> {
        let mut span = self.span(&pair);
        let (mut facts, mut owed) = (Vec::new(), None);
        for p in parts(pair) {
            match p.as_rule() {
                G::postfix => facts.push(self.expr(p, 0)?),
                G::owed_clause => {
                    if let Some(e) = parts(p).next() {
                        owed = Some(self.expr(e, 0)?);
                    }
                }
                _ => {}
            }
        }
        // From `met` to the last fact, or the condition (not the white
        // space after it).
        if let Some(last) = owed.as_ref().or(facts.last()) {
            span.end = last.span.end;
        }
        Ok(MetBy { facts, owed, span })
    }

    fn constraint(&self, pair: Pair<'_, G>) -> Result<ConstraintDecl> {
        let parent = pair.clone();
        let body = self.next(&mut pair.into_inner(), &parent, "constraint")?;
        let span = self.span(&body);
        let bp = body.clone();
        match body.as_rule() {
            G::between_clause => {
                let mut it = parts(body);
                let low = self.expr(self.next(&mut it, &bp, "between")?, 0)?;
                let high = self.expr(self.next(&mut it, &bp, "between")?, 0)?;
                Ok(ConstraintDecl::Between { low, high, span })
            }
            G::matching_clause => {
                let pattern = unquote(self.next(&mut parts(body), &bp, "matching")?.as_str());
                Ok(ConstraintDecl::Matching { pattern, span })
            }
            _ => Err(self.shape(&bp, "constraint")),
        }
    }

    fn computation(&self, pair: Pair<'_, G>) -> Result<ComputationDecl> {
        let parent = pair.clone();
        let mut it = parts(pair);
        let name = self.ident(self.next(&mut it, &parent, "computation")?);
        let mut c = ComputationDecl {
            name,
            sources: Vec::new(),
            citation: None,
            clauses: Vec::new(),
        };
        for p in it {
            match p.as_rule() {
                G::ident => c.sources.push(self.ident(p)),
                G::citation => c.citation = Some(self.citation(p)?),
                G::computation_clause => {
                    let cp = p.clone();
                    let mut ci = p.into_inner();
                    let doc = docs(self.next(&mut ci, &cp, "clause")?);
                    let name = self.ident(self.next(&mut ci, &cp, "clause")?);
                    let citation = self.citation(self.next(&mut ci, &cp, "clause")?)?;
                    c.clauses.push(ClauseDecl {
                        doc,
                        name,
                        citation,
                    });
                }
                _ => return Err(self.shape(&p, "computation")),
            }
        }
        Ok(c)
    }

    fn selection(&self, pair: Pair<'_, G>) -> Result<SelectionDecl> {
        let parent = pair.clone();
        let mut it = parts(pair);
        let name = self.ident(self.next(&mut it, &parent, "selection")?);
        let mut next = self.next(&mut it, &parent, "selection")?;
        let mut citation = None;
        if next.as_rule() == G::citation {
            citation = Some(self.citation(next)?);
            next = self.next(&mut it, &parent, "selection")?;
        }
        let among = self.expr(next, 0)?;
        let mut sel = SelectionDecl {
            name,
            citation,
            among,
            keys: Vec::new(),
            take: None,
        };
        for p in it {
            match p.as_rule() {
                G::order_key => {
                    let span = self.span(&p);
                    let kp = p.clone();
                    let mut ki = parts(p);
                    let doc = docs(self.next(&mut ki, &kp, "key")?);
                    let expr = self.expr(self.next(&mut ki, &kp, "key")?, 0)?;
                    let direction = self.next(&mut ki, &kp, "key")?;
                    let citation = match ki.next() {
                        Some(c) => Some(self.citation(c)?),
                        None => None,
                    };
                    sel.keys.push(OrderKey {
                        doc,
                        expr,
                        descending: direction.as_str() == "descending",
                        citation,
                        span,
                    });
                }
                G::take_clause => {
                    let tp = p.clone();
                    let mut ti = parts(p);
                    sel.take = Some(self.expr(self.next(&mut ti, &tp, "take")?, 0)?);
                }
                _ => return Err(self.shape(&p, "selection")),
            }
        }
        Ok(sel)
    }

    fn label(&self, pair: Pair<'_, G>, span: Span) -> Result<LabelDecl> {
        let parent = pair.clone();
        let mut it = parts(pair);
        let target_pair = self.next(&mut it, &parent, "label")?;
        let first = target_pair.clone().into_inner().next();
        let target = match first {
            Some(p) if p.as_rule() == G::kw_holiday => {
                let name = target_pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == G::string)
                    .ok_or_else(|| self.shape(&target_pair, "label"))?;
                LabelTarget::Holiday(unquote(name.as_str()))
            }
            // `"LTU"`: a text value.
            Some(p) if p.as_rule() == G::string => LabelTarget::Text(unquote(p.as_str())),
            // `ruleset.applies`: the words of a file's `applies` line.
            _ => LabelTarget::Path(
                target_pair
                    .into_inner()
                    .filter(|p| matches!(p.as_rule(), G::ident | G::kw_applies))
                    .map(|p| self.ident(p))
                    .collect(),
            ),
        };
        let mut texts = Vec::new();
        for t in it {
            let tspan = self.span(&t);
            let tp = t.clone();
            let mut ti = parts(t);
            let lang = self.next(&mut ti, &tp, "label")?;
            let label = self.next(&mut ti, &tp, "label")?;
            let ask = ti.next().map(|a| unquote(a.as_str()));
            texts.push(LabelText {
                lang: crate::lang::Lang::from_code(lang.as_str()).unwrap_or_default(),
                label: unquote(label.as_str()),
                ask,
                span: tspan,
            });
        }
        Ok(LabelDecl {
            target,
            texts,
            span,
        })
    }

    /// An optional citation, then an expression (a def's value, the
    /// condition of `applies` or `warn`).
    fn cited_expr<'i>(
        &self,
        it: &mut impl Iterator<Item = Pair<'i, G>>,
        parent: &Pair<'i, G>,
        what: &str,
    ) -> Result<(Option<Citation>, Expr)> {
        let mut next = self.next(it, parent, what)?;
        let mut citation = None;
        if next.as_rule() == G::citation {
            citation = Some(self.citation(next)?);
            next = self.next(it, parent, what)?;
        }
        Ok((citation, self.expr(next, 0)?))
    }

    fn applies(&self, pair: Pair<'_, G>) -> Result<AppliesLine> {
        let span = self.span(&pair);
        let parent = pair.clone();
        let mut it = parts(pair);
        let doc = docs(self.next(&mut it, &parent, "applies")?);
        let body = self.next(&mut it, &parent, "applies")?;
        if body.as_rule() == G::applies_use {
            let bp = body.clone();
            let names: Vec<Ident> = parts(body).map(|p| self.ident(p)).collect();
            // The line ends with its name (pest's span would take the
            // blanks after it too).
            let span = Span {
                end: names.last().map_or(span.end, |n| n.span.end),
                ..span
            };
            let mut names = names.into_iter();
            let first = names.next().ok_or_else(|| self.shape(&bp, "applies"))?;
            return Ok(AppliesLine::Use(match names.next() {
                Some(name) => AppliesUse {
                    doc,
                    ruleset: Some(first),
                    name,
                    span,
                },
                None => AppliesUse {
                    doc,
                    ruleset: None,
                    name: first,
                    span,
                },
            }));
        }
        let bp = body.clone();
        let mut it = parts(body).peekable();
        let name = match it.peek() {
            Some(p) if p.as_rule() == G::ident => it.next().map(|p| self.ident(p)),
            _ => None,
        };
        let (citation, when) = self.cited_expr(&mut it, &bp, "applies")?;
        let otherwise = unquote(self.next(&mut it, &bp, "applies")?.as_str());
        // `applies`, its name and its citation: where a message points.
        let keyword = parent
            .into_inner()
            .find(|p| p.as_rule() == G::kw_applies)
            .map_or(span, |k| self.span(&k));
        let head = Span {
            end: citation
                .as_ref()
                .map(|c| c.span.end)
                .or(name.as_ref().map(|n| n.span.end))
                .unwrap_or(keyword.end),
            ..keyword
        };
        Ok(AppliesLine::Line(AppliesDecl {
            doc,
            name,
            citation,
            when,
            otherwise,
            span,
            head,
        }))
    }

    fn calendar(&self, pair: Pair<'_, G>) -> Result<CalendarDecl> {
        let parent = pair.clone();
        let mut it = parts(pair);
        let name = self.ident(self.next(&mut it, &parent, "calendar")?);
        let mut c = CalendarDecl {
            name,
            title: None,
            citation: None,
            holidays: Vec::new(),
        };
        for p in it {
            match p.as_rule() {
                G::string => c.title = Some(unquote(p.as_str())),
                G::citation => c.citation = Some(self.citation(p)?),
                G::holiday => c.holidays.push(self.holiday(p)?),
                _ => return Err(self.shape(&p, "calendar")),
            }
        }
        Ok(c)
    }

    fn holiday(&self, pair: Pair<'_, G>) -> Result<HolidayDecl> {
        let span = self.span(&pair);
        let parent = pair.clone();
        let mut it = parts(pair);
        let doc = docs(self.next(&mut it, &parent, "holiday")?);
        let name = unquote(self.next(&mut it, &parent, "holiday")?.as_str());
        let mut h = HolidayDecl {
            doc,
            name,
            citation: None,
            rule: DayRule::Easter { offset: 0 },
            in_force: None,
            span,
        };
        for p in it {
            match p.as_rule() {
                G::citation => h.citation = Some(self.citation(p)?),
                G::in_force => h.in_force = Some(self.in_force(p)?),
                G::day_rule => h.rule = self.day_rule(p)?,
                _ => return Err(self.shape(&p, "holiday")),
            }
        }
        Ok(h)
    }

    fn day_rule(&self, pair: Pair<'_, G>) -> Result<DayRule> {
        let parent = pair.clone();
        let body = self.next(&mut pair.into_inner(), &parent, "holiday date")?;
        let bp = body.clone();
        let rule = body.as_rule();
        let words: Vec<Pair<'_, G>> = parts(body).collect();
        let word = |i: usize| words.get(i).map(|p| p.as_str()).unwrap_or("");
        match rule {
            G::fixed_day_rule => {
                let day: u8 = word(0).parse().unwrap_or(0);
                let month = month_number(word(1));
                if day == 0 || day > 31 {
                    return Err(Diagnostic::error(
                        self.span(&bp),
                        format!("`{}` is not a day of a month", word(0)),
                    ));
                }
                Ok(DayRule::Fixed { day, month })
            }
            G::nth_weekday_rule => Ok(DayRule::NthWeekday {
                nth: match word(0) {
                    "first" => 1,
                    "second" => 2,
                    "third" => 3,
                    "fourth" => 4,
                    _ => 5,
                },
                weekday: weekday_number(word(1)),
                month: month_number(word(2)),
            }),
            G::easter_rule => {
                let mut offset = 0i16;
                if let Some(off) = words.first() {
                    let o: Vec<&str> = off.clone().into_inner().map(|p| p.as_str()).collect();
                    let n: i16 = o.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
                    offset = if o.first() == Some(&"-") { -n } else { n };
                }
                Ok(DayRule::Easter { offset })
            }
            _ => Err(self.shape(&bp, "holiday date")),
        }
    }

    fn in_force(&self, pair: Pair<'_, G>) -> Result<InForce> {
        let span = self.span(&pair);
        let parent = pair.clone();
        let mut it = parts(pair);
        let from = self.date(self.next(&mut it, &parent, "in force")?);
        let until = it.next().map(|p| self.date(p));
        Ok(InForce { from, until, span })
    }

    fn date(&self, pair: Pair<'_, G>) -> DateLit {
        DateLit {
            text: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn citation(&self, pair: Pair<'_, G>) -> Result<Citation> {
        let span = self.span(&pair);
        let mut cites = Vec::new();
        for c in pair.into_inner() {
            let cp = c.clone();
            let mut it = c.into_inner();
            let source = self.ident(self.next(&mut it, &cp, "citation")?);
            let pinpoint = self
                .next(&mut it, &cp, "citation")?
                .as_str()
                .trim()
                .to_string();
            cites.push(Cite { source, pinpoint });
        }
        Ok(Citation { cites, span })
    }

    fn type_expr(&self, pair: Pair<'_, G>) -> Result<TypeExpr> {
        let span = self.span(&pair);
        let parent = pair.clone();
        let mut it = parts(pair);
        let first = self.next(&mut it, &parent, "type")?;
        let kind = match first.as_rule() {
            G::list_type => {
                let lp = first.clone();
                TypeKind::List(Box::new(self.type_expr(self.next(
                    &mut parts(first),
                    &lp,
                    "list type",
                )?)?))
            }
            _ => TypeKind::Named(self.ident(first)),
        };
        let optional = it.next().is_some();
        Ok(TypeExpr {
            kind,
            optional,
            span,
        })
    }

    /// Builds an expression, checking its height.
    fn expr(&self, pair: Pair<'_, G>, depth: usize) -> Result<Expr> {
        let span = self.span(&pair);
        // Each level of a deep expression takes several frames (large ones
        // in a debug build): the stack grows where it runs short, so a file
        // within the nesting limits parses on any thread.
        let e = grow_stack(|| self.expr_inner(pair, depth))?;
        if self.height.get() > MAX_HEIGHT {
            return Err(
                Diagnostic::error(span, "expression nested too deeply").with_help(format!(
                    "at most {MAX_HEIGHT} levels of operators are allowed; name parts with `def`s"
                )),
            );
        }
        Ok(e)
    }

    /// Builds a sub-expression and returns its height with it.
    fn sub(&self, pair: Pair<'_, G>, depth: usize) -> Result<(Expr, usize)> {
        let e = self.expr(pair, depth)?;
        Ok((e, self.height.get()))
    }

    /// A call: the name, and its arguments (`call`, what follows the name).
    fn call(&self, name: Ident, pair: Pair<'_, G>, span: Span, depth: usize) -> Result<Expr> {
        let mut args = Vec::new();
        let mut height = 0;
        for a in pair.into_inner() {
            let ap = a.clone();
            let mut ai = a.into_inner();
            let first = self.next(&mut ai, &ap, "argument")?;
            let (name, value) = if first.as_rule() == G::arg_name {
                (
                    Some(self.ident(first)),
                    self.next(&mut ai, &ap, "argument")?,
                )
            } else {
                (None, first)
            };
            let (value, h) = self.sub(value, depth + 1)?;
            height = height.max(h);
            args.push(Arg { name, value });
        }
        self.grow(height + 1, span)?;
        Ok(Expr {
            kind: ExprKind::Call { name, args },
            span,
        })
    }

    /// Records the height of the tree being built; stops at once past the limit.
    fn grow(&self, height: usize, span: Span) -> Result<()> {
        self.height.set(height);
        if height > MAX_HEIGHT {
            return Err(
                Diagnostic::error(span, "expression nested too deeply").with_help(format!(
                    "at most {MAX_HEIGHT} levels of operators are allowed; name parts with `def`s"
                )),
            );
        }
        Ok(())
    }

    /// A chain read flat by the grammar (`logic`, `arith`): operands, each
    /// after its prefixes (`not`, unary `-`), and the operators between
    /// them. Built as one rule for each level of precedence built it: the
    /// runs of the tighter operators (`and`; `*`, `/`) first, each left to
    /// right, then the looser ones (`or`; `+`, `-`) over them, left to
    /// right; a prefixed operand spans from its first prefix, a run from
    /// its first operand to its last, a binary from its left to its right;
    /// heights, the limit's checks and their spans as they were.
    fn chain(&self, pair: Pair<'_, G>, depth: usize, chain: Chain) -> Result<Expr> {
        let whole = self.span(&pair);
        let parent = pair.clone();
        let mut inner = pair.into_inner();
        let first = self.next(&mut inner, &parent, "expression")?;
        let Some(second) = inner.next() else {
            // One operand, without prefixes: the chain is that operand.
            return self.expr(first, depth);
        };
        let items: Vec<Pair<'_, G>> = [first, second].into_iter().chain(inner).collect();
        // Each operand: where its prefixes start, and its own pair.
        let mut operands: Vec<(usize, usize)> = Vec::new();
        let mut ops: Vec<BinOp> = Vec::new();
        let mut prefix_from = None;
        for (i, p) in items.iter().enumerate() {
            let rule = p.as_rule();
            if rule == chain.prefix() {
                prefix_from.get_or_insert(i);
            } else if let Some(op) = chain.op(rule, p.as_str()) {
                ops.push(op);
            } else {
                operands.push((prefix_from.take().unwrap_or(i), i));
            }
        }
        if operands.len() != ops.len() + 1 {
            return Err(self.shape(&parent, "expression"));
        }
        let start = |i: usize| items.get(i).map_or(whole.start, |p| self.span(p).start);
        let end = |i: usize| items.get(i).map_or(whole.end, |p| self.span(p).end);
        let operand = |k: usize| -> Result<(Expr, usize)> {
            let (from, at) = operands.get(k).copied().unwrap_or_default();
            let core = items
                .get(at)
                .cloned()
                .ok_or_else(|| self.shape(&parent, "expression"))?;
            let (mut e, h) = self.sub(core, depth)?;
            let prefixes = at - from;
            if prefixes == 0 {
                return Ok((e, h));
            }
            let span = Span {
                file: self.file,
                start: start(from),
                end: end(at),
            };
            self.grow(h + prefixes, span)?;
            for _ in 0..prefixes {
                e = Expr {
                    kind: chain.prefixed(e),
                    span,
                };
            }
            Ok((e, h + prefixes))
        };
        let mut loose: Option<(Expr, usize)> = None;
        let mut k = 0;
        while k < operands.len() {
            // The run of tighter operators from operand `k`.
            let mut last = k;
            while ops.get(last).is_some_and(|op| chain.binds_tighter(*op)) {
                last += 1;
            }
            let run = Span {
                file: self.file,
                start: start(operands.get(k).map_or(0, |o| o.0)),
                end: end(operands.get(last).map_or(0, |o| o.1)),
            };
            let (mut acc, mut height) = operand(k)?;
            for j in k..last {
                let (right, h) = operand(j + 1)?;
                height = height.max(h) + 1;
                self.grow(height, run)?;
                acc = binary(ops.get(j).copied().unwrap_or(BinOp::And), acc, right);
            }
            loose = Some(match loose {
                None => (acc, height),
                Some((left, lh)) => {
                    let height = lh.max(height) + 1;
                    self.grow(height, whole)?;
                    let op = ops.get(k - 1).copied().unwrap_or(BinOp::Or);
                    (binary(op, left, acc), height)
                }
            });
            k = last + 1;
        }
        let (e, height) = loose.ok_or_else(|| self.shape(&parent, "expression"))?;
        self.height.set(height);
        Ok(e)
    }

    fn expr_inner(&self, pair: Pair<'_, G>, depth: usize) -> Result<Expr> {
        let span = self.span(&pair);
        if depth > MAX_NESTING {
            return Err(
                Diagnostic::error(span, "expression nested too deeply").with_help(format!(
                    "at most {MAX_NESTING} levels are allowed; name a part with a `def`"
                )),
            );
        }
        let rule = pair.as_rule();
        let parent = pair.clone();
        match rule {
            G::expr | G::primary => {
                let parenthesised = rule == G::primary && pair.as_str().starts_with('(');
                let mut it = parts(pair);
                let inner = self.next(&mut it, &parent, "expression")?;
                if let Some(args) = it.next() {
                    // A name with its arguments: a call.
                    return self.call(self.ident(inner), args, span, depth);
                }
                // Brackets are a level of nesting; the rules around an
                // expression are not.
                let e = self.expr(inner, depth + usize::from(parenthesised))?;
                // A parenthesised expression keeps its brackets in its span, so the
                // text of an enclosing expression is balanced.
                Ok(if parenthesised { Expr { span, ..e } } else { e })
            }
            G::if_expr => {
                let mut it = parts(pair);
                let (c, hc) = self.sub(self.next(&mut it, &parent, "if")?, depth + 1)?;
                let (a, ha) = self.sub(self.next(&mut it, &parent, "if")?, depth + 1)?;
                let (b, hb) = self.sub(self.next(&mut it, &parent, "if")?, depth + 1)?;
                self.grow(hc.max(ha).max(hb) + 1, span)?;
                Ok(Expr {
                    kind: ExprKind::If(Box::new(c), Box::new(a), Box::new(b)),
                    span,
                })
            }
            G::logic => self.chain(pair, depth, Chain::Logic),
            G::arith => self.chain(pair, depth, Chain::Arith),
            G::cmp_expr => {
                let mut it = pair.into_inner();
                let (left, hl) = self.sub(self.next(&mut it, &parent, "comparison")?, depth)?;
                let Some(op) = it.next() else {
                    self.height.set(hl);
                    return Ok(left);
                };
                let op = match op.as_str() {
                    "==" => BinOp::Eq,
                    "!=" => BinOp::Ne,
                    "<=" => BinOp::Le,
                    ">=" => BinOp::Ge,
                    "<" => BinOp::Lt,
                    ">" => BinOp::Gt,
                    "in" => BinOp::In,
                    _ => BinOp::NotIn,
                };
                let (right, hr) = self.sub(self.next(&mut it, &parent, "comparison")?, depth)?;
                self.grow(hl.max(hr) + 1, span)?;
                Ok(binary(op, left, right))
            }
            G::postfix => {
                let mut it = pair.into_inner();
                let (mut e, mut height) =
                    self.sub(self.next(&mut it, &parent, "expression")?, depth)?;
                for field in it {
                    height += 1;
                    self.grow(height, span)?;
                    let f = self.ident(field);
                    let span = Span {
                        start: e.span.start,
                        end: f.span.end,
                        file: self.file,
                    };
                    e = Expr {
                        kind: ExprKind::Field(Box::new(e), f),
                        span,
                    };
                }
                self.height.set(height);
                Ok(e)
            }
            G::ident => {
                self.height.set(1);
                Ok(Expr {
                    kind: ExprKind::Name(self.ident(pair)),
                    span,
                })
            }
            G::list_lit => {
                let mut height = 0;
                let mut items = Vec::new();
                for p in pair.into_inner() {
                    let (e, h) = self.sub(p, depth + 1)?;
                    height = height.max(h);
                    items.push(e);
                }
                self.grow(height + 1, span)?;
                Ok(Expr {
                    kind: ExprKind::List(items),
                    span,
                })
            }
            G::quantifier => {
                let mut it = parts(pair);
                let kind = match self.next(&mut it, &parent, "quantifier")?.as_str() {
                    "any" => QuantKind::Any,
                    "all" => QuantKind::All,
                    "count" => QuantKind::Count,
                    "sum" => QuantKind::Sum,
                    "min" => QuantKind::Min,
                    "max" => QuantKind::Max,
                    "first" => QuantKind::First,
                    _ => QuantKind::Those,
                };
                let var = self.ident(self.next(&mut it, &parent, "quantifier")?);
                let (list, hl) = self.sub(self.next(&mut it, &parent, "quantifier")?, depth + 1)?;
                let (body, hb) = self.sub(self.next(&mut it, &parent, "quantifier")?, depth + 1)?;
                let mut height = hl.max(hb);
                let mut keys = Vec::new();
                for kp in it {
                    let parent = kp.clone();
                    let mut ki = parts(kp);
                    let (key, hk) = self.sub(self.next(&mut ki, &parent, "key")?, depth + 1)?;
                    let direction = self.next(&mut ki, &parent, "key")?;
                    height = height.max(hk);
                    keys.push(ListKey {
                        key,
                        descending: direction.as_str() == "descending",
                    });
                }
                self.grow(height + 1, span)?;
                Ok(Expr {
                    kind: ExprKind::Quant {
                        kind,
                        var,
                        list: Box::new(list),
                        body: Box::new(body),
                        keys,
                    },
                    span,
                })
            }
            G::literal => {
                let inner = self.next(&mut pair.into_inner(), &parent, "literal")?;
                let lit = self.literal(inner)?;
                self.height.set(1);
                Ok(Expr {
                    kind: ExprKind::Lit(lit),
                    span,
                })
            }
            _ => Err(self.shape(&pair, "expression")),
        }
    }

    fn literal(&self, pair: Pair<'_, G>) -> Result<Literal> {
        let parent = pair.clone();
        Ok(match pair.as_rule() {
            G::kw_true => Literal::Bool(true),
            G::kw_false => Literal::Bool(false),
            G::date_lit => Literal::Date(pair.as_str().to_string()),
            G::number => Literal::Number(pair.as_str().to_string()),
            G::string => Literal::Text(unquote(pair.as_str())),
            G::percent_lit => Literal::Percent(
                self.next(&mut pair.into_inner(), &parent, "percent")?
                    .as_str()
                    .to_string(),
            ),
            G::money_lit => {
                let mut it = pair.into_inner();
                let amount = self.next(&mut it, &parent, "money")?.as_str().to_string();
                let currency = self.next(&mut it, &parent, "money")?.as_str().to_string();
                Literal::Money { amount, currency }
            }
            G::duration_lit => {
                let mut it = pair.into_inner();
                let amount = self
                    .next(&mut it, &parent, "duration")?
                    .as_str()
                    .to_string();
                let unit_pair = self.next(&mut it, &parent, "duration")?;
                let unit = DurationUnit::parse(unit_pair.as_str())
                    .ok_or_else(|| self.shape(&unit_pair, "unit of time"))?;
                Literal::Duration { amount, unit }
            }
            _ => return Err(self.shape(&pair, "literal")),
        })
    }
}

/// The two chains the grammar reads flat.
#[derive(Clone, Copy)]
enum Chain {
    /// Comparisons with their `not`s, joined by `and` and `or`.
    Logic,
    /// Operands with their unary minuses, joined by `*`, `/`, `+` and `-`.
    Arith,
}

impl Chain {
    /// The prefix of an operand.
    fn prefix(self) -> G {
        match self {
            Chain::Logic => G::kw_not,
            Chain::Arith => G::neg,
        }
    }

    /// The operator a pair of the chain is, if it is one.
    fn op(self, rule: G, text: &str) -> Option<BinOp> {
        Some(match (self, rule) {
            (Chain::Logic, G::kw_and) => BinOp::And,
            (Chain::Logic, G::kw_or) => BinOp::Or,
            (Chain::Arith, G::add_op) if text == "+" => BinOp::Add,
            (Chain::Arith, G::add_op) => BinOp::Sub,
            (Chain::Arith, G::mul_op) if text == "*" => BinOp::Mul,
            (Chain::Arith, G::mul_op) => BinOp::Div,
            _ => return None,
        })
    }

    /// Whether an operator of the chain binds tighter than the others.
    fn binds_tighter(self, op: BinOp) -> bool {
        matches!(op, BinOp::And | BinOp::Mul | BinOp::Div)
    }

    /// An operand under one prefix.
    fn prefixed(self, e: Expr) -> ExprKind {
        match self {
            Chain::Logic => ExprKind::Not(Box::new(e)),
            Chain::Arith => ExprKind::Neg(Box::new(e)),
        }
    }
}

fn binary(op: BinOp, left: Expr, right: Expr) -> Expr {
    let span = Span {
        file: left.span.file,
        start: left.span.start,
        end: right.span.end,
    };
    Expr {
        kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
        span,
    }
}

fn docs(pair: Pair<'_, G>) -> Vec<String> {
    pair.into_inner()
        .map(|l| {
            let text = l.as_str().trim_start_matches("///");
            text.strip_prefix(' ')
                .unwrap_or(text)
                .trim_end()
                .to_string()
        })
        .collect()
}

/// The text of a string literal: quotes removed, `\"` and `\\` unescaped.
fn unquote(s: &str) -> String {
    let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn month_number(name: &str) -> u8 {
    crate::lang::EN_MONTHS
        .iter()
        .position(|m| *m == name)
        .map(|i| i as u8 + 1)
        .unwrap_or(1)
}

fn weekday_number(name: &str) -> u8 {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    DAYS.iter()
        .position(|d| *d == name)
        .map(|i| i as u8 + 1)
        .unwrap_or(1)
}

pub(crate) fn month_name(month: u8) -> &'static str {
    match month {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        _ => "December",
    }
}

pub(crate) fn weekday_name(day: u8) -> &'static str {
    match day {
        1 => "Monday",
        2 => "Tuesday",
        3 => "Wednesday",
        4 => "Thursday",
        5 => "Friday",
        6 => "Saturday",
        _ => "Sunday",
    }
}
