#!/usr/bin/env bash
# Build the crate oracle: VT Code's own AtifTrajectoryBuilder behind a JSONL-in, JSON-out CLI.
#
#   tests/atif/oracle/build.sh VTCODE_CHECKOUT [WORK_DIR]
#
# VTCODE_CHECKOUT is a clone (or a bare mirror) of github.com/vinhnx/VTCode; the crate's source
# (crates/common/vtcode-exec-events/src/{lib,atif,trace}.rs) is copied into WORK_DIR (default:
# a temporary folder), never into this repository. Without crates.io, the dependencies come
# from Debian's packaged crates:
#   apt-get install librust-serde-dev librust-serde-derive-dev librust-serde-json-dev \
#     librust-chrono-dev librust-uuid-dev librust-hashbrown-dev
# Prints the oracle's path; run the differential test with
#   VTCODE_ATIF_ORACLE=<that path> python -m pytest tests/atif/test_oracle.py
set -euo pipefail
checkout=$1
work=${2:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/src/bin" "$work/.cargo"
for file in lib.rs atif.rs trace.rs; do
  git -C "$checkout" show "HEAD:crates/common/vtcode-exec-events/src/$file" > "$work/src/$file"
done
cp "$here/main.rs" "$work/src/bin/oracle.rs"
cat > "$work/Cargo.toml" <<'TOML'
[package]
name = "vtcode-exec-events"
version = "0.147.0"
edition = "2024"

[features]
default = ["serde-json"]
serde-json = []

[dependencies]
hashbrown = { version = "0.12", features = ["serde"] }
serde = { version = "1", features = ["derive"] }
# float_roundtrip: read the test's floats exactly (the default parser is off by an ulp on
# some large exponents); writing, the thing under test, is the same either way.
serde_json = { version = "1", features = ["float_roundtrip"] }
uuid = { version = "1", features = ["v4", "serde"] }
chrono = { version = "0.4", features = ["serde"] }

[[bin]]
name = "atif-oracle"
path = "src/bin/oracle.rs"
TOML
if [ -d /usr/share/cargo/registry ]; then
  cat > "$work/.cargo/config.toml" <<'TOML'
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "/usr/share/cargo/registry"
[net]
offline = true
TOML
fi
(cd "$work" && cargo build --release --quiet)
echo "$work/target/release/atif-oracle"
