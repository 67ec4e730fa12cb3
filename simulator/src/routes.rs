//! The simulator's routes: each API declares them once, in a [`RouteTable`], which builds the
//! axum router and the list of routes ([`crate::Simulator::routes`]) from the same calls, so
//! that the list cannot drift from what is served.

use std::sync::Arc;

use axum::handler::Handler;
use axum::routing::{on, MethodFilter};
use axum::Router;

use crate::error::SimError;
use crate::Shared;

/// Which API a route belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    /// The Adobe Commerce Marketplace EQP API ([`crate::Simulator::eqp_url`]).
    Eqp,
    /// The Marktplaats API, served alike on the three platform listeners
    /// ([`crate::Simulator::marktplaats_url`]), OAuth endpoints included.
    Marktplaats,
}

/// One route the simulator serves: a method and a path template, as the router declares it.
/// Its [`Route::name`] (`"GET /v1/advertisements/{itemId}"`) is how request counters and faults
/// name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    pub api: Api,
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The path template, parameters in braces (`/v1/advertisements/{itemId}`).
    pub path: &'static str,
}

impl Route {
    /// `METHOD /path/{param}`.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Routes of one API, registered in the router and in the list by the same call.
pub(crate) struct RouteTable {
    api: Api,
    router: Router<Arc<Shared>>,
    routes: Vec<Route>,
}

impl RouteTable {
    pub fn new(api: Api) -> RouteTable {
        RouteTable { api, router: Router::new(), routes: Vec::new() }
    }

    fn on<H, T>(mut self, method: &'static str, filter: MethodFilter, path: &'static str, handler: H) -> RouteTable
    where
        H: Handler<T, Arc<Shared>>,
        T: 'static,
    {
        // axum merges the methods of one path registered by separate calls.
        self.router = self.router.route(path, on(filter, handler));
        self.routes.push(Route { api: self.api, method, path });
        self
    }
    pub fn get<H: Handler<T, Arc<Shared>>, T: 'static>(self, path: &'static str, handler: H) -> RouteTable {
        self.on("GET", MethodFilter::GET, path, handler)
    }
    pub fn post<H: Handler<T, Arc<Shared>>, T: 'static>(self, path: &'static str, handler: H) -> RouteTable {
        self.on("POST", MethodFilter::POST, path, handler)
    }
    pub fn put<H: Handler<T, Arc<Shared>>, T: 'static>(self, path: &'static str, handler: H) -> RouteTable {
        self.on("PUT", MethodFilter::PUT, path, handler)
    }
    pub fn patch<H: Handler<T, Arc<Shared>>, T: 'static>(self, path: &'static str, handler: H) -> RouteTable {
        self.on("PATCH", MethodFilter::PATCH, path, handler)
    }
    pub fn delete<H: Handler<T, Arc<Shared>>, T: 'static>(self, path: &'static str, handler: H) -> RouteTable {
        self.on("DELETE", MethodFilter::DELETE, path, handler)
    }

    pub fn into_parts(self) -> (Router<Arc<Shared>>, Vec<Route>) {
        (self.router, self.routes)
    }
}

/// `Ok` when `route` is `*` or the name of a known route; otherwise the error that lists the
/// known routes, the closest first.
pub(crate) fn check(route: &str, known: &[Route]) -> Result<(), SimError> {
    if route == "*" || known.iter().any(|r| r.name() == route) {
        return Ok(());
    }
    Err(SimError::UnknownRoute { route: route.to_owned(), known: closest_first(route, known) })
}

/// A route name with its parameter names dropped (`GET /v1/advertisements/{}`), upper-case
/// method: a fault with a misspelt parameter or a lower-case method still finds its route first.
fn shape(name: &str) -> String {
    let (method, path) = name.trim().split_once(' ').unwrap_or(("", name));
    let mut out = method.to_ascii_uppercase();
    out.push(' ');
    let mut in_param = false;
    for c in path.trim().chars() {
        match c {
            '{' | ':' if !in_param => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            '/' => {
                // A `:param` segment (the EQP docs' style) ends at the next slash.
                in_param = false;
                out.push('/');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

fn closest_first(route: &str, known: &[Route]) -> Vec<String> {
    let wanted = shape(route);
    let mut ranked: Vec<(bool, usize, String)> = known
        .iter()
        .map(|r| {
            let name = r.name();
            let s = shape(&name);
            (s != wanted, strsim::levenshtein(&s, &wanted), name)
        })
        .collect();
    ranked.sort();
    ranked.dedup_by(|a, b| a.2 == b.2);
    ranked.into_iter().map(|(_, _, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Vec<Route> {
        let r = |method, path| Route { api: Api::Marktplaats, method, path };
        vec![
            r("GET", "/v1/advertisements"),
            r("GET", "/v1/advertisements/{itemId}"),
            r("PUT", "/v1/advertisements/{itemId}"),
            r("GET", "/v1/advertisements/{itemId}/images"),
        ]
    }

    #[test]
    fn a_known_route_or_the_wildcard_passes() {
        assert_eq!(check("GET /v1/advertisements/{itemId}", &table()), Ok(()));
        assert_eq!(check("*", &table()), Ok(()));
    }

    #[test]
    fn a_misspelt_parameter_lists_its_route_first() {
        let Err(SimError::UnknownRoute { known, .. }) = check("GET /v1/advertisements/{item_id}", &table()) else { panic!("refused") };
        assert_eq!(known[0], "GET /v1/advertisements/{itemId}");
        assert_eq!(known.len(), 4);
        let Err(SimError::UnknownRoute { known, .. }) = check("get /v1/advertisements/:itemId/images", &table()) else { panic!("refused") };
        assert_eq!(known[0], "GET /v1/advertisements/{itemId}/images");
    }
}
