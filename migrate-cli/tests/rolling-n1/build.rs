//! Checks the models and embeds the revisions, as any application's build script,
//! but without repeating as warnings the two findings this release carries on
//! purpose: its rename and its drop break release N, which is what the
//! rolling-deploy test shows (it reads them from `cargo migrate check`). Any other
//! warning, and every error, is printed as usual.

use migrate_build::directives::Directives;

/// The revisions whose findings are the test's subject: the rename of `nick` and
/// the drop of `legacy`.
const ON_PURPOSE: [&str; 2] = ["(revision 190344e09229 ", "(revision 7c5d3b0c403b "];

fn main() {
    let mut out = Directives::new();
    if let Err(e) = migrate_build::Config::new().run_with(&mut out) {
        let mut errors = Directives::new();
        errors.error(&e.to_string());
        errors.flush();
    }
    // A finding is a `warning[...]` line naming its revision, then its `breaks`,
    // `why` and `fix` lines.
    let mut skipping = false;
    for line in out.lines() {
        match line.strip_prefix("cargo:warning=migrate: ") {
            Some(text) if text.starts_with("warning[") => {
                skipping = ON_PURPOSE.iter().any(|r| text.contains(r));
            }
            Some(_) => {}
            None => skipping = false,
        }
        if !skipping {
            println!("{line}");
        }
    }
}
