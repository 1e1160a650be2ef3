//! A seeded generator of online-shop journeys for the demo workspace: the same seed always
//! writes the same events, so the demo looks the same on every machine.
//!
//! Activities follow the shop template's event rules: email_open, landing, search,
//! product_view, faq_view, add_to_cart, checkout, purchase, support_chat,
//! refund_request, review_submitted; each event has a channel.

use std::io::Write;

/// SplitMix64: a tiny, well-mixed pseudo-random generator; enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An integer in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

/// 2026-01-01T00:00:00Z in seconds since the epoch.
const START: i64 = 1_767_225_600;

/// Writes `customers` journeys as CSV (`customer_id,ts,event,channel`) and returns the event count.
pub fn write_shop_journeys(
    out: &mut impl Write,
    customers: usize,
    seed: u64,
) -> std::io::Result<u64> {
    let mut rng = Rng(seed);
    let mut events = 0u64;
    writeln!(out, "customer_id,ts,event,channel")?;
    for c in 1..=customers {
        let id = format!("c{c:05}");
        let mut t = START + rng.between(0, 120 * 86_400);
        let channel = if rng.chance(0.55) { "app" } else { "web" };
        let mut emit =
            |out: &mut dyn Write, t: i64, event: &str, channel: &str| -> std::io::Result<()> {
                events += 1;
                writeln!(out, "{id},{},{event},{channel}", iso(t))
            };
        if rng.chance(0.35) {
            emit(out, t, "email_open", "email")?;
            t += rng.between(20, 3_600);
        }
        emit(out, t, "landing", channel)?;
        if rng.chance(0.25) {
            continue;
        }
        if rng.chance(0.5) {
            t += rng.between(10, 300);
            emit(out, t, "search", channel)?;
        }
        for _ in 0..rng.between(1, 4) {
            t += rng.between(15, 900);
            emit(out, t, "product_view", channel)?;
            if rng.chance(0.2) {
                t += rng.between(10, 200);
                emit(out, t, "faq_view", channel)?;
            }
        }
        if !rng.chance(0.55) {
            if rng.chance(0.05) {
                t += rng.between(600, 86_400);
                emit(out, t, "support_chat", "chat")?;
            }
            continue;
        }
        t += rng.between(10, 600);
        emit(out, t, "add_to_cart", channel)?;
        if !rng.chance(0.45) {
            continue;
        }
        t += rng.between(60, 3 * 86_400);
        emit(out, t, "checkout", channel)?;
        if !rng.chance(0.72) {
            if rng.chance(0.3) {
                t += rng.between(60, 7_200);
                emit(out, t, "support_chat", "chat")?;
            }
            continue;
        }
        t += rng.between(60, 600);
        emit(out, t, "purchase", channel)?;
        if rng.chance(0.22) {
            t += rng.between(86_400, 10 * 86_400);
            emit(
                out,
                t,
                "support_chat",
                if rng.chance(0.5) {
                    "chat"
                } else {
                    "call_center"
                },
            )?;
            if rng.chance(0.45) {
                t += rng.between(600, 86_400);
                emit(out, t, "refund_request", channel)?;
            }
        }
        if rng.chance(0.3) {
            t += rng.between(2 * 86_400, 20 * 86_400);
            emit(out, t, "review_submitted", channel)?;
        }
    }
    Ok(events)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of seconds since the epoch.
fn iso(seconds: i64) -> String {
    let date = crate::pages::when(seconds);
    format!(
        "{}T{}:{:02}Z",
        &date[..10],
        &date[11..],
        seconds.rem_euclid(60)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_journeys() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let n = write_shop_journeys(&mut a, 300, 7).unwrap();
        write_shop_journeys(&mut b, 300, 7).unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        assert_eq!(text.lines().count() as u64, n + 1);
        assert!(text.lines().nth(1).unwrap().starts_with("c00001,2026-"));
        assert_eq!(iso(START + 3_661), "2026-01-01T01:01:01Z");
    }
}
