//! Code generation for `#[derive(migrate::Enum)]`: the `impl Enum` (type name,
//! labels, and each variant's label) for a parsed enum, with `#[model(sqlx_type)]`
//! the call of the facade's macro that implements sqlx's traits, plus
//! `compile_error!`s for every error found.

use migrate_model::parse::parse_enum_lenient;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{Data, DeriveInput, Fields};

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
    let (label_body, from_label_body) = match &input.data {
        Data::Enum(data) => {
            let arms = data.variants.iter().zip(labels).map(|(v, label)| {
                let variant = &v.ident;
                let pattern = match &v.fields {
                    Fields::Unit => quote!(Self::#variant),
                    Fields::Named(_) => quote!(Self::#variant { .. }),
                    Fields::Unnamed(_) => quote!(Self::#variant(..)),
                };
                (quote!(#pattern => #label,), v)
            });
            let (to, units): (Vec<_>, Vec<_>) = arms.unzip();
            let back = units
                .iter()
                .zip(labels)
                .filter(|(v, _)| matches!(v.fields, Fields::Unit))
                .map(|(v, label)| {
                    let variant = &v.ident;
                    quote!(#label => ::core::option::Option::Some(Self::#variant),)
                });
            (
                quote!(match *self { #(#to)* }),
                quote!(match label { #(#back)* _ => ::core::option::Option::None }),
            )
        }
        // Not an enum: the error above says so; the bodies only keep the impl whole.
        _ => (
            quote!(::core::unreachable!()),
            quote!(::core::option::Option::None),
        ),
    };
    let sqlx = def.sqlx_type.then(|| {
        // The call carries the flag's span, so an error of the facade's macro (no
        // database built) points at `sqlx_type`.
        let span = flag_span(input, "sqlx_type");
        let array = if def.no_pg_array {
            quote!(no_pg_array)
        } else {
            quote!(pg_array)
        };
        quote_spanned! {span=>
            #krate::__sqlx_enum!(#ident, #type_name, #array);
        }
    });
    quote! {
        #(#errors)*

        #[automatically_derived]
        impl #impl_generics #krate::core::Enum for #ident #ty_generics #where_clause {
            const TYPE_NAME: &'static str = #type_name;
            const LABELS: &'static [&'static str] = &[#(#labels),*];

            #[allow(unreachable_patterns)]
            fn label(&self) -> &'static str {
                #label_body
            }

            #[allow(unreachable_patterns)]
            fn from_label(label: &str) -> ::core::option::Option<Self> {
                #from_label_body
            }
        }

        #sqlx
    }
}

/// The span of the flag `name` in the enum's `#[model(...)]`.
fn flag_span(input: &DeriveInput, name: &str) -> proc_macro2::Span {
    let mut found = input.ident.span();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(name) {
                found = syn::spanned::Spanned::span(&meta.path);
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    found
}

/// The facade path: `#[model(crate = "...")]` on the enum, else `::migrate`.
fn krate(input: &DeriveInput) -> TokenStream {
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let mut found = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                found = lit.parse::<syn::Path>().ok();
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
        if let Some(path) = found {
            return quote!(#path);
        }
    }
    quote!(::migrate)
}
