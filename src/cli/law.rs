//! Which law a command uses. Like cargo finding `Cargo.toml`: the rule tree
//! `--rules` names, else the one found from the current folder upwards (a
//! project file `lsa.yaml` naming it, or a `rules/` folder of `.rules`
//! files), else the law compiled into lsa. A command says on standard error
//! which tree it uses when it is not the built-in law, and every output names
//! the law by its hash (and git revision, where there is one).

use std::path::{Path, PathBuf};

use super::{compile_or_report, read_rule_tree, Failure, Result};
use crate::check::{source_hash, Program, Provenance};
use crate::lang::Lang;
use crate::record::{self, Format};

/// The project file that names a project's rule tree and its tests.
pub(crate) const PROJECT_FILE: &str = "lsa.yaml";

/// A rule tree on disk.
pub(crate) struct Tree {
    /// The folder of its `.rules` files (or one file).
    pub rules: PathBuf,
    /// Its expectation files (`tests/law` beside `rules/`, or as the project
    /// file says), if it has any.
    pub tests: Option<PathBuf>,
    /// How it was found.
    pub how: How,
}

/// How a rule tree was found, as [`announce`] says it.
#[derive(Clone, Debug)]
pub(crate) enum How {
    /// `--rules`.
    Flag,
    /// A `rules/` folder in this folder (shown) or above it.
    Found(String),
    /// A project file (shown).
    NamedBy(String),
    /// Named as an argument (`lsa diff --old DIR`).
    Named,
}

impl How {
    fn words(&self, lang: Lang) -> String {
        match (self, lang) {
            (How::Flag, Lang::En) => "--rules".into(),
            (How::Flag, Lang::Lt) => "nurodytos --rules".into(),
            (How::Found(dir), Lang::En) => format!("found in {dir}"),
            (How::Found(dir), Lang::Lt) => format!("rastos aplanke {dir}"),
            (How::NamedBy(file), Lang::En) => format!("named by {file}"),
            (How::NamedBy(file), Lang::Lt) => format!("nurodytos faile {file}"),
            (How::Named, Lang::En) => "named".into(),
            (How::Named, Lang::Lt) => "nurodytos".into(),
        }
    }
}

/// The tree `--rules` names, else the one found from the current folder.
pub(crate) fn find(flag: Option<&Path>) -> Result<Option<Tree>> {
    if let Some(rules) = flag {
        // Its tests, as for a `rules/` folder found: `tests/law` beside it.
        let tests = rules
            .parent()
            .map(|p| p.join("tests").join("law"))
            .filter(|t| t.is_dir());
        return Ok(Some(Tree {
            rules: rules.to_path_buf(),
            tests,
            how: How::Flag,
        }));
    }
    let here =
        std::env::current_dir().map_err(|e| Failure::Io(format!("the current folder: {e}")))?;
    for dir in here.ancestors() {
        let project = dir.join(PROJECT_FILE);
        if project.is_file() {
            return project_tree(&project).map(Some);
        }
        let rules = dir.join("rules");
        if rules.is_dir() && has_rule_files(&rules) {
            let tests = dir.join("tests").join("law");
            // Named as from here, so diagnostics read `rules/…:12:3`.
            return Ok(Some(Tree {
                how: How::Found(shown(dir)),
                rules: PathBuf::from(shown(&rules)),
                tests: tests.is_dir().then(|| PathBuf::from(shown(&tests))),
            }));
        }
    }
    Ok(None)
}

/// A tree named by a project file (`rules: DIR`, `tests: DIR`, relative to it).
fn project_tree(file: &Path) -> Result<Tree> {
    let name = file.display().to_string();
    let text = super::read_text(file)?;
    let doc = record::read_document(&text, Format::Yaml, &name)
        .map_err(|e| Failure::Io(e.to_string()))?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let folder = |key: &str| -> Result<Option<PathBuf>> {
        match doc.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(dir.join(s))),
            Some(_) => Err(Failure::Io(format!(
                "{name}: `{key}` names a folder, like `{key}: {key}`"
            ))),
        }
    };
    if let Some(obj) = doc.as_object() {
        if let Some(k) = obj
            .keys()
            .find(|k| !["rules", "tests"].contains(&k.as_str()))
        {
            return Err(Failure::Io(format!(
                "{name}: unknown key `{k}` (a project file gives `rules:` and `tests:`)"
            )));
        }
    }
    let rules = folder("rules")?
        .ok_or_else(|| Failure::Io(format!("{name}: give the rule tree: `rules: rules`")))?;
    Ok(Tree {
        rules: PathBuf::from(shown(&rules)),
        tests: folder("tests")?.map(|t| PathBuf::from(shown(&t))),
        how: How::NamedBy(shown(file)),
    })
}

/// Whether a folder has a `.rules` file somewhere below it (a few levels).
fn has_rule_files(dir: &Path) -> bool {
    fn below(dir: &Path, depth: usize) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        entries.filter_map(|e| e.ok()).any(|e| {
            let p = e.path();
            if p.is_dir() {
                depth > 0 && below(&p, depth - 1)
            } else {
                p.extension().is_some_and(|x| x == "rules")
            }
        })
    }
    below(dir, 4)
}

/// A path as the user would type it: relative to the current folder where
/// it is below it.
pub(crate) fn shown(p: &Path) -> String {
    let here = std::env::current_dir().ok();
    let rel = here.as_deref().and_then(|h| p.strip_prefix(h).ok());
    match rel {
        Some(r) if r.as_os_str().is_empty() => ".".into(),
        Some(r) => r.display().to_string(),
        None => p.display().to_string(),
    }
}

/// Compiles the law a command uses and says which it is (see the module).
pub(crate) fn load(flag: Option<&Path>, lang: Lang) -> Result<Program> {
    load_from(find(flag)?.as_ref(), lang)
}

/// Compiles a tree found (or the built-in law, without one).
pub(crate) fn load_from(tree: Option<&Tree>, lang: Lang) -> Result<Program> {
    match tree {
        Some(tree) => load_tree(tree, lang),
        None => {
            let compiled = crate::shipped::compile();
            compiled.program.ok_or_else(|| {
                super::print_diagnostics(&crate::shipped::compile(), super::ErrorFormat::Human);
                Failure::Rules
            })
        }
    }
}

/// Compiles a tree on disk, with its provenance, saying on standard error
/// (in `lang`) that it is used.
pub(crate) fn load_tree(tree: &Tree, lang: Lang) -> Result<Program> {
    let files = read_rule_tree(&tree.rules)?;
    announce(tree, lang);
    let mut program = compile_or_report(&files, &tree.rules.display().to_string())?;
    program.provenance = provenance(&tree.rules, &files);
    Ok(program)
}

/// Reads and compiles a tree again (for `lsa serve` on SIGHUP): the
/// program, or every diagnostic in words.
pub(crate) fn reload_tree(tree: &Tree) -> std::result::Result<Program, String> {
    let files = read_rule_tree(&tree.rules).map_err(|f| match f {
        Failure::Io(m) => m,
        _ => "the rules cannot be read".into(),
    })?;
    let compiled = crate::check::compile(&files);
    match compiled.program {
        Some(mut program) => {
            program.provenance = provenance(&tree.rules, &files);
            Ok(program)
        }
        None => Err(compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| compiled.files.render(d))
            .collect::<Vec<_>>()
            .join("")),
    }
}

/// Says which tree a command uses (on standard error: outputs stay clean),
/// in the command's language.
pub(crate) fn announce(tree: &Tree, lang: Lang) {
    let (rules, how, version) = (
        shown(&tree.rules),
        tree.how.words(lang),
        crate::explain::LSA_VERSION,
    );
    match lang {
        Lang::En => errln!("lsa: using the rules in {rules} ({how}); lsa {version}"),
        Lang::Lt => errln!("lsa: naudojamos taisyklės iš {rules} ({how}); lsa {version}"),
    }
}

/// The identity of a tree on disk: the hash of its files (named relative to
/// it) and its git revision, where it is in a git checkout.
pub(crate) fn provenance(root: &Path, files: &[(String, String)]) -> Provenance {
    let base = root.display().to_string();
    let relative: Vec<(String, &str)> = files
        .iter()
        .map(|(name, text)| {
            let rel = name
                .strip_prefix(&base)
                .map(|r| r.trim_start_matches(['/', '\\']))
                .unwrap_or(name)
                .replace('\\', "/");
            (rel, text.as_str())
        })
        .collect();
    Provenance {
        hash: source_hash(&relative),
        revision: git_revision(root),
        origin: shown(root),
    }
}

/// The git revision of the checkout a folder is in, `+` where the folder has
/// uncommitted changes; `None` outside git (or without git).
fn git_revision(dir: &Path) -> Option<String> {
    let dir = if dir.is_file() { dir.parent()? } else { dir };
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let head = git(&["rev-parse", "--short=12", "HEAD"])?;
    let dirty = git(&["status", "--porcelain", "--", "."]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{head}+") } else { head })
}

/// The law in words, for the head of text outputs, in `lang`.
pub(crate) fn describe(p: &Provenance, lang: crate::lang::Lang) -> String {
    crate::explain::law_text_in(p, lang)
}
