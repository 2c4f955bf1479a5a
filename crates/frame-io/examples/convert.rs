//! Converts a CSV or Parquet file: `cargo run --release -p frame-io --example convert -- IN OUT [CHUNK_BYTES]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        return Err("usage: convert IN OUT [CHUNK_BYTES]".into());
    };
    let options = frame_io::ConvertOptions {
        chunk_bytes: args.get(3).map(|s| s.parse()).transpose()?,
        ..Default::default()
    };
    let report = frame_io::convert(input.as_ref(), output.as_ref(), &options, None)?;
    println!(
        "{} rows, {} -> {} bytes",
        report.rows, report.input_bytes, report.output_bytes
    );
    Ok(())
}
