//! Who can see a Postman environment, read from Postman's answers, failing closed: the token
//! goes there without the person's consent only when the environment is listed in a
//! workspace that is provably the key owner's alone (`visibility` personal or only-me **and**
//! `type` personal). Anything missing, malformed or contradictory is "cannot tell", and
//! nothing is written until the person accepts (`--postman-shared-ok`, "Sync anyway").

use serde_json::Value;

use super::error::Unclear;

/// Who can see an environment, as far as Postman's answers show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sharing {
    /// It is in a workspace that is the key owner's alone.
    OnlyYou,
    /// It is in a workspace others can see: its name.
    Shared(String),
    /// Postman's answers do not say: why, and the workspace concerned (if one is).
    Unclear(Unclear, Option<String>),
}

/// Who sees one workspace of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seen {
    /// The key owner alone.
    Own,
    /// Others too (team, private team, partner, public).
    Others,
    /// The entry says two things, or neither.
    Unclear,
}

const PERSONAL: [&str; 2] = ["personal", "only-me"];

/// Who sees the workspace `entry` (an element of `GET /workspaces`'s list).
pub(crate) fn seen_by(entry: &Value) -> Seen {
    let visibility = entry.get("visibility").and_then(Value::as_str);
    let kind = entry.get("type").and_then(Value::as_str);
    let personal = |v: Option<&str>| v.is_some_and(|v| PERSONAL.contains(&v));
    let other = |v: Option<&str>| v.is_some_and(|v| !PERSONAL.contains(&v));
    if personal(visibility) && kind == Some("personal") {
        Seen::Own
    } else if (other(visibility) || other(kind)) && !personal(visibility) && !personal(kind) {
        Seen::Others
    } else {
        Seen::Unclear
    }
}

/// Whether a workspace's details (`GET /workspaces/{id}`) list environment `env` (by id or
/// uid, in any case: Postman's ids are UUIDs, and it accepts either case).
pub(crate) fn lists(detail: &Value, env: &str) -> Result<bool, Unclear> {
    let envs = detail
        .get("workspace")
        .and_then(|w| w.get("environments"))
        .and_then(Value::as_array)
        .ok_or(Unclear::NoEnvironmentList)?;
    Ok(envs.iter().any(|e| {
        ["id", "uid"].iter().any(|k| {
            e.get(k)
                .and_then(Value::as_str)
                .is_some_and(|id| id.eq_ignore_ascii_case(env))
        })
    }))
}

/// A workspace's name as a person reads it: no control characters, at most 100.
pub(crate) fn name_of(entry: &Value, id: &str) -> String {
    entry
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(id)
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect()
}

/// What the answers about each workspace add up to.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    own: bool,
    unclear: Option<(Unclear, Option<String>)>,
}

impl Verdict {
    /// A workspace could not be read or judged.
    pub(crate) fn unclear(&mut self, why: Unclear, workspace: Option<String>) {
        self.unclear.get_or_insert((why, workspace));
    }

    /// A workspace seen as `seen` lists the environment: `Some` when that settles it.
    pub(crate) fn listed_in(&mut self, seen: Seen, name: String) -> Option<Sharing> {
        match seen {
            Seen::Own => self.own = true,
            Seen::Others => return Some(Sharing::Shared(name)),
            Seen::Unclear => self.unclear(Unclear::Contradictory, Some(name)),
        }
        None
    }

    /// After every workspace: only a listing in the owner's own workspace, and nothing
    /// unclear anywhere, lets the write go ahead.
    pub(crate) fn end(self) -> Sharing {
        match (self.unclear, self.own) {
            (Some((why, workspace)), _) => Sharing::Unclear(why, workspace),
            (None, true) => Sharing::OnlyYou,
            (None, false) => Sharing::Unclear(Unclear::NotListed, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_personal_visibility_and_personal_type_together_are_own() {
        for (entry, seen) in [
            (
                json!({"visibility": "personal", "type": "personal"}),
                Seen::Own,
            ),
            (
                json!({"visibility": "only-me", "type": "personal"}),
                Seen::Own,
            ),
            (json!({"visibility": "team", "type": "team"}), Seen::Others),
            (json!({"type": "team"}), Seen::Others),
            (json!({"visibility": "public"}), Seen::Others),
            (
                json!({"visibility": "only-me", "type": "team"}),
                Seen::Unclear,
            ),
            (
                json!({"visibility": "team", "type": "personal"}),
                Seen::Unclear,
            ),
            (json!({"type": "personal"}), Seen::Unclear),
            (json!({"visibility": "only-me"}), Seen::Unclear),
            (json!({}), Seen::Unclear),
            (json!({"visibility": 3, "type": null}), Seen::Unclear),
        ] {
            assert_eq!(seen_by(&entry), seen, "{entry}");
        }
    }

    #[test]
    fn an_environment_is_found_by_id_or_uid_in_any_case() {
        let detail = json!({"workspace": {"environments": [
            {"id": "ABCDEF01-2345-6789-abcd-ef0123456789", "uid": "12345-abcdef01-2345-6789-abcd-ef0123456789"}
        ]}});
        assert_eq!(
            lists(&detail, "abcdef01-2345-6789-ABCD-ef0123456789"),
            Ok(true)
        );
        assert_eq!(
            lists(&detail, "12345-ABCDEF01-2345-6789-abcd-ef0123456789"),
            Ok(true)
        );
        assert_eq!(
            lists(&detail, "00000000-2345-6789-abcd-ef0123456789"),
            Ok(false)
        );
        assert_eq!(
            lists(&json!({"workspace": {"name": "x"}}), "a"),
            Err(Unclear::NoEnvironmentList)
        );
        assert_eq!(
            lists(&json!({"workspace": {"environments": {}}}), "a"),
            Err(Unclear::NoEnvironmentList)
        );
    }

    #[test]
    fn the_verdict_fails_closed() {
        let mut v = Verdict::default();
        assert_eq!(v.listed_in(Seen::Own, "Mine".into()), None);
        assert_eq!(v.end(), Sharing::OnlyYou);

        let mut v = Verdict::default();
        assert_eq!(v.listed_in(Seen::Own, "Mine".into()), None);
        v.unclear(Unclear::EntryWithoutId, None);
        assert_eq!(v.end(), Sharing::Unclear(Unclear::EntryWithoutId, None));

        let mut v = Verdict::default();
        assert_eq!(
            v.listed_in(Seen::Others, "Time".into()),
            Some(Sharing::Shared("Time".into()))
        );

        let mut v = Verdict::default();
        v.listed_in(Seen::Unclear, "Odd".into());
        assert_eq!(
            v.end(),
            Sharing::Unclear(Unclear::Contradictory, Some("Odd".into()))
        );

        assert_eq!(
            Verdict::default().end(),
            Sharing::Unclear(Unclear::NotListed, None)
        );
    }
}
