//! Code generation for `#[derive(migrate::Enum)]`: the `impl Enum` (type name and
//! labels) for a parsed enum, plus `compile_error!`s for every error found.

use migrate_model::parse::parse_enum_lenient;
use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

/// Expands `#[derive(migrate::Enum)]` on `input`: always an impl (so a model using
/// the enum shows no follow-on error), plus the errors.
pub fn expand(input: &DeriveInput) -> TokenStream {
    let (def, errors) = parse_enum_lenient(input);
    let errors = errors.iter().map(syn::Error::to_compile_error);
    let krate = krate(input);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let type_name = &def.type_name;
    let labels = &def.labels;
    quote! {
        #(#errors)*

        #[automatically_derived]
        impl #impl_generics #krate::core::Enum for #ident #ty_generics #where_clause {
            const TYPE_NAME: &'static str = #type_name;
            const LABELS: &'static [&'static str] = &[#(#labels),*];
        }
    }
}

/// The facade path: `#[model(crate = "...")]` on the enum, else `::migrate`.
fn krate(input: &DeriveInput) -> TokenStream {
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let mut found = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                found = lit.parse::<syn::Path>().ok();
            }
            Ok(())
        });
        if let Some(path) = found {
            return quote!(#path);
        }
    }
    quote!(::migrate)
}
