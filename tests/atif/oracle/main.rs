// The crate oracle (see build.sh): reads JSONL events (bare or enveloped) on stdin; prints the crate's trajectory, compact.
// argv[1]: "fixed" -> line n (from 0) processed at 2025-01-15T10:30:00Z + n seconds;
// "now" -> wall clock.
// argv[2] (optional): session id to set.
use std::io::BufRead;
use vtcode_exec_events::atif::{AtifAgent, AtifTrajectoryBuilder};
use vtcode_exec_events::{ThreadEvent, VersionedThreadEvent};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let fixed = args.get(1).map(|s| s == "fixed").unwrap_or(true);
    let mut builder = AtifTrajectoryBuilder::new(AtifAgent::vtcode());
    if let Some(id) = args.get(2) {
        builder.set_session_id(id.clone());
    }
    let ts: chrono::DateTime<chrono::Utc> = "2025-01-15T10:30:00Z".parse().unwrap();
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.unwrap();
        let event: ThreadEvent = match serde_json::from_str::<VersionedThreadEvent>(&line) {
            Ok(v) => v.into_event(),
            Err(_) => match serde_json::from_str::<ThreadEvent>(&line) {
                Ok(e) => e,
                Err(e) => { eprintln!("line {}: {}", n + 1, e); continue; }
            },
        };
        if fixed { builder.process_event_at(&event, ts + chrono::Duration::seconds(n as i64)); } else { builder.process_event(&event); }
    }
    println!("{}", serde_json::to_string(&builder.finish(None)).unwrap());
}
