//! Fuzz target: the DTO decoders accept or reject arbitrary JSON without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marketplace_types::{crowdcent, numerbay};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<numerbay::Order>(data);
    let _ = serde_json::from_slice::<numerbay::Product>(data);
    let _ = serde_json::from_slice::<numerbay::User>(data);
    let _ = serde_json::from_slice::<numerbay::Globals>(data);
    let _ = serde_json::from_slice::<numerbay::Page<numerbay::Artifact>>(data);
    let _ = serde_json::from_slice::<numerbay::OrderArtifact>(data);
    let _ = serde_json::from_slice::<crowdcent::Challenge>(data);
    let _ = serde_json::from_slice::<crowdcent::SubmitResponse>(data);
    let _ = serde_json::from_slice::<crowdcent::Submission>(data);
    let _ = serde_json::from_slice::<crowdcent::InferencePeriod>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = text.parse::<numerbay::ArtifactId>();
    }
});
