//! Integration tests of marketplace-types: spec fixtures, wire forms, ids and enums (one binary).

mod crowdcent;
mod ids;
mod numerbay;
mod requests;
mod util;
mod wire_forms;
