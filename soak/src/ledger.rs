//! What the clients reported, object by object, and the check of it against the server.

use std::collections::BTreeMap;

/// What a call reported about the change it was asked to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It succeeded.
    Done,
    /// It failed and changed nothing.
    NotDone,
    /// It failed after the request reached the server: it may or may not have been applied.
    Unknown,
}

impl Outcome {
    pub fn of_error(e: &sellkit::Error) -> Outcome {
        if e.outcome_unknown() {
            Outcome::Unknown
        } else {
            Outcome::NotDone
        }
    }
    pub fn of<T>(r: &sellkit::Result<T>) -> Outcome {
        match r {
            Ok(_) => Outcome::Done,
            Err(e) => Outcome::of_error(e),
        }
    }
}

/// One object the workload created (a package, an ad), its server id once known, the values
/// each tracked field may hold, and its children (image URLs) with their outcomes.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub created: Outcome,
    pub id: Option<String>,
    pub fields: BTreeMap<&'static str, Vec<String>>,
    pub children: Vec<(String, Outcome)>,
    /// What the create reported when it failed (for the report's problem lines).
    pub note: Option<String>,
}

impl Tracked {
    pub fn new(created: Outcome, id: Option<String>, fields: &[(&'static str, String)]) -> Tracked {
        Tracked { created, id, fields: fields.iter().map(|(k, v)| (*k, vec![v.clone()])).collect(), children: Vec::new(), note: None }
    }
    /// Record an update of `field` to `value`: after a success only the new value is right,
    /// after an unknown outcome either is.
    pub fn update(&mut self, field: &'static str, value: String, outcome: Outcome) {
        let allowed = self.fields.entry(field).or_default();
        match outcome {
            Outcome::Done => *allowed = vec![value],
            Outcome::Unknown => allowed.push(value),
            Outcome::NotDone => {}
        }
    }
}

/// The result of comparing the ledger with the server.
#[derive(Debug, Default)]
pub struct Verdict {
    pub lost: u64,
    pub duplicated: u64,
    pub unknown_objects: u64,
    pub unknown_applied: u64,
    pub checked: BTreeMap<&'static str, u64>,
    pub problems: Vec<String>,
}

impl Verdict {
    /// Check that an object reported with `outcome` exists `count` times on the server; returns
    /// whether it exists exactly once (so its fields can be checked).
    pub fn presence(&mut self, kind: &'static str, name: &str, outcome: Outcome, count: usize) -> bool {
        self.presence_noted(kind, name, outcome, count, None)
    }

    /// [`Verdict::presence`], with what the client reported kept in a problem line.
    pub fn presence_noted(&mut self, kind: &'static str, name: &str, outcome: Outcome, count: usize, note: Option<&str>) -> bool {
        let said = note.map(|n| format!(" (the client said: {n})")).unwrap_or_default();
        *self.checked.entry(kind).or_default() += 1;
        if count > 1 {
            self.duplicated += 1;
            self.problems.push(format!("{kind} {name}: exists {count} times"));
        }
        match outcome {
            Outcome::Done if count == 0 => {
                self.lost += 1;
                self.problems.push(format!("{kind} {name}: reported created, but the server does not have it"));
            }
            Outcome::NotDone if count > 0 => {
                self.lost += 1;
                self.problems.push(format!("{kind} {name}: reported as failed without effect, but the server has it{said}"));
            }
            Outcome::Unknown => {
                self.unknown_objects += 1;
                self.unknown_applied += u64::from(count > 0);
            }
            _ => {}
        }
        count == 1
    }

    /// Check that the server's value of a field is one the client's reports allow.
    pub fn field(&mut self, kind: &'static str, name: &str, field: &str, allowed: &[String], actual: Option<&str>) {
        let ok = actual.is_some_and(|a| allowed.iter().any(|v| v == a));
        if !ok {
            self.lost += 1;
            self.problems.push(format!("{kind} {name}: {field} is {actual:?} on the server, the client's reports allow {allowed:?}"));
        }
    }
}

/// Count the occurrences of each key.
pub fn tally<'a>(keys: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for k in keys {
        *counts.entry(k).or_default() += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_rules() {
        let mut v = Verdict::default();
        assert!(v.presence("ad", "a", Outcome::Done, 1));
        assert!(!v.presence("ad", "b", Outcome::Done, 0));
        assert!(v.presence("ad", "c", Outcome::NotDone, 1));
        v.presence("ad", "d", Outcome::Unknown, 0);
        v.presence("ad", "e", Outcome::Unknown, 1);
        v.presence("ad", "f", Outcome::Unknown, 2);
        assert_eq!(v.lost, 2, "{:?}", v.problems);
        assert_eq!(v.duplicated, 1);
        assert_eq!((v.unknown_objects, v.unknown_applied), (3, 2));
        assert_eq!(v.checked["ad"], 6);
    }

    #[test]
    fn field_updates() {
        let mut t = Tracked::new(Outcome::Done, None, &[("name", "a".into())]);
        t.update("name", "b".into(), Outcome::Unknown);
        assert_eq!(t.fields["name"], vec!["a", "b"]);
        t.update("name", "c".into(), Outcome::NotDone);
        assert_eq!(t.fields["name"], vec!["a", "b"]);
        t.update("name", "d".into(), Outcome::Done);
        assert_eq!(t.fields["name"], vec!["d"]);
        let mut v = Verdict::default();
        v.field("package", "p", "name", &t.fields["name"], Some("a"));
        v.field("package", "p", "name", &t.fields["name"], Some("d"));
        assert_eq!(v.lost, 1);
    }
}
