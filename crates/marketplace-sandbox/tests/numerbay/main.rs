//! NumerBay emulation, storage, faults and control API against a real `Sandbox::start()` over
//! loopback HTTP (one test binary; modules per area).

mod artifacts;
mod auth;
mod control;
mod dto;
mod faults;
mod order_artifacts;
mod orders;
mod search;
mod storage;
mod util;
