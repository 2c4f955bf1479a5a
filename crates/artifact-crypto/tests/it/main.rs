//! Integration tests of artifact-crypto: interop vectors, round trips, key files.

mod keyfile;
mod roundtrip;
mod util;
mod vectors;
