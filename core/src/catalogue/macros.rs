//! `operations!`: the declaration form of the catalogue.
//!
//! ```text
//! /// Doc line.
//! KIND resource.method(required: Type, ...; optional: Type, ...) -> Result = |client| body;
//! ```
//! KIND is `call`, `batch` or `upload` (the body is an async expression giving the result),
//! `list` (the body gives a `Paginator`; the result type is one item's type), or `function`
//! (no client: `|_|`). Inside the body every parameter is a local of its type (`Option<Type>`
//! for the optional ones), already read and checked.

macro_rules! operations {
    (
        client: $client:ty;
        $(
            $(#[doc = $doc:literal])*
            $kind:ident $first:ident $(. $rest:ident)*
            (
                $( $(#[doc = $rdoc:literal])* $req:ident : $rty:ty ),* $(,)?
                $( ; $( $(#[doc = $odoc:literal])* $opt:ident : $oty:ty ),* $(,)? )?
            )
            -> $out:ty = |$c:pat_param| $body:expr;
        )*
    ) => {
        pub(super) static OPERATIONS: &[$crate::catalogue::Operation<$client>] = &[$(
            $crate::catalogue::Operation {
                name: concat!(stringify!($first) $(, ".", stringify!($rest))*),
                doc: concat!($($doc, "\n"),*),
                kind: $crate::catalogue::macros::kind!($kind),
                params: &[
                    $( $crate::catalogue::ParamSpec {
                        name: $crate::catalogue::macros::name!($req),
                        required: true,
                        carrier: <$rty as $crate::catalogue::Param>::CARRIER,
                    }, )*
                    $($( $crate::catalogue::ParamSpec {
                        name: $crate::catalogue::macros::name!($opt),
                        required: false,
                        carrier: <$oty as $crate::catalogue::Param>::CARRIER,
                    }, )*)?
                ],
                describe_params: {
                    #[allow(unused_variables)]
                    fn describe(reg: &mut $crate::model::Registry) -> Vec<$crate::catalogue::ParamDef> {
                        vec![
                            $( $crate::catalogue::ParamDef {
                                name: $crate::catalogue::macros::name!($req),
                                required: true,
                                ty: <$rty as $crate::model::Describe>::describe(reg),
                                doc: $crate::model::doc(&[$($rdoc),*]),
                            }, )*
                            $($( $crate::catalogue::ParamDef {
                                name: $crate::catalogue::macros::name!($opt),
                                required: false,
                                ty: <$oty as $crate::model::Describe>::describe(reg),
                                doc: $crate::model::doc(&[$($odoc),*]),
                            }, )*)?
                        ]
                    }
                    describe
                },
                describe_result: <$out as $crate::model::Describe>::describe,
                run: $crate::catalogue::macros::run!(
                    $kind, $client, [$($req: $rty),*], [$($($opt: $oty),*)?], $out, $c, $body
                ),
            },
        )*];
    };
}

/// A parameter's name: its identifier, without the `r#` of a raw one (`r#type` is `type`).
macro_rules! name {
    (r#type) => {
        "type"
    };
    ($i:ident) => {
        stringify!($i)
    };
}

macro_rules! kind {
    (call) => { $crate::catalogue::Kind::Call };
    (batch) => { $crate::catalogue::Kind::Batch };
    (upload) => { $crate::catalogue::Kind::Upload };
    (list) => { $crate::catalogue::Kind::List };
    (function) => { $crate::catalogue::Kind::Function };
}

/// Read every declared argument (required, then optional), then refuse any other.
macro_rules! read_args {
    ($args:ident, [$($req:ident: $rty:ty),*], [$($opt:ident: $oty:ty),*]) => {
        $( let $req: $rty = $args.required($crate::catalogue::macros::name!($req))?; )*
        $( let $opt: Option<$oty> = $args.optional($crate::catalogue::macros::name!($opt))?; )*
        $args.finish(&[$($crate::catalogue::macros::name!($req),)* $($crate::catalogue::macros::name!($opt),)*])?;
    };
}

macro_rules! run {
    (list, $client:ty, $req:tt, $opt:tt, $out:ty, $c:pat_param, $body:expr) => {
        $crate::catalogue::Run::List({
            #[allow(unused_mut)]
            fn open(client: $client, mut args: $crate::catalogue::Args) -> $crate::Result<$crate::pagination::Paginator> {
                $crate::catalogue::macros::read_args!(args, $req, $opt);
                let $c = client;
                let pages: $crate::pagination::Paginator = $body;
                Ok(pages.map(|v| $crate::catalogue::View::into_view($crate::catalogue::Raw::<$out>::new(v))))
            }
            open
        })
    };
    (function, $client:ty, $req:tt, $opt:tt, $out:ty, $c:pat_param, $body:expr) => {
        $crate::catalogue::Run::Function({
            #[allow(unused_mut)]
            fn run(mut args: $crate::catalogue::Args) -> $crate::Result<$crate::catalogue::Out> {
                $crate::catalogue::macros::read_args!(args, $req, $opt);
                let out: $out = $body;
                $crate::catalogue::IntoOut::into_out(out)
            }
            run
        })
    };
    ($kind:ident, $client:ty, $req:tt, $opt:tt, $out:ty, $c:pat_param, $body:expr) => {
        $crate::catalogue::Run::Call({
            #[allow(unused_mut)]
            fn run(client: $client, mut args: $crate::catalogue::Args) -> $crate::catalogue::CallFuture {
                Box::pin(async move {
                    $crate::catalogue::macros::read_args!(args, $req, $opt);
                    #[allow(unused_variables)]
                    let $c = client;
                    let out: $out = $body;
                    $crate::catalogue::IntoOut::into_out(out)
                })
            }
            run
        })
    };
}

pub(crate) use {kind, name, operations, read_args, run};
