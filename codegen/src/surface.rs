//! One API's catalogue, read once into what every generator needs.

use std::collections::BTreeSet;

use sellkit::catalogue::{Api, Kind, ParamDef, CALL_OPTIONS};
use sellkit::model::{Registry, Ty, TypeDef};

/// An operation or function.
pub struct Op {
    /// `packages.create`.
    pub name: &'static str,
    /// `packages` (empty for the client's own operations and for functions).
    pub resource: &'static str,
    /// `create`.
    pub method: &'static str,
    pub doc: String,
    pub kind: Kind,
    pub params: Vec<ParamDef>,
    pub result: Ty,
}

impl Op {
    /// The positional (required) parameters, then the named ones.
    pub fn split_params(&self) -> (Vec<&ParamDef>, Vec<&ParamDef>) {
        self.params.iter().partition(|p| p.required)
    }
}

/// A resource group (`users.keys`).
pub struct Resource {
    pub path: &'static str,
    pub doc: &'static str,
}

impl Resource {
    /// `keys` for `users.keys`.
    pub fn attr(&self) -> &'static str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }
    /// `users` for `users.keys`, `""` for a top-level resource.
    pub fn parent(&self) -> &'static str {
        self.path.rfind('.').map(|i| &self.path[..i]).unwrap_or("")
    }
}

/// A client property.
pub struct Property {
    pub name: &'static str,
    pub doc: &'static str,
    pub ty: Ty,
}

/// Everything generated for one API comes from here.
pub struct Surface {
    /// `eqp` or `marktplaats`.
    pub api: &'static str,
    pub doc: &'static str,
    pub client_doc: String,
    pub client_params: Vec<ParamDef>,
    pub call_params: Vec<ParamDef>,
    pub properties: Vec<Property>,
    pub resources: Vec<Resource>,
    /// The client's operations (by resource) and the module's functions.
    pub ops: Vec<Op>,
    pub registry: Registry,
    /// Named types reached from inputs (their `...Input` forms are generated).
    pub input_types: BTreeSet<String>,
    /// Named types reached from results.
    pub result_types: BTreeSet<String>,
}

impl Surface {
    pub fn of<C>(api: &'static Api<C>) -> Surface {
        let (described, mut registry) = api.describe();
        let client_params = (api.client.describe_params)(&mut registry);
        let call_params = (CALL_OPTIONS.describe_params)(&mut registry);
        let ops: Vec<Op> = described
            .into_iter()
            .map(|(op, params, result)| {
                let (resource, method) = op.split_name();
                Op { name: op.name, resource, method, doc: clean_doc(op.doc), kind: op.kind, params, result }
            })
            .collect();
        let properties = api.properties.iter().map(|p| Property { name: p.name, doc: p.doc, ty: (p.ty)() }).collect();
        let resources = api.resources.iter().map(|&(path, doc)| Resource { path, doc }).collect();
        let mut input_types = BTreeSet::new();
        let mut result_types = BTreeSet::new();
        for op in &ops {
            for p in &op.params {
                reach_param(&p.ty, &registry, &mut input_types, &mut result_types);
            }
            reach(&op.result, &registry, &mut result_types);
        }
        for p in &client_params {
            // A callback's argument is a result handed to the caller.
            match &p.ty {
                Ty::Callback(arg) => reach(arg, &registry, &mut result_types),
                ty => reach(ty, &registry, &mut input_types),
            }
        }
        Surface {
            api: api.name,
            doc: api.doc,
            client_doc: clean_doc(api.client.doc),
            client_params,
            call_params,
            properties,
            resources,
            ops,
            registry,
            input_types,
            result_types,
        }
    }

    /// The operations of resource `path` (`""`: the client's own).
    pub fn ops_of<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Op> + 'a {
        self.ops.iter().filter(move |op| op.kind != Kind::Function && op.resource == path)
    }

    /// The module's functions.
    pub fn functions(&self) -> impl Iterator<Item = &Op> {
        self.ops.iter().filter(|op| op.kind == Kind::Function)
    }

    /// The resources directly under `parent` (`""`: the client's).
    pub fn children<'a>(&'a self, parent: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.parent() == parent)
    }

    /// The top-level resources.
    pub fn roots(&self) -> impl Iterator<Item = &Resource> {
        self.children("")
    }

    /// The model or enum called `name`.
    pub fn def(&self, name: &str) -> &TypeDef {
        &self.registry.types()[name]
    }
}

/// Every named type `ty` reaches, into `seen`.
/// The named types of a parameter: what is sent is an input, except a callback's argument (a
/// release's events), which is a result handed to the caller.
fn reach_param(ty: &Ty, reg: &Registry, inputs: &mut BTreeSet<String>, results: &mut BTreeSet<String>) {
    match ty {
        Ty::Callback(arg) => reach(arg, reg, results),
        Ty::Optional(t) => reach_param(t, reg, inputs, results),
        ty => reach(ty, reg, inputs),
    }
}

fn reach(ty: &Ty, reg: &Registry, seen: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(n) => {
            if seen.insert(n.clone()) {
                if let Some(TypeDef::Model { fields, .. }) = reg.types().get(n) {
                    for f in fields {
                        reach(&f.ty, reg, seen);
                    }
                }
            }
        }
        Ty::List(t) | Ty::Map(t) | Ty::Optional(t) | Ty::Callback(t) => reach(t, reg, seen),
        Ty::Union(ts) | Ty::Tuple(ts) => ts.iter().for_each(|t| reach(t, reg, seen)),
        _ => {}
    }
}

/// A doc written as `///` lines: each line without its leading space, trimmed at both ends.
pub fn clean_doc(doc: &str) -> String {
    doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n").trim().to_owned()
}

/// The first paragraph of a doc on one line: the summary tables and one-line comments show.
pub fn summary(doc: &str) -> String {
    let para: Vec<&str> = doc.lines().map(str::trim).take_while(|l| !l.is_empty()).collect();
    para.join(" ")
}
