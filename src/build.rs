//! The build script (Cargo.toml: `build = "src/build.rs"`). Compiles the shipped law into the binary: every `rules/**/*.rules` file, and
//! the shipped expectation files `tests/law/**/*.yaml` that `lsa test` runs by
//! default, as (relative path, text) pairs in a generated module.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, ext, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(path);
        }
    }
}

fn emit(out: &mut String, name: &str, root: &Path, ext: &str) {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, ext, &mut files);
    out.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(root)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    out.push_str("];\n");
}

/// The git revision of the checkout, with `+` if `rules/` has uncommitted
/// changes; `None` outside git.
fn revision(manifest: &Path) -> Option<String> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(manifest)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let head = git(&["rev-parse", "--short=12", "HEAD"])?;
    let dirty = git(&["status", "--porcelain", "--", "rules"]).is_some_and(|s| !s.is_empty());
    if let Ok(top) = git(&["rev-parse", "--git-dir"]).ok_or(()) {
        let dir = manifest.join(top);
        println!("cargo:rerun-if-changed={}", dir.join("HEAD").display());
        println!("cargo:rerun-if-changed={}", dir.join("refs").display());
    }
    Some(if dirty { format!("{head}+") } else { head })
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let mut out = String::new();
    emit(&mut out, "RULES", &manifest.join("rules"), "rules");
    emit(&mut out, "LAW_TESTS", &manifest.join("tests/law"), "yaml");
    emit(
        &mut out,
        "EXAMPLES",
        &manifest.join("tests/examples"),
        "yaml",
    );
    out.push_str(&format!(
        "/// The git revision the law was built from (`+`: its rules differed from it).\npub static REVISION: Option<&str> = {:?};\n",
        revision(&manifest)
    ));
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("shipped.rs");
    if let Ok(mut f) = fs::File::create(dest) {
        let _ = f.write_all(out.as_bytes());
    }
}
