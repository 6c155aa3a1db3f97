//! The model attribute parser on arbitrary source text: what syn reads as a struct
//! gives a model or errors with messages, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use migrate_model::parse::parse_model_lenient;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(input) = syn::parse_str::<syn::DeriveInput>(src) else {
        return;
    };
    let (_model, errors) = parse_model_lenient(&input);
    for e in errors {
        assert!(!e.to_string().is_empty());
    }
});
