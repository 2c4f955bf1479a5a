//! The autopilot's small JSON state file: what was done per round, written atomically.
//!
//! The server is the source of truth for what was delivered (see `delivered.rs`); the file never
//! stops an upload the server says is missing. It remembers what the server cannot tell: which
//! predictions file was produced for a round (so `--predictions-cmd` runs once per round, even
//! across restarts), the artifacts this autopilot uploaded (keyed by round and target, for
//! humans and logs), the uploads it saw fail (whose `pending` artifacts are not in flight) and the
//! round it locked the product for. Only the two newest rounds are kept. One autopilot at a time
//! uses a state file: see [`StateLock`](super::StateLock).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::AutopilotError;

/// Current layout version of the state file.
const VERSION: u32 = 1;
/// Rounds kept in the file.
const KEEP_ROUNDS: usize = 2;

/// Contents of the state file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutopilotState {
    /// Layout version (1).
    #[serde(default)]
    pub version: u32,
    /// The product this state belongs to.
    #[serde(default)]
    pub product_id: Option<u64>,
    /// Per selling round.
    #[serde(default)]
    pub rounds: BTreeMap<u32, RoundState>,
}

/// What happened in one selling round.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundState {
    /// The validated predictions file produced for this round, if any.
    #[serde(default)]
    pub predictions: Option<PredictionsRecord>,
    /// Artifacts uploaded by the autopilot, keyed by target (`product:7`, `order:12:sealed`,
    /// `order:12:direct`) → artifact id.
    #[serde(default)]
    pub uploads: BTreeMap<String, String>,
    /// Whether the autopilot locked the product for this round.
    #[serde(default)]
    pub locked: bool,
    /// Artifacts whose upload this autopilot started and saw fail. The server may still list them
    /// as `pending`; they are not in flight, so their copies are sent again at once.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub abandoned: BTreeSet<String>,
}

/// A predictions file that passed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PredictionsRecord {
    /// Where it is.
    pub path: PathBuf,
    /// Its size when validated (a different size or modification time means it changed and is
    /// validated again).
    pub len: u64,
    /// Its modification time when validated (nanoseconds since the Unix epoch), when known.
    #[serde(default)]
    pub modified_ns: Option<u128>,
    /// Data rows.
    pub rows: u64,
    /// Whether the predictions command produced it.
    pub from_command: bool,
}

impl AutopilotState {
    /// Reads `path`; a missing file is an empty state.
    ///
    /// # Errors
    /// [`AutopilotError::State`] when the file cannot be read or is not a state file.
    pub fn load(path: &Path) -> Result<Self, AutopilotError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(AutopilotError::state(path, "read", e)),
        };
        serde_json::from_str(&text).map_err(|e| AutopilotError::StateParse {
            path: path.to_owned(),
            source: e,
        })
    }

    /// Writes the state to `path` atomically (temporary file in the same directory, fsync, rename).
    ///
    /// # Errors
    /// [`AutopilotError::State`] naming the failed step.
    pub fn save(&self, path: &Path) -> Result<(), AutopilotError> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| AutopilotError::state(&dir, "create", e))?;
        let mut text = serde_json::to_vec_pretty(self).map_err(|e| AutopilotError::StateParse {
            path: path.to_owned(),
            source: e,
        })?;
        text.push(b'\n');
        // The state file is the autopilot's own: always replaced, never standard output.
        mkt_fs::Destination::chosen(path)
            .force(true)
            .resolve()
            .and_then(|dest| dest.write_all(&text))
            .map_err(|e| AutopilotError::state(path, "replace", e.into()))?;
        Ok(())
    }

    /// The entry of `round`, created when missing; older rounds beyond the newest two are dropped.
    pub fn round_mut(&mut self, round: u32) -> &mut RoundState {
        self.version = VERSION;
        self.rounds.entry(round).or_default();
        while self.rounds.len() > KEEP_ROUNDS {
            let Some(oldest) = self.rounds.keys().next().copied() else {
                break;
            };
            if oldest == round {
                break;
            }
            self.rounds.remove(&oldest);
        }
        self.rounds.entry(round).or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_empty_and_save_round_trips() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sub/state.json");
        assert_eq!(
            AutopilotState::load(&path).expect("load"),
            AutopilotState::default()
        );
        let mut state = AutopilotState {
            product_id: Some(7),
            ..AutopilotState::default()
        };
        state
            .round_mut(500)
            .uploads
            .insert("order:12:sealed".into(), "ab".repeat(16));
        state.save(&path).expect("save");
        assert_eq!(AutopilotState::load(&path).expect("load"), state);
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("parent"))
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".mkt-autopilot."))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn only_the_newest_rounds_are_kept() {
        let mut state = AutopilotState::default();
        for r in [500, 501, 502] {
            state.round_mut(r).locked = true;
        }
        assert_eq!(state.rounds.keys().copied().collect::<Vec<_>>(), vec![501, 502]);
    }

    #[test]
    fn garbage_is_a_parse_error() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("state.json");
        std::fs::write(&path, "not json").expect("write");
        let err = AutopilotState::load(&path).expect_err("garbage");
        assert!(matches!(err, AutopilotError::StateParse { .. }), "{err}");
    }
}
