//! `#[derive(Model)]`: the proc-macro front of the core's model parser (in progress).

use proc_macro::TokenStream;

/// Derives `migrate::Model` (in progress: currently emits nothing).
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
